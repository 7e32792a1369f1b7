//! `quote-punctuation`: a comma or period outside a closing quotation mark.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{MarkRole, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds a comma or period placed after a closing quotation mark (`the "one country",
    /// policy`, `"...” ,`). American styles, AP among them, put commas and periods inside
    /// the closing mark, whatever the quotation is.
    ///
    /// ## Why is this bad?
    /// It is the commonest punctuation slip in copy written by people trained in British
    /// usage or pasted from wire services that follow it.
    ///
    /// ## Example
    /// ```markdown
    /// She called it "a disaster", and left.
    /// ```
    /// Use instead:
    /// ```markdown
    /// She called it "a disaster," and left.
    /// ```
    ///
    /// ## Not flagged
    /// Question and exclamation marks (they go inside or outside by meaning), colons and
    /// semicolons (always outside).
    ///
    /// ## Fix safety
    /// Safe: the fix moves the comma or period inside the closing mark, or drops it when the
    /// quotation already ends with terminal punctuation (`"Why?".` becomes `"Why?"`).
    pub(crate) struct QuotePunctuation;
    id = "quote-punctuation",
    summary = "A comma or period outside a closing quotation mark",
    severity = Info,
    fix = Always,
    may_edit_quotes = true,
}

impl Rule for QuotePunctuation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for mark in &doc.quote_marks {
            if mark.role != MarkRole::Close {
                continue;
            }
            let close_token = doc.token_index_at(mark.range.start());
            let Some(next) = doc.tokens.get(close_token + 1) else {
                continue;
            };
            if next.block != mark.block || next.kind != TokenKind::Punct || next.newline_before {
                continue;
            }
            let punct = doc.token_text(next);
            if !matches!(punct, "," | ".") {
                continue;
            }
            let inner = close_token
                .checked_sub(1)
                .map(|t| doc.token_text(&doc.tokens[t]))
                .unwrap_or("");
            let already_terminal = inner.ends_with(['.', '?', '!', ',', '…']);
            let name = if punct == "," { "comma" } else { "period" };
            let delete = TextRange::new(mark.range.end(), next.range.end());
            let fix = if already_terminal {
                Fix::safe(
                    format!("Remove the {name} after the quotation"),
                    vec![Edit::delete(delete)],
                )
            } else {
                Fix::safe(
                    format!("Move the {name} inside the quotation mark"),
                    vec![Edit::insert(mark.range.start(), punct), Edit::delete(delete)],
                )
            };
            out.push(
                Diagnostic::new(
                    Self::META.id,
                    Severity::Info,
                    TextRange::new(mark.range.start(), next.range.end()),
                    format!("The {name} goes inside the closing quotation mark"),
                )
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixed};

    const ID: &str = "quote-punctuation";

    #[test]
    fn moves_commas_and_periods_inside() {
        assert_fixed(
            ID,
            "She called it \"a disaster\", and left.\n",
            "She called it \"a disaster,\" and left.\n",
        );
        assert_fixed(
            ID,
            "She called it “a disaster” , and left.\n",
            "She called it “a disaster,” and left.\n",
        );
        assert_fixed(ID, "He asked \"Why?\".\n", "He asked \"Why?\"\n");
        assert_fixed(
            ID,
            "The 'one country' policy, as critics call it 'a fiction'.\n",
            "The 'one country' policy, as critics call it 'a fiction.'\n",
        );
    }

    #[test]
    fn correct_punctuation_is_clean() {
        assert_clean(
            ID,
            "\"We will win,\" she said. She called it \"a disaster.\" Was it \"fair\"? It was \"done\": over.\n",
        );
    }
}
