//! What a memory profile of a real run measured where a finding is (`--profile`).

use serde::Serialize;

/// The bytes a profiled run held or allocated at one line: the finding's, or the line its data
/// comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Measured {
    /// The most the line held live, at the run's peak; `None` when the profiler does not say
    /// (memray's statistics count allocations only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
    /// What the line allocated in the whole run, when the profiler says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocated_bytes: Option<u64>,
    /// The line measured, as reports name files, and its row.
    pub filename: String,
    pub row: usize,
}

impl Measured {
    /// The figure findings are ranked by: the peak, else what was allocated.
    pub fn bytes(&self) -> u64 {
        self.peak_bytes.or(self.allocated_bytes).unwrap_or(0)
    }

    /// `412 MiB live at peak in the profiled run`.
    pub fn describe(&self) -> String {
        match (self.peak_bytes, self.allocated_bytes) {
            (Some(peak), _) => format!("{} live at peak in the profiled run", human_bytes(peak)),
            (None, Some(allocated)) => {
                format!("{} allocated in the profiled run", human_bytes(allocated))
            }
            (None, None) => "nothing in the profiled run".to_string(),
        }
    }

    /// `path:row`.
    pub fn place(&self) -> String {
        format!("{}:{}", self.filename, self.row)
    }
}

/// Bytes as people read them: `412 MiB`, `1.5 GiB`, `900 KiB`, `12 B`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_are_shown_in_the_largest_unit_below_them() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1024), "1.0 KiB");
        assert_eq!(human_bytes(1536 * 1024), "1.5 MiB");
        assert_eq!(human_bytes(412 << 20), "412 MiB");
        assert_eq!(human_bytes(3 << 30), "3.0 GiB");
    }
}
