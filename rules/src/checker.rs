use rustc_hash::FxHashMap as HashMap;
use std::any::Any;
use std::borrow::Cow;
use std::rc::Rc;

use edgelint_diagnostics::{Diagnostic, Edit, Evidence, EvidencePlace, ExternalPlace, Location};
use edgelint_semantic::provenance::{BigReason, Origin};
use edgelint_semantic::{
    blocks_of, BindingKind, NodeId, NodeRef, ScopeId, ScopeKind, SemanticModel, Size,
};
use ruff_python_ast::{
    self as ast, AnyNodeRef, Arguments, Expr, ExprCall, ModModule, NodeKind, Operator,
    OperatorPrecedence as Precedence, Stmt, StmtFunctionDef,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::mutation::dotted_path;
use crate::placement;
use crate::registry::{Hook, Rule};
use crate::statements::{reads_file_by_file, repeating_loops};
use crate::{FileRole, PythonVersion, RuleSet};

/// A node on the path from the module to the node being checked.
pub type Ancestor<'a> = NodeRef<'a>;

/// What a rule sees besides its node: the source text, the semantic model, where the node is
/// (its scope, its ancestors, whether it is in a loop: the model's answers for the node), and
/// the place to report findings.
pub struct Checker<'a> {
    module: &'a ModModule,
    /// Whether the module's file is test code, decided once per module.
    is_test_file: bool,
    /// Whether its place says the module is a program run once (see [`FileRole::program`]).
    is_program_file: bool,
    /// The file is an example or a developer's tool shipped beside the library.
    is_example_file: bool,
    is_notebook: bool,
    source: &'a str,
    semantic: &'a SemanticModel<'a>,
    target_version: PythonVersion,
    /// The node being checked; `None` for the end-of-module hooks.
    node: Option<NodeId>,
    /// The rule being run, so that reports carry its code, name and severity.
    rule: &'static Rule,
    /// Whether unproven findings are built: not when no one will see them (see
    /// [`check_module`]); on a generated file they can be most of the findings, and of the
    /// memory.
    keep_unproven: bool,
    diagnostics: Vec<Diagnostic>,
    /// What rules worked out once for the module (see [`Checker::memo`]), by rule and key.
    memos: HashMap<(&'static str, u32), Rc<dyn Any>>,
}

/// Where a fix or a help line puts a piece of code (see [`Checker::moved_text`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// In place of the node at this range: whatever holds that node now holds the code.
    Instead(TextRange),
    /// Before `.attr`, `(...)` or `[...]`: the receiver of a method call.
    Receiver,
    /// An argument beside others.
    Argument,
    /// The only argument of a call, inside its parentheses.
    SoleArgument,
    /// The iterable of a comprehension's `for` clause.
    ComprehensionIterable,
    /// The right operand of a `+` or `-`.
    SubtractedOperand,
}

