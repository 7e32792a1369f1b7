//! Word lists shipped with the crate as data (`src/data/*.txt`), parsed once on first use.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

/// What kind of title a lexicon entry is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TitleKind {
    /// A formal title of office: President, Foreign Minister, Sen.; capitalized before a name.
    Formal,
    /// A job description: chief executive, coach, spokeswoman; lowercase in AP style.
    Occupational,
    /// A courtesy title: Mr., Ms., Dr.
    Courtesy,
}

/// One spelling of a title, e.g. `Sen.` for `Senator`.
#[derive(Clone, Debug)]
pub struct TitleForm {
    /// Lowercase words of this spelling, periods kept (`["lt.", "gov."]`).
    pub words: Vec<String>,
    /// The full form all spellings share, as written in the lexicon (`Lieutenant Governor`).
    pub canonical: &'static str,
    pub kind: TitleKind,
    pub abbreviated: bool,
}

/// What the lexicon knows about a word, as bit flags: see the `WORD_*` constants.
///
/// Bits 0-15 describe names, titles and sentence structure; bits 16-27 are word classes
/// (verb, noun, adjective ...) for the fragment rules; bit 28 marks the indefinite articles;
/// bits 29-31 are free.
pub type WordInfo = u32;

/// A function word that commonly starts a sentence (the, but, however).
pub const WORD_STARTER: WordInfo = 1 << 0;
/// May be the first word of a title (president, foreign, sen).
pub const WORD_TITLE_START: WordInfo = 1 << 1;
/// Makes a capitalized name an organization or thing (Ministry, Corp).
pub const WORD_ORG: WordInfo = 1 << 2;
/// A place or nationality (Korea, Korean, Texas).
pub const WORD_PLACE: WordInfo = 1 << 3;
/// A verb of speech or writing (said, told, wrote).
pub const WORD_SPEECH_VERB: WordInfo = 1 << 4;
/// A family name written first (Lee, Xi, Nguyen).
pub const WORD_EAST_ASIAN_SURNAME: WordInfo = 1 << 5;
/// An abbreviation that never ends a sentence (Mr, Sen).
pub const WORD_ABBREV_TITLE: WordInfo = 1 << 6;
/// A month abbreviation (Jan, Sept).
pub const WORD_ABBREV_MONTH: WordInfo = 1 << 7;
/// An abbreviation before a number (No, Fig).
pub const WORD_ABBREV_NUMBER: WordInfo = 1 << 8;
/// An abbreviation that may end a sentence (Inc, Jr).
pub const WORD_ABBREV_AMBIGUOUS: WordInfo = 1 << 9;
/// A lowercase particle inside a name (von, de, bin, al).
pub const WORD_PARTICLE: WordInfo = 1 << 10;
/// A given name (Maria, Kwame, Volodymyr).
pub const WORD_GIVEN_NAME: WordInfo = 1 << 11;
/// A word of a multiword place name (Los of Los Angeles, Hong of Hong Kong).
pub const WORD_PLACE_PART: WordInfo = 1 << 12;
/// The first word of a form in `spellings.txt` (US, Kiev, e-mail, per), or its plural.
pub const WORD_SPELLING_FORM: WordInfo = 1 << 13;
/// Set by the tokenizer, not the lexicon: the word starts with an uppercase letter.
pub const WORD_CAPITALIZED: WordInfo = 1 << 14;
/// The bits the lexicon knows of a word: all but those the tokenizer sets.
pub const WORD_KNOWN: WordInfo = !WORD_CAPITALIZED;

// Word classes (bits 16-27), from WordNet (`src/data/wordclass.txt`) and the hand-written
// function words (`src/data/function_words.txt`). A word has every class it may take.

