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
///
/// A run over a large archive would otherwise hold every draft in memory until the output is
/// written, so [`Source::for_findings`] keeps only the lines that the findings and their fixes
/// touch; every format asks only about those.
pub struct Source {
    /// Pieces of the draft's text (without a byte-order mark), each whole lines, at their
    /// offsets in the draft; sorted and apart. The whole text is one piece at 0.
    pieces: Vec<(usize, String)>,
    /// The length of the whole text.
    len: usize,
    line_index: LineIndex,
}

impl Source {
    /// The source holding the whole of `text`.
    pub fn new(text: String) -> Source {
        let line_index = LineIndex::new(&text);
        Source::whole(text, line_index)
    }

    fn whole(text: String, line_index: LineIndex) -> Source {
        Source {
            len: text.len(),
            pieces: vec![(0, text)],
            line_index,
        }
    }

    /// The source of `text` (whose line index, the checked document's, is `line_index`) that
    /// keeps only the lines `diagnostics` touch, as `keep` says; the line a range ends at is
    /// included. When those are half the text or more, the whole text is kept rather than
    /// copied.
    pub fn for_findings(text: String, line_index: LineIndex, diagnostics: &[Diagnostic], keep: Keep) -> Source {
        let lines = |range: TextRange| (line_index.line_of(range.start()), line_index.line_of(range.end()));
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(diagnostics.len());
        for diagnostic in diagnostics {
            spans.push(lines(diagnostic.range));
            for fix in &diagnostic.fixes {
                let (Some(first), Some(last)) = (fix.edits.first(), fix.edits.last()) else {
                    continue;
                };
                match keep {
                    Keep::TouchedLines => spans.extend(fix.edits.iter().map(|edit| lines(edit.range))),
                    Keep::FixSpans => spans.push(lines(TextRange::new(first.range.start(), last.range.end()))),
                }
            }
        }
        let ranges: Vec<(usize, usize)> = copydesk::text::merge_line_spans(spans)
            .into_iter()
            .map(|(first, last)| (line_index.line_start(first), line_index.line_start(last + 1)))
            .collect();
        let kept: usize = ranges.iter().map(|(start, end)| end - start).sum();
        if kept * 2 >= text.len() {
            return Source::whole(text, line_index);
        }
        Source {
            pieces: ranges
                .into_iter()
                .map(|(start, end)| (start, text[start..end].to_string()))
                .collect(),
            len: text.len(),
            line_index,
        }
    }

    /// The piece holding `offset` (a piece's end counts as inside it), and its offset.
    fn piece_at(&self, offset: usize) -> Option<(usize, &str)> {
        let at = self
            .pieces
            .partition_point(|(start, _)| *start <= offset)
            .checked_sub(1)?;
        let (start, piece) = &self.pieces[at];
        (offset - start <= piece.len()).then_some((*start, piece.as_str()))
    }

    /// The text of `range`, when it is kept and falls on character boundaries.
    pub fn text(&self, range: std::ops::Range<usize>) -> Option<&str> {
        let (start, piece) = self.piece_at(range.start)?;
        piece.get(range.start - start..range.end.checked_sub(start)?)
    }

    /// `offset`, clamped to the text and moved back to a character boundary.
    fn floor(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.piece_at(offset) {
            Some((start, piece)) => start + copydesk::text::floor_char_boundary(piece, offset - start),
            None => {
                debug_assert!(false, "offset {offset} is outside the kept lines");
                offset
            }
        }
    }

