//! People and organizations named in the draft, and the links between their mentions.
//!
//! A mention is a run of capitalized words, with any title before it (Foreign Minister
//! Lee Jae-sun, Sen. Maria Ortiz, Mr. Lee) or after it in apposition ("Lee, the foreign
//! minister,"). A full name (two words or more) makes a person; a later bare surname, or
//! a title with a surname, points back to that person. A bare surname that appears before
//! the full name is linked forward and marked as such.

use rustc_hash::FxHashMap as HashMap;

use super::lexicon::{
    TitleKind, WORD_CAPITALIZED, WORD_GIVEN_NAME, WORD_ORG, WORD_PARTICLE, WORD_PLACE, WORD_PLACE_PART,
    WORD_SPEECH_VERB, WORD_STARTER, WORD_TITLE_START, lexicon,
};
use super::markdown::Block;
use super::sentences::Sentence;
use super::tokens::{Token, TokenKind};
use crate::text::TextRange;

/// What a capitalized name refers to, as far as the draft shows.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EntityKind {
    /// A person: titled, speaking, described in apposition, or given an age.
    Person,
    /// An organization, place or thing whose name ends in (or starts with) an organization word.
    Organization,
    /// A capitalized name with no evidence either way.
    Unknown,
}

/// How a mention names its person.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NameForm {
    /// The full name: two or more name words.
    Full,
    /// The surname alone (with or without a title).
    Surname,
    /// The given name alone.
    Given,
}

/// Where a title stands relative to the name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TitlePosition {
    /// Before the name: "Foreign Minister Lee".
    Before,
    /// In apposition: "Lee, the foreign minister," or "the foreign minister, Lee,".
    Apposition,
}

/// A title found with a mention.
#[derive(Clone, Debug)]
pub struct TitleRef {
    /// Source range of the title words.
    pub range: TextRange,
    /// The title as written.
    pub text: String,
    /// The lexicon's full form shared by all spellings (Sen. and Senator: `Senator`).
    pub canonical: &'static str,
    pub kind: TitleKind,
    pub position: TitlePosition,
    pub abbreviated: bool,
    /// Words such as "former" or "acting" just before the title.
    pub qualifier: Option<String>,
}

/// One mention of a named entity.
#[derive(Clone, Debug)]
pub struct Mention {
    /// Source range of the name words (without title or possessive).
    pub name: TextRange,
    /// The name as written, possessive removed (shared: a copied block's mentions do not
    /// copy their names).
    pub text: std::sync::Arc<str>,
    /// Index range of the name tokens in [`crate::Document::tokens`].
    pub tokens: std::ops::Range<usize>,
    pub title: Option<TitleRef>,
    /// A courtesy title before the name (Mr., Ms., Dr.).
    pub courtesy: Option<TitleRef>,
    pub form: NameForm,
    pub kind: EntityKind,
    /// The person this mention names, an index into [`crate::Document::people`].
    pub person: Option<u32>,
    /// Whether this mention comes before the person's first full mention.
    pub before_full: bool,
    /// Whether more than one person in the draft could be meant.
    pub ambiguous: bool,
    pub sentence: u32,
    pub block: u32,
    /// Whether the mention sits inside a direct quotation.
    pub in_quote: bool,
}

impl Mention {
    /// From the title (when before the name) to the end of the name.
    pub fn full_range(&self) -> TextRange {
        let mut range = self.name;
        for title in [&self.title, &self.courtesy].into_iter().flatten() {
            if title.position == TitlePosition::Before {
                range = range.cover(title.range);
            }
        }
        range
    }
}

/// A person (or an entity treated like one) with every mention of them.
#[derive(Clone, Debug)]
pub struct Person {
    /// The name as first given in full, e.g. `Lee Jae-sun`.
    pub full_name: String,
    /// The word or words a later reference uses alone, e.g. `Lee`.
    pub surname: String,
    pub kind: EntityKind,
    /// Indexes into [`crate::Document::mentions`], in document order.
    pub mentions: Vec<u32>,
    /// The first mention giving the full name, if any.
    pub first_full: Option<u32>,
}

pub(crate) const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "das", "dos", "del", "della", "di", "du", "la", "le", "bin", "ibn", "al",
    "el", "ben", "bint", "y", "zu", "ter", "te", "op",
];

const QUALIFIERS: &[&str] = &[
    "former", "acting", "then", "interim", "deputy", "outgoing", "incoming", "late", "now", "new",
];

/// Capitalized words that are never part of a name (days, months, a few others). A `match`
/// rather than a list: it is asked for most capitalized words, and a match compares the
/// length first instead of each word in turn.
fn is_name_stop_word(word: &str) -> bool {
    matches!(
        word,
        "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "January"
            | "February"
            | "March"
            | "April"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "God"
            | "Internet"
            | "English"
            | "AM"
            | "PM"
            | "TV"
            | "OK"
    )
}

struct Context<'a> {
    blocks: &'a [Block],
    tokens: &'a [Token],
    /// Whether candidates get their [`fingerprint`]: only linking against a previous version,
    /// or keeping the candidates for a next one, reads it.
    fingerprints: bool,
}

impl Context<'_> {
    /// A capitalized function word that often starts a sentence (The, But, However).
    fn is_starter(&self, idx: usize) -> bool {
        self.is_capitalized(idx) && self.tokens[idx].has(WORD_STARTER)
    }

    #[inline]
    fn may_start_title(&self, idx: usize) -> bool {
        self.tokens[idx].has(WORD_TITLE_START)
    }

    #[inline]
    fn text(&self, idx: usize) -> &str {
        let token = &self.tokens[idx];
        &self.blocks[token.block as usize].prose[token.prose.as_range()]
    }

    fn is_word(&self, idx: usize) -> bool {
        self.tokens[idx].kind == TokenKind::Word
    }

    fn is_capitalized(&self, idx: usize) -> bool {
        self.tokens[idx].has(WORD_CAPITALIZED)
    }

    #[inline]
    fn is_punct(&self, idx: usize, punct: &str) -> bool {
        let token = &self.tokens[idx];
        token.kind == TokenKind::Punct && self.text(idx) == punct
    }
}

/// Strips a possessive ending: Lee’s, Jones’, Ross's.
#[inline]
pub fn strip_possessive(word: &str) -> &str {
    // Every possessive ends in s, S, ' or ’ (whose last byte is 0x99): most words end otherwise.
    if !matches!(word.as_bytes().last(), Some(b's' | b'S' | b'\'' | 0x99)) {
        return word;
    }
    strip_possessive_ending(word)
}

fn strip_possessive_ending(word: &str) -> &str {
    for suffix in ["’s", "'s", "’S", "'S"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return stem;
        }
    }
    for mark in ['’', '\''] {
        if let Some(stem) = word.strip_suffix(mark)
            && stem.ends_with('s')
        {
            return stem;
        }
    }
    word
}

