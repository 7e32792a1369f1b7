//! Who each direct quotation is attributed to, as the server's features need it.
//!
//! Provisional: quote attribution belongs in the model (issue 3), and when it lands there this
//! module shrinks to a call into it. Until then it reads what the model already has: a
//! quotation is attributed to a person mentioned, outside the quotation, in a sentence the
//! quotation touches, next to a speech verb ("Lee told reporters", "said Reyes",
//! "Reyes added:"). Anything else is unattributed. No feature reads attribution except
//! through [`speakers`] and [`is_direct`].

use crate::Document;
use crate::document::lexicon::WORD_SPEECH_VERB;
use crate::document::{EntityKind, Quotation, QuoteKind, TokenKind};

/// How many tokens may stand between a name and its speech verb ("Lee told", "said Mayor Reyes").
const VERB_WINDOW: usize = 3;

/// The fewest words a direct quotation has; shorter quoted text ("sound", "fair share") is a
/// quoted term, not a quotation anyone is said to have said.
const MIN_WORDS: usize = 3;

/// Whether a quotation is a direct quotation: a top-level double quotation of at least
/// [`MIN_WORDS`] words, rather than a quote nested in another, a single-quoted term or a
/// scare-quoted word.
pub(crate) fn is_direct(doc: &Document, quotation: &Quotation) -> bool {
    quotation.kind == QuoteKind::Double
        && quotation.parent.is_none()
        && quotation
            .parts
            .iter()
            .map(|part| doc.slice(part.content).split_whitespace().count())
            .sum::<usize>()
            >= MIN_WORDS
}

/// The speaker of each quotation, as an index into `doc.people`; `None` for unattributed
/// quotations and for quotations that are not direct.
pub(crate) fn speakers(doc: &Document) -> Vec<Option<u32>> {
    // The model lists mentions in document order; if that ever changes, scan them all.
    let sorted = doc.mentions.windows(2).all(|pair| pair[0].sentence <= pair[1].sentence);
    doc.quotations
        .iter()
        .map(|quotation| {
            if is_direct(doc, quotation) {
                speaker(doc, quotation, sorted)
            } else {
                None
            }
        })
        .collect()
}

fn speaker(doc: &Document, quotation: &Quotation, sorted: bool) -> Option<u32> {
    let range = quotation.range();
    let first = doc.sentence_at(range.start())?;
    let last = doc.sentence_at(range.end().saturating_sub(1)).unwrap_or(first);
    let mut best: Option<(usize, u32)> = None;
    // Mentions in document order: those of the quotation's sentences are one run.
    let (from, to) = if sorted {
        let from = doc
            .mentions
            .partition_point(|mention| (mention.sentence as usize) < first);
        let to = doc
            .mentions
            .partition_point(|mention| (mention.sentence as usize) <= last);
        (from, to.max(from))
    } else {
        (0, doc.mentions.len())
    };
    for mention in &doc.mentions[from..to] {
        let Some(person) = mention.person else { continue };
        let sentence = mention.sentence as usize;
        if sentence < first || sentence > last || mention.in_quote || mention.kind == EntityKind::Organization {
            continue;
        }
        if !near_speech_verb(doc, mention.tokens.clone()) {
            continue;
        }
        let distance = if mention.name.start >= range.end {
            (mention.name.start - range.end) as usize
        } else {
            range.start().saturating_sub(mention.name.end())
        };
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, person));
        }
    }
    best.map(|(_, person)| person)
}

fn near_speech_verb(doc: &Document, tokens: std::ops::Range<usize>) -> bool {
    let is_verb = |idx: usize| {
        doc.tokens.get(idx).is_some_and(|token| {
            token.kind == TokenKind::Word && token.has(WORD_SPEECH_VERB) && !doc.is_quoted(token.range)
        })
    };
    let after = (tokens.end..tokens.end + VERB_WINDOW).any(is_verb);
    let before = (tokens.start.saturating_sub(VERB_WINDOW)..tokens.start).any(is_verb);
    after || before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_next_to_speech_verbs() {
        let doc = Document::new(
            "Mayor Ana Reyes spoke. \"It is not over,\" said Reyes. She was \"sound.\"\n\n\"Nobody told us,\" a resident said.\n\nReyes added: \"We got one.\" Lee Min-ho told reporters \"it is over.\"\n",
        );
        let names: Vec<Option<&str>> = speakers(&doc)
            .iter()
            .map(|speaker| speaker.map(|idx| doc.people[idx as usize].full_name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![Some("Ana Reyes"), None, None, Some("Ana Reyes"), Some("Lee Min-ho")]
        );
    }
}
