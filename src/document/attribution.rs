//! Who said each quotation: the attribution analysis behind `unattributed-quote`, hover,
//! inlay hints and symbols.
//!
//! For every top-level quotation it decides what the quotation is and who it is
//! attributed to, following news convention:
//!
//! - **What it is.** A quotation that starts its sentence, spans a sentence boundary or
//!   runs to eight words or more is quoted *speech*. A quotation after "so-called",
//!   "dubbed", "titled", "the word" and the like is a *term*, as is a short one (three
//!   words or fewer) inside a sentence without a speech verb next to it: the "one country"
//!   policy, the film "Heat". Other quotations inside a sentence are *partial quotes*.
//! - **Who said it.** In order: a speech or writing cue in the text around the quotation in
//!   its own sentences ("...," Smith said; Smith told reporters: "..."; according to Smith;
//!   in a statement); the speaker of an earlier quotation in the same paragraph (a second
//!   quote continues the last speaker); a cue in the sentence just before, when the
//!   quotation opens its sentence and that sentence ends with a colon or contains a speech
//!   verb ("Smith told reporters on Monday. "We will not ...""); a short attribution
//!   sentence right after ("Why?" Smith asked.). A quotation running over several
//!   paragraphs is one quotation, attributed wherever its attribution appears.
//! - **The speaker** is the name, pronoun or description next to the cue: a person from
//!   the mention model, a pronoun resolved to the nearest person named before it, or a
//!   description ("a spokeswoman for the ministry").

use super::Document;
use super::lexicon::{WORD_CAPITALIZED, WORD_SPEECH_VERB, WORD_STARTER};
use super::markdown::BlockKind;
use super::mentions::{EntityKind, strip_possessive, with_lowercase};
use super::tokens::TokenKind;
use crate::text::TextRange;

/// What a quotation is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuoteUse {
    /// Quoted speech or writing.
    Speech,
    /// A partial quote inside a sentence ("called the plan "a costly mistake"").
    Partial,
    /// A quoted term, title or scare quote: not speech.
    Term,
}

/// Who a quotation is attributed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// A person of [`Document::people`].
    Person(u32),
    /// A pronoun, with the person it most likely refers to.
    Pronoun { range: TextRange, person: Option<u32> },
    /// A description: "a spokeswoman for the ministry", "officials".
    Description(TextRange),
    /// A cue with no recognizable speaker next to it.
    Unknown,
}

/// How the attribution was found.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AttributionKind {
    /// A cue in the quotation's own sentence(s).
    SameSentence,
    /// The speaker of an earlier quotation in the same paragraph.
    Continuation,
    /// A cue in the sentence just before.
    PrecedingSentence,
    /// A short attribution sentence right after ("Why?" Smith asked.).
    FollowingSentence,
    /// A quotation inside a sentence whose subject is the speaker ("He called it "a war"").
    Subject,
    /// A paragraph that is one quotation, right after a paragraph whose quotation is attributed.
    NextParagraph,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    pub speaker: Speaker,
    /// The cue: the speech verb or phrase ("said", "according to", "in a statement").
    pub cue: TextRange,
    pub kind: AttributionKind,
}

/// What the analysis found for one quotation.
#[derive(Clone, Debug)]
pub struct QuoteInfo {
    /// Index into [`Document::quotations`].
    pub quotation: u32,
    pub usage: QuoteUse,
    pub attribution: Option<Attribution>,
    /// Whether the quotation sits in a heading or table cell, where news convention differs.
    pub in_heading: bool,
}

/// Words right before a quotation that make it a term, a title or a scare quote.
const TERM_INTRODUCERS: &[&str] = &[
    "so-called",
    "dubbed",
    "titled",
    "entitled",
    "named",
    "nicknamed",
    "labeled",
    "labelled",
    "branded",
    "billed",
    "term",
    "word",
    "words",
    "phrase",
    "slogan",
    "motto",
    "hashtag",
    "headline",
    "headlined",
    "known",
    "called",
    "film",
    "movie",
    "song",
    "album",
    "book",
    "novel",
    "show",
    "series",
    "play",
    "poem",
    "painting",
    "exhibit",
    "exhibition",
    "campaign",
    "program",
    "programme",
    "operation",
    "project",
    "policy",
    "doctrine",
    "initiative",
    "sign",
    "banner",
    "placard",
    "reading",
    "read",
    "dubbing",
    "calling",
];

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "i", "we", "it", "He", "She", "They", "I", "We", "It",
];