/// The first letter of a name, folded (Müller and Muller share `m`).
fn initial(name: &str) -> char {
    if let Some(first) = name.chars().next()
        && first.is_ascii()
    {
        return first.to_ascii_lowercase();
    }
    super::variants::fold(
        name.get(..name.char_indices().nth(1).map_or(name.len(), |(i, _)| i))
            .unwrap_or(""),
    )
    .chars()
    .next()
    .unwrap_or(' ')
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

pub struct MentionAnalysis {
    pub mentions: Vec<Mention>,
    pub people: Vec<Person>,
    /// Each block's candidates before linking, for the next version of the draft.
    pub parts: BlockCandidates,
}

/// Each block's name candidates and single capitalized words before linking, kept so that the
/// next version of a draft takes them as they are for a block that did not change (finding
/// candidates is most of the cost of mentions; linking them is document-wide and redone).
/// Token and sentence indices count from the block's first token and sentence, source ranges
/// from the block's start, and block indices from the block itself.
#[derive(Default)]
pub struct BlockCandidates {
    /// Per block, shared with the versions that keep the block unchanged.
    blocks: Vec<std::sync::Arc<BlockPart>>,
    /// What linking read ([`link_signature`]) and decided, for the next version: when it
    /// reads the same, its people are this version's and its mentions take the same decisions.
    linked: Linked,
    /// Per block, the candidates made from its single capitalized words, and [`keys_signature`]
    /// of the names that decided which words those are. A block that did not change takes
    /// them as they are when the next version's names decide the same.
    from_light: Vec<Option<std::sync::Arc<Vec<Candidate>>>>,
    keys: u128,
}

#[derive(Default)]
struct Linked {
    signature: Vec<u128>,
    /// For each mention, the index of its candidate and what linking set on it.
    decisions: Vec<Decision>,
}

#[derive(Clone, Copy)]
struct Decision {
    candidate: u32,
    person: Option<u32>,
    form: NameForm,
    kind: EntityKind,
    ambiguous: bool,
    before_full: bool,
}

/// One block's candidates and single capitalized words, block-relative.
struct BlockPart {
    candidates: Vec<Candidate>,
    light: Vec<Light>,
}

/// Where a block's indices and offsets start; [`Base::ZERO`] for the block-relative form.
#[derive(Clone, Copy)]
struct Base {
    token: usize,
    sentence: u32,
    byte: u32,
    block: u32,
}

impl Base {
    const ZERO: Base = Base {
        token: 0,
        sentence: 0,
        byte: 0,
        block: 0,
    };

    fn of(block: &Block, block_idx: usize) -> Base {
        Base {
            token: block.tokens.start,
            sentence: block.sentences.start as u32,
            byte: block.range.start,
            block: block_idx as u32,
        }
    }
}

/// Moves what `from` counts from to count from `to` (wrapping, so the round trip is exact).
fn rebase_range(range: TextRange, from: Base, to: Base) -> TextRange {
    range.moved(to.byte.wrapping_sub(from.byte))
}

fn rebase_token(token: usize, from: Base, to: Base) -> usize {
    token.wrapping_sub(from.token).wrapping_add(to.token)
}

fn rebase_sentence(sentence: u32, from: Base, to: Base) -> u32 {
    sentence.wrapping_sub(from.sentence).wrapping_add(to.sentence)
}

impl Candidate {
    fn rebased(&self, from: Base, to: Base) -> Candidate {
        let mut candidate = self.clone();
        let mention = &mut candidate.mention;
        mention.name = rebase_range(mention.name, from, to);
        mention.tokens = rebase_token(mention.tokens.start, from, to)..rebase_token(mention.tokens.end, from, to);
        for title in [&mut mention.title, &mut mention.courtesy].into_iter().flatten() {
            title.range = rebase_range(title.range, from, to);
        }
        mention.sentence = rebase_sentence(mention.sentence, from, to);
        mention.block = mention.block.wrapping_sub(from.block).wrapping_add(to.block);
        candidate
    }
}

impl Light {
    fn rebased(&self, from: Base, to: Base) -> Light {
        Light {
            token: rebase_token(self.token, from, to),
            sentence: rebase_sentence(self.sentence, from, to),
        }
    }
}

#[derive(Clone)]
struct Candidate {
    mention: Mention,
    evidence: bool,
    /// Evidence that holds for a single name too: a title, a courtesy title, an age.
    strong_evidence: bool,
    /// Whether a speech verb is next to the name ("Smith said").
    speaks: bool,
    n_words: usize,
    /// [`fingerprint`] of what linking reads, made with the candidate: a copied block's
    /// candidates are not hashed again. Zero when nothing reads it ([`Context::fingerprints`]).
    fingerprint: u128,
}

/// The previous version's candidates and people, and for each block the index of the
/// previous block it is a copy of.
pub type Previous<'a> = (&'a BlockCandidates, &'a [Person], &'a [Option<u32>]);

/// Finds the mentions of people and organizations in the draft and links them into people.
/// `previous` is the previous version's candidates with, for each block, the index of the
/// previous block it is a copy of (same tokens and sentences): those blocks' candidates are
/// taken as they were instead of found again. With `keep_for_next` false (a draft that will
/// have no next version, as in `copydesk check`), [`MentionAnalysis::parts`] is left empty:
/// a version built from it finds every candidate again.
pub fn analyze(
    blocks: &[Block],
    tokens: &[Token],
    sentences: &[Sentence],
    in_quote: &dyn Fn(TextRange) -> bool,
    previous: Option<Previous<'_>>,
    keep_for_next: bool,
) -> MentionAnalysis {
    let context = Context {
        blocks,
        tokens,
        fingerprints: keep_for_next || previous.is_some(),
    };
    // Room for what news copy has (a candidate for every twenty-odd tokens, a single
    // capitalized word for every sixteen): growing these long vectors copies them each time.
    let mut candidates = Vec::with_capacity(tokens.len() / 24);
    let mut light = Vec::with_capacity(tokens.len() / 16);
    let mut parts = BlockCandidates::default();
    parts.blocks.reserve(blocks.len());
    for (block_idx, block) in blocks.iter().enumerate() {
        let base = Base::of(block, block_idx);
        let (first_candidate, first_light) = (candidates.len(), light.len());
        let copied = previous.and_then(|(previous, _, reused_from)| {
            let old = (*reused_from.get(block_idx)?)?;
            previous.blocks.get(old as usize)
        });
        if let Some(part) = copied {
            // The block is unchanged: its part is shared, and only placed where it now is.
            place(&part.candidates, base, in_quote, &mut candidates);
            light.extend(part.light.iter().map(|item| item.rebased(Base::ZERO, base)));
            if keep_for_next {
                parts.blocks.push(part.clone());
            }
            continue;
        }
        for sentence_idx in block.sentences.clone() {
            find_in_sentence(
                &context,
                sentence_idx as u32,
                &sentences[sentence_idx],
                in_quote,
                &mut candidates,
                &mut light,
            );
        }
        if keep_for_next {
            parts.blocks.push(std::sync::Arc::new(BlockPart {
                candidates: block_relative(&candidates[first_candidate..], base),
                light: light[first_light..]
                    .iter()
                    .map(|item| item.rebased(base, Base::ZERO))
                    .collect(),
            }));
        }
    }
    // Most single capitalized words ("Critics", "Tuesday's") name nobody. They are built into
    // mentions only when they can link to someone: their lowercase form is a surname or given
    // name of a full name in the draft, or (when they speak) one or two letters from a surname.
    // Which words those are depends on the names alone, and what a word's candidate is on its
    // block alone: an unchanged block takes the previous version's when the names are the same.
    if keep_for_next {
        parts.from_light = vec![None; blocks.len()];
    }
    if !light.is_empty() {
        let (keys, surnames_by_initial) = name_keys(&candidates);
        parts.keys = keys_signature(&keys.hashes, &surnames_by_initial);
        let previous_light = previous.filter(|(previous, _, _)| previous.keys == parts.keys);
        // Their candidates (for about one word in five in news copy), in document order like
        // `candidates`, merged with them at the end.
        let mut found = Vec::with_capacity(light.len() / 4);
        let none_found = std::sync::Arc::new(Vec::new());
        let mut items = light.as_slice();
        while let Some(first) = items.first() {
            let block_idx = sentences[first.sentence as usize].block;
            let count = items
                .iter()
                .take_while(|item| sentences[item.sentence as usize].block == block_idx)
                .count();
            let (here, rest) = items.split_at(count);
            items = rest;
            let block = &blocks[block_idx as usize];
            let base = Base::of(block, block_idx as usize);
            let kept = previous_light.and_then(|(previous, _, reused_from)| {
                let old = (*reused_from.get(block_idx as usize)?)?;
                previous.from_light.get(old as usize)?.clone()
            });
            if let Some(kept) = kept {
                place(&kept, base, in_quote, &mut found);
                if keep_for_next {
                    parts.from_light[block_idx as usize] = Some(kept);
                }
                continue;
            }
            let first_found = found.len();
            for item in here {
                let word = strip_possessive(context.text(item.token));
                let sentence = &sentences[item.sentence as usize];
                // A hash of the lowercase word: a collision only sends a word on to linking,
                // which compares names in full (and drops a single word that links to no one).
                let wanted = keys.may_contain(word)
                    || (speech_nearby(&context, sentence, item.token, item.token + 1)
                        && surnames_by_initial.get(&initial(word)).is_some_and(|surnames| {
                            surnames.iter().any(|surname| {
                                surname.len().abs_diff(word.len()) <= 2
                                    && super::variants::spelling_variant(surname, word)
                            })
                        }));
                if !wanted {
                    continue;
                }
                if let Some(candidate) = name_candidate(
                    &context,
                    item.sentence,
                    sentence,
                    item.token,
                    name_run_end(&context, item.token, sentence.tokens.end),
                    sentence.tokens.end,
                    None,
                    in_quote,
                ) {
                    found.push(candidate);
                }
            }
            if keep_for_next {
                parts.from_light[block_idx as usize] = Some(if found.len() > first_found {
                    std::sync::Arc::new(block_relative(&found[first_found..], base))
                } else {
                    none_found.clone()
                });
            }
        }
        if !found.is_empty() {
            candidates = merge_by_start(candidates, found);
        }
    }
    // Linking compares the signature only with a previous version's, and keeps it for the next.
    let signature = if context.fingerprints {
        link_signature(&candidates)
    } else {
        Vec::new()
    };
    let (mentions, people, decisions) = match previous {
        Some((previous, people, _)) if previous.linked.signature == signature => {
            relink(candidates, &previous.linked.decisions, people)
        }
        _ => link(candidates),
    };
    if keep_for_next {
        parts.linked = Linked { signature, decisions };
    }
    MentionAnalysis {
        mentions,
        people,
        parts,
    }
}

