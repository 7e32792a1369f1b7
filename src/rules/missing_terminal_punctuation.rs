//! `missing-terminal-punctuation`: a prose paragraph whose last sentence has no final period.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::WORD_ANY_VERB;
use crate::document::{BlockKind, Document, Token, TokenKind};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds a prose paragraph whose last sentence ends without a period, question mark or
    /// exclamation mark.
    ///
    /// ## Why is this bad?
    /// A paragraph that stops mid-air was often cut short, or its last line was pasted
    /// without the end of the sentence.
    ///
    /// ## Example
    /// ```markdown
    /// The council will vote on the budget next week, officials said
    /// ```
    /// Use instead:
    /// ```markdown
    /// The council will vote on the budget next week, officials said.
    /// ```
    ///
    /// ## Not flagged
    /// Headings, list items, table cells, block quotes, lines ending in a colon (before a
    /// list or a quote), and short lines such as bylines, datelines, captions and
    /// sign-offs ("By Dana Whitfield", "Friday, July 21, 2017", "— Reporting by ...").
    ///
    /// ## Fix safety
    /// Unsafe: the fix adds a period, but the paragraph may have lost more than that.
    pub(crate) struct MissingTerminalPunctuation;
    id = "missing-terminal-punctuation",
    summary = "A prose paragraph that ends without terminal punctuation",
    severity = Info,
    fix = Sometimes,
}

/// First words of sign-offs and credits.
const SIGN_OFFS: &[&str] = &[
    "by",
    "reporting",
    "additional",
    "editing",
    "writing",
    "compiled",
    "contact",
    "follow",
    "photo",
    "photos",
    "image",
    "credit",
    "source",
    "sources",
    "related",
    "correction",
    "update",
    "updated",
    "note",
    "via",
];

impl Rule for MissingTerminalPunctuation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for block in &doc.blocks {
            if block.kind != BlockKind::Paragraph || block.in_list() || block.quote_depth > 0 {
                continue;
            }
            let tokens = &doc.tokens[block.tokens.clone()];
            // The last token that is not a closing quote mark or bracket.
            let mut end = tokens.len();
            while end > 0
                && (tokens[end - 1].kind == TokenKind::Quote || matches!(doc.token_text(&tokens[end - 1]), ")" | "]"))
            {
                end -= 1;
            }
            let Some(last) = end.checked_sub(1).map(|i| &tokens[i]) else {
                continue;
            };
            if !matches!(last.kind, TokenKind::Word | TokenKind::Number) || doc.token_text(last).ends_with('.') {
                // Terminal or other punctuation (a colon before a list), a URL or code.
                continue;
            }
            if doc.text[last.range.end()..].starts_with("](") {
                // The paragraph ends inside a link, often a linked headline ("Read more").
                continue;
            }
            let last_sentence = &doc.sentences[block.sentences.end - 1];
            if is_short_line(doc, doc.sentence_tokens(last_sentence)) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Self::META.id,
                Severity::Info,
                last.range,
                "Paragraph ends without terminal punctuation",
            );
            if end == tokens.len() && block.is_verbatim(last.prose) {
                diagnostic =
                    diagnostic.with_fix(Fix::unsafe_("Add a period", vec![Edit::insert(last.range.end(), ".")]));
            }
            out.push(diagnostic);
        }
    }
}

/// A last sentence that is a byline, dateline, caption, credit or list of names rather than
/// prose: short, without a verb outside quotation marks, mostly capitalized, or opening
/// with a dash or a credit word.
fn is_short_line(doc: &Document, tokens: &[Token]) -> bool {
    // Quoted titles and speech do not make the line prose: count what is outside quotes.
    let unquoted = || tokens.iter().filter(|token| !doc.is_quoted(token.range));
    let words = unquoted()
        .filter(|token| matches!(token.kind, TokenKind::Word | TokenKind::Number))
        .count();
    let capitalized = unquoted()
        .filter(|token| token.kind == TokenKind::Word && doc.token_text(token).starts_with(char::is_uppercase))
        .count();
    if capitalized * 5 >= words * 3 {
        return true;
    }
    let has_verb =
        unquoted().any(|token| token.has(WORD_ANY_VERB) && doc.token_text(token).starts_with(char::is_lowercase));
    let first = tokens.first().map(|token| doc.token_text(token).to_lowercase());
    let opens_as_credit = tokens.first().is_some_and(|token| token.kind == TokenKind::Punct)
        || first.is_some_and(|word| SIGN_OFFS.contains(&word.as_str()));
    words < 6 || !has_verb || opens_as_credit || tokens.iter().any(|token| doc.token_text(token) == "|")
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_fixed_at, check};

    const ID: &str = "missing-terminal-punctuation";

    #[test]
    fn flags_a_paragraph_without_a_final_period() {
        assert_eq!(
            check(ID, "The council will vote on the budget next week, officials said\n"),
            "1:58-1:62 info Paragraph ends without terminal punctuation [unsafe: Add a period]\n"
        );
        assert_fixed_at(
            ID,
            "The vote was delayed. The council will meet again next week\n",
            "The vote was delayed. The council will meet again next week.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn headings_lists_credits_and_colons_stay_silent() {
        assert_clean(
            ID,
            "# Council delays vote\n\nBy Dana Whitfield\n\nFriday, July 21, 2017\n\n\
             The mayor listed three reasons:\n\n- cost\n- timing\n\n\
             — Reporting by Dana Whitfield; editing by Tom Becker\n\n\
             He called it \"a disgrace.\"\n\nWhy did the council wait?\n\n| a | b |\n| --- | --- |\n| one | two |\n",
        );
        assert_clean(ID, "Read the full report at `report.pdf`\n\nSee example.com/report\n");
        assert_clean(
            ID,
            "[Council approves $3.5 billion budget after a marathon session](https://example.com/a)\n",
        );
        assert_clean(
            ID,
            "\"I was hauled in and told to leave,\" she said. Valeska Paris\n\n\
             \"Document found on street not secret, say officials\" — The Canadian Press, August 15, 2008\n\n\
             Categories: August 15, 2008 Canada Published North America Politics Archived\n",
        );
    }
}
