//! `sentence-fragment`: a verbless scrap of one to three words standing as a sentence in
//! running prose, typically a word orphaned by a cut ("Foreign.").

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::{
    WORD_ADJECTIVE, WORD_ADVERB, WORD_ANY_VERB, WORD_AUXILIARY, WORD_CONJUNCTION, WORD_DETERMINER, WORD_INTERJECTION,
    WORD_KNOWN, WORD_NOUN, WORD_PREPOSITION, WORD_PRONOUN, WORD_VERB, WORD_VERB_FORM,
};
use crate::document::{BlockKind, Document, Token, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds a verbless scrap of one to three words standing as a sentence between
    /// sentences of running prose ("Federal." "Foreign." "New Delhi." "In the."), which is
    /// typically a word orphaned when a sentence was cut.
    ///
    /// Whether a word can be a verb comes from the lexicon (WordNet's verbs with their
    /// inflections, and the auxiliaries), not from its ending.
    ///
    /// ## Why is this bad?
    /// An orphaned word is the trace of a cut that went wrong: the sentence it belonged to
    /// is gone, and the reader stumbles over a word that means nothing alone.
    ///
    /// ## Example
    /// ```markdown
    /// The ministry said on Friday that talks would resume. Foreign. The talks stalled in May.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The ministry said on Friday that talks would resume. The talks stalled in May.
    /// ```
    ///
    /// ## Not flagged
    /// - A sentence with a verb, however short ("Prices rose.").
    /// - Sentences inside quotations or dialogue, answers ("No." or a scrap after a
    ///   question), and deliberate fragments that open with an adverb, a preposition or a
    ///   conjunction ("Not anymore." "Until now." "And then nothing.").
    /// - A series of verbless sentences, which is a device ("Fog. Salt. The smell of diesel."),
    ///   and a bold or italic label opening a paragraph ("**Why it matters.**").
    /// - Headings, list items, table cells, block quotes, datelines ("LOS ANGELES (AP) —"),
    ///   and paragraphs without running prose around the scrap (bylines, captions, sign-offs).
    ///
    /// ## Fix safety
    /// Unsafe: the fixes delete the fragment, or join it to the previous sentence. Which
    /// one is right (or whether the cut sentence should be restored) needs the writer.
    pub(crate) struct SentenceFragment;
    id = "sentence-fragment",
    summary = "A verbless scrap of one to three words standing as a sentence",
    severity = Warning,
    fix = Always,
}

impl Rule for SentenceFragment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for idx in 0..doc.sentences.len() {
            if !is_fragment(doc, idx) {
                continue;
            }
            let sentence = &doc.sentences[idx];
            let text = doc.sentence_text(sentence).replace('\n', " ");
            let mut diagnostic = Diagnostic::new(
                Self::META.id,
                Severity::Warning,
                sentence.range,
                format!("Sentence fragment \"{text}\": a scrap without a verb, perhaps left by a cut"),
            );
            diagnostic = diagnostic.with_fixes(fixes(doc, idx));
            out.push(diagnostic);
        }
    }
}

/// The unsafe fixes: delete the fragment, or join it to the previous sentence.
fn fixes(doc: &Document, idx: usize) -> Vec<Fix> {
    let sentence = &doc.sentences[idx];
    let block = &doc.blocks[sentence.block as usize];
    let previous = previous_in_block(doc, idx).map(|p| &doc.sentences[p]);
    let next = next_in_block(doc, idx).map(|n| &doc.sentences[n]);
    let mut fixes = Vec::new();
    // Delete the fragment with the space before it (or after it, at the start of a paragraph).
    let prose = match (previous, next) {
        (Some(previous), _) => TextRange::new(previous.prose.end(), sentence.prose.end()),
        (None, Some(next)) => TextRange::new(sentence.prose.start(), next.prose.start()),
        (None, None) => sentence.prose,
    };
    if block.is_verbatim(prose) {
        fixes.push(Fix::unsafe_(
            "Delete the fragment",
            vec![Edit::delete(block.range_to_source(prose))],
        ));
    }
    // Join: drop the previous sentence's period and lowercase a common word.
    if let Some(previous) = previous {
        let previous_tokens = doc.sentence_tokens(previous);
        let first = &doc.sentence_tokens(sentence)[0];
        if let Some(period) = previous_tokens.last()
            && period.kind == TokenKind::Punct
            && doc.token_text(period) == "."
            && block.is_verbatim(first.prose)
        {
            let mut edits = vec![Edit::delete(period.range)];
            let first_text = doc.token_text(first);
            if first.info & (WORD_NOUN | WORD_ADJECTIVE | WORD_ADVERB | WORD_DETERMINER | WORD_PREPOSITION) != 0
                && first_text.chars().skip(1).all(char::is_lowercase)
                && let Some(ch) = first_text.chars().next()
            {
                edits.push(Edit::replace(
                    TextRange::new(first.range.start(), first.range.start() + ch.len_utf8()),
                    ch.to_lowercase().to_string(),
                ));
            }
            fixes.push(Fix::unsafe_("Join the fragment to the previous sentence", edits));
        }
    }
    fixes
}

