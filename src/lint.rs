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

/// Findings block by block: one list for all blocks, so that a block without findings costs
/// an index and not a list of its own.
#[derive(Clone, Debug, Default)]
struct BlockFindings {
    /// The findings of every block, block after block.
    findings: Vec<Diagnostic>,
    /// For each block, the index in `findings` of its first finding; then their number.
    starts: Vec<u32>,
}

impl BlockFindings {
    /// The findings of block `idx`, if there is such a block.
    fn of_block(&self, idx: usize) -> Option<&[Diagnostic]> {
        let start = *self.starts.get(idx)? as usize;
        let end = *self.starts.get(idx + 1)? as usize;
        self.findings.get(start..end)
    }
}

/// Lints an analysed draft.
pub fn lint(doc: &Document, config: &Config) -> LintResult {
    lint_reusing(doc, config, None)
}

/// Lints an analysed draft built with [`Document::reusing`] from the draft `previous` was the
/// result for: rules that look at one block at a time keep their findings for the blocks that
/// did not change. The result is the same as [`lint`]'s. When `previous` is not the result for
/// the draft this one reused, it is ignored.
pub fn lint_reusing(doc: &Document, config: &Config, previous: Option<&LintResult>) -> LintResult {
    lint_with(doc, config, previous, false)
}

/// Drafts from this size up are linted on two threads by [`lint_in_parallel`]; below it, the
/// hand-off between threads is a larger share of the work. (At 29 KB two threads already cut
/// the server's median keystroke from 1.02 to 0.83 ms.)
pub const PARALLEL_FROM: usize = 16 * 1024;

/// [`lint_reusing`], with the rules shared between two threads of rayon's pool while one of
/// them also finds the draft's mentions, people and attribution (the stages a
/// [`Document`] computes on first use). The language server lints this way: on a long draft
/// a keystroke's findings come back sooner. The result is the same, in the same order.
/// Drafts shorter than [`PARALLEL_FROM`] are linted on the calling thread.
pub fn lint_in_parallel(doc: &Document, config: &Config, previous: Option<&LintResult>) -> LintResult {
    lint_with(doc, config, previous, doc.text.len() >= PARALLEL_FROM)
}

/// What running one rule gave, before severities, suppressions and the quotation guard.
enum Ran {
    /// The rule and every id it also reports under are off.
    Skipped,
    Found {
        found: Vec<Diagnostic>,
        /// A per-block rule's findings block by block, for the next version.
        kept: Option<BlockFindings>,
    },
    Panicked(String),
}

