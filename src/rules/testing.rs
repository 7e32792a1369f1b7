//! Helpers for the unit tests at the bottom of each rule file.

use crate::config::Config;
use crate::fix::Applicability;
use crate::lint::{fix_text, lint_text};

fn config_for(rule: &str) -> Config {
    Config {
        select: Some(vec![rule.to_string()]),
        ..Config::default()
    }
}

/// Renders the findings of one rule on `text`, one per line:
/// `line:col-line:col severity message [fix titles]`.
pub fn check(rule: &str, text: &str) -> String {
    let (doc, result) = lint_text(text, &config_for(rule));
    assert!(
        result.rule_failures.is_empty(),
        "rule panicked: {:?}",
        result.rule_failures
    );
    let mut out = String::new();
    for diagnostic in &result.diagnostics {
        let start = doc.line_column(diagnostic.range.start());
        let end = doc.line_column(diagnostic.range.end());
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}",
            start.line, start.column, end.line, end.column, diagnostic.severity, diagnostic.message
        ));
        for fix in &diagnostic.fixes {
            out.push_str(&format!(" [{}: {}]", fix.applicability.as_str(), fix.title));
        }
        out.push('\n');
    }
    out
}

/// Asserts that one rule finds nothing in `text`.
#[track_caller]
pub fn assert_clean(rule: &str, text: &str) {
    let found = check(rule, text);
    assert!(
        found.is_empty(),
        "expected no `{rule}` findings in {text:?}, got:\n{found}"
    );
}

/// Asserts that one rule finds exactly `expected` findings in `text`.
#[track_caller]
pub fn assert_count(rule: &str, text: &str, expected: usize) {
    let found = check(rule, text);
    assert_eq!(
        found.lines().count(),
        expected,
        "findings of `{rule}` in {text:?}:\n{found}"
    );
}

/// Asserts that applying one rule's fixes at `threshold` turns `input` into `expected`,
/// and that a second run changes nothing.
#[track_caller]
pub fn assert_fixed_at(rule: &str, input: &str, expected: &str, threshold: Applicability) {
    let config = config_for(rule);
    let outcome = fix_text(input, &config, threshold);
    assert!(outcome.converged, "fixes for `{rule}` did not converge on {input:?}");
    assert_eq!(outcome.text, expected, "fixing `{rule}` in {input:?}");
    let again = fix_text(&outcome.text, &config, threshold);
    assert_eq!(again.text, outcome.text, "fixing `{rule}` twice changed the text");
}

/// Asserts the safe fixes of one rule turn `input` into `expected`.
#[track_caller]
pub fn assert_fixed(rule: &str, input: &str, expected: &str) {
    assert_fixed_at(rule, input, expected, Applicability::Safe);
}