/// Nouns for people that can be the subject (and speaker) of a sentence with a partial quote.
const PEOPLE_NOUNS: &[&str] = &[
    "officials",
    "official",
    "critics",
    "critic",
    "residents",
    "resident",
    "supporters",
    "opponents",
    "experts",
    "expert",
    "analysts",
    "analyst",
    "protesters",
    "lawmakers",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "witnesses",
    "witness",
    "police",
    "investigators",
    "prosecutors",
    "lawyers",
    "lawyer",
    "attorney",
    "attorneys",
    "activists",
    "observers",
    "economists",
    "scientists",
    "researchers",
    "doctors",
    "parents",
    "teachers",
    "students",
    "voters",
    "leaders",
    "leader",
    "president",
    "minister",
    "mayor",
    "governor",
    "senator",
    "chief",
    "director",
    "executive",
    "chairman",
    "chairwoman",
    "authorities",
    "sources",
    "source",
    "aides",
    "aide",
    "advisers",
    "adviser",
    "diplomats",
    "diplomat",
    "ministry",
    "company",
    "government",
    "department",
    "agency",
    "statement",
    "report",
    "reports",
    "campaign",
    "group",
    "organization",
    "union",
    "court",
    "judge",
    "team",
    "coach",
    "manager",
    "members",
    "member",
    "neighbors",
    "family",
    "friends",
    "colleagues",
    "victims",
    "families",
    "workers",
    "employees",
    "users",
    "fans",
    "people",
    "many",
    "some",
    "others",
    "both",
    "all",
];

/// How many tokens around a quotation the attribution search looks at.
const WINDOW: usize = 48;

/// Cue phrases whose speaker follows them: "according to Smith".
const SPEAKER_AFTER_PHRASES: usize = 2;

/// Cue phrases that attribute without a speech verb. The first [`SPEAKER_AFTER_PHRASES`]
/// name the speaker after them; the others take the sentence's subject.
const CUE_PHRASES: &[&[&str]] = &[
    &["according", "to"],
    &["in", "the", "words", "of"],
    &["a", "statement"],
    &["the", "statement"],
    &["a", "news", "release"],
    &["a", "press", "release"],
    &["in", "a", "statement"],
    &["in", "an", "interview"],
    &["in", "an", "email"],
    &["in", "an", "e-mail"],
    &["in", "a", "tweet"],
    &["in", "a", "post"],
    &["in", "a", "letter"],
    &["in", "a", "speech"],
    &["in", "remarks"],
    &["in", "testimony"],
    &["quoted", "as"],
];

/// The first words of [`CUE_PHRASES`], each once.
const CUE_FIRST_WORDS: &[&str] = &["according", "in", "a", "the", "quoted"];

/// Speech verbs that are usually nouns when they stand alone ("the reports", "his claims").
const NOUN_LIKE_VERBS: &[&str] = &[
    "reports", "claims", "notes", "posts", "states", "tweets", "answers", "thoughts", "charges", "points", "quotes",
    "reads", "writing", "posting", "warning", "saying",
];

/// Which top-level quotation each token is in (its marks included): a table with an entry a
/// token, four bytes each with [`QuoteOf::NONE`] for a token outside quotations. An
/// `Option<u32>` table was twice the size and was zeroed byte by byte by the allocator; a
/// binary search over the quotations' token spans made the lookups in `cue_in`'s loops cost
/// more than the table.
struct QuoteOf(Vec<u32>);

impl QuoteOf {
    const NONE: u32 = u32::MAX;

    fn new(doc: &Document) -> Self {
        let mut table = vec![Self::NONE; doc.tokens.len()];
        for (idx, quotation) in doc.quotations.iter().enumerate() {
            if quotation.parent.is_some() {
                continue;
            }
            for part in &quotation.parts {
                let end = part.close.map_or(part.content.end(), |close| close.end());
                let first = doc.token_index_at(part.open.start());
                let count = doc.tokens[first..].partition_point(|token| token.range.start() < end);
                table[first..first + count].fill(idx as u32);
            }
        }
        QuoteOf(table)
    }

    /// The top-level quotation that token `t` is in.
    #[inline]
    fn get(&self, t: usize) -> Option<u32> {
        let idx = self.0[t];
        (idx != Self::NONE).then_some(idx)
    }
}

struct Analyzer<'a> {
    doc: &'a Document,
    /// For each token, the top-level quotation containing it (marks included).
    quote_of: QuoteOf,
    /// For each quotation with parts, the index of its first token (its opening mark) and of
    /// its last ([`Analyzer::last_token`]), each found once.
    bounds: Vec<(usize, usize)>,
}

