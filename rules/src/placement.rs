//! Where the code of a fix or a help line lands, and the parentheses it needs there.
//!
//! Every fix that moves an expression (`(a or b).split(".")[0]` → `(a or b).partition(".")[0]`)
//! or puts new code in an expression's place (`len(s.split(","))` → `s.count(",") + 1`)
//! goes through [`fit`]: the text is parsed, and wrapped in parentheses when what it parses to
//! binds less tightly than its place requires, or when it does not stand on its own (a
//! multi-line expression that borrowed its old brackets). Deciding by parsing the text, not by
//! what a rule thinks it wrote, keeps that one mechanism honest for every rule.

use std::borrow::Cow;

use ruff_python_ast::find_node::covering_node;
use ruff_python_ast::{
    AnyNodeRef, Expr, ExprRef, Number, Operator, OperatorPrecedence as Precedence, UnaryOp,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// How tightly an expression binds, for placing it: Python's operator precedence, except that
/// an unparenthesized tuple or `yield` fits nowhere but alone, a bare generator only as a sole
/// call argument, and an integer literal takes parentheses before a `.` (`1.real` is a float).
pub(crate) fn precedence(expr: &Expr) -> Precedence {
    match expr {
        Expr::Tuple(tuple) if !tuple.parenthesized => Precedence::None,
        Expr::Yield(_) | Expr::YieldFrom(_) => Precedence::None,
        Expr::Generator(generator) if !generator.parenthesized => Precedence::Yield,
        Expr::NumberLiteral(number) if matches!(number.value, Number::Int(_)) => Precedence::Await,
        _ => Precedence::from_expr_ref(ExprRef::from(expr)),
    }
}

/// `text`, in parentheses unless it parses on its own as one expression that binds at least as
/// tightly as `demand`.
pub(crate) fn fit(text: &str, demand: Precedence) -> Cow<'_, str> {
    let fits = ruff_python_parser::parse_expression(text).is_ok_and(|parsed| {
        let expr = parsed.expr();
        // Parentheses around the whole text leave the expression's range inside it.
        let parenthesized = expr.range().len() < TextSize::of(text.trim_end());
        parenthesized || precedence(expr) >= demand
    });
    parenthesized_unless(fits, text)
}

/// The text of `expr`, from the source, for a place that asks for `demand`. A sole call
/// argument (`demand` of `Yield`) sits inside the call's parentheses, where a bare generator or
/// a line break is at home; anywhere else the text must also stand on its own.
pub(crate) fn fit_moved<'a>(expr: &Expr, text: &'a str, demand: Precedence) -> Cow<'a, str> {
    let fits = precedence(expr) >= demand
        && (demand <= Precedence::Yield || ruff_python_parser::parse_expression(text).is_ok());
    parenthesized_unless(fits, text)
}

fn parenthesized_unless(fits: bool, text: &str) -> Cow<'_, str> {
    if fits {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("({text})"))
    }
}

/// The loosest-binding expression that can stand in place of `node` without parentheses, from
/// what holds it below `root` (the module, or a statement around `node`). Places this does not
/// know ask for an atom, so the answer errs towards parentheses, which never change what an
/// expression means.
pub(crate) fn demand_at(root: AnyNodeRef, node: TextRange) -> Precedence {
    let covering = covering_node(root, node);
    let mut ancestors = covering.ancestors();
    // The covering node may be a part with the same range as the expression (a string
    // literal's single part): climb to the expression itself, then to what holds it.
    let Some(child) = ancestors
        .by_ref()
        .find(|ancestor| ancestor.is_expression() && ancestor.range() == node)
    else {
        return Precedence::Atomic;
    };
    match ancestors.next() {
        Some(parent) => demand_in(parent, child),
        None => Precedence::Atomic,
    }
}

