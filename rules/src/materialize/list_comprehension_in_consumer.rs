use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::helpers::any_over_expr;
use ruff_python_ast::{Arguments, Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::{rule, Checker, Family, FixAvailability, Hook};

rule! {
    /// ## What it does
    /// Flags a list or set comprehension passed straight to a function that accepts any
    /// iterable and reads it once: `any`, `all`, `sum`, `min`, `max`, `sorted`, `set`,
    /// `frozenset`, `tuple`, `dict`, `enumerate`, `zip`, `bytes`, `bytearray`,
    /// `collections.Counter`, `collections.deque`, `heapq.nlargest`, `heapq.nsmallest` and the
    /// iterator building blocks of `itertools`.
    ///
    /// ## Why is this bad?
    /// The comprehension builds a whole list before the consumer reads its first element: N
    /// references (8 bytes each, plus the list's own overhead) and every element kept alive
    /// until the call returns. A generator expression hands the elements over one at a time, so
    /// the peak memory does not grow with N. For `any` and `all` it also restores
    /// short-circuiting: they stop at the first decisive element instead of computing them all.
    ///
    /// The trade-off, honestly: when `sum`, `min` or `max` consume every element, iterating a
    /// list can be slightly faster than resuming a generator. On a device where memory is the
    /// scarce resource, the list of N references is the cost that matters.
    ///
    /// Set comprehensions are flagged only inside `any`, `all`, `min` and `max`, where removing
    /// duplicates cannot change the result. `str.join` is never flagged: it builds a list from
    /// a generator anyway and is faster when given one. Consumers that need a sequence (`len`,
    /// `np.array`, `random.choice`) are not in the list, and comprehensions with `await` or
    /// `async for` are left alone (a generator of them would be an asynchronous generator).
    ///
    /// ## Example
    /// ```python
    /// total = sum([size(chunk) for chunk in chunks])
    /// if any([line.startswith("#") for line in lines]):
    ///     ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// total = sum(size(chunk) for chunk in chunks)
    /// if any(line.startswith("#") for line in lines):
    ///     ...
    /// ```
    ///
    /// ## Fix safety
    /// The brackets become parentheses, or are dropped when the comprehension is the call's only
    /// argument. The fix is safe when the comprehension contains no call, `await`, walrus or
    /// `yield`: then evaluating it lazily cannot change what happens. Otherwise it is unsafe,
    /// because a generator runs the calls later, interleaved with the consumer, and `any`/`all`
    /// may not run some of them at all.
    pub static LIST_COMPREHENSION_IN_CONSUMER = {
        code: "EL201",
        name: "list-comprehension-in-consumer",
        family: Family::Materialize,
        severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::Always,
        hooks: &[Hook::Call(check)],
    }
}

/// Which positional arguments of a consumer are iterated.
#[derive(Copy, Clone)]
enum Iterated {
    /// The first positional argument.
    First,
    /// The second positional argument (`heapq.nlargest(n, iterable)`).
    Second,
    /// The first and second (`itertools.compress(data, selectors)`).
    FirstTwo,
    /// Every positional argument (`zip`, `itertools.chain`).
    Each,
    /// The argument, when it is the only positional one: with two, `max(a, b)` compares them.
    Sole,
}

/// What a consumer does with what it reads: decides whether a set comprehension may be
/// flagged, and what the message says.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Reads {
    /// Stops at the first decisive element (`any`, `all`).
    UntilDecided,
    /// Keeps the smallest or largest element (`min`, `max`).
    Extremum,
    /// Adds every element up (`sum`).
    Sum,
    /// Stores or re-yields the elements.
    Elements,
}

impl Reads {
    /// Removing duplicates first cannot change whether any element is true, or which is
    /// smallest; it can change a sum, a sort or a count.
    fn ignores_duplicates(self) -> bool {
        matches!(self, Reads::UntilDecided | Reads::Extremum)
    }
}

struct Consumer {
    qualified_name: &'static str,
    iterated: Iterated,
    reads: Reads,
}

const fn consumer(qualified_name: &'static str, iterated: Iterated, reads: Reads) -> Consumer {
    Consumer {
        qualified_name,
        iterated,
        reads,
    }
}

