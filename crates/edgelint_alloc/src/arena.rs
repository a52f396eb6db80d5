//! A per-thread arena for memory that dies all at once: a syntax tree, which lives exactly as
//! long as its file's check.
//!
//! Freed node by node, a tree costs a walk of every node, cold in the cache by then, and a call
//! to the allocator for each: an eighth of the parse-only floor's time on the real tree. In an
//! arena it is allocated by moving a pointer, and freed by moving it back.
//!
//! Each thread bumps through a slot of its own in one region of address space reserved when the
//! first arena is entered (only the pages written take memory). [`Arena::enter`] marks where the
//! slot's top stands; what [`Arena::fill`] allocates goes above the mark; dropping the arena
//! moves the top back to the mark. Arenas entered while another is open on the same thread (a
//! module checked inside the check of the module that imports it) stack on it: a guard is
//! dropped before the one below it, as frames are. A block of the arena is never freed alone:
//! `dealloc` ignores it, so a tree that is dropped (when part of it could not fit, see
//! [`Arena::spilled`]) frees only its other blocks.
//!
//! Nothing else may be allocated in an arena: only what `fill` allocates, and only what dies with
//! the arena. Whatever else the thread allocates meanwhile (what the checks keep, and every
//! thread's other work) goes to jemalloc, as always.

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
pub use bump::*;

#[cfg(not(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64")))]
pub use no_arena::*;

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
mod bump {
    use std::alloc::Layout;
    use std::cell::Cell;
    use std::marker::PhantomData;
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
    use std::sync::{Mutex, Once};

    /// The address space of one thread's slot, at most. A tree bigger than its slot (its file
    /// over 40 MB or so: the benchmark's 20 MB module makes a tree of about 450 MB) spills into
    /// jemalloc.
    #[cfg(not(test))]
    const MOST_SLOT_BYTES: usize = 1 << 30;
    #[cfg(test)]
    const MOST_SLOT_BYTES: usize = 64 << 20;

    /// The address space of one thread's slot, at least: where the process may not reserve that
    /// much (a limit on its address space, or valgrind's), there is no arena.
    const LEAST_SLOT_BYTES: usize = 16 << 20;

    /// How many threads get a slot; the others allocate their trees from jemalloc. With the
    /// slots' size, the region is 64 GiB of address space (shown as the process's virtual size).
    const SLOTS: usize = 64;

    /// The pages a thread keeps once its outermost arena is dropped, for the next file's tree;
    /// those above are given back to the system. Most trees take less.
    const KEEP_BYTES: usize = 2 << 20;

    /// The region every slot lies in: its start, and its length (0 until it is reserved, or when
    /// it could not be).
    static REGION_START: AtomicUsize = AtomicUsize::new(0);
    static REGION_BYTES: AtomicUsize = AtomicUsize::new(0);
    static SLOT_BYTES: AtomicUsize = AtomicUsize::new(0);
    static RESERVE: Once = Once::new();

    /// Whether the program's global allocator is [`crate::Allocator`], which alone fills arenas:
    /// not known until the first arena is entered.
    static INSTALLED: AtomicU8 = AtomicU8::new(UNKNOWN);
    const UNKNOWN: u8 = 0;
    const IS_INSTALLED: u8 = 1;
    const NOT_INSTALLED: u8 = 2;
    static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

    /// A thread's slot and where it stands. Read on every allocation the thread makes, so it is
    /// a plain value (no destructor, no lazy initialization) and `filling` is the first test.
    #[derive(Copy, Clone)]
    struct Slot {
        /// Whether the thread's allocations go to the arena now.
        filling: bool,
        /// Whether one that should have did not fit and went to jemalloc.
        spilled: bool,
        /// The next free byte, the end of the slot, and the end of the pages written so far.
        top: usize,
        end: usize,
        touched: usize,
        /// The start of the slot: 0 until the thread enters its first arena.
        start: usize,
    }

    impl Slot {
        const NONE: Slot = Slot {
            filling: false,
            spilled: false,
            top: 0,
            end: 0,
            touched: 0,
            start: 0,
        };
    }

    thread_local! {
        static SLOT: Cell<Slot> = const { Cell::new(Slot::NONE) };
        /// Gives the slot back when the thread ends (see [`Claim`]).
        static CLAIM: Claim = const { Claim };
    }

    /// The slots of threads that have ended, for the next threads to claim.
    static FREED_SLOTS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

    /// A thread's claim on its slot, dropped when the thread ends: the slot's pages go back to
    /// the system and its address space to the next thread that enters an arena.
    struct Claim;