/// What `parent` requires of its child `child`.
fn demand_in(parent: AnyNodeRef, child: AnyNodeRef) -> Precedence {
    let is = |expr: &Expr| expr.range() == child.range();
    match parent {
        AnyNodeRef::ExprBinOp(binop) => {
            let own = Precedence::from(binop.op);
            match (binop.op, is(&binop.left)) {
                // `(-a) ** b` and `(a ** b) ** c` need their parentheses; `a ** -b` does not.
                (Operator::Pow, true) => Precedence::Await,
                (Operator::Pow, false) => Precedence::PosNegBitNot,
                // Left-associative: `a - b - c` is `(a - b) - c`.
                (_, true) => own,
                (_, false) => tighter_than(own),
            }
        }
        AnyNodeRef::ExprUnaryOp(unary) if unary.op == UnaryOp::Not => Precedence::Not,
        AnyNodeRef::ExprUnaryOp(_) => Precedence::PosNegBitNot,
        AnyNodeRef::ExprBoolOp(boolop) => tighter_than(Precedence::from(boolop.op)),
        // Comparisons chain: `a < (b < c)` is not `a < b < c`.
        AnyNodeRef::ExprCompare(_) => Precedence::BitOr,
        AnyNodeRef::ExprIf(conditional) if is(&conditional.orelse) => Precedence::Lambda,
        AnyNodeRef::ExprIf(_) => Precedence::Or,
        AnyNodeRef::ExprAttribute(_) | AnyNodeRef::ExprAwait(_) => Precedence::CallAttribute,
        AnyNodeRef::ExprCall(call) if is(&call.func) => Precedence::CallAttribute,
        AnyNodeRef::ExprSubscript(subscript) if is(&subscript.value) => Precedence::CallAttribute,
        AnyNodeRef::ExprSubscript(_) => Precedence::Lambda,
        AnyNodeRef::ExprStarred(_) => Precedence::BitOr,
        AnyNodeRef::ExprNamed(_) | AnyNodeRef::ExprLambda(_) | AnyNodeRef::Keyword(_) => {
            Precedence::Lambda
        }
        AnyNodeRef::ExprList(_) | AnyNodeRef::ExprSet(_) | AnyNodeRef::ExprTuple(_) => {
            Precedence::Lambda
        }
        AnyNodeRef::ExprDict(_)
        | AnyNodeRef::ExprListComp(_)
        | AnyNodeRef::ExprSetComp(_)
        | AnyNodeRef::ExprDictComp(_)
        | AnyNodeRef::ExprGenerator(_)
        | AnyNodeRef::ExprSlice(_)
        | AnyNodeRef::InterpolatedElement(_) => Precedence::IfElse,
        // A comprehension's iterables and conditions are disjunctions.
        AnyNodeRef::Comprehension(_) => Precedence::Or,
        // A sole argument may be a bare generator; beside others it needs its parentheses.
        AnyNodeRef::Arguments(arguments) if arguments.len() == 1 => Precedence::Yield,
        AnyNodeRef::Arguments(_) => Precedence::Assign,
        AnyNodeRef::StmtExpr(_)
        | AnyNodeRef::StmtAssign(_)
        | AnyNodeRef::StmtAugAssign(_)
        | AnyNodeRef::StmtAnnAssign(_)
        | AnyNodeRef::StmtReturn(_) => Precedence::Lambda,
        AnyNodeRef::StmtFor(_)
        | AnyNodeRef::StmtIf(_)
        | AnyNodeRef::ElifElseClause(_)
        | AnyNodeRef::StmtWhile(_)
        | AnyNodeRef::StmtAssert(_)
        | AnyNodeRef::StmtRaise(_)
        | AnyNodeRef::WithItem(_)
        | AnyNodeRef::Decorator(_)
        | AnyNodeRef::ParameterWithDefault(_) => Precedence::IfElse,
        _ => Precedence::Atomic,
    }
}

