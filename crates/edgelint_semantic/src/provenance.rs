//! Provenance: what kind of value an expression produces, when that is knowable, and whether
//! it is *big* (of unbounded size: a whole file, a deserialized document, an array with a
//! computed shape, a copy of every element of something).
//!
//! It is inferred from literals, constructors, the known APIs of [`crate::known_apis`]
//! (resolved through the module's imports) and local assignments. Unknown is always a safe
//! answer: no rule that needs a specific kind fires on it.

use std::collections::hash_map::Entry;

use ruff_python_ast::{self as ast, Expr, Number, Operator};

use crate::known_apis::{self, MethodReturns, Returns, Shape};
use crate::{BindingId, BindingKind, NodeRef, SemanticModel};
use edgelint_source::literal_text;
use ruff_python_ast::StmtFunctionDef;
use ruff_text_size::{Ranged, TextRange};

/// An array or repeated sequence with at least this many elements counts as big: 100,000
/// float64 values are 800 kB, a real share of a small device's memory.
pub const BIG_ELEMENT_COUNT: u64 = 100_000;

/// How many assignments deep a name's value is followed.
const MAX_DEPTH: u8 = 8;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Str,
    Bytes,
    Bytearray,
    List,
    Tuple,
    Set,
    Dict,
    Range,
    TextFile,
    BinaryFile,
    NdArray,
    DataFrame,
    Tensor,
    Memoryview,
    Iterator,
    HttpResponse,
    /// A caught exception (it holds its traceback).
    Exception,
    Traceback,
    /// A frame object, or a list of frame records.
    Frame,
    /// The `(type, value, traceback)` tuple of `sys.exc_info()`.
    ExcInfo,
    Unknown,
}

impl ValueKind {
    /// Slicing these makes a view, not a copy.
    pub fn is_view_on_slice(self) -> bool {
        matches!(
            self,
            ValueKind::NdArray | ValueKind::Tensor | ValueKind::DataFrame | ValueKind::Memoryview
        )
    }
}

/// Why a value is big, for messages.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BigReason {
    /// `f.read()`, `readlines()`, `read_text()` of a file named as data (`frames.bin`,
    /// `log_path`), `np.load`, `pd.read_csv`.
    WholeRead,
    /// `f.read()`, `readlines()`, `read_text()` of a file whose name does not tell what it
    /// holds: data, or a pid file, a key list, a small configuration.
    FileRead,
    /// `.read()` or `.readlines()` of an object not known to be a file or a response (a
    /// parameter, a captured stream): all it holds, of a size nothing shows.
    StreamRead,
    /// `json.loads(text)`, `pickle.loads(blob)` of text or bytes nothing is known of: a whole
    /// document, of a size nothing shows.
    ParsedText,
    /// `json.load`, `pickle.loads`, `torch.load`.
    Deserialized,
    /// An array or tensor with a computed or large shape.
    LargeArray,
    /// A comprehension or `list()`/`sorted()`/… of every element of something.
    Materialized,
    /// `[x] * n`, `bytes(n)`.
    Repeated,
    /// An HTTP response's whole body.
    HttpBody,
    /// An HTTP response's whole body parsed as JSON (`.json()`): an API's reply, which the
    /// program asked for, rather than data (its size is not known).
    ApiReply,
    /// Data read on every pass of a loop (`while chunk := sock.recv(4096)`): as many passes
    /// as the data has chunks.
    ReadEachPass,
    /// An instance of a machine-learning model: every weight of it.
    Model,
    /// Keys or elements new on every call (requests, messages, connections, times): a container
    /// grown with them has no size limit.
    UnboundedKeys,
    /// A long-lived object's list appended to on every pass of its serving loop.
    GrownEveryPass,
}

impl BigReason {
    /// What the value is, as a noun phrase.
    pub fn describe(self) -> &'static str {
        match self {
            BigReason::WholeRead | BigReason::FileRead => "the whole content of a file",
            BigReason::StreamRead => "everything a stream holds",
            BigReason::ParsedText => "a whole document parsed from text",
            BigReason::Deserialized => "a whole deserialized document",
            BigReason::LargeArray => "an array of computed size",
            BigReason::Materialized => "a collection of every element of its source",
            BigReason::Repeated => "a buffer of computed size",
            BigReason::HttpBody => "a whole HTTP response body",
            BigReason::ApiReply => "a whole JSON reply of an HTTP API",
            BigReason::ReadEachPass => "a loop that runs once per chunk of data",
            BigReason::Model => {
                "a model object with everything it holds (weights, buffers, submodules)"
            }
            BigReason::UnboundedKeys => {
                "a new entry for every request, message, connection or time it is keyed by"
            }
            BigReason::GrownEveryPass => "a new element on every pass of the serving loop",
        }
    }

    /// How the data got there, said at the place it comes from: "read here".
    pub fn origin_phrase(self) -> &'static str {
        match self {
            BigReason::WholeRead | BigReason::FileRead | BigReason::StreamRead => "read from here",
            BigReason::Deserialized => "loaded here",
            BigReason::ParsedText => "parsed here",
            BigReason::LargeArray | BigReason::Repeated => "made here",
            BigReason::Materialized => "built here",
            BigReason::HttpBody | BigReason::ApiReply => "received here",
            BigReason::ReadEachPass => "read here on every pass",
            BigReason::Model => "defined here",
            BigReason::UnboundedKeys => "taken here",
            BigReason::GrownEveryPass => "appended here",
        }
    }
}

/// Where a value's data comes from: the evidence a finding shows for it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// An expression of this module: the call that opens, reads, loads or receives the data.
    Here(TextRange),
    /// A place in another module of the project (see
    /// [`SemanticModel::project_evidence`]).
    Project(u32),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub kind: ValueKind,
    /// Why the value is big, or `None` when it is not known to be.
    pub big: Option<BigReason>,
    /// Where its data comes from, when that is known.
    pub origin: Option<Origin>,
}

impl Provenance {
    pub const UNKNOWN: Provenance = Provenance::small(ValueKind::Unknown);

    pub const fn small(kind: ValueKind) -> Self {
        Provenance {
            kind,
            big: None,
            origin: None,
        }
    }

    pub const fn big(kind: ValueKind, reason: BigReason) -> Self {
        Provenance {
            kind,
            big: Some(reason),
            origin: None,
        }
    }

    /// Big for `reason`, with the data of `source` (and so its origin).
    fn big_from(kind: ValueKind, reason: BigReason, source: Provenance) -> Self {
        Provenance {
            origin: source.origin,
            ..Provenance::big(kind, reason)
        }
    }

    pub fn is_big(&self) -> bool {
        self.big.is_some()
    }

    fn with_kind(self, kind: ValueKind) -> Self {
        Provenance { kind, ..self }
    }
}

impl SemanticModel<'_> {
    /// What `expr` produces, as far as the module tells.
    pub fn provenance(&self, expr: &Expr) -> Provenance {
        infer(self, expr, MAX_DEPTH)
    }

    /// What `call` produces: [`provenance`](Self::provenance) for a call the caller has only as
    /// an [`ast::ExprCall`], without building an [`Expr`] around a copy of it.
    pub fn call_provenance(&self, call: &ast::ExprCall) -> Provenance {
        // What `infer` does for an `Expr::Call`, one level down.
        call_provenance(self, call, MAX_DEPTH - 1)
    }

    /// What a call to `function`, a function of this module, returns.
    pub fn returned_by(&self, function: &StmtFunctionDef) -> Provenance {
        returned_by(self, function)
    }
}

fn infer(model: &SemanticModel, expr: &Expr, depth: u8) -> Provenance {
    let Some(depth) = depth.checked_sub(1) else {
        return Provenance::UNKNOWN;
    };
    match expr {
        Expr::StringLiteral(_) | Expr::FString(_) => Provenance::small(ValueKind::Str),
        Expr::BytesLiteral(_) => Provenance::small(ValueKind::Bytes),
        Expr::List(_) => Provenance::small(ValueKind::List),
        Expr::Tuple(_) => Provenance::small(ValueKind::Tuple),
        Expr::Set(_) => Provenance::small(ValueKind::Set),
        Expr::Dict(_) => Provenance::small(ValueKind::Dict),
        Expr::ListComp(comp) => comprehension(model, ValueKind::List, &comp.generators, depth),
        Expr::SetComp(comp) => comprehension(model, ValueKind::Set, &comp.generators, depth),
        Expr::DictComp(comp) => comprehension(model, ValueKind::Dict, &comp.generators, depth),
        Expr::Generator(_) => Provenance::small(ValueKind::Iterator),
        Expr::BinOp(binop) if binop.op == Operator::Mult => repetition(model, binop, depth),
        Expr::BinOp(binop) if binop.op == Operator::Add => {
            concatenation(model, &[&binop.left, &binop.right], depth)
        }
        // `a or b` and `a if c else b` are one of their operands.
        Expr::BoolOp(boolop) => one_of(model, boolop.values.iter(), depth),
        Expr::If(conditional) => one_of(
            model,
            [&*conditional.body, &*conditional.orelse].into_iter(),
            depth,
        ),
        Expr::Name(name) => name_provenance(model, name, depth),
        Expr::Call(call) => call_provenance(model, call, depth),
        Expr::Attribute(attribute) => attribute_provenance(model, attribute, depth),
        Expr::Subscript(subscript) => subscript_provenance(model, subscript, depth),
        _ => Provenance::UNKNOWN,
    }
}

