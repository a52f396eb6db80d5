//! The profile formats edgelint reads, each into [`Profile`]: its own (version 1, written by
//! `profiler.py`), memray's statistics (`memray stats --json`) and Scalene's JSON.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::{Cost, LineCost, Profile, ProfileError};

const SCHEMA: &str = "edgelint-profile";
const VERSION: u64 = 1;
const MIB: f64 = (1u64 << 20) as f64;

/// Reads the profile at `path`, whichever of the formats it is in.
pub fn read(path: &Path) -> Result<Profile, ProfileError> {
    let error = |reason: String| ProfileError {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|io| error(io.to_string()))?;
    // edgelint's own, the common case, straight into its types: a profile of a big program
    // has hundreds of thousands of lines.
    if let Ok(profile) = serde_json::from_slice::<EdgelintProfile>(&bytes) {
        if profile.schema == SCHEMA && profile.version <= VERSION {
            return Ok(edgelint(profile));
        }
    }
    let document: Value = serde_json::from_slice(&bytes).map_err(|json| {
        error(format!(
            "not JSON ({json}); a tracemalloc snapshot is converted with \
             `edgelint profile --convert SNAPSHOT`"
        ))
    })?;
    let read = if document.get("schema").and_then(Value::as_str) == Some(SCHEMA) {
        edgelint_of_another_version(document)
    } else if document.get("files").is_some() && document.get("elapsed_time_sec").is_some() {
        scalene(document)
    } else if document.get("top_allocations_by_size").is_some() {
        memray(document)
    } else {
        Err(
            "not a profile edgelint reads: it reads its own (`edgelint profile`), memray's \
             (`memray stats --json`) and Scalene's (`scalene run -o profile.json`)"
                .to_string(),
        )
    };
    read.map_err(error)
}

#[derive(Deserialize)]
struct EdgelintProfile {
    schema: String,
    version: u64,
    source: String,
    peak_bytes: Option<u64>,
    lines: Vec<EdgelintLine>,
}

#[derive(Deserialize)]
struct EdgelintLine {
    file: String,
    cell: Option<usize>,
    line: usize,
    peak_bytes: Option<u64>,
    allocated_bytes: Option<u64>,
}

fn edgelint(profile: EdgelintProfile) -> Profile {
    let lines = profile
        .lines
        .into_iter()
        .map(|line| LineCost {
            file: line.file,
            cell: line.cell,
            line: line.line,
            cost: Cost {
                peak_bytes: line.peak_bytes,
                allocated_bytes: line.allocated_bytes,
            },
        })
        .collect();
    Profile::new(&profile.source, profile.peak_bytes, lines)
}

/// An edgelint profile that does not read as version 1: newer, or not of its shape.
fn edgelint_of_another_version(document: Value) -> Result<Profile, String> {
    match document.get("version").and_then(Value::as_u64) {
        Some(version) if version > VERSION => Err(format!(
            "written in version {version} of edgelint's profile format, newer than this \
             edgelint reads ({VERSION})"
        )),
        _ => serde_json::from_value::<EdgelintProfile>(document)
            .map(edgelint)
            .map_err(|error| format!("not a valid edgelint profile: {error}")),
    }
}

/// Scalene: per file (absolute), per line, the peak and the total allocated in MiB. Files
/// under the program's folder are made relative to it, so that another checkout matches.
fn scalene(document: Value) -> Result<Profile, String> {
    let root = document.get("entrypoint_dir").and_then(Value::as_str);
    let files = document
        .get("files")
        .and_then(Value::as_object)
        .ok_or("Scalene's `files` is not an object")?;
    let mut lines = Vec::new();
    for (file, profiled) in files {
        let file = match root.and_then(|root| Path::new(file).strip_prefix(root).ok()) {
            Some(relative) => relative.to_string_lossy().into_owned(),
            None => file.clone(),
        };
        for line in profiled
            .get("lines")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mebibytes = |key: &str| {
                line.get(key)
                    .and_then(Value::as_f64)
                    .filter(|value| *value > 0.0)
                    .map(|value| (value * MIB) as u64)
            };
            let cost = Cost {
                peak_bytes: mebibytes("n_peak_mb"),
                allocated_bytes: mebibytes("n_malloc_mb"),
            };
            let row = line.get("lineno").and_then(Value::as_u64);
            if let (Some(row), true) = (row, cost.bytes() > 0) {
                lines.push(LineCost {
                    file: file.clone(),
                    cell: None,
                    line: row as usize,
                    cost,
                });
            }
        }
    }
    let peak = document
        .get("max_footprint_mb")
        .and_then(Value::as_f64)
        .map(|value| (value * MIB) as u64);
    Ok(Profile::new("scalene", peak, lines))
}

/// memray's statistics: the bytes allocated at each of the top locations
/// (`function:file:line`), and the run's peak.
fn memray(document: Value) -> Result<Profile, String> {
    let mut lines = Vec::new();
    for allocation in document
        .get("top_allocations_by_size")
        .and_then(Value::as_array)
        .ok_or("memray's `top_allocations_by_size` is not a list")?
    {
        let location = allocation.get("location").and_then(Value::as_str);
        let size = allocation.get("size").and_then(Value::as_u64);
        let (Some(location), Some(size)) = (location, size) else {
            continue;
        };
        // `function:file:line`, where the file may hold colons (`C:\...`).
        let Some((rest, row)) = location.rsplit_once(':') else {
            continue;
        };
        let (Some((_, file)), Ok(row)) = (rest.split_once(':'), row.parse()) else {
            continue;
        };
        lines.push(LineCost {
            file: file.to_string(),
            cell: None,
            line: row,
            cost: Cost {
                peak_bytes: None,
                allocated_bytes: Some(size),
            },
        });
    }
    let peak = document
        .pointer("/metadata/peak_memory")
        .and_then(Value::as_u64);
    Ok(Profile::new("memray", peak, lines))
}
