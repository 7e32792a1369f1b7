//! Output formats for `copydesk check`: what was found, rendered for people or for tools.
//!
//! Every format renders the same [`Run`]: the reports of the checked files in input order,
//! the errors met on the way, and what fixing did. Nothing here reads or writes files.

mod concise;
mod github;
mod human;
mod json;
mod rdjson;
mod sarif;
mod statistics;

use std::io::{self, Write};

use copydesk::text::{LineColumn, LineIndex};
use copydesk::{Applicability, Diagnostic, Severity, TextRange};

pub use statistics::write_statistics;

/// The text a file's findings refer to, kept for positions and source lines.
pub struct Source {
    /// The draft's text without a byte-order mark.
    pub text: String,
    pub line_index: LineIndex,
}

impl Source {
    pub fn new(text: String) -> Source {
        let line_index = LineIndex::new(&text);
        Source { text, line_index }
    }

    /// The source of `text` with its line index already built (the checked document's), so
    /// the lines are not found a second time.
    pub fn indexed(text: String, line_index: LineIndex) -> Source {
        Source { text, line_index }
    }

    /// 1-based line and 1-based column in characters.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.line_index.line_column(&self.text, offset)
    }

    /// 1-based line and 1-based column in UTF-8 bytes of the file (the byte-order mark
    /// counts on the first line), as reviewdog wants them.
    pub fn line_byte_column(&self, offset: usize, offset_base: usize) -> (u32, u32) {
        let offset = copydesk::text::floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index.line_of(offset);
        let start = self.line_index.line_start(line).min(offset);
        let base = if line == 0 { offset_base } else { 0 };
        (line as u32 + 1, (offset - start + base) as u32 + 1)
    }

    /// The 1-based lines a range covers (see [`line_span`]).
    pub fn line_span(&self, range: TextRange) -> (usize, usize) {
        line_span(&self.line_index, range)
    }
}

/// The 1-based first and last lines a range covers; a non-empty range that ends at the start
/// of a line does not cover that line.
pub fn line_span(line_index: &LineIndex, range: TextRange) -> (usize, usize) {
    let first = line_index.line_of(range.start()) + 1;
    let last_offset = if range.is_empty() {
        range.start()
    } else {
        range.end() - 1
    };
    let last = line_index.line_of(last_offset) + 1;
    (first, last.max(first))
}

/// Everything reported about one input.
pub struct FileReport {
    /// The path as given or found (`-` or the `--stdin-filename` for standard input).
    pub path: String,
    /// Added to text offsets to give file offsets (a byte-order mark's length).
    pub offset_base: usize,
    /// The text the diagnostics refer to; `None` when the file could not be checked.
    pub source: Option<Source>,
    pub diagnostics: Vec<Diagnostic>,
    /// A problem reading or writing the file.
    pub error: Option<String>,
    /// Fixes applied to this file (by `--fix`) or that would be (by `--diff`).
    pub fixes_applied: usize,
}

/// One run of `copydesk check`, ready to render.
pub struct Run<'a> {
    pub reports: &'a [FileReport],
    /// Errors in input order: unreadable paths, files that could not be checked, rule failures.
    pub errors: &'a [String],
    /// `--fix` was given: the findings are what remains after fixing.
    pub fixed: bool,
    /// `--diff` was given: `fixes_applied` counts fixes that would be applied.
    pub diff: bool,
    /// `--unsafe-fixes` was given.
    pub unsafe_fixes: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by file, with the source line, the span underlined and the fix; a summary.
    Human,
    /// One line per finding: `path:line:column: severity [rule] message`.
    Concise,
    /// One JSON object for the whole run.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations on the pull request.
    Github,
    /// reviewdog's diagnostic format (rdjson), with suggestions from fixes.
    Rdjson,
}

impl Format {
    /// Whether the whole output is one JSON document (so nothing else may share standard output).
    pub fn is_document(self) -> bool {
        matches!(self, Format::Json | Format::Sarif | Format::Rdjson)
    }
}

/// Writes the report in `format`. `color` applies to the human format only.
pub fn write_report(out: &mut dyn Write, format: Format, run: &Run<'_>, color: bool) -> io::Result<()> {
    match format {
        Format::Human => human::write(out, run, color),
        Format::Concise => concise::write(out, run),
        Format::Json => json::write(out, run),
        Format::Sarif => sarif::write(out, run),
        Format::Github => github::write(out, run),
        Format::Rdjson => rdjson::write(out, run),
    }
}

