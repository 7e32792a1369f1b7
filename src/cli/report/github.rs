//! The GitHub format: workflow commands that GitHub Actions turns into annotations on the
//! pull request (`::warning file=...,line=...::message`).

use std::io::{self, Write};

use copydesk::{Applicability, Severity};

use super::{Run, plain_path};

pub fn write(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    // Errors that belong to no checked file (a missing path, a glob matching nothing) become
    // annotations of their own; a file's error is annotated on the file below.
    for error in run.errors {
        if !run.reports.iter().any(|report| report.error.as_ref() == Some(error)) {
            writeln!(
                out,
                "::error title={}::{}",
                escape_property("copydesk"),
                escape_data(error)
            )?;
        }
    }
    for report in run.reports {
        let path = plain_path(&report.path);
        if let Some(error) = &report.error {
            writeln!(
                out,
                "::error file={},title={}::{}",
                escape_property(path),
                escape_property("copydesk"),
                escape_data(error)
            )?;
        }
        let Some(source) = &report.source else { continue };
        for diagnostic in &report.diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let start = source.line_column(diagnostic.range.start());
            let end = source.line_column(diagnostic.range.end());
            let (first_line, last_line) = source.line_span(diagnostic.range);
            let mut properties = format!("file={},line={first_line},", escape_property(path));
            if last_line > first_line {
                properties.push_str(&format!("endLine={last_line},col={}", start.column));
            } else {
                // GitHub's end column is the last column of the annotation, inclusive.
                let end_column = if diagnostic.range.is_empty() {
                    start.column
                } else {
                    end.column.saturating_sub(1).max(start.column)
                };
                properties.push_str(&format!(
                    "endLine={last_line},col={},endColumn={end_column}",
                    start.column
                ));
            }
            properties.push_str(&format!(",title={}", escape_property(diagnostic.rule)));
            let mut message = diagnostic.message.clone();
            if let Some(fix) = diagnostic.fixes.iter().find(|fix| !fix.edits.is_empty()) {
                let how = match fix.applicability {
                    Applicability::Safe => "fix",
                    Applicability::Unsafe => "fix (unsafe)",
                    Applicability::DisplayOnly => "suggestion",
                };
                message.push_str(&format!("\n{how}: {}", fix.title));
            }
            writeln!(out, "::{command} {properties}::{}", escape_data(&message))?;
        }
    }
    Ok(())
}

/// Escapes a command's message as GitHub's runner expects: `%`, `\r` and `\n`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command's property value: as data, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    }
}