/// The candidates of `a` and of `b` in order of their first token, on a tie `a`'s first: what
/// a stable sort of `a` followed by `b` gives. Each is in that order already (found, or
/// placed, block by block), so one merge moves each candidate once where the sort moved these
/// large values about more; should either not be in order, they are sorted.
fn merge_by_start(a: Vec<Candidate>, b: Vec<Candidate>) -> Vec<Candidate> {
    let start = |candidate: &Candidate| candidate.mention.tokens.start;
    if !a.is_sorted_by_key(start) || !b.is_sorted_by_key(start) {
        let mut all = a;
        all.extend(b);
        all.sort_by_key(start);
        return all;
    }
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for candidate in a {
        while let Some(earlier) = b.next_if(|next| start(next) < start(&candidate)) {
            merged.push(earlier);
        }
        merged.push(candidate);
    }
    merged.extend(b);
    merged
}

/// Appends block-relative candidates kept from the previous version, placed in the block at
/// `base`, with whether each is in a quotation found again (quotations elsewhere may have changed).
fn place(kept: &[Candidate], base: Base, in_quote: &dyn Fn(TextRange) -> bool, candidates: &mut Vec<Candidate>) {
    candidates.extend(kept.iter().map(|candidate| {
        let mut candidate = candidate.rebased(Base::ZERO, base);
        candidate.mention.in_quote = in_quote(candidate.mention.name);
        candidate
    }));
}

/// Candidates of the block at `base`, counted from the block's start, to keep for the next version.
fn block_relative(found: &[Candidate], base: Base) -> Vec<Candidate> {
    found
        .iter()
        .map(|candidate| candidate.rebased(base, Base::ZERO))
        .collect()
}

/// What linking gives: the mentions, the people, and the decisions to reuse next time.
type Links = (Vec<Mention>, Vec<Person>, Vec<Decision>);

/// The fingerprints of the candidates, in order ([`fingerprint`]).
fn link_signature(candidates: &[Candidate]) -> Vec<u128> {
    candidates.iter().map(|candidate| candidate.fingerprint).collect()
}

/// A fingerprint of everything [`link`] reads from a candidate ([`hash128_bytes`]). Nothing a
/// candidate carries changes between its making and linking except where it is (its ranges and
/// indices, which linking does not compare) and whether it is in a quotation (which linking
/// does not read).
fn fingerprint(candidate: &Candidate) -> u128 {
    let mention = &candidate.mention;
    // The fields after the text, in a fixed-size encoding (so text and fields cannot be told
    // apart two ways), hashed with the text in one stream rather than field by field.
    let flags = [
        candidate.evidence,
        candidate.strong_evidence,
        candidate.speaks,
        mention.title.is_some(),
        mention.courtesy.is_some(),
        mention.ambiguous,
        mention.before_full,
    ]
    .iter()
    .enumerate()
    .fold(0u8, |bits, (n, &flag)| bits | (u8::from(flag) << n));
    let mut fields = [0u8; 19];
    fields[..8].copy_from_slice(&(candidate.n_words as u64).to_le_bytes());
    fields[8] = mention.kind as u8;
    fields[9] = mention.form as u8;
    fields[10..18].copy_from_slice(&mention.person.map_or(0, |person| u64::from(person) + 1).to_le_bytes());
    fields[18] = flags;
    hash128_bytes(&[mention.text.as_bytes(), &fields])
}

/// A 128-bit hash of a byte string given in pieces: SipHash of the pieces' concatenation and
/// FxHash of each piece in turn (FxHash reduces each piece on its own, so the pieces must be
/// split the same way every time, as [`fingerprint`]'s are).
fn hash128_bytes(pieces: &[&[u8]]) -> u128 {
    use std::hash::Hasher;
    let mut sip = std::collections::hash_map::DefaultHasher::new();
    let mut fx = rustc_hash::FxHasher::default();
    for piece in pieces {
        sip.write(piece);
        fx.write(piece);
    }
    (u128::from(sip.finish()) << 64) | u128::from(fx.finish())
}

/// What [`link`] gives for candidates that read as the previous version's did: the same
/// people, and each mention the candidate in its place with the same decisions.
fn relink(candidates: Vec<Candidate>, decisions: &[Decision], people: &[Person]) -> Links {
    let mut slots: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    let mut mentions = Vec::with_capacity(decisions.len());
    for decision in decisions {
        let Some(candidate) = slots.get_mut(decision.candidate as usize).and_then(Option::take) else {
            continue;
        };
        let mut mention = candidate.mention;
        mention.person = decision.person;
        mention.form = decision.form;
        mention.kind = decision.kind;
        mention.ambiguous = decision.ambiguous;
        mention.before_full = decision.before_full;
        mentions.push(mention);
    }
    (mentions, people.to_vec(), decisions.to_vec())
}

/// A single capitalized word with no title, apposition or age: a mention only if it links.
/// Whether it links is asked once the names are known (most words are no name's key, and
/// need neither their hash nor a look for a speech verb).
#[derive(Clone, Copy)]
struct Light {
    token: usize,
    sentence: u32,
}

/// A hash of a name's lowercase form ([`key`]), without allocating for short ASCII words.
fn key_hash(name: &str) -> u64 {
    if name.len() <= 32 && name.is_ascii() {
        let mut buf = [0u8; 32];
        return bytes_hash(ascii_lowercase_into(&mut buf, name.as_bytes()));
    }
    lowercase_hash(&key(name))
}

/// Writes the ASCII lowercase of `word` (at most `buf.len()` bytes) into `buf` and returns it:
/// one pass over the bytes, where a copy and then a lowercasing pass would call `memcpy`.
#[inline]
fn ascii_lowercase_into<'b>(buf: &'b mut [u8], word: &[u8]) -> &'b [u8] {
    let bytes = &mut buf[..word.len()];
    for (lower, byte) in bytes.iter_mut().zip(word) {
        *lower = byte.to_ascii_lowercase();
    }
    bytes
}

/// A hash of a name already in lowercase.
fn lowercase_hash(lower: &str) -> u64 {
    bytes_hash(lower.as_bytes())
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// A fingerprint of the names [`name_keys`] found, in any order.
fn keys_signature(keys: &rustc_hash::FxHashSet<u64>, surnames_by_initial: &HashMap<char, Vec<String>>) -> u128 {
    let mut keys: Vec<u64> = keys.iter().copied().collect();
    keys.sort_unstable();
    let mut surnames: Vec<(char, &[String])> = surnames_by_initial
        .iter()
        .map(|(initial, surnames)| (*initial, surnames.as_slice()))
        .collect();
    surnames.sort_unstable();
    hash128(&(keys, surnames))
}

/// Two different 64-bit hashes of `value`, so that two different values share one with
/// negligible probability.
fn hash128(value: &impl std::hash::Hash) -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut sip = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut sip);
    let fx = rustc_hash::FxBuildHasher.hash_one(value);
    (u128::from(sip.finish()) << 64) | u128::from(fx)
}