fn name_provenance(model: &SemanticModel, name: &ast::ExprName, depth: u8) -> Provenance {
    match model.binding_of(name) {
        Some(binding) => binding_provenance(model, binding, depth),
        None => Provenance::UNKNOWN,
    }
}

/// What a binding holds.
fn binding_provenance(model: &SemanticModel, binding: BindingId, depth: u8) -> Provenance {
    let Some(depth) = depth.checked_sub(1) else {
        return Provenance::UNKNOWN;
    };
    let bound = model.binding(binding);
    if matches!(bound.kind, BindingKind::Parameter { .. }) {
        // Large when every caller in sight passes large data.
        if let Some(given) =
            model.parameter_from_callers(bound, |argument| infer(model, argument, depth))
        {
            return given;
        }
    }
    match &bound.kind {
        BindingKind::Assignment { value: Some(value) } | BindingKind::NamedExpr { value } => {
            infer(model, value, depth)
        }
        // `with open(p) as f` binds the file itself; other context managers may return anything.
        BindingKind::WithTarget { context } => {
            let context = infer(model, context, depth);
            match context.kind {
                ValueKind::TextFile | ValueKind::BinaryFile | ValueKind::HttpResponse => context,
                _ => Provenance::UNKNOWN,
            }
        }
        BindingKind::ExceptHandler => Provenance::small(ValueKind::Exception),
        // `data: bytes`: the kind the annotation names (of unknown size).
        BindingKind::Parameter {
            annotation: Some(annotation),
            ..
        } => Provenance::small(annotated_kind(model, annotation)),
        BindingKind::Parameter {
            annotation: None, ..
        } => Provenance::small(protocol_parameter_kind(model, bound)),
        // `cls, exc, tb = sys.exc_info()`: the part at the name's position.
        BindingKind::Assignment { value: None } => unpacked_provenance(model, bound, depth),
        // `acc += x` keeps the kind `acc` had (and only grows it).
        BindingKind::AugmentedAssignment {
            previous: Some(previous),
        } => binding_provenance(model, *previous, depth),
        _ => Provenance::UNKNOWN,
    }
}

fn call_provenance(model: &SemanticModel, call: &ast::ExprCall, depth: u8) -> Provenance {
    let result = call_result(model, call, depth);
    // Data that no argument or receiver brought in comes from the call itself.
    let brings_data = result.big.is_some()
        || matches!(
            result.kind,
            ValueKind::TextFile | ValueKind::BinaryFile | ValueKind::HttpResponse
        );
    if brings_data && result.origin.is_none() {
        Provenance {
            origin: Some(Origin::Here(call.range())),
            ..result
        }
    } else {
        result
    }
}

/// Why a whole `.read()` or `.readlines()` of a receiver of `kind` is big: a file's or a
/// response's content, or a stream's of unknown origin.
fn stream_read(kind: ValueKind) -> BigReason {
    match kind {
        ValueKind::TextFile | ValueKind::BinaryFile | ValueKind::HttpResponse => {
            BigReason::WholeRead
        }
        _ => BigReason::StreamRead,
    }
}

/// What a whole read of a receiver of `kind` gives.
fn receiver_content_kind(returns: MethodReturns, kind: ValueKind) -> ValueKind {
    match (returns, kind) {
        (MethodReturns::WholeReadOf(kind), _) => kind,
        (_, ValueKind::TextFile) => ValueKind::Str,
        (_, ValueKind::BinaryFile | ValueKind::HttpResponse) => ValueKind::Bytes,
        _ => ValueKind::Unknown,
    }
}

/// Whether `call` reads or loads a whole configuration file (`open("app.toml").read()`,
/// `json.load(open("settings.json"))`): a small value, by construction.
pub fn reads_config_file(model: &SemanticModel, call: &ast::ExprCall) -> bool {
    let source = match &*call.func {
        Expr::Attribute(method)
            if matches!(
                known_apis::method(method.attr.as_str()),
                Some(MethodReturns::WholeRead | MethodReturns::WholeReadOf(_))
            ) =>
        {
            &*method.value
        }
        _ => match model
            .resolve(&call.func)
            .and_then(|name| known_apis::function(name.as_str()))
        {
            Some(Returns::Big(kind, BigReason::Deserialized | BigReason::WholeRead))
                if !is_table_or_array(kind) =>
            {
                match call.arguments.args.first() {
                    Some(first) => first,
                    None => return false,
                }
            }
            _ => return false,
        },
    };
    names_config_file(model, source, MAX_DEPTH)
}

/// Whether `call` parses the text or bytes it is handed into a document (`json.loads(text)`,
/// `reply.ParseFromString(data)`, `parser.parse(text)`).
fn parses(model: &SemanticModel, call: &ast::ExprCall) -> bool {
    let parsing_method = matches!(&*call.func, Expr::Attribute(method)
        if method.attr.to_ascii_lowercase().starts_with("parse"));
    parsing_method
        || model
            .resolve(&call.func)
            .and_then(|name| known_apis::function(name.as_str()))
            .is_some_and(|returns| matches!(returns, Returns::Parsed))
}

impl SemanticModel<'_> {
    /// Whether every read of `binding` is the text or bytes a parser is handed
    /// (`text = response.content.decode()`, then `json.loads(text)`): a body received only to
    /// be parsed is the reply of an API, as `.json()` would be.
    pub fn only_parsed(&self, binding: BindingId) -> bool {
        let references = self.references_of(binding);
        !references.is_empty()
            && references.iter().all(|reference| {
                let read = self.reference(*reference).node;
                self.parent(read).is_some_and(|parent| {
                    matches!(self.node(parent), NodeRef::Expr(Expr::Call(call))
                        if call.arguments.args.first().is_some_and(|first| {
                            first.range() == self.node(read).range()
                        }) && parses(self, call))
                })
            })
    }
}

/// A data frame, an array or a tensor: data, whatever file it was read from.
fn is_table_or_array(kind: ValueKind) -> bool {
    matches!(
        kind,
        ValueKind::DataFrame | ValueKind::NdArray | ValueKind::Tensor
    )
}

/// Whether `expr` is, or opens, a file named as data (see [`names_data_file`]).
pub fn is_data_file(model: &SemanticModel, expr: &Expr) -> bool {
    names_data_file(model, expr, MAX_DEPTH)
}

/// Suffixes of files that hold data: tables, logs, recordings, arrays, media, archives.
const DATA_SUFFIXES: &[&str] = &[
    ".csv", ".tsv", ".log", ".jsonl", ".ndjson", ".bin", ".dat", ".raw", ".npy", ".npz",
    ".parquet", ".h5", ".hdf5", ".pkl", ".pickle", ".pt", ".pth", ".onnx", ".tflite", ".wav",
    ".mp3", ".flac", ".ogg", ".mp4", ".avi", ".mkv", ".mov", ".jpg", ".jpeg", ".png", ".bmp",
    ".tif", ".tiff", ".gz", ".bz2", ".xz", ".zst", ".zip", ".tar", ".sqlite", ".db", ".pcap",
];

/// Words in a path's name, or in the name of what holds it, that say the file holds data.
const DATA_WORDS: &[&str] = &[
    "data",
    "dataset",
    "datasets",
    "log",
    "logs",
    "logfile",
    "csv",
    "tsv",
    "sample",
    "samples",
    "record",
    "records",
    "recording",
    "recordings",
    "frame",
    "frames",
    "video",
    "videos",
    "image",
    "images",
    "img",
    "audio",
    "wav",
    "dump",
    "dumps",
    "export",
    "shard",
    "shards",
    "corpus",
    "capture",
    "captures",
    "payload",
    "upload",
    "uploads",
    "blob",
    "blobs",
    "events",
    "readings",
    "measurements",
    "telemetry",
    "train",
    "training",
    "weights",
    "checkpoint",
    "archive",
    "backup",
    "db",
    "database",
];

