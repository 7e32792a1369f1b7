//! The human format: findings grouped by file, each with its source line, the span
//! underlined and the fix, then a summary.

use std::io::{self, Write};

use copydesk::{Diagnostic, Severity};

use super::{FileReport, Run, Source, plural, summary};

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

    fn severity_code(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Hint => "1;32",
        }
    }
}

pub fn write(out: &mut dyn Write, run: &Run<'_>, color: bool) -> io::Result<()> {
    let style = Style { color };
    for report in run.reports {
        let Some(source) = &report.source else { continue };
        if report.diagnostics.is_empty() {
            continue;
        }
        write_file_header(out, &style, report)?;
        for diagnostic in &report.diagnostics {
            write_diagnostic(out, &style, &report.path, source, diagnostic)?;
        }
    }
    out.write_all(summary(run).as_bytes())
}

fn write_file_header(out: &mut dyn Write, style: &Style, report: &FileReport) -> io::Result<()> {
    let count = plural(report.diagnostics.len(), "problem", "problems");
    let fixed = if report.fixes_applied > 0 {
        format!(", {} applied", plural(report.fixes_applied, "fix", "fixes"))
    } else {
        String::new()
    };
    writeln!(out, "{} ({count}{fixed})", style.paint("1;4", &report.path))?;
    writeln!(out)
}

fn write_diagnostic(
    out: &mut dyn Write,
    style: &Style,
    path: &str,
    source: &Source,
    diagnostic: &Diagnostic,
) -> io::Result<()> {
    let start = source.line_column(diagnostic.range.start());
    let color_code = Style::severity_code(diagnostic.severity);
    writeln!(
        out,
        "{}{}: {}",
        style.paint(color_code, diagnostic.severity.as_str()),
        style.paint("1", &format!("[{}]", diagnostic.rule)),
        style.paint("1", &diagnostic.message)
    )?;
    let (first_line, last_line) = source.line_span(diagnostic.range);
    let gutter = last_line.to_string().len();
    writeln!(
        out,
        "{:gutter$}{} {path}:{}:{}",
        "",
        style.paint("34", "-->"),
        start.line,
        start.column
    )?;
    let bar = style.paint("34", "|");
    writeln!(out, "{:gutter$} {bar}", "")?;
    // Show the first line of the span, and its last line when the span runs over several.
    let mut shown = vec![first_line];
    if last_line > first_line {
        shown.push(last_line);
    }
    for (position, &line) in shown.iter().enumerate() {
        if position == 1 && last_line > first_line + 1 {
            writeln!(out, "{}", style.paint("34", "..."))?;
        }
        let (line_range, line_text) = source.line(line);
        writeln!(
            out,
            "{} {bar} {}",
            style.paint("34", &format!("{line:>gutter$}")),
            line_text.replace('\t', " ")
        )?;
        let span_start = diagnostic.range.start().clamp(line_range.start(), line_range.end());
        let span_end = diagnostic.range.end().clamp(span_start, line_range.end());
        let (from, to) = (span_start - line_range.start(), span_end - line_range.start());
        let col_start = line_text[..from].chars().count();
        let width = line_text[from..to].chars().count().max(1);
        writeln!(
            out,
            "{:gutter$} {bar} {:col_start$}{}",
            "",
            "",
            style.paint(color_code, &"^".repeat(width))
        )?;
    }
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
    writeln!(out)
}
