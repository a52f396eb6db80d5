//! A program that keeps its own allocator (as the fuzz targets do) gets no arena, and what it
//! would have filled is allocated and freed as usual.

use edgelint_alloc::arena::Arena;

#[test]
fn a_program_with_another_allocator_gets_no_arena() {
    assert!(Arena::enter().is_none());
    // Asked again, on another thread, the answer stands.
    assert!(std::thread::spawn(|| Arena::enter().is_none())
        .join()
        .unwrap());
}
