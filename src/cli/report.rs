//! Output formats for `copydesk check`.

use std::io::{self, Write};

use copydesk::{Applicability, Diagnostic, Document, Severity};
use serde_json::{Value, json};

/// Everything reported about one input.
pub struct FileReport {
    /// The path as given or found (`-` or the `--stdin-filename` for standard input).
    pub path: String,
    /// Added to text offsets to give file offsets (a byte-order mark's length).
    pub offset_base: usize,
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// A problem reading or writing the file.
    pub error: Option<String>,
    /// Fixes applied to this file.
    pub fixes_applied: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by file, with the source line and the span underlined.
    Human,
    /// One JSON object for the whole run.
    Json,
}

pub struct Totals {
    pub files: usize,
    pub by_severity: [usize; 4],
    pub fixable_safe: usize,
    pub fixable_unsafe: usize,
    pub applied: usize,
}

pub fn totals(reports: &[FileReport]) -> Totals {
    let mut totals = Totals {
        files: reports.iter().filter(|r| r.document.is_some()).count(),
        by_severity: [0; 4],
        fixable_safe: 0,
        fixable_unsafe: 0,
        applied: reports.iter().map(|r| r.fixes_applied).sum(),
    };
    for diagnostic in reports.iter().flat_map(|r| &r.diagnostics) {
        totals.by_severity[diagnostic.severity as usize] += 1;
        let best = diagnostic.fixes.iter().map(|fix| fix.applicability).max();
        match best {
            Some(Applicability::Safe) => totals.fixable_safe += 1,
            Some(Applicability::Unsafe) => totals.fixable_unsafe += 1,
            _ => {}
        }
    }
    totals
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Hint => "1;32",
        };
        self.paint(code, severity.as_str())
    }
}

pub fn write_human(
    out: &mut dyn Write,
    reports: &[FileReport],
    color: bool,
    show_fixes_summary: bool,
) -> io::Result<()> {
    let style = Style { color };
    for report in reports {
        let Some(doc) = &report.document else { continue };
        for diagnostic in &report.diagnostics {
            let start = doc.line_column(diagnostic.range.start());
            writeln!(
                out,
                "{}{}: {}",
                style.severity(diagnostic.severity),
                style.paint("1", &format!("[{}]", diagnostic.rule)),
                style.paint("1", &diagnostic.message)
            )?;
            let gutter = start.line.to_string().len();
            writeln!(
                out,
                "{:gutter$}{} {}:{}:{}",
                "",
                style.paint("34", "-->"),
                report.path,
                start.line,
                start.column
            )?;
            let line_idx = start.line as usize - 1;
            let line_range = doc.line_index.line_range(&doc.text, line_idx);
            let line_text = doc.slice(line_range);
            let bar = style.paint("34", "|");
            writeln!(out, "{:gutter$} {bar}", "")?;
            writeln!(
                out,
                "{} {bar} {}",
                style.paint("34", &start.line.to_string()),
                line_text.replace('\t', " ")
            )?;
            let col_start = line_text[..diagnostic
                .range
                .start()
                .saturating_sub(line_range.start())
                .min(line_text.len())]
                .chars()
                .count();
            let end_in_line = diagnostic
                .range
                .end()
                .min(line_range.end())
                .max(diagnostic.range.start());
            let width = doc
                .slice(copydesk::TextRange::new(diagnostic.range.start(), end_in_line))
                .chars()
                .count()
                .max(1);
            let carets = "^".repeat(width);
            let color_code = match diagnostic.severity {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Info => "1;36",
                Severity::Hint => "1;32",
            };
            writeln!(
                out,
                "{:gutter$} {bar} {:col_start$}{}",
                "",
                "",
                style.paint(color_code, &carets)
            )?;
            for fix in &diagnostic.fixes {
                writeln!(
                    out,
                    "{:gutter$} {} fix ({}): {}",
                    "",
                    style.paint("34", "="),
                    fix.applicability.as_str(),
                    fix.title
                )?;
            }
            writeln!(out)?;
        }
    }
    let totals = totals(reports);
    let n_findings: usize = totals.by_severity.iter().sum();
    let files = plural(totals.files, "file", "files");
    if n_findings == 0 {
        writeln!(out, "No problems found in {files}.")?;
    } else {
        let parts: Vec<String> = Severity::ALL
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
            .collect();
        writeln!(
            out,
            "Found {} ({}) in {files}.",
            plural(n_findings, "problem", "problems"),
            parts.join(", ")
        )?;
        if show_fixes_summary && (totals.fixable_safe > 0 || totals.fixable_unsafe > 0) {
            let mut line = format!("{} fixable with --fix", totals.fixable_safe);
            if totals.fixable_unsafe > 0 {
                line.push_str(&format!(" ({} more with --unsafe-fixes)", totals.fixable_unsafe));
            }
            writeln!(out, "{line}.")?;
        }
    }
    if totals.applied > 0 {
        writeln!(out, "Applied {}.", plural(totals.applied, "fix", "fixes"))?;
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural_word(n, one, many))
}

fn plural_word<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn position(doc: &Document, offset: usize, base: usize) -> Value {
    let lc = doc.line_column(offset);
    json!({"line": lc.line, "column": lc.column, "offset": offset + base})
}

pub fn diagnostic_json(doc: &Document, diagnostic: &Diagnostic, base: usize) -> Value {
    json!({
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
        "start": position(doc, diagnostic.range.start(), base),
        "end": position(doc, diagnostic.range.end(), base),
        "fixes": diagnostic.fixes.iter().map(|fix| json!({
            "title": fix.title,
            "applicability": fix.applicability.as_str(),
            "edits": fix.edits.iter().map(|edit| json!({
                "start": edit.range.start() + base,
                "end": edit.range.end() + base,
                "text": edit.text,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub fn write_json(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            let diagnostics: Vec<Value> = match &report.document {
                Some(doc) => report
                    .diagnostics
                    .iter()
                    .map(|d| diagnostic_json(doc, d, report.offset_base))
                    .collect(),
                None => Vec::new(),
            };
            let mut file = json!({"path": report.path, "diagnostics": diagnostics});
            if let Some(error) = &report.error {
                file["error"] = json!(error);
            }
            if report.fixes_applied > 0 {
                file["fixes_applied"] = json!(report.fixes_applied);
            }
            file
        })
        .collect();
    let value = json!({"version": 1, "files": files});
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