/// May be a noun (council, vote) or a noun plural (councils).
pub const WORD_NOUN: WordInfo = 1 << 16;
/// May be a verb in its base form (say, report, vote).
pub const WORD_VERB: WordInfo = 1 << 17;
/// May be an inflected verb: -s, past, participle or -ing (says, said, reported, voting).
pub const WORD_VERB_FORM: WordInfo = 1 << 18;
/// May be an adjective (foreign, federal).
pub const WORD_ADJECTIVE: WordInfo = 1 << 19;
/// May be an adverb (not, later, anymore).
pub const WORD_ADVERB: WordInfo = 1 << 20;
/// An auxiliary or modal, contractions included (is, had, will, can't, it's).
pub const WORD_AUXILIARY: WordInfo = 1 << 21;
/// A pronoun (he, them, something, who).
pub const WORD_PRONOUN: WordInfo = 1 << 22;
/// A determiner (the, a, this, every).
pub const WORD_DETERMINER: WordInfo = 1 << 23;
/// A preposition (of, in, after).
pub const WORD_PREPOSITION: WordInfo = 1 << 24;
/// A conjunction (and, but, because).
pub const WORD_CONJUNCTION: WordInfo = 1 << 25;
/// An answer or interjection that may stand alone as a sentence (yes, no, okay).
pub const WORD_INTERJECTION: WordInfo = 1 << 26;
/// Any reading that can carry a clause: a verb, an inflected verb or an auxiliary.
pub const WORD_ANY_VERB: WordInfo = WORD_VERB | WORD_VERB_FORM | WORD_AUXILIARY;
/// Closed-class words.
pub const WORD_FUNCTION: WordInfo =
    WORD_AUXILIARY | WORD_PRONOUN | WORD_DETERMINER | WORD_PREPOSITION | WORD_CONJUNCTION | WORD_INTERJECTION;
/// "a" or "an" in any case: the article rule finds them by this flag alone.
pub const WORD_INDEFINITE_ARTICLE: WordInfo = 1 << 28;

pub struct Lexicon {
    /// Word information for lowercase ASCII words of up to eight bytes, packed into a `u64`.
    short_words: ShortWords,
    /// Word information keyed by the lowercase word (no final period, no possessive).
    words: HashMap<Box<[u8]>, WordInfo>,
    /// The title forms by their first word (no final period), longest first.
    pub titles_by_first_word: WordMap<Vec<TitleForm>>,
    pub org_words: HashSet<&'static str>,
    pub starters: HashSet<&'static str>,
    pub abbreviations: HashMap<&'static str, AbbreviationClass>,
    pub east_asian_surnames: HashSet<&'static str>,
    pub speech_verbs: HashSet<&'static str>,
    /// Place names and nationality words; multiword entries joined by single spaces.
    pub places: HashSet<&'static str>,
    /// Organizations whose names look like people's, lowercase ("morgan stanley").
    pub person_like_orgs: HashSet<String>,
    /// The first words of [`Lexicon::person_like_orgs`], lowercase.
    pub person_like_org_first_words: WordMap<()>,
}

/// How an abbreviation that ends in a period behaves at a possible sentence end.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AbbreviationClass {
    /// Always followed by a name: `Mr.`, `Sen.`.
    Title,
    /// A month, followed by a day or year.
    Month,
    /// Followed by a number: `No. 5`.
    Number,
    /// May end a sentence: `Inc.`, `Jr.`, `U.S.`.
    Ambiguous,
}

pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build)
}

/// Packs up to eight bytes into a `u64`, little-endian, zero-padded. Two overlapping loads
/// of a fixed width cover every length (a copy of a variable length would call `memcpy`).
fn pack(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    debug_assert!(len <= 8);
    let load = |width: usize| {
        let mut buf = [0u8; 8];
        buf[..width].copy_from_slice(&bytes[..width]);
        let low = u64::from_le_bytes(buf);
        buf[..width].copy_from_slice(&bytes[len - width..]);
        low | u64::from_le_bytes(buf) << (8 * (len - width))
    };
    match len {
        0 => 0,
        1 => u64::from(bytes[0]),
        2..=3 => load(2),
        4..=7 => load(4),
        _ => load(8),
    }
}

