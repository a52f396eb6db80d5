//! Where a statement sits: the block (statement list) that holds it, and the loops that run
//! a node more than once, the loops that read one file per pass. All are read from the
//! semantic model's parents.

use edgelint_semantic::{blocks_of, last_name, BindingKind, NodeId, NodeRef, SemanticModel};

use crate::mutation::target_names;
use ruff_python_ast::{self as ast, BoolOp, CmpOp, Expr, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

/// The statement list that holds `target`: `body` itself, or a block of a compound statement
/// in it (not of a nested function or class).
pub(crate) fn enclosing_block<'a>(
    semantic: &SemanticModel<'a>,
    body: &'a [Stmt],
    target: &Stmt,
) -> Option<&'a [Stmt]> {
    let owner = semantic.parent(semantic.node_id(body.first()?)?);
    let parent = semantic.parent(semantic.node_id(target)?);
    let holds = |block: &&'a [Stmt]| {
        statements_containing(block, target.range())
            .any(|statement| std::ptr::eq(statement, target))
    };
    if parent == owner {
        return Some(body).filter(holds);
    }
    // Every node from the parent up to the owner of `body` must be a compound statement whose
    // blocks run as part of `body`.
    let mut ancestor = parent;
    while ancestor != owner {
        let id = ancestor?;
        if matches!(
            semantic.node(id),
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) | NodeRef::Expr(_)
        ) {
            return None;
        }
        ancestor = semantic.parent(id);
    }
    blocks_of(semantic.node(parent?).as_stmt()?)
        .into_iter()
        .find(holds)
}

/// Whether a later statement of the block holding `statement`, or of a block around it inside
/// the innermost loop, is a `break`, `return` or `raise`: in a loop, `statement` then runs at
/// most once before the loop is left (`if ...: word = word[:-1]` followed by `break`).
pub(crate) fn leaves_loop_after(semantic: &SemanticModel, statement: &Stmt) -> bool {
    let mut current = statement;
    while let Some(parent) = semantic
        .node_id(current)
        .and_then(|id| semantic.parent(id))
        .and_then(|id| semantic.node(id).as_stmt())
    {
        let holds = |block: &&[Stmt]| block.iter().any(|other| std::ptr::eq(other, current));
        let leaves = blocks_of(parent)
            .into_iter()
            .find(holds)
            .is_some_and(|block| {
                block
                    .iter()
                    .skip_while(|other| !std::ptr::eq(*other, current))
                    .skip(1)
                    .any(|later| matches!(later, Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_)))
            });
        if leaves {
            return true;
        }
        if matches!(
            parent,
            Stmt::For(_) | Stmt::While(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_)
        ) {
            return false;
        }
        current = parent;
    }
    false
}

/// The statements of `body` that contain `range`, found by bisection: a body's statements
/// follow each other in the source without overlapping, and a long body is asked about for
/// each of its names. (Only an empty range can be in two: at the end of one and the start of
/// the next.)
pub(crate) fn statements_containing(
    body: &[Stmt],
    range: TextRange,
) -> impl Iterator<Item = &Stmt> {
    body[first_not_ending_before(body, range)..]
        .iter()
        .take_while(move |statement| statement.range().contains_range(range))
}

/// The index of the first statement of `body` that contains `range` (see
/// [`statements_containing`]).
pub(crate) fn index_containing(body: &[Stmt], range: TextRange) -> Option<usize> {
    let first = first_not_ending_before(body, range);
    body.get(first)
        .filter(|statement| statement.range().contains_range(range))
        .map(|_| first)
}

/// The index of the first statement of `body` that ends at or after the end of `range`: the
/// first that can contain it.
fn first_not_ending_before(body: &[Stmt], range: TextRange) -> usize {
    body.partition_point(|statement| statement.end() < range.end())
}

/// The innermost statement of `body` (or of a block in it, not of a nested function or class)
/// that contains `range`.
pub(crate) fn innermost_statement(body: &[Stmt], range: TextRange) -> Option<&Stmt> {
    let statement = statements_containing(body, range).next()?;
    if matches!(statement, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
        return Some(statement);
    }
    blocks_of(statement)
        .into_iter()
        .find_map(|block| innermost_statement(block, range))
        .or(Some(statement))
}