pub fn analyze(doc: &Document) -> Vec<QuoteInfo> {
    let quote_of = QuoteOf::new(doc);
    let bounds = doc
        .quotations
        .iter()
        .map(|quotation| match (quotation.parts.first(), quotation.parts.last()) {
            (Some(first), Some(last)) => {
                let end = last.close.map_or(last.content.end(), |close| close.end());
                (
                    doc.token_index_at(first.open.start()),
                    doc.token_index_at(end).saturating_sub(1),
                )
            }
            _ => (0, 0),
        })
        .collect();
    let analyzer = Analyzer { doc, quote_of, bounds };
    let mut infos: Vec<QuoteInfo> = Vec::new();
    // The last attributed quotation: its block, its attribution, and whether it is speech in
    // the last sentence of its paragraph (which a following quote paragraph may continue).
    let mut last_attributed: Option<(u32, Attribution, bool)> = None;
    for (idx, quotation) in doc.quotations.iter().enumerate() {
        if quotation.parent.is_some() || quotation.parts.is_empty() {
            continue;
        }
        let idx = idx as u32;
        let first_block = quotation.parts[0].block;
        let block = &doc.blocks[first_block as usize];
        let in_heading = block.kind != BlockKind::Paragraph;
        let spans = analyzer.sentence_span(idx);
        let usage = if analyzer.is_citation(idx) {
            QuoteUse::Term
        } else {
            analyzer.usage(idx, &spans)
        };
        let mut attribution = analyzer.same_sentence(idx, spans);
        if attribution.is_none() && usage != QuoteUse::Term {
            attribution = match &last_attributed {
                Some((block, previous, _)) if *block == first_block => Some(Attribution {
                    kind: AttributionKind::Continuation,
                    ..previous.clone()
                }),
                Some((block, previous, true)) if *block + 1 == first_block && analyzer.is_whole_paragraph(idx) => {
                    Some(Attribution {
                        kind: AttributionKind::NextParagraph,
                        ..previous.clone()
                    })
                }
                _ => None,
            };
        }
        if attribution.is_none() && usage != QuoteUse::Term {
            attribution = analyzer
                .preceding_sentence(idx)
                .or_else(|| analyzer.following_sentence(idx))
                .or_else(|| analyzer.subject(idx));
        }
        let last_block = quotation.parts[quotation.parts.len() - 1].block;
        match &attribution {
            Some(attribution) if usage != QuoteUse::Term => {
                let ends_paragraph = usage == QuoteUse::Speech && analyzer.in_last_sentence(idx);
                last_attributed = Some((last_block, attribution.clone(), ends_paragraph));
            }
            None if usage != QuoteUse::Term => last_attributed = None,
            _ => {}
        }
        infos.push(QuoteInfo {
            quotation: idx,
            usage,
            attribution,
            in_heading,
        });
    }
    infos
}