/// The lowercase surnames and given names that full names make, as hashes ([`key_hash`]),
/// with a filter that turns most other words away before they are hashed.
#[derive(Default)]
struct NameKeys {
    hashes: rustc_hash::FxHashSet<u64>,
    /// A bit for the length and first byte of each lowercase key ([`key_shape`]).
    shapes: [u64; 16],
}

impl NameKeys {
    /// Adds the lowercase form of `name` ([`key`]).
    fn insert(&mut self, name: &str) {
        let shape = if name.is_ascii() {
            key_shape(name.len(), name.as_bytes().first().map_or(0, u8::to_ascii_lowercase))
        } else {
            let lower = key(name);
            key_shape(lower.len(), lower.as_bytes().first().copied().unwrap_or(0))
        };
        self.shapes[shape / 64] |= 1 << (shape % 64);
        self.hashes.insert(key_hash(name));
    }

    /// Whether the lowercase form of `word` is a key, or shares a hash with one. An ASCII
    /// word lowercases to as many bytes, its first lowercased: a clear bit for that length and
    /// first byte rules it out without a hash.
    fn may_contain(&self, word: &str) -> bool {
        if word.is_ascii()
            && let Some(first) = word.as_bytes().first()
        {
            let shape = key_shape(word.len(), first.to_ascii_lowercase());
            if self.shapes[shape / 64] & (1 << (shape % 64)) == 0 {
                return false;
            }
        }
        self.hashes.contains(&key_hash(word))
    }
}

/// A bit index (below 1024) for a lowercase key's length in bytes and first byte.
fn key_shape(len: usize, first: u8) -> usize {
    ((len & 31) << 5) | usize::from(first & 31)
}

/// The keys of the surnames and given names that full names among `candidates` make, and the
/// surnames by folded initial: what a single word must match to be worth a mention.
fn name_keys(candidates: &[Candidate]) -> (NameKeys, HashMap<char, Vec<String>>) {
    let lex = lexicon();
    let mut keys = NameKeys::default();
    let mut by_initial: HashMap<char, Vec<String>> = HashMap::default();
    let mut words: Vec<&str> = Vec::new();
    for candidate in candidates
        .iter()
        .filter(|c| c.n_words >= 2 && c.mention.kind != EntityKind::Organization)
    {
        let text: &str = &candidate.mention.text;
        words.clear();
        words.extend(text.split(' '));
        let family_first = lex.east_asian_surnames.contains(words[0]) && words.len() <= 3;
        for source in surname_key_sources(text, &words, family_first) {
            if !source.is_empty() {
                keys.insert(source);
            }
        }
        if !family_first && !PARTICLES.contains(&words[0]) && words[0].chars().count() > 2 {
            keys.insert(words[0]);
        }
        let surname = surname_of(text, &words, family_first);
        let list = by_initial.entry(initial(surname)).or_default();
        if !list.iter().any(|known| known == surname) {
            list.push(surname.to_string());
        }
    }
    (keys, by_initial)
}

fn find_in_sentence(
    context: &Context<'_>,
    sentence_idx: u32,
    sentence: &Sentence,
    in_quote: &dyn Fn(TextRange) -> bool,
    out: &mut Vec<Candidate>,
    light: &mut Vec<Light>,
) {
    let end = sentence.tokens.end;
    let mut i = sentence.tokens.start;
    let mut pending_title: Option<(TitleRef, usize)> = None;
    while i < end {
        // Skip to the next word that may start something: not a word, or a lowercase word that
        // starts neither a title nor a particle, is passed over (most tokens). The slice's
        // iterator steps over them without an index check each.
        match context.tokens[i..end]
            .iter()
            .position(|token| token.has(WORD_CAPITALIZED | WORD_TITLE_START | WORD_PARTICLE))
        {
            Some(skip) => i += skip,
            None => break,
        }
        // The title's span first: most titles stand before no name, and their [`TitleRef`]
        // (with its text) is built only when a name or an apposition takes it.
        if let Some((form, after)) = title_span(context, i, end) {
            if after < end && title_span(context, after, end).is_some() {
                // Two titles in a row ("agency director General Suleiman"): the one next to
                // the name is the person's title.
                i = after;
                continue;
            }
            let capitalized = context.text(i).starts_with(char::is_uppercase);
            if after < end && context.is_capitalized(after) && (capitalized || form.kind != TitleKind::Courtesy) {
                // A title right before a name (lowercase only when the style errs: "foreign minister Lee").
                let mut title = title_ref_of(context, form, i, after);
                title.qualifier = qualifier_before(context, i, sentence.tokens.start);
                if let Some(candidate) = name_candidate(
                    context,
                    sentence_idx,
                    sentence,
                    after,
                    name_run_end(context, after, end),
                    end,
                    Some(title),
                    in_quote,
                ) {
                    i = candidate.mention.tokens.end;
                    out.push(candidate);
                    continue;
                }
            }
            if after + 1 < end && context.is_punct(after, ",") && context.is_capitalized(after + 1) {
                // "the foreign minister, Lee Jae-sun,".
                pending_title = Some((title_ref_of(context, form, i, after), after + 1));
            }
            i = after;
            continue;
        }
        let sentence_start = i == sentence.tokens.start
            || (i > sentence.tokens.start
                && context.tokens[i - 1].kind == TokenKind::Quote
                && i - 1 == sentence.tokens.start);
        let word = context.text(i);
        let particle_start = after_particles(context, i, end).is_some()
            && (i == sentence.tokens.start || !context.is_capitalized(i - 1));
        if !(context.is_capitalized(i) || particle_start)
            || (sentence_start && context.is_starter(i))
            || context.is_starter(i) && word.len() <= 3
        {
            i += 1;
            continue;
        }
        let mut title = None;
        if let Some((pending, at)) = pending_title.take()
            && at == i
        {
            let mut pending = pending;
            pending.position = TitlePosition::Apposition;
            title = Some(pending);
        }
        let run_end = name_run_end(context, i, end);
        if run_end == i + 1 && is_name_stop_word(word) {
            // A day, a month or the like alone names nobody, titled or not: `name_candidate`
            // would make nothing of it.
            i += 1;
            continue;
        }
        if title.is_none()
            && run_end == i + 1
            && !age_after(context, i + 1, end)
            && apposition_after(context, i + 1, end).is_none()
        {
            light.push(Light {
                token: i,
                sentence: sentence_idx,
            });
            i += 1;
            continue;
        }
        match name_candidate(context, sentence_idx, sentence, i, run_end, end, title, in_quote) {
            Some(candidate) => {
                i = candidate.mention.tokens.end.max(i + 1);
                out.push(candidate);
            }
            None => i += 1,
        }
    }
}

/// Calls `f` with the bytes of `word` in lowercase ([`key`]), without allocating for short
/// ASCII words, and without the check [`with_lowercase`] makes that they are UTF-8.
fn with_lowercase_bytes<R>(word: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    if word.len() <= 32 && word.is_ascii() {
        let mut buf = [0u8; 32];
        f(ascii_lowercase_into(&mut buf, word.as_bytes()))
    } else {
        f(word.to_lowercase().as_bytes())
    }
}

/// Calls `f` with `word` in lowercase, without allocating for short ASCII words.
pub(crate) fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    // Lowercase UTF-8 stays UTF-8: the check cannot fail.
    with_lowercase_bytes(word, |bytes| f(std::str::from_utf8(bytes).unwrap_or("")))
}

