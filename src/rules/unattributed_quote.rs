//! `unattributed-quote`: a direct quotation that no one is said to have said.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, EntityKind, NameForm, QuoteUse, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds a direct quotation of speech or writing with no attribution: nobody in the
    /// text around it is said to have said, told, written or tweeted it.
    ///
    /// A quotation counts as attributed, following news convention, when:
    /// - its own sentence has a speech or writing cue with a source: `"...," Smith said`,
    ///   `Smith told reporters: "..."`, `according to Smith`, `in a statement`, `said a
    ///   spokeswoman for the ministry`, with a name, a title, a pronoun or a description;
    /// - an earlier quotation in the same paragraph is attributed (a second quote continues
    ///   the last speaker), or the quotation is a whole paragraph right after a paragraph
    ///   whose quotation is attributed;
    /// - it runs over several paragraphs (each paragraph opening with a quote mark and only
    ///   the last one closing) and is attributed in any of them;
    /// - it opens its sentence and the sentence just before has the cue ("Smith told
    ///   reporters on Monday. "We will not ...""), or ends with a colon;
    /// - a short attribution sentence follows it ("Why?" Smith asked.);
    /// - it sits inside a sentence whose subject is the speaker (He called the plan "a
    ///   costly mistake that the city will regret").
    ///
    /// ## Not flagged
    /// Quotations that are not speech: scare quotes and quoted terms (the "one country"
    /// policy, a so-called "reform"), titles (the film "Heat", the website "The Internet
    /// Explorer 6 Countdown"), cited headlines (`"Council delays vote" — The Daily Post`).
    /// copydesk decides from the quotation's shape: a quotation that opens its sentence,
    /// spans a sentence boundary or runs to eight words or more is speech; one after
    /// "so-called", "dubbed", "titled", "the word" and the like is a term; a short one
    /// (three words or fewer) or one in title case inside a sentence, without a speech verb
    /// next to it, is a term. Quotations in headings and table cells are not checked:
    /// headlines have their own conventions. A quotation that is never closed is left to
    /// `unbalanced-quote`.
    ///
    /// ## Why is this bad?
    /// Readers cannot weigh a quotation without knowing who said it, and an editor's first
    /// question about any quote is "who said this?". A quote whose attribution was cut in
    /// editing reads as the newspaper's own voice.
    ///
    /// ## Example
    /// ```markdown
    /// The council delayed the vote.
    ///
    /// "We will not close a single branch."
    /// ```
    /// Use instead:
    /// ```markdown
    /// The council delayed the vote.
    ///
    /// "We will not close a single branch," Mayor Ana Reyes said.
    /// ```
    ///
    /// ## Fix safety
    /// Display-only. The fixes offer "Attribute to NAME" for the people already named in the
    /// draft, nearest first, inserting a grammatical attribution (`," Reyes said.` after a
    /// quotation that ends its sentence, `, according to Reyes.` otherwise), and a
    /// placeholder attribution. Only the writer knows who spoke, so none is applied
    /// automatically.
    pub(crate) struct UnattributedQuote;
    id = "unattributed-quote",
    summary = "A direct quotation with no attribution",
    severity = Warning,
    fix = Sometimes,
    reads = crate::rules::Reads::Attribution,
}

/// At most this many "Attribute to NAME" suggestions.
const MAX_NAMES: usize = 3;

impl Rule for UnattributedQuote {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for info in doc.quote_infos() {
            if info.attribution.is_some() || info.usage == QuoteUse::Term || info.in_heading {
                continue;
            }
            let quotation = &doc.quotations[info.quotation as usize];
            if !quotation.is_closed() {
                // An unclosed quotation is `unbalanced-quote`'s finding; its attribution may be
                // inside it ("We will win, Reyes said.).
                continue;
            }
            let first = &quotation.parts[0];
            let range = TextRange::new(
                first.open.start(),
                first.close.map_or(first.content.end(), |close| close.end()),
            );
            let mut diagnostic = Diagnostic::new(
                Self::META.id,
                Severity::Warning,
                range,
                "Quotation is not attributed: no one is said to have said it",
            );
            let last = &quotation.parts[quotation.parts.len() - 1];
            if let Some(close) = last.close {
                for (person, name) in candidate_names(doc, range.start()) {
                    let _ = person;
                    if let Some(edits) = attribution_edits(doc, close, &name) {
                        diagnostic = diagnostic.with_fix(Fix::display_only(format!("Attribute to {name}"), edits));
                    }
                }
                if let Some(edits) = attribution_edits(doc, close, "[SOURCE]") {
                    diagnostic = diagnostic.with_fix(Fix::display_only("Add an attribution placeholder", edits));
                }
            }
            out.push(diagnostic);
        }
    }
}