impl Analyzer<'_> {
    fn text(&self, t: usize) -> &str {
        self.doc.token_text(&self.doc.tokens[t])
    }

    fn is_word(&self, t: usize) -> bool {
        self.doc.tokens[t].kind == TokenKind::Word
    }

    /// A word that starts with an uppercase letter.
    fn is_capitalized(&self, t: usize) -> bool {
        self.doc.tokens[t].has(WORD_CAPITALIZED)
    }

    /// The speaker described by tokens `first..=last` ("a spokeswoman for the ministry").
    fn description(&self, first: usize, last: usize) -> Speaker {
        let tokens = &self.doc.tokens;
        Speaker::Description(TextRange::new(tokens[first].range.start(), tokens[last].range.end()))
    }

    /// Token index range of the sentences a quotation's parts touch.
    fn sentence_span(&self, quotation: u32) -> Vec<std::ops::Range<usize>> {
        let doc = self.doc;
        let first = self.first_token(quotation);
        let last = self.last_token(quotation);
        // Attribution sits next to the quotation: look no further than a window around it, so
        // a sentence of a million words with a thousand quotations stays linear.
        let window = first.saturating_sub(WINDOW)..(last + 1 + WINDOW).min(doc.tokens.len());
        let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
        for part in &doc.quotations[quotation as usize].parts {
            let end = part.close.map_or(part.content.end(), |close| close.end());
            let Some(mut idx) = doc.sentence_at(part.open.start()) else {
                continue;
            };
            while let Some(sentence) = doc.sentences.get(idx) {
                if sentence.range.start() >= end || sentence.block != part.block {
                    break;
                }
                let span = sentence.tokens.start.max(window.start)..sentence.tokens.end.min(window.end);
                if span.start < span.end && spans.last() != Some(&span) {
                    spans.push(span);
                }
                idx += 1;
            }
        }
        spans
    }

    fn first_token(&self, quotation: u32) -> usize {
        self.bounds[quotation as usize].0
    }

    /// Index of the last token of the quotation (its closing mark, or the end of its last part).
    fn last_token(&self, quotation: u32) -> usize {
        self.bounds[quotation as usize].1
    }

    /// What the quotation is; `spans` is its [`Analyzer::sentence_span`].
    fn usage(&self, quotation: u32, spans: &[std::ops::Range<usize>]) -> QuoteUse {
        let doc = self.doc;
        let quotation_ref = &doc.quotations[quotation as usize];
        let first = self.first_token(quotation);
        let last = self.last_token(quotation);
        let n_words = (first..=last.min(doc.tokens.len().saturating_sub(1)))
            .filter(|&t| {
                self.quote_of.get(t) == Some(quotation)
                    && matches!(doc.tokens[t].kind, TokenKind::Word | TokenKind::Number)
            })
            .count();
        // Words just before the opening mark that make it a term.
        let term_introduced = (first.saturating_sub(2)..first)
            .filter(|&t| doc.tokens[t].block == doc.tokens[first].block && self.is_word(t))
            .any(|t| with_lowercase(self.text(t), |word| TERM_INTRODUCERS.contains(&word)));
        if term_introduced && n_words <= 12 {
            return QuoteUse::Term;
        }
        let sentence_start = self.opens_sentence(first);
        if !sentence_start && self.is_title_case(first, last, quotation) && !self.cue_adjacent(first, last) {
            return QuoteUse::Term;
        }
        let spans_sentences = quotation_ref.parts.len() > 1 || spans.len() > 1;
        let content_has_terminal = (first + 1..last).any(|t| {
            doc.tokens[t].kind == TokenKind::Punct
                && matches!(self.text(t), "." | "?" | "!" | "…" | "...")
                && self.quote_of.get(t) == Some(quotation)
        });
        if sentence_start || spans_sentences || n_words >= 8 || (content_has_terminal && n_words >= 4) {
            return QuoteUse::Speech;
        }
        if n_words <= 3 && !self.cue_adjacent(first, last) {
            return QuoteUse::Term;
        }
        QuoteUse::Partial
    }

    /// Whether token `t` (an opening mark) is the first token of its sentence, or follows
    /// only a dash or a list marker.
    fn opens_sentence(&self, t: usize) -> bool {
        let doc = self.doc;
        let Some(sentence_idx) = doc.sentence_at(doc.tokens[t].range.start()) else {
            return true;
        };
        let sentence = &doc.sentences[sentence_idx];
        t - sentence.tokens.start <= 3
            && (sentence.tokens.start..t)
                .all(|u| doc.tokens[u].kind == TokenKind::Punct && matches!(self.text(u), "—" | "–" | "-" | "(" | "["))
    }

    /// A speech cue within two tokens before the opening mark or after the closing mark.
    fn cue_adjacent(&self, first: usize, last: usize) -> bool {
        let doc = self.doc;
        let block = doc.tokens[first].block;
        let near = (first.saturating_sub(3)..first).chain(last + 1..(last + 4).min(doc.tokens.len()));
        near.into_iter()
            .any(|t| doc.tokens[t].block == block && self.is_cue_verb(t))
    }

    fn is_cue_verb(&self, t: usize) -> bool {
        let token = &self.doc.tokens[t];
        if token.kind != TokenKind::Word || !token.has(WORD_SPEECH_VERB) {
            return false;
        }
        let word = self.text(t);
        if NOUN_LIKE_VERBS.contains(&word) {
            // "Smith claims ..." is a verb after a name or pronoun; "the claims" is a noun;
            // right before a quotation ("the letter reads "...") it is a verb.
            let doc = self.doc;
            let next_opens_quote = doc.tokens.get(t + 1).is_some_and(|next| {
                next.kind == TokenKind::Quote
                    || (doc.token_text(next) == ":"
                        && doc.tokens.get(t + 2).is_some_and(|n| n.kind == TokenKind::Quote))
            });
            if next_opens_quote {
                return true;
            }
            return t > 0
                && self.is_word(t - 1)
                && (self.text(t - 1).starts_with(char::is_uppercase) || PRONOUNS.contains(&self.text(t - 1)));
        }
        word.chars().next().is_some_and(char::is_lowercase)
    }

    /// A cue phrase starting at token `t`: returns the index just past it, and whether its
    /// speaker follows it.
    fn cue_phrase_at(&self, t: usize, end: usize) -> Option<(usize, bool)> {
        if self.quote_of.get(t).is_some() {
            return None;
        }
        let first = self.text(t);
        // Most words start no cue phrase: one look at the few first words settles them.
        if !CUE_FIRST_WORDS.iter().any(|word| first.eq_ignore_ascii_case(word)) {
            return None;
        }
        'phrases: for (idx, phrase) in CUE_PHRASES.iter().enumerate() {
            if t + phrase.len() > end || !first.eq_ignore_ascii_case(phrase[0]) {
                continue;
            }
            for (k, word) in phrase.iter().enumerate().skip(1) {
                if self.quote_of.get(t + k).is_some() || !self.text(t + k).eq_ignore_ascii_case(word) {
                    continue 'phrases;
                }
            }
            return Some((t + phrase.len(), idx < SPEAKER_AFTER_PHRASES));
        }
        None
    }

    /// Finds a cue and its speaker among the tokens of `span` outside quotations: the cue
    /// with a recognizable speaker nearest to the token range `anchor` (the quotation), else
    /// the nearest cue.
    fn cue_in(&self, span: std::ops::Range<usize>, anchor: std::ops::Range<usize>) -> Option<Attribution> {
        let distance = |t: usize| {
            if t < anchor.start {
                anchor.start - t
            } else {
                t.saturating_sub(anchor.end)
            }
        };
        let mut best: Option<(bool, usize, Attribution)> = None;
        let mut consider = |t: usize, attribution: Attribution| {
            let key = (attribution.speaker != Speaker::Unknown, distance(t));
            let better = match &best {
                None => true,
                Some((known, dist, _)) => (key.0 && !known) || (key.0 == *known && key.1 < *dist),
            };
            if better {
                best = Some((key.0, key.1, attribution));
            }
        };
        let mut t = span.start;
        while t < span.end {
            if self.quote_of.get(t).is_some() {
                t += 1;
                continue;
            }
            if let Some((after, speaker_follows)) = self.cue_phrase_at(t, span.end) {
                let cue = TextRange::new(self.doc.tokens[t].range.start(), self.doc.tokens[after - 1].range.end());
                let speaker = if speaker_follows {
                    self.speaker_after(after, span.end)
                } else {
                    self.speaker_before(t, span.start)
                        .or_else(|| self.first_person_in(span.clone(), t))
                }
                .unwrap_or(Speaker::Unknown);
                consider(
                    t,
                    Attribution {
                        speaker,
                        cue,
                        kind: AttributionKind::SameSentence,
                    },
                );
                t = after;
                continue;
            }
            if self.is_cue_verb(t) {
                let cue = self.doc.tokens[t].range;
                let speaker = self
                    .speaker_before(t, span.start)
                    .or_else(|| self.first_person_in(span.clone(), t))
                    .or_else(|| self.speaker_after(t + 1, span.end))
                    .unwrap_or(Speaker::Unknown);
                consider(
                    t,
                    Attribution {
                        speaker,
                        cue,
                        kind: AttributionKind::SameSentence,
                    },
                );
            }
            t += 1;
        }
        best.map(|(_, _, attribution)| attribution)
    }

    /// A cue in the quotation's own sentences, `spans` ([`Analyzer::sentence_span`]).
    fn same_sentence(&self, quotation: u32, spans: Vec<std::ops::Range<usize>>) -> Option<Attribution> {
        let anchor = self.first_token(quotation)..self.last_token(quotation) + 1;
        spans.into_iter().find_map(|span| self.cue_in(span, anchor.clone()))
    }

    fn preceding_sentence(&self, quotation: u32) -> Option<Attribution> {
        let doc = self.doc;
        let first = self.first_token(quotation);
        if !self.opens_sentence(first) {
            return None;
        }
        let sentence_idx = doc.sentence_at(doc.tokens[first].range.start())?;
        let previous = doc.sentences.get(sentence_idx.checked_sub(1)?)?;
        let same_block = previous.block == doc.tokens[first].block;
        let previous_tokens = previous.tokens.clone();
        let last_text = previous_tokens.clone().last().map(|t| self.text(t)).unwrap_or("");
        let ends_with_colon = matches!(last_text, ":" | ",");
        if !same_block {
            // Across paragraphs only when the previous paragraph hands over to the quote:
            // "Rathbun stated," or "Smith said:".
            let previous_block = &doc.blocks[previous.block as usize];
            if !ends_with_colon || previous_block.sentences.end != sentence_idx {
                return None;
            }
        }
        // The previous sentence must not be a quotation of its own, unless it ends with a colon.
        let has_own_quote = previous_tokens.clone().any(|t| self.quote_of.get(t).is_some());
        if has_own_quote && !ends_with_colon {
            return None;
        }
        let last_token = previous_tokens.end - 1;
        let previous_tokens =
            previous_tokens.start.max(previous_tokens.end.saturating_sub(WINDOW))..previous_tokens.end;
        let mut attribution = match self.cue_in(previous_tokens.clone(), previous_tokens.end..previous_tokens.end) {
            Some(attribution) => attribution,
            // A sentence ending in a colon hands over to the quotation: its subject speaks.
            None if ends_with_colon => Attribution {
                speaker: self
                    .first_person_in(previous_tokens.clone(), previous_tokens.end)
                    .unwrap_or(Speaker::Unknown),
                cue: doc.tokens[last_token].range,
                kind: AttributionKind::PrecedingSentence,
            },
            None => return None,
        };
        attribution.kind = AttributionKind::PrecedingSentence;
        Some(attribution)
    }

    fn following_sentence(&self, quotation: u32) -> Option<Attribution> {
        let doc = self.doc;
        let last = self.last_token(quotation);
        let sentence_idx = doc.sentence_at(doc.tokens[last].range.start())?;
        let sentence = &doc.sentences[sentence_idx];
        if sentence.tokens.end != last + 1 {
            return None;
        }
        let next = doc.sentences.get(sentence_idx + 1)?;
        if next.block != sentence.block
            || next.tokens.len() > 8
            || next.tokens.clone().any(|t| self.quote_of.get(t).is_some())
        {
            return None;
        }
        let mut attribution = self.cue_in(next.tokens.clone(), next.tokens.start..next.tokens.start)?;
        if attribution.speaker == Speaker::Unknown {
            return None;
        }
        attribution.kind = AttributionKind::FollowingSentence;
        Some(attribution)
    }

    /// The speaker ending just before the cue at `cue` ("Smith said", "the mayor told").
    fn speaker_before(&self, cue: usize, start: usize) -> Option<Speaker> {
        let doc = self.doc;
        let mut t = cue;
        // Skip adverbs and auxiliaries between subject and verb ("Smith later said", "she has said").
        let mut skipped = 0;
        while t > start && skipped < 3 {
            let prev = t - 1;
            if self.quote_of.get(prev).is_some() {
                return None;
            }
            let word = self.text(prev);
            if self.is_word(prev)
                && (word.ends_with("ly")
                    || matches!(
                        word,
                        "also"
                            | "later"
                            | "then"
                            | "has"
                            | "have"
                            | "had"
                            | "was"
                            | "once"
                            | "again"
                            | "previously"
                            | "further"
                            | "would"
                            | "will"
                            | "could"
                            | "never"
                            | "often"
                            | "still"
                            | "repeatedly"
                    ))
            {
                t = prev;
                skipped += 1;
            } else {
                break;
            }
        }
        if t <= start {
            return None;
        }
        let prev = t - 1;
        if self.quote_of.get(prev).is_some() || !self.is_word(prev) {
            return None;
        }
        if let Some(person) = self.person_ending_at(prev) {
            return Some(Speaker::Person(person));
        }
        let word = self.text(prev);
        if PRONOUNS.contains(&word) {
            return Some(self.pronoun(prev));
        }
        if self.is_capitalized(prev) && !doc.tokens[prev].has(WORD_STARTER) {
            // A name the mention model did not make a person ("Reyes asked").
            let mut first = prev;
            while first > start
                && first + 4 > prev
                && self.quote_of.get(first - 1).is_none()
                && self.is_word(first - 1)
                && self.is_capitalized(first - 1)
            {
                first -= 1;
            }
            return Some(self.description(first, prev));
        }
        // A description: the noun phrase ending here, back to a determiner or the sentence start.
        let lower = word.to_lowercase();
        if PEOPLE_NOUNS.contains(&strip_possessive(&lower))
            || !doc.tokens[prev].has(WORD_STARTER) && word.chars().all(char::is_lowercase) && lower.ends_with('s')
        {
            let mut first = prev;
            while first > start && first + 8 > prev {
                let candidate = first - 1;
                if self.quote_of.get(candidate).is_some() || !self.is_word(candidate) {
                    break;
                }
                first = candidate;
                if matches!(
                    self.text(candidate).to_lowercase().as_str(),
                    "a" | "an" | "the" | "some" | "many" | "two" | "three" | "several"
                ) {
                    break;
                }
            }
            return Some(self.description(first, prev));
        }
        None
    }

    /// The speaker starting at `t`, after the cue ("said Smith", "according to the mayor").
    fn speaker_after(&self, t: usize, end: usize) -> Option<Speaker> {
        let doc = self.doc;
        if t >= end || self.quote_of.get(t).is_some() || !self.is_word(t) {
            return None;
        }
        if let Some(person) = self.person_starting_at(t) {
            return Some(Speaker::Person(person));
        }
        let word = self.text(t);
        if PRONOUNS.contains(&word) {
            return Some(self.pronoun(t));
        }
        if self.is_capitalized(t) && !doc.tokens[t].has(WORD_STARTER) {
            let mut last = t;
            while last + 1 < end
                && last < t + 4
                && self.quote_of.get(last + 1).is_none()
                && self.is_word(last + 1)
                && self.is_capitalized(last + 1)
            {
                last += 1;
            }
            return Some(self.description(t, last));
        }
        // A description: up to the next punctuation or quotation, at most eight words.
        let mut last = t;
        while last + 1 < end && last < t + 8 && self.is_word(last + 1) && self.quote_of.get(last + 1).is_none() {
            last += 1;
        }
        let has_people_noun =
            (t..=last).any(|u| PEOPLE_NOUNS.contains(&strip_possessive(&self.text(u).to_lowercase())));
        has_people_noun.then(|| self.description(t, last))
    }

    fn person_ending_at(&self, t: usize) -> Option<u32> {
        let doc = self.doc;
        let end = doc.tokens[t].range.end();
        let idx = doc
            .mentions()
            .partition_point(|mention| mention.name.end() < end.saturating_sub(3));
        doc.mentions()[idx..]
            .iter()
            .take(3)
            .find(|mention| mention.tokens.end == t + 1 && mention.kind != EntityKind::Organization)
            .and_then(|mention| mention.person)
    }

    fn person_starting_at(&self, t: usize) -> Option<u32> {
        let doc = self.doc;
        let start = doc.tokens[t].range.start();
        let idx = doc.mentions().partition_point(|mention| mention.name.start() < start);
        let mention = doc.mentions().get(idx)?;
        // "said Mayor Ana Reyes": the mention may start after a title.
        (mention.tokens.start >= t && mention.tokens.start <= t + 3 && mention.kind != EntityKind::Organization)
            .then_some(mention.person)
            .flatten()
    }

    fn pronoun(&self, t: usize) -> Speaker {
        let doc = self.doc;
        let range = doc.tokens[t].range;
        let person = if matches!(self.text(t), "he" | "she" | "He" | "She" | "they" | "They") {
            let idx = doc
                .mentions()
                .partition_point(|mention| mention.name.start() < range.start());
            doc.mentions()[..idx]
                .iter()
                .rev()
                .take(64)
                .find(|mention| mention.kind == EntityKind::Person && !mention.in_quote)
                .and_then(|mention| mention.person)
        } else {
            None
        };
        Speaker::Pronoun { range, person }
    }

    /// The subject of the quotation's sentence as its speaker, for a quotation that does not
    /// open its sentence: the first name, pronoun or people noun before it.
    fn subject(&self, quotation: u32) -> Option<Attribution> {
        let doc = self.doc;
        let first = self.first_token(quotation);
        if self.opens_sentence(first) {
            return None;
        }
        let sentence_idx = doc.sentence_at(doc.tokens[first].range.start())?;
        let sentence = &doc.sentences[sentence_idx];
        // A person named before the quotation, else a pronoun, else a people noun.
        let from = sentence.tokens.start.max(first.saturating_sub(WINDOW));
        let candidates = || (from..first).filter(|&t| self.quote_of.get(t).is_none() && self.is_word(t));
        let speaker_token = candidates()
            .find(|&t| self.person_ending_at(t).is_some())
            .or_else(|| candidates().find(|&t| PRONOUNS.contains(&self.text(t))))
            .or_else(|| {
                candidates().find(|&t| PEOPLE_NOUNS.contains(&strip_possessive(&self.text(t).to_lowercase())))
            })?;
        let speaker = if let Some(person) = self.person_ending_at(speaker_token) {
            Speaker::Person(person)
        } else if PRONOUNS.contains(&self.text(speaker_token)) {
            self.pronoun(speaker_token)
        } else {
            Speaker::Description(doc.tokens[speaker_token].range)
        };
        Some(Attribution {
            speaker,
            cue: doc.tokens[speaker_token].range,
            kind: AttributionKind::Subject,
        })
    }

    /// The first person named in `span` before token `before`: a sentence's subject.
    fn first_person_in(&self, span: std::ops::Range<usize>, before: usize) -> Option<Speaker> {
        (span.start..before.min(span.end))
            .filter(|&t| self.quote_of.get(t).is_none())
            .find_map(|t| self.person_ending_at(t))
            .map(Speaker::Person)
    }

    /// Whether the quotation closes in the last sentence of its paragraph.
    fn in_last_sentence(&self, quotation: u32) -> bool {
        let doc = self.doc;
        let last = self.last_token(quotation);
        let block = &doc.blocks[doc.tokens[last].block as usize];
        doc.sentence_at(doc.tokens[last].range.start())
            .is_some_and(|sentence| sentence + 1 == block.sentences.end)
    }

    /// Whether the quotation is the whole of its (first) paragraph.
    fn is_whole_paragraph(&self, quotation: u32) -> bool {
        let doc = self.doc;
        let quotation_ref = &doc.quotations[quotation as usize];
        let part = &quotation_ref.parts[0];
        let block = &doc.blocks[part.block as usize];
        let first = self.first_token(quotation);
        let last_part = &quotation_ref.parts[quotation_ref.parts.len() - 1];
        let last_block = &doc.blocks[last_part.block as usize];
        first == block.tokens.start && (block.tokens.end..last_block.tokens.end).len() < 64 && {
            let last = self.last_token(quotation);
            last + 1 >= last_block.tokens.end
        }
    }

    /// A cited headline or title: a quotation followed by a dash and a capitalized source
    /// (`"Council delays vote" — The Daily Post, May 2`), or any quotation in a list item
    /// followed by a dash, comma or parenthesis.
    fn is_citation(&self, quotation: u32) -> bool {
        let doc = self.doc;
        let part = &doc.quotations[quotation as usize].parts[0];
        let block = &doc.blocks[part.block as usize];
        let last = self.last_token(quotation);
        let Some(next) = doc.tokens.get(last + 1).filter(|next| next.block == part.block) else {
            return false;
        };
        let next_text = doc.token_text(next);
        if block.in_list() && matches!(next_text, "—" | "–" | "-" | "," | "(") {
            return true;
        }
        matches!(next_text, "—" | "–")
            && doc.tokens.get(last + 2).is_some_and(|source| {
                source.block == part.block
                    && doc.token_text(source).starts_with(char::is_uppercase)
                    && !PRONOUNS.contains(&doc.token_text(source))
                    && (!source.has(WORD_STARTER) || doc.token_text(source) == "The")
            })
    }

    /// A title in title case inside a sentence: "The Internet Explorer 6 Countdown".
    fn is_title_case(&self, first: usize, last: usize, quotation: u32) -> bool {
        let words: Vec<&str> = (first..=last)
            .filter(|&t| self.quote_of.get(t) == Some(quotation) && self.is_word(t))
            .map(|t| self.text(t))
            .collect();
        !words.is_empty()
            && words.len() <= 12
            && words.iter().all(|word| {
                word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) || word.chars().count() <= 3
            })
            && words.iter().filter(|word| word.starts_with(char::is_uppercase)).count() >= words.len().div_ceil(2)
            && !(first + 1..last)
                .any(|t| matches!(self.text(t), "." | "," | ";" | ":") && self.doc.tokens[t].kind == TokenKind::Punct)
    }
}

