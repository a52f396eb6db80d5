//! The table of library functions and methods whose results provenance knows.
//!
//! To teach edgelint a new API, add one row: its qualified name (as imports resolve it:
//! `numpy.zeros`, whatever the module was imported as) and what it returns. Methods are matched
//! by name, and some only on a receiver of a known kind.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use crate::provenance::{BigReason, ValueKind};

/// What a function returns, and what decides whether the result is big.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Returns {
    /// Always this kind and size.
    Small(ValueKind),
    Big(ValueKind, BigReason),
    /// `list(x)`, `sorted(x)`: a new collection of every element of the first argument, big
    /// when that argument is not a literal.
    Collection(ValueKind),
    /// `np.zeros(shape)`: big when the shape (the first argument, or all positional arguments
    /// for torch) is not a literal or holds many elements.
    Array(ValueKind, Shape),
    /// `np.asarray(x)`, `memoryview(x)`: big when the first argument is.
    Converted(ValueKind),
    /// `bytes(n)`: big when `n` is not a small literal.
    Sized(ValueKind),
    /// `open(path, mode)`: a text or binary file, from the mode.
    File,
    /// `json.loads(text)`: a whole document, big unless the text is known to be small (such as
    /// the output of `dumps` of an object in memory).
    Parsed,
}

#[derive(Copy, Clone, Debug)]
pub(crate) enum Shape {
    FirstArgument,
    AllPositional,
}

