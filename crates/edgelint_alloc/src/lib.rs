//! The memory allocator of edgelint's programs: jemalloc on x86-64 Linux with glibc, the
//! system's allocator elsewhere, and on the former a per-thread arena for syntax trees.
//!
//! A run allocates and frees millions of small nodes per second, file after file, while the
//! summaries and findings it keeps stay scattered in between. glibc's allocator spent about a
//! sixth of a run on that; with jemalloc a run of the benchmark's real tree took 11 % less CPU
//! time (and the parse-only floor, which links this crate too, 10 % less).
//!
//! A program installs it itself, so that a library's users (the fuzz targets, built with a
//! sanitizer that watches the system's allocator) keep theirs:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: edgelint_alloc::Allocator = edgelint_alloc::Allocator;
//! ```
//!
//! Without it, [`arena::Arena::enter`] finds no arena and trees are freed node by node.

pub mod arena;

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
pub use jemalloc::Allocator;

#[cfg(not(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64")))]
pub use std::alloc::System as Allocator;

// This crate's tests run with the allocator they test.
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
mod jemalloc {
    use std::alloc::{GlobalAlloc, Layout};

    use crate::arena;

    /// jemalloc, except for what a thread allocates while it fills its arena (see [`arena`]):
    /// memory of the arena is never freed one allocation at a time.
    pub struct Allocator;

    unsafe impl GlobalAlloc for Allocator {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            match arena::allocate(layout) {
                Some(memory) => memory,
                None => unsafe { tikv_jemallocator::Jemalloc.alloc(layout) },
            }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            match arena::allocate(layout) {
                Some(memory) => {
                    // The arena's memory is reused from one tree to the next.
                    unsafe { memory.write_bytes(0, layout.size()) };
                    memory
                }
                None => unsafe { tikv_jemallocator::Jemalloc.alloc_zeroed(layout) },
            }
        }

        #[inline]
        unsafe fn dealloc(&self, memory: *mut u8, layout: Layout) {
            if !arena::owns(memory) {
                unsafe { tikv_jemallocator::Jemalloc.dealloc(memory, layout) }
            }
        }

        #[inline]
        unsafe fn realloc(&self, memory: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if arena::owns(memory) {
                if let Some(resized) = arena::resize(memory, layout, new_size) {
                    return resized;
                }
            } else if !arena::filling() {
                return unsafe { tikv_jemallocator::Jemalloc.realloc(memory, layout, new_size) };
            }
            // Moved: within the arena, into it (what is filled must not keep a block of jemalloc)
            // or, when the arena is full or was left, out of it.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            let moved = unsafe { self.alloc(new_layout) };
            if !moved.is_null() {
                unsafe {
                    std::ptr::copy_nonoverlapping(memory, moved, layout.size().min(new_size));
                    self.dealloc(memory, layout);
                }
            }
            moved
        }
    }

    /// jemalloc's options, read when it starts: freed pages go back to the system after half
    /// a second, not ten. A run holds the pages it freed until then, so this sets its peak
    /// memory: on the standard library 27 MB, where a second gave 29 MB and glibc 26 MB; on
    /// the real tree 47 MB, against 49 MB and 54 MB. Each halving of the delay costs about
    /// 1 % more CPU time.
    #[export_name = "_rjem_malloc_conf"]
    #[used]
    static MALLOC_CONF: Options = Options(c"dirty_decay_ms:500".as_ptr());

    /// A C string, as jemalloc reads it: `const char *malloc_conf`.
    #[repr(transparent)]
    struct Options(*const std::ffi::c_char);

    // The pointer is to a string literal, never written.
    unsafe impl Sync for Options {}
}
