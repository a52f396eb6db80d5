//! Functions that accept any iterable and read it once, and which of their arguments they
//! iterate. A list built only to be handed to one of them (a comprehension, a slice copy) can
//! be replaced by something lazy.

use edgelint_semantic::SemanticModel;
use ruff_python_ast::{Arguments, Comprehension, Expr, ExprCall, NodeKind, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::{Ancestor, Checker};

/// Which positional arguments of a consumer are iterated.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Iterated {
    /// The first positional argument.
    First,
    /// The second positional argument (`heapq.nlargest(n, iterable)`).
    Second,
    /// The first and second (`itertools.compress(data, selectors)`).
    FirstTwo,
    /// Every positional argument (`zip`, `itertools.chain`).
    Each,
    /// Every positional argument after the first (`map(function, *iterables)`).
    AfterFirst,
    /// The argument, when it is the only positional one: with two, `max(a, b)` compares them.
    Sole,
}

/// What a consumer does with what it reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reads {
    /// Stops at the first decisive element (`any`, `all`).
    UntilDecided,
    /// Keeps the smallest or largest element (`min`, `max`).
    Extremum,
    /// Adds every element up (`sum`).
    Sum,
    /// Stores every element before it returns (`set`, `sorted`, `tuple`).
    Elements,
    /// Hands the elements on one at a time as its own result is read (`enumerate`, `zip`,
    /// `map`, `itertools.*`): what it reads is read later, maybe never.
    Lazily,
}

impl Reads {
    /// Removing duplicates first cannot change whether any element is true, or which is
    /// smallest; it can change a sum, a sort or a count.
    pub(crate) fn ignores_duplicates(self) -> bool {
        matches!(self, Reads::UntilDecided | Reads::Extremum)
    }
}

#[derive(Debug)]
pub(crate) struct Consumer {
    pub(crate) qualified_name: &'static str,
    pub(crate) iterated: Iterated,
    pub(crate) reads: Reads,
    /// Whether EL101 (large-slice-copy) treats a slice passed here as read once: the catalog
    /// lists a narrower set for slices than for comprehensions.
    pub(crate) reads_slices: bool,
}

const fn consumer(
    qualified_name: &'static str,
    iterated: Iterated,
    reads: Reads,
    reads_slices: bool,
) -> Consumer {
    Consumer {
        qualified_name,
        iterated,
        reads,
        reads_slices,
    }
}

/// Every consumer, by qualified name. `itertools.repeat` and `itertools.count` take no
/// iterable and are absent on purpose.
#[rustfmt::skip]
static CONSUMERS: &[Consumer] = &[
    consumer("builtins.any", Iterated::Sole, Reads::UntilDecided, true),
    consumer("builtins.all", Iterated::Sole, Reads::UntilDecided, true),
    consumer("builtins.sum", Iterated::First, Reads::Sum, true),
    consumer("builtins.min", Iterated::Sole, Reads::Extremum, true),
    consumer("builtins.max", Iterated::Sole, Reads::Extremum, true),
    consumer("builtins.enumerate", Iterated::First, Reads::Lazily, true),
    consumer("builtins.zip", Iterated::Each, Reads::Lazily, true),
    consumer("builtins.map", Iterated::AfterFirst, Reads::Lazily, true),
    consumer("builtins.filter", Iterated::Second, Reads::Lazily, true),
    consumer("builtins.set", Iterated::Sole, Reads::Elements, true),
    consumer("builtins.tuple", Iterated::Sole, Reads::Elements, true),
    consumer("builtins.sorted", Iterated::First, Reads::Elements, false),
    consumer("builtins.frozenset", Iterated::Sole, Reads::Elements, false),
    consumer("builtins.dict", Iterated::Sole, Reads::Elements, false),
    consumer("builtins.bytes", Iterated::Sole, Reads::Elements, false),
    consumer("builtins.bytearray", Iterated::Sole, Reads::Elements, false),
    consumer("collections.Counter", Iterated::First, Reads::Elements, false),
    consumer("collections.deque", Iterated::First, Reads::Elements, false),
    consumer("heapq.nlargest", Iterated::Second, Reads::Elements, false),
    consumer("heapq.nsmallest", Iterated::Second, Reads::Elements, false),
    consumer("itertools.accumulate", Iterated::First, Reads::Lazily, true),
    consumer("itertools.batched", Iterated::First, Reads::Lazily, true),
    consumer("itertools.chain", Iterated::Each, Reads::Lazily, true),
    consumer("itertools.chain.from_iterable", Iterated::First, Reads::Lazily, true),
    consumer("itertools.combinations", Iterated::First, Reads::Lazily, true),
    consumer("itertools.combinations_with_replacement", Iterated::First, Reads::Lazily, true),
    consumer("itertools.compress", Iterated::FirstTwo, Reads::Lazily, true),
    consumer("itertools.cycle", Iterated::First, Reads::Lazily, true),
    consumer("itertools.dropwhile", Iterated::Second, Reads::Lazily, true),
    consumer("itertools.filterfalse", Iterated::Second, Reads::Lazily, true),
    consumer("itertools.groupby", Iterated::First, Reads::Lazily, true),
    consumer("itertools.islice", Iterated::First, Reads::Lazily, true),
    consumer("itertools.pairwise", Iterated::First, Reads::Lazily, true),
    consumer("itertools.permutations", Iterated::First, Reads::Lazily, true),
    consumer("itertools.product", Iterated::Each, Reads::Lazily, true),
    consumer("itertools.starmap", Iterated::Second, Reads::Lazily, true),
    consumer("itertools.takewhile", Iterated::Second, Reads::Lazily, true),
    consumer("itertools.tee", Iterated::First, Reads::Lazily, true),
    consumer("itertools.zip_longest", Iterated::Each, Reads::Lazily, true),
];

