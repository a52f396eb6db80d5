//! The kinds of files edgelint lints, told apart in one place: by their extension.

use std::path::Path;

/// A file edgelint lints.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `.py`: a module, which other modules can import.
    Python,
    /// `.pyi`: a stub, parsed as one.
    Stub,
    /// `.ipynb`: a Jupyter notebook, whose code cells are linted together.
    Notebook,
}

impl FileKind {
    /// The kind of the file at `path`; `None` for a file edgelint does not lint.
    pub fn of(path: &Path) -> Option<FileKind> {
        match path.extension()?.to_str()? {
            "py" => Some(FileKind::Python),
            "pyi" => Some(FileKind::Stub),
            "ipynb" => Some(FileKind::Notebook),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_tells_the_kind() {
        assert_eq!(FileKind::of(Path::new("a/b.py")), Some(FileKind::Python));
        assert_eq!(FileKind::of(Path::new("b.pyi")), Some(FileKind::Stub));
        assert_eq!(FileKind::of(Path::new("b.ipynb")), Some(FileKind::Notebook));
        for other in ["b.txt", "b", "b.PY", ".py/b", "b.py.orig"] {
            assert_eq!(FileKind::of(Path::new(other)), None, "{other}");
        }
    }
}