/// Whether `expr` is, or opens, a file that its name says holds data: a literal path with a
/// data suffix (`frames.bin`) or words (`data/readings.txt`), or a name, attribute or key
/// with such words (`log_path`, `self.data_file`, `args.dataset`, `config["dataset"]`).
fn names_data_file(model: &SemanticModel, expr: &Expr, depth: u8) -> bool {
    let Some(depth) = depth.checked_sub(1) else {
        return false;
    };
    let names = |expr: &Expr| names_data_file(model, expr, depth);
    match expr {
        Expr::StringLiteral(literal) => is_data_path(&literal_text(&literal.value)),
        Expr::FString(fstring) => fstring.value.f_strings().any(|part| {
            part.elements.iter().any(|element| match element {
                ast::InterpolatedStringElement::Literal(literal) => is_data_path(&literal.value),
                ast::InterpolatedStringElement::Interpolation(interpolation) => {
                    names(&interpolation.expression)
                }
            })
        }),
        Expr::BinOp(ast::ExprBinOp { left, right, .. }) => names(left) || names(right),
        Expr::Call(call) if model.resolves_to(&call.func, &["os.path.join"]) => {
            call.arguments.args.iter().any(names)
        }
        // `open(path)`, `Path(path)`, `os.path.expanduser(path)`, `path.open()`.
        Expr::Call(call) => {
            call.arguments.args.first().is_some_and(names)
                || matches!(&*call.func, Expr::Attribute(method)
                    if matches!(method.attr.as_str(), "open" | "joinpath" | "with_suffix")
                        && names(&method.value))
        }
        Expr::Attribute(attribute) => {
            has_data_word(attribute.attr.as_str()) || names(&attribute.value)
        }
        Expr::Subscript(subscript) => match &*subscript.slice {
            Expr::StringLiteral(key) => has_data_word(&literal_text(&key.value)),
            _ => names(&subscript.value),
        },
        Expr::Name(name) => {
            has_data_word(name.id.as_str())
                || model
                    .binding_of(name)
                    .is_some_and(|id| match &model.binding(id).kind {
                        BindingKind::Assignment { value: Some(value) }
                        | BindingKind::NamedExpr { value }
                        | BindingKind::WithTarget { context: value } => names(value),
                        BindingKind::Parameter {
                            default: Some(default),
                            ..
                        } => names(default),
                        _ => false,
                    })
        }
        _ => false,
    }
}

fn is_data_path(path: &str) -> bool {
    let lowered = path.to_ascii_lowercase();
    DATA_SUFFIXES.iter().any(|suffix| lowered.ends_with(suffix)) || has_data_word(path)
}

/// Whether an identifier or a path has a word from [`DATA_WORDS`]: `log_path`, `dataFile`,
/// `data/readings.txt`.
fn has_data_word(text: &str) -> bool {
    has_word_of(text, DATA_WORDS)
}

/// Words in the name of what holds a path or an address that say it names configuration:
/// `config_path`, `self.cfg_file`, `cluster_config_url`.
const CONFIG_WORDS: &[&str] = &[
    "config",
    "configs",
    "configuration",
    "cfg",
    "conf",
    "settings",
];

/// A constant (`CONF_DATA_PATH`) names a key of the configuration, not what it holds.
fn has_config_word(text: &str) -> bool {
    text.chars().any(|character| character.is_ascii_lowercase()) && has_word_of(text, CONFIG_WORDS)
}

/// Whether an identifier or a path has one of `words`, split at `_`, `/`, `.` and camel case.
fn has_word_of(text: &str, words_of: &[&str]) -> bool {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for character in text.chars() {
        if !character.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut word));
            previous_lower = false;
            continue;
        }
        if character.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = character.is_ascii_lowercase();
        word.push(character.to_ascii_lowercase());
    }
    words.push(word);
    words.iter().any(|word| words_of.contains(&word.as_str()))
}

/// Whether `expr` is, or opens, a configuration file named in the code (see
/// [`names_config_file`]).
pub fn is_config_file(model: &SemanticModel, expr: &Expr) -> bool {
    names_config_file(model, expr, MAX_DEPTH)
}

/// Suffixes of the files a program keeps its configuration in, and of its own source: read
/// whole, they are small.
const CONFIG_SUFFIXES: &[&str] = &[
    ".toml", ".ini", ".cfg", ".json", ".yaml", ".yml", ".env", ".py",
];

/// Functions that name the source file of a module, class or function.
const SOURCE_FILE_FUNCTIONS: &[&str] = &["inspect.getfile", "inspect.getsourcefile"];

/// Whether `expr` is, or opens, a file or an address named as configuration or as the
/// program's source: a literal path ending in a configuration suffix or `.py`, or under `/etc`,
/// `/proc` or `/sys` (`open("settings.toml")`, `Path(root) / "config.yaml"`,
/// `os.path.join(here, "app.cfg")`), a name or attribute that says configuration
/// (`config_path`, `urlopen(cluster_config_url)`), a module's `__file__`,
/// `inspect.getfile(module)`, or a name bound to one.
fn names_config_file(model: &SemanticModel, expr: &Expr, depth: u8) -> bool {
    let path = PathNamed {
        says: &is_config_path,
        named: &has_config_word,
        source: true,
    };
    path.holds(model, expr, depth)
}

/// What a path's literal text (`says`) and the names that hold it (`named`) must show for the
/// path to count; with `source`, the program's own source (`__file__`, `inspect.getfile()`)
/// counts too.
struct PathNamed<'s> {
    says: &'s dyn Fn(&str) -> bool,
    named: &'s dyn Fn(&str) -> bool,
    source: bool,
}

impl PathNamed<'_> {
    /// Whether the path `expr` ends in a name that says something of the file (a
    /// configuration suffix, `.npz`), judged by the literal text it ends with or the names that
    /// hold it: through names, `/`, `os.path.join`'s last part, `open(path)`, `Path(path)`,
    /// `path.open()`.
    fn holds(&self, model: &SemanticModel, expr: &Expr, depth: u8) -> bool {
        let Some(depth) = depth.checked_sub(1) else {
            return false;
        };
        let (says, named, source) = (self.says, self.named, self.source);
        let names = |expr: &Expr| self.holds(model, expr, depth);
        match expr {
            Expr::StringLiteral(literal) => says(&literal_text(&literal.value)),
            // `f"{root}/config.toml"`: the literal text it ends with.
            Expr::FString(fstring) => fstring
                .value
                .f_strings()
                .last()
                .and_then(|part| part.elements.last()?.as_literal())
                .is_some_and(|literal| says(&literal.value)),
            Expr::BinOp(ast::ExprBinOp {
                op: Operator::Div,
                right,
                ..
            }) => names(right),
            // `os.path.join(here, "app.cfg")`: the last part names the file.
            Expr::Call(call) if model.resolves_to(&call.func, &["os.path.join"]) => {
                call.arguments.args.last().is_some_and(names)
            }
            Expr::Call(call) if model.resolves_to(&call.func, SOURCE_FILE_FUNCTIONS) => source,
            // A value looked up under a key (`settings.get(CONF_DATA_PATH)`) is named by what
            // it holds, not by the key.
            Expr::Call(call) if matches!(&*call.func, Expr::Attribute(method) if method.attr.as_str() == "get") => {
                false
            }
            // `open(path)`, `Path(path)`, `path.open()`; not a directory taken from it.
            Expr::Call(call) => {
                !model.resolves_to(&call.func, &["os.path.dirname"])
                    && (call.arguments.args.iter().any(names)
                        || matches!(&*call.func, Expr::Attribute(method)
                        if matches!(method.attr.as_str(), "open" | "joinpath" | "with_suffix")
                            && names(&method.value)))
            }
            Expr::Name(name) if name.id.as_str() == "__file__" => source,
            Expr::Attribute(attribute) if attribute.attr.as_str() == "__file__" => source,
            Expr::Attribute(attribute) => named(attribute.attr.as_str()),
            Expr::Name(name) if named(name.id.as_str()) => true,
            Expr::Name(name) => {
                model
                    .binding_of(name)
                    .is_some_and(|id| match &model.binding(id).kind {
                        BindingKind::Assignment { value: Some(value) }
                        | BindingKind::NamedExpr { value }
                        | BindingKind::WithTarget { context: value } => names(value),
                        _ => false,
                    })
            }
            _ => false,
        }
    }
}