impl<'a> Checker<'a> {
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The whole module being checked.
    pub fn module(&self) -> &'a ModModule {
        self.module
    }

    /// Whether the file is test code (see [`FileRole::test`]), where some advice does not apply.
    pub fn is_test_file(&self) -> bool {
        self.is_test_file
    }

    /// Whether the module's file is an example or a tool (see [`FileRole::example`]).
    pub fn is_example_file(&self) -> bool {
        self.is_example_file
    }

    /// Whether the module is a notebook's cells, which nothing imports.
    pub fn is_notebook(&self) -> bool {
        self.is_notebook
    }

    /// The Python version the code targets (`target-version`).
    pub fn target_version(&self) -> PythonVersion {
        self.target_version
    }

    pub fn semantic(&self) -> &'a SemanticModel<'a> {
        self.semantic
    }

    /// `compute`'s answer for `key` (a scope, a node), worked out the first time the rule
    /// being run asks: for a question its hooks ask again of the same part of the module, as
    /// each method of a class asks about the others.
    pub fn memo<T: 'static>(&mut self, key: u32, compute: impl FnOnce(&Self) -> T) -> Rc<T> {
        if let Some(known) = self.memoized(key) {
            return known;
        }
        let answer = Rc::new(compute(self));
        self.memos.insert((self.rule.code, key), answer.clone());
        answer
    }

    /// What [`Checker::memo`] worked out for `key`, if the rule being run asked already.
    pub fn memoized<T: 'static>(&self, key: u32) -> Option<Rc<T>> {
        let known = self.memos.get(&(self.rule.code, key))?;
        Some(
            Rc::clone(known)
                .downcast()
                .expect("a rule keeps one type of answer"),
        )
    }

    /// The evidence a finding shows for data that comes from `origin`: the place in this
    /// module, said by `here`, or the place in another module that its summary recorded.
    pub fn evidence(&self, origin: Origin, here: impl FnOnce() -> String) -> Option<Evidence> {
        match origin {
            Origin::Here(range) => Some(Evidence {
                message: here(),
                place: EvidencePlace::Here(range),
            }),
            Origin::Project(_) => {
                let evidence = self.semantic.project_evidence(origin)?;
                let location = |(row, column)| Location { row, column };
                Some(Evidence {
                    message: evidence.message.clone(),
                    place: EvidencePlace::Elsewhere(ExternalPlace {
                        filename: evidence.path.clone(),
                        cell: None,
                        location: location(evidence.start),
                        end_location: location(evidence.end),
                        snippet: evidence.snippet.clone(),
                        snippet_first_row: evidence.snippet_first_row,
                        snippet_range: evidence.snippet_range.clone(),
                    }),
                })
            }
        }
    }

    /// The node being checked (`None` in an end-of-module hook).
    pub fn node(&self) -> Option<NodeId> {
        self.node
    }

    /// Runs `check` as a hook on the node `id` is run: for an end-of-module hook that finds
    /// its nodes in the model's notes rather than in the walk (a kind of node too common to
    /// hook when only a few of them matter).
    pub fn at_node<R>(&mut self, id: NodeId, check: impl FnOnce(&mut Self) -> R) -> R {
        let outer = self.node.replace(id);
        let result = check(self);
        self.node = outer;
        result
    }

    /// The scope of the node being checked (for a `def` or `class`, the enclosing one; for a
    /// decorator, default or base class, the scope it is evaluated in).
    pub fn scope(&self) -> ScopeId {
        self.node.map_or(SemanticModel::MODULE_SCOPE, |node| {
            self.semantic.node_scope(node)
        })
    }

    /// Whether the node is lexically inside the body of a `for` or `while` loop, or inside a
    /// comprehension (past its first iterable), of the same function.
    pub fn in_loop(&self) -> bool {
        self.node.is_some_and(|node| self.semantic.in_loop(node))
    }

    /// The innermost `for` or `while` statement around the node being checked.
    pub fn innermost_loop(&self) -> Option<&'a Stmt> {
        self.semantic.enclosing_loop(self.node?)
    }

    /// The expression directly containing the node being checked, if any.
    pub fn parent_expression(&self) -> Option<&'a Expr> {
        self.ancestors().next()?.as_expr()
    }

    /// The ancestors of the node being checked, innermost first.
    pub fn ancestors(&self) -> impl Iterator<Item = Ancestor<'a>> + '_ {
        self.node
            .into_iter()
            .flat_map(|node| self.semantic.ancestors(node))
            .map(|ancestor| self.semantic.node(ancestor))
    }

    /// The innermost statement containing the node being checked.
    pub fn enclosing_statement(&self) -> Option<&'a Stmt> {
        self.ancestors().find_map(Ancestor::as_stmt)
    }

    /// The source text of a node.
    pub fn text(&self, node: impl Ranged) -> &'a str {
        &self.source[node.range()]
    }

    /// The source text of `expr` for a fix that moves it to `place`, in parentheses where it
    /// would otherwise not parse there or parse as something else (see [`placement`]).
    pub fn moved_text(&self, expr: &Expr, place: Place) -> Cow<'a, str> {
        placement::fit_moved(expr, self.text(expr), self.demand(place))
    }

    /// New code (`s.count(",") + 1`) for `place`, in parentheses where the place needs them.
    pub fn fitted(&self, code: String, place: Place) -> String {
        match placement::fit(&code, self.demand(place)) {
            Cow::Borrowed(_) => code,
            Cow::Owned(parenthesized) => parenthesized,
        }
    }

    /// The loosest-binding expression `place` takes without parentheses.
    fn demand(&self, place: Place) -> Precedence {
        match place {
            Place::Instead(range) => {
                // Found from the innermost statement around the node being checked that holds
                // `range`: from the module's root, every fix would read the whole module.
                let statement = self.node.and_then(|id| {
                    std::iter::once(id)
                        .chain(self.semantic.ancestors(id))
                        .find_map(|id| match self.semantic.node(id) {
                            NodeRef::Stmt(statement) if statement.range().contains_range(range) => {
                                Some(AnyNodeRef::from(statement))
                            }
                            _ => None,
                        })
                });
                placement::demand_at(statement.unwrap_or(AnyNodeRef::from(self.module)), range)
            }
            Place::Receiver => Precedence::CallAttribute,
            Place::Argument => Precedence::Assign,
            Place::SoleArgument => Precedence::Yield,
            Place::ComprehensionIterable => Precedence::Or,
            Place::SubtractedOperand => Precedence::MulDivRemain,
        }
    }

    /// Whether a fix can call the builtin `name` (`sum`, `next`, `iter`) at the node being
    /// checked: no scope that the node sees binds that name, and no star import may.
    pub fn builtin_is_visible(&self, name: &str) -> bool {
        if self.semantic.has_star_import() {
            return false;
        }
        let mut scope = Some(self.scope());
        let mut innermost = true;
        while let Some(id) = scope {
            let current = self.semantic.scope(id);
            // A class body's names are not seen from the functions and comprehensions in it.
            let seen = innermost || !matches!(current.kind, ScopeKind::Class(_));
            if seen && current.binding(name).is_some() {
                return false;
            }
            innermost = false;
            scope = current.parent;
        }
        true
    }

    /// An edit that adds `argument` (such as `copy=False`) after a call's last argument, with a
    /// comma where one is needed. It goes right after the last argument (or its trailing
    /// comma), so a comment between the arguments and the closing parenthesis stays a comment.
    pub fn add_argument(&self, arguments: &Arguments, argument: &str) -> Edit {
        let last = arguments
            .args
            .iter()
            .map(Ranged::end)
            .chain(arguments.keywords.iter().map(Ranged::end))
            .max();
        let Some(last) = last else {
            let close = arguments.end() - TextSize::from(1);
            return Edit::replacement(TextRange::empty(close), argument.to_string());
        };
        let after = &self.source[TextRange::new(last, arguments.end())];
        let trailing_comma = after.trim_start().starts_with(',');
        if trailing_comma {
            let comma_offset = after.find(',').map_or(0, |index| index + 1);
            let comma = last + TextSize::try_from(comma_offset).unwrap_or_default();
            Edit::replacement(TextRange::empty(comma), format!(" {argument},"))
        } else {
            Edit::replacement(TextRange::empty(last), format!(", {argument}"))
        }
    }

    /// A node's source for a message: on one line, and shortened when long, so that messages
    /// stay one line in every format.
    pub fn snippet(&self, node: impl Ranged) -> String {
        one_line(self.text(node))
    }

    /// The whitespace before a node when it starts its line, or `None` when other code comes
    /// first on that line.
    pub fn indentation(&self, node: impl Ranged) -> Option<&'a str> {
        let start = node.start().to_usize();
        let line_start = self.source[..start]
            .rfind(['\n', '\r'])
            .map_or(0, |index| index + 1);
        let indentation = &self.source[line_start..start];
        indentation
            .chars()
            .all(|c| c == ' ' || c == '\t')
            .then_some(indentation)
    }

    /// Where the line holding `offset` ends (before its newline), when nothing but a comment
    /// follows `offset` on it.
    pub fn end_of_line_after(&self, offset: TextSize) -> Option<TextSize> {
        let rest = &self.source[offset.to_usize()..];
        let length = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let tail = rest[..length].trim_start();
        (tail.is_empty() || tail.starts_with('#'))
            .then(|| offset + TextSize::try_from(length).expect("a line fits in a file"))
    }

    /// The file's newline: `\r\n` when its first line ends so, otherwise `\n`.
    pub fn newline(&self) -> &'static str {
        match self.source.find('\n') {
            Some(index) if self.source[..index].ends_with('\r') => "\r\n",
            _ => "\n",
        }
    }

    /// Reports a finding of the running rule at `range`; the caller fills in label, help,
    /// notes and fix on the returned diagnostic.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.report_in(self.scope(), range, message)
    }

    /// Reports a finding about the data `value` holds, at the tier its size gives (the rule
    /// catalog's "Evidence"): by default when the data is large, with the place it comes from
    /// as evidence; marked unproven, shown only with `--pedantic`, when its size is not known;
    /// not at all when it is small by construction.
    pub fn report_about_data(
        &mut self,
        value: &Expr,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let size = self.semantic.size_of(value);
        let unknown = (size == Size::Unknown).then(|| {
            let source = self.snippet(iterated_source(value));
            if self.semantic.provenance(value).big == Some(BigReason::FileRead) {
                format!("`{source}` comes from a file whose name does not say it holds data")
            } else {
                format!("the size of `{source}` is not known")
            }
        });
        self.report_sized(size, unknown, range, message)
    }

    /// Reports a finding whose cost grows with how many times the loops around the node run
    /// (a quadratic copy): by default when one of them runs once per element of data shown to
    /// be large, or once per chunk a stream gives; with `--pedantic` when their counts are not
    /// known; not at all when every one of them runs a small number of times.
    ///
    /// `carried` is the name that carries the growing value across iterations: a loop that
    /// gives it a fresh value on each of its passes (`l = f.readline()` around an inner loop
    /// that trims `l`) does not make the growth longer, and neither do the loops around it.
    pub fn report_about_loop(
        &mut self,
        range: TextRange,
        message: impl Into<String>,
        carried: Option<&str>,
    ) -> Option<&mut Diagnostic> {
        let loops = self.carrying_loops(carried)?;
        let parser_buffer = carried.filter(|name| {
            loops
                .last()
                .is_some_and(|innermost| self.buffer_use(name, *innermost).is_parser_buffer())
        });
        let (size, unknown) = match parser_buffer {
            Some(name) => (Size::Unknown, Some(parse_buffer_reason(name))),
            None => self.count_of(&loops),
        };
        self.report_sized(size, unknown, range, message)
    }

    /// The loops that may run the node more than once, outermost first (see
    /// [`Checker::report_about_loop`] for `carried`).
    pub(crate) fn carrying_loops(&self, carried: Option<&str>) -> Option<Vec<NodeRef<'a>>> {
        let node = self.node?;
        // The loops of the body the node is in: those around the `def` run it, not the node.
        // (A comprehension's loops are the body's own: look past its scope.)
        let mut scope = self.scope();
        let owner = loop {
            let current = self.semantic.scope(scope);
            match (current.kind, current.parent) {
                (ScopeKind::Function(function), _) => break self.semantic.node_id(function),
                (ScopeKind::Lambda(lambda), _) => break self.semantic.node_id(lambda),
                (ScopeKind::Class(class), _) => break self.semantic.node_id(class),
                (ScopeKind::Comprehension, Some(parent)) => scope = parent,
                (ScopeKind::Module | ScopeKind::Comprehension, _) => break None,
            }
        };
        let mut loops = repeating_loops(self.semantic, node, owner);
        if let Some(name) = carried {
            // Keep the loops inside the innermost one that gives `name` a fresh value.
            let kept = (1..loops.len())
                .rev()
                .find(|&inner| self.resets(name, loops[inner - 1].range(), loops[inner].range()))
                .unwrap_or(0);
            loops.drain(..kept);
        }
        Some(loops)
    }

    /// How many times `loops` run the node together, as a size, and why when it is not known.
    pub(crate) fn count_of(&self, loops: &[NodeRef<'a>]) -> (Size, Option<String>) {
        let counts: Vec<(NodeRef, Size)> = loops
            .iter()
            .rev()
            .map(|loop_node| (*loop_node, self.semantic.loop_count(*loop_node)))
            .collect();
        let large = counts
            .iter()
            .find(|(_, size)| matches!(size, Size::Large { .. }));
        let unknown = counts.iter().find(|(_, size)| *size == Size::Unknown);
        match (large, unknown) {
            (Some((_, size)), _) => (*size, None),
            (None, Some((loop_node, size))) => (
                *size,
                Some(match loop_node {
                    NodeRef::Stmt(Stmt::For(for_stmt)) => format!(
                        "how many elements `{}` gives the loop is not known",
                        self.snippet(&*for_stmt.iter)
                    ),
                    _ => "how many times the loop runs is not known".to_string(),
                }),
            ),
            (None, None) => (Size::Small, None),
        }
    }

    /// How the statements inside `loop_node` use `path`: whether they fill it (`buf += data`,
    /// `buf = buf + data`, `buf.append(x)`, `buf.extend(data)`) and whether they consume it
    /// from the front (`buf = buf[n:]`, `del buf[:n]`). A loop that does both on each pass is a
    /// parser's buffer, which holds what is not parsed yet (about one message), not the stream.
    pub(crate) fn buffer_use(&self, path: &str, loop_node: NodeRef<'a>) -> BufferUse {
        let is_path = |expr: &Expr| dotted_path(expr).as_deref() == Some(path);
        let is_front_trim = |expr: &Expr| {
            matches!(expr, Expr::Subscript(subscript) if is_path(&subscript.value)
                && matches!(&*subscript.slice, Expr::Slice(slice)
                    if slice.lower.is_some() && slice.upper.is_none()))
        };
        let (mut fills, mut consumes) = (false, false);
        // The scope's statements inside the loop: the loop's own nodes when it is of this
        // scope (each finding asks; reading the whole function each time would cost the square
        // of its length), else those the loop's text holds.
        let semantic = self.semantic;
        let scope = self.scope();
        let own_loop = match loop_node {
            NodeRef::Stmt(statement) => semantic.node_id(statement),
            NodeRef::Expr(_) => None,
        }
        .filter(|id| semantic.node_scope(*id) == scope);
        let nodes = match own_loop {
            Some(id) => semantic.subtree(id),
            None => semantic.scope_nodes(scope),
        };
        let statements = nodes.filter_map(|id| match semantic.node(id) {
            NodeRef::Stmt(statement) if loop_node.range().contains_range(statement.range()) => {
                Some(statement)
            }
            _ => None,
        });
        for statement in statements {
            match statement {
                Stmt::AugAssign(assign) if assign.op == Operator::Add => {
                    fills |= is_path(&assign.target);
                }
                Stmt::Assign(assign)
                    if assign
                        .targets
                        .iter()
                        .any(|target| mentions_path(target, &is_path)) =>
                {
                    fills |= matches!(&*assign.value, Expr::BinOp(binop)
                        if binop.op == Operator::Add && is_path(&binop.left));
                    consumes |= self.semantic.any_expr_in(&*assign.value, is_front_trim);
                }
                Stmt::Expr(expression) => {
                    fills |= matches!(&*expression.value, Expr::Call(call)
                        if matches!(&*call.func, Expr::Attribute(method)
                            if matches!(method.attr.as_str(), "append" | "extend")
                                && is_path(&method.value)));
                }
                Stmt::Delete(delete) => {
                    consumes |= delete.targets.iter().any(|target| {
                        matches!(target, Expr::Subscript(subscript) if is_path(&subscript.value)
                            && matches!(&*subscript.slice, Expr::Slice(slice)
                                if slice.lower.is_none() && slice.upper.is_some()))
                    });
                }
                _ => {}
            }
        }
        BufferUse { fills, consumes }
    }

    /// Whether a binding of `name` inside `outer` but outside `inner` gives it a value that
    /// does not read it (`l = f.readline()` around a loop that trims `l`).
    fn resets(&self, name: &str, outer: TextRange, inner: TextRange) -> bool {
        self.semantic
            .bindings_named_within(self.scope(), name, outer)
            .any(|(_, binding)| {
                !inner.contains_range(binding.range)
                    && matches!(binding.kind, BindingKind::Assignment { value: Some(value) }
                    if !self.semantic.any_expr_in(value, |read| {
                        matches!(read, Expr::Name(read) if read.id.as_str() == name)
                    }))
            })
    }

    /// `size` and `unknown` for a finding about what grows over the life of the process,
    /// unless the module is a program run once over its input (a command-line tool), whose
    /// process lives as long as one input: then not known to matter.
    pub fn over_process_life(&self, size: Size, unknown: Option<String>) -> (Size, Option<String>) {
        match size {
            Size::Large { .. } if self.runs_once() => (Size::Unknown, Some(RUNS_ONCE.to_string())),
            _ => (size, unknown),
        }
    }

    /// Whether the module is a program run once over its input, by its place or its code.
    pub fn runs_once(&self) -> bool {
        self.is_program_file || self.semantic.is_command_line_program()
    }

    /// Reports a finding about data of `size`: `unknown` says why the size is not known. Only
    /// a large size makes a finding proven, and never in test code or an example.
    pub fn report_sized(
        &mut self,
        size: Size,
        unknown: Option<String>,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let (evidence, unproven) = match size {
            Size::Small => return None,
            Size::Unknown => {
                debug_assert!(unknown.is_some(), "an unknown size needs its reason");
                let unknown = unknown.unwrap_or_else(|| "the size of the data is not known".into());
                (None, Some(unknown))
            }
            Size::Large { .. } if self.is_test_file => (None, Some(IN_TEST_CODE.to_string())),
            // Examples and tools are run by hand on a developer's machine, seldom shipped.
            Size::Large { .. } if self.is_example_file => (
                None,
                Some(
                    "in an example or a tool, the data is what whoever runs it supplies"
                        .to_string(),
                ),
            ),
            // One file of a folder read file by file is one item of many.
            Size::Large { .. }
                if self
                    .node
                    .is_some_and(|node| reads_file_by_file(self.semantic, node)) =>
            {
                (
                    None,
                    Some("it reads one file of a folder per pass of a loop: nothing shows each file is large".to_string()),
                )
            }
            // Paid once per failure, just before it.
            Size::Large { .. } if self.leads_to_raise() => (
                None,
                Some("it runs only on the way to raising an error".to_string()),
            ),
            // Nobody tunes code they are removing.
            Size::Large { .. } if self.in_deprecated_code() => (
                None,
                Some("the code is marked deprecated, on its way out".to_string()),
            ),
            Size::Large { reason, origin } => {
                let evidence = origin.and_then(|origin| {
                    self.evidence(origin, || {
                        format!("{}, {}", reason.describe(), reason.origin_phrase())
                    })
                });
                (evidence, None)
            }
        };
        if unproven.is_some() && !self.keep_unproven {
            return None;
        }
        let diagnostic = self.push(self.scope(), range, message);
        diagnostic.evidence = evidence;
        diagnostic.unproven = unproven;
        Some(diagnostic)
    }

    /// Whether the node being checked runs only on the way to raising an error: a block of the
    /// function around it ends with `raise` (the last lines of a log read to put in the
    /// message of the `RuntimeError` raised next).
    fn leads_to_raise(&self) -> bool {
        let Some(node) = self.node else {
            return false;
        };
        let mut child = self.semantic.node(node).range();
        for ancestor in self.semantic.ancestors(node) {
            let NodeRef::Stmt(statement) = self.semantic.node(ancestor) else {
                child = self.semantic.node(ancestor).range();
                continue;
            };
            let blocks = match statement {
                Stmt::FunctionDef(function) => vec![&function.body[..]],
                Stmt::ClassDef(_) => return false,
                _ => blocks_of(statement),
            };
            // From the statement that holds the node to the `raise`, nothing leaves the block.
            let ends_in_raise = blocks.iter().any(|block| {
                let Some(at) = block.iter().position(|inner| inner.range() == child) else {
                    return false;
                };
                matches!(block.last(), Some(Stmt::Raise(_)))
                    && at + 1 < block.len()
                    && !block[at..].iter().any(may_leave)
            });
            if ends_in_raise {
                return true;
            }
            if matches!(statement, Stmt::FunctionDef(_)) {
                return false;
            }
            child = statement.range();
        }
        false
    }

    /// Whether the node being checked is in code marked deprecated, or is itself a deprecated
    /// function or class (a hook on a `def` judges its body).
    fn in_deprecated_code(&self) -> bool {
        let own_scope = self.node.and_then(|node| match self.semantic.node(node) {
            NodeRef::Stmt(definition @ (Stmt::FunctionDef(_) | Stmt::ClassDef(_))) => {
                self.semantic.scope_of(definition)
            }
            _ => None,
        });
        self.semantic
            .is_deprecated(own_scope.unwrap_or_else(|| self.scope()))
    }

    /// Reports a finding made in `scope`, for a hook that judges code other than its node (an
    /// end-of-module hook).
    pub fn report_in(
        &mut self,
        scope: ScopeId,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        debug_assert!(
            !self.rule.sized,
            "{} is sized: it reports through report_sized",
            self.rule.code
        );
        self.push(scope, range, message)
    }

    fn push(
        &mut self,
        scope: ScopeId,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let rule = self.rule;
        let mut diagnostic = Diagnostic::new(rule.code, rule.name, rule.severity, message, range);
        diagnostic.scope = self.scope_path(scope);
        // Whatever the rule: tests do not ship.
        if self.is_test_file {
            diagnostic.unproven = Some(IN_TEST_CODE.to_string());
        }
        self.diagnostics.push(diagnostic);
        self.diagnostics
            .last_mut()
            .expect("a diagnostic was just pushed")
    }

    /// The classes and functions around the node being checked, dotted (`Parser.feed`).
    fn scope_path(&self, scope: ScopeId) -> String {
        let mut names = Vec::new();
        let mut scope = Some(scope);
        while let Some(id) = scope {
            let current = self.semantic.scope(id);
            match current.kind {
                ScopeKind::Function(function) => names.push(function.name.as_str()),
                ScopeKind::Class(class) => names.push(class.name.as_str()),
                _ => {}
            }
            scope = current.parent;
        }
        names.reverse();
        names.join(".")
    }
}

