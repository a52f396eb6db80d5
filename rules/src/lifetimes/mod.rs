//! EL3: references and lifetimes. Release a reference when it is no longer needed, and do not
//! keep objects alive by accident.

mod big_object_outlives_use;
mod growing_default_argument;
mod retained_traceback;

pub use big_object_outlives_use::BIG_OBJECT_OUTLIVES_USE;
pub use growing_default_argument::GROWING_DEFAULT_ARGUMENT;
pub use retained_traceback::RETAINED_TRACEBACK;
