//! EL4: garbage collection. Memory that the reference counts cannot free waits for the cyclic
//! collector; code that fights the collector, or leans on it, keeps memory longer than needed.

mod dataclass_without_slots;
mod finalizer_defined;
mod gc_collect_in_loop;
mod gc_disabled_without_enable;

pub use dataclass_without_slots::DATACLASS_WITHOUT_SLOTS;
pub use finalizer_defined::FINALIZER_DEFINED;
pub use gc_collect_in_loop::GC_COLLECT_IN_LOOP;
pub use gc_disabled_without_enable::GC_DISABLED_WITHOUT_ENABLE;
