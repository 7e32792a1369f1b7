//! The concise format: `path:line:column: severity [rule] message`, one finding per line,
//! for editors' quickfix lists and grep. The summary goes to standard error.

use std::io::{self, Write};

use super::Run;

pub fn write(out: &mut dyn Write, run: &Run<'_>) -> io::Result<()> {
    for report in run.reports {
        let Some(source) = &report.source else { continue };
        for diagnostic in &report.diagnostics {
            let start = source.line_column(diagnostic.range.start());
            writeln!(
                out,
                "{}:{}:{}: {} [{}] {}",
                report.path,
                start.line,
                start.column,
                diagnostic.severity,
                diagnostic.rule,
                one_line(&diagnostic.message)
            )?;
        }
    }
    Ok(())
}

/// A message on one line, so that one line is always one finding.
pub fn one_line(message: &str) -> String {
    if message.contains(['\n', '\r']) {
        message
            .split(['\n', '\r'])
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        message.to_string()
    }
}
