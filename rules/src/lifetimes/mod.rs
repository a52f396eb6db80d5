//! EL3: references and lifetimes. Release a reference when it is no longer needed, and do not
//! keep objects alive by accident.

mod big_object_outlives_use;
mod cache_decorators;
mod cached_method_keeps_self;
mod container_growth;
mod growing_default_argument;
mod import_time_big_load;
mod retained_traceback;
mod self_reference_cycle;
mod unbounded_cache;
mod unbounded_instance_container;
mod unbounded_module_container;

pub use big_object_outlives_use::BIG_OBJECT_OUTLIVES_USE;
pub use cached_method_keeps_self::CACHED_METHOD_KEEPS_SELF;
pub use growing_default_argument::GROWING_DEFAULT_ARGUMENT;
pub use import_time_big_load::IMPORT_TIME_BIG_LOAD;
pub use retained_traceback::RETAINED_TRACEBACK;
pub use self_reference_cycle::SELF_REFERENCE_CYCLE;
pub use unbounded_cache::UNBOUNDED_CACHE;
pub use unbounded_instance_container::UNBOUNDED_INSTANCE_CONTAINER;
pub use unbounded_module_container::UNBOUNDED_MODULE_CONTAINER;
