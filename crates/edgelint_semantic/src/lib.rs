//! What rules need beyond the syntax tree.
//!
//! Today this is the module's name resolution, built once per file before the rules run: which
//! local names are imports of what (`import numpy as np`, `from collections import Counter`),
//! and which names the module binds itself, so that a builtin such as `sum` is recognised only
//! when nothing in the file shadows it. It is deliberately conservative: a name bound in two
//! different ways anywhere in the module resolves to nothing, so a rule that needs to know what
//! a call is stays silent rather than guess.

mod names;

pub use names::{QualifiedName, SemanticModel};
