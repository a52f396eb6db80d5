//! EL2: eager materialization. Generators and iterators produce values as they are needed
//! instead of holding them all at once.

mod list_comprehension_in_consumer;
mod materialize_for_len;
mod materialize_for_one_item;
mod materialized_range;
mod read_then_splitlines;
mod readlines_iteration;
mod single_use_list;
mod unbounded_http_body;
mod whole_file_read;

pub use list_comprehension_in_consumer::LIST_COMPREHENSION_IN_CONSUMER;
pub use materialize_for_len::MATERIALIZE_FOR_LEN;
pub use materialize_for_one_item::MATERIALIZE_FOR_ONE_ITEM;
pub use materialized_range::MATERIALIZED_RANGE;
pub use read_then_splitlines::READ_THEN_SPLITLINES;
pub use readlines_iteration::READLINES_ITERATION;
pub(crate) use single_use_list::single_use_iteration;
pub use single_use_list::SINGLE_USE_LIST;
pub use unbounded_http_body::UNBOUNDED_HTTP_BODY;
pub use whole_file_read::WHOLE_FILE_READ;