/// Code to show in a help line, whole: `None` when it spans lines or is too long for one, and
/// the help should say it in words (shortened code would be wrong code).
pub fn help_code(code: &str) -> Option<&str> {
    const LIMIT: usize = 80;
    (!code.contains(['\n', '\r']) && code.chars().count() <= LIMIT).then_some(code)
}

/// Source text for a message: whitespace runs (newlines included) collapsed to one space, and
/// shortened with an ellipsis past 60 characters.
pub fn one_line(text: &str) -> String {
    const LIMIT: usize = 60;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= LIMIT {
        return text;
    }
    let short: String = text.chars().take(LIMIT - 1).collect();
    format!("{short}…")
}

type CallCheck = fn(&mut Checker, &ExprCall);
type ExprCheck = fn(&mut Checker, &Expr);
type StmtCheck = fn(&mut Checker, &Stmt);
type FunctionCheck = fn(&mut Checker, &StmtFunctionDef);
type ModuleCheck = fn(&mut Checker);

/// The enabled rules' hooks, by the node kind they want.
struct Dispatch {
    calls: Vec<(&'static Rule, CallCheck)>,
    /// By the expression's kind (`NodeKind as usize`).
    expressions: Vec<Vec<(&'static Rule, ExprCheck)>>,
    /// By the statement's kind (`NodeKind as usize`).
    statements: Vec<Vec<(&'static Rule, StmtCheck)>>,
    functions: Vec<(&'static Rule, FunctionCheck)>,
    modules: Vec<(&'static Rule, ModuleCheck)>,
    /// Whether any hook wants a node of each kind (by `NodeKind as u8`).
    wanted: [bool; 256],
}

thread_local! {
    /// The hooks of the last rule sets: a run checks file after file with the same rules (a
    /// few sets: one per configuration, and the same without sized rules for test code), so
    /// each table is built once per thread, not per file.
    static DISPATCHES: std::cell::RefCell<Vec<(RuleSet, std::rc::Rc<Dispatch>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// How many rule sets' hooks a thread keeps.
const KEPT_DISPATCHES: usize = 4;

impl Dispatch {
    fn of(rules: &RuleSet) -> std::rc::Rc<Dispatch> {
        DISPATCHES.with_borrow_mut(|kept| {
            if let Some((_, dispatch)) = kept.iter().find(|(set, _)| set == rules) {
                return dispatch.clone();
            }
            let dispatch = std::rc::Rc::new(Dispatch::new(rules));
            if kept.len() == KEPT_DISPATCHES {
                kept.remove(0);
            }
            kept.push((*rules, dispatch.clone()));
            dispatch
        })
    }

    fn new(rules: &RuleSet) -> Dispatch {
        let mut dispatch = Dispatch {
            calls: Vec::new(),
            expressions: Vec::new(),
            statements: Vec::new(),
            functions: Vec::new(),
            modules: Vec::new(),
            wanted: [false; 256],
        };
        for rule in rules.iter() {
            for hook in rule.hooks {
                match *hook {
                    Hook::Call(check) => dispatch.calls.push((rule, check)),
                    Hook::Expr(kinds, check) => {
                        add_by_kind(&mut dispatch.expressions, kinds, rule, check)
                    }
                    Hook::Stmt(kinds, check) => {
                        add_by_kind(&mut dispatch.statements, kinds, rule, check)
                    }
                    Hook::Function(check) => dispatch.functions.push((rule, check)),
                    Hook::Module(check) => dispatch.modules.push((rule, check)),
                }
            }
        }
        dispatch.wanted = dispatch.wanted_kinds();
        dispatch
    }

    fn wanted_kinds(&self) -> [bool; 256] {
        let hooked = |count: Option<usize>| count.is_some_and(|count| count > 0);
        let wants = |kind: usize| {
            hooked(self.expressions.get(kind).map(Vec::len))
                || hooked(self.statements.get(kind).map(Vec::len))
                || (kind == NodeKind::ExprCall as usize && !self.calls.is_empty())
                || (kind == NodeKind::StmtFunctionDef as usize && !self.functions.is_empty())
        };
        std::array::from_fn(wants)
    }
}

fn add_by_kind<Check>(
    by_kind: &mut Vec<Vec<(&'static Rule, Check)>>,
    kinds: &[NodeKind],
    rule: &'static Rule,
    check: Check,
) where
    Check: Copy,
{
    for &kind in kinds {
        let index = kind as usize;
        if by_kind.len() <= index {
            by_kind.resize_with(index + 1, Vec::new);
        }
        by_kind[index].push((rule, check));
    }
}

/// Whether `statement` may leave the block it is in other than by raising: a `return`,
/// `break` or `continue` in it (not in a function it defines).
fn may_leave(statement: &Stmt) -> bool {
    matches!(
        statement,
        Stmt::Return(_) | Stmt::Break(_) | Stmt::Continue(_)
    ) || blocks_of(statement)
        .iter()
        .any(|block| block.iter().any(may_leave))
}

/// Why a finding in test code is unproven, whatever its rule: tests do not ship to the device,
/// and a test's data is what it brings along, large for a test and seldom for a device. On the
/// benchmark's real tree three findings in four were in test code (439 of them EL503 on
/// pandas's own test fixtures).
const IN_TEST_CODE: &str = "in test code, the data is what the test supplies";

/// Why growth over the life of a command-line program is not known to matter.
pub(crate) const RUNS_ONCE: &str =
    "the module is a command-line program: it runs once over its input, then exits";

/// Runs the enabled rules over `module` in one walk, then their end-of-module hooks, and
/// returns their findings, in the order they were found. Unproven findings are built only with
/// `keep_unproven`: with `--pedantic`, or for EL003 in a file with `noqa` comments. `role` is
/// what the file's path tells (test code, an example, a notebook): in a project, the path from
/// the top of the file's repository (see `ProjectContext::path`).
pub fn check_module<'a>(
    module: &'a ModModule,
    role: FileRole,
    source: &'a str,
    semantic: &'a SemanticModel<'a>,
    rules: &RuleSet,
    target_version: PythonVersion,
    keep_unproven: bool,
) -> Vec<Diagnostic> {
    let (is_test_file, is_example_file) = (role.test, role.example);
    // Every finding in test code is unproven, and in examples every finding of a sized rule:
    // unless those are kept, the rules are not run there at all.
    if is_test_file && !keep_unproven {
        return Vec::new();
    }
    let rules = if is_example_file && !keep_unproven {
        rules.without_sized()
    } else {
        *rules
    };
    let dispatch = Dispatch::of(&rules);
    let mut checker = Checker {
        module,
        is_test_file,
        is_program_file: role.program,
        is_example_file,
        is_notebook: role.notebook,
        source,
        semantic,
        target_version,
        node: None,
        // Replaced before every hook call.
        rule: &crate::engine::SYNTAX_ERROR,
        keep_unproven,
        diagnostics: Vec::new(),
        memos: HashMap::default(),
    };
    // The rules read the tree in the order the model's builder walked it: the model's node
    // table, so the tree is walked once, and where a node is (its scope, its ancestors,
    // whether it is in a loop) is the model's answer for it.
    for (id, kind) in semantic.node_kinds() {
        // The kind is in the model's table: most nodes interest no rule, and are not read.
        if !dispatch.wanted[usize::from(kind as u8)] {
            continue;
        }
        let kind = kind as usize;
        checker.node = Some(id);
        match semantic.node(id) {
            NodeRef::Stmt(stmt) => {
                for &(rule, check) in dispatch.statements.get(kind).into_iter().flatten() {
                    checker.rule = rule;
                    check(&mut checker, stmt);
                }
                if let Stmt::FunctionDef(function) = stmt {
                    for &(rule, check) in &dispatch.functions {
                        checker.rule = rule;
                        check(&mut checker, function);
                    }
                }
            }
            NodeRef::Expr(expr) => {
                for &(rule, check) in dispatch.expressions.get(kind).into_iter().flatten() {
                    checker.rule = rule;
                    check(&mut checker, expr);
                }
                if let Expr::Call(call) = expr {
                    for &(rule, check) in &dispatch.calls {
                        checker.rule = rule;
                        check(&mut checker, call);
                    }
                }
            }
        }
    }
    checker.node = None;
    for &(rule, check) in &dispatch.modules {
        checker.rule = rule;
        check(&mut checker);
    }
    checker.diagnostics
}

/// What a collection is as big as, which the message names rather than the whole expression:
/// the iterable of a comprehension's first `for`, the argument of `list(x)` or `sorted(x)`.
fn iterated_source(value: &Expr) -> &Expr {
    match value {
        Expr::Call(call)
            if matches!(&*call.func, Expr::Name(name)
                if matches!(name.id.as_str(), "list" | "tuple" | "set" | "sorted")) =>
        {
            call.arguments.args.first().unwrap_or(value)
        }
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::SetComp(ast::ExprSetComp { generators, .. })
        | Expr::DictComp(ast::ExprDictComp { generators, .. })
        | Expr::Generator(ast::ExprGenerator { generators, .. }) => generators
            .first()
            .map_or(value, |generator| &generator.iter),
        _ => value,
    }
}

/// How a loop uses a buffer (see [`Checker::buffer_use`]).
#[derive(Copy, Clone, Debug)]
pub(crate) struct BufferUse {
    pub(crate) fills: bool,
    pub(crate) consumes: bool,
}

impl BufferUse {
    pub(crate) fn is_parser_buffer(self) -> bool {
        self.fills && self.consumes
    }
}

/// Why a parser's buffer (see [`Checker::buffer_use`]) is not known to be large.
pub(crate) fn parse_buffer_reason(name: &str) -> String {
    format!("the loop consumes `{name}` as it fills it: it holds what is not parsed yet, about one message")
}

/// Whether an assignment target is `path`, or a tuple or list holding it.
fn mentions_path(target: &Expr, is_path: &impl Fn(&Expr) -> bool) -> bool {
    match target {
        Expr::Tuple(tuple) => tuple
            .elts
            .iter()
            .any(|element| mentions_path(element, is_path)),
        Expr::List(list) => list
            .elts
            .iter()
            .any(|element| mentions_path(element, is_path)),
        _ => is_path(target),
    }
}
