//! Inline suppression comments.
//!
//! - `<!-- copydesk-disable-next-line RULE -->` silences RULE on the line after the comment.
//! - `<!-- copydesk-disable RULE -->` ... `<!-- copydesk-enable RULE -->` silences RULE in between.
//!
//! Without a rule id, the comment applies to every rule. Several ids may be given,
//! separated by spaces or commas.

use crate::diagnostic::Diagnostic;
use crate::document::{Directive, DirectiveKind, Document};
use crate::text::TextRange;

struct Suppression {
    rules: Vec<String>,
    lines: Option<(usize, usize)>,
    range: Option<TextRange>,
}

impl Suppression {
    fn covers_rule(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|id| id == rule)
    }
}

/// Removes diagnostics silenced by comments in the draft.
pub fn apply(doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    if doc.directives.is_empty() {
        return;
    }
    let suppressions = collect(doc, &doc.directives);
    diagnostics.retain(|diagnostic| {
        let line = doc.line_index.line_of(diagnostic.range.start());
        !suppressions.iter().any(|suppression| {
            suppression.covers_rule(diagnostic.rule)
                && (suppression
                    .lines
                    .is_some_and(|(first, last)| first <= line && line <= last)
                    || suppression
                        .range
                        .is_some_and(|range| range.contains(diagnostic.range.start())))
        })
    });
}

fn collect(doc: &Document, directives: &[Directive]) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut open: Vec<(usize, &Directive)> = Vec::new();
    for directive in directives {
        match directive.kind {
            DirectiveKind::DisableNextLine => {
                let line = doc.line_index.line_of(directive.range.end()) + 1;
                out.push(Suppression {
                    rules: directive.rules.clone(),
                    lines: Some((line, line)),
                    range: None,
                });
            }
            DirectiveKind::Disable => open.push((directive.range.end(), directive)),
            DirectiveKind::Enable => {
                // An enable closes the disables it names (or all of them when it names none).
                let mut still_open = Vec::new();
                for (start, disable) in open.drain(..) {
                    let closes = directive.rules.is_empty()
                        || (!disable.rules.is_empty() && disable.rules.iter().all(|id| directive.rules.contains(id)));
                    if closes {
                        out.push(Suppression {
                            rules: disable.rules.clone(),
                            lines: None,
                            range: Some(TextRange::new(start, directive.range.start())),
                        });
                    } else {
                        still_open.push((start, disable));
                    }
                }
                open = still_open;
            }
        }
    }
    for (start, disable) in open {
        out.push(Suppression {
            rules: disable.rules.clone(),
            lines: None,
            range: Some(TextRange::new(start, doc.text.len())),
        });
    }
    out
}