fn is_config_path(path: &str) -> bool {
    let lowered = path.to_ascii_lowercase();
    CONFIG_SUFFIXES
        .iter()
        .any(|suffix| lowered.ends_with(suffix))
        || ["/etc/", "/proc/", "/sys/"]
            .iter()
            .any(|root| lowered.starts_with(root))
}

/// `io.BytesIO(...)` or `io.StringIO(...)`, or a name bound once to one.
fn is_memory_buffer(model: &SemanticModel, expr: &Expr) -> bool {
    memory_buffer(model, expr).is_some()
}

/// The call that made the in-memory buffer `expr` is: `io.BytesIO(...)` or `io.StringIO(...)`,
/// or a name bound once to one.
pub(crate) fn memory_buffer<'a>(
    model: &SemanticModel<'a>,
    expr: &'a Expr,
) -> Option<&'a ast::ExprCall> {
    let made_by_io = |expr: &'a Expr| match expr {
        Expr::Call(call) if model.resolves_to(&call.func, &["io.BytesIO", "io.StringIO"]) => {
            Some(call)
        }
        _ => None,
    };
    match expr {
        Expr::Name(name) => {
            let id = model.binding_of(name)?;
            let BindingKind::Assignment { value: Some(value) } = model.binding(id).kind else {
                return None;
            };
            made_by_io(value).filter(|_| model.is_only_binding(id))
        }
        _ => made_by_io(expr),
    }
}

fn call_result(model: &SemanticModel, call: &ast::ExprCall, depth: u8) -> Provenance {
    if let Some(name) = model.resolve(&call.func) {
        // `np.load("frames.npz")` opens a lazy archive: each array is read when asked for.
        if name.as_str() == "numpy.load"
            && call.arguments.args.first().is_some_and(|path| {
                let archive = PathNamed {
                    says: &|text| text.ends_with(".npz"),
                    named: &|_| false,
                    source: false,
                };
                archive.holds(model, path, depth)
            })
        {
            return Provenance::UNKNOWN;
        }
        // `np.fromfile(f, dtype, count)` reads `count` items, not the rest of the file.
        if name.as_str() == "numpy.fromfile"
            && (call.arguments.args.len() > 2 || call.arguments.find_keyword("count").is_some())
        {
            return Provenance::UNKNOWN;
        }
        if let Some(returns) = known_apis::function(name.as_str()) {
            return function_result(model, returns, call, depth);
        }
        if let Some(returned) = model.project_call(name.as_str()) {
            return returned;
        }
    }
    if let Some(function) = model.callee(&call.func) {
        return returned_by(model, function);
    }
    let Expr::Attribute(attribute) = &*call.func else {
        return Provenance::UNKNOWN;
    };
    let Some(returns) = known_apis::method(attribute.attr.as_str()) else {
        return Provenance::UNKNOWN;
    };
    // An in-memory buffer holds what the program wrote into it, not data read from outside.
    if matches!(
        returns,
        MethodReturns::WholeRead | MethodReturns::WholeReadOf(_)
    ) && is_memory_buffer(model, &attribute.value)
    {
        return Provenance::UNKNOWN;
    }
    let receiver = infer(model, &attribute.value, depth);
    let arguments = &call.arguments;
    let unlimited =
        arguments.args.is_empty() || arguments.args.first().is_some_and(is_unlimited_size);
    if matches!(
        returns,
        MethodReturns::WholeRead | MethodReturns::WholeReadOf(_)
    ) && names_config_file(model, &attribute.value, depth)
    {
        return Provenance::small(receiver_content_kind(returns, receiver.kind));
    }
    // A file is data when its name says so; any other file may be a pid file or a key list.
    // What a response reads is its body.
    let file_read = |reason: BigReason| match reason {
        BigReason::WholeRead if receiver.kind == ValueKind::HttpResponse => BigReason::HttpBody,
        BigReason::WholeRead if !names_data_file(model, &attribute.value, depth) => {
            BigReason::FileRead
        }
        reason => reason,
    };
    match returns {
        MethodReturns::WholeRead if unlimited => Provenance::big_from(
            receiver_content_kind(returns, receiver.kind),
            file_read(stream_read(receiver.kind)),
            receiver,
        ),
        MethodReturns::WholeRead => match receiver.kind {
            ValueKind::TextFile => Provenance::small(ValueKind::Str),
            ValueKind::BinaryFile | ValueKind::HttpResponse => Provenance::small(ValueKind::Bytes),
            _ => Provenance::UNKNOWN,
        },
        // `path.read_text()` reads a file by its path, whatever the receiver's kind shows.
        MethodReturns::WholeReadOf(kind) if unlimited => {
            let reason = match attribute.attr.as_str() {
                "readlines" => stream_read(receiver.kind),
                _ => BigReason::WholeRead,
            };
            Provenance::big_from(kind, file_read(reason), receiver)
        }
        MethodReturns::WholeReadOf(kind) => Provenance::small(kind),
        MethodReturns::ApiReply if receiver.kind == ValueKind::HttpResponse => {
            Provenance::big_from(ValueKind::Unknown, BigReason::ApiReply, receiver)
        }
        MethodReturns::ApiReply => Provenance::UNKNOWN,
        MethodReturns::SameSizeAs(kind) => receiver.with_kind(kind),
        MethodReturns::SameAsReceiver => receiver,
        MethodReturns::Small(kind) => Provenance::small(kind),
    }
}

/// What a call to a function of this module returns: the value every `return` returns, when
/// they agree (all big, or all of one kind). Worked out once per function (and per mode: while
/// the module is summarized, other modules are not asked), whatever the depth of the question
/// that asks: functions that return each other's results would otherwise cost exponential
/// time. A function that returns what a call back into itself returns is unknown there.
fn returned_by(model: &SemanticModel, function: &StmtFunctionDef) -> Provenance {
    let key = (function.start(), model.summarizing.get());
    {
        let mut known = model.returned.borrow_mut();
        // Every function's is asked when the module is summarized: room for all at once.
        if known.capacity() == 0 {
            known.reserve(model.scopes.len());
        }
        match known.entry(key) {
            Entry::Occupied(worked_out) => return worked_out.get().unwrap_or(Provenance::UNKNOWN),
            // Marked as being worked out: a call back into the function finds it so.
            Entry::Vacant(vacant) => vacant.insert(None),
        };
    }
    let returned = returns_agree(model, function);
    if let Some(slot) = model.returned.borrow_mut().get_mut(&key) {
        *slot = Some(returned);
    }
    returned
}

fn returns_agree(model: &SemanticModel, function: &StmtFunctionDef) -> Provenance {
    let depth = MAX_DEPTH;
    let Some(body) = model.scope_of(function) else {
        return Provenance::UNKNOWN;
    };
    let scope = model.scope(body);
    // A call to a coroutine function returns a coroutine, to a generator function a generator.
    if function.is_async {
        return Provenance::UNKNOWN;
    }
    if scope.is_generator {
        return Provenance::small(ValueKind::Iterator);
    }
    let mut returned = model
        .returns_of(body)
        .iter()
        .filter_map(|ret| ret.value.as_deref())
        .filter(|value| !value.is_none_literal_expr())
        .map(|value| infer(model, value, depth));
    let Some(first) = returned.next() else {
        return Provenance::UNKNOWN;
    };
    returned.fold(first, |shared, next| match (shared.big, next.big) {
        (Some(_), Some(_)) if shared.kind == next.kind => shared,
        (Some(_), Some(_)) => Provenance {
            kind: ValueKind::Unknown,
            ..shared
        },
        (None, None) if shared.kind == next.kind => shared,
        _ => Provenance::UNKNOWN,
    })
}

/// The kind a type annotation names: `bytes`, `list[int]`, `typing.List[str]`, `np.ndarray`.
/// Unions, optionals and string annotations are unknown.
/// What a name unpacked from a tuple-valued call holds, by its position: the parts of
/// `sys.exc_info()` (`cls, exc, tb = sys.exc_info()`).
fn unpacked_provenance(model: &SemanticModel, bound: &crate::Binding, depth: u8) -> Provenance {
    let Some(ast::Stmt::Assign(assign)) = bound.statement else {
        return Provenance::UNKNOWN;
    };
    let [Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. })] =
        &*assign.targets
    else {
        return Provenance::UNKNOWN;
    };
    let position = elts.iter().position(|target| target.range() == bound.range);
    match (infer(model, &assign.value, depth).kind, position) {
        (ValueKind::ExcInfo, Some(1)) => Provenance::small(ValueKind::Exception),
        (ValueKind::ExcInfo, Some(2)) => Provenance::small(ValueKind::Traceback),
        _ => Provenance::UNKNOWN,
    }
}

