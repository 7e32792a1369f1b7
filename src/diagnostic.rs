//! Findings: what a rule reports, where, and how it could be fixed.

use crate::fix::Fix;
use crate::text::TextRange;

/// How serious a finding is. Ordered from least to most severe.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(name: &str) -> Option<Severity> {
        Some(match name {
            "hint" => Severity::Hint,
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The kebab-case rule id, e.g. `repeated-word`.
    pub rule: &'static str,
    pub severity: Severity,
    /// Byte range into the document text.
    pub range: TextRange,
    /// States the problem, e.g. "Word repeated: \"the the\"".
    pub message: String,
    /// Zero or more ways to fix it, the most likely first.
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A finding with the rule's default severity; the engine applies configured severities afterwards.
    pub fn new(rule: &'static str, severity: Severity, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            range,
            message: message.into(),
            fixes: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    pub fn with_fixes(mut self, fixes: impl IntoIterator<Item = Fix>) -> Diagnostic {
        self.fixes.extend(fixes);
        self
    }
}
