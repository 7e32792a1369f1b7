//! reviewdog's diagnostic format (rdjson): one `DiagnosticResult` object. Lines are 1-based and
//! columns are 1-based counts of UTF-8 bytes, end exclusive, as reviewdog defines them.
//! Safe and unsafe fixes become suggestions (a reviewer accepts each by hand); display-only
//! fixes are left out.

use std::io::{self, Write};

use copydesk::{Applicability, Diagnostic, Fix, Severity};
use serde_json::{Value, json};

use super::{Run, Source, object, plain_path, rule_help_uri};

fn position(source: &Source, offset: usize, base: usize) -> Value {
    let (line, column) = source.line_byte_column(offset, base);
    json!({"line": line, "column": column})
}

fn range(source: &Source, start: usize, end: usize, base: usize) -> Value {
    object([
        ("start", position(source, start, base)),
        ("end", position(source, end, base)),
    ])
}

/// A fix as one suggestion: the span from its first edit to its last, replaced by the edits'
/// texts with the original text between them kept.
fn suggestion(source: &Source, fix: &Fix, base: usize) -> Option<Value> {
    let first = fix.edits.first()?;
    let last = fix.edits.last()?;
    let mut text = String::new();
    let mut cursor = first.range.start();
    for edit in &fix.edits {
        text.push_str(source.text(cursor..edit.range.start())?);
        text.push_str(&edit.text);
        cursor = edit.range.end();
    }
    Some(object([
        ("range", range(source, first.range.start(), last.range.end(), base)),
        ("text", json!(text)),
    ]))
}

fn diagnostic_value(path: &str, source: &Source, diagnostic: &Diagnostic, base: usize) -> Value {
    let severity = match diagnostic.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Hint => "INFO",
    };
    let mut value = object([
        ("message", json!(diagnostic.message)),
        (
            "location",
            object([
                ("path", json!(plain_path(path))),
                (
                    "range",
                    range(source, diagnostic.range.start(), diagnostic.range.end(), base),
                ),
            ]),
        ),
        ("severity", json!(severity)),
        (
            "code",
            json!({"value": diagnostic.rule, "url": rule_help_uri(diagnostic.rule)}),
        ),
    ]);
    let suggestions: Vec<Value> = diagnostic
        .fixes
        .iter()
        .filter(|fix| fix.applicability >= Applicability::Unsafe)
        .filter_map(|fix| suggestion(source, fix, base))
        .collect();
    if !suggestions.is_empty() {
        value["suggestions"] = Value::Array(suggestions);
    }
    value
}

pub fn write(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for report in run.reports {
        let Some(source) = &report.source else { continue };
        for diagnostic in &report.diagnostics {
            diagnostics.push(diagnostic_value(&report.path, source, diagnostic, report.offset_base));
        }
    }
    let value = object([
        ("source", json!({"name": "copydesk", "url": super::REPOSITORY_URL})),
        ("diagnostics", Value::Array(diagnostics)),
    ]);
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)
}