/// Every consumer, by qualified name. `itertools.repeat` and `itertools.count` take no
/// iterable and are absent on purpose.
static CONSUMERS: &[Consumer] = &[
    consumer("builtins.any", Iterated::Sole, Reads::UntilDecided),
    consumer("builtins.all", Iterated::Sole, Reads::UntilDecided),
    consumer("builtins.sum", Iterated::First, Reads::Sum),
    consumer("builtins.min", Iterated::Sole, Reads::Extremum),
    consumer("builtins.max", Iterated::Sole, Reads::Extremum),
    consumer("builtins.sorted", Iterated::First, Reads::Elements),
    consumer("builtins.set", Iterated::Sole, Reads::Elements),
    consumer("builtins.frozenset", Iterated::Sole, Reads::Elements),
    consumer("builtins.tuple", Iterated::Sole, Reads::Elements),
    consumer("builtins.dict", Iterated::Sole, Reads::Elements),
    consumer("builtins.enumerate", Iterated::First, Reads::Elements),
    consumer("builtins.zip", Iterated::Each, Reads::Elements),
    consumer("builtins.bytes", Iterated::Sole, Reads::Elements),
    consumer("builtins.bytearray", Iterated::Sole, Reads::Elements),
    consumer("collections.Counter", Iterated::First, Reads::Elements),
    consumer("collections.deque", Iterated::First, Reads::Elements),
    consumer("heapq.nlargest", Iterated::Second, Reads::Elements),
    consumer("heapq.nsmallest", Iterated::Second, Reads::Elements),
    consumer("itertools.accumulate", Iterated::First, Reads::Elements),
    consumer("itertools.batched", Iterated::First, Reads::Elements),
    consumer("itertools.chain", Iterated::Each, Reads::Elements),
    consumer(
        "itertools.chain.from_iterable",
        Iterated::First,
        Reads::Elements,
    ),
    consumer("itertools.combinations", Iterated::First, Reads::Elements),
    consumer(
        "itertools.combinations_with_replacement",
        Iterated::First,
        Reads::Elements,
    ),
    consumer("itertools.compress", Iterated::FirstTwo, Reads::Elements),
    consumer("itertools.cycle", Iterated::First, Reads::Elements),
    consumer("itertools.dropwhile", Iterated::Second, Reads::Elements),
    consumer("itertools.filterfalse", Iterated::Second, Reads::Elements),
    consumer("itertools.groupby", Iterated::First, Reads::Elements),
    consumer("itertools.islice", Iterated::First, Reads::Elements),
    consumer("itertools.pairwise", Iterated::First, Reads::Elements),
    consumer("itertools.permutations", Iterated::First, Reads::Elements),
    consumer("itertools.product", Iterated::Each, Reads::Elements),
    consumer("itertools.starmap", Iterated::Second, Reads::Elements),
    consumer("itertools.takewhile", Iterated::Second, Reads::Elements),
    consumer("itertools.tee", Iterated::First, Reads::Elements),
    consumer("itertools.zip_longest", Iterated::Each, Reads::Elements),
];

fn check(checker: &mut Checker, call: &ExprCall) {
    // Cheap syntactic test first: most calls have no comprehension argument at all.
    if !call.arguments.args.iter().any(is_comprehension) {
        return;
    }
    let Some(name) = checker.semantic().resolve(&call.func) else {
        return;
    };
    let Some(consumer) = CONSUMERS
        .iter()
        .find(|consumer| consumer.qualified_name == name.as_str())
    else {
        return;
    };
    for argument in iterated_arguments(&call.arguments, consumer.iterated) {
        report(checker, call, consumer, argument);
    }
}

fn is_comprehension(expr: &Expr) -> bool {
    matches!(expr, Expr::ListComp(_) | Expr::SetComp(_))
}

/// The positional arguments the consumer iterates. Nothing when a `*args` could shift them.
fn iterated_arguments(arguments: &Arguments, iterated: Iterated) -> Vec<&Expr> {
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
        Iterated::Sole if positional.len() == 1 => positional.iter().collect(),
        Iterated::Sole => Vec::new(),
    }
}

