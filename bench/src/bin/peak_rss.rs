//! `peak-rss CMD [ARGS...]`: runs CMD, then prints `peak_rss_kib=<n>` as the last line of its
//! standard error and exits with CMD's status.
//!
//! Why not read `ru_maxrss` from `wait4` in the benchmark script directly: Linux carries the
//! parent's high-water RSS into the child at fork/exec, so every child of a Python process
//! reports at least the interpreter's own ~14 MiB, which hides the figures being measured.
//! Spawned from this small process instead, CMD inherits only a megabyte or so.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!("usage: peak-rss CMD [ARGS...]");
        return ExitCode::from(2);
    };
    let status = match Command::new(&program).args(args).status() {
        Ok(status) => status,
        Err(error) => {
            eprintln!(
                "peak-rss: cannot run {}: {error}",
                program.to_string_lossy()
            );
            return ExitCode::from(2);
        }
    };
    // The only child this process has waited for is CMD, so the children's peak is CMD's.
    // SAFETY: `getrusage` writes a whole `rusage` through the pointer, and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        eprintln!(
            "peak-rss: getrusage failed: {}",
            std::io::Error::last_os_error()
        );
        return ExitCode::from(2);
    }
    eprintln!("peak_rss_kib={}", usage.ru_maxrss);
    // A child killed by a signal has no code; report it as a failure.
    ExitCode::from(status.code().map_or(2, |code| code as u8))
}
