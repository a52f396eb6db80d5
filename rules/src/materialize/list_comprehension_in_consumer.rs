use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::consumers::{consumer_of, iterated_arguments, Consumer, Reads};
use crate::laziness::laziness_is_unobservable;
use crate::{rule, Checker, Enabled, Family, FixAvailability, Hook};

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
    /// By default it reports only a comprehension over data shown to be large (the lines of a
    /// file, a loaded document); one over data of unknown size is reported with `--pedantic`,
    /// and one over data small by construction (a literal, a constant tuple, a model's
    /// parameters, `sys.argv`) never.
    ///
    /// Modules written for TorchScript (they call `torch.jit.is_scripting()` or use
    /// `@torch.jit.unused`, `torch.jit.annotate`, ...) are left alone: TorchScript compiles
    /// lists, not generators or `itertools`.
    ///
    /// ## Example
    /// ```python
    /// with open(data_path) as log:
    ///     lines = log.readlines()
    /// longest = max([len(line) for line in lines])
    /// if any([line.startswith("#") for line in lines]):
    ///     ...
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// with open(data_path) as log:
    ///     lines = log.readlines()
    /// longest = max(len(line) for line in lines)
    /// if any(line.startswith("#") for line in lines):
    ///     ...
    /// ```
    ///
    /// ## Fix safety
    /// The brackets become parentheses, or are dropped when the comprehension is the call's only
    /// argument. A generator runs the per-element code later, interleaved with the consumer;
    /// `any` and `all` stop early and skip the rest; `enumerate`, `zip`, `map`, `filter` and
    /// `itertools` read it only when their own result is read. So the fix is safe only where
    /// none of that can be seen: a consumer that reads everything at once (`sum`, `min`,
    /// `max`, `sorted`, `set`, `tuple`, `dict`, ...), one `for` clause over a builtin container
    /// (a list, tuple, dict, set, str or `range`, whose iteration runs no code of yours), and
    /// an element and conditions that can neither do anything nor fail: the loop variables,
    /// literals, and identity tests such as `x is not None`. An attribute read may run a
    /// property, a comparison or arithmetic the operands' methods, a subscript may insert a key
    /// into a `defaultdict`. Everywhere else the fix is unsafe. A set comprehension is never
    /// made a generator safely (a set calls `__hash__`), and not at all for `min` and `max`:
    /// with duplicates they would compare equal elements that a set kept apart (`None`s raise).
    pub static LIST_COMPREHENSION_IN_CONSUMER = {
        code: "EL201",
        name: "list-comprehension-in-consumer",
        family: Family::Materialize,
        severity: Severity::Warning,
        enabled: Enabled::Default,
        fix: FixAvailability::Sometimes,
        sized: true,
        hooks: &[Hook::Call(check)],
    }
}

fn check(checker: &mut Checker, call: &ExprCall) {
    // TorchScript compiles lists, not generators or `itertools`.
    if checker.semantic().written_for_torchscript() {
        return;
    }
    // Cheap syntactic test first: most calls have no comprehension argument at all.
    if !call.arguments.args.iter().any(is_comprehension) {
        return;
    }
    let Some(consumer) = consumer_of(checker.semantic(), call) else {
        return;
    };
    for argument in iterated_arguments(&call.arguments, consumer.iterated) {
        report(checker, call, consumer, argument);
    }
}

fn is_comprehension(expr: &Expr) -> bool {
    matches!(expr, Expr::ListComp(_) | Expr::SetComp(_))
}

fn report(checker: &mut Checker, call: &ExprCall, consumer: &Consumer, argument: &Expr) {
    let (kind, generators, element) = match argument {
        Expr::ListComp(comp) => ("list", &comp.generators, &*comp.elt),
        Expr::SetComp(comp) if consumer.reads.ignores_duplicates() => {
            ("set", &comp.generators, &*comp.elt)
        }
        _ => return,
    };
    // A generator of awaited values would be an asynchronous generator, which these consumers
    // cannot read.
    if generators.iter().any(|generator| generator.is_async)
        || checker
            .semantic()
            .any_expr_in(argument, Expr::is_await_expr)
    {
        return;
    }

    let consumer_text = checker.snippet(&*call.func);
    // A set hands `min` and `max` no duplicates, so they never compare two equal elements;
    // given duplicates they would, and elements that are not ordered (`None`) raise.
    let is_set = kind == "set";
    let fix = (!(is_set && consumer.reads == Reads::Extremum)).then(|| {
        let safe = !is_set
            && matches!(
                consumer.reads,
                Reads::Sum | Reads::Extremum | Reads::Elements
            )
            && laziness_is_unobservable(checker.semantic(), generators, element);
        generator_fix(checker.source(), call, argument, safe)
    });
    let drops_brackets = fix
        .as_ref()
        .is_some_and(|fix| fix.edits.iter().all(|edit| edit.content.is_empty()));
    let Some(diagnostic) = checker.report_about_data(
        argument,
        argument.range(),
        format!(
            "{kind} comprehension is built in full only to be read once by `{consumer_text}()`"
        ),
    ) else {
        return;
    };
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
        Reads::Elements | Reads::Lazily => format!(
            "the {kind} holds N references (8 bytes each) and keeps every element alive until `{consumer_text}()` returns; a generator hands them over one at a time"
        ),
    });
    diagnostic.fix = fix;
}