/// Packs up to eight ASCII bytes, lowercased. Callers pass ASCII only: a byte from 0xC1 up
/// would carry into its neighbour.
fn pack_lower(bytes: &[u8]) -> u64 {
    debug_assert!(bytes.is_ascii());
    let packed = pack(bytes);
    // Lowercase the eight bytes at once. For an ASCII byte `b`, `b + 0x3f` has its top bit
    // set when `b >= b'A'`, and `b + 0x25` when `b > b'Z'`; no sum carries into the next byte.
    const ONES: u64 = 0x0101_0101_0101_0101;
    let ascii = !packed & (ONES * 0x80);
    let upper = packed.wrapping_add(ONES * 0x3f) & !packed.wrapping_add(ONES * 0x25) & ascii;
    packed | (upper >> 2)
}

/// `word` lowercased and packed into a `u64` ([`pack_lower`]) when it is one to eight ASCII
/// bytes: a key for a table of short words that needs no string hashed or compared.
#[inline]
fn packed_ascii_lowercase(word: &[u8]) -> Option<u64> {
    (!word.is_empty() && word.len() <= 8 && word.is_ascii()).then(|| pack_lower(word))
}

/// Values keyed by a lowercase word, looked up in any case. A word of up to eight ASCII
/// bytes, as most are, is found by its packed lowercase form, without hashing a string.
pub struct WordMap<V> {
    short: HashMap<u64, V>,
    long: HashMap<String, V>,
}

impl<V> WordMap<V> {
    /// The map of `entries`, whose words are lowercase.
    fn new(entries: impl IntoIterator<Item = (String, V)>) -> WordMap<V> {
        let mut map = WordMap {
            short: HashMap::default(),
            long: HashMap::default(),
        };
        for (word, value) in entries {
            match packed_ascii_lowercase(word.as_bytes()) {
                Some(key) => map.short.insert(key, value),
                None => map.long.insert(word, value),
            };
        }
        map
    }

    /// The value of `word` in any case.
    pub fn get(&self, word: &str) -> Option<&V> {
        match packed_ascii_lowercase(word.as_bytes()) {
            Some(key) => self.short.get(&key),
            None => super::mentions::with_lowercase(word, |lower| match packed_ascii_lowercase(lower.as_bytes()) {
                // A word that lowercases to short ASCII (a Kelvin sign for `k`).
                Some(key) => self.short.get(&key),
                None => self.long.get(lower),
            }),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.get(word).is_some()
    }
}

/// The short words' table: open addressing with linear probing, each key beside its
/// information in one 16-byte slot, so that finding a word reads one cache line, where a
/// general hash map reads a control group and then a bucket elsewhere. Half the slots at
/// least stay empty (key 0: no word packs to 0), so a probe sequence is short.
struct ShortWords {
    slots: Box<[(u64, WordInfo)]>,
    /// 64 minus the table's size in bits: the hash is the top bits of a multiplication.
    shift: u32,
}

impl ShortWords {
    fn new(words: &HashMap<u64, WordInfo>) -> ShortWords {
        let size = (words.len() * 2).next_power_of_two().max(16);
        let mut table = ShortWords {
            slots: vec![(0, 0); size].into_boxed_slice(),
            shift: 64 - size.trailing_zeros(),
        };
        for (&key, &info) in words {
            debug_assert_ne!(key, 0);
            let mut slot = table.home(key);
            while table.slots[slot].0 != 0 {
                slot = (slot + 1) & (size - 1);
            }
            table.slots[slot] = (key, info);
        }
        table
    }