fn previous_in_block(doc: &Document, idx: usize) -> Option<usize> {
    (idx > 0 && doc.sentences[idx - 1].block == doc.sentences[idx].block).then(|| idx - 1)
}

fn next_in_block(doc: &Document, idx: usize) -> Option<usize> {
    doc.sentences
        .get(idx + 1)
        .is_some_and(|next| next.block == doc.sentences[idx].block)
        .then_some(idx + 1)
}

/// Whether a word's text is a contraction with a verb in it (don't, we're, it's).
pub(crate) fn has_verb_contraction(text: &str) -> bool {
    let Some(apostrophe) = text.rfind(['\'', '’']) else {
        return false;
    };
    let stem = &text[..apostrophe];
    let suffix = &text[apostrophe..];
    let suffix = suffix.trim_start_matches(['\'', '’']);
    if suffix.eq_ignore_ascii_case("t") && stem.len() > 1 && stem.ends_with(['n', 'N']) {
        return true;
    }
    if ["re", "ve", "ll", "m", "d"]
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s))
    {
        return true;
    }
    suffix.eq_ignore_ascii_case("s")
        && [
            "it", "he", "she", "that", "there", "here", "what", "who", "where", "let", "how", "when",
        ]
        .iter()
        .any(|pronoun| stem.eq_ignore_ascii_case(pronoun))
}

/// Whether a word may carry a clause: a verb, an auxiliary or a contraction with one.
fn may_be_verb(doc: &Document, token: &Token) -> bool {
    token.has(WORD_ANY_VERB) || (token.kind == TokenKind::Word && has_verb_contraction(doc.token_text(token)))
}

/// A function word that cannot end a phrase: the, of, and.
fn is_dangling(token: &Token) -> bool {
    token.has(WORD_DETERMINER | WORD_PREPOSITION | WORD_CONJUNCTION)
        && !token.has(WORD_PRONOUN | WORD_ADVERB | WORD_INTERJECTION | WORD_NOUN | WORD_ADJECTIVE | WORD_ANY_VERB)
}

/// A sentence of running prose: four or more words and a verb outside quotation marks
/// (a quoted headline in a list of sources is not running prose).
fn is_running_prose(doc: &Document, idx: usize) -> bool {
    let tokens = doc.sentence_tokens(&doc.sentences[idx]);
    let words = tokens
        .iter()
        .filter(|token| matches!(token.kind, TokenKind::Word | TokenKind::Number))
        .count();
    words >= 4
        && tokens
            .iter()
            .any(|token| may_be_verb(doc, token) && !doc.is_quoted(token.range))
}

/// A sentence of at most five words without a verb reading.
fn is_short_and_verbless(doc: &Document, idx: usize) -> bool {
    let tokens = doc.sentence_tokens(&doc.sentences[idx]);
    let words = tokens
        .iter()
        .filter(|token| matches!(token.kind, TokenKind::Word | TokenKind::Number))
        .count();
    let mut words_iter = tokens
        .iter()
        .filter(|token| matches!(token.kind, TokenKind::Word | TokenKind::Number));
    if let (Some(word), None) = (words_iter.next(), words_iter.next()) {
        // One word: "Wind." is a noun here, as "Gulls." is.
        return is_orphan_word(doc, word);
    }
    words <= 5 && !tokens.iter().any(|token| may_be_verb(doc, token))
}

