//! The JSON format: one object for the whole run, `{"version": 1, "files": [...], "summary": {...}}`.
//! Stable: fields are only ever added.

use std::io::{self, Write};

use copydesk::Diagnostic;
use serde_json::{Value, json};

use super::{Run, Source, object, totals};

fn position(source: &Source, offset: usize, base: usize) -> Value {
    let lc = source.line_column(offset);
    json!({"line": lc.line, "column": lc.column, "offset": offset + base})
}

pub fn diagnostic_json(source: &Source, diagnostic: &Diagnostic, base: usize) -> Value {
    let fixes = diagnostic
        .fixes
        .iter()
        .map(|fix| {
            let edits = fix
                .edits
                .iter()
                .map(|edit| {
                    json!({
                        "start": edit.range.start() + base,
                        "end": edit.range.end() + base,
                        "text": edit.text,
                    })
                })
                .collect();
            object([
                ("title", json!(fix.title)),
                ("applicability", json!(fix.applicability.as_str())),
                ("edits", Value::Array(edits)),
            ])
        })
        .collect();
    object([
        ("rule", json!(diagnostic.rule)),
        ("severity", json!(diagnostic.severity.as_str())),
        ("message", json!(diagnostic.message)),
        ("start", position(source, diagnostic.range.start(), base)),
        ("end", position(source, diagnostic.range.end(), base)),
        ("fixes", Value::Array(fixes)),
    ])
}

pub fn write(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    let files: Vec<Value> = run
        .reports
        .iter()
        .map(|report| {
            let diagnostics: Vec<Value> = match &report.source {
                Some(source) => report
                    .diagnostics
                    .iter()
                    .map(|d| diagnostic_json(source, d, report.offset_base))
                    .collect(),
                None => Vec::new(),
            };
            let mut file = object([("path", json!(report.path)), ("diagnostics", Value::Array(diagnostics))]);
            if let Some(error) = &report.error {
                file["error"] = json!(error);
            }
            if report.fixes_applied > 0 {
                let key = if run.diff { "fixes_would_apply" } else { "fixes_applied" };
                file[key] = json!(report.fixes_applied);
            }
            file
        })
        .collect();
    let totals = totals(run.reports);
    let summary = json!({
        "files_checked": totals.files,
        "files_with_problems": totals.files_with_findings,
        "files_failed": totals.files_failed,
        "problems": {
            "error": totals.by_severity[copydesk::Severity::Error as usize],
            "warning": totals.by_severity[copydesk::Severity::Warning as usize],
            "info": totals.by_severity[copydesk::Severity::Info as usize],
            "hint": totals.by_severity[copydesk::Severity::Hint as usize],
        },
        "fixable": {"safe": totals.fixable_safe, "unsafe": totals.fixable_unsafe},
        "fixes_applied": if run.fixed { totals.applied } else { 0 },
        "fixes_would_apply": if run.diff { totals.applied } else { 0 },
        "errors": run.errors,
    });
    let value = object([
        ("version", json!(1)),
        ("files", Value::Array(files)),
        ("summary", summary),
    ]);
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
