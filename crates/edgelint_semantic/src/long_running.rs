//! Long-running regions: code that can keep a function's frame (and every local in it) alive
//! for a long time. A loop, an `await`, a sleep, a `.join()` or `.wait()`, a server's
//! `serve_forever()`, or a call to a function of the same module (or a method of the same
//! class called through `self`) that itself contains one.

use rustc_hash::FxHashMap as HashMap;
use std::cell::OnceCell;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use crate::{BindingKind, ScopeKind, SemanticModel};

/// What makes a region long-running.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Region<'a> {
    Loop,
    Await,
    Sleep,
    /// `.join()` with no positional argument (threads, processes, queues; never `str.join`).
    Join,
    Wait,
    /// `serve_forever()`, `run_forever()`.
    ServeForever,
    /// A call to a function of this module that contains a long-running region.
    Call(&'a str),
    /// A call to a function of another module of the project that runs one.
    ProjectCall,
}

impl Region<'_> {
    pub fn describe(&self) -> String {
        match self {
            Region::Loop => "this loop".to_string(),
            Region::Await => "this `await`".to_string(),
            Region::Sleep => "this sleep".to_string(),
            Region::Join => "this `.join()`".to_string(),
            Region::Wait => "this `.wait()`".to_string(),
            Region::ServeForever => "this serving loop".to_string(),
            Region::Call(name) => {
                format!("this call to `{name}()`, which runs a long-running loop or wait")
            }
            Region::ProjectCall => {
                "this call, which runs a long-running loop or wait in another module".to_string()
            }
        }
    }
}

/// Which of the module's functions contain a long-running region, by the start of their `def`.
#[derive(Debug, Default)]
pub(crate) struct LongRunningFunctions {
    functions: OnceCell<HashMap<TextSize, bool>>,
}

impl<'a> SemanticModel<'a> {
    /// The long-running region a call is, if it is one.
    pub fn call_region(&self, call: &ast::ExprCall) -> Option<Region<'a>> {
        if self.resolves_to(&call.func, &["time.sleep", "asyncio.sleep"]) {
            return Some(Region::Sleep);
        }
        if let Expr::Attribute(method) = &*call.func {
            match method.attr.as_str() {
                "join"
                    if call.arguments.args.is_empty() && !method.value.is_string_literal_expr() =>
                {
                    return Some(Region::Join);
                }
                "wait" => return Some(Region::Wait),
                "serve_forever" | "run_forever" => return Some(Region::ServeForever),
                _ => {}
            }
        }
        if let Some(callee) = self.callee(&call.func) {
            return self
                .runs_long(callee)
                .then_some(Region::Call(callee.name.as_str()));
        }
        let qualified = self.resolve(&call.func)?;
        self.project_function_runs_long(qualified.as_str())
            .then_some(Region::ProjectCall)
    }

    /// The first long-running region directly in `expr` (not in nested functions or lambdas).
    pub fn expression_region(&self, expr: &Expr) -> Option<Region<'a>> {
        let mut finder = RegionFinder {
            model: self,
            found: None,
            loops_count: false,
        };
        finder.visit_expr(expr);
        finder.found
    }

    /// The first long-running region directly in `statement` (loops included, nested function
    /// bodies excluded).
    pub fn statement_region(&self, statement: &Stmt) -> Option<Region<'a>> {
        let mut finder = RegionFinder {
            model: self,
            found: None,
            loops_count: true,
        };
        finder.visit_stmt(statement);
        finder.found
    }

    /// The function a call's callee names: a function bound in the module (or an enclosing
    /// function), or a method of the enclosing class called through `self` or `cls`.
    pub(crate) fn callee(&self, func: &Expr) -> Option<&'a StmtFunctionDef> {
        match func {
            Expr::Name(name) => match self.binding(self.binding_of(name)?).kind {
                BindingKind::FunctionDef(function) => Some(function),
                _ => None,
            },
            Expr::Attribute(attribute) => {
                let Expr::Name(receiver) = &*attribute.value else {
                    return None;
                };
                let binding = self.binding(self.binding_of(receiver)?);
                if !matches!(binding.kind, BindingKind::Parameter { .. })
                    || !matches!(binding.name, "self" | "cls")
                {
                    return None;
                }
                let class_scope = self.scope(binding.scope).parent?;
                if !matches!(self.scope(class_scope).kind, ScopeKind::Class(_)) {
                    return None;
                }
                match self
                    .binding(self.scope(class_scope).binding(attribute.attr.as_str())?)
                    .kind
                {
                    BindingKind::FunctionDef(function) => Some(function),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub(crate) fn runs_long(&self, function: &StmtFunctionDef) -> bool {
        let functions = self
            .long_running
            .functions
            .get_or_init(|| self.summarize_functions());
        functions.get(&function.start()).copied().unwrap_or(false)
    }

    /// Decides for every function of the module whether it is long-running: directly, or by
    /// calling one that is (a fixed point over the module's call graph).
    fn summarize_functions(&self) -> HashMap<TextSize, bool> {
        let functions: Vec<&StmtFunctionDef> = self
            .bindings
            .iter()
            .filter_map(|binding| match binding.kind {
                BindingKind::FunctionDef(function) => Some(function),
                _ => None,
            })
            .collect();
        let mut summaries: HashMap<TextSize, bool> = HashMap::default();
        let mut callees: HashMap<TextSize, Vec<TextSize>> = HashMap::default();
        for function in &functions {
            let mut scan = FunctionScan {
                model: self,
                direct: false,
                callees: Vec::new(),
            };
            scan.visit_body(&function.body);
            summaries.insert(function.start(), scan.direct);
            callees.insert(function.start(), scan.callees);
        }
        let mut changed = true;
        while changed {
            changed = false;
            for function in &functions {
                let key = function.start();
                if summaries[&key] {
                    continue;
                }
                if callees[&key]
                    .iter()
                    .any(|callee| summaries.get(callee).copied().unwrap_or(false))
                {
                    summaries.insert(key, true);
                    changed = true;
                }
            }
        }
        summaries
    }
}

/// Finds the first long-running region in a statement or expression.
struct RegionFinder<'m, 'a> {
    model: &'m SemanticModel<'a>,
    found: Option<Region<'a>>,
    loops_count: bool,
}

impl<'v, 'a> Visitor<'v> for RegionFinder<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'v Stmt) {
        if self.found.is_some() {
            return;
        }
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::For(_) | Stmt::While(_) if self.loops_count => self.found = Some(Region::Loop),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'v Expr) {
        if self.found.is_some() {
            return;
        }
        match expr {
            Expr::Lambda(_) => {}
            Expr::Await(_) => self.found = Some(Region::Await),
            Expr::Call(call) => {
                self.found = self.model.call_region(call);
                if self.found.is_none() {
                    visitor::walk_expr(self, expr);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// What one function body does directly, and which of the module's functions it calls.
struct FunctionScan<'m, 'a> {
    model: &'m SemanticModel<'a>,
    direct: bool,
    callees: Vec<TextSize>,
}

impl<'a> Visitor<'a> for FunctionScan<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::For(_) | Stmt::While(_) => self.direct = true,
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return,
            Expr::Await(_) => self.direct = true,
            Expr::Call(call) => {
                if let Some(callee) = self.model.callee(&call.func) {
                    self.callees.push(callee.start());
                } else if self.model.call_region(call).is_some() {
                    self.direct = true;
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