/// The loops (and comprehensions) that may run `node` more than once, of the body that
/// `owner` (a `def`, or `None` for the module) holds: around the node, not inside a function,
/// class or lambda nested in that body, and with the node outside the part evaluated once (a
/// `for` loop's iterable, a comprehension's first iterable). A loop's target, `else` block and
/// condition count as repeated.
pub(crate) fn repeating_loops<'a>(
    semantic: &SemanticModel<'a>,
    node: NodeId,
    owner: Option<NodeId>,
) -> Vec<NodeRef<'a>> {
    // The path from the owner down to the node, as (ancestor, child on the path) pairs.
    let mut path: Vec<(NodeRef<'a>, NodeRef<'a>)> = Vec::new();
    let mut child = node;
    for ancestor in semantic.ancestors(node) {
        if Some(ancestor) == owner {
            break;
        }
        path.push((semantic.node(ancestor), semantic.node(child)));
        child = ancestor;
    }
    let mut loops = Vec::new();
    for (ancestor, child) in path.into_iter().rev() {
        let once = match ancestor {
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_))
            | NodeRef::Expr(Expr::Lambda(_)) => break,
            NodeRef::Stmt(Stmt::For(for_stmt)) => Some(&*for_stmt.iter),
            NodeRef::Stmt(Stmt::While(_)) => None,
            NodeRef::Expr(
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_),
            ) => first_iterable(ancestor),
            _ => continue,
        };
        let only_once = once
            .is_some_and(|once| matches!(child, NodeRef::Expr(child) if std::ptr::eq(child, once)));
        if !only_once {
            loops.push(ancestor);
        }
    }
    loops
}

fn first_iterable<'a>(comprehension: NodeRef<'a>) -> Option<&'a Expr> {
    let generators = match comprehension.as_expr()? {
        Expr::ListComp(comp) => &comp.generators,
        Expr::SetComp(comp) => &comp.generators,
        Expr::DictComp(comp) => &comp.generators,
        Expr::Generator(comp) => &comp.generators,
        _ => return None,
    };
    generators.first().map(|generator| &generator.iter)
}

/// Whether `range` lies in the body of an `if` whose test holds only while `name` is small:
/// empty (`not name`, `len(name) == 0`) or under a literal length (`len(name) < 64`), alone or
/// in an `and`. Growth there is bounded: a one-shot fill, or a capped cache.
pub(crate) fn grows_only_while_small(
    semantic: &SemanticModel,
    body: &[Stmt],
    range: TextRange,
    name: &str,
) -> bool {
    in_body_of_if(body, range, &|test| {
        holds_only_while_small(semantic, test, name)
    })
}

/// Whether, before the statement of `body` that holds `range`, the function returns (or
/// raises) whenever `name` is not empty: `if cache: return cache[0]`, a memo. What `range`
/// adds to `name` is then added only while it is empty, by one call.
pub(crate) fn leaves_unless_empty(body: &[Stmt], range: TextRange, name: &str) -> bool {
    body.iter()
        .take_while(|statement| !statement.range().contains_range(range))
        .any(|statement| {
            matches!(statement, Stmt::If(if_stmt)
                if if_stmt.elif_else_clauses.is_empty()
                    && matches!(&*if_stmt.test, Expr::Name(read) if read.id.as_str() == name)
                    && matches!(if_stmt.body.last(), Some(Stmt::Return(_) | Stmt::Raise(_))))
        })
}

/// Whether `range` lies in the body of an `if` on a module-level switch that is off: a name
/// the module binds once, to `False`, `None` or `0` (`if ENABLE_SCHEMA_EXTRACTION:`), which
/// only a tool run by hand turns on from outside.
pub(crate) fn behind_switch_off(semantic: &SemanticModel, body: &[Stmt], range: TextRange) -> bool {
    in_body_of_if(body, range, &|test| {
        let Expr::Name(flag) = test else {
            return false;
        };
        let Some(id) = semantic.binding_of(flag) else {
            return false;
        };
        let binding = semantic.binding(id);
        binding.scope == SemanticModel::MODULE_SCOPE
            && semantic.is_only_binding(id)
            && matches!(
                binding.kind,
                BindingKind::Assignment {
                    value: Some(
                        Expr::BooleanLiteral(ast::ExprBooleanLiteral { value: false, .. })
                            | Expr::NoneLiteral(_)
                    )
                }
            )
    })
}

/// Whether `range` lies in the body (not an `elif` or `else`) of an `if` of `body`, or of a
/// block nested in it, whose test satisfies `test`.
fn in_body_of_if(body: &[Stmt], range: TextRange, test: &dyn Fn(&Expr) -> bool) -> bool {
    statements_containing(body, range).any(|statement| {
        if let Stmt::If(if_stmt) = statement {
            let in_body = statements_containing(&if_stmt.body, range).next().is_some();
            if in_body && test(&if_stmt.test) {
                return true;
            }
        }
        blocks_of(statement)
            .into_iter()
            .chain(match statement {
                Stmt::FunctionDef(function) => Some(&function.body[..]),
                Stmt::ClassDef(class) => Some(&class.body[..]),
                _ => None,
            })
            .any(|block| in_body_of_if(block, range, test))
    })
}

fn holds_only_while_small(semantic: &SemanticModel, test: &Expr, name: &str) -> bool {
    let is_name = |expr: &Expr| matches!(expr, Expr::Name(read) if read.id.as_str() == name);
    match test {
        Expr::BoolOp(bool_op) if bool_op.op == BoolOp::And => bool_op
            .values
            .iter()
            .any(|value| holds_only_while_small(semantic, value, name)),
        Expr::UnaryOp(not) if not.op == UnaryOp::Not => is_name(&not.operand),
        Expr::Compare(compare) => matches!(
            semantic.length_comparison(compare, is_name),
            Some((CmpOp::Eq | CmpOp::Lt | CmpOp::LtE, Expr::NumberLiteral(_)))
        ),
        _ => false,
    }
}

