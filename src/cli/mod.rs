//! The command line: a thin layer over the core that reads files, writes files and prints.

pub mod changed;
pub mod check;
pub mod inputs;
pub mod inspect;
pub mod io;
pub mod report;
