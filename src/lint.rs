//! The engine: run the enabled rules over a draft, apply severities, suppressions and the
//! quotation guard, and apply fixes until the text stops changing.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::config::{Config, RuleLevel};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::fix::{Applicability, apply_fixes};
use crate::rules::{self, Context};

/// The result of linting one draft.
#[derive(Debug, Default)]
pub struct LintResult {
    /// Findings sorted by position, then rule id.
    pub diagnostics: Vec<Diagnostic>,
    /// Rules that panicked on this draft, with the panic message. Their findings are missing;
    /// the other rules' findings are complete.
    pub rule_failures: Vec<(&'static str, String)>,
    /// What the next version's linting may reuse.
    kept: Kept,
}

/// The findings of the [`RuleMeta::per_block`](crate::rules::RuleMeta::per_block) rules, block
/// by block, as the rules made them (before severities, suppressions and the quotation guard)
/// and with ranges counted from the block's start: a later version of the draft takes them as
/// they are for each block it copied from this one.
#[derive(Debug, Default)]
struct Kept {
    /// The [`Document`] they were found in.
    document: u64,
    /// Per rule of [`rules::all`], if it ran: per block, its findings.
    per_block: Vec<Option<BlockFindings>>,
}

/// Findings block by block.
type BlockFindings = Vec<Vec<Diagnostic>>;

/// Lints an analysed draft.
pub fn lint(doc: &Document, config: &Config) -> LintResult {
    lint_reusing(doc, config, None)
}

/// Lints an analysed draft built with [`Document::reusing`] from the draft `previous` was the
/// result for: rules that look at one block at a time keep their findings for the blocks that
/// did not change. The result is the same as [`lint`]'s. When `previous` is not the result for
/// the draft this one reused, it is ignored.
pub fn lint_reusing(doc: &Document, config: &Config, previous: Option<&LintResult>) -> LintResult {
    let context = Context { doc, config };
    let mut result = LintResult::default();
    result.kept.document = doc.id;
    result.kept.per_block = vec![None; rules::all().len()];
    let reused = doc
        .reused
        .as_ref()
        .zip(previous)
        .filter(|((id, _), previous)| *id == previous.kept.document)
        .map(|((_, from), previous)| (from.as_slice(), &previous.kept));
    for (rule_idx, rule) in rules::all().iter().enumerate() {
        let meta = rule.meta();
        let level = config.level(meta);
        let also_on: Vec<(&'static str, RuleLevel)> = meta
            .also_reports
            .iter()
            .map(|id| (*id, level_of(config, id, level)))
            .collect();
        if level == RuleLevel::Off && also_on.iter().all(|(_, level)| *level == RuleLevel::Off) {
            continue;
        }
        let mut found = Vec::new();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if meta.per_block {
                let old = reused.and_then(|(from, kept)| {
                    let findings = kept.per_block.get(rule_idx)?.as_ref()?;
                    Some((from, findings))
                });
                Some(check_blocks(*rule, &context, old, &mut found))
            } else {
                rule.check(&context, &mut found);
                None
            }
        }));
        let outcome = outcome.map(|kept| result.kept.per_block[rule_idx] = kept);
        if let Err(payload) = outcome {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            result.rule_failures.push((meta.id, message));
            continue;
        }
        for mut diagnostic in found {
            let level = if diagnostic.rule == meta.id {
                level
            } else {
                also_on
                    .iter()
                    .find(|(id, _)| *id == diagnostic.rule)
                    .map_or(RuleLevel::Off, |(_, level)| *level)
            };
            let RuleLevel::On(severity) = level else {
                continue;
            };
            if configured(config, diagnostic.rule) {
                diagnostic.severity = severity;
            }
            guard_fixes(doc, meta.may_edit_quotes, &mut diagnostic);
            result.diagnostics.push(diagnostic);
        }
    }
    crate::suppress::apply(doc, &mut result.diagnostics);
    result.diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule, &a.message).cmp(&(b.range.start, b.range.end, b.rule, &b.message))
    });
    result
}