/// The next level up from a binary or boolean operator's: what its right operand must reach
/// (`a - (b - c)` keeps its parentheses, `a - b * c` needs none).
fn tighter_than(precedence: Precedence) -> Precedence {
    match precedence {
        Precedence::Or => Precedence::And,
        Precedence::And => Precedence::Not,
        Precedence::BitOr => Precedence::BitXor,
        Precedence::BitXor => Precedence::BitAnd,
        Precedence::BitAnd => Precedence::LeftRightShift,
        Precedence::LeftRightShift => Precedence::AddSub,
        Precedence::AddSub => Precedence::MulDivRemain,
        Precedence::MulDivRemain => Precedence::PosNegBitNot,
        _ => Precedence::Atomic,
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{AnyNodeRef, OperatorPrecedence as Precedence};
    use ruff_python_parser::parse_module;
    use ruff_text_size::{TextRange, TextSize};

    use super::{demand_at, fit};

    /// `replacement` put in place of `old` in `source`, fitted to its place.
    fn replace(source: &str, old: &str, replacement: &str) -> String {
        let parsed = parse_module(source).unwrap();
        let start = source.find(old).unwrap();
        let range = TextRange::at(TextSize::try_from(start).unwrap(), TextSize::of(old));
        let demand = demand_at(AnyNodeRef::from(parsed.syntax()), range);
        let fitted = fit(replacement, demand);
        format!(
            "{}{fitted}{}",
            &source[..start],
            &source[start + old.len()..]
        )
    }

    #[test]
    fn a_replacement_in_arithmetic_keeps_its_meaning() {
        let count = "s.count(\",\") + 1";
        let old = "len(s.split(\",\"))";
        let cases = [
            (
                "n = len(s.split(\",\")) * 8\n",
                "n = (s.count(\",\") + 1) * 8\n",
            ),
            (
                "n = w - len(s.split(\",\"))\n",
                "n = w - (s.count(\",\") + 1)\n",
            ),
            (
                "n = len(s.split(\",\")) ** 2\n",
                "n = (s.count(\",\") + 1) ** 2\n",
            ),
            ("n = -len(s.split(\",\"))\n", "n = -(s.count(\",\") + 1)\n"),
            (
                "n = len(s.split(\",\")) + 2\n",
                "n = s.count(\",\") + 1 + 2\n",
            ),
            ("n = len(s.split(\",\"))\n", "n = s.count(\",\") + 1\n"),
            ("f(len(s.split(\",\")), 2)\n", "f(s.count(\",\") + 1, 2)\n"),
        ];
        for (source, expected) in cases {
            assert_eq!(replace(source, old, count), expected, "{source}");
        }
    }

    #[test]
    fn a_moved_receiver_keeps_its_parentheses() {
        assert_eq!(
            fit("a or \"12\"", Precedence::CallAttribute),
            "(a or \"12\")"
        );
        assert_eq!(fit("a + b", Precedence::CallAttribute), "(a + b)");
        assert_eq!(fit("(x := f())", Precedence::CallAttribute), "(x := f())");
        assert_eq!(fit("x := f()", Precedence::CallAttribute), "(x := f())");
        assert_eq!(fit("a if c else b", Precedence::Or), "(a if c else b)");
        assert_eq!(fit("1", Precedence::CallAttribute), "(1)");
        assert_eq!(fit("1.5", Precedence::CallAttribute), "1.5");
        assert_eq!(fit("self.rows", Precedence::CallAttribute), "self.rows");
        assert_eq!(fit("f(x)[0]", Precedence::CallAttribute), "f(x)[0]");
    }

    #[test]
    fn text_that_does_not_stand_alone_is_wrapped() {
        // The newline was inside the brackets the text is moved out of.
        assert_eq!(fit("a\n or b", Precedence::Lambda), "(a\n or b)");
        assert_eq!(
            fit("a  # why\n or b", Precedence::Lambda),
            "(a  # why\n or b)"
        );
        assert_eq!(fit("x for x in y", Precedence::Assign), "(x for x in y)");
        assert_eq!(fit("a, b", Precedence::Lambda), "(a, b)");
    }

    #[test]
    fn a_comparison_operand_is_parenthesized_against_chaining() {
        let source = "ok = n < len(s.split(\",\"))\n";
        assert_eq!(
            replace(source, "len(s.split(\",\"))", "a < b"),
            "ok = n < (a < b)\n"
        );
    }
}