/// Whether sentence `idx` is a verbless scrap of one to three words standing in running prose.
pub(crate) fn is_fragment(doc: &Document, idx: usize) -> bool {
    let sentence = &doc.sentences[idx];
    if sentence.tokens.len() > 10 {
        // Three words and their punctuation never take more tokens than this.
        return false;
    }
    let block = &doc.blocks[sentence.block as usize];
    if block.kind != BlockKind::Paragraph || block.in_list() || block.quote_depth > 0 {
        return false;
    }
    let tokens = doc.sentence_tokens(sentence);
    let Some(last) = tokens.last() else {
        return false;
    };
    let last_text = doc.token_text(last);
    let ends_with_period = match last.kind {
        TokenKind::Punct => last_text == ".",
        TokenKind::Word => last_text.ends_with('.'),
        _ => false,
    };
    if !ends_with_period {
        return false;
    }
    let mut words: [Option<&Token>; 3] = [None; 3];
    let mut n_words = 0;
    let mut has_letters = false;
    for token in tokens {
        match token.kind {
            TokenKind::Word | TokenKind::Number => {
                if n_words == 3 {
                    return false;
                }
                has_letters |= token.kind == TokenKind::Word;
                words[n_words] = Some(token);
                n_words += 1;
            }
            TokenKind::Punct if matches!(doc.token_text(token), "." | "," | "-" | "–" | "—" | "&") => {}
            _ => return false,
        }
    }
    if !has_letters || doc.is_quoted(sentence.range) || is_run_in_head(doc, sentence.range) || is_dateline(doc, idx) {
        return false;
    }
    if let Some(previous) = previous_in_block(doc, idx) {
        // An answer to a question: "Who won? Lee." (the question mark may sit inside a quote).
        let previous_tokens = doc.sentence_tokens(&doc.sentences[previous]);
        if previous_tokens
            .iter()
            .rev()
            .take(2)
            .any(|token| doc.token_text(token).contains('?'))
        {
            return false;
        }
    }
    // A series of verbless sentences is a device ("Fog. Salt. The smell of diesel."); an
    // orphan from a cut stands alone between full sentences.
    if [previous_in_block(doc, idx), next_in_block(doc, idx)]
        .into_iter()
        .flatten()
        .any(|other| is_short_and_verbless(doc, other))
    {
        return false;
    }
    // Running prose around it: another sentence of the paragraph with a verb.
    let others = doc.blocks[sentence.block as usize].sentences.clone();
    if !others
        .filter(|&other| other != idx)
        .any(|other| is_running_prose(doc, other))
    {
        return false;
    }
    let words: Vec<&Token> = words.iter().flatten().copied().collect();
    is_verbless_scrap(doc, &words)
}

/// Words that may stand alone as a sentence in running prose ("Again." "Never." "Nothing.").
const STANDALONE_WORDS: &[&str] = &[
    "nothing",
    "nobody",
    "none",
    "neither",
    "everyone",
    "everybody",
    "everything",
    "enough",
    "both",
    "all",
    "true",
    "wrong",
    "right",
    "done",
    "gone",
    "over",
    "period",
    "correct",
    "false",
    "fine",
    "good",
    "again",
    "never",
    "later",
    "twice",
    "once",
    "finally",
    "exactly",
    "absolutely",
    "hardly",
    "sometimes",
    "always",
    "seldom",
    "rarely",
    "often",
    "perhaps",
    "maybe",
    "probably",
    "definitely",
    "certainly",
    "indeed",
    "anyway",
    "nowhere",
    "everywhere",
    "somewhere",
    "almost",
    "barely",
    "precisely",
    "literally",
    "obviously",
    "apparently",
    "reportedly",
    "allegedly",
    "eventually",
    "gradually",
    "slowly",
    "quickly",
    "suddenly",
    "silence",
];

/// A dateline that opens a paragraph: "LOS ANGELES, Calif. (AP) — The ...".
fn is_dateline(doc: &Document, idx: usize) -> bool {
    let sentence = &doc.sentences[idx];
    if previous_in_block(doc, idx).is_some() {
        return false;
    }
    let first = doc.token_text(&doc.sentence_tokens(sentence)[0]);
    let capitals = first.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !first.chars().any(char::is_lowercase);
    let next_opens_aside = next_in_block(doc, idx).is_some_and(|next| {
        matches!(
            doc.token_text(&doc.sentence_tokens(&doc.sentences[next])[0]),
            "(" | "—" | "–" | "-"
        )
    });
    capitals || next_opens_aside
}

/// A label in bold or italics that opens a paragraph: "**Why it matters.** The vote ...".
fn is_run_in_head(doc: &Document, range: TextRange) -> bool {
    let emphasis = |c: char| c == '*' || c == '_';
    doc.text[..range.start()].ends_with(emphasis) || doc.text[range.end()..].starts_with(emphasis)
}

