use edgelint_diagnostics::Severity;
use edgelint_semantic::Packages;
use ruff_python_ast::ExprCall;
use ruff_text_size::Ranged;

use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags `pd.read_csv`, `pd.read_parquet`, `pd.read_json` and `pd.read_excel` calls that
    /// pass none of the arguments that bound what is loaded: `usecols`/`columns` (which
    /// columns), `dtype` (how wide each is), `chunksize`/`iterator` (a piece at a time) or
    /// `nrows` (how many rows).
    ///
    /// This rule is opt-in: reading a small file whole is often right, and the file's size is
    /// not known statically.
    ///
    /// ## Why is this bad?
    /// pandas loads every column of every row, with 64-bit numbers and one Python object per
    /// string cell: a data frame commonly takes several times the file's size. On a device
    /// that only needs three columns of a log, most of that memory is wasted.
    ///
    /// ## Example
    /// ```python
    /// import pandas as pd
    ///
    /// def mean_latency(path):
    ///     df = pd.read_csv(path)
    ///     return df["latency_ms"].mean()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import pandas as pd
    ///
    /// def mean_latency(path):
    ///     df = pd.read_csv(path, usecols=["latency_ms"], dtype={"latency_ms": "float32"})
    ///     return df["latency_ms"].mean()
    /// ```
    pub static DATAFRAME_FULL_READ = {
        code: "EL503",
        name: "dataframe-full-read",
        family: Family::Arrays,
        severity: Severity::Info,
        enabled: Enabled::OptIn,
        fix: FixAvailability::None,
        sized: false,
        hooks: &[Hook::Call(check)],
    }
}

const READERS: &[&str] = &[
    "pandas.read_csv",
    "pandas.read_parquet",
    "pandas.read_json",
    "pandas.read_excel",
];

/// Arguments that bound the columns, their width or the rows read at once.
const BOUNDING_ARGUMENTS: &[&str] = &[
    "usecols",
    "columns",
    "dtype",
    "chunksize",
    "iterator",
    "nrows",
];

fn check(checker: &mut Checker, call: &ExprCall) {
    // Asked of every call: only an import of pandas (relative ones inside pandas included) can
    // bind a name to one of its readers.
    let semantic = checker.semantic();
    if !semantic.imports_any(Packages::PANDAS) || !semantic.resolves_to(&call.func, READERS) {
        return;
    }
    // `**options` may hold any of them.
    let bounded = call.arguments.keywords.iter().any(|keyword| {
        keyword
            .arg
            .as_ref()
            .is_none_or(|name| BOUNDING_ARGUMENTS.contains(&name.as_str()))
    });
    if bounded {
        return;
    }
    let function = checker.snippet(&*call.func);
    let diagnostic = checker.report(
        call.range(),
        format!("`{function}` loads every column and row of the file at full width"),
    );
    diagnostic.label = "no `usecols`/`columns`, `dtype`, `chunksize` or `nrows`".to_string();
    diagnostic.help = Some(
        "select the columns you use, give compact dtypes, or read in chunks with `chunksize`"
            .to_string(),
    );
}
