// Each test crate uses a part of the support code.
#![allow(dead_code)]

pub mod cli;
pub mod harness;
pub mod tools;