fn is_verbless_scrap(doc: &Document, words: &[&Token]) -> bool {
    if let [word] = words {
        return is_orphan_word(doc, word);
    }
    for word in words {
        if word.kind == TokenKind::Number {
            continue;
        }
        if may_be_verb(doc, word) {
            return false;
        }
        if word.info & WORD_KNOWN == 0 && doc.token_text(word).starts_with(char::is_lowercase) {
            // A lowercase word the lexicon does not know may be a verb: unsure.
            return false;
        }
    }
    let (first, last) = (words[0], words[words.len() - 1]);
    if is_dangling(last) {
        return true;
    }
    if first.has(WORD_INTERJECTION) {
        // "No, sir." "Yes, really."
        return false;
    }
    if words
        .iter()
        .any(|word| word.has(WORD_ADVERB) && !word.has(WORD_ADJECTIVE | WORD_NOUN))
    {
        // "Not anymore." "Even so." "Never again."
        return false;
    }
    if first.has(WORD_PREPOSITION | WORD_CONJUNCTION) {
        // "Until now." "And then nothing."
        return false;
    }
    true
}

/// A one-word sentence that cannot stand alone: not an answer or interjection ("No."),
/// an imperative ("Listen."), an auxiliary ("Don't.") or a standalone adverb ("Again.").
/// A noun, adjective or name qualifies even when it can also be a verb ("Report."), since
/// a lone imperative is rare in running news prose, and so does an inflected verb ("Citing.").
fn is_orphan_word(doc: &Document, word: &Token) -> bool {
    if word.kind != TokenKind::Word {
        return false;
    }
    let text = doc.token_text(word).trim_end_matches('.');
    if word.has(WORD_INTERJECTION | WORD_AUXILIARY) || has_verb_contraction(text) {
        return false;
    }
    if word.info & WORD_KNOWN == 0 {
        // A capitalized word the lexicon does not know is a name; a lowercase one is unsure.
        return text.starts_with(char::is_uppercase);
    }
    let lower = text.to_lowercase();
    if STANDALONE_WORDS.contains(&lower.as_str()) {
        return false;
    }
    let only_a_base_verb = word.has(WORD_VERB) && !word.has(WORD_NOUN | WORD_ADJECTIVE | WORD_VERB_FORM);
    !only_a_base_verb
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed, assert_fixed_at, check};

    const ID: &str = "sentence-fragment";

    #[test]
    fn flags_orphaned_words() {
        assert_eq!(
            check(
                ID,
                "The ministry said on Friday that talks would resume. Foreign. The talks stalled in May.\n"
            ),
            "1:54-1:62 warning Sentence fragment \"Foreign.\": a scrap without a verb, perhaps left by a cut [unsafe: Delete the fragment] [unsafe: Join the fragment to the previous sentence]\n"
        );
        assert_count(ID, "The ministry said on Friday that talks would resume. Federal.\n", 1);
        assert_count(ID, "New Delhi. The talks stalled in May after a long dispute.\n", 1);
        assert_count(
            ID,
            "The talks stalled in May after the vote. In the. They resumed in June.\n",
            1,
        );
    }

    #[test]
    fn fixes_are_unsafe() {
        let text = "The ministry said on Friday that talks would resume. Foreign. The talks stalled.\n";
        assert_fixed(ID, text, text);
        assert_fixed_at(
            ID,
            text,
            "The ministry said on Friday that talks would resume. The talks stalled.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn deliberate_fragments_and_answers_stay_silent() {
        assert_clean(
            ID,
            "Prices rose. The council had promised to hold them for a year. Not anymore.\n",
        );
        assert_clean(
            ID,
            "Will the council act this year? No. It has delayed the vote twice.\n",
        );
        assert_clean(
            ID,
            "Who won the seat in the end? Lee. She took 52 percent of the vote.\n",
        );
        assert_clean(
            ID,
            "The levy has been frozen since 2019. Until now. The council voted on Tuesday.\n",
        );
        assert_clean(ID, "Shares fell. Prices rose. It's over. We're done. They voted.\n");
        assert_clean(ID, "\"Where?\" she asked. \"Here.\" He pointed at the map.\n");
        assert_clean(
            ID,
            "By Dana Whitfield\n\nFriday, July 21, 2017\n\n# Council votes\n\n- Federal.\n",
        );
        assert_clean(ID, "> The council met on Tuesday. Federal. It voted.\n");
        assert_clean(ID, "The council met at 10 a.m. Monday. It voted on the budget.\n");
        assert_clean(
            ID,
            "**Why it matters.** The council voted to raise the levy on Tuesday.\n",
        );
        assert_clean(
            ID,
            "Peter Zimonjic. \"MP calls for probe into misplaced documents\" — Edmonton Sun, 2008\n",
        );
    }
}
