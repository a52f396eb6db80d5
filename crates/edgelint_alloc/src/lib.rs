//! The memory allocator of edgelint's programs: jemalloc on x86-64 Linux with glibc, the
//! system's allocator elsewhere.
//!
//! A run allocates and frees millions of small nodes per second, file after file, while the
//! summaries and findings it keeps stay scattered in between. glibc's allocator spent about a
//! sixth of a run on that; with jemalloc a run of the benchmark's real tree took 11 % less CPU
//! time (and the parse-only floor, which links this crate too, 10 % less).
//!
//! A program links it with `use edgelint_alloc as _;`.

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
mod jemalloc {
    #[global_allocator]
    static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
