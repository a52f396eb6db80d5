//! `parse-floor`: the part of an edgelint run that every linter must pay, and nothing else.
//!
//! It discovers files exactly as edgelint does, reads and parses each one on the same kind of
//! rayon pool (into the thread's arena, as edgelint parses: `with_parsed`), and keeps only
//! counts, so its time and peak memory are the floor that `bench/run.py` compares edgelint
//! against.
//!
//! Usage: `parse-floor [--threads N] [--count-lines] PATH...`; prints
//! `files=<n> lines=<n> bytes=<n> syntax_errors=<n>`. Lines are counted only when asked (they
//! describe the corpus; edgelint never counts them), and are 0 otherwise.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use edgelint_source::{discover, Discovered, DiscoveryOptions};
use rayon::prelude::*;

/// The allocator edgelint runs with: the floor pays for allocation as edgelint does.
#[global_allocator]
static ALLOCATOR: edgelint_alloc::Allocator = edgelint_alloc::Allocator;

/// The same stack size edgelint's workers get, so deeply nested files parse the same way.
const THREAD_STACK_SIZE: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy, Default)]
struct Counts {
    files: u64,
    lines: u64,
    bytes: u64,
    syntax_errors: u64,
    unreadable: u64,
}

impl Counts {
    fn add(self, other: Counts) -> Counts {
        Counts {
            files: self.files + other.files,
            lines: self.lines + other.lines,
            bytes: self.bytes + other.bytes,
            syntax_errors: self.syntax_errors + other.syntax_errors,
            unreadable: self.unreadable + other.unreadable,
        }
    }
}

fn main() {
    if let Err(error) = run() {
        eprintln!("parse-floor: error: {error:#}");
        std::process::exit(2);
    }
}

fn run() -> Result<()> {
    let mut threads = 0;
    let mut count_lines = false;
    let mut paths = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            let value = args.next().context("--threads needs a number")?;
            threads = value
                .to_str()
                .and_then(|text| text.parse().ok())
                .context("--threads needs a number")?;
        } else if arg == "--count-lines" {
            count_lines = true;
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    if paths.is_empty() {
        bail!("usage: parse-floor [--threads N] [--count-lines] PATH...");
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(THREAD_STACK_SIZE)
        .build()
        .context("cannot start the worker threads")?;
    let options = DiscoveryOptions::default();
    // Each file's text and tree are dropped inside its closure, before that thread takes the
    // next file: only the counts survive, as only messages survive in edgelint.
    let counts = pool.install(|| {
        discover(&paths, &options)
            .into_par_iter()
            .map(|found| match found {
                Discovered::File(path) => match edgelint_source::read_source(&path) {
                    Ok(text) => edgelint_source::with_parsed(&text, &path, |parsed| {
                        Counts {
                            files: 1,
                            // No part of a lint: counted in every run, they took about 5 % of
                            // the floor's CPU time on the real tree, all to edgelint's credit.
                            lines: if count_lines {
                                text.bytes().filter(|&byte| byte == b'\n').count() as u64
                            } else {
                                0
                            },
                            bytes: text.len() as u64,
                            syntax_errors: parsed.errors().len() as u64,
                            unreadable: 0,
                        }
                    }),
                    Err(_) => Counts {
                        unreadable: 1,
                        ..Counts::default()
                    },
                },
                Discovered::Error { .. } => Counts {
                    unreadable: 1,
                    ..Counts::default()
                },
            })
            .reduce(Counts::default, Counts::add)
    });

    println!(
        "files={} lines={} bytes={} syntax_errors={}",
        counts.files, counts.lines, counts.bytes, counts.syntax_errors
    );
    if counts.unreadable > 0 {
        eprintln!("parse-floor: {} paths could not be read", counts.unreadable);
    }
    Ok(())
}