/// The kind of an unannotated parameter of a method whose signature a protocol fixes: the
/// exception and traceback `__exit__` is given, the exception `connection_lost` is.
fn protocol_parameter_kind(model: &SemanticModel, bound: &crate::Binding) -> ValueKind {
    let crate::ScopeKind::Function(function) = model.scope(bound.scope).kind else {
        return ValueKind::Unknown;
    };
    let position = function
        .parameters
        .args
        .iter()
        .position(|parameter| parameter.parameter.name.range() == bound.range);
    match (function.name.as_str(), position) {
        ("__exit__" | "__aexit__", Some(2)) | ("connection_lost", Some(1)) => ValueKind::Exception,
        ("__exit__" | "__aexit__", Some(3)) => ValueKind::Traceback,
        _ => ValueKind::Unknown,
    }
}

fn annotated_kind(model: &SemanticModel, annotation: &Expr) -> ValueKind {
    // `X | None` and `Optional[X]` say what X says.
    if let Expr::BinOp(union) = annotation {
        let named = if union.left.is_none_literal_expr() {
            &union.right
        } else {
            &union.left
        };
        return annotated_kind(model, named);
    }
    let named = match annotation {
        Expr::Subscript(generic) if model.resolves_to(&generic.value, &["typing.Optional"]) => {
            return annotated_kind(model, &generic.slice);
        }
        Expr::Subscript(generic) => &*generic.value,
        _ => annotation,
    };
    let Some(name) = model.resolve(named) else {
        return ValueKind::Unknown;
    };
    let last = name.as_str().rsplit('.').next().unwrap_or_default();
    if last == "BaseException" || last.ends_with("Error") || last.ends_with("Exception") {
        return ValueKind::Exception;
    }
    match name.as_str() {
        "types.TracebackType" => return ValueKind::Traceback,
        "types.FrameType" => return ValueKind::Frame,
        _ => {}
    }
    match name.as_str() {
        "builtins.str" => ValueKind::Str,
        "builtins.bytes" => ValueKind::Bytes,
        "builtins.bytearray" => ValueKind::Bytearray,
        "builtins.memoryview" => ValueKind::Memoryview,
        "builtins.list" | "typing.List" => ValueKind::List,
        "builtins.tuple" | "typing.Tuple" => ValueKind::Tuple,
        "builtins.dict" | "typing.Dict" => ValueKind::Dict,
        "builtins.set" | "builtins.frozenset" | "typing.Set" | "typing.FrozenSet" => ValueKind::Set,
        "numpy.ndarray" => ValueKind::NdArray,
        "torch.Tensor" => ValueKind::Tensor,
        "pandas.DataFrame" | "pandas.Series" => ValueKind::DataFrame,
        _ => ValueKind::Unknown,
    }
}

/// `read(-1)` and `read(None)` read everything, like `read()`.
fn is_unlimited_size(argument: &Expr) -> bool {
    match argument {
        Expr::NoneLiteral(_) => true,
        Expr::UnaryOp(unary) => {
            matches!(
                &*unary.operand,
                Expr::NumberLiteral(ast::ExprNumberLiteral {
                    value: Number::Int(_),
                    ..
                })
            ) && unary.op == ast::UnaryOp::USub
        }
        _ => false,
    }
}

fn function_result(
    model: &SemanticModel,
    returns: Returns,
    call: &ast::ExprCall,
    depth: u8,
) -> Provenance {
    let arguments = &call.arguments;
    let first = arguments.args.first();
    match returns {
        Returns::Small(kind) => Provenance::small(kind),
        // `json.load(open("settings.json"))`: a configuration, not a data set (but
        // `pd.read_json("rows.json")` is a table).
        Returns::Big(kind, BigReason::Deserialized | BigReason::WholeRead)
            if !is_table_or_array(kind)
                && first.is_some_and(|source| names_config_file(model, source, depth)) =>
        {
            Provenance::small(kind)
        }
        // `json.load(f)` of a file whose name does not say it holds data: a document of
        // unknown size (a tokenizer's settings, a key list), like a whole read of it.
        Returns::Big(kind, BigReason::Deserialized | BigReason::WholeRead)
            if !is_table_or_array(kind)
                && first.is_some_and(|source| !names_data_file(model, source, depth)) =>
        {
            Provenance::big(kind, BigReason::FileRead)
        }
        Returns::Big(kind, reason) => Provenance::big(kind, reason),
        Returns::Collection(kind) => match first {
            Some(iterable) => collection_of(model, kind, iterable, depth),
            None => Provenance::small(kind),
        },
        Returns::Array(kind, shape) => {
            let count = match shape {
                Shape::FirstArgument => first.and_then(literal_count),
                Shape::AllPositional if arguments.args.is_empty() => None,
                Shape::AllPositional => arguments
                    .args
                    .iter()
                    .map(literal_count)
                    .try_fold(1u64, |product, count| {
                        count.map(|count| product.saturating_mul(count))
                    }),
            };
            match count {
                Some(count) if count < BIG_ELEMENT_COUNT => Provenance::small(kind),
                _ => Provenance::big(kind, BigReason::LargeArray),
            }
        }
        Returns::Converted(kind) => match first {
            Some(source) => infer(model, source, depth).with_kind(kind),
            None => Provenance::small(kind),
        },
        // `bytes(text, "utf-8")` encodes a string: as big as the string.
        Returns::Sized(kind) if arguments.args.len() > 1 => match first {
            Some(source) => infer(model, source, depth).with_kind(kind),
            None => Provenance::small(kind),
        },
        Returns::Sized(kind) => match first {
            None => Provenance::small(kind),
            Some(size) => match literal_count(size) {
                Some(count) if count < BIG_ELEMENT_COUNT => Provenance::small(kind),
                Some(_) => Provenance::big(kind, BigReason::Repeated),
                // `bytes(n)` or a copy of another buffer: of unbounded size, unless the source
                // is known to be small.
                // A call's result of unknown size (`bytearray(encode(text))`) is a conversion.
                None => match infer(model, size, depth) {
                    Provenance {
                        kind: ValueKind::Unknown,
                        big: None,
                        ..
                    } if !size.is_call_expr() => Provenance::big(kind, BigReason::Repeated),
                    source => source.with_kind(kind),
                },
            },
        },
        // A document parsed from data read or received is that data, deserialized; one parsed
        // from bytes of unknown origin (a parameter, a message) is of a size nothing shows.
        Returns::Parsed => match first.map(|source| infer(model, source, depth)) {
            Some(Provenance {
                kind, big: None, ..
            }) if kind != ValueKind::Unknown => Provenance::small(ValueKind::Unknown),
            // Parsed from a file whose name does not say it holds data, or from a stream,
            // it is as unknown in size as its source was.
            Some(
                source @ Provenance {
                    big: Some(reason), ..
                },
            ) => {
                let reason = match reason {
                    BigReason::FileRead
                    | BigReason::StreamRead
                    | BigReason::ParsedText
                    | BigReason::ApiReply => reason,
                    _ => BigReason::Deserialized,
                };
                Provenance::big_from(ValueKind::Unknown, reason, source)
            }
            // Parsed from text nothing is known of (a tag, a dict's value, a parameter).
            _ => Provenance::big(ValueKind::Unknown, BigReason::ParsedText),
        },
        Returns::File => {
            let mode = arguments
                .args
                .get(1)
                .or_else(|| arguments.find_keyword("mode").map(|keyword| &keyword.value));
            match mode {
                None => Provenance::small(ValueKind::TextFile),
                Some(Expr::StringLiteral(mode)) if literal_text(&mode.value).contains('b') => {
                    Provenance::small(ValueKind::BinaryFile)
                }
                Some(Expr::StringLiteral(_)) => Provenance::small(ValueKind::TextFile),
                Some(_) => Provenance::UNKNOWN,
            }
        }
    }
}

