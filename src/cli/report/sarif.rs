//! SARIF 2.1.0 for code scanning: the rules with their documentation, results with 1-based
//! regions, and fixes as `fixes` with `artifactChanges`.
//!
//! The log is written compactly, on one line: it is for tools, and pretty-printing doubled it.
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`), as the other formats do.
//! Paths relative to the working folder are given against the base id `%SRCROOT%`.

use std::io::{self, Write};

use copydesk::{Diagnostic, Severity};
use serde_json::{Value, json};

use super::{Run, Source, object, path_to_uri, rule_entries, rule_help_uri, rule_summary, totals};

/// The schema this output follows: OASIS's SARIF 2.1.0 (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The text of one `## Section` of a rule's documentation, without its heading.
fn doc_section(doc: &str, heading: &str) -> Option<String> {
    let mut lines = doc.lines().skip_while(|line| line.trim() != format!("## {heading}"));
    lines.next()?;
    let body: Vec<&str> = lines.take_while(|line| !line.starts_with("## ")).collect();
    let text = body.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn rules() -> Vec<Value> {
    rule_entries()
        .iter()
        .map(|entry| {
            let meta = entry.meta;
            let documentation = meta.documentation();
            let mut full = doc_section(&documentation, "What it does")
                .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|| meta.summary.to_string());
            let mut configuration = json!({"enabled": meta.default_enabled});
            if entry.alias {
                full = format!("Reported by the rule `{}`. {full}", meta.id);
            } else {
                configuration["level"] = json!(level(meta.default_severity));
            }
            object([
                ("id", json!(entry.id)),
                ("shortDescription", json!({"text": rule_summary(entry.id)})),
                ("fullDescription", json!({"text": full})),
                ("help", json!({"text": documentation, "markdown": documentation})),
                ("helpUri", json!(rule_help_uri(entry.id))),
                ("defaultConfiguration", configuration),
                ("properties", json!({"tags": ["copy editing"]})),
            ])
        })
        .collect()
}

fn region(source: &Source, start: usize, end: usize) -> Value {
    let start_lc = source.line_column(start);
    let end_lc = source.line_column(end);
    json!({
        "startLine": start_lc.line,
        "startColumn": start_lc.column,
        "endLine": end_lc.line,
        "endColumn": end_lc.column,
    })
}

fn artifact_location(path: &str) -> Value {
    let (uri, absolute) = path_to_uri(path);
    if absolute {
        json!({"uri": uri})
    } else {
        json!({"uri": uri, "uriBaseId": "%SRCROOT%"})
    }
}

fn result(path: &str, source: &Source, diagnostic: &Diagnostic, rule_index: Option<usize>) -> Value {
    let location = object([(
        "physicalLocation",
        object([
            ("artifactLocation", artifact_location(path)),
            (
                "region",
                region(source, diagnostic.range.start(), diagnostic.range.end()),
            ),
        ]),
    )]);
    let mut value = object([
        ("ruleId", json!(diagnostic.rule)),
        ("level", json!(level(diagnostic.severity))),
        ("message", json!({"text": diagnostic.message})),
        ("locations", Value::Array(vec![location])),
    ]);
    if let Some(index) = rule_index {
        value["ruleIndex"] = json!(index);
    }
    let fixes: Vec<Value> = diagnostic
        .fixes
        .iter()
        .filter(|fix| !fix.edits.is_empty())
        .map(|fix| {
            let replacements = fix
                .edits
                .iter()
                .map(|edit| {
                    object([
                        ("deletedRegion", region(source, edit.range.start(), edit.range.end())),
                        ("insertedContent", json!({"text": edit.text})),
                    ])
                })
                .collect();
            let change = object([
                ("artifactLocation", artifact_location(path)),
                ("replacements", Value::Array(replacements)),
            ]);
            object([
                ("description", json!({"text": fix.title})),
                ("artifactChanges", Value::Array(vec![change])),
                ("properties", json!({"applicability": fix.applicability.as_str()})),
            ])
        })
        .collect();
    if !fixes.is_empty() {
        value["fixes"] = Value::Array(fixes);
    }
    value
}

pub fn write(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    let rule_ids: Vec<&str> = rule_entries().iter().map(|entry| entry.id).collect();
    let mut results = Vec::new();
    for report in run.reports {
        let Some(source) = &report.source else { continue };
        for diagnostic in &report.diagnostics {
            let index = rule_ids.iter().position(|id| *id == diagnostic.rule);
            results.push(result(&report.path, source, diagnostic, index));
        }
    }
    let notifications: Vec<Value> = run
        .errors
        .iter()
        .map(|error| json!({"level": "error", "message": {"text": error}}))
        .collect();
    let totals = totals(run.reports);
    let mut invocation = json!({
        "executionSuccessful": run.errors.is_empty(),
        "properties": {
            "filesChecked": totals.files,
            "fixesApplied": if run.fixed { totals.applied } else { 0 },
        },
    });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let driver = object([
        ("name", json!("copydesk")),
        ("semanticVersion", json!(env!("CARGO_PKG_VERSION"))),
        ("version", json!(env!("CARGO_PKG_VERSION"))),
        ("informationUri", json!(super::REPOSITORY_URL)),
        ("rules", Value::Array(rules())),
    ]);
    let mut run_value = object([
        ("tool", object([("driver", driver)])),
        ("invocations", Value::Array(vec![invocation])),
        ("columnKind", json!("unicodeCodePoints")),
        ("results", Value::Array(results)),
    ]);
    if let Some(root) = working_folder_uri() {
        run_value["originalUriBaseIds"] = json!({"%SRCROOT%": {"uri": root}});
    }
    let value = object([
        ("$schema", json!(SCHEMA_URI)),
        ("version", json!("2.1.0")),
        ("runs", Value::Array(vec![run_value])),
    ]);
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)
}

/// The working folder as a `file://` URI ending in `/`, the base of relative paths.
fn working_folder_uri() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let cwd = cwd.to_str()?;
    let (uri, absolute) = path_to_uri(cwd);
    absolute.then(|| format!("{}/", uri.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_documentation_sections_are_found() {
        let doc = "## What it does\nFinds a word\nwritten twice.\n\n## Why is this bad?\nIt is.\n";
        assert_eq!(
            doc_section(doc, "What it does").as_deref(),
            Some("Finds a word\nwritten twice.")
        );
        assert_eq!(doc_section(doc, "Example"), None);
    }
}