/// Functions by qualified name. Rows whose name ends in `*` match every name with that prefix.
#[rustfmt::skip]
pub(crate) static FUNCTIONS: &[(&str, Returns)] = &[
    // Builtins.
    ("builtins.open", Returns::File),
    ("io.open", Returns::File),
    ("builtins.list", Returns::Collection(ValueKind::List)),
    ("builtins.sorted", Returns::Collection(ValueKind::List)),
    ("builtins.tuple", Returns::Collection(ValueKind::Tuple)),
    ("builtins.set", Returns::Collection(ValueKind::Set)),
    ("builtins.frozenset", Returns::Collection(ValueKind::Set)),
    ("builtins.dict", Returns::Collection(ValueKind::Dict)),
    ("builtins.bytes", Returns::Sized(ValueKind::Bytes)),
    ("builtins.bytearray", Returns::Sized(ValueKind::Bytearray)),
    ("builtins.memoryview", Returns::Converted(ValueKind::Memoryview)),
    ("builtins.str", Returns::Small(ValueKind::Str)),
    ("builtins.range", Returns::Small(ValueKind::Range)),
    ("builtins.iter", Returns::Small(ValueKind::Iterator)),
    ("builtins.map", Returns::Small(ValueKind::Iterator)),
    ("builtins.filter", Returns::Small(ValueKind::Iterator)),
    ("builtins.zip", Returns::Small(ValueKind::Iterator)),
    ("builtins.enumerate", Returns::Small(ValueKind::Iterator)),
    ("builtins.reversed", Returns::Small(ValueKind::Iterator)),
    // Deserializers: `load` reads a whole file; `loads` parses a value.
    ("json.load", DESERIALIZED),
    ("json.loads", Returns::Parsed),
    ("pickle.load", DESERIALIZED),
    ("pickle.loads", Returns::Parsed),
    ("marshal.load", DESERIALIZED),
    ("marshal.loads", Returns::Parsed),
    // Serializers: as big as what they serialize.
    ("json.dumps", Returns::Converted(ValueKind::Str)),
    ("pickle.dumps", Returns::Converted(ValueKind::Bytes)),
    ("marshal.dumps", Returns::Converted(ValueKind::Bytes)),
    // numpy.
    ("numpy.load", Returns::Big(ValueKind::NdArray, BigReason::WholeRead)),
    ("numpy.fromfile", Returns::Big(ValueKind::NdArray, BigReason::WholeRead)),
    ("numpy.loadtxt", Returns::Big(ValueKind::NdArray, BigReason::WholeRead)),
    ("numpy.genfromtxt", Returns::Big(ValueKind::NdArray, BigReason::WholeRead)),
    ("numpy.zeros", Returns::Array(ValueKind::NdArray, Shape::FirstArgument)),
    ("numpy.ones", Returns::Array(ValueKind::NdArray, Shape::FirstArgument)),
    ("numpy.empty", Returns::Array(ValueKind::NdArray, Shape::FirstArgument)),
    ("numpy.full", Returns::Array(ValueKind::NdArray, Shape::FirstArgument)),
    ("numpy.arange", Returns::Array(ValueKind::NdArray, Shape::FirstArgument)),
    ("numpy.array", Returns::Converted(ValueKind::NdArray)),
    ("numpy.asarray", Returns::Converted(ValueKind::NdArray)),
    ("numpy.ascontiguousarray", Returns::Converted(ValueKind::NdArray)),
    ("numpy.copy", Returns::Converted(ValueKind::NdArray)),
    ("numpy.frombuffer", Returns::Converted(ValueKind::NdArray)),
    ("numpy.zeros_like", Returns::Converted(ValueKind::NdArray)),
    ("numpy.ones_like", Returns::Converted(ValueKind::NdArray)),
    ("numpy.empty_like", Returns::Converted(ValueKind::NdArray)),
    ("numpy.full_like", Returns::Converted(ValueKind::NdArray)),
    // PyTorch.
    ("torch.load", DESERIALIZED),
    ("torch.zeros", Returns::Array(ValueKind::Tensor, Shape::AllPositional)),
    ("torch.ones", Returns::Array(ValueKind::Tensor, Shape::AllPositional)),
    ("torch.empty", Returns::Array(ValueKind::Tensor, Shape::AllPositional)),
    ("torch.rand", Returns::Array(ValueKind::Tensor, Shape::AllPositional)),
    ("torch.randn", Returns::Array(ValueKind::Tensor, Shape::AllPositional)),
    ("torch.full", Returns::Array(ValueKind::Tensor, Shape::FirstArgument)),
    ("torch.tensor", Returns::Converted(ValueKind::Tensor)),
    ("torch.as_tensor", Returns::Converted(ValueKind::Tensor)),
    ("torch.from_numpy", Returns::Converted(ValueKind::Tensor)),
    // pandas.
    // A query's result: as many rows as the query selects, which nothing here shows.
    ("pandas.read_sql*", Returns::Big(ValueKind::DataFrame, BigReason::StreamRead)),
    ("pandas.read_*", Returns::Big(ValueKind::DataFrame, BigReason::WholeRead)),
    ("pandas.DataFrame", Returns::Converted(ValueKind::DataFrame)),
    // HTTP clients: the response; its body is read by the methods and attributes below.
    ("requests.get", HTTP_RESPONSE),
    ("requests.post", HTTP_RESPONSE),
    ("requests.put", HTTP_RESPONSE),
    ("requests.patch", HTTP_RESPONSE),
    ("requests.delete", HTTP_RESPONSE),
    ("requests.head", HTTP_RESPONSE),
    ("requests.request", HTTP_RESPONSE),
    ("httpx.get", HTTP_RESPONSE),
    ("httpx.post", HTTP_RESPONSE),
    ("httpx.put", HTTP_RESPONSE),
    ("httpx.patch", HTTP_RESPONSE),
    ("httpx.delete", HTTP_RESPONSE),
    ("httpx.request", HTTP_RESPONSE),
    ("urllib.request.urlopen", HTTP_RESPONSE),
    // Exceptions, tracebacks and frames.
    ("sys.exc_info", Returns::Small(ValueKind::ExcInfo)),
    ("sys.exception", Returns::Small(ValueKind::Exception)),
    ("sys._getframe", Returns::Small(ValueKind::Frame)),
    ("inspect.currentframe", Returns::Small(ValueKind::Frame)),
    ("inspect.stack", Returns::Small(ValueKind::Frame)),
    ("inspect.trace", Returns::Small(ValueKind::Frame)),
    ("inspect.getouterframes", Returns::Small(ValueKind::Frame)),
    ("inspect.getinnerframes", Returns::Small(ValueKind::Frame)),
];

const DESERIALIZED: Returns = Returns::Big(ValueKind::Unknown, BigReason::Deserialized);
const HTTP_RESPONSE: Returns = Returns::Small(ValueKind::HttpResponse);

/// What a method call returns, given its receiver's provenance.
#[derive(Copy, Clone, Debug)]
pub(crate) enum MethodReturns {
    /// `f.read()`: the whole content, unless a size is given. The kind follows the receiver
    /// (text file → str, binary file or HTTP response → bytes).
    WholeRead,
    /// A whole read of this kind (`readlines`, `read_text`, `read_bytes`), unless an argument
    /// limits it.
    WholeReadOf(ValueKind),
    /// Only on an HTTP response: its whole body parsed as JSON.
    ApiReply,
    /// A value of this kind as big as the receiver (`s.encode()`, `s.split()`).
    SameSizeAs(ValueKind),
    /// The receiver's own kind and size (`x.copy()`).
    SameAsReceiver,
    /// Always a small value of this kind (`sock.recv(n)`).
    Small(ValueKind),
}