    /// Where a key's probe sequence starts (Fibonacci hashing).
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn get(&self, key: u64) -> WordInfo {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(key);
        loop {
            let (stored, info) = self.slots[slot];
            if stored == key {
                return info;
            }
            if stored == 0 {
                return 0;
            }
            slot = (slot + 1) & mask;
        }
    }
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn build() -> Lexicon {
    let mut titles_by_first_word: HashMap<String, Vec<TitleForm>> = HashMap::default();
    let mut kind = TitleKind::Formal;
    for line in data_lines(include_str!("../data/titles.txt")) {
        match line {
            "[formal]" => kind = TitleKind::Formal,
            "[occupational]" => kind = TitleKind::Occupational,
            "[courtesy]" => kind = TitleKind::Courtesy,
            _ => {
                let (full, abbreviations) = match line.split_once('=') {
                    Some((full, rest)) => (full.trim(), rest.split(',').map(str::trim).collect()),
                    None => (line, Vec::new()),
                };
                let mut forms = vec![(full, false)];
                forms.extend(abbreviations.into_iter().map(|a| (a, true)));
                for (spelling, abbreviated) in forms {
                    let words: Vec<String> = spelling.split_whitespace().map(|w| w.to_lowercase()).collect();
                    let first = words[0].trim_end_matches('.').to_string();
                    titles_by_first_word.entry(first).or_default().push(TitleForm {
                        words,
                        canonical: full,
                        kind,
                        abbreviated,
                    });
                }
            }
        }
    }
    for forms in titles_by_first_word.values_mut() {
        forms.sort_by_key(|form| std::cmp::Reverse(form.words.len()));
    }
    let mut abbreviations = HashMap::default();
    let mut class = AbbreviationClass::Ambiguous;
    for line in data_lines(include_str!("../data/abbreviations.txt")) {
        match line {
            "[title]" => class = AbbreviationClass::Title,
            "[month]" => class = AbbreviationClass::Month,
            "[number]" => class = AbbreviationClass::Number,
            "[ambiguous]" => class = AbbreviationClass::Ambiguous,
            word => {
                abbreviations.insert(word, class);
            }
        }
    }
    let mut words: HashMap<Box<[u8]>, WordInfo> = HashMap::default();
    let mut add = |word: &str, flag: WordInfo| {
        let key = word
            .trim_end_matches('.')
            .to_lowercase()
            .into_bytes()
            .into_boxed_slice();
        *words.entry(key).or_default() |= flag;
    };
    for first in titles_by_first_word.keys() {
        add(first, WORD_TITLE_START);
    }
    for (word, class) in &abbreviations {
        add(
            word,
            match class {
                AbbreviationClass::Title => WORD_ABBREV_TITLE,
                AbbreviationClass::Month => WORD_ABBREV_MONTH,
                AbbreviationClass::Number => WORD_ABBREV_NUMBER,
                AbbreviationClass::Ambiguous => WORD_ABBREV_AMBIGUOUS,
            },
        );
    }
    for place in data_lines(include_str!("../data/places.txt")).filter(|w| w.contains(' ')) {
        for word in place.split(' ') {
            add(word, WORD_PLACE_PART);
        }
    }
    for line in data_lines(include_str!("../data/spellings.txt")) {
        for form in line.split('|') {
            if let Some(first) = form.split_whitespace().next() {
                add(first, WORD_SPELLING_FORM);
                add(&format!("{first}s"), WORD_SPELLING_FORM);
            }
        }
    }
    add("a", WORD_INDEFINITE_ARTICLE);
    add("an", WORD_INDEFINITE_ARTICLE);
    for particle in super::mentions::PARTICLES {
        add(particle, WORD_PARTICLE);
    }
    let lists: [(&'static str, WordInfo); 7] = [
        (include_str!("../data/given_names.txt"), WORD_GIVEN_NAME),
        (include_str!("../data/given_names_world.txt"), WORD_GIVEN_NAME),
        (include_str!("../data/starters.txt"), WORD_STARTER),
        (include_str!("../data/org_words.txt"), WORD_ORG),
        (include_str!("../data/east_asian_surnames.txt"), WORD_EAST_ASIAN_SURNAME),
        (include_str!("../data/speech_verbs.txt"), WORD_SPEECH_VERB),
        (include_str!("../data/places.txt"), WORD_PLACE),
    ];
    for (list, flag) in lists {
        for word in data_lines(list).filter(|w| !w.contains(' ')) {
            add(word, flag);
        }
    }
    let mut short_words: HashMap<u64, WordInfo> = words
        .iter()
        .filter(|(key, _)| key.len() <= 8 && key.is_ascii())
        .map(|(key, info)| (pack(key), *info))
        .collect();
    // Only longer or non-ASCII words are looked up in `words`.
    words.retain(|key, _| !(key.len() <= 8 && key.is_ascii()));
    add_word_classes(&mut short_words, &mut words);
    Lexicon {
        short_words: ShortWords::new(&short_words),
        words,
        titles_by_first_word: WordMap::new(titles_by_first_word),
        org_words: data_lines(include_str!("../data/org_words.txt")).collect(),
        starters: data_lines(include_str!("../data/starters.txt")).collect(),
        abbreviations,
        east_asian_surnames: data_lines(include_str!("../data/east_asian_surnames.txt")).collect(),
        speech_verbs: data_lines(include_str!("../data/speech_verbs.txt")).collect(),
        places: data_lines(include_str!("../data/places.txt")).collect(),
        person_like_orgs: data_lines(include_str!("../data/person_like_orgs.txt"))
            .map(str::to_lowercase)
            .collect(),
        person_like_org_first_words: WordMap::new(
            data_lines(include_str!("../data/person_like_orgs.txt"))
                .filter_map(|name| name.split_whitespace().next())
                .map(|word| (word.to_lowercase(), ())),
        ),
    }
}

/// Adds a flag to a lowercase word in the lookup tables.
fn insert_class(
    short_words: &mut HashMap<u64, WordInfo>,
    words: &mut HashMap<Box<[u8]>, WordInfo>,
    word: &str,
    flag: WordInfo,
) {
    if word.len() <= 8 && word.is_ascii() {
        *short_words.entry(pack(word.as_bytes())).or_default() |= flag;
    } else {
        *words.entry(Box::from(word.as_bytes())).or_default() |= flag;
    }
}

/// The word classes: WordNet's open classes with their regular inflections, and the function words.
fn add_word_classes(short_words: &mut HashMap<u64, WordInfo>, words: &mut HashMap<Box<[u8]>, WordInfo>) {
    let mut insert = |word: &str, flag: WordInfo| insert_class(short_words, words, word, flag);
    let mut classes = "";
    let mut buf = String::new();
    for line in data_lines(include_str!("../data/wordclass.txt")) {
        if let Some(section) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            classes = section;
            continue;
        }
        for word in line.split(' ') {
            for class in classes.bytes() {
                match class {
                    b'n' => {
                        insert(word, WORD_NOUN);
                        inflect::plurals(word, &mut buf, |form| insert(form, WORD_NOUN));
                    }
                    b'v' => {
                        insert(word, WORD_VERB);
                        inflect::verb_forms(word, &mut buf, |form| insert(form, WORD_VERB_FORM));
                    }
                    b'f' => insert(word, WORD_VERB_FORM),
                    b'a' => insert(word, WORD_ADJECTIVE),
                    b'r' => insert(word, WORD_ADVERB),
                    _ => {}
                }
            }
        }
    }
    let mut flag = 0;
    for line in data_lines(include_str!("../data/function_words.txt")) {
        flag = match line {
            "[aux]" => WORD_AUXILIARY,
            "[pronoun]" => WORD_PRONOUN,
            "[determiner]" => WORD_DETERMINER,
            "[preposition]" => WORD_PREPOSITION,
            "[conjunction]" => WORD_CONJUNCTION,
            "[interjection]" => WORD_INTERJECTION,
            _ => {
                for word in line.split_whitespace() {
                    insert(word, flag);
                    if word.contains('\'') {
                        insert(&word.replace('\'', "’"), flag);
                    }
                }
                flag
            }
        };
    }
}

/// Regular English inflections, generated from a lemma. WordNet's own lemmatizer (morphy)
/// strips these suffixes; generating them once when the lexicon loads keeps every lookup
/// to one hash probe. Irregular forms (said, stopped, children) come from the exception
/// lists in the data.
mod inflect {
    fn ends_with_consonant_y(word: &str) -> bool {
        let bytes = word.as_bytes();
        bytes.len() >= 2 && bytes[bytes.len() - 1] == b'y' && !b"aeiou".contains(&bytes[bytes.len() - 2])
    }

