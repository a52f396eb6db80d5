//! The caching decorators EL303 and EL304 look at.

use edgelint_semantic::SemanticModel;
use ruff_python_ast::{Decorator, Expr};

/// What a decorator caches, if it is a caching decorator.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) enum CacheDecorator {
    /// `functools.cache`, `lru_cache(maxsize=None)`, `lru_cache(None)`.
    Unbounded,
    /// `lru_cache`, `lru_cache(maxsize=N)`, `cachetools.cached(...)`, with the most entries it
    /// keeps when the code writes it as a literal (128 for a bare `lru_cache`).
    Bounded { maxsize: Option<u64> },
}

pub(crate) fn cache_decorator(
    semantic: &SemanticModel,
    decorator: &Decorator,
) -> Option<CacheDecorator> {
    match &decorator.expression {
        Expr::Call(call) => {
            if semantic.resolves_to(&call.func, &["functools.cache"]) {
                return Some(CacheDecorator::Unbounded);
            }
            if semantic.resolves_to(
                &call.func,
                &["cachetools.cached", "cachetools.func.lru_cache"],
            ) {
                return Some(CacheDecorator::Bounded { maxsize: None });
            }
            if !semantic.resolves_to(&call.func, &["functools.lru_cache"]) {
                return None;
            }
            let maxsize = call.arguments.args.first().or_else(|| {
                call.arguments
                    .find_keyword("maxsize")
                    .map(|keyword| &keyword.value)
            });
            Some(match maxsize {
                Some(Expr::NoneLiteral(_)) => CacheDecorator::Unbounded,
                None => CacheDecorator::Bounded { maxsize: Some(128) },
                Some(Expr::NumberLiteral(number)) => CacheDecorator::Bounded {
                    maxsize: number.value.as_int().and_then(|int| int.as_u64()),
                },
                Some(_) => CacheDecorator::Bounded { maxsize: None },
            })
        }
        expression if semantic.resolves_to(expression, &["functools.cache"]) => {
            Some(CacheDecorator::Unbounded)
        }
        expression if semantic.resolves_to(expression, &["functools.lru_cache"]) => {
            Some(CacheDecorator::Bounded { maxsize: Some(128) })
        }
        _ => None,
    }
}
