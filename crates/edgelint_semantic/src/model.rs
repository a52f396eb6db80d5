//! The semantic model's data: scopes, bindings and references, and the questions rules ask.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::packages::Packages;

use ruff_python_ast::{
    Expr, ExprLambda, ExprName, HasNodeIndex, Stmt, StmtClassDef, StmtFunctionDef, StmtReturn,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::last_name;
use crate::nodes::name_hash;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            pub(crate) fn new(index: usize) -> Self {
                $name(u32::try_from(index).expect("fewer than 2^32 items per file"))
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(ScopeId);
id_type!(BindingId);
id_type!(ReferenceId);
id_type!(NodeId);

impl NodeId {
    /// Set in the id of a name that reads (a name being read, deleted, or augmented with
    /// `+=`): such a name is a [`Reference`], not a node of the table. Names read are more
    /// than a third of a module's expressions, and what the model answers of one, its
    /// reference holds.
    const READ: u32 = 1 << 31;

    pub(crate) fn of_read(reference: ReferenceId) -> NodeId {
        NodeId(reference.0 | Self::READ)
    }

    /// The reference, when this is the id of a name being read.
    pub(crate) fn read(self) -> Option<ReferenceId> {
        (self.0 & Self::READ != 0).then_some(ReferenceId(self.0 & !Self::READ))
    }
}

/// What introduced a scope.
#[derive(Copy, Clone, Debug)]
pub enum ScopeKind<'a> {
    Module,
    Class(&'a StmtClassDef),
    Function(&'a StmtFunctionDef),
    Lambda(&'a ExprLambda),
    /// A list, set or dict comprehension or a generator expression.
    Comprehension,
}

impl ScopeKind<'_> {
    /// Functions and lambdas run later, when called: a name they use is captured.
    pub fn is_function_like(&self) -> bool {
        matches!(self, ScopeKind::Function(_) | ScopeKind::Lambda(_))
    }
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    pub parent: Option<ScopeId>,
    /// The binding each name has at the end of the scope (or at the point the builder has
    /// reached while the scope is open).
    pub(crate) current: HashMap<&'a str, BindingId>,
    /// Names Python treats as local to this scope: bound anywhere in it and not declared
    /// `global` or `nonlocal`. Only for function-like and comprehension scopes.
    pub(crate) locals: HashSet<&'a str>,
    pub(crate) globals: HashSet<&'a str>,
    pub(crate) nonlocals: HashSet<&'a str>,
    /// Where the bindings made in this scope lie in [`SemanticModel::bindings_by_scope`].
    pub(crate) bindings: std::ops::Range<u32>,
    /// Where a function's `return` statements (not those of functions nested in it) lie in
    /// [`SemanticModel::returns`].
    pub(crate) returns: std::ops::Range<u32>,
    /// Whether the scope yields: a function that does is a generator.
    pub(crate) is_generator: bool,
    /// The nodes of the scope's own code: those the builder numbered from the start of its
    /// body to its end (nested classes and comprehensions included, the bodies of nested
    /// functions and lambdas not: they are numbered later, each in one run of its own).
    pub(crate) nodes: std::ops::Range<u32>,
    /// The names read in the scope's own code, as [`Scope::nodes`] (see [`NodeId::read`]).
    pub(crate) reads: std::ops::Range<u32>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(kind: ScopeKind<'a>, parent: Option<ScopeId>) -> Self {
        Scope {
            kind,
            parent,
            current: HashMap::default(),
            locals: HashSet::default(),
            globals: HashSet::default(),
            nonlocals: HashSet::default(),
            bindings: 0..0,
            returns: 0..0,
            is_generator: false,
            nodes: 0..0,
            reads: 0..0,
        }
    }

    /// The binding `name` has at the end of this scope.
    pub fn binding(&self, name: &str) -> Option<BindingId> {
        self.current.get(name).copied()
    }

    // Asked of every name read, and most scopes declare nothing: an empty set answers without
    // hashing the name.
    pub fn declares_global(&self, name: &str) -> bool {
        !self.globals.is_empty() && self.globals.contains(name)
    }

    pub fn declares_nonlocal(&self, name: &str) -> bool {
        !self.nonlocals.is_empty() && self.nonlocals.contains(name)
    }
}

/// How a name was bound.
#[derive(Clone, Debug)]
pub enum BindingKind<'a> {
    /// `name = value` (or `name: T = value`). `value` is the assigned expression when the name
    /// is the whole target, `None` when it is part of an unpacking or a chained target list.
    Assignment {
        value: Option<&'a Expr>,
    },
    /// `name += value`: the same object, or a new one built from it, of the same kind as the
    /// binding it replaces (`previous`, when the name was bound before).
    AugmentedAssignment {
        previous: Option<BindingId>,
    },
    /// `(name := value)`.
    NamedExpr {
        value: &'a Expr,
    },
    Parameter {
        default: Option<&'a Expr>,
        annotation: Option<&'a Expr>,
    },
    /// `import a.b as name` / `from a import b as name`, with the dotted path it names; `None`
    /// for relative imports, whose package we cannot see.
    Import {
        qualified_name: Option<String>,
    },
    FunctionDef(&'a StmtFunctionDef),
    ClassDef(&'a StmtClassDef),
    /// The target of a `for` loop or a comprehension.
    LoopTarget,
    /// `with context as name`.
    WithTarget {
        context: &'a Expr,
    },
    /// `except E as name`.
    ExceptHandler,
    /// A capture in a `match` pattern, or another binding no rule needs to look into.
    Other,
    /// `del name` (`explicit`), or the implicit deletion at the end of an `except ... as name`
    /// handler.
    Deletion {
        explicit: bool,
    },
}

#[derive(Debug)]
pub struct Binding<'a> {
    pub name: &'a str,
    pub kind: BindingKind<'a>,
    /// The name's own range (for a function or class, its name identifier).
    pub range: TextRange,
    pub scope: ScopeId,
    /// The statement that made the binding, when it is one.
    pub statement: Option<&'a Stmt>,
    /// Where its reads are in [`SemanticModel::references_by_binding`].
    pub(crate) references: std::ops::Range<u32>,
}

/// The bindings of the scopes too big to read through, grouped by name (see
/// [`SemanticModel::bindings_named`]): each binding's id beside its scope and the hash of its
/// name, sorted by those.
#[derive(Debug)]
pub(crate) struct BindingsByName {
    keys: Vec<(ScopeId, u32)>,
    /// Within a group, in binding order.
    ids: Vec<BindingId>,
    /// The same groups, each in the order of the bindings' text (see
    /// [`SemanticModel::bindings_named_within`]).
    ids_by_position: Vec<BindingId>,
}

/// How many bindings a scope may have for [`SemanticModel::bindings_named`] to read them all.
pub(crate) const SMALL_SCOPE: usize = 256;

/// How many reads a binding may have for [`SemanticModel::reference_of`] to read them all.
const FEW_READS: usize = 32;

/// What a name that is read refers to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Binding(BindingId),
    /// A builtin: nothing in the module binds the name and no star import could.
    Builtin,
    /// Unknown: unbound at that point, or possibly from a star import.
    Unresolved,
}

#[derive(Debug)]
pub struct Reference<'a> {
    pub range: TextRange,
    /// The name expression that reads (see [`NodeId::read`]).
    pub node: NodeId,
    /// The scope the name is read in.
    pub scope: ScopeId,
    pub target: Target,
    /// What the model answers of a read's [`NodeId`], kept here as a read has no node record:
    /// the name, the node around it, where it stands, and the id the next node got.
    pub(crate) name: &'a Expr,
    pub(crate) parent: u32,
    pub(crate) flags: crate::nodes::NodeFlags,
    pub(crate) next_node: u32,
}

/// Everything known about one module's names.
#[derive(Debug)]
pub struct SemanticModel<'a> {
    pub(crate) scopes: Vec<Scope<'a>>,
    pub(crate) bindings: Vec<Binding<'a>>,
    pub(crate) references: Vec<Reference<'a>>,
    /// Every statement and expression, by [`NodeId`] (see `nodes.rs`).
    pub(crate) nodes: Vec<crate::nodes::NodeRecord<'a>>,
    /// The reads of each binding, one binding after the other (see [`Binding::references`]):
    /// one table made after the walk rather than a growing list per binding.
    pub(crate) references_by_binding: Vec<ReferenceId>,
    /// The bindings of each scope, in the order they were made, one scope after the other
    /// (see [`Scope::bindings`]): made after the walk, as the references are.
    pub(crate) bindings_by_scope: Vec<BindingId>,
    /// The `return` statements of each function, one function after the other (see
    /// [`Scope::returns`]): a function's body is walked whole before the next one, so its
    /// returns come together.
    pub(crate) returns: Vec<&'a StmtReturn>,
    /// Binding sites by the start of the bound name.
    pub(crate) binding_at: HashMap<TextSize, BindingId>,
    /// Scope-creating nodes (functions, classes, lambdas, comprehensions) by their start.
    pub(crate) scope_at: HashMap<TextSize, ScopeId>,
    pub(crate) has_star_import: bool,
    /// The bindings of imports that name what they import (not a relative import that leaves
    /// the top-level package), in the order they were bound.
    pub(crate) import_bindings: Vec<BindingId>,
    /// The top-level packages the module imports anywhere (`numpy` for `import numpy.linalg`),
    /// of those rules ask about.
    pub(crate) imported_packages: Packages,
    pub(crate) long_running: crate::long_running::LongRunningFunctions,
    /// The calls of the module's own functions, for parameters only their callers size.
    pub(crate) call_sites: std::cell::OnceCell<crate::call_sites::CallSites>,
    /// The bindings read as `len()`'s argument (see `size.rs`).
    pub(crate) measured: std::cell::OnceCell<HashSet<BindingId>>,
    /// See [`SemanticModel::bindings_named`].
    pub(crate) bindings_by_name: std::cell::OnceCell<BindingsByName>,
    /// Every read, by the start of its text (see [`SemanticModel::reference_of`]).
    pub(crate) references_by_position: std::cell::OnceCell<Vec<ReferenceId>>,
    /// See [`SemanticModel::attributes_handed_out`].
    pub(crate) handed_out: std::cell::OnceCell<Vec<String>>,
    /// What the builder noted for [`SemanticModel::attributes_handed_out`].
    pub(crate) handing_on: crate::handed_out::HandingOn<'a>,
    /// See [`SemanticModel::written_for_torchscript`].
    pub(crate) torchscript: std::cell::OnceCell<bool>,
    /// The attributes named as a TorchScript marker is (see [`may_mark_torchscript`]), noted
    /// by the builder.
    pub(crate) torchscript_marks: Vec<NodeId>,
    /// Every attribute expression, in the builder's order, with a hash of its name (see
    /// [`SemanticModel::attribute_nodes`]), noted by the builder.
    pub(crate) attributes: crate::nodes::AttributeNotes,
    /// The other modules of the project, when the module is checked as part of one.
    pub(crate) project: Option<crate::ProjectContext<'a>>,
    /// Places in other modules that provenance has pointed at, by [`crate::provenance::Origin::Project`].
    pub(crate) evidence: std::cell::RefCell<Vec<std::sync::Arc<crate::Evidence>>>,
    /// Set while the module is being summarized: questions then ignore the other modules.
    pub(crate) summarizing: std::cell::Cell<bool>,
    /// The project functions questions asked about, by qualified name.
    pub(crate) project_functions:
        std::cell::RefCell<HashMap<String, Option<crate::FunctionSummary>>>,
    /// The other modules questions named, by module name (`None`: not a module of the
    /// project): every call through `os.path` asks for `os.path` and then `os`.
    pub(crate) project_modules:
        std::cell::RefCell<HashMap<String, Option<std::sync::Arc<crate::ModuleSummary>>>>,
    /// What each function of the module returns, by the start of its `def` and whether it was
    /// worked out while summarizing; `None` while it is being worked out.
    pub(crate) returned:
        std::cell::RefCell<HashMap<(TextSize, bool), Option<crate::provenance::Provenance>>>,
}