    fn sibilant(word: &str) -> bool {
        ["s", "x", "z", "ch", "sh"].iter().any(|end| word.ends_with(end))
    }

    fn emit(buf: &mut String, parts: [&str; 2], f: &mut impl FnMut(&str)) {
        buf.clear();
        buf.push_str(parts[0]);
        buf.push_str(parts[1]);
        f(buf);
    }

    /// Noun plurals: councils, taxes, cities, chairmen.
    pub fn plurals(noun: &str, buf: &mut String, mut f: impl FnMut(&str)) {
        if ends_with_consonant_y(noun) {
            emit(buf, [&noun[..noun.len() - 1], "ies"], &mut f);
        } else if sibilant(noun) {
            emit(buf, [noun, "es"], &mut f);
        } else if let Some(stem) = noun.strip_suffix("man") {
            emit(buf, [stem, "men"], &mut f);
            emit(buf, [noun, "s"], &mut f);
        } else {
            emit(buf, [noun, "s"], &mut f);
        }
    }

    /// Verb forms: -s, -ed and -ing (reports, reported, reporting; taxes, taxed, taxing;
    /// carries, carried, carrying; votes, voted, voting).
    pub fn verb_forms(verb: &str, buf: &mut String, mut f: impl FnMut(&str)) {
        if ends_with_consonant_y(verb) {
            let stem = &verb[..verb.len() - 1];
            emit(buf, [stem, "ies"], &mut f);
            emit(buf, [stem, "ied"], &mut f);
            emit(buf, [verb, "ing"], &mut f);
            return;
        }
        if sibilant(verb) || verb.ends_with('o') {
            emit(buf, [verb, "es"], &mut f);
        } else {
            emit(buf, [verb, "s"], &mut f);
        }
        if let Some(stem) = verb.strip_suffix("ie") {
            emit(buf, [verb, "d"], &mut f);
            emit(buf, [stem, "ying"], &mut f);
        } else if verb.ends_with("ee") || verb.ends_with("ye") || verb.ends_with("oe") {
            emit(buf, [verb, "d"], &mut f);
            emit(buf, [verb, "ing"], &mut f);
        } else if let Some(stem) = verb.strip_suffix('e') {
            emit(buf, [verb, "d"], &mut f);
            emit(buf, [stem, "ing"], &mut f);
        } else {
            emit(buf, [verb, "ed"], &mut f);
            emit(buf, [verb, "ing"], &mut f);
        }
    }
}

impl Lexicon {
    /// What the lexicon knows about a word, ignoring case, a final period and a possessive.
    pub fn word_info(&self, word: &str) -> WordInfo {
        let word = super::mentions::strip_possessive(word.trim_end_matches('.'));
        if word.is_empty() {
            0
        } else if word.is_ascii() {
            self.ascii_word_info(word.as_bytes())
        } else {
            self.words.get(word.to_lowercase().as_bytes()).copied().unwrap_or(0)
        }
    }

