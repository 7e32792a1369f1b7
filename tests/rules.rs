//! Rule fixtures: every `tests/fixtures/rules/<rule>/<case>.md` is linted with that rule
//! alone; the findings, their fixes and the text after fixing are snapshotted. Files named
//! `clean-*.md` are professional copy on which the rule must stay silent.
//!
//! Every case also checks that fixes converge, that applying them twice changes nothing,
//! that each fix's edits are sorted and disjoint, and that no fix reaches into quoted text
//! unless the rule works on quotation marks.

use std::fmt::Write;
use std::path::Path;

use copydesk::config::Config;
use copydesk::fix::edits_are_disjoint;
use copydesk::{Applicability, Document, fix_text, lint};

fn config_for(rule: &str) -> Config {
    Config {
        select: Some(vec![rule.to_string()]),
        ..Config::default()
    }
}

fn render(doc: &Document, diagnostics: &[copydesk::Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let start = doc.line_column(diagnostic.range.start());
        let end = doc.line_column(diagnostic.range.end());
        let _ = writeln!(
            out,
            "{}:{}-{}:{} {} [{}] {} «{}»",
            start.line,
            start.column,
            end.line,
            end.column,
            diagnostic.severity,
            diagnostic.rule,
            diagnostic.message,
            doc.slice(diagnostic.range).replace('\n', "⏎")
        );
        for fix in &diagnostic.fixes {
            let edits: Vec<String> = fix
                .edits
                .iter()
                .map(|edit| format!("{:?}→{:?}", doc.slice(edit.range), edit.text))
                .collect();
            let _ = writeln!(
                out,
                "    fix ({}): {} {}",
                fix.applicability.as_str(),
                fix.title,
                edits.join(", ")
            );
        }
    }
    out
}

fn rule_of(path: &Path) -> String {
    path.parent()
        .and_then(|dir| dir.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .expect("fixtures live in a folder named after their rule")
}

#[test]
fn rule_fixtures() {
    insta::glob!("fixtures/rules/*/*.md", |path| {
        let rule = rule_of(path);
        let meta = copydesk::rules::all()
            .iter()
            .map(|r| r.meta())
            .find(|meta| meta.id == rule || meta.also_reports.contains(&rule.as_str()))
            .unwrap_or_else(|| panic!("fixture folder names an unknown rule: {rule}"));
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let config = config_for(&rule);
        let doc = Document::new(text.clone());
        let result = lint(&doc, &config);
        assert!(result.rule_failures.is_empty(), "{:?}", result.rule_failures);
        let is_clean = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("clean-"));
        if is_clean {
            assert!(
                result.diagnostics.is_empty(),
                "`{rule}` must stay silent on {}:\n{}",
                path.display(),
                render(&doc, &result.diagnostics)
            );
        }
        for diagnostic in &result.diagnostics {
            for fix in &diagnostic.fixes {
                assert!(edits_are_disjoint(&fix.edits), "overlapping edits in {fix:?}");
                if !meta.may_edit_quotes && fix.applicability > Applicability::DisplayOnly {
                    for edit in &fix.edits {
                        assert!(!doc.is_quoted(edit.range), "`{rule}` fix edits quoted text: {fix:?}");
                    }
                }
            }
        }
        let mut snapshot = render(&doc, &result.diagnostics);
        for (label, threshold) in [("safe", Applicability::Safe), ("unsafe", Applicability::Unsafe)] {
            let outcome = fix_text(&text, &config, threshold);
            assert!(
                outcome.converged,
                "`{rule}` fixes did not converge on {}",
                path.display()
            );
            let again = fix_text(&outcome.text, &config, threshold);
            assert_eq!(
                again.text, outcome.text,
                "applying `{rule}` fixes twice changed the text"
            );
            if outcome.text != text
                && (label == "safe" || outcome.text != fix_text(&text, &config, Applicability::Safe).text)
            {
                let _ = write!(snapshot, "\n--- fixed ({label} fixes) ---\n{}", outcome.text);
            }
        }
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn all_rules_converge_on_all_fixtures() {
    let config = Config::default();
    insta::glob!("fixtures/**/*.md", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        for threshold in [Applicability::Safe, Applicability::Unsafe] {
            let outcome = fix_text(&text, &config, threshold);
            assert!(outcome.converged, "fixes did not converge on {}", path.display());
            assert_eq!(fix_text(&outcome.text, &config, threshold).text, outcome.text);
        }
    });
}