fn report(checker: &mut Checker, call: &ExprCall, consumer: &Consumer, argument: &Expr) {
    let (kind, generators) = match argument {
        Expr::ListComp(comp) => ("list", &comp.generators),
        Expr::SetComp(comp) if consumer.reads.ignores_duplicates() => ("set", &comp.generators),
        _ => return,
    };
    // A generator of awaited values would be an asynchronous generator, which these consumers
    // cannot read.
    if generators.iter().any(|generator| generator.is_async)
        || any_over_expr(argument, Expr::is_await_expr)
    {
        return;
    }

    let consumer_text = checker.text(&*call.func);
    let fix = generator_fix(checker.source(), call, argument);
    let drops_brackets = fix.edits.iter().all(|edit| edit.content.is_empty());
    let diagnostic = checker.report(
        argument.range(),
        format!(
            "{kind} comprehension is built in full only to be read once by `{consumer_text}()`"
        ),
    );
    diagnostic.label =
        format!("builds a {kind} of every element before `{consumer_text}()` reads the first");
    diagnostic.help = Some(if drops_brackets {
        "pass a generator expression: drop the brackets".to_string()
    } else {
        "pass a generator expression: replace the brackets with parentheses".to_string()
    });
    diagnostic.notes.push(match consumer.reads {
        Reads::UntilDecided => format!(
            "a generator also lets `{consumer_text}()` stop at the first decisive element instead of computing them all"
        ),
        Reads::Extremum | Reads::Sum => format!(
            "trade-off: when `{consumer_text}()` reads every element a {kind} can be slightly faster; the generator saves a {kind} of N references (8 bytes each) and keeps one element alive at a time"
        ),
        Reads::Elements => format!(
            "the {kind} holds N references (8 bytes each) and keeps every element alive until `{consumer_text}()` returns; a generator hands them over one at a time"
        ),
    });
    diagnostic.fix = Some(fix);
}

/// Turns the comprehension into a generator expression: drops the brackets when it is the
/// call's only argument (and no trailing comma follows, which a bare generator does not allow),
/// otherwise swaps them for parentheses.
fn generator_fix(source: &str, call: &ExprCall, comprehension: &Expr) -> Fix {
    let range = comprehension.range();
    let open = TextRange::at(range.start(), TextSize::from(1));
    let close = TextRange::at(range.end() - TextSize::from(1), TextSize::from(1));
    let arguments = &call.arguments;
    let after_argument = TextRange::new(range.end(), arguments.end());
    let sole = arguments.args.len() == 1
        && arguments.keywords.is_empty()
        && !source[after_argument].contains(',');
    let edits = if sole {
        vec![Edit::deletion(open), Edit::deletion(close)]
    } else {
        vec![Edit::replacement(open, "("), Edit::replacement(close, ")")]
    };
    Fix {
        applicability: fix_applicability(comprehension),
        edits,
    }
}

/// Laziness cannot change behaviour when nothing in the comprehension can have an effect.
fn fix_applicability(comprehension: &Expr) -> Applicability {
    let has_effect = any_over_expr(comprehension, |expr| {
        matches!(
            expr,
            Expr::Call(_) | Expr::Await(_) | Expr::Named(_) | Expr::Yield(_) | Expr::YieldFrom(_)
        )
    });
    if has_effect {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    }
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    #[test]
    fn a_sole_argument_loses_its_brackets_safely() {
        assert_eq!(
            fixes("total = sum([x * 2 for x in xs if x])\n"),
            [(
                Applicability::Safe,
                "total = sum(x * 2 for x in xs if x)\n".to_string()
            )]
        );
    }

    #[test]
    fn other_arguments_keep_parentheses() {
        assert_eq!(
            fixes("m = max([x.size for x in xs], key=abs)\nt = sum([x for x in xs], 10)\n"),
            [
                (
                    Applicability::Safe,
                    "m = max((x.size for x in xs), key=abs)\nt = sum([x for x in xs], 10)\n"
                        .to_string()
                ),
                (
                    Applicability::Safe,
                    "m = max([x.size for x in xs], key=abs)\nt = sum((x for x in xs), 10)\n"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_trailing_comma_keeps_parentheses() {
        assert_eq!(
            fixes("t = tuple([x for x in xs],)\n"),
            [(
                Applicability::Safe,
                "t = tuple((x for x in xs),)\n".to_string()
            )]
        );
    }

    #[test]
    fn calls_walrus_and_await_make_the_fix_unsafe() {
        for source in [
            "a = any([check(x) for x in xs])\n",
            "a = sum([(y := x) for x in xs])\n",
            "a = sum([x.load() for x in xs])\n",
        ] {
            let found = fixes(source);
            assert_eq!(found.len(), 1, "{source}");
            assert_eq!(found[0].0, Applicability::Unsafe, "{source}");
        }
    }

    #[test]
    fn set_comprehensions_fire_only_where_duplicates_cannot_matter() {
        assert_eq!(
            fixes("a = any({x for x in xs})\nb = min({x for x in xs})\n").len(),
            2
        );
        assert!(fixes("a = sum({x for x in xs})\nb = tuple({x for x in xs})\n").is_empty());
    }
}