/// Turns the comprehension into a generator expression: drops the brackets when it is the
/// call's only argument (and no trailing comma follows, which a bare generator does not allow),
/// otherwise swaps them for parentheses.
fn generator_fix(source: &str, call: &ExprCall, comprehension: &Expr, safe: bool) -> Fix {
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
    let applicability = if safe {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    Fix {
        applicability,
        edits,
    }
}

#[cfg(test)]
mod tests {
    use edgelint_diagnostics::Applicability;

    use crate::test_support::fixes;

    #[test]
    fn a_sole_argument_loses_its_brackets() {
        assert_eq!(
            fixes("xs = [3, 1]\ntotal = sum([x for x in xs if x is not None])\n"),
            [(
                Applicability::Safe,
                "xs = [3, 1]\ntotal = sum(x for x in xs if x is not None)\n".to_string()
            )]
        );
    }

    #[test]
    fn other_arguments_keep_parentheses() {
        assert_eq!(
            fixes("xs = [3, 1]\nm = max([x for x in xs], key=abs)\nt = sum([x for x in xs], 10)\n"),
            [
                (
                    Applicability::Safe,
                    "xs = [3, 1]\nm = max((x for x in xs), key=abs)\nt = sum([x for x in xs], 10)\n"
                        .to_string()
                ),
                (
                    Applicability::Safe,
                    "xs = [3, 1]\nm = max([x for x in xs], key=abs)\nt = sum((x for x in xs), 10)\n"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_trailing_comma_keeps_parentheses() {
        assert_eq!(
            fixes("t = tuple([x for x in range(n)],)\n"),
            [(
                Applicability::Safe,
                "t = tuple((x for x in range(n)),)\n".to_string()
            )]
        );
    }

    /// Bug: attribute reads run properties, comparisons run `__eq__`/`__ge__`, subscripting a
    /// `defaultdict` inserts keys, and arithmetic runs the operands' methods; made lazy, they run
    /// interleaved with the consumer, or not at all past `any`'s first true element.
    #[test]
    fn el201_code_with_effects_other_than_calls_makes_the_fix_unsafe() {
        for source in [
            "xs = [1]\na = sum([x.size for x in xs])\n",
            "xs = [1]\na = any([x >= 3 for x in xs])\n",
            "xs = [1]\na = sum([counts[x] for x in xs])\n",
            "xs = [1]\na = sum([x * 2 for x in xs])\n",
            "xs = [1]\na = sum([x for x in xs if x])\n",
            "a = any([check(x) for x in xs])\n",
            "a = sum([(y := x) for x in xs])\n",
            "a = sum([x.load() for x in xs])\n",
        ] {
            let found = fixes(source);
            assert_eq!(found.len(), 1, "{source}");
            assert_eq!(found[0].0, Applicability::Unsafe, "{source}");
        }
    }

    /// Bug: `any`/`all` stop early and `enumerate`/`zip` read later (after the list they read
    /// may have been cleared), so laziness is observable with them whatever the elements are.
    #[test]
    fn el201_short_circuiting_and_lazy_consumers_make_the_fix_unsafe() {
        for source in [
            "xs = [1]\na = any([x for x in xs])\n",
            "xs = [1]\npairs = enumerate([x for x in xs])\n",
            "xs = [1]\npairs = zip([x for x in xs], xs)\n",
        ] {
            let found = fixes(source);
            assert_eq!(found[0].0, Applicability::Unsafe, "{source}");
        }
    }

    #[test]
    fn only_an_iterable_known_to_run_no_code_keeps_the_fix_safe() {
        let found = fixes("a = sum([x for x in range(n)])\n");
        assert_eq!(found[0].0, Applicability::Safe);
        for source in [
            // Iterating an unknown object runs its `__next__`, interleaved with the sum.
            "a = sum([x for x in rows])\n",
            "a = sum([y for x in range(n) for y in f(x)])\n",
            "a = sum([x for x in range(n) if ok(x)])\n",
            "a = sum([1 for self.x in range(n)])\n",
        ] {
            let found = fixes(source);
            assert_eq!(found[0].0, Applicability::Unsafe, "{source}");
        }
    }

    /// Bug: `min({None for v in vs})` compares nothing; `min(None for v in vs)` compares two
    /// `None`s and raises.
    #[test]
    fn el201_a_set_in_min_or_max_keeps_its_duplicates_out() {
        let found = fixes("xs = [1]\na = any({x for x in xs})\nb = min({x for x in xs})\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Applicability::Unsafe);
    }

    #[test]
    fn set_comprehensions_fire_only_where_duplicates_cannot_matter() {
        assert!(fixes("a = sum({x for x in xs})\nb = tuple({x for x in xs})\n").is_empty());
        assert_eq!(
            fixes("a = any({x for x in xs})\nb = all({x for x in xs})\n").len(),
            2
        );
    }
}