/// People named in the draft, nearest before `offset` first, then those named after it;
/// each with the name to use: the surname once the full name has been given, else the full name.
fn candidate_names(doc: &Document, offset: usize) -> Vec<(u32, String)> {
    let mut before: Vec<(usize, u32)> = Vec::new();
    let mut after: Vec<(usize, u32)> = Vec::new();
    for (idx, person) in doc.people().iter().enumerate() {
        if person.kind != EntityKind::Person {
            continue;
        }
        let mentions = person
            .mentions
            .iter()
            .map(|&m| &doc.mentions()[m as usize])
            .filter(|m| !m.in_quote);
        let last_before = mentions
            .clone()
            .filter(|m| m.name.end() <= offset)
            .map(|m| m.name.end())
            .max();
        match last_before {
            Some(end) => before.push((offset - end, idx as u32)),
            None => {
                if let Some(first) = mentions.map(|m| m.name.start()).min() {
                    after.push((first - offset.min(first), idx as u32));
                }
            }
        }
    }
    before.sort();
    after.sort();
    before
        .into_iter()
        .chain(after)
        .take(MAX_NAMES)
        .map(|(_, idx)| {
            let person = &doc.people()[idx as usize];
            let full_given_before = person.mentions.iter().any(|&m| {
                let mention = &doc.mentions()[m as usize];
                mention.form == NameForm::Full && mention.name.end() <= offset
            });
            let name = if full_given_before {
                person.surname.clone()
            } else {
                person.full_name.clone()
            };
            (idx, name)
        })
        .collect()
}

/// The edits that attribute the quotation closing at `close` to `name`.
fn attribution_edits(doc: &Document, close: TextRange, name: &str) -> Option<Vec<Edit>> {
    let close_token = doc.token_index_at(close.start());
    let token = doc.tokens.get(close_token)?;
    let inner = close_token.checked_sub(1).map(|t| &doc.tokens[t]);
    let inner_text = inner.map(|t| doc.token_text(t)).unwrap_or("");
    let next = doc.tokens.get(close_token + 1).filter(|next| next.block == token.block);
    let sentence_ends_here = match next {
        None => true,
        Some(next) => doc.sentence_at(next.range.start()) != doc.sentence_at(token.range.start()),
    };
    if sentence_ends_here {
        let mut edits = Vec::new();
        if inner_text == "." {
            let period = inner?.range;
            edits.push(Edit::replace(period, ","));
        }
        edits.push(Edit::insert(close.end(), format!(" {name} said.")));
        return Some(edits);
    }
    let next = next?;
    if next.kind == TokenKind::Punct && doc.token_text(next) == "." && !next.space_before {
        // `"...". ` ends the sentence right after the mark: `"...", NAME said.`
        return Some(vec![Edit::insert(close.end(), format!(", {name} said"))]);
    }
    // Inside a sentence: add "according to NAME" before the sentence's final period.
    let sentence = &doc.sentences[doc.sentence_at(token.range.start())?];
    let last = &doc.tokens[sentence.tokens.end - 1];
    if last.kind == TokenKind::Punct && doc.token_text(last) == "." {
        return Some(vec![Edit::insert(last.range.start(), format!(", according to {name}"))]);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, check};

    const ID: &str = "unattributed-quote";

    #[test]
    fn flags_a_quote_with_its_attribution_cut() {
        let found = check(
            ID,
            "Mayor Ana Reyes spoke on Monday.\n\n\"We will not close a single branch.\"\n",
        );
        assert!(
            found.starts_with("3:1-3:37 warning Quotation is not attributed"),
            "{found}"
        );
        assert!(found.contains("[display-only: Attribute to Reyes]"), "{found}");
        assert!(
            found.contains("[display-only: Add an attribution placeholder]"),
            "{found}"
        );
    }

    #[test]
    fn attributed_quotes_are_clean() {
        assert_clean(ID, "\"We will not close a single branch,\" Mayor Ana Reyes said.\n");
        assert_clean(ID, "Reyes told reporters: \"We will not close a single branch.\"\n");
        assert_clean(ID, "\"We will not,\" she said, \"back down now or ever.\"\n");
        assert_clean(
            ID,
            "According to Reyes, \"the branches stay open until next year at least.\"\n",
        );
        assert_clean(
            ID,
            "\"We will not close a branch,\" said a spokeswoman for the ministry. \"Not one.\"\n",
        );
        assert_clean(
            ID,
            "Reyes spoke to reporters on Monday. \"We will not close a single branch.\"\n",
        );
        assert_clean(ID, "\"Why?\" Reyes asked.\n");
    }

    #[test]
    fn terms_and_titles_are_not_speech() {
        assert_clean(
            ID,
            "The \"one country\" policy stands, and the so-called \"reform\" failed.\n",
        );
        assert_clean(
            ID,
            "They watched the film \"Heat\" and read \"The Old Man and the Sea\" twice.\n",
        );
    }
}
