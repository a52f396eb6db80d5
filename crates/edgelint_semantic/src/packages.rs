//! The packages rules ask whether a module imports, a bit each.
//!
//! Some rules ask it of every call (EL503: does the module import pandas?): a set of bits
//! answers without hashing a name (the set of names it replaced took 0.3 % of a run with every
//! rule on the benchmark's real tree).

use std::ops::{BitOr, BitOrAssign};

/// A set of the packages rules ask about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Packages(u16);

impl Packages {
    pub const TORCH: Packages = Packages(1);
    pub const PANDAS: Packages = Packages(1 << 1);
    pub const NUMPY: Packages = Packages(1 << 2);
    pub const TENSORFLOW: Packages = Packages(1 << 3);
    pub const JAX: Packages = Packages(1 << 4);
    pub const CUPY: Packages = Packages(1 << 5);
    pub const XARRAY: Packages = Packages(1 << 6);
    pub const DASK: Packages = Packages(1 << 7);
    pub const GC: Packages = Packages(1 << 8);
    pub const THREADING: Packages = Packages(1 << 9);
    /// `_thread`, what `threading` is built on.
    pub const LOW_LEVEL_THREAD: Packages = Packages(1 << 10);
    pub const CONCURRENT: Packages = Packages(1 << 11);
    pub const TIME: Packages = Packages(1 << 12);
    pub const ASYNCIO: Packages = Packages(1 << 13);

    /// The libraries of arrays and tensors.
    pub const ARRAYS: Packages = Packages(
        Self::NUMPY.0
            | Self::TORCH.0
            | Self::PANDAS.0
            | Self::TENSORFLOW.0
            | Self::JAX.0
            | Self::CUPY.0
            | Self::XARRAY.0
            | Self::DASK.0,
    );

    const NAMED: [(&'static str, Packages); 14] = [
        ("torch", Self::TORCH),
        ("pandas", Self::PANDAS),
        ("numpy", Self::NUMPY),
        ("tensorflow", Self::TENSORFLOW),
        ("jax", Self::JAX),
        ("cupy", Self::CUPY),
        ("xarray", Self::XARRAY),
        ("dask", Self::DASK),
        ("gc", Self::GC),
        ("threading", Self::THREADING),
        ("_thread", Self::LOW_LEVEL_THREAD),
        ("concurrent", Self::CONCURRENT),
        ("time", Self::TIME),
        ("asyncio", Self::ASYNCIO),
    ];

    /// The top-level package `name` as a set: empty for a package no rule asks about.
    pub(crate) fn named(name: &str) -> Packages {
        Self::NAMED
            .iter()
            .find(|(known, _)| *known == name)
            .map_or(Packages::default(), |(_, package)| *package)
    }

    /// Whether the two sets share a package.
    pub fn intersects(self, other: Packages) -> bool {
        self.0 & other.0 != 0
    }
}

impl BitOr for Packages {
    type Output = Packages;

    fn bitor(self, other: Packages) -> Packages {
        Packages(self.0 | other.0)
    }
}

impl BitOrAssign for Packages {
    fn bitor_assign(&mut self, other: Packages) {
        self.0 |= other.0;
    }
}

#[cfg(test)]
mod tests {
    use super::Packages;

    #[test]
    fn every_package_has_a_bit_of_its_own() {
        let mut seen = Packages::default();
        for (name, package) in Packages::NAMED {
            assert_eq!(Packages::named(name), package);
            assert!(!seen.intersects(package), "{name} shares a bit");
            seen |= package;
        }
        assert_eq!(Packages::named("numpy.linalg"), Packages::default());
        assert!(Packages::ARRAYS.intersects(Packages::DASK));
        assert!(!Packages::ARRAYS.intersects(Packages::GC));
    }
}