    impl Drop for Claim {
        fn drop(&mut self) {
            let slot = SLOT.replace(Slot::NONE);
            if slot.start == 0 {
                return;
            }
            // SAFETY: the pages lie in this thread's slot, and the thread is ending: no arena of
            // it is open.
            unsafe {
                libc::madvise(
                    slot.start as *mut libc::c_void,
                    slot.touched - slot.start,
                    libc::MADV_DONTNEED,
                );
            }
            FREED_SLOTS
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(slot.start);
        }
    }

    /// Where a thread's arena starts, moved back to when it is dropped.
    pub struct Arena {
        mark: usize,
        spilled: Cell<bool>,
        /// An arena belongs to the thread whose slot it marks.
        _thread: PhantomData<*const ()>,
    }

    impl Arena {
        /// An arena above what this thread's open arenas hold, or `None` where there is none:
        /// the program's allocator is not [`crate::Allocator`], no address space could be
        /// reserved, or every slot is taken.
        pub fn enter() -> Option<Arena> {
            if INSTALLED.load(Ordering::Relaxed) == NOT_INSTALLED {
                return None;
            }
            let mut slot = SLOT.get();
            if slot.start == 0 {
                slot.start = claim_slot()?;
                slot.top = slot.start;
                slot.touched = slot.start;
                slot.end = slot.start + SLOT_BYTES.load(Ordering::Relaxed);
                SLOT.set(slot);
            }
            let arena = Arena {
                mark: slot.top,
                spilled: Cell::new(false),
                _thread: PhantomData,
            };
            if INSTALLED.load(Ordering::Relaxed) == UNKNOWN {
                // Only `crate::Allocator` fills arenas: is it the program's? (The probe goes with
                // the arena, which leaves the top where it was.)
                let installed = arena.fill(|| {
                    let probe = Box::new(0u8);
                    owns(&*probe as *const u8 as *mut u8)
                });
                INSTALLED.store(
                    if installed {
                        IS_INSTALLED
                    } else {
                        NOT_INSTALLED
                    },
                    Ordering::Relaxed,
                );
                drop(arena);
                return Arena::enter();
            }
            Some(arena)
        }