/// A dotted name as Python would find it at run time: `builtins.sum`, `collections.Counter`,
/// `numpy.zeros`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QualifiedName(String);

impl QualifiedName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The builtin's own name when this is `builtins.<name>`.
    pub fn builtin(&self) -> Option<&str> {
        self.0.strip_prefix("builtins.")
    }
}

impl<'a> SemanticModel<'a> {
    pub const MODULE_SCOPE: ScopeId = ScopeId(0);

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.index()]
    }

    /// The reads of a binding, in the builder's order.
    pub fn references_of(&self, id: BindingId) -> &[ReferenceId] {
        let span = &self.binding(id).references;
        &self.references_by_binding[span.start as usize..span.end as usize]
    }

    pub fn binding(&self, id: BindingId) -> &Binding<'a> {
        &self.bindings[id.index()]
    }

    pub fn reference(&self, id: ReferenceId) -> &Reference<'a> {
        &self.references[id.index()]
    }

    /// The scope a function, class, lambda or comprehension node introduces.
    pub fn scope_of(&self, node: impl Ranged) -> Option<ScopeId> {
        self.scope_at.get(&node.start()).copied()
    }

    /// The binding made at a name being assigned (a `Store` name, a parameter, an `as` name).
    pub fn binding_at(&self, name: impl Ranged) -> Option<BindingId> {
        self.binding_at.get(&name.start()).copied()
    }

    /// The reference a name being read makes (its scope and target).
    pub fn reference_at(&self, name: &(impl HasNodeIndex + Ranged)) -> Option<&Reference<'a>> {
        Some(self.reference(self.node_id(name)?.read()?))
    }

    /// The read of `binding` at `range`, for a use found by its range. Rules ask it for each
    /// use of a name: past [`FEW_READS`], the read is searched by position among the module's
    /// reads, not among the binding's for each of its own.
    pub fn reference_of(&self, binding: BindingId, range: TextRange) -> Option<&Reference<'a>> {
        let reads = self.references_of(binding);
        if reads.len() <= FEW_READS {
            return reads
                .iter()
                .map(|id| self.reference(*id))
                .find(|reference| reference.range == range);
        }
        let by_position = self.references_by_position.get_or_init(|| {
            let mut ids: Vec<ReferenceId> =
                (0..self.references.len()).map(ReferenceId::new).collect();
            ids.sort_by_key(|id| self.reference(*id).range.start());
            ids
        });
        let first =
            by_position.partition_point(|id| self.reference(*id).range.start() < range.start());
        by_position[first..]
            .iter()
            .map(|id| self.reference(*id))
            .take_while(|reference| reference.range.start() == range.start())
            .find(|reference| {
                reference.range == range && reference.target == Target::Binding(binding)
            })
    }

    /// What a name being read refers to.
    pub fn target_of(&self, name: &(impl HasNodeIndex + Ranged)) -> Target {
        self.reference_at(name)
            .map_or(Target::Unresolved, |reference| reference.target)
    }

    /// The binding a name being read refers to, when it is one.
    pub fn binding_of(&self, name: &(impl HasNodeIndex + Ranged)) -> Option<BindingId> {
        match self.target_of(name) {
            Target::Binding(id) => Some(id),
            _ => None,
        }
    }

    /// What `expr` (a name or a chain of attributes on one) refers to, when that is certain:
    /// an import or a builtin.
    pub fn resolve(&self, expr: &Expr) -> Option<QualifiedName> {
        let name = dotted_head(expr)?;
        match self.target_of(name) {
            Target::Builtin if expr.is_name_expr() && is_builtin_name(name.id.as_str()) => {
                Some(QualifiedName(format!("builtins.{}", name.id.as_str())))
            }
            target => {
                let path = self.import_path(target)?;
                let mut qualified = String::with_capacity(path.len() + attributes_len(expr));
                qualified.push_str(path);
                push_attributes(&mut qualified, expr);
                Some(QualifiedName(qualified))
            }
        }
    }

    /// Whether `expr` resolves to one of `names` (qualified, such as `builtins.sum`). The same
    /// answer as [`SemanticModel::resolve`], without building the name: rules ask this of
    /// nearly every call, so the first name of the chain is looked up once for all `names`.
    pub fn resolves_to(&self, expr: &Expr, names: &[&str]) -> bool {
        // An attribute spells only the names that end with it (see `spells`): most calls are
        // methods of other values (`rows.append(row)`), whose head is then not looked up.
        if let Expr::Attribute(attribute) = expr {
            let last = attribute.attr.as_str();
            let ends_with_it = |qualified: &&str| {
                qualified
                    .strip_suffix(last)
                    .is_some_and(|rest| rest.ends_with('.'))
            };
            if !names.iter().any(ends_with_it) {
                return false;
            }
        }
        let Some(name) = dotted_head(expr) else {
            return false;
        };
        match self.target_of(name) {
            Target::Builtin if expr.is_name_expr() => {
                // Asked first: most questions name no builtin.
                let asked = names
                    .iter()
                    .any(|qualified| qualified.strip_prefix("builtins.") == Some(name.id.as_str()));
                asked && is_builtin_name(name.id.as_str())
            }
            target => self
                .import_path(target)
                .is_some_and(|path| names.iter().any(|qualified| spells(qualified, path, expr))),
        }
    }

    /// The qualified name an import binds, when the name read is one (not a builtin: `sum.x`
    /// is not a path into a module).
    fn import_path(&self, target: Target) -> Option<&str> {
        let Target::Binding(id) = target else {
            return None;
        };
        match &self.binding(id).kind {
            BindingKind::Import {
                qualified_name: Some(path),
            } => Some(path),
            _ => None,
        }
    }

    /// Whether a nested function or lambda reads the binding: then it lives as long as the
    /// closure does.
    pub fn is_captured(&self, id: BindingId) -> bool {
        let binding = self.binding(id);
        self.references_of(id).iter().any(|reference| {
            let mut scope = self.reference(*reference).scope;
            while scope != binding.scope {
                let current = self.scope(scope);
                if current.kind.is_function_like() {
                    return true;
                }
                match current.parent {
                    Some(parent) => scope = parent,
                    None => return false,
                }
            }
            false
        })
    }

    /// The class body a method is defined in, when `function` is a method.
    pub fn class_of(&self, function: &StmtFunctionDef) -> Option<ScopeId> {
        let class = self.scope(self.scope_of(function)?).parent?;
        matches!(self.scope(class).kind, ScopeKind::Class(_)).then_some(class)
    }

    /// The functions defined in a class body, each with the scope of its body.
    pub fn methods(
        &self,
        class: ScopeId,
    ) -> impl Iterator<Item = (&'a StmtFunctionDef, ScopeId)> + '_ {
        self.bindings_in(class)
            .filter_map(|(_, binding)| match binding.kind {
                BindingKind::FunctionDef(method) => Some((method, self.scope_of(method)?)),
                _ => None,
            })
    }

    /// Whether the binding is the only one of its name in its scope: then every read of the
    /// name there that reaches a binding reaches this one.
    pub fn is_only_binding(&self, id: BindingId) -> bool {
        let binding = self.binding(id);
        self.bindings_named(binding.scope, binding.name).count() == 1
    }

    /// The bindings of `name` in `scope`, in the order [`SemanticModel::bindings_in`] gives
    /// them. Rules ask for each binding they look at: a small scope's bindings are read
    /// through, and the big scopes' are grouped by name the first time one is asked about, as
    /// reading a big scope's bindings for each of them would cost the square of its size.
    pub fn bindings_named<'s>(
        &'s self,
        scope: ScopeId,
        name: &'s str,
    ) -> impl Iterator<Item = (BindingId, &'s Binding<'a>)> + 's {
        let candidates = match self.group_of(scope, name) {
            Some((by_name, group)) => &by_name.ids[group],
            None => self.scope_bindings(scope),
        };
        self.named(candidates, name)
    }

    /// The bindings of `name` in `scope` whose text lies within `range`, in no promised order.
    /// Rules ask it for every loop or block around a finding: in a big scope, a name bound
    /// thousands of times is searched by position, not read through for each of them.
    pub fn bindings_named_within<'s>(
        &'s self,
        scope: ScopeId,
        name: &'s str,
        range: TextRange,
    ) -> impl Iterator<Item = (BindingId, &'s Binding<'a>)> + 's {
        let candidates = match self.group_of(scope, name) {
            Some((by_name, group)) => {
                let group = &by_name.ids_by_position[group];
                let start =
                    group.partition_point(|id| self.binding(*id).range.start() < range.start());
                let end = start
                    + group[start..]
                        .partition_point(|id| self.binding(*id).range.start() <= range.end());
                &group[start..end]
            }
            None => self.scope_bindings(scope),
        };
        self.named(candidates, name)
            .filter(move |(_, binding)| range.contains_range(binding.range))
    }

    /// For a scope too big to read through: the grouped bindings and where the group of
    /// `name`'s hash lies in them.
    fn group_of(
        &self,
        scope: ScopeId,
        name: &str,
    ) -> Option<(&BindingsByName, std::ops::Range<usize>)> {
        if self.scope(scope).bindings.len() <= SMALL_SCOPE {
            return None;
        }
        let by_name = self
            .bindings_by_name
            .get_or_init(|| self.group_bindings_by_name());
        let key = (scope, name_hash(name));
        let start = by_name.keys.partition_point(|other| *other < key);
        let end = start + by_name.keys[start..].partition_point(|other| *other == key);
        Some((by_name, start..end))
    }

    /// Those of `candidates` named `name` (a group of one hash may hold other names).
    fn named<'s>(
        &'s self,
        candidates: &'s [BindingId],
        name: &'s str,
    ) -> impl Iterator<Item = (BindingId, &'s Binding<'a>)> + 's {
        candidates
            .iter()
            .map(|id| (*id, self.binding(*id)))
            .filter(move |(_, binding)| binding.name == name)
    }

    /// The bindings of the big scopes, sorted by scope, name hash and order (see
    /// [`SemanticModel::bindings_named`]), and again by position within each group.
    fn group_bindings_by_name(&self) -> BindingsByName {
        let mut grouped: Vec<((ScopeId, u32), BindingId)> = self
            .scopes
            .iter()
            .enumerate()
            .filter(|(_, scope)| scope.bindings.len() > SMALL_SCOPE)
            .flat_map(|(index, _)| {
                let scope = ScopeId::new(index);
                self.scope_bindings(scope).iter().map(move |id| {
                    let key = (scope, name_hash(self.binding(*id).name));
                    (key, *id)
                })
            })
            .collect();
        // Stable: a scope's bindings are in binding order, which a group keeps.
        grouped.sort_by_key(|(key, _)| *key);
        let mut by_position = grouped.clone();
        by_position.sort_by_key(|(key, id)| (*key, self.binding(*id).range.start()));
        let (keys, ids) = grouped.into_iter().unzip();
        let ids_by_position = by_position.into_iter().map(|(_, id)| id).collect();
        BindingsByName {
            keys,
            ids,
            ids_by_position,
        }
    }

    pub fn bindings_in(&self, scope: ScopeId) -> impl Iterator<Item = (BindingId, &Binding<'a>)> {
        self.scope_bindings(scope)
            .iter()
            .map(|id| (*id, self.binding(*id)))
    }

    /// The bindings made in `scope`, in order.
    pub(crate) fn scope_bindings(&self, scope: ScopeId) -> &[BindingId] {
        let span = &self.scope(scope).bindings;
        &self.bindings_by_scope[span.start as usize..span.end as usize]
    }

    /// A function's `return` statements, not those of functions nested in it; none for a
    /// scope that is no function's body.
    pub fn returns_of(&self, scope: ScopeId) -> &[&'a StmtReturn] {
        let span = &self.scope(scope).returns;
        &self.returns[span.start as usize..span.end as usize]
    }

    pub fn module_scope(&self) -> &Scope<'a> {
        self.scope(Self::MODULE_SCOPE)
    }

    pub fn has_star_import(&self) -> bool {
        self.has_star_import
    }

    /// Whether the module imports any of these top-level packages, anywhere in it.
    pub fn imports_any(&self, packages: Packages) -> bool {
        self.imported_packages.intersects(packages)
    }

    /// Whether the module is written to be compiled by TorchScript (`torch.jit.script`): it
    /// asks `torch.jit.is_scripting()` or marks code with `@torch.jit.unused`, `ignore`,
    /// `export`, `torch.jit.annotate` or `Final`. TorchScript compiles lists and
    /// comprehensions, not generators or `itertools`, so lazier code would not compile there.
    pub fn written_for_torchscript(&self) -> bool {
        *self.torchscript.get_or_init(|| {
            self.imports_any(Packages::TORCH)
                && self.torchscript_marks.iter().any(|id| {
                    matches!(self.node(*id), crate::NodeRef::Expr(Expr::Attribute(attribute))
                        if self.resolves_to(&attribute.value, &["torch.jit"]))
                })
        })
    }

    /// Whether code in `scope` is marked deprecated, and so on its way out: it is in a function
    /// decorated `@deprecated` (`warnings.deprecated`, `typing_extensions.deprecated`, a
    /// package's own), or in a class so decorated or whose `__init__` or `__new__` is.
    pub fn is_deprecated(&self, scope: ScopeId) -> bool {
        let deprecated = |decorators: &[ruff_python_ast::Decorator]| {
            decorators.iter().any(|decorator| {
                let marker = match &decorator.expression {
                    Expr::Call(call) => &*call.func,
                    other => other,
                };
                let Some(last) = last_name(marker) else {
                    return false;
                };
                last == "deprecated"
            })
        };
        let mut scope = Some(scope);
        while let Some(id) = scope {
            let current = self.scope(id);
            match current.kind {
                ScopeKind::Function(function) if deprecated(&function.decorator_list) => {
                    return true
                }
                ScopeKind::Class(class) => {
                    let constructor_deprecated = self.methods(id).any(|(method, _)| {
                        matches!(method.name.as_str(), "__init__" | "__new__")
                            && deprecated(&method.decorator_list)
                    });
                    if deprecated(&class.decorator_list) || constructor_deprecated {
                        return true;
                    }
                }
                _ => {}
            }
            scope = current.parent;
        }
        false
    }

    /// How module-level code can name `qualified_name` (such as `itertools.islice`) through
    /// the module's own imports: `islice` after `from itertools import islice`, `it.islice`
    /// after `import itertools as it`; `None` when it is not imported.
    pub fn import_access(&self, qualified_name: &str) -> Option<String> {
        let module = self.module_scope();
        let imported_as = |wanted: &str| {
            self.scope_bindings(Self::MODULE_SCOPE)
                .iter()
                .find_map(|id| {
                    let binding = self.binding(*id);
                    match &binding.kind {
                        BindingKind::Import {
                            qualified_name: Some(name),
                        } if name == wanted && module.binding(binding.name) == Some(*id) => {
                            Some(binding.name)
                        }
                        _ => None,
                    }
                })
        };
        if let Some(local) = imported_as(qualified_name) {
            return Some(local.to_string());
        }
        let (parent, member) = qualified_name.rsplit_once('.')?;
        imported_as(parent).map(|local| format!("{local}.{member}"))
    }
}