impl Document {
    /// What the attribution analysis found for a quotation, if it is top-level.
    pub fn quote_info(&self, quotation: usize) -> Option<&QuoteInfo> {
        let infos = self.quote_infos();
        let idx = infos.partition_point(|info| (info.quotation as usize) < quotation);
        infos.get(idx).filter(|info| info.quotation as usize == quotation)
    }

    /// A short label for a speaker: the person's full name, the pronoun's referent, or the description.
    pub fn speaker_label(&self, speaker: &Speaker) -> String {
        match speaker {
            Speaker::Person(person) => self.people()[*person as usize].full_name.clone(),
            Speaker::Pronoun {
                person: Some(person), ..
            } => self.people()[*person as usize].full_name.clone(),
            Speaker::Pronoun { range, person: None } => self.slice(*range).to_string(),
            Speaker::Description(range) => self.slice(*range).to_string(),
            Speaker::Unknown => "unnamed speaker".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filter in `cue_phrase_at` lets every cue phrase through.
    #[test]
    fn cue_first_words_are_the_first_words_of_the_cue_phrases() {
        let mut firsts: Vec<&str> = CUE_PHRASES.iter().map(|phrase| phrase[0]).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let mut listed = CUE_FIRST_WORDS.to_vec();
        listed.sort_unstable();
        assert_eq!(firsts, listed);
    }
}