    /// The information for an ASCII word with no final period or possessive, lowercased
    /// without a copy on the heap: a word of up to eight bytes inside one `u64`, a longer one
    /// in a buffer.
    ///
    /// Inlined for the short words, the common case; the longer ones take a function of their
    /// own, whose stack buffer would cost the short ones a heavier prologue.
    #[inline]
    pub(super) fn ascii_word_info(&self, word: &[u8]) -> WordInfo {
        if word.len() <= 8 {
            self.short_words.get(pack_lower(word))
        } else {
            self.long_ascii_word_info(word)
        }
    }

    /// What is known of a word of one to eight ASCII letters and digits, given packed and
    /// lowercased (as [`pack_lower`] packs it).
    #[inline]
    pub(super) fn short_word_info(&self, key: u64) -> WordInfo {
        self.short_words.get(key)
    }

    #[inline(never)]
    fn long_ascii_word_info(&self, word: &[u8]) -> WordInfo {
        let mut buf = [0u8; 32];
        let mut long = Vec::new();
        let key = if word.len() <= buf.len() {
            &mut buf[..word.len()]
        } else {
            long.resize(word.len(), 0);
            &mut long[..]
        };
        key.copy_from_slice(word);
        key.make_ascii_lowercase();
        self.words.get(&*key).copied().unwrap_or(0)
    }

    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    pub fn is_speech_verb(&self, word: &str) -> bool {
        self.speech_verbs.contains(word)
    }

    pub fn is_org_word(&self, word: &str) -> bool {
        self.org_words.contains(word)
    }

