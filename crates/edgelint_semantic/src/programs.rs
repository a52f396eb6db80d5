//! Whether a module is a command-line program: a tool run once over its input, which then
//! exits. What such a program keeps for its whole run is usually its result, and growth over
//! "the life of the process" is growth over one input.

use ruff_python_ast::{Expr, NodeKind, Stmt};

use crate::{NodeRef, SemanticModel};

/// Methods that serve requests until stopped: a module that calls one is a server, however
/// it is started.
const SERVING_METHODS: &[&str] = &["serve_forever", "run_forever", "run_app", "start_server"];

impl SemanticModel<'_> {
    /// Whether the module reads its command line (`parser.parse_args()`, `getopt`, `sys.argv`,
    /// `@click.command()`) in its own top-level code or in a function that code calls, and
    /// serves nothing.
    pub fn is_command_line_program(&self) -> bool {
        let serves = self.node_ids_of(&[NodeKind::ExprCall]).any(|id| {
            matches!(self.node(id), NodeRef::Expr(Expr::Call(call))
                if matches!(&*call.func, Expr::Attribute(method)
                    if SERVING_METHODS.contains(&method.attr.as_str())))
        });
        if serves {
            return false;
        }
        let mut called = Vec::new();
        let mut nodes = self.scope_nodes(Self::MODULE_SCOPE);
        while let Some(id) = nodes.next() {
            match self.node(id) {
                // A function body runs later, if at all; its decorators run now.
                NodeRef::Stmt(Stmt::FunctionDef(function)) => {
                    if function
                        .decorator_list
                        .iter()
                        .any(|decorator| self.reads_command_line(&decorator.expression))
                    {
                        return true;
                    }
                    nodes.skip_descendants(id);
                }
                NodeRef::Expr(expr) => {
                    if self.reads_command_line(expr) {
                        return true;
                    }
                    if let Expr::Call(call) = expr {
                        called.extend(self.callee(&call.func));
                    }
                }
                NodeRef::Stmt(_) => {}
            }
        }
        // `if __name__ == "__main__": main()`, where `main` parses the arguments.
        called.into_iter().any(|function| {
            self.any_expr_in_body(&function.body, |expr| self.reads_command_line(expr))
        })
    }

    fn reads_command_line(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(call) => {
                matches!(&*call.func, Expr::Attribute(method)
                    if matches!(method.attr.as_str(),
                        "parse_args" | "parse_known_args" | "parse_intermixed_args"))
                    || self.resolves_to(
                        &call.func,
                        &[
                            "getopt.getopt",
                            "getopt.gnu_getopt",
                            "fire.Fire",
                            "click.command",
                            "click.group",
                        ],
                    )
            }
            Expr::Attribute(_) => self.resolves_to(expr, &["sys.argv"]),
            _ => false,
        }
    }
}