    /// 1-based line and 1-based column in characters.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = self.floor(offset);
        let line = self.line_index.line_of(offset);
        let start = self.line_index.line_start(line).min(offset);
        let column = match self.text(start..offset) {
            Some(text) => text.chars().count(),
            None => {
                debug_assert!(false, "line {} is not kept", line + 1);
                offset - start
            }
        };
        LineColumn {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// 1-based line and 1-based column in UTF-8 bytes of the file (the byte-order mark
    /// counts on the first line), as reviewdog wants them.
    pub fn line_byte_column(&self, offset: usize, offset_base: usize) -> (u32, u32) {
        let offset = self.floor(offset);
        let line = self.line_index.line_of(offset);
        let start = self.line_index.line_start(line).min(offset);
        let base = if line == 0 { offset_base } else { 0 };
        (line as u32 + 1, (offset - start + base) as u32 + 1)
    }

    /// The byte range of 1-based `line`, without its line terminator, and its text.
    pub fn line(&self, line: usize) -> (TextRange, &str) {
        let start = self.line_index.line_start(line - 1);
        let end = self.line_index.line_start(line);
        let text = self.text(start..end).unwrap_or_else(|| {
            debug_assert!(false, "line {line} is not kept");
            ""
        });
        let content = copydesk::text::without_line_terminator(text);
        (TextRange::new(start, start + content.len()), content)
    }

    /// The 1-based lines a range covers (see [`line_span`]).
    pub fn line_span(&self, range: TextRange) -> (usize, usize) {
        line_span(&self.line_index, range)
    }
}

/// What [`Source::for_findings`] keeps of a draft.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The lines each finding's range and each of its fixes' edits touch: what every format
    /// but rdjson reads.
    TouchedLines,
    /// Those, and the text between a fix's first edit and its last (rdjson gives a fix as one
    /// suggestion over that span, the text between the edits included).
    FixSpans,
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

    /// Every format gives the same output from the lines the findings touch as from the whole
    /// text, on every fixture draft checked with every rule, and with CRLF line endings.
    #[test]
    fn kept_lines_render_like_the_whole_text() {
        let config = copydesk::Config {
            select: Some(
                copydesk::rules::all()
                    .iter()
                    .map(|rule| rule.meta().id.to_string())
                    .collect(),
            ),
            ..Default::default()
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut drafts = vec![root.join("examples/draft.md")];
        let mut folders = vec![root.join("tests/fixtures")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|ext| ext == "md") {
                    drafts.push(path);
                }
            }
        }
        drafts.sort();
        let texts = drafts.iter().flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let crlf = text.replace('\n', "\r\n");
            [
                (path.display().to_string(), text),
                (format!("{}-crlf", path.display()), crlf),
            ]
        });
        let (mut whole, mut kept, mut kept_spans) = (Vec::new(), Vec::new(), Vec::new());
        let mut compacted = 0;
        for (path, text) in texts {
            let (doc, result) = copydesk::lint_text(&text, &config);
            let report = |source| FileReport {
                path: path.clone(),
                offset_base: 0,
                source: Some(source),
                diagnostics: result.diagnostics.clone(),
                error: None,
                fixes_applied: 0,
            };
            for (keep, reports) in [(Keep::TouchedLines, &mut kept), (Keep::FixSpans, &mut kept_spans)] {
                let source = Source::for_findings(text.clone(), doc.line_index.clone(), &result.diagnostics, keep);
                compacted += usize::from(source.pieces.len() != 1 || source.pieces[0].1.len() != text.len());
                reports.push(report(source));
            }
            whole.push(report(Source::new(text)));
        }
        assert!(compacted >= 20, "only {compacted} drafts were compacted");
        let render = |reports: &[FileReport], format: Format| {
            let run = Run {
                reports,
                errors: &[],
                fixed: false,
                diff: false,
                unsafe_fixes: true,
            };
            let mut out = Vec::new();
            write_report(&mut out, format, &run, true).unwrap();
            String::from_utf8(out).unwrap()
        };
        for format in [
            Format::Human,
            Format::Concise,
            Format::Json,
            Format::Sarif,
            Format::Github,
            Format::Rdjson,
        ] {
            let expected = render(&whole, format);
            assert!(expected.len() > 1000, "{format:?} rendered too little");
            let kept = if format == Format::Rdjson { &kept_spans } else { &kept };
            assert!(
                render(kept, format) == expected,
                "{format:?} differs with only the touched lines kept"
            );
        }
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
