//! `edgelint profile`: runs a Python program under the profiler that ships with edgelint
//! (`edgelint_profile::PROFILER`, standard library only) and writes where its memory went, for
//! `edgelint check --profile`.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use edgelint_diagnostics::human_bytes;

use crate::args::ProfileArgs;
use crate::run::ExitStatus;

/// Lines of the profile shown after it is written.
const SHOWN: usize = 10;

pub fn profile(args: &ProfileArgs) -> Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot find the current directory")?;
    let root = args.root.clone().unwrap_or(cwd);
    let helper = tempfile::Builder::new()
        .prefix("edgelint-profiler")
        .suffix(".py")
        .tempfile()
        .context("cannot write the profiler to a temporary file")?;
    std::fs::write(helper.path(), edgelint_profile::PROFILER)?;
    let frames = args.frames.to_string();

    // The helper's mode, the Python that runs it and what follows its common options.
    let (mode, python, rest): (&str, &OsStr, Vec<&OsStr>) = match &args.convert {
        Some(snapshot) => ("convert", "python3".as_ref(), vec![snapshot.as_os_str()]),
        None => {
            let Some((python, program)) = args.program.split_first() else {
                bail!(
                    "give the program to profile after `--`: `edgelint profile -- python app.py`"
                );
            };
            if !is_python(python) {
                bail!(
                    "`{}` is not a Python interpreter: edgelint profiles Python programs, as \
                     `edgelint profile -- python app.py` or `edgelint profile -- python -m tool`",
                    python.to_string_lossy()
                );
            }
            let frames = ["--frames".as_ref(), frames.as_ref(), "--".as_ref()];
            let rest = frames
                .into_iter()
                .chain(program.iter().map(OsString::as_os_str));
            ("run", python.as_os_str(), rest.collect())
        }
    };
    let mut command = Command::new(python);
    command
        .arg(helper.path())
        .arg(mode)
        .arg("--output")
        .arg(&args.output)
        .arg("--root")
        .arg(&root)
        .args(rest);
    let status = command
        .status()
        .with_context(|| format!("cannot run {:?}", command.get_program()))?;
    let profile = edgelint_profile::read(&args.output)?;
    eprintln!(
        "edgelint: wrote the memory profile to {}{}",
        args.output.display(),
        profile
            .peak_bytes
            .map(|peak| format!(" (peak {} traced)", human_bytes(peak)))
            .unwrap_or_default()
    );
    eprintln!("{:>12}  {:>12}  line", "peak", "allocated");
    for line in profile.top(SHOWN) {
        let bytes = |bytes: Option<u64>| bytes.map_or("-".to_string(), human_bytes);
        eprintln!(
            "{:>12}  {:>12}  {}:{}",
            bytes(line.cost.peak_bytes),
            bytes(line.cost.allocated_bytes),
            line.file,
            line.line
        );
    }
    if !status.success() {
        eprintln!("edgelint: the program failed ({status}); the profile covers its run up to then");
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Clean)
}

/// `python`, `python3`, `python3.12`, `pypy3`, `/usr/bin/python3`, `python.exe`.
fn is_python(program: &OsString) -> bool {
    let name = Path::new(program)
        .file_stem()
        .map(|stem| stem.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.starts_with("python") || name.starts_with("pypy")
}
