//! `unbalanced-quote`: a quotation mark with no partner.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, MarkRole, QuoteKind, Unbalanced, UnbalancedMark};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds an opening quotation mark that is never closed, and a closing mark with no
    /// opening mark before it.
    ///
    /// A quotation that runs over several paragraphs follows the news convention: each
    /// paragraph opens with a quotation mark and only the last one closes. A paragraph left
    /// open is fine when the next paragraph opens with a quotation mark. Apostrophes are not
    /// quotation marks (don’t, rock ’n’ roll, the ’90s, Jones’ car), nor are the marks for feet
    /// and inches (6'2").
    ///
    /// ## Why is this bad?
    /// An unclosed quotation leaves the reader unsure where the speaker's words end and the
    /// reporter's begin, which matters legally as much as editorially.
    ///
    /// ## Example
    /// ```markdown
    /// "We will not close a single branch, Reyes said.
    /// ```
    /// Use instead:
    /// ```markdown
    /// "We will not close a single branch," Reyes said.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The fix closes the quotation at the end of the sentence (or opens it at the
    /// start of the sentence, for a stray closing mark); where the quotation really ends is for
    /// the writer to say. It is offered only when the mark is the sentence's only quotation
    /// mark, so that the new mark certainly pairs with it.
    pub(crate) struct UnbalancedQuote;
    id = "unbalanced-quote",
    summary = "A quotation mark with no partner",
    severity = Error,
    fix = Sometimes,
    may_edit_quotes = true,
}

impl Rule for UnbalancedQuote {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for mark in &doc.unbalanced_quotes {
            let (message, fix) = match mark.problem {
                Unbalanced::UnclosedOpen => (
                    "Opening quotation mark is never closed",
                    close_at_sentence_end(doc, mark),
                ),
                Unbalanced::UnmatchedClose => (
                    "Closing quotation mark has no opening mark",
                    open_at_sentence_start(doc, mark),
                ),
            };
            let mut diagnostic = Diagnostic::new(Self::META.id, Severity::Error, mark.range, message);
            if let Some(fix) = fix {
                diagnostic = diagnostic.with_fix(fix);
            }
            out.push(diagnostic);
        }
    }
}

fn partner(doc: &Document, mark: &UnbalancedMark) -> &'static str {
    match (doc.slice(mark.range), mark.kind) {
        ("“", _) => "”",
        ("”", _) => "“",
        ("«", _) => "»",
        ("»", _) => "«",
        ("‘", _) => "’",
        ("’", _) => "‘",
        (_, QuoteKind::Double) => "\"",
        (_, QuoteKind::Single) => "'",
    }
}

/// Whether the mark is the only quotation mark (opening or closing) in its sentence: then a
/// partner at the other end of the sentence certainly pairs with it, and fixing converges.
fn alone_in_sentence(doc: &Document, mark: &UnbalancedMark, sentence: &crate::document::Sentence) -> bool {
    let start = doc
        .quote_marks
        .partition_point(|m| m.range.start < sentence.range.start);
    doc.quote_marks[start..]
        .iter()
        .take_while(|m| m.range.start() < sentence.range.end())
        .filter(|m| matches!(m.role, MarkRole::Open | MarkRole::Close))
        .all(|m| m.range == mark.range)
}

/// Inserts the closing mark after the last token of the sentence holding the opening mark.
fn close_at_sentence_end(doc: &Document, mark: &UnbalancedMark) -> Option<Fix> {
    let sentence = &doc.sentences[doc.sentence_at(mark.range.start())?];
    if !alone_in_sentence(doc, mark, sentence) {
        return None;
    }
    let mut last = sentence.tokens.end - 1;
    // Keep trailing closing marks of other quotations outside the new one.
    while last > sentence.tokens.start
        && doc.tokens[last].range.start() > mark.range.start()
        && doc.slice(doc.tokens[last].range) == partner(doc, mark)
    {
        last -= 1;
    }
    let end = doc.tokens[last].range.end();
    if end <= mark.range.end() {
        return None;
    }
    let closing = partner(doc, mark);
    Some(Fix::unsafe_(
        format!("Close the quotation at the end of the sentence with {closing}"),
        vec![Edit::insert(end, closing)],
    ))
}

/// Inserts an opening mark before the first token of the sentence holding the closing mark.
fn open_at_sentence_start(doc: &Document, mark: &UnbalancedMark) -> Option<Fix> {
    let sentence = &doc.sentences[doc.sentence_at(mark.range.start())?];
    if !alone_in_sentence(doc, mark, sentence) {
        return None;
    }
    let start = doc.tokens[sentence.tokens.start].range.start();
    if start >= mark.range.start() {
        return None;
    }
    let opening = partner(doc, mark);
    Some(Fix::unsafe_(
        format!("Open the quotation at the start of the sentence with {opening}"),
        vec![Edit::insert(start, opening)],
    ))
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_fixed_at, check};

    const ID: &str = "unbalanced-quote";

    #[test]
    fn unclosed_and_unmatched_marks() {
        assert_eq!(
            check(
                ID,
                "“We will not close a branch, Reyes said.\n\nShe left. The vote failed” on Monday.\n"
            ),
            "1:1-1:2 error Opening quotation mark is never closed [unsafe: Close the quotation at the end of the sentence with ”]\n\
             3:26-3:27 error Closing quotation mark has no opening mark [unsafe: Open the quotation at the start of the sentence with “]\n"
        );
        assert_fixed_at(
            ID,
            "\"We will not close a branch, Reyes said.\n",
            "\"We will not close a branch, Reyes said.\"\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn balanced_copy_is_clean() {
        assert_clean(
            ID,
            "“The first paragraph runs on,\n\n“and the second ends it,” Lee said.\n",
        );
        assert_clean(
            ID,
            "Jones’ car, rock ’n’ roll and the ’90s. He don't know. He stood 6'2\" tall.\n",
        );
        assert_clean(ID, "\"I told him, 'Go home,' and he did,\" said Ortiz.\n");
    }
}
