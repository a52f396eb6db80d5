//! The Python version the checked code targets (`target-version`): some suggestions need a
//! newer Python than the code may run on.

use std::fmt;
use std::str::FromStr;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
}

impl PythonVersion {
    pub const PY310: PythonVersion = PythonVersion::new(3, 10);
    /// What edgelint assumes when neither `target-version` nor `requires-python` says: a
    /// supported CPython (3.10 is the oldest that still gets security fixes).
    pub const DEFAULT: PythonVersion = PythonVersion::PY310;
    /// The minor versions of Python 3 `target-version` accepts.
    pub const SUPPORTED_MINORS: std::ops::RangeInclusive<u8> = 7..=14;

    pub const fn new(major: u8, minor: u8) -> Self {
        PythonVersion { major, minor }
    }
}

impl Default for PythonVersion {
    fn default() -> Self {
        PythonVersion::DEFAULT
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "py{}{}", self.major, self.minor)
    }
}

impl FromStr for PythonVersion {
    type Err = ();

    /// `py310`.
    fn from_str(text: &str) -> Result<Self, ()> {
        let minor = text
            .strip_prefix("py3")
            .and_then(|minor| minor.parse::<u8>().ok())
            .filter(|minor| Self::SUPPORTED_MINORS.contains(minor))
            .ok_or(())?;
        Ok(PythonVersion::new(3, minor))
    }
}
