use edgelint_diagnostics::{Applicability, Edit, Fix, Severity};
use ruff_python_ast::helpers::any_over_expr;
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::consumers::{consumer_of, iterated_arguments, Consumer, Reads};
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
    /// argument. The fix is safe when what the comprehension evaluates per element contains no
    /// call, `await`, walrus or `yield`: then evaluating it lazily cannot change what happens.
    /// Its first iterable does not count (`range(n)` in `[x for x in range(n)]`): a generator
    /// evaluates it at once too. Otherwise the fix is unsafe,
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

fn check(checker: &mut Checker, call: &ExprCall) {
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

    let consumer_text = checker.snippet(&*call.func);
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

/// Laziness cannot change behaviour when nothing the comprehension evaluates per element can
/// have an effect. Its first iterable is evaluated at once either way (`(x for x in f())` calls
/// `f()` immediately), so calls there do not count.
fn fix_applicability(comprehension: &Expr) -> Applicability {
    let (elements, generators): (Vec<&Expr>, _) = match comprehension {
        Expr::ListComp(list) => (vec![&*list.elt], &list.generators),
        Expr::SetComp(set) => (vec![&*set.elt], &set.generators),
        _ => return Applicability::Unsafe,
    };
    let may_have_effect = |expr: &Expr| {
        any_over_expr(expr, |expr| {
            matches!(
                expr,
                Expr::Call(_)
                    | Expr::Await(_)
                    | Expr::Named(_)
                    | Expr::Yield(_)
                    | Expr::YieldFrom(_)
            )
        })
    };
    let per_element = generators
        .iter()
        .enumerate()
        .flat_map(|(index, generator)| {
            let later_iterable = (index > 0).then_some(&generator.iter);
            later_iterable
                .into_iter()
                .chain(&generator.ifs)
                .chain(std::iter::once(&generator.target))
        });
    // Assigning to an attribute or an item target runs code too.
    let plain_targets = generators.iter().all(|generator| {
        !any_over_expr(&generator.target, |expr| {
            matches!(expr, Expr::Attribute(_) | Expr::Subscript(_))
        })
    });
    if plain_targets && !elements.into_iter().chain(per_element).any(may_have_effect) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
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
    fn calls_in_the_first_iterable_keep_the_fix_safe() {
        let found = fixes("a = sum([x for x in range(n)])\n");
        assert_eq!(found[0].0, Applicability::Safe);
        for source in [
            "a = sum([y for x in range(n) for y in f(x)])\n",
            "a = sum([x for x in range(n) if ok(x)])\n",
            "a = sum([1 for self.x in xs])\n",
        ] {
            let found = fixes(source);
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