        /// Runs `make` with every allocation of this thread going to the arena, as long as it
        /// has room.
        pub fn fill<R>(&self, make: impl FnOnce() -> R) -> R {
            struct Filling<'a>(&'a Arena);
            impl Drop for Filling<'_> {
                fn drop(&mut self) {
                    let mut slot = SLOT.get();
                    if slot.spilled {
                        self.0.spilled.set(true);
                    }
                    slot.filling = false;
                    slot.spilled = false;
                    SLOT.set(slot);
                }
            }
            let mut slot = SLOT.get();
            assert!(!slot.filling, "arenas are filled one at a time");
            slot.filling = true;
            slot.spilled = false;
            SLOT.set(slot);
            let _filling = Filling(self);
            make()
        }

        /// Whether something `fill` allocated went to jemalloc: it must then be freed the usual
        /// way, by dropping what holds it.
        pub fn spilled(&self) -> bool {
            self.spilled.get()
        }
    }

    impl Drop for Arena {
        fn drop(&mut self) {
            let mut slot = SLOT.get();
            slot.top = self.mark;
            // The outermost arena gives back the pages above what the next file will likely use.
            let keep = slot.start + KEEP_BYTES;
            if self.mark == slot.start && slot.touched > keep {
                // SAFETY: the pages lie in this thread's slot, above every open arena: nothing
                // refers to them any more.
                unsafe {
                    libc::madvise(
                        keep as *mut libc::c_void,
                        slot.touched - keep,
                        libc::MADV_DONTNEED,
                    );
                }
                slot.touched = keep;
            }
            SLOT.set(slot);
        }
    }

    /// A slot of the region for this thread, reserving the region first if need be.
    fn claim_slot() -> Option<usize> {
        // Fails only while the thread ends: it then has no slot to give back.
        CLAIM.try_with(|_| ()).ok()?;
        let freed = FREED_SLOTS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        if freed.is_some() {
            return freed;
        }
        // As much address space as the process may reserve, up to the most each slot takes.
        RESERVE.call_once(|| {
            let mut slot_bytes = MOST_SLOT_BYTES;
            while slot_bytes >= LEAST_SLOT_BYTES {
                let bytes = slot_bytes * SLOTS;
                // SAFETY: a new private mapping, at an address the kernel chooses; no pages are
                // committed until written (`MAP_NORESERVE`).
                let start = unsafe {
                    libc::mmap(
                        std::ptr::null_mut(),
                        bytes,
                        libc::PROT_READ | libc::PROT_WRITE,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                        -1,
                        0,
                    )
                };
                if start != libc::MAP_FAILED {
                    SLOT_BYTES.store(slot_bytes, Ordering::Relaxed);
                    REGION_START.store(start as usize, Ordering::Relaxed);
                    REGION_BYTES.store(bytes, Ordering::Release);
                    return;
                }
                slot_bytes /= 2;
            }
        });
        let bytes = REGION_BYTES.load(Ordering::Acquire);
        let index = NEXT_SLOT.fetch_add(1, Ordering::Relaxed);
        (bytes > 0 && index < SLOTS).then(|| {
            REGION_START.load(Ordering::Relaxed) + index * SLOT_BYTES.load(Ordering::Relaxed)
        })
    }

    /// Memory for `layout` from the arena being filled, if one is and it has room.
    #[inline]
    pub(crate) fn allocate(layout: Layout) -> Option<*mut u8> {
        let mut slot = SLOT.get();
        // What a panic allocates (its message, its payload) outlives the arena it unwinds.
        if !slot.filling || std::thread::panicking() {
            return None;
        }
        let start = (slot.top + layout.align() - 1) & !(layout.align() - 1);
        let end = start + layout.size();
        if end > slot.end {
            slot.spilled = true;
            SLOT.set(slot);
            return None;
        }
        slot.top = end;
        slot.touched = slot.touched.max(end);
        SLOT.set(slot);
        Some(start as *mut u8)
    }

    /// Whether this thread's allocations go to an arena now.
    #[inline]
    pub(crate) fn filling() -> bool {
        SLOT.get().filling
    }

    /// A block of the arena resized where it stands: shrunk, or grown when it is the arena's
    /// last block and the slot has room.
    #[inline]
    pub(crate) fn resize(memory: *mut u8, layout: Layout, new_size: usize) -> Option<*mut u8> {
        if new_size <= layout.size() {
            return Some(memory);
        }
        let mut slot = SLOT.get();
        let start = memory as usize;
        // The last block of this thread's slot: a block of another thread's ends elsewhere, or
        // at most where this slot starts.
        if !slot.filling
            || start < slot.start
            || start + layout.size() != slot.top
            || start + new_size > slot.end
        {
            return None;
        }
        slot.top = start + new_size;
        slot.touched = slot.touched.max(slot.top);
        SLOT.set(slot);
        Some(memory)
    }

    /// Whether `memory` lies in an arena: it is then never freed alone.
    #[inline]
    pub(crate) fn owns(memory: *mut u8) -> bool {
        let bytes = REGION_BYTES.load(Ordering::Acquire);
        (memory as usize).wrapping_sub(REGION_START.load(Ordering::Relaxed)) < bytes
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64")))]
mod no_arena {
    /// Without jemalloc there is no arena: trees are freed node by node.
    pub struct Arena(());

    impl Arena {
        pub fn enter() -> Option<Arena> {
            None
        }

        pub fn fill<R>(&self, make: impl FnOnce() -> R) -> R {
            make()
        }

        pub fn spilled(&self) -> bool {
            true
        }
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
mod tests {
    use super::bump::{owns, Arena};

    fn address<T: ?Sized>(value: &T) -> *mut u8 {
        value as *const T as *const u8 as *mut u8
    }

    #[test]
    fn only_what_is_filled_comes_from_the_arena() {
        let arena = Arena::enter().expect("a slot for this thread");
        let filled = arena.fill(|| Box::new([7u8; 64]));
        let outside = Box::new([7u8; 64]);
        assert!(owns(address(&*filled)));
        assert!(!owns(address(&*outside)));
        assert!(!arena.spilled());
        // Freeing a block of the arena alone does nothing; the arena frees it.
        drop(filled);
    }

    #[test]
    fn an_arena_dropped_is_reused_by_the_next() {
        let first = Arena::enter().unwrap();
        let block = address(&*first.fill(|| Box::new(1u64)));
        drop(first);
        let second = Arena::enter().unwrap();
        let again = second.fill(|| Box::new(2u64));
        assert_eq!(address(&*again), block);
        assert_eq!(*again, 2);
    }

    #[test]
    fn arenas_opened_inside_others_stack_on_them() {
        let outer = Arena::enter().unwrap();
        let kept = outer.fill(|| vec![1u32; 1000]);
        let inner = Arena::enter().unwrap();
        let nested = inner.fill(|| vec![2u32; 1000]);
        assert!(nested.as_ptr() as usize > kept.as_ptr() as usize);
        drop(inner);
        // The inner arena's memory is the outer's again; the outer's blocks are untouched.
        let overwritten = outer.fill(|| vec![3u32; 1000]);
        assert_eq!(overwritten.as_ptr() as usize, nested.as_ptr() as usize);
        std::mem::forget(nested);
        assert!(kept.iter().all(|&value| value == 1));
        assert!(overwritten.iter().all(|&value| value == 3));
    }

    #[test]
    fn blocks_grown_in_the_arena_keep_their_contents() {
        let arena = Arena::enter().unwrap();
        let (numbers, text) = arena.fill(|| {
            let mut numbers = Vec::new();
            let mut text = String::new();
            for number in 0..10_000u32 {
                numbers.push(number);
                text.push_str(&number.to_string());
            }
            numbers.shrink_to_fit();
            (numbers, text)
        });
        assert!(owns(numbers.as_ptr() as *mut u8) && owns(text.as_ptr() as *mut u8));
        assert!(numbers.iter().enumerate().all(|(i, &n)| i as u32 == n));
        let expected: String = (0..10_000u32).map(|n| n.to_string()).collect();
        assert_eq!(text, expected);
    }

    #[test]
    fn a_block_of_jemalloc_grown_while_filling_moves_into_the_arena() {
        let mut numbers: Vec<u64> = (0..100).collect();
        assert!(!owns(numbers.as_mut_ptr() as *mut u8));
        let arena = Arena::enter().unwrap();
        arena.fill(|| numbers.extend(100..1_000));
        assert!(owns(numbers.as_mut_ptr() as *mut u8));
        assert!(numbers.iter().enumerate().all(|(i, &n)| i as u64 == n));
        // Grown again after the filling, it leaves the arena.
        numbers.extend(1_000..100_000);
        assert!(!owns(numbers.as_mut_ptr() as *mut u8));
        assert!(numbers.iter().enumerate().all(|(i, &n)| i as u64 == n));
    }

    #[test]
    fn a_thread_that_ends_gives_its_slot_to_the_next() {
        let slot_of_a_thread = || {
            std::thread::spawn(|| {
                let arena = Arena::enter().unwrap();
                let block = address(&*arena.fill(|| Box::new(0u8)));
                block as usize
            })
            .join()
            .unwrap()
        };
        let first = slot_of_a_thread();
        // Other tests' threads may end meanwhile and give theirs back too: some thread of the
        // next few gets the first one's slot again.
        let again = (0..64)
            .map(|_| slot_of_a_thread())
            .any(|block| block == first);
        assert!(again);
    }

    #[test]
    fn zeroed_memory_is_zero_when_the_arena_is_reused() {
        let dirty = Arena::enter().unwrap();
        std::mem::forget(dirty.fill(|| vec![0xffu8; 4096]));
        drop(dirty);
        let reused = Arena::enter().unwrap();
        let zeroed = reused.fill(|| vec![0u8; 4096]);
        assert!(owns(zeroed.as_ptr() as *mut u8));
        assert!(zeroed.iter().all(|&byte| byte == 0));
    }

    #[test]
    fn what_does_not_fit_spills_into_jemalloc() {
        let arena = Arena::enter().unwrap();
        // Bigger than a test's slot (64 MiB).
        let big = arena.fill(|| vec![5u8; 80 << 20]);
        assert!(arena.spilled());
        assert!(!owns(big.as_ptr() as *mut u8));
        assert!(big.iter().all(|&byte| byte == 5));
        let small = arena.fill(|| Box::new(1u8));
        assert!(!arena.spilled() || owns(address(&*small)));
    }

    #[test]
    fn a_panic_while_filling_leaves_its_message_outside_the_arena() {
        let arena = Arena::enter().unwrap();
        // Known only at run time, so that the message is formatted when the panic happens.
        let line = std::hint::black_box(3);
        let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            arena.fill(|| panic!("the parser failed on line {line}"))
        }))
        .unwrap_err();
        drop(arena);
        let message = payload
            .downcast_ref::<String>()
            .expect("a formatted message");
        assert!(!owns(address(message.as_str())));
        assert_eq!(message, "the parser failed on line 3");
        // The thread fills arenas again afterwards.
        let again = Arena::enter().unwrap();
        assert!(owns(address(&*again.fill(|| Box::new(9u8)))));
    }
}
