//! Memory profiles of real runs, joined with findings. A static finding says "this can be big";
//! a profile says "this was 412 MiB". Profiles come in edgelint's own format (written by the
//! profiler that ships with it, [`PROFILER`]), as memray's statistics (`memray stats --json`)
//! or as Scalene's JSON; each is read into one shape, [`Profile`], whose lines are found again
//! by the path of a linted file, even when the profile was taken in another checkout or in a
//! container.

mod formats;
mod matching;

use std::path::{Path, PathBuf};

use edgelint_diagnostics::{Measured, Message};

pub use formats::read;
pub use matching::Profile;

/// The bytes a line must have held (else allocated) for its findings to show the figure,
/// unless `profile-threshold` says otherwise: 1 MiB.
pub const DEFAULT_THRESHOLD: u64 = 1 << 20;

/// The profiler `edgelint profile` runs: a Python program using only the standard library.
pub const PROFILER: &str = include_str!("profiler.py");

/// What a profile measured at one line.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    pub peak_bytes: Option<u64>,
    pub allocated_bytes: Option<u64>,
}

impl Cost {
    /// The figure compared with the threshold: the peak, else what was allocated.
    pub fn bytes(self) -> u64 {
        self.peak_bytes.or(self.allocated_bytes).unwrap_or(0)
    }
}

/// One line of a profile, as read from any format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineCost {
    /// The file as the profile names it: relative to the profiled project's root when it was
    /// under it, else as the profiler saw it.
    pub file: String,
    /// In a notebook, the cell (one-based, counting every cell, as findings count them) whose
    /// line `line` is.
    pub cell: Option<usize>,
    pub line: usize,
    pub cost: Cost,
}

/// A profile that cannot be used, with the reason.
#[derive(Debug)]
pub struct ProfileError {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "cannot use the profile {}: {}",
            self.path.display(),
            self.reason
        )
    }
}

impl std::error::Error for ProfileError {}

impl Profile {
    /// Gives each finding whose line, or whose evidence's line, held or allocated at least
    /// `threshold` bytes in the profiled run the figure, and decides the findings of unknown
    /// size: one measured large is reported as if its data were shown large; the others are
    /// dropped unless `pedantic` (a profile never demotes: one run's small input proves
    /// nothing about production). `cwd` is what the findings' file names are relative to.
    pub fn join(&self, messages: &mut Vec<Message>, threshold: u64, pedantic: bool, cwd: &Path) {
        messages.retain_mut(|message| {
            // Syntax errors, unreadable files and unused `noqa` comments hold no data.
            if message.code.starts_with("EL0") {
                return true;
            }
            message.measured = self
                .measured(message, cwd)
                .filter(|m| m.bytes() >= threshold);
            if message.measured.is_some() {
                message.unproven = None;
            }
            pedantic || message.unproven.is_none()
        });
    }

    /// The larger of what was measured at the finding's line and at its evidence's line.
    fn measured(&self, message: &Message, cwd: &Path) -> Option<Measured> {
        let at_finding = self
            .at(
                &cwd.join(&message.filename),
                message.cell,
                message.location.row,
            )
            .map(|cost| (cost, &message.filename, message.location.row));
        let at_evidence = message.evidence.as_ref().and_then(|evidence| {
            self.at(&cwd.join(&evidence.filename), None, evidence.location.row)
                .map(|cost| (cost, &evidence.filename, evidence.location.row))
        });
        [at_finding, at_evidence]
            .into_iter()
            .flatten()
            .max_by_key(|(cost, ..)| cost.bytes())
            .map(|(cost, filename, row)| Measured {
                peak_bytes: cost.peak_bytes,
                allocated_bytes: cost.allocated_bytes,
                filename: filename.clone(),
                row,
            })
    }
}

/// A size as people write it: `1MiB`, `512 KiB`, `2GB`, `1048576`. The binary units are
/// powers of 1024, the decimal ones (`kB`, `MB`, `GB`) powers of 1000.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|character: char| !(character.is_ascii_digit() || character == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size, such as `1MiB` or `512KiB`"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" | "k" => 1 << 10,
        "mib" | "m" => 1 << 20,
        "gib" | "g" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => {
            return Err(format!(
                "`{unit}` is not a unit of size: use B, KiB, MiB or GiB"
            ))
        }
    };
    Ok((number * scale as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_are_read_in_binary_and_decimal_units() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("3 parsecs").is_err());
    }
}