/// Runs a per-block rule on every block, or takes a block's findings from `old` (the previous
/// version's, with the previous block each block copies) when it has them; appends them to
/// `found` and returns them block by block, ranges counted from each block's start.
fn check_blocks(
    rule: &dyn rules::Rule,
    context: &Context<'_>,
    old: Option<(&[Option<u32>], &BlockFindings)>,
    found: &mut Vec<Diagnostic>,
) -> BlockFindings {
    let doc = context.doc;
    let mut kept = Vec::with_capacity(doc.blocks.len());
    for (idx, block) in doc.blocks.iter().enumerate() {
        let start = block.range.start;
        let copied = old.and_then(|(from, findings)| findings.get((*from.get(idx)?)? as usize));
        match copied {
            Some(findings) => {
                found.extend(findings.iter().map(|diagnostic| moved(diagnostic, 0, start)));
                kept.push(findings.clone());
            }
            None => {
                let mut here = Vec::new();
                rule.check_block(context, block, &mut here);
                kept.push(here.iter().map(|diagnostic| moved(diagnostic, start, 0)).collect());
                found.append(&mut here);
            }
        }
    }
    kept
}

/// A finding with its ranges counted from `to` instead of `from` (wrapping, so that the round
/// trip is exact).
fn moved(diagnostic: &Diagnostic, from: u32, to: u32) -> Diagnostic {
    let shift = |range: crate::text::TextRange| crate::text::TextRange {
        start: range.start.wrapping_sub(from).wrapping_add(to),
        end: range.end.wrapping_sub(from).wrapping_add(to),
    };
    let mut diagnostic = diagnostic.clone();
    diagnostic.range = shift(diagnostic.range);
    for fix in &mut diagnostic.fixes {
        for edit in &mut fix.edits {
            edit.range = shift(edit.range);
        }
    }
    diagnostic
}

/// The level of an id a rule also reports under: configured under its own name, else the parent's.
fn level_of(config: &Config, id: &str, parent: RuleLevel) -> RuleLevel {
    if config.ignore.iter().any(|ignored| ignored == id) {
        return RuleLevel::Off;
    }
    if let Some(select) = &config.select
        && select.iter().any(|selected| selected == id)
    {
        return config.rules.get(id).copied().unwrap_or(match parent {
            RuleLevel::On(severity) => RuleLevel::On(severity),
            RuleLevel::Off => RuleLevel::On(crate::diagnostic::Severity::Error),
        });
    }
    config.rules.get(id).copied().unwrap_or(parent)
}

fn configured(config: &Config, id: &str) -> bool {
    config.rules.contains_key(id)
}

/// Keeps fixes out of text they must not touch: code, HTML and front matter always; quoted
/// text unless the rule works on quotation marks. A fix that would change quoted text is
/// kept as a suggestion only, so the writer can still apply it by hand.
fn guard_fixes(doc: &Document, may_edit_quotes: bool, diagnostic: &mut Diagnostic) {
    diagnostic.fixes.retain(|fix| {
        fix.edits.iter().all(|edit| {
            edit.range.end() <= doc.text.len()
                && doc.text.is_char_boundary(edit.range.start())
                && doc.text.is_char_boundary(edit.range.end())
                && !doc.is_non_prose(edit.range)
        })
    });
    if may_edit_quotes {
        return;
    }
    for fix in &mut diagnostic.fixes {
        if fix.applicability > Applicability::DisplayOnly && fix.edits.iter().any(|edit| doc.is_quoted(edit.range)) {
            fix.applicability = Applicability::DisplayOnly;
        }
    }
}

/// Lints text, building the document.
pub fn lint_text(text: &str, config: &Config) -> (Document, LintResult) {
    let doc = Document::new(text);
    let result = lint(&doc, config);
    (doc, result)
}

/// The most passes [`fix_text`] makes before giving up on convergence.
pub const MAX_FIX_PASSES: usize = 10;

/// The result of fixing one draft.
pub struct FixOutcome {
    pub text: String,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// Findings left after fixing, with the final document.
    pub remaining: LintResult,
    pub document: Document,
    /// False when fixes still applied after [`MAX_FIX_PASSES`] passes.
    pub converged: bool,
}

/// Applies every fix at or above `threshold`, re-linting until nothing more applies.
pub fn fix_text(text: &str, config: &Config, threshold: Applicability) -> FixOutcome {
    let mut current = text.to_string();
    let mut applied = 0;
    let mut converged = false;
    let mut last = lint_text(&current, config);
    for _ in 0..MAX_FIX_PASSES {
        let fixes = last.1.diagnostics.iter().filter_map(|diagnostic| {
            diagnostic
                .fixes
                .iter()
                .find(|fix| fix.applicability >= threshold && !fix.edits.is_empty())
        });
        let (next, n_applied) = apply_fixes(&current, fixes);
        if n_applied == 0 || next == current {
            converged = true;
            break;
        }
        applied += n_applied;
        current = next;
        last = lint_text(&current, config);
    }
    let (document, remaining) = last;
    FixOutcome {
        text: current,
        applied,
        remaining,
        document,
        converged,
    }
}