fn attribute_provenance(
    model: &SemanticModel,
    attribute: &ast::ExprAttribute,
    depth: u8,
) -> Provenance {
    let name = attribute.attr.as_str();
    if name == "__traceback__" || name == "tb_next" {
        return Provenance::small(ValueKind::Traceback);
    }
    if name == "tb_frame" || name == "f_back" {
        return Provenance::small(ValueKind::Frame);
    }
    let Some(kind) = known_apis::HTTP_BODY_ATTRIBUTES
        .iter()
        .find_map(|(body, kind)| (*body == name).then_some(*kind))
    else {
        return Provenance::UNKNOWN;
    };
    if infer(model, &attribute.value, depth).kind == ValueKind::HttpResponse {
        Provenance::big(kind, BigReason::HttpBody)
    } else {
        Provenance::UNKNOWN
    }
}

fn subscript_provenance(
    model: &SemanticModel,
    subscript: &ast::ExprSubscript,
    depth: u8,
) -> Provenance {
    let base = infer(model, &subscript.value, depth);
    if let Expr::Slice(slice) = &*subscript.slice {
        // A slice keeps the kind. An unbounded one is as big as its base; a bounded one has the
        // size its author chose.
        return if is_unbounded_slice(slice) {
            base
        } else {
            Provenance::small(base.kind)
        };
    }
    match (base.kind, literal_count(&subscript.slice)) {
        (ValueKind::ExcInfo, Some(1)) => Provenance::small(ValueKind::Exception),
        (ValueKind::ExcInfo, Some(2)) => Provenance::small(ValueKind::Traceback),
        _ => Provenance::UNKNOWN,
    }
}

/// A comprehension is big when its first iterable is not a literal.
fn comprehension(
    model: &SemanticModel,
    kind: ValueKind,
    generators: &[ast::Comprehension],
    depth: u8,
) -> Provenance {
    match generators.first() {
        Some(generator) => collection_of(model, kind, &generator.iter, depth),
        None => Provenance::small(kind),
    }
}

/// A new collection of every element of `source`: as big as a big source (for the same
/// reason), big of unknown size when the source is not a literal, small otherwise.
fn collection_of(model: &SemanticModel, kind: ValueKind, source: &Expr, depth: u8) -> Provenance {
    if is_literal_iterable(model, source) {
        return Provenance::small(kind);
    }
    let source = infer(model, source, depth);
    match source.big {
        Some(reason) => Provenance::big_from(kind, reason, source),
        None => Provenance::big(kind, BigReason::Materialized),
    }
}

/// `[x] * n`, `b"\0" * n`: a sequence repeated a computed or large number of times.
/// The kind shared by every operand that the expression may be, when they share one.
fn one_of<'e>(
    model: &SemanticModel,
    mut operands: impl Iterator<Item = &'e Expr>,
    depth: u8,
) -> Provenance {
    let Some(first) = operands.next().map(|operand| infer(model, operand, depth)) else {
        return Provenance::UNKNOWN;
    };
    operands
        .try_fold(first, |shared, operand| {
            let next = infer(model, operand, depth);
            (next.kind == shared.kind).then_some(if shared.big.is_some() { shared } else { next })
        })
        .filter(|shared| shared.kind != ValueKind::Unknown)
        .unwrap_or(Provenance::UNKNOWN)
}

/// `a + b` of two sequences of the same builtin kind is one of that kind.
fn concatenation(model: &SemanticModel, operands: &[&Expr], depth: u8) -> Provenance {
    let joined = one_of(model, operands.iter().copied(), depth);
    match joined.kind {
        ValueKind::Str | ValueKind::Bytes | ValueKind::List | ValueKind::Tuple => joined,
        _ => Provenance::UNKNOWN,
    }
}

fn repetition(model: &SemanticModel, binop: &ast::ExprBinOp, depth: u8) -> Provenance {
    // Repeated strings are padding and rules (`"-" * width`), not buffers.
    let (sequence, count) = match (&*binop.left, &*binop.right) {
        (sequence @ (Expr::List(_) | Expr::BytesLiteral(_)), count)
        | (count, sequence @ (Expr::List(_) | Expr::BytesLiteral(_))) => (sequence, count),
        _ => return Provenance::UNKNOWN,
    };
    let kind = infer(model, sequence, depth).kind;
    match literal_count(count) {
        Some(count) if count < BIG_ELEMENT_COUNT => Provenance::small(kind),
        _ => Provenance::big(kind, BigReason::Repeated),
    }
}

/// A slice that copies "all but a few" elements, growing with the container: open at the end
/// (`x[k:]`), stopping relative to the end (`x[:-k]`, `x[k:-m]`, also with a name `x[:-n]`),
/// or the whole (`x[:]`). `x[-k:]` takes the last `k` and is bounded, as is every slice with
/// an explicit stop that is not negated.
pub fn is_unbounded_slice(slice: &ast::ExprSlice) -> bool {
    match slice.upper.as_deref() {
        None => !slice.lower.as_deref().is_some_and(is_negated),
        Some(upper) => is_negated(upper),
    }
}

/// `-k`, and `-1 - n` or `-k + 1`: counted back from the end.
fn is_negated(expr: &Expr) -> bool {
    match expr {
        Expr::UnaryOp(unary) => unary.op == ast::UnaryOp::USub,
        Expr::BinOp(binop) if matches!(binop.op, ast::Operator::Sub | ast::Operator::Add) => {
            is_negated(&binop.left)
        }
        _ => false,
    }
}

/// A literal element count: an integer, or the product of a tuple of integers (a shape).
fn literal_count(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(int),
            ..
        }) => int.as_u64(),
        Expr::Tuple(tuple) => tuple
            .elts
            .iter()
            .map(literal_count)
            .try_fold(1u64, |product, count| {
                count.map(|count| product.saturating_mul(count))
            }),
        _ => None,
    }
}