    /// Whether a name is a place or nationality: every word is a place word, or the whole
    /// name (or its last two words) is a listed place.
    pub fn is_place_name(&self, words: &[&str]) -> bool {
        if words.is_empty() {
            return false;
        }
        if words.iter().all(|word| self.places.contains(word)) {
            return true;
        }
        if words.len() == 1 {
            return false;
        }
        let joined = words.join(" ");
        if self.places.contains(joined.as_str()) {
            return true;
        }
        words.len() >= 3 && self.places.contains(words[words.len() - 2..].join(" ").as_str())
    }

    /// The class of an abbreviation written without its final period (`Sen`, `Inc`).
    pub fn abbreviation(&self, word: &str) -> Option<AbbreviationClass> {
        self.abbreviations.get(word).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_agrees_with_a_byte_by_byte_copy() {
        let alphabet = b"aZ09'-.Mq";
        for len in 0..=8 {
            for seed in 0..200usize {
                let word: Vec<u8> = (0..len)
                    .map(|i| alphabet[(seed * 7 + i * 13 + seed / 3) % alphabet.len()])
                    .collect();
                let mut expected = [0u8; 8];
                expected[..len].copy_from_slice(&word);
                assert_eq!(pack(&word), u64::from_le_bytes(expected), "{word:?}");
                expected.make_ascii_lowercase();
                assert_eq!(pack_lower(&word), u64::from_le_bytes(expected), "{word:?}");
            }
        }
    }

    #[test]
    fn the_short_words_table_finds_what_the_map_holds_and_nothing_else() {
        // Keys that share low bits and high bits, so that probe sequences collide and wrap.
        let mut map = HashMap::default();
        for i in 1..5_000u64 {
            map.insert(i << 40 | (i % 7), i as WordInfo);
            map.insert(i, 1 << (i % 27));
        }
        let table = ShortWords::new(&map);
        assert!(table.slots.len() >= 2 * map.len());
        for (&key, &info) in &map {
            assert_eq!(table.get(key), info, "{key:#x}");
        }
        for absent in [u64::MAX, 5_000, 5_000 << 40, 0x7a7a_7a7a_7a7a_7a7a, 1 << 63] {
            assert!(!map.contains_key(&absent));
            assert_eq!(table.get(absent), 0, "{absent:#x}");
        }
        assert_eq!(lexicon().short_words.get(pack(b"zqzqzq")), 0);
        assert_ne!(lexicon().short_words.get(pack(b"said")) & WORD_SPEECH_VERB, 0);
    }

    fn has(word: &str, flag: WordInfo) -> bool {
        lexicon().word_info(word) & flag != 0
    }

    #[test]
    fn word_classes_come_with_their_inflections() {
        for verb in [
            "said",
            "says",
            "reported",
            "reporting",
            "votes",
            "voted",
            "carried",
            "stopped",
            "ran",
            "dying",
        ] {
            assert!(has(verb, WORD_VERB_FORM), "{verb}");
        }
        for verb in ["say", "report", "resume", "attack"] {
            assert!(has(verb, WORD_VERB), "{verb}");
        }
        for noun in [
            "council",
            "councils",
            "cities",
            "taxes",
            "chairmen",
            "children",
            "officials",
        ] {
            assert!(has(noun, WORD_NOUN), "{noun}");
        }
        assert!(has("foreign", WORD_ADJECTIVE) && !has("foreign", WORD_ANY_VERB));
        assert!(has("federal", WORD_ADJECTIVE) && !has("federal", WORD_ANY_VERB));
        assert!(has("anymore", WORD_ADVERB));
        // Rare verb readings of common nouns are left out.
        for noun in ["people", "police", "house", "table"] {
            assert!(has(noun, WORD_NOUN) && !has(noun, WORD_ANY_VERB), "{noun}");
        }
    }

    #[test]
    fn function_words_and_contractions() {
        assert!(has("The", WORD_DETERMINER));
        assert!(has("can't", WORD_AUXILIARY) && has("can’t", WORD_AUXILIARY));
        assert!(has("is", WORD_AUXILIARY) && has("of", WORD_PREPOSITION) && has("No", WORD_INTERJECTION));
        // Existing flags are kept alongside the classes.
        assert!(has("said", WORD_SPEECH_VERB) && has("said", WORD_VERB_FORM));
    }
}