/// Whether the node `id` reads one file per pass of a loop: a loop over the listing of a
/// folder (`for name in os.listdir(folder)`, `for path in sorted(root.glob("*.json"))`), or one
/// that opens a file named by its target (`for doc in docs: with open(folder / doc) as f:`).
/// One file of many is one item of a data set, often small.
pub(crate) fn reads_file_by_file(semantic: &SemanticModel, id: NodeId) -> bool {
    // What the node and the statements around it open: `with` items and assigned values.
    let opened: Vec<&Expr> = std::iter::once(id)
        .chain(semantic.ancestors(id))
        .flat_map(|ancestor| match semantic.node(ancestor) {
            NodeRef::Stmt(Stmt::With(with)) => {
                with.items.iter().map(|item| &item.context_expr).collect()
            }
            NodeRef::Stmt(Stmt::Assign(assign)) => vec![&*assign.value],
            _ => Vec::new(),
        })
        .collect();
    semantic.ancestors(id).any(|ancestor| {
        let NodeRef::Stmt(Stmt::For(loop_over)) = semantic.node(ancestor) else {
            return false;
        };
        // Paths the caller hands in (`for log_path in paths:`) are inputs it chose, each as
        // large as any; names the code enumerates are the entries of a data set.
        lists_a_folder(&loop_over.iter)
            || (!is_parameter(semantic, &loop_over.iter)
                && opened
                    .iter()
                    .any(|context| opens_path_of(semantic, context, &loop_over.target)))
    })
}

/// Whether `expr` opens, or reads from an open of, a path that mentions a name of `target`
/// (`open(folder / doc)`, `json.load(open(os.path.join(root, name)))`).
fn opens_path_of(semantic: &SemanticModel, expr: &Expr, target: &Expr) -> bool {
    let names = target_names(target);
    semantic.any_expr_in(expr, |inner| {
        matches!(inner, Expr::Call(call)
        if semantic.resolves_to(&call.func, &["builtins.open", "io.open"])
            && call.arguments.args.first().is_some_and(|path| {
                semantic.any_expr_in(path, |part| {
                    matches!(part, Expr::Name(name) if names.contains(&name.id.as_str()))
                })
            }))
    })
}

/// `os.listdir(folder)`, `glob.glob(pattern)`, `root.iterdir()`, `os.walk(root)`, also through
/// `sorted()`, `list()`, `enumerate()` or a progress bar.
fn lists_a_folder(iterable: &Expr) -> bool {
    let Expr::Call(call) = iterable else {
        return false;
    };
    match last_name(&call.func) {
        Some("listdir" | "scandir" | "glob" | "iglob" | "rglob" | "iterdir" | "walk") => true,
        Some("sorted" | "list" | "enumerate" | "tqdm") => {
            call.arguments.args.first().is_some_and(lists_a_folder)
        }
        _ => false,
    }
}

/// Whether `expr` is a parameter of the function it is read in.
pub(crate) fn is_parameter(semantic: &SemanticModel, expr: &Expr) -> bool {
    matches!(expr, Expr::Name(name) if semantic.binding_of(name).is_some_and(|binding| {
        matches!(semantic.binding(binding).kind, BindingKind::Parameter { .. })
    }))
}

#[cfg(test)]
mod tests {
    use ruff_python_parser::parse_module;
    use ruff_text_size::{Ranged, TextRange, TextSize};

    use super::{index_containing, statements_containing};

    /// Bug (long_bodies_were_read_through): the statement of a body holding a range was found by
    /// reading the body from its start, for every name of a long function. Bisection must find
    /// what reading finds, for every range of a body, empty ones at the statements' edges too.
    #[test]
    fn bisection_finds_the_statements_reading_the_body_finds() {
        let source =
            "a = 1\nif a:\n    b = 2\nelse:\n    c = 3\nd = [x for x in a]\n\n\ne = 4;f = 5\n";
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let size = |offset: usize| TextSize::try_from(offset).unwrap();
        for start in 0..=source.len() {
            for end in start..=source.len() {
                let range = TextRange::new(size(start), size(end));
                let read: Vec<*const _> = (body.iter())
                    .filter(|statement| statement.range().contains_range(range))
                    .map(std::ptr::from_ref)
                    .collect();
                let bisected: Vec<*const _> = statements_containing(body, range)
                    .map(std::ptr::from_ref)
                    .collect();
                assert_eq!(bisected, read, "{range:?}");
                let first = body
                    .iter()
                    .position(|statement| statement.range().contains_range(range));
                assert_eq!(index_containing(body, range), first, "{range:?}");
            }
        }
    }
}