fn lint_with(doc: &Document, config: &Config, previous: Option<&LintResult>, parallel: bool) -> LintResult {
    let context = Context { doc, config };
    let reused = doc
        .reused
        .as_ref()
        .zip(previous)
        .filter(|((id, _), previous)| *id == previous.kept.document)
        .map(|((_, from), previous)| (from.as_slice(), &previous.kept));
    let run = |rule_idx: usize| run_rule(rule_idx, &context, reused);
    let count = rules::all().len();
    let mut ran: Vec<Ran> = Vec::with_capacity(count);
    if parallel {
        // Both threads take the next rule in `schedule` order until none is left; one of them
        // first runs the lazy stages, so rules that read only text go first.
        let order = schedule();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut mine = Vec::new();
            loop {
                let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&rule_idx) = order.get(at) else {
                    return mine;
                };
                mine.push((rule_idx, run(rule_idx)));
            }
        };
        let (first, second) = rayon::join(
            || {
                doc.complete();
                work()
            },
            work,
        );
        let mut slots: Vec<Option<Ran>> = (0..count).map(|_| None).collect();
        for (rule_idx, outcome) in first.into_iter().chain(second) {
            slots[rule_idx] = Some(outcome);
        }
        ran.extend(slots.into_iter().map(|slot| slot.unwrap_or(Ran::Skipped)));
    } else {
        ran.extend((0..count).map(run));
    }

    let mut result = LintResult::default();
    result.kept.document = doc.id;
    result.kept.per_block = vec![None; count];
    for (rule_idx, (rule, outcome)) in rules::all().iter().zip(ran).enumerate() {
        let meta = rule.meta();
        let (found, kept) = match outcome {
            Ran::Skipped => continue,
            Ran::Panicked(message) => {
                result.rule_failures.push((meta.id, message));
                continue;
            }
            Ran::Found { found, kept } => (found, kept),
        };
        result.kept.per_block[rule_idx] = kept;
        let level = config.level(meta);
        for mut diagnostic in found {
            let level = if diagnostic.rule == meta.id {
                level
            } else if meta.also_reports.contains(&diagnostic.rule) {
                level_of(config, diagnostic.rule, level)
            } else {
                RuleLevel::Off
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

/// The rules' indices in [`rules::all`], those that read only the text first, then those that
/// read people, then those that read attribution ([`RuleMeta::reads`](rules::RuleMeta::reads)).
fn schedule() -> &'static [usize] {
    static ORDER: std::sync::LazyLock<Vec<usize>> = std::sync::LazyLock::new(|| {
        let mut order: Vec<usize> = (0..rules::all().len()).collect();
        order.sort_by_key(|&idx| rules::all()[idx].meta().reads);
        order
    });
    &ORDER
}

/// Runs rule `rule_idx` of [`rules::all`] unless it and every id it also reports under are
/// off, catching a panic.
fn run_rule(rule_idx: usize, context: &Context<'_>, reused: Option<(&[Option<u32>], &Kept)>) -> Ran {
    let rule = rules::all()[rule_idx];
    let meta = rule.meta();
    let config = context.config;
    let level = config.level(meta);
    if level == RuleLevel::Off
        && meta
            .also_reports
            .iter()
            .all(|id| level_of(config, id, level) == RuleLevel::Off)
    {
        return Ran::Skipped;
    }
    let mut found = Vec::new();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if meta.per_block {
            let old = reused.and_then(|(from, kept)| {
                let findings = kept.per_block.get(rule_idx)?.as_ref()?;
                Some((from, findings))
            });
            Some(check_blocks(rule, context, old, &mut found))
        } else {
            rule.check(context, &mut found);
            None
        }
    }));
    match outcome {
        Ok(kept) => Ran::Found { found, kept },
        Err(payload) => Ran::Panicked(
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string()),
        ),
    }
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
    let mut kept = BlockFindings {
        findings: Vec::new(),
        starts: Vec::with_capacity(doc.blocks.len() + 1),
    };
    for (idx, block) in doc.blocks.iter().enumerate() {
        kept.starts.push(kept.findings.len() as u32);
        let start = block.range.start;
        let copied = old.and_then(|(from, findings)| findings.of_block((*from.get(idx)?)? as usize));
        match copied {
            Some(findings) => {
                found.extend(findings.iter().map(|diagnostic| moved(diagnostic, 0, start)));
                kept.findings.extend_from_slice(findings);
            }
            None => {
                // The rule appends to `found` directly; most blocks have no findings.
                let first = found.len();
                rule.check_block(context, block, found);
                kept.findings
                    .extend(found[first..].iter().map(|diagnostic| moved(diagnostic, start, 0)));
            }
        }
    }
    kept.starts.push(kept.findings.len() as u32);
    kept
}

/// A finding with its ranges counted from `to` instead of `from` (wrapping, so that the round
/// trip is exact).
fn moved(diagnostic: &Diagnostic, from: u32, to: u32) -> Diagnostic {
    let shift = |range: crate::text::TextRange| range.moved(to.wrapping_sub(from));
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
    let doc = Document::one_pass(text);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Reads;

    /// Every rule reads no more of the lazily computed stages than its `reads` declares (else
    /// the language server would schedule it too early and a thread would wait), and no less
    /// on a draft that has people and attributed quotations (else the declaration is stale).
    #[test]
    fn rules_read_what_they_declare() {
        // The example draft, with a second heading (headline-mismatch compares headings).
        let draft = format!(
            "{}\n## Reyes Defends the Plan\n\nThe council meets again on Monday.\n",
            include_str!("../examples/draft.md")
        );
        let config = Config::default();
        let mut wrong = Vec::new();
        for rule in rules::all() {
            let meta = rule.meta();
            let doc = Document::new(draft.as_str());
            let context = Context {
                doc: &doc,
                config: &config,
            };
            let mut found = Vec::new();
            if meta.per_block {
                check_blocks(*rule, &context, None, &mut found);
            } else {
                rule.check(&context, &mut found);
            }
            let read = match doc.stages_run() {
                (_, true) => Reads::Attribution,
                (true, false) => Reads::People,
                (false, false) => Reads::Text,
            };
            if read != meta.reads {
                wrong.push(format!("{} reads {read:?}, declares {:?}", meta.id, meta.reads));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// Linting on two threads gives what linting on one gives.
    #[test]
    fn parallel_lint_equals_serial_lint() {
        let draft = include_str!("../examples/draft.md").repeat(PARALLEL_FROM / 1000 + 1);
        let config = Config::default();
        let serial = lint(&Document::new(draft.as_str()), &config);
        let doc = Document::new(draft.as_str());
        let parallel = lint_in_parallel(&doc, &config, None);
        assert!(!serial.diagnostics.is_empty());
        assert_eq!(
            format!("{:?}", parallel.diagnostics),
            format!("{:?}", serial.diagnostics)
        );
        assert_eq!(parallel.rule_failures, serial.rule_failures);
    }
}
