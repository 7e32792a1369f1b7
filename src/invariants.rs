//! Checks of what must hold for any draft, shared by the property tests and the fuzz targets:
//! linting never panics, every fix is well formed and stays out of code and (unless its rule
//! works on quotation marks) out of quotations, applying fixes changes only the bytes they
//! name, and fixing converges and is idempotent.

use crate::config::Config;
use crate::fix::{Applicability, apply_fixes, edits_are_disjoint};
use crate::lint::{fix_text, lint};
use crate::{Document, rules};

/// A configuration running every rule, those off by default included.
pub fn all_rules() -> Config {
    Config {
        select: Some(
            rules::all()
                .iter()
                .flat_map(|rule| std::iter::once(rule.meta().id).chain(rule.meta().also_reports.iter().copied()))
                .map(str::to_string)
                .collect(),
        ),
        ..Config::default()
    }
}

/// Lints `text` with every rule and checks every invariant; returns the first violation.
pub fn check(text: &str) -> Result<(), String> {
    let config = all_rules();
    let doc = Document::new(text);
    let result = lint(&doc, &config);
    if let Some((rule, message)) = result.rule_failures.first() {
        return Err(format!("rule `{rule}` panicked: {message}"));
    }
    for diagnostic in &result.diagnostics {
        let range = diagnostic.range;
        if range.end() > text.len() || !text.is_char_boundary(range.start()) || !text.is_char_boundary(range.end()) {
            return Err(format!("`{}` reports an invalid range {range:?}", diagnostic.rule));
        }
        let meta = rules::all()
            .iter()
            .map(|rule| rule.meta())
            .find(|meta| meta.id == diagnostic.rule || meta.also_reports.contains(&diagnostic.rule))
            .ok_or_else(|| format!("unknown rule id `{}`", diagnostic.rule))?;
        for fix in &diagnostic.fixes {
            if !edits_are_disjoint(&fix.edits) || !fix.edits.windows(2).all(|w| w[0].range.start <= w[1].range.start) {
                return Err(format!(
                    "`{}` fix has unsorted or overlapping edits: {fix:?}",
                    diagnostic.rule
                ));
            }
            for edit in &fix.edits {
                if edit.range.end() > text.len()
                    || !text.is_char_boundary(edit.range.start())
                    || !text.is_char_boundary(edit.range.end())
                {
                    return Err(format!("`{}` fix edits an invalid range: {fix:?}", diagnostic.rule));
                }
                if doc.is_non_prose(edit.range) {
                    return Err(format!(
                        "`{}` fix edits code, HTML or front matter: {fix:?}",
                        diagnostic.rule
                    ));
                }
                if !meta.may_edit_quotes && fix.applicability > Applicability::DisplayOnly && doc.is_quoted(edit.range)
                {
                    return Err(format!("`{}` fix edits quoted text: {fix:?}", diagnostic.rule));
                }
            }
        }
    }
    // One pass of fixes changes only the bytes its edits name.
    for threshold in [Applicability::Safe, Applicability::Unsafe] {
        let chosen: Vec<_> = result
            .diagnostics
            .iter()
            .filter_map(|d| {
                d.fixes
                    .iter()
                    .find(|fix| fix.applicability >= threshold && !fix.edits.is_empty())
            })
            .collect();
        let (fixed, _) = apply_fixes(text, chosen.iter().copied());
        let mut applied: Vec<_> = Vec::new();
        for fix in &chosen {
            if fix
                .edits
                .iter()
                .all(|e| applied.iter().all(|a: &crate::fix::Edit| disjoint(a, e)))
            {
                applied.extend(fix.edits.iter().cloned());
            }
        }
        applied.sort_by_key(|e| (e.range.start, e.range.end));
        let mut rebuilt = String::new();
        let mut cursor = 0;
        for edit in &applied {
            rebuilt.push_str(&text[cursor..edit.range.start()]);
            rebuilt.push_str(&edit.text);
            cursor = edit.range.end();
        }
        rebuilt.push_str(&text[cursor..]);
        if rebuilt != fixed {
            return Err("applying fixes changed bytes outside their edits".to_string());
        }
        let outcome = fix_text(text, &config, threshold);
        if !outcome.converged {
            return Err(format!("fixes at {threshold:?} did not converge"));
        }
        let again = fix_text(&outcome.text, &config, threshold);
        if again.text != outcome.text {
            return Err(format!("fixing at {threshold:?} twice changed the text"));
        }
    }
    Ok(())
}

fn disjoint(a: &crate::fix::Edit, b: &crate::fix::Edit) -> bool {
    let (first, second) = if (a.range.start, a.range.end) <= (b.range.start, b.range.end) {
        (a, b)
    } else {
        (b, a)
    };
    first.range.end < second.range.start
        || (first.range.end == second.range.start && !(first.range.is_empty() && second.range.is_empty()))
}