/// Whether a written word matches a lowercase lexicon word, ignoring case, a final period
/// and (for the last word of a title) a possessive.
fn title_word_matches(written: &str, lexicon_word: &str, last: bool) -> bool {
    let written = if last { strip_possessive(written) } else { written };
    let a = trim_periods(written);
    let b = trim_periods(lexicon_word);
    // Most words differ in their first letter: when the written one is ASCII it lowercases to
    // one ASCII letter, which must be `b`'s first byte (`b` is lowercase).
    if let (Some(&x), Some(&y)) = (a.as_bytes().first(), b.as_bytes().first())
        && x.is_ascii()
        && x.to_ascii_lowercase() != y
    {
        return false;
    }
    if a.is_ascii() {
        // ASCII lowercases letter for letter (`b` is lowercase already).
        return a.len() == b.len() && a.as_bytes().eq_ignore_ascii_case(b.as_bytes());
    }
    a.len() >= b.len() && a.chars().flat_map(char::to_lowercase).eq(b.chars())
}

/// `word` without its final periods: `str::trim_end_matches('.')` byte by byte (a period is
/// one byte in UTF-8, so the cut is on a character boundary), without the pattern machinery.
#[inline]
fn trim_periods(word: &str) -> &str {
    let bytes = word.as_bytes();
    let mut len = bytes.len();
    while len > 0 && bytes[len - 1] == b'.' {
        len -= 1;
    }
    &word[..len]
}

/// Matches the longest title starting at token `i` of a document, ending before token `end`.
/// Returns the title and the index of the token after it.
pub fn title_at(doc: &super::Document, i: usize, end: usize) -> Option<(TitleRef, usize)> {
    let context = Context {
        blocks: &doc.blocks,
        tokens: &doc.tokens,
        fingerprints: false,
    };
    match_title(&context, i, end.min(doc.tokens.len()))
}

/// Matches the longest title starting at token `i`.
#[inline]
fn match_title(context: &Context<'_>, i: usize, end: usize) -> Option<(TitleRef, usize)> {
    // Most words start no title: the lexicon's flag settles them without a call.
    if !context.may_start_title(i) {
        return None;
    }
    title_ref(context, i, end)
}

/// [`match_title`] for a word that may start a title.
fn title_ref(context: &Context<'_>, i: usize, end: usize) -> Option<(TitleRef, usize)> {
    let (form, idx) = title_span(context, i, end)?;
    Some((title_ref_of(context, form, i, idx), idx))
}

/// The [`TitleRef`] of the lexicon title `form` written as tokens `i..idx` ([`title_span`]).
fn title_ref_of(context: &Context<'_>, form: &super::lexicon::TitleForm, i: usize, idx: usize) -> TitleRef {
    let first_token = &context.tokens[i];
    let last_token = &context.tokens[idx - 1];
    let range = TextRange::new(first_token.range.start(), last_token.range.end());
    let mut text = String::with_capacity(range.len());
    for t in i..idx {
        if t > i {
            text.push(' ');
        }
        text.push_str(context.text(t));
    }
    TitleRef {
        range,
        text,
        canonical: form.canonical,
        kind: form.kind,
        position: TitlePosition::Before,
        abbreviated: form.abbreviated,
        qualifier: None,
    }
}

/// The lexicon title starting at token `i` (longest first) and the index after it, without
/// building a [`TitleRef`]: for the many places that only ask whether a title starts here.
#[inline]
fn title_span(context: &Context<'_>, i: usize, end: usize) -> Option<(&'static super::lexicon::TitleForm, usize)> {
    if !context.may_start_title(i) {
        return None;
    }
    lexicon_title_at(context, i, end)
}

/// [`title_span`] for a word that may start a title.
fn lexicon_title_at(
    context: &Context<'_>,
    i: usize,
    end: usize,
) -> Option<(&'static super::lexicon::TitleForm, usize)> {
    if i >= end {
        return None;
    }
    let trimmed = trim_periods(context.text(i));
    let first = strip_possessive(trimmed);
    // An ASCII first byte must be a letter; else the first character is asked.
    let alphabetic = match first.as_bytes().first() {
        Some(&byte) if byte.is_ascii() => byte.is_ascii_alphabetic(),
        _ => first.starts_with(char::is_alphabetic),
    };
    if !alphabetic {
        return None;
    }
    let forms = lexicon().titles_by_first_word.get(first)?;
    // The table is keyed by each form's first word, periods trimmed, in lowercase (all ASCII:
    // a test checks), and finding `first` in it compares the two as `title_word_matches` does.
    // So when the word has no possessive, every form's first word matches and only the words
    // after it are compared; a possessive ("Chief's") is compared in full, as a form's first
    // word keeps it unless it is the form's last.
    let skip = usize::from(first.len() == trimmed.len());
    'forms: for form in forms {
        // A form longer than what is left of the sentence cannot match.
        if form.words.len() > end - i {
            continue;
        }
        let mut idx = i + skip;
        for (n, word) in form.words.iter().enumerate().skip(skip) {
            if idx >= end
                || !context.is_word(idx)
                || !title_word_matches(context.text(idx), word, n + 1 == form.words.len())
            {
                continue 'forms;
            }
            idx += 1;
        }
        return Some((form, idx));
    }
    None
}

fn qualifier_before(context: &Context<'_>, i: usize, sentence_start: usize) -> Option<String> {
    if i == sentence_start {
        return None;
    }
    let prev = context.text(i - 1);
    with_lowercase(prev, |lower| QUALIFIERS.contains(&lower).then(|| lower.to_string()))
}

/// If token `j` starts one or more name particles (von der, de la, bin) followed by a
/// capitalized word, the index of that word.
fn after_particles(context: &Context<'_>, j: usize, end: usize) -> Option<usize> {
    let mut k = j;
    while k < end && k < j + 3 && context.tokens[k].has(WORD_PARTICLE) && PARTICLES.contains(&context.text(k)) {
        k += 1;
    }
    (k > j && k < end && context.is_capitalized(k) && context.tokens[k].space_before).then_some(k)
}

/// The end of a run of name words starting at `i` (capitalized words, initials, particles).
#[inline]
fn name_run_end(context: &Context<'_>, i: usize, end: usize) -> usize {
    // Most capitalized words stand alone ("The", "Critics"): when the next token is not a
    // spaced word that is capitalized or may be a particle, the run is the word alone, which
    // is what the loop finds (it breaks after `i` whether or not `i` is possessive).
    if context.is_capitalized(i)
        && context.tokens.get(i + 1).is_none_or(|next| {
            i + 1 >= end
                || next.kind != TokenKind::Word
                || !next.space_before
                || !next.has(WORD_CAPITALIZED | WORD_PARTICLE)
        })
    {
        return i + 1;
    }
    name_run_end_general(context, i, end)
}

/// [`name_run_end`] in general.
fn name_run_end_general(context: &Context<'_>, i: usize, end: usize) -> usize {
    let mut j = i;
    let mut last_capitalized = i;
    while j < end {
        if j > i && (context.tokens[j].kind != TokenKind::Word || !context.tokens[j].space_before) {
            break;
        }
        if context.is_capitalized(j) {
            let word = context.text(j);
            if j > i && (title_span(context, j, end).is_some() || is_name_stop_word(word) || context.is_starter(j)) {
                break;
            }
            last_capitalized = j;
            let possessive = strip_possessive(word).len() != word.len();
            j += 1;
            if possessive {
                break;
            }
            continue;
        }
        if let Some(capital) = after_particles(context, j, end) {
            j = capital;
            continue;
        }
        break;
    }
    last_capitalized + 1
}

/// The prose of tokens `start..end` when they are in one block with a single space between
/// each two: what joining their texts with spaces would build.
fn single_spaced<'c>(context: &'c Context<'_>, start: usize, end: usize) -> Option<&'c str> {
    let first = &context.tokens[start];
    let prose = &context.blocks[first.block as usize].prose;
    let mut last_end = first.prose.end();
    for token in &context.tokens[start + 1..end] {
        if token.block != first.block || token.prose.start() != last_end + 1 || prose.as_bytes()[last_end] != b' ' {
            return None;
        }
        last_end = token.prose.end();
    }
    prose.get(first.prose.start()..last_end)
}