/// An iterable whose size is written in the source: a literal collection or string, or
/// `range()` of literals.
fn is_literal_iterable(model: &SemanticModel, expr: &Expr) -> bool {
    match expr {
        Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_) => true,
        Expr::StringLiteral(_) | Expr::BytesLiteral(_) => true,
        Expr::Call(call) => {
            model.resolves_to(&call.func, &["builtins.range"])
                && call.arguments.keywords.is_empty()
                && call
                    .arguments
                    .args
                    .iter()
                    .all(|argument| literal_count(argument).is_some())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::Stmt;
    use ruff_python_parser::parse_module;

    use super::*;

    /// The provenance of the last statement's expression, without its origin.
    fn provenance_of(source: &str) -> Provenance {
        Provenance {
            origin: None,
            ..provenance_and_origin(source)
        }
    }

    fn provenance_and_origin(source: &str) -> Provenance {
        let parsed = parse_module(source).expect("test sources parse");
        let model = SemanticModel::new(parsed.syntax());
        let Some(Stmt::Expr(statement)) = parsed.syntax().body.last() else {
            panic!("the last statement is an expression");
        };
        model.provenance(&statement.value)
    }

    /// The source text an origin in this module points at.
    fn origin_text(source: &str) -> Option<&str> {
        match provenance_and_origin(source).origin? {
            Origin::Here(range) => Some(&source[range.to_std_range()]),
            Origin::Project(_) => None,
        }
    }

    #[test]
    fn an_in_memory_buffer_read_whole_is_not_data_from_outside() {
        for source in [
            "import io\nio.BytesIO(payload).read()",
            "from io import StringIO\nout = StringIO()\nout.readlines()",
        ] {
            assert!(!provenance_of(source).is_big(), "{source}");
        }
        assert!(provenance_of("out = open(path)\nout.readlines()").is_big());
    }

    #[test]
    fn big_data_comes_from_where_it_is_opened_read_or_loaded() {
        assert_eq!(origin_text("open(p).read()"), Some("open(p)"));
        assert_eq!(
            origin_text("f = open(p, 'rb')\ndata = f.read()\ndata"),
            Some("open(p, 'rb')")
        );
        assert_eq!(
            origin_text("import json\njson.load(stream)"),
            Some("json.load(stream)")
        );
        assert_eq!(
            origin_text("stream.read()"),
            Some("stream.read()"),
            "a read of something unknown is its own origin"
        );
        assert_eq!(
            origin_text("lines = open(p).readlines()\n[line.strip() for line in lines]"),
            Some("open(p)"),
            "a collection of every element of big data comes from that data"
        );
        assert_eq!(origin_text("'abc'"), None);
    }

    #[test]
    fn a_call_to_a_function_of_the_module_returns_what_its_returns_agree_on() {
        let load = "def load(log_path):\n    with open(log_path) as f:\n        return f.read()\n";
        assert_eq!(
            provenance_of(&format!("{load}load(path)")),
            big(ValueKind::Str, BigReason::WholeRead)
        );
        assert_eq!(
            origin_text(&format!("{load}load(path)")),
            Some("open(log_path)"),
            "the origin is in the callee"
        );
        let method = "class Store:\n    def load(self, p):\n        return open(p).read()\n\n    def run(self, p):\n        self.load(p)\n";
        let parsed = parse_module(method).unwrap();
        let model = SemanticModel::new(parsed.syntax());
        let Some(Stmt::ClassDef(class)) = parsed.syntax().body.first() else {
            panic!()
        };
        let Some(Stmt::FunctionDef(run)) = class.body.last() else {
            panic!()
        };
        let Some(Stmt::Expr(call)) = run.body.first() else {
            panic!()
        };
        assert_eq!(
            model.provenance(&call.value).big,
            Some(BigReason::FileRead),
            "a method called through `self`"
        );
        // `None` on an early return does not make the result unknown.
        let maybe = "def load(p):\n    if not p:\n        return None\n    return open(p).read()\nload(path)";
        assert!(provenance_of(maybe).is_big());
        // Returns that disagree and coroutines are unknown; a generator function returns an
        // iterator, however big what it yields.
        let mixed = "def load(p, cached):\n    if cached:\n        return cached\n    return open(p).read()\nload(path, c)";
        assert_eq!(provenance_of(mixed), Provenance::UNKNOWN);
        let generator = "def load(p):\n    yield open(p).read()\nload(path)";
        assert_eq!(
            provenance_of(generator),
            Provenance::small(ValueKind::Iterator)
        );
        let coroutine = "async def load(p):\n    return open(p).read()\nload(path)";
        assert_eq!(provenance_of(coroutine), Provenance::UNKNOWN);
        let small = "def settings(p):\n    return {'path': p}\nsettings(path)";
        assert_eq!(provenance_of(small), Provenance::small(ValueKind::Dict));
    }

    /// A function asked about while its returns are being worked out is unknown there: the
    /// question ends, and what its other returns agree on still counts once it is known.
    #[test]
    fn functions_that_return_each_others_results_end_the_question() {
        let itself = "def load(p):\n    if p:\n        return load(p[1:])\n    return open(p).read()\nload(path)";
        assert_eq!(provenance_of(itself), Provenance::UNKNOWN);
        let each_other = "def a(p):\n    return b(p)\ndef b(p):\n    return a(p)\na(path)";
        assert_eq!(provenance_of(each_other), Provenance::UNKNOWN);
        // Asked twice, the second answer comes from what the first worked out.
        let twice = "def load(p):\n    return open(p).read()\n(load(a), load(b))";
        let parsed = parse_module(twice).unwrap();
        let model = SemanticModel::new(parsed.syntax());
        let Some(Stmt::Expr(statement)) = parsed.syntax().body.last() else {
            panic!()
        };
        let Expr::Tuple(calls) = &*statement.value else {
            panic!()
        };
        let [first, second] = &calls.elts[..] else {
            panic!()
        };
        let answer = model.provenance(first);
        assert!(answer.is_big());
        assert_eq!(model.provenance(second), answer);
    }

    fn big(kind: ValueKind, reason: BigReason) -> Provenance {
        Provenance::big(kind, reason)
    }

    #[test]
    fn literals_are_small() {
        assert_eq!(provenance_of("'abc'"), Provenance::small(ValueKind::Str));
        assert_eq!(provenance_of("b'abc'"), Provenance::small(ValueKind::Bytes));
        assert_eq!(provenance_of("[1, 2]"), Provenance::small(ValueKind::List));
        assert_eq!(
            provenance_of("[x for x in (1, 2)]"),
            Provenance::small(ValueKind::List)
        );
        assert_eq!(
            provenance_of("[x for x in range(10)]"),
            Provenance::small(ValueKind::List)
        );
    }

    #[test]
    fn configuration_files_read_whole_are_small() {
        for source in [
            "open('settings.toml').read()",
            "with open('/etc/hostname') as f:\n    pass\nf.read()",
            "import json\njson.load(open('config.json'))",
            "from pathlib import Path\n(Path(root) / 'app.yaml').read_text()",
            "import os\nopen(os.path.join(here, 'setup.cfg')).readlines()",
            "open(f'{root}/.env').read()",
            "open(config_path).read()",
            "open(self.cfg_file).read()",
            "import urllib.request\nrequest = make_request(cluster_config_url)\nurllib.request.urlopen(request).read()",
        ] {
            assert!(!provenance_of(source).is_big(), "{source}");
        }
        // Data files, names that only start like a configuration's, a path looked up in the
        // configuration, and a constant that names a key of it.
        for source in [
            "open('frames.csv').read()",
            "import json\njson.load(open(path))",
            "open(f'{root}.json.{part}').read()",
            "open(settings.get('data_path')).read()",
            "open(CONF_DATA_PATH).read()",
        ] {
            assert!(provenance_of(source).is_big(), "{source}");
        }
    }

    #[test]
    fn a_file_is_data_when_its_name_says_so() {
        for source in [
            "open('frames.bin', 'rb').read()",
            "open('data/readings.txt').read()",
            "def f(log_path):\n    return open(log_path).read()\nf(x)",
            "def f(self):\n    return open(self.dataFile).readlines()\nf(x)",
            "def f(args):\n    return open(args.dataset).read()\nf(x)",
            "def f(config):\n    return open(config['dataset']).read()\nf(x)",
            "import os\ndef f(root):\n    return open(os.path.join(root, 'samples.csv')).read()\nf(x)",
            "from pathlib import Path\ndef f(root):\n    return (Path(root) / 'events.log').read_text()\nf(x)",
            "def f(path=f'{root}/capture.pcap'):\n    return open(path, 'rb').read()\nf()",
        ] {
            assert_eq!(provenance_of(source).big, Some(BigReason::WholeRead), "{source}");
        }
        for source in [
            "open(p).read()",
            "def f(pidfile):\n    from pathlib import Path\n    return Path(pidfile).read_text()\nf(x)",
            "def f(self):\n    return open(self.defaultFilename).readlines()\nf(x)",
            "import os\nopen(os.path.expanduser('~/.ssh/known_hosts')).readlines()",
            // `update` and `metadata` are not `data`; an input file may be anything.
            "def f(file_name):\n    with open(file_name) as input_file:\n        return input_file.readlines()\nf(x)",
            "def f(metadata_path):\n    return open(metadata_path).read()\nf(x)",
        ] {
            assert_eq!(provenance_of(source).big, Some(BigReason::FileRead), "{source}");
        }
    }

    #[test]
    fn whole_reads_are_big_and_know_text_from_binary() {
        // A file whose name does not say it holds data may be a pid file or a key list.
        let reason = BigReason::FileRead;
        assert_eq!(provenance_of("open(p).read()"), big(ValueKind::Str, reason));
        assert_eq!(
            provenance_of("open(p, 'rb').read()"),
            big(ValueKind::Bytes, reason)
        );
        assert_eq!(
            provenance_of("f = open(p, mode='rb')\nf.read()"),
            big(ValueKind::Bytes, reason)
        );
        assert_eq!(
            provenance_of("with open(p, 'rb') as f:\n    pass\nf.read()"),
            big(ValueKind::Bytes, reason)
        );
        // Of an object not known to be a file: big, but nothing shows how big.
        let stream = BigReason::StreamRead;
        assert_eq!(
            provenance_of("stream.read()"),
            big(ValueKind::Unknown, stream)
        );
        assert_eq!(provenance_of("f.readlines()"), big(ValueKind::List, stream));
        assert_eq!(
            provenance_of("open(p).readlines()"),
            big(ValueKind::List, reason)
        );
        assert_eq!(
            provenance_of("path.read_text()"),
            big(ValueKind::Str, reason)
        );
        assert_eq!(
            provenance_of("open(p).read(4096)"),
            Provenance::small(ValueKind::Str)
        );
        assert!(!provenance_of("stream.read(4096)").is_big());
        assert!(provenance_of("stream.read(-1)").is_big());
    }

    #[test]
    fn known_apis_resolve_through_imports() {
        assert_eq!(
            provenance_of("import numpy as np\nnp.load(p)"),
            big(ValueKind::NdArray, BigReason::WholeRead)
        );
        assert_eq!(
            provenance_of("from numpy import zeros\nzeros(n)"),
            big(ValueKind::NdArray, BigReason::LargeArray)
        );
        assert_eq!(
            provenance_of("import numpy as np\nnp.zeros((3, 4))"),
            Provenance::small(ValueKind::NdArray)
        );
        assert_eq!(
            provenance_of("import numpy as np\nnp.zeros((1000, 1000))"),
            big(ValueKind::NdArray, BigReason::LargeArray)
        );
        assert_eq!(
            provenance_of("import torch\ntorch.zeros(batch, 3, 224, 224)"),
            big(ValueKind::Tensor, BigReason::LargeArray)
        );
        assert_eq!(
            provenance_of("import pandas as pd\npd.read_csv(p)"),
            big(ValueKind::DataFrame, BigReason::WholeRead)
        );
        // Text of unknown origin, parsed: of a size nothing shows.
        assert_eq!(
            provenance_of("import json\njson.loads(text)"),
            big(ValueKind::Unknown, BigReason::ParsedText)
        );
        assert_eq!(
            provenance_of("import json\njson.loads(open(data_path).read())"),
            big(ValueKind::Unknown, BigReason::Deserialized)
        );
        // Bug: `np.load` of an `.npz` archive was taken for its arrays; it opens them lazily.
        assert_eq!(
            provenance_of("import numpy as np\nnp.load(root / 'frames.npz')"),
            Provenance::UNKNOWN
        );
        assert_eq!(
            provenance_of("import numpy as np\nnp.load(root / 'frames.npy')"),
            big(ValueKind::NdArray, BigReason::WholeRead)
        );
        // As `json.load(open(p))`: a file whose name does not say it holds data.
        assert_eq!(
            provenance_of("import json\njson.loads(open(p).read())"),
            big(ValueKind::Unknown, BigReason::FileRead)
        );
        assert_eq!(
            provenance_of("import pandas as pd\npd.read_sql(query, connection)"),
            big(ValueKind::DataFrame, BigReason::StreamRead)
        );
        assert!(
            !provenance_of("import pickle\npickle.loads(pickle.dumps(obj))").is_big(),
            "a round trip is as big as the object"
        );
        assert!(provenance_of("import pickle\npickle.loads(payload)").is_big());
        assert!(provenance_of("import json\njson.load(open(p))").is_big());
        // Without the import, `np` is nothing known.
        assert_eq!(provenance_of("np.load(p)"), Provenance::UNKNOWN);
    }

    #[test]
    fn local_assignments_carry_provenance() {
        let source = "import numpy as np\ndef f(n):\n    a = np.empty(n)\n    b = a\n    return b\nb = np.empty(n)\nb";
        assert_eq!(
            provenance_of(source),
            big(ValueKind::NdArray, BigReason::LargeArray)
        );
        assert_eq!(
            provenance_of("data = open(p, 'rb').read()\nchunk = data[4:]\nchunk"),
            big(ValueKind::Bytes, BigReason::FileRead)
        );
        assert_eq!(
            provenance_of("data = open(p, 'rb').read()\ndata[4:8]"),
            Provenance::small(ValueKind::Bytes),
            "a bounded slice has the size its author chose"
        );
        assert!(provenance_of("data = open(p, 'rb').read()\ndata[:-4]").is_big());
        assert!(!provenance_of("data = open(p, 'rb').read()\ndata[-4:]").is_big());
        assert_eq!(
            provenance_of("text = open(p).read()\ntext.split()"),
            big(ValueKind::List, BigReason::FileRead)
        );
    }

    #[test]
    fn augmented_assignments_keep_the_kind() {
        assert_eq!(
            provenance_of("buf = b''\nbuf += chunk\nbuf"),
            Provenance::small(ValueKind::Bytes)
        );
        assert_eq!(
            provenance_of("out = ''\nout += part\nout"),
            Provenance::small(ValueKind::Str)
        );
        assert_eq!(
            provenance_of("data = sock.recv(4)\ndata"),
            Provenance::small(ValueKind::Bytes)
        );
    }

    #[test]
    fn annotated_parameters_have_their_kind() {
        let source = "import numpy as np\nfrom typing import List\ndef f(a: bytes, b: list[int], c: List[str], d: np.ndarray, e: int | None):\n    return a, b, c, d, e\n";
        let parsed = parse_module(source).unwrap();
        let model = SemanticModel::new(parsed.syntax());
        let Some(Stmt::FunctionDef(function)) = parsed.syntax().body.last() else {
            panic!("the last statement is the function");
        };
        let Some(Stmt::Return(ret)) = function.body.last() else {
            panic!("the body returns");
        };
        let Some(Expr::Tuple(values)) = ret.value.as_deref() else {
            panic!("a tuple is returned");
        };
        let kinds: Vec<ValueKind> = values
            .elts
            .iter()
            .map(|value| model.provenance(value).kind)
            .collect();
        assert_eq!(
            kinds,
            [
                ValueKind::Bytes,
                ValueKind::List,
                ValueKind::List,
                ValueKind::NdArray,
                ValueKind::Unknown
            ]
        );
    }

    #[test]
    fn materialized_collections() {
        assert_eq!(
            provenance_of("list(items)"),
            big(ValueKind::List, BigReason::Materialized)
        );
        assert_eq!(
            provenance_of("sorted(items)"),
            big(ValueKind::List, BigReason::Materialized)
        );
        assert_eq!(
            provenance_of("[f(x) for x in items]"),
            big(ValueKind::List, BigReason::Materialized)
        );
        assert_eq!(
            provenance_of("{k: v for k, v in pairs}"),
            big(ValueKind::Dict, BigReason::Materialized)
        );
        assert_eq!(provenance_of("list()"), Provenance::small(ValueKind::List));
        assert_eq!(
            provenance_of("tuple([1, 2])"),
            Provenance::small(ValueKind::Tuple)
        );
        assert_eq!(
            provenance_of("[0] * n"),
            big(ValueKind::List, BigReason::Repeated)
        );
        assert_eq!(provenance_of("[0] * 8"), Provenance::small(ValueKind::List));
        assert!(
            !provenance_of("' ' * width").is_big(),
            "repeated strings are padding"
        );
        assert!(
            !provenance_of("bytes(name, 'ascii')").is_big(),
            "an encoding, not a size"
        );
        assert_eq!(
            provenance_of("[line.strip() for line in open(p).readlines()]"),
            big(ValueKind::List, BigReason::FileRead),
            "a collection of a big source is big for the same reason"
        );
        assert_eq!(
            provenance_of("bytearray(size * 4)"),
            big(ValueKind::Bytearray, BigReason::Repeated)
        );
        assert_eq!(
            provenance_of("bytes(16)"),
            Provenance::small(ValueKind::Bytes)
        );
        assert!(provenance_of("bytes(size)").is_big());
        assert!(!provenance_of("bytes(b'abc')").is_big());
        assert!(!provenance_of("bytearray(encode(text))").is_big());
        assert_eq!(
            provenance_of("(x for x in items)"),
            Provenance::small(ValueKind::Iterator)
        );
    }

    #[test]
    fn http_bodies() {
        assert_eq!(
            provenance_of("import requests\nresp = requests.get(url)\nresp.content"),
            big(ValueKind::Bytes, BigReason::HttpBody)
        );
        assert_eq!(
            provenance_of("import requests\nrequests.post(url).json()"),
            big(ValueKind::Unknown, BigReason::ApiReply)
        );
        assert_eq!(provenance_of("element.text"), Provenance::UNKNOWN);
        assert_eq!(provenance_of("response.json()"), Provenance::UNKNOWN);
    }

    #[test]
    fn exceptions_tracebacks_and_frames() {
        assert_eq!(
            provenance_of("import sys\nsys.exc_info()[2]"),
            Provenance::small(ValueKind::Traceback)
        );
        assert_eq!(
            provenance_of("import sys\nsys.exc_info()"),
            Provenance::small(ValueKind::ExcInfo)
        );
        assert_eq!(
            provenance_of("err.__traceback__"),
            Provenance::small(ValueKind::Traceback)
        );
        assert_eq!(
            provenance_of("import inspect\ninspect.currentframe()"),
            Provenance::small(ValueKind::Frame)
        );
        assert_eq!(
            provenance_of("try:\n    pass\nexcept E as e:\n    saved = e\nsaved"),
            Provenance::small(ValueKind::Exception)
        );
    }

    #[test]
    fn views_are_marked() {
        assert!(ValueKind::NdArray.is_view_on_slice());
        assert!(ValueKind::Memoryview.is_view_on_slice());
        assert!(!ValueKind::List.is_view_on_slice());
    }
}