#[rustfmt::skip]
pub(crate) static METHODS: &[(&str, MethodReturns)] = &[
    ("read", MethodReturns::WholeRead),
    ("readlines", MethodReturns::WholeReadOf(ValueKind::List)),
    ("read_text", MethodReturns::WholeReadOf(ValueKind::Str)),
    ("read_bytes", MethodReturns::WholeReadOf(ValueKind::Bytes)),
    ("json", MethodReturns::ApiReply),
    ("encode", MethodReturns::SameSizeAs(ValueKind::Bytes)),
    ("decode", MethodReturns::SameSizeAs(ValueKind::Str)),
    ("split", MethodReturns::SameSizeAs(ValueKind::List)),
    ("rsplit", MethodReturns::SameSizeAs(ValueKind::List)),
    ("splitlines", MethodReturns::SameSizeAs(ValueKind::List)),
    ("tolist", MethodReturns::SameSizeAs(ValueKind::List)),
        ("copy", MethodReturns::SameAsReceiver),
    ("recv", MethodReturns::Small(ValueKind::Bytes)),
];

/// Attributes of an HTTP response that hold its whole body.
#[rustfmt::skip]
pub(crate) static HTTP_BODY_ATTRIBUTES: &[(&str, ValueKind)] =
    &[("content", ValueKind::Bytes), ("text", ValueKind::Str)];

/// The first row of [`FUNCTIONS`] that matches `qualified_name`, as a scan of the table would
/// find it; found through an index, since provenance asks this of nearly every call.
pub(crate) fn function(qualified_name: &str) -> Option<Returns> {
    let index = FUNCTION_INDEX.get_or_init(FunctionIndex::new);
    let exact = index.exact.get(qualified_name).copied();
    let by_prefix = index
        .prefixes
        .iter()
        .find(|(_, prefix)| qualified_name.starts_with(prefix))
        .map(|(row, _)| *row);
    let row = match (exact, by_prefix) {
        (Some(exact), Some(by_prefix)) => exact.min(by_prefix),
        (row, None) | (None, row) => row?,
    };
    Some(FUNCTIONS[row].1)
}

static FUNCTION_INDEX: OnceLock<FunctionIndex> = OnceLock::new();

/// The rows of [`FUNCTIONS`]: each exact name's first row, and the prefix rows in order.
struct FunctionIndex {
    exact: HashMap<&'static str, usize>,
    prefixes: Vec<(usize, &'static str)>,
}

impl FunctionIndex {
    fn new() -> Self {
        let mut index = FunctionIndex {
            exact: HashMap::default(),
            prefixes: Vec::new(),
        };
        for (row, (name, _)) in FUNCTIONS.iter().enumerate() {
            match name.strip_suffix('*') {
                Some(prefix) => index.prefixes.push((row, prefix)),
                None => {
                    index.exact.entry(*name).or_insert(row);
                }
            }
        }
        index
    }
}

pub(crate) fn method(name: &str) -> Option<MethodReturns> {
    METHODS
        .iter()
        .find_map(|(method, returns)| (*method == name).then_some(*returns))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a scan of the table in order finds, which the index must agree with.
    fn scanned(qualified_name: &str) -> Option<String> {
        FUNCTIONS
            .iter()
            .find(|(name, _)| match name.strip_suffix('*') {
                Some(prefix) => qualified_name.starts_with(prefix),
                None => *name == qualified_name,
            })
            .map(|(_, returns)| format!("{returns:?}"))
    }

    #[test]
    fn the_function_index_finds_the_first_row_that_matches() {
        let mut asked: Vec<String> = FUNCTIONS
            .iter()
            .map(|(name, _)| name.replace('*', "_anything"))
            .collect();
        asked.extend(
            [
                "pandas.read_sql_query",
                "pandas.read_",
                "numpy",
                "builtins.opener",
            ]
            .map(String::from),
        );
        for name in &asked {
            assert_eq!(
                function(name).map(|returns| format!("{returns:?}")),
                scanned(name),
                "{name}"
            );
        }
        // `pandas.read_sql*` comes before `pandas.read_*`: a query streams, a file is read whole.
        assert!(matches!(
            function("pandas.read_sql_query"),
            Some(Returns::Big(ValueKind::DataFrame, BigReason::StreamRead))
        ));
        assert!(matches!(
            function("pandas.read_csv"),
            Some(Returns::Big(ValueKind::DataFrame, BigReason::WholeRead))
        ));
        assert!(function("pandas.to_csv").is_none());
    }
}