/// The candidate named by the run of name words `start..run_end` ([`name_run_end`] of `start`)
/// in a sentence ending before token `end`.
#[allow(clippy::too_many_arguments)]
fn name_candidate(
    context: &Context<'_>,
    sentence_idx: u32,
    sentence: &Sentence,
    start: usize,
    run_end: usize,
    end: usize,
    title: Option<TitleRef>,
    in_quote: &dyn Fn(TextRange) -> bool,
) -> Option<Candidate> {
    let lex = lexicon();
    if run_end <= start {
        return None;
    }
    // "Washington Chris Gregoire" (after "Governor of"): places before a given name are not
    // part of the name.
    let start = (start + 1..run_end.saturating_sub(1))
        .find(|&k| {
            context.tokens[k].has(WORD_GIVEN_NAME)
                && (start..k).all(|t| context.tokens[t].has(WORD_PLACE) || context.tokens[t].has(WORD_ORG))
        })
        .unwrap_or(start);
    // Only the last word can carry a possessive: the run ends after one. The words sit on the
    // stack unless the run is long.
    let mut stack = [""; 8];
    let mut heap = Vec::new();
    let words: &mut [&str] = if run_end - start <= stack.len() {
        &mut stack[..run_end - start]
    } else {
        heap.resize(run_end - start, "");
        &mut heap
    };
    for (word, t) in words.iter_mut().zip(start..run_end) {
        *word = context.text(t);
    }
    if words.len() == 1 && is_name_stop_word(words[0]) {
        return None;
    }
    let written_last = words[words.len() - 1];
    let last = strip_possessive(written_last);
    let n = words.len();
    words[n - 1] = last;
    let words: &[&str] = words;
    let joined;
    let text: &str = match single_spaced(context, start, run_end) {
        // The words joined by single spaces are the prose itself.
        Some(prose) => &prose[..prose.len() - (written_last.len() - last.len())],
        None => {
            joined = words.join(" ");
            &joined
        }
    };
    let first_token = &context.tokens[start];
    let last_token = &context.tokens[run_end - 1];
    let name_end = last_token.range.end() - (written_last.len() - last.len());
    let name = TextRange::new(first_token.range.start(), name_end);

    // Organization: ends with an organization word, or starts with one (Ministry of ...).
    let all_places = (start..run_end).all(|t| context.tokens[t].has(WORD_PLACE));
    let person_like_org = words.len() >= 2
        && lex.person_like_org_first_words.contains(words[0])
        && (lex.person_like_orgs.contains(&text.to_lowercase())
            || (words.len() > 2 && lex.person_like_orgs.contains(&words[..2].join(" ").to_lowercase())));
    // Asked only of a name with no title (a titled name is not an organization), and the
    // place-name lookup, which joins the words, last.
    let is_org = || {
        all_places
            || person_like_org
            || (start..run_end).any(|t| context.tokens[t].has(WORD_ORG) && lex.is_org_word(context.text(t)))
            || words
                .iter()
                .all(|w| w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) && w.len() > 1)
            || (words.len() > 1
                && (start..run_end).any(|t| context.tokens[t].has(WORD_PLACE | WORD_PLACE_PART))
                && lex.is_place_name(words))
    };
    let (title, courtesy) = match title {
        Some(title) if title.kind == TitleKind::Courtesy => (None, Some(title)),
        other => (other, None),
    };
    let given_name = words.len() >= 2 && context.tokens[start].has(WORD_GIVEN_NAME) && !person_like_org;
    let mut strong_evidence = title.is_some() || courtesy.is_some();
    let mut title = title;
    if let Some(appositive) = apposition_after(context, run_end, end) {
        strong_evidence = true;
        if title.is_none() {
            title = Some(appositive);
        }
    } else if age_after(context, run_end, end) {
        strong_evidence = true;
    }
    // Organizations speak too ("Microsoft said"), so speech is evidence only for a full name.
    let speaks = speech_nearby(context, sentence, start, run_end);
    let evidence = strong_evidence || given_name || (words.len() >= 2 && speaks);
    let kind = if title.is_none() && courtesy.is_none() && is_org() {
        EntityKind::Organization
    } else if evidence {
        EntityKind::Person
    } else {
        EntityKind::Unknown
    };
    // A particle's token carries the lexicon's flag (its text, or with a possessive removed,
    // is the particle): the flag settles most words without comparing them with each particle.
    let n_words = words
        .iter()
        .zip(start..run_end)
        .filter(|&(w, t)| !(context.tokens[t].has(WORD_PARTICLE) && PARTICLES.contains(w)))
        .count();
    let mut candidate = Candidate {
        mention: Mention {
            name,
            text: text.into(),
            tokens: start..run_end,
            title,
            courtesy,
            form: if n_words >= 2 {
                NameForm::Full
            } else {
                NameForm::Surname
            },
            kind,
            person: None,
            before_full: false,
            ambiguous: false,
            sentence: sentence_idx,
            block: sentence.block,
            in_quote: in_quote(name),
        },
        evidence,
        strong_evidence,
        speaks,
        n_words,
        fingerprint: 0,
    };
    if context.fingerprints {
        candidate.fingerprint = fingerprint(&candidate);
    }
    Some(candidate)
}

/// Speech verbs that are also common plural nouns ("recent reports"): no evidence alone.
const NOUN_LIKE_VERBS: &[&str] = &[
    "reports",
    "claims",
    "notes",
    "posts",
    "states",
    "tweets",
    "answers",
    "charges",
    "points",
    "protests",
    "objects",
    "promises",
    "pledges",
    "estimates",
    "thoughts",
    "says",
];

/// Verbs that take the speaker after them in inverted attribution ("said Smith"). Each is in
/// `speech_verbs.txt` (a test checks).
const INVERTED_SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "added",
    "wrote",
    "continued",
    "explained",
    "recalled",
    "noted",
    "replied",
];

/// "Smith said", "said Smith", "according to Smith", "Smith told".
fn speech_nearby(context: &Context<'_>, sentence: &Sentence, start: usize, run_end: usize) -> bool {
    if run_end < sentence.tokens.end && context.is_word(run_end) {
        let verb = context.text(run_end);
        if context.tokens[run_end].has(WORD_SPEECH_VERB) && (!NOUN_LIKE_VERBS.contains(&verb) || verb == "says") {
            return true;
        }
    }
    if start > sentence.tokens.start {
        let prev = start - 1;
        // Every inverted speech verb is a lexicon speech verb: the flag rules out most words.
        if context.is_word(prev)
            && context.tokens[prev].has(WORD_SPEECH_VERB)
            && INVERTED_SPEECH_VERBS.contains(&context.text(prev))
        {
            return true;
        }
        if prev > sentence.tokens.start
            && context.text(prev) == "to"
            && context.text(prev - 1).eq_ignore_ascii_case("according")
        {
            return true;
        }
    }
    false
}

/// ", the foreign minister," or ", South Korea’s foreign minister," after a name. The
/// appositive must end at a comma or the sentence end within a dozen words.
#[inline]
fn apposition_after(context: &Context<'_>, run_end: usize, end: usize) -> Option<TitleRef> {
    // Most names are followed by no comma: settled here, without a call.
    if run_end + 1 >= end || !context.is_punct(run_end, ",") {
        return None;
    }
    appositive_after_comma(context, run_end, end)
}

/// [`apposition_after`] for a name followed by a comma at token `run_end`.
fn appositive_after_comma(context: &Context<'_>, run_end: usize, end: usize) -> Option<TitleRef> {
    let phrase_start = run_end + 1;
    // The phrase is looked for no further than its longest: a phrase that runs on is none.
    let limit = end.min(phrase_start + 13);
    let phrase_end = (phrase_start..limit)
        .find(|&t| context.tokens[t].kind == TokenKind::Punct && !matches!(context.text(t), "-" | "’" | "'"))
        .unwrap_or(limit);
    if phrase_end - phrase_start > 12 {
        return None;
    }
    if phrase_end < end && !matches!(context.text(phrase_end), "," | "." | ";" | ")" | "—" | "–") {
        return None;
    }
    let mut i = phrase_start;
    let limit = (i + 6).min(phrase_end);
    while i < limit {
        if !context.is_word(i) {
            return None;
        }
        if let Some((mut title, _)) = match_title(context, i, phrase_end)
            && title.kind != TitleKind::Courtesy
        {
            title.position = TitlePosition::Apposition;
            title.qualifier = qualifier_before(context, i, phrase_start);
            return Some(title);
        }
        i += 1;
    }
    None
}