/// The name `a` that `a.b.c` reads its attributes from; chains longer than any API name
/// (eight attributes) are not followed.
fn dotted_head(expr: &Expr) -> Option<&ExprName> {
    let mut head = expr;
    for _ in 0..=8 {
        match head {
            Expr::Name(name) => return Some(name),
            Expr::Attribute(attribute) => head = &attribute.value,
            _ => return None,
        }
    }
    None
}

/// The length of `.b.c` in `a.b.c`.
fn attributes_len(mut expr: &Expr) -> usize {
    let mut len = 0;
    while let Expr::Attribute(attribute) = expr {
        len += 1 + attribute.attr.len();
        expr = &attribute.value;
    }
    len
}

/// Appends `.b.c` for `a.b.c`.
pub(crate) fn push_attributes(qualified: &mut String, expr: &Expr) {
    if let Expr::Attribute(attribute) = expr {
        push_attributes(qualified, &attribute.value);
        qualified.push('.');
        qualified.push_str(attribute.attr.as_str());
    }
}

/// Python's builtin functions, types and constants (exception classes are recognised by their
/// suffix), sorted for a binary search.
pub(crate) const BUILTIN_NAMES: &[&str] = &[
    "BaseException",
    "BaseExceptionGroup",
    "Ellipsis",
    "ExceptionGroup",
    "GeneratorExit",
    "KeyboardInterrupt",
    "NotImplemented",
    "StopAsyncIteration",
    "StopIteration",
    "SystemExit",
    "__build_class__",
    "__debug__",
    "__import__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

pub(crate) fn is_builtin_name(name: &str) -> bool {
    BUILTIN_NAMES.binary_search(&name).is_ok()
        || name.ends_with("Error")
        || name.ends_with("Warning")
        || name.ends_with("Exception")
}

/// Whether `qualified` is `path` followed by the attributes `expr` reads from its head
/// (`numpy.linalg.norm` for `np.linalg.norm` with `np` bound to `numpy`), compared from the
/// last attribute back.
fn spells(qualified: &str, path: &str, expr: &Expr) -> bool {
    let mut rest = qualified;
    let mut head = expr;
    while let Expr::Attribute(attribute) = head {
        let Some(before) = rest
            .strip_suffix(attribute.attr.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
        else {
            return false;
        };
        rest = before;
        head = &attribute.value;
    }
    rest == path
}

/// Whether `attribute` is named as one of the markers of code written for TorchScript is:
/// `torch.jit.is_scripting`, `unused`, `ignore`, `export`, `annotate`, `Final` and `script`.
pub(crate) fn may_mark_torchscript(attribute: &ruff_python_ast::ExprAttribute) -> bool {
    matches!(
        attribute.attr.as_str(),
        "is_scripting" | "unused" | "ignore" | "export" | "annotate" | "Final" | "script"
    )
}
