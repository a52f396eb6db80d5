//! EL2: eager materialization. Generators and iterators produce values as they are needed
//! instead of holding them all at once.

mod list_comprehension_in_consumer;

pub use list_comprehension_in_consumer::LIST_COMPREHENSION_IN_CONSUMER;