/// "Montalvo, 19," gives an age: a person.
#[inline]
fn age_after(context: &Context<'_>, run_end: usize, end: usize) -> bool {
    run_end + 2 < end
        && context.is_punct(run_end, ",")
        && context.tokens[run_end + 1].kind == TokenKind::Number
        && context.text(run_end + 1).len() <= 3
        && context.is_punct(run_end + 2, ",")
}

/// Links mentions into people: full names first, then surnames and given names to them.
fn link(mut candidates: Vec<Candidate>) -> Links {
    let lex = lexicon();
    let mut people: Vec<Person> = Vec::new();
    let mut evidence: Vec<bool> = Vec::new();
    // Keyed by the bytes of [`key`]: a lookup lowercases into a buffer
    // ([`with_lowercase_bytes`]) and need not check that the result is UTF-8.
    let mut by_full: HashMap<Vec<u8>, u32> = HashMap::default();
    let mut by_surname: HashMap<Vec<u8>, Vec<u32>> = HashMap::default();
    let mut by_given: HashMap<Vec<u8>, Vec<u32>> = HashMap::default();
    // Linking sets its decisions on the candidates where they are, and moves only the mentions
    // it keeps, once, at the end: a candidate is large, and moving each into a list of mentions
    // and again into the kept list copied it twice more.
    // Pass 1: full names make people. Names are looked up in lowercase ([`key`]) without
    // allocating, both maps with one lowercasing; a key is built only to insert it.
    for (mention_idx, candidate) in candidates.iter_mut().enumerate() {
        let mention = &mut candidate.mention;
        // Only a full name can make a person here: a single name is looked up in pass 2.
        let full_name = candidate.n_words >= 2 && mention.kind != EntityKind::Organization;
        let (surname_of_earlier, known) = if full_name {
            with_lowercase_bytes(&mention.text, |lower| {
                (
                    by_surname.get(lower).is_some_and(|ids| !ids.is_empty()),
                    by_full.get(lower).copied(),
                )
            })
        } else {
            (false, None)
        };
        if full_name && !surname_of_earlier {
            let person_idx = known.unwrap_or_else(|| {
                let text: &str = &mention.text;
                let words: Vec<&str> = text.split(' ').collect();
                let family_first = lex.east_asian_surnames.contains(words[0]) && words.len() <= 3;
                people.push(Person {
                    full_name: text.to_string(),
                    surname: surname_of(text, &words, family_first).to_string(),
                    kind: EntityKind::Unknown,
                    mentions: Vec::new(),
                    first_full: None,
                });
                evidence.push(false);
                let idx = (people.len() - 1) as u32;
                for source in surname_key_sources(text, &words, family_first) {
                    if source.is_empty() {
                        continue;
                    }
                    let ids = by_surname.entry(key_bytes(source)).or_default();
                    if !ids.contains(&idx) {
                        ids.push(idx);
                    }
                }
                if !family_first && words.len() >= 2 && !PARTICLES.contains(&words[0]) && words[0].chars().count() > 2 {
                    by_given.entry(key_bytes(words[0])).or_default().push(idx);
                }
                by_full.insert(key_bytes(text), idx);
                idx
            });
            mention.person = Some(person_idx);
            mention.form = NameForm::Full;
            let person = &mut people[person_idx as usize];
            if person.first_full.is_none() {
                person.first_full = Some(mention_idx as u32);
            }
            evidence[person_idx as usize] |= candidate.evidence;
        }
    }
    // Surnames of people named in full, by folded initial, for spotting misspellings.
    let mut surnames_by_initial: HashMap<char, Vec<String>> = HashMap::default();
    for person in people.iter().filter(|p| p.full_name.contains(' ')) {
        let list = surnames_by_initial.entry(initial(&person.surname)).or_default();
        if !list.contains(&person.surname) {
            list.push(person.surname.clone());
        }
    }
    // Pass 2: single names link to a person with that surname (or given name).
    let mut keep = vec![true; candidates.len()];
    // The people a single name may be, in a list reused from name to name.
    let mut matches: Vec<u32> = Vec::new();
    for (idx, candidate) in candidates.iter_mut().enumerate() {
        let mention = &mut candidate.mention;
        if mention.person.is_some() {
            continue;
        }
        matches.clear();
        let form = with_lowercase_bytes(&mention.text, |name_key| {
            match (by_surname.get(name_key), by_given.get(name_key)) {
                (Some(ids), _) => {
                    matches.extend_from_slice(ids);
                    NameForm::Surname
                }
                (None, Some(ids)) if mention.title.is_none() && mention.courtesy.is_none() => {
                    matches.extend_from_slice(ids);
                    NameForm::Given
                }
                _ => NameForm::Surname,
            }
        });
        if matches.is_empty() {
            // A speaking single name one or two letters from a known surname is a person too:
            // most likely the same person misspelled, which `inconsistent-name` reports.
            let misspelled_surname = !candidate.strong_evidence
                && candidate.speaks
                && surnames_by_initial
                    .get(&initial(&mention.text))
                    .is_some_and(|surnames| {
                        surnames.iter().any(|surname| {
                            surname.len().abs_diff(mention.text.len()) <= 2
                                && super::variants::spelling_variant(surname, &mention.text)
                        })
                    });
            if candidate.strong_evidence || misspelled_surname {
                // A titled or speaking single name with no full name in the draft: its own person.
                let name_key = key_bytes(&mention.text);
                let person_idx = *by_full.entry(name_key.clone()).or_insert_with(|| {
                    people.push(Person {
                        full_name: mention.text.to_string(),
                        surname: mention.text.to_string(),
                        kind: EntityKind::Person,
                        mentions: Vec::new(),
                        first_full: None,
                    });
                    evidence.push(true);
                    (people.len() - 1) as u32
                });
                by_surname.entry(name_key).or_default().push(person_idx);
                mention.person = Some(person_idx);
            } else {
                keep[idx] = false;
            }
            continue;
        }
        // The nearest person introduced before this mention; else the first introduced after it.
        let chosen = matches
            .iter()
            .copied()
            .filter(|&p| people[p as usize].first_full.is_some_and(|f| (f as usize) < idx))
            .max_by_key(|&p| people[p as usize].first_full)
            .or_else(|| matches.iter().copied().min_by_key(|&p| people[p as usize].first_full));
        let Some(person_idx) = chosen else {
            keep[idx] = false;
            continue;
        };
        mention.person = Some(person_idx);
        mention.form = form;
        mention.ambiguous = matches.len() > 1;
        mention.before_full = people[person_idx as usize]
            .first_full
            .is_some_and(|f| (f as usize) > idx);
        evidence[person_idx as usize] |= candidate.evidence;
    }
    let mut mentions = Vec::with_capacity(candidates.len());
    let mut origin: Vec<u32> = Vec::with_capacity(candidates.len());
    for (idx, (candidate, keep)) in candidates.into_iter().zip(keep).enumerate() {
        if keep {
            mentions.push(candidate.mention);
            origin.push(idx as u32);
        }
    }
    for person in &mut people {
        person.mentions.clear();
        person.first_full = None;
    }
    for (idx, mention) in mentions.iter().enumerate() {
        if let Some(person_idx) = mention.person {
            let person = &mut people[person_idx as usize];
            person.mentions.push(idx as u32);
            if mention.form == NameForm::Full && person.first_full.is_none() {
                person.first_full = Some(idx as u32);
            }
        }
    }
    for (person, has_evidence) in people.iter_mut().zip(&evidence) {
        if *has_evidence {
            person.kind = EntityKind::Person;
        }
    }
    for mention in &mut mentions {
        if let Some(person_idx) = mention.person
            && mention.kind != EntityKind::Organization
        {
            mention.kind = people[person_idx as usize].kind;
        }
    }
    let decisions = mentions
        .iter()
        .zip(origin)
        .map(|(mention, candidate)| Decision {
            candidate,
            person: mention.person,
            form: mention.form,
            kind: mention.kind,
            ambiguous: mention.ambiguous,
            before_full: mention.before_full,
        })
        .collect();
    (mentions, people, decisions)
}