/// The consumer a call is, if it is one.
pub(crate) fn consumer_of(semantic: &SemanticModel, call: &ExprCall) -> Option<&'static Consumer> {
    let name = semantic.resolve(&call.func)?;
    CONSUMERS
        .iter()
        .find(|consumer| consumer.qualified_name == name.as_str())
}

/// The positional arguments the consumer iterates. Nothing when a `*args` could shift them.
pub(crate) fn iterated_arguments(arguments: &Arguments, iterated: Iterated) -> Vec<&Expr> {
    let positional = &arguments.args;
    if positional.iter().any(Expr::is_starred_expr) {
        return match iterated {
            // `zip(*rows, [..])` still iterates every argument.
            Iterated::Each => positional
                .iter()
                .filter(|arg| !arg.is_starred_expr())
                .collect(),
            _ => Vec::new(),
        };
    }
    match iterated {
        Iterated::First => positional.first().into_iter().collect(),
        Iterated::Second => positional.get(1).into_iter().collect(),
        Iterated::FirstTwo => positional.iter().take(2).collect(),
        Iterated::Each => positional.iter().collect(),
        Iterated::AfterFirst => positional.iter().skip(1).collect(),
        Iterated::Sole if positional.len() == 1 => positional.iter().collect(),
        Iterated::Sole => Vec::new(),
    }
}

/// Whether `call` iterates its argument at `argument` once: a consumer's iterated argument, or
/// the argument of `"sep".join(...)`.
pub(crate) fn iterates(semantic: &SemanticModel, call: &ExprCall, argument: TextRange) -> bool {
    if is_join_argument(call, argument) {
        return true;
    }
    consumer_of(semantic, call).is_some_and(|consumer| {
        iterated_arguments(&call.arguments, consumer.iterated)
            .iter()
            .any(|iterated| iterated.range() == argument)
    })
}

/// Whether `argument` is what `"sep".join(...)` joins.
pub(crate) fn is_join_argument(call: &ExprCall, argument: TextRange) -> bool {
    match &*call.func {
        Expr::Attribute(join)
            if join.attr.as_str() == "join" && join.value.is_string_literal_expr() =>
        {
            call.arguments
                .args
                .first()
                .is_some_and(|first| first.range() == argument)
        }
        _ => false,
    }
}

/// The kinds of expression [`comprehension_parts`] takes apart.
pub(crate) const COMPREHENSIONS: &[NodeKind] = &[
    NodeKind::ExprListComp,
    NodeKind::ExprSetComp,
    NodeKind::ExprDictComp,
    NodeKind::ExprGenerator,
];

/// The clauses of a comprehension and the expressions it computes per element (its element,
/// or a dict comprehension's key and value).
pub(crate) fn comprehension_parts(expr: &Expr) -> Option<(&[Comprehension], Vec<&Expr>)> {
    Some(match expr {
        Expr::ListComp(comp) => (&comp.generators, vec![&*comp.elt]),
        Expr::SetComp(comp) => (&comp.generators, vec![&*comp.elt]),
        Expr::Generator(comp) => (&comp.generators, vec![&*comp.elt]),
        Expr::DictComp(comp) => (
            &comp.generators,
            comp.key
                .as_deref()
                .into_iter()
                .chain([&*comp.value])
                .collect(),
        ),
        _ => return None,
    })
}

/// Whether `source` is the iterable of one of the clauses of `comprehension`.
pub(crate) fn is_comprehension_source(comprehension: &Expr, source: TextRange) -> bool {
    comprehension_parts(comprehension).is_some_and(|(generators, _)| {
        generators
            .iter()
            .any(|generator| generator.iter.range() == source)
    })
}

/// Whether the expression at `range`, being checked now, is used directly as an iterable read
/// once: the iterable of a `for`, of a comprehension clause, of a `yield from`, or an argument
/// a consumer iterates.
pub(crate) fn is_iterated_once(checker: &Checker, range: TextRange) -> bool {
    iterated_once_by(checker.semantic(), checker.ancestors().next(), range)
}

/// Whether the expression at `range` is read once, as an iterable, by its parent `parent`.
pub(crate) fn iterated_once_by(
    semantic: &SemanticModel,
    parent: Option<Ancestor>,
    range: TextRange,
) -> bool {
    match parent {
        Some(Ancestor::Stmt(Stmt::For(for_stmt))) => for_stmt.iter.range() == range,
        Some(Ancestor::Expr(Expr::Call(call))) => iterates(semantic, call, range),
        Some(Ancestor::Expr(Expr::YieldFrom(delegation))) => delegation.value.range() == range,
        Some(Ancestor::Expr(parent)) => is_comprehension_source(parent, range),
        _ => false,
    }
}
