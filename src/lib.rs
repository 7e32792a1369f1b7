//! copydesk: a copy desk for news drafts written in Markdown.
//!
//! The core is pure: [`Document::new`] analyses a draft once, [`lint`] runs the rules over
//! it, and [`fix_text`] applies fixes until the text stops changing. Everything speaks byte
//! offsets into the draft's text; the command line and the language server convert.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fix;
#[doc(hidden)]
pub mod invariants;
pub mod lint;
pub mod lsp;
pub mod rules;
pub mod suppress;
pub mod text;

pub use config::{Config, Style};
pub use diagnostic::{Diagnostic, Severity};
pub use document::Document;
pub use fix::{Applicability, Edit, Fix};
pub use lint::{FixOutcome, LintResult, fix_text, lint, lint_in_parallel, lint_reusing, lint_text};
pub use text::TextRange;