/// The last `count` of a name's `words`, as `text` (the words joined by single spaces) has them.
fn last_words<'t>(text: &'t str, words: &[&str], count: usize) -> &'t str {
    let tail = &words[words.len() - count..];
    let len = tail.iter().map(|word| word.len()).sum::<usize>() + count - 1;
    &text[text.len() - len..]
}

/// How many words the surname of a given-name-first name has: the last word, with particles
/// before it (Ursula von der Leyen: von der Leyen).
fn surname_len(words: &[&str]) -> usize {
    let mut start = words.len() - 1;
    while start > 1 && PARTICLES.contains(&words[start - 1]) {
        start -= 1;
    }
    words.len() - start
}

/// The surname of the full name `text`, whose words are `words`: the first word in East Asian
/// order (`family_first`), else the last with the particles before it.
fn surname_of<'t>(text: &'t str, words: &[&'t str], family_first: bool) -> &'t str {
    if family_first {
        words[0]
    } else {
        last_words(text, words, surname_len(words))
    }
}

/// What a bare surname of the full name `text` (whose words are `words`) may be, before
/// lowercasing ([`key`]): in East Asian order the first word; else the last word, the surname
/// with its particles (von der Leyen), and the last two words (Spanish compound surnames:
/// López Obrador). An empty string stands for a key the name does not have.
fn surname_key_sources<'t>(text: &'t str, words: &[&'t str], family_first: bool) -> [&'t str; 3] {
    if family_first {
        return [words[0], "", ""];
    }
    let n = words.len();
    let surname_words = surname_len(words);
    let with_particles = if surname_words > 1 {
        last_words(text, words, surname_words)
    } else {
        ""
    };
    let compound = if n >= 3 && !PARTICLES.contains(&words[n - 2]) {
        last_words(text, words, 2)
    } else {
        ""
    };
    [words[n - 1], with_particles, compound]
}

/// The bytes of [`key`], built with one allocation.
fn key_bytes(name: &str) -> Vec<u8> {
    if name.is_ascii() {
        name.as_bytes().to_ascii_lowercase()
    } else {
        key(name).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use crate::Document;

    /// `speech_nearby` asks the lexicon's flag before comparing a word with these.
    #[test]
    fn inverted_speech_verbs_are_speech_verbs() {
        for verb in super::INVERTED_SPEECH_VERBS {
            assert!(
                super::lexicon().word_info(verb) & super::WORD_SPEECH_VERB != 0,
                "{verb}"
            );
        }
    }

    /// A text with titles of every form (in several cases, with periods and possessives),
    /// names after them and alone, particles, and words that stand alone.
    fn title_and_name_text() -> String {
        let mut text = String::new();
        for line in include_str!("../data/titles.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            let (full, rest) = line.split_once('=').unwrap_or((line, ""));
            let forms = std::iter::once(full.trim()).chain(rest.split(',').map(str::trim));
            for form in forms.filter(|form| !form.is_empty()) {
                for written in [form.to_string(), form.to_uppercase(), form.to_lowercase()] {
                    text.push_str(&format!(
                        "{written} Maria Ortiz said. The {written}'s aide, {written}. Critics of \
                         {written}’s office, {written} van der Berg, and {written}.. Lee Jae-sun's \
                         plan. "
                    ));
                }
            }
            text.push('\n');
        }
        text.push_str(
            "Ursula von der Leyen spoke. The CEO, Maria, said: Juan Carlos de la Vega’s plan. Tuesday's \
             meeting, Smith, 19, said. Mr.  Lee’s and Ms. Jones' words. chief Executive Officer Ana said.\n",
        );
        text
    }

    /// `lexicon_title_at` as it was before it skipped comparing a form's first word: every form
    /// with that first word compared word by word.
    fn lexicon_title_at_in_full(context: &super::Context<'_>, i: usize, end: usize) -> Option<(String, usize)> {
        fn matches(written: &str, lexicon_word: &str, last: bool) -> bool {
            let written = if last {
                super::strip_possessive(written)
            } else {
                written
            };
            let a = written.trim_end_matches('.');
            let b = lexicon_word.trim_end_matches('.');
            if a.is_ascii() {
                return a.len() == b.len() && a.as_bytes().eq_ignore_ascii_case(b.as_bytes());
            }
            a.len() >= b.len() && a.chars().flat_map(char::to_lowercase).eq(b.chars())
        }
        let first = super::strip_possessive(context.text(i).trim_end_matches('.'));
        if !first.starts_with(char::is_alphabetic) {
            return None;
        }
        let forms = super::lexicon().titles_by_first_word.get(first)?;
        'forms: for form in forms {
            let mut idx = i;
            for (n, word) in form.words.iter().enumerate() {
                if idx >= end || !context.is_word(idx) || !matches(context.text(idx), word, n + 1 == form.words.len()) {
                    continue 'forms;
                }
                idx += 1;
            }
            return Some((form.words.join(" "), idx));
        }
        None
    }

    /// The fast paths of `lexicon_title_at` and `name_run_end` give what the general ones give.
    #[test]
    fn title_and_name_run_fast_paths_agree_with_the_general_ones() {
        let doc = Document::new(title_and_name_text());
        let context = super::Context {
            blocks: &doc.blocks,
            tokens: &doc.tokens,
            fingerprints: false,
        };
        let (mut titles, mut runs) = (0, 0);
        for sentence in &doc.sentences {
            let end = sentence.tokens.end;
            for i in sentence.tokens.clone() {
                if context.may_start_title(i) {
                    for end in [end, (i + 1).min(end), (i + 2).min(end)] {
                        let fast =
                            super::lexicon_title_at(&context, i, end).map(|(form, idx)| (form.words.join(" "), idx));
                        assert_eq!(
                            fast,
                            lexicon_title_at_in_full(&context, i, end),
                            "at {:?}",
                            context.text(i)
                        );
                        titles += usize::from(fast.is_some());
                    }
                }
                if context.is_capitalized(i) || context.tokens[i].has(super::WORD_PARTICLE) {
                    let fast = super::name_run_end(&context, i, end);
                    assert_eq!(
                        fast,
                        super::name_run_end_general(&context, i, end),
                        "at {:?}",
                        context.text(i)
                    );
                    runs += usize::from(fast > i + 1);
                }
            }
        }
        assert!(titles > 1000 && runs > 500, "{titles} titles, {runs} runs");
    }

    /// The title table's fast path counts on lowercase ASCII forms.
    #[test]
    fn title_forms_are_ascii() {
        assert!(include_str!("../data/titles.txt").is_ascii());
    }

    #[test]
    fn trim_periods_trims_as_trim_end_matches_does() {
        for word in ["", ".", "..", "Sen.", "Lt.Gov..", "Mr", "Müller.", ".a.", "é."] {
            assert_eq!(super::trim_periods(word), word.trim_end_matches('.'));
        }
    }

    /// A name's text is its words joined by single spaces, possessive removed, whether the
    /// draft writes them with one space (taken from the prose as it is) or otherwise.
    #[test]
    fn name_text_is_the_words_joined_by_single_spaces() {
        let doc = Document::new(
            "Foreign Minister Lee Jae-sun spoke. Sen. Maria  Ortiz’s aide said so. Ana\nReyes said \
             nothing. Mr. Juan Carlos de la Vega's plan, said Ursula von der Leyen.\n",
        );
        let texts: Vec<&str> = doc.mentions().iter().map(|mention| &*mention.text).collect();
        for name in [
            "Lee Jae-sun",
            "Maria Ortiz",
            "Ana Reyes",
            "Juan Carlos de la Vega",
            "Ursula von der Leyen",
        ] {
            assert!(texts.contains(&name), "{name} not in {texts:?}");
        }
        for mention in doc.mentions() {
            let words: Vec<&str> = mention.tokens.clone().map(|t| doc.token_text(&doc.tokens[t])).collect();
            let last = super::strip_possessive(words[words.len() - 1]);
            let mut expected = words[..words.len() - 1].join(" ");
            if words.len() > 1 {
                expected.push(' ');
            }
            expected.push_str(last);
            assert_eq!(&*mention.text, expected);
        }
    }
}