/// Counts over a run.
pub struct Totals {
    /// Files that were read and linted.
    pub files: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    /// Files that could not be checked or written.
    pub files_failed: usize,
    /// Findings by severity, indexed by `Severity as usize`.
    pub by_severity: [usize; 4],
    /// Findings whose best fix is safe.
    pub fixable_safe: usize,
    /// Findings whose best fix is unsafe.
    pub fixable_unsafe: usize,
    /// Fixes applied (or, with `--diff`, that would be).
    pub applied: usize,
}

impl Totals {
    pub fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }
}

pub fn totals(reports: &[FileReport]) -> Totals {
    let mut totals = Totals {
        files: reports.iter().filter(|r| r.source.is_some()).count(),
        files_with_findings: reports.iter().filter(|r| !r.diagnostics.is_empty()).count(),
        files_failed: reports.iter().filter(|r| r.error.is_some()).count(),
        by_severity: [0; 4],
        fixable_safe: 0,
        fixable_unsafe: 0,
        applied: reports.iter().map(|r| r.fixes_applied).sum(),
    };
    for diagnostic in reports.iter().flat_map(|r| &r.diagnostics) {
        totals.by_severity[diagnostic.severity as usize] += 1;
        match best_applicability(diagnostic) {
            Some(Applicability::Safe) => totals.fixable_safe += 1,
            Some(Applicability::Unsafe) => totals.fixable_unsafe += 1,
            _ => {}
        }
    }
    totals
}

/// The applicability of a finding's most certain fix that has edits.
pub fn best_applicability(diagnostic: &Diagnostic) -> Option<Applicability> {
    diagnostic
        .fixes
        .iter()
        .filter(|fix| !fix.edits.is_empty())
        .map(|fix| fix.applicability)
        .max()
}

/// The summary every format ends with, in words: findings by severity, files checked,
/// what is fixable, and what fixing did. One or two lines, each ending in a newline.
pub fn summary(run: &Run<'_>) -> String {
    let totals = totals(run.reports);
    let mut out = String::new();
    let n_findings = totals.findings();
    let checked = format!("{} checked", plural(totals.files, "file", "files"));
    let unreadable = if totals.files_failed > 0 {
        format!(
            "; {} could not be checked or written",
            plural(totals.files_failed, "file", "files")
        )
    } else {
        String::new()
    };
    let remaining = if run.fixed { " remaining" } else { "" };
    if n_findings == 0 {
        out.push_str(&format!("No problems{remaining} in {checked}{unreadable}.\n"));
    } else {
        out.push_str(&format!(
            "Found {}{remaining} ({}) in {} of {checked}{unreadable}.\n",
            plural(n_findings, "problem", "problems"),
            severity_counts(&totals),
            totals.files_with_findings
        ));
    }
    let mut fixing = Vec::new();
    let fixing_run = run.fixed || run.diff;
    if run.fixed {
        fixing.push(format!("Applied {}", plural(totals.applied, "fix", "fixes")));
    } else if run.diff {
        fixing.push(format!("{} would be applied", plural(totals.applied, "fix", "fixes")));
    }
    if !fixing_run {
        if totals.fixable_safe > 0 {
            fixing.push(format!("{} fixable with --fix", totals.fixable_safe));
        }
        if totals.fixable_unsafe > 0 {
            fixing.push(format!("{} more with --unsafe-fixes", totals.fixable_unsafe));
        }
    } else if run.fixed {
        // What is left after fixing: fixes that were not asked for, or that could not be
        // applied because they overlapped.
        let (left, unasked) = if run.unsafe_fixes {
            (totals.fixable_safe + totals.fixable_unsafe, 0)
        } else {
            (totals.fixable_safe, totals.fixable_unsafe)
        };
        if left > 0 {
            fixing.push(format!("{left} fixable left unapplied (overlapping fixes)"));
        }
        if unasked > 0 {
            fixing.push(format!("{unasked} more fixable with --unsafe-fixes"));
        }
    } else if !run.unsafe_fixes && totals.fixable_unsafe > 0 {
        fixing.push(format!("{} more with --unsafe-fixes", totals.fixable_unsafe));
    }
    if !fixing.is_empty() {
        out.push_str(&capitalize(&fixing.join("; ")));
        out.push_str(".\n");
    }
    out
}

fn severity_counts(totals: &Totals) -> String {
    Severity::ALL
        .iter()
        .filter(|s| totals.by_severity[**s as usize] > 0)
        .map(|s| {
            let n = totals.by_severity[*s as usize];
            let name = match s {
                Severity::Error => plural_word(n, "error", "errors"),
                Severity::Warning => plural_word(n, "warning", "warnings"),
                Severity::Info => "info",
                Severity::Hint => plural_word(n, "hint", "hints"),
            };
            format!("{n} {name}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural_word(n, one, many))
}

pub fn plural_word<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A rule id as reports name it: a rule's own id, or another id a rule also reports under
/// (`unclosed-bracket` from `stray-punctuation`), which shares its parent's documentation.
pub struct RuleEntry {
    pub id: &'static str,
    pub meta: &'static copydesk::rules::RuleMeta,
    /// Whether `id` is reported by the rule `meta.id` under another name.
    pub alias: bool,
}

/// Every id a finding can carry, rules first in registry order, each followed by its aliases.
pub fn rule_entries() -> Vec<RuleEntry> {
    let mut entries = Vec::new();
    for rule in copydesk::rules::all() {
        let meta = rule.meta();
        entries.push(RuleEntry {
            id: meta.id,
            meta,
            alias: false,
        });
        for id in meta.also_reports {
            entries.push(RuleEntry { id, meta, alias: true });
        }
    }
    entries
}

/// The one-line summary of an id: the rule's, or for an alias its parent's with a note.
pub fn rule_summary(id: &str) -> String {
    match rule_entries().into_iter().find(|entry| entry.id == id) {
        Some(entry) if entry.alias => format!("{} (reported by `{}`)", entry.meta.summary, entry.meta.id),
        Some(entry) => entry.meta.summary.to_string(),
        None => String::new(),
    }
}

/// A JSON object from key-value pairs, in order, moving the values. (`serde_json::json!`
/// copies a `Value` given as an expression by serializing it again, which made large reports
/// cost several times their size.)
pub fn object<const N: usize>(pairs: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(pairs.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
}

/// Where the project lives: `repository` in Cargo.toml.
pub const REPOSITORY_URL: &str = env!("CARGO_PKG_REPOSITORY");

/// The documentation page of a rule: `docs/rules/<id>.md` in the repository, on the branch
/// `main`; an alias points at its parent's page. The base follows `repository` in Cargo.toml.
pub fn rule_help_uri(id: &str) -> String {
    let page = rule_entries()
        .into_iter()
        .find(|entry| entry.id == id)
        .map_or(id, |entry| entry.meta.id);
    format!("{REPOSITORY_URL}/blob/main/docs/rules/{page}.md")
}

/// A path as a URI reference for SARIF: relative paths stay relative (with `/` separators and
/// no leading `./`), absolute paths become `file://` URIs; characters outside the unreserved
/// set and `/` are percent-encoded.
pub fn path_to_uri(path: &str) -> (String, bool) {
    let normalized = path.replace('\\', "/");
    let absolute = normalized.starts_with('/');
    let relative = normalized.trim_start_matches("./");
    let mut encoded = String::with_capacity(relative.len());
    for byte in relative.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    if absolute {
        (format!("file://{encoded}"), true)
    } else {
        (encoded, false)
    }
}

/// A path for tools that want it relative to the working folder, without a leading `./`.
pub fn plain_path(path: &str) -> &str {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            path_to_uri("./desk/story one.md"),
            ("desk/story%20one.md".to_string(), false)
        );
        assert_eq!(
            path_to_uri("/tmp/café.md"),
            ("file:///tmp/caf%C3%A9.md".to_string(), true)
        );
        assert_eq!(path_to_uri("a\\b#c.md"), ("a/b%23c.md".to_string(), false));
    }

    #[test]
    fn line_spans_exclude_a_line_the_range_only_ends_at() {
        let source = Source::new("one\ntwo\nthree\n".to_string());
        assert_eq!(source.line_span(TextRange::new(0, 4)), (1, 1));
        assert_eq!(source.line_span(TextRange::new(2, 6)), (1, 2));
        assert_eq!(source.line_span(TextRange::empty(4)), (2, 2));
    }

    #[test]
    fn byte_columns_count_utf8_and_the_bom() {
        let source = Source::new("“a” b\nc🙂d\n".to_string());
        assert_eq!(source.line_byte_column(8, 0), (1, 9));
        assert_eq!(source.line_byte_column(8, 3), (1, 12));
        let d = "“a” b\nc🙂".len();
        assert_eq!(source.line_byte_column(d, 3), (2, 6));
    }
}
