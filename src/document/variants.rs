//! One person spelled two ways: pairs of people in the mention model that are most likely
//! the same person, and how their names differ.
//!
//! Two people are taken for one when their names line up word for word and differ in one
//! word only, by a spelling variant: a dropped diacritic (Müller, Muller), an orthographic
//! variant of a given name (Antony, Anthony; Philip, Phillip; Catherine, Katherine), or a
//! family name or East Asian given name one or two letters apart (Jinping, Jingping), or when
//! the same words come in another order (Lee Jae-sun, Jae-sun Lee). Two names with different
//! given names (John Kennedy, Robert Kennedy) are two people.

use super::mentions::NameForm;
use super::{Document, EntityKind, Person};

/// How two spellings of one person differ.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum VariantKind {
    /// Only diacritics differ: Müller and Muller.
    Diacritics,
    /// The given name is spelled two ways: Antony and Anthony.
    GivenName,
    /// The family name is spelled two ways: Buchtmann and Bauchtman.
    Surname,
    /// The same words in another order: Lee Jae-sun and Jae-sun Lee.
    Order,
}

/// A person (`variant`) whose name is another spelling of an earlier person's (`canonical`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameVariant {
    /// Index into [`Document::people`] of the first-introduced spelling.
    pub canonical: u32,
    /// Index into [`Document::people`] of the other spelling.
    pub variant: u32,
    pub kind: VariantKind,
    /// For each word of the variant's full name, the canonical spelling (equal when unchanged).
    pub words: Vec<(String, String)>,
}

/// Folds a word for comparison: lowercase, Latin diacritics removed.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for ch in word.chars().flat_map(char::to_lowercase) {
        let base = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'č' | 'ĉ' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ğ' | 'ģ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
            'ķ' => "k",
            'ł' | 'ľ' | 'ļ' => "l",
            'ñ' | 'ń' | 'ň' | 'ņ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'ř' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ť' | 'ţ' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'ß' => "ss",
            'æ' => "ae",
            'œ' => "oe",
            '’' => "'",
            _ => {
                out.push(ch);
                continue;
            }
        };
        out.push_str(base);
    }
    out
}

/// A hash of a word as [`fold`] would write it, without allocating.
fn folded_hash(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    if word.is_ascii() {
        for byte in word.bytes() {
            hasher.write_u8(byte.to_ascii_lowercase());
        }
    } else {
        hasher.write(fold(word).as_bytes());
    }
    hasher.finish()
}

/// Whether two words are equal once folded, without allocating for ASCII words.
pub fn fold_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    fold(a) == fold(b)
}

/// Known spellings of one given name that no rule of letters explains.
const GIVEN_NAME_PAIRS: &[(&str, &str)] = &[
    ("antony", "anthony"),
    ("steven", "stephen"),
    ("jon", "john"),
    ("geoffrey", "jeffrey"),
    ("mohammed", "muhammad"),
    ("mohamed", "muhammad"),
    ("mohammad", "muhammad"),
    ("aleksandr", "alexander"),
    ("alexandr", "alexander"),
    ("sergei", "sergey"),
    ("yuri", "yury"),
    ("dmitri", "dmitry"),
    ("alexei", "alexey"),
    ("aleksei", "alexei"),
    ("volodymyr", "vladimir"),
    ("oleksandr", "alexander"),
    ("kateryna", "katerina"),
    ("mikhail", "michael"),
];

/// Whether two given names are spellings of one name: a known pair, or a difference of an
/// `h`, a doubled letter, c and k, ph and f, y and i, or two letters swapped.
pub fn given_name_variant(a: &str, b: &str) -> bool {
    // Cheap rejections before any allocation: very different lengths, or different initials
    // that no rule below can reconcile (c/k, ph/f, a silent h, a known pair).
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    if let (Some(x), Some(y)) = (a.bytes().next(), b.bytes().next())
        && x.is_ascii()
        && y.is_ascii()
    {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        let reconcilable = x == y
            || matches!(
                (x, y),
                (b'c', b'k') | (b'k', b'c') | (b'p', b'f') | (b'f', b'p') | (b'h', _) | (_, b'h')
            )
            || GIVEN_NAME_PAIRS.iter().any(|&(p, q)| {
                let (p0, q0) = (p.as_bytes()[0], q.as_bytes()[0]);
                (p0 == x && q0 == y) || (p0 == y && q0 == x)
            });
        if !reconcilable {
            return false;
        }
    }
    if a.is_ascii() && b.is_ascii() {
        return ascii_given_name_variant(a.as_bytes(), b.as_bytes());
    }
    folded_given_name_variant(&fold(a), &fold(b))
}

/// [`given_name_variant`] past its cheap rejections, for two names [`fold`]ed.
fn folded_given_name_variant(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    if GIVEN_NAME_PAIRS
        .iter()
        .any(|&(x, y)| (a == x && b == y) || (a == y && b == x))
    {
        return true;
    }
    let normalize = |s: &str| -> String {
        let s = s
            .replace("ph", "f")
            .replace('k', "c")
            .replace('y', "i")
            .replace('h', "");
        let mut out = String::with_capacity(s.len());
        for ch in s.chars() {
            if out.ends_with(ch) {
                continue;
            }
            out.push(ch);
        }
        out
    };
    if normalize(a) == normalize(b) {
        return true;
    }
    // Two adjacent letters swapped: Jeffrey, Jeffery.
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ac.len() == bc.len() {
        let diffs: Vec<usize> = (0..ac.len()).filter(|&i| ac[i] != bc[i]).collect();
        if diffs.len() == 2 && diffs[1] == diffs[0] + 1 && ac[diffs[0]] == bc[diffs[1]] && ac[diffs[1]] == bc[diffs[0]]
        {
            return true;
        }
    }
    false
}

/// [`folded_given_name_variant`] for two ASCII names: folding ASCII is lowercasing, done byte
/// by byte as the names are compared rather than into new strings.
fn ascii_given_name_variant(a: &[u8], b: &[u8]) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return false;
    }
    if GIVEN_NAME_PAIRS.iter().any(|&(x, y)| {
        (a.eq_ignore_ascii_case(x.as_bytes()) && b.eq_ignore_ascii_case(y.as_bytes()))
            || (a.eq_ignore_ascii_case(y.as_bytes()) && b.eq_ignore_ascii_case(x.as_bytes()))
    }) {
        return true;
    }
    if normalized_ascii(a).eq(normalized_ascii(b)) {
        return true;
    }
    // Two adjacent letters swapped: Jeffrey, Jeffery.
    if a.len() == b.len() {
        let mut diffs = (0..a.len()).filter(|&i| !a[i].eq_ignore_ascii_case(&b[i]));
        if let (Some(i), Some(j), None) = (diffs.next(), diffs.next(), diffs.next())
            && j == i + 1
            && a[i].eq_ignore_ascii_case(&b[j])
            && a[j].eq_ignore_ascii_case(&b[i])
        {
            return true;
        }
    }
    false
}

/// The letters of an ASCII name lowercased, with ph written f, k written c, y written i, h
/// dropped, and a letter repeated in a row written once: what the normalization in
/// [`given_name_variant`] writes (its replacements in turn, then the repeats), made as it is read.
fn normalized_ascii(word: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut i = 0;
    let mut last = None;
    std::iter::from_fn(move || {
        loop {
            let byte = word.get(i)?.to_ascii_lowercase();
            i += 1;
            let letter = match byte {
                b'p' if word.get(i).is_some_and(|next| next.eq_ignore_ascii_case(&b'h')) => {
                    i += 1;
                    b'f'
                }
                b'k' => b'c',
                b'y' => b'i',
                b'h' => continue,
                other => other,
            };
            if last != Some(letter) {
                last = Some(letter);
                return Some(letter);
            }
        }
    })
}

/// Whether two family names (or East Asian given names) are one or two letters apart:
/// one edit for names of four letters or more, two for names of seven or more.
pub fn surname_variant(a: &str, b: &str) -> bool {
    // Cheap checks first: lengths within a few bytes (diacritics take two), same initial.
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    if let (Some(x), Some(y)) = (a.bytes().next(), b.bytes().next())
        && x.is_ascii()
        && y.is_ascii()
        && !x.eq_ignore_ascii_case(&y)
    {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        // Folding ASCII is lowercasing: compare the bytes without building two strings.
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.is_empty() || b.is_empty() || a.eq_ignore_ascii_case(b) || !a[0].eq_ignore_ascii_case(&b[0]) {
            return false;
        }
        return close_spelling(a.len().min(b.len()), a, b, u8::eq_ignore_ascii_case);
    }
    let (a, b) = (fold(a), fold(b));
    if a.chars().next() != b.chars().next() {
        return false;
    }
    if a == b {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    close_spelling(a.len().min(b.len()), &a, &b, |x, y| x == y)
}

/// Whether two different folded spellings, the shorter of `shorter` letters, are one edit apart
/// (four letters or more) or two (seven or more): [`crate::config::edit_distance`]'s answer,
/// found without computing distances beyond two.
fn close_spelling<T: Copy>(shorter: usize, a: &[T], b: &[T], same: impl Fn(&T, &T) -> bool) -> bool {
    if shorter < 4 {
        return false;
    }
    match distance_within_two(a, b, same) {
        Some(1) => true,
        Some(2) => shorter >= 7,
        _ => false,
    }
}

/// The Levenshtein distance between `a` and `b` when it is at most two, else `None`. The
/// usual row-by-row computation, stopped as soon as a whole row exceeds two (the distance is
/// at least the smallest value of every row).
fn distance_within_two<T: Copy>(a: &[T], b: &[T], same: impl Fn(&T, &T) -> bool) -> Option<usize> {
    if a.len().abs_diff(b.len()) > 2 {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut smallest = current[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!same(ca, cb));
            current[j + 1] = (previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1);
            smallest = smallest.min(current[j + 1]);
        }
        if smallest > 2 {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&distance| distance <= 2)
}

/// Whether two family names are one name spelled two ways: diacritics, or one or two letters.
pub fn spelling_variant(a: &str, b: &str) -> bool {
    a != b && (fold_eq(a, b) || surname_variant(a, b))
}

/// The first letter of a word, folded.
fn fold_initial(word: &str) -> Option<char> {
    let first = word.chars().next()?;
    if first.is_ascii() {
        return Some(first.to_ascii_lowercase());
    }
    fold(&first.to_string()).chars().next()
}

fn words_of(name: &str) -> Vec<&str> {
    name.split(' ').collect()
}

/// Compares two full names word by word; `words` holds each person's [`words_of`] their full name.
fn compare(doc: &Document, words: &[Vec<&str>], canonical: u32, variant: u32) -> Option<NameVariant> {
    let a = &doc.people()[canonical as usize];
    let (aw, bw) = (&words[canonical as usize], &words[variant as usize]);
    // The variant's words with the canonical spelling of each, made for a pair found only.
    let pairs = || -> Vec<(String, String)> {
        bw.iter()
            .zip(aw.iter())
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect()
    };
    if aw.len() == bw.len() && aw.len() >= 2 {
        // The places where the words differ, walked again where needed rather than collected.
        let diffs = || (0..aw.len()).filter(move |&i| aw[i] != bw[i]);
        let mut found = diffs();
        let first_diff = found.next()?;
        let one_diff = found.next().is_none();
        // Names that differ in one word, or share every word in some order, are candidates;
        // anything else is two people, decided without folding a letter. The lengths are
        // asked before the words are sorted (most pairs have no word four bytes longer).
        if !one_diff && diffs().any(|i| aw[i].len().abs_diff(bw[i].len()) > 4) && {
            let mut x = aw.clone();
            let mut y = bw.clone();
            x.sort_unstable();
            y.sort_unstable();
            x != y
        } {
            return None;
        }
        if diffs().all(|i| fold_eq(aw[i], bw[i])) {
            return Some(NameVariant {
                canonical,
                variant,
                kind: VariantKind::Diacritics,
                words: pairs(),
            });
        }
        if one_diff {
            let i = first_diff;
            let family_first = a.surname == aw[0];
            let is_surname = if family_first { i == 0 } else { i == aw.len() - 1 };
            let kind = if is_surname && surname_variant(aw[i], bw[i]) {
                Some(VariantKind::Surname)
            } else if !is_surname && family_first && surname_variant(aw[i], bw[i]) {
                // East Asian given names are not in name lists: compare them by letters.
                Some(VariantKind::GivenName)
            } else if !is_surname && !family_first && given_name_variant(aw[i], bw[i]) {
                Some(VariantKind::GivenName)
            } else {
                None
            };
            return kind.map(|kind| NameVariant {
                canonical,
                variant,
                kind,
                words: pairs(),
            });
        }
        let mut sorted_a: Vec<String> = aw.iter().map(|w| fold(w)).collect();
        let mut sorted_b: Vec<String> = bw.iter().map(|w| fold(w)).collect();
        sorted_a.sort();
        sorted_b.sort();
        if sorted_a == sorted_b {
            return Some(NameVariant {
                canonical,
                variant,
                kind: VariantKind::Order,
                words: pairs(),
            });
        }
        return None;
    }
    if bw.len() == 1 && aw.len() >= 2 {
        // A name given alone (Bauchtman) that is another spelling of a full name's surname.
        if !a.surname.contains(' ')
            && (surname_variant(&a.surname, bw[0]) || (fold_eq(&a.surname, bw[0]) && a.surname != bw[0]))
        {
            let kind = if fold_eq(&a.surname, bw[0]) {
                VariantKind::Diacritics
            } else {
                VariantKind::Surname
            };
            return Some(NameVariant {
                canonical,
                variant,
                kind,
                words: vec![(bw[0].to_string(), a.surname.clone())],
            });
        }
    }
    None
}

fn first_mention(people: &[Person], person: u32) -> u32 {
    people[person as usize].mentions.first().copied().unwrap_or(u32::MAX)
}

/// The people [`name_variants`] compares, in the order of their first mention.
fn people_in_order(people: &[Person]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..people.len() as u32)
        .filter(|&p| people[p as usize].kind != EntityKind::Organization)
        .collect();
    order.sort_by_key(|&p| first_mention(people, p));
    order
}

/// Whether [`name_variants`] must give the same answer for `a` and `b`: it reads only the
/// people's names and kinds and the order of their first mentions.
pub(crate) fn same_variant_input(a: &[Person], b: &[Person]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.full_name == y.full_name && x.surname == y.surname && x.kind == y.kind)
        && people_in_order(a) == people_in_order(b)
}

/// At most this many earlier people are compared with each person.
const MAX_CANDIDATES: usize = 16;

/// Every pair of people in the draft that looks like one person spelled two ways.
///
/// People are indexed by the words they share, so each person is compared only with those
/// that could be another spelling of it: same length and one word in common at the same
/// place, the same words in any order, or (for a single name) a surname with the same initial.
///
/// Computed once per document ([`Document::name_variants`]); this is the computation.
pub fn name_variants(doc: &Document) -> Vec<NameVariant> {
    use rustc_hash::FxHashMap;
    let mut out = Vec::new();
    let order = people_in_order(doc.people());
    // Keys are hashes of folded words; `compare` checks every candidate in full.
    // Room for every person's entries from the start: growing a map rehashes it.
    let mut by_word: FxHashMap<(usize, usize, u64), Vec<u32>> =
        FxHashMap::with_capacity_and_hasher(order.len() * 3, Default::default());
    let mut by_words: FxHashMap<Vec<u64>, Vec<u32>> =
        FxHashMap::with_capacity_and_hasher(order.len(), Default::default());
    let mut by_initial: FxHashMap<char, Vec<u32>> =
        FxHashMap::with_capacity_and_hasher(order.len(), Default::default());
    let mut candidates: Vec<u32> = Vec::new();
    // Each compared person's words, split once (organizations are not compared).
    let words: Vec<Vec<&str>> = doc
        .people()
        .iter()
        .map(|person| {
            if person.kind == EntityKind::Organization {
                Vec::new()
            } else {
                words_of(&person.full_name)
            }
        })
        .collect();
    for &person in &order {
        let name = &doc.people()[person as usize].full_name;
        // Only a name of two words or more is looked up (and indexed) by its words: a single
        // name's are neither hashed nor sorted.
        let (folded, sorted): (Vec<u64>, Vec<u64>) = if words[person as usize].len() >= 2 {
            let folded: Vec<u64> = words[person as usize].iter().map(|w| folded_hash(w)).collect();
            let mut sorted = folded.clone();
            sorted.sort_unstable();
            (folded, sorted)
        } else {
            (Vec::new(), Vec::new())
        };
        candidates.clear();
        if folded.len() >= 2 {
            for (pos, &word) in folded.iter().enumerate() {
                if let Some(list) = by_word.get(&(folded.len(), pos, word)) {
                    candidates.extend(list);
                }
            }
            if let Some(list) = by_words.get(&sorted) {
                candidates.extend(list);
            }
        } else if let Some(initial) = fold_initial(name)
            && let Some(list) = by_initial.get(&initial)
        {
            candidates.extend(list);
        }
        candidates.sort_by_key(|&p| first_mention(doc.people(), p));
        candidates.dedup();
        // A draft naming hundreds of people who share a given name should not cost a comparison
        // with each: the earliest few are the likely canonical spellings.
        candidates.truncate(MAX_CANDIDATES);
        if let Some(found) = candidates
            .iter()
            .find_map(|&canonical| compare(doc, &words, canonical, person))
        {
            out.push(found);
        }
        if folded.len() >= 2 {
            for (pos, &word) in folded.iter().enumerate() {
                by_word.entry((folded.len(), pos, word)).or_default().push(person);
            }
            by_words.entry(sorted).or_default().push(person);
            if let Some(initial) = fold_initial(&doc.people()[person as usize].surname) {
                by_initial.entry(initial).or_default().push(person);
            }
        }
    }
    out
}

impl Document {
    /// The variants found for person `person` (as canonical or as variant).
    pub fn variants_of(&self, person: u32) -> Vec<NameVariant> {
        self.name_variants()
            .iter()
            .filter(|variant| variant.canonical == person || variant.variant == person)
            .cloned()
            .collect()
    }

    /// Every pair of people that looks like one person spelled two ways ([`name_variants`]),
    /// computed on first use, or taken from the previous version when its people are the same.
    pub fn name_variants(&self) -> &[NameVariant] {
        self.name_variants.get_or_init(|| {
            let people = self.people();
            if let Some(carried) = self.take_carried()
                && let Some(found) = carried.variants
                && same_variant_input(&carried.mentions.people, people)
            {
                return found;
            }
            std::sync::Arc::new(name_variants(self))
        })
    }

    /// Whether the person is named in full anywhere.
    pub fn has_full_name(&self, person: u32) -> bool {
        self.people()[person as usize]
            .mentions
            .iter()
            .any(|&m| self.mentions()[m as usize].form == NameForm::Full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_name_variants() {
        for (a, b) in [
            ("Antony", "Anthony"),
            ("Philip", "Phillip"),
            ("Catherine", "Katherine"),
            ("Jeffrey", "Jeffery"),
            ("Sara", "Sarah"),
            ("Mohammed", "Muhammad"),
        ] {
            assert!(given_name_variant(a, b), "{a} {b}");
        }
        for (a, b) in [("John", "Joan"), ("Maria", "Mario"), ("Robert", "John"), ("Dan", "Don")] {
            assert!(!given_name_variant(a, b), "{a} {b}");
        }
    }

    /// The ASCII path gives what folding and the general path give.
    #[test]
    fn ascii_given_name_variant_agrees_with_folding() {
        let names = [
            "",
            "a",
            "H",
            "Antony",
            "Anthony",
            "ANTHONY",
            "Philip",
            "Phillip",
            "Filip",
            "Catherine",
            "Katherine",
            "Kathryn",
            "Jeffrey",
            "Jeffery",
            "Geoffrey",
            "Sara",
            "Sarah",
            "Mohammed",
            "Muhammad",
            "John",
            "Jon",
            "Joan",
            "Maria",
            "Mario",
            "Dan",
            "Don",
            "Stephen",
            "Steven",
            "Yuri",
            "Yury",
            "Hannah",
            "Ana",
            "Anna",
            "Pph",
            "Phh",
            "Kyle",
            "Cile",
            "Ahh",
            "Aah",
            "Lhl",
            "Ll",
            "Sergei",
            "Sergey",
            "Abcd",
            "Bacd",
            "Abdc",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    ascii_given_name_variant(a.as_bytes(), b.as_bytes()),
                    folded_given_name_variant(&fold(a), &fold(b)),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn surname_variants() {
        assert!(surname_variant("Jinping", "Jingping"));
        assert!(surname_variant("Buchtmann", "Bauchtman"));
        assert!(!surname_variant("Lee", "Li"));
        assert!(!surname_variant("Kim", "Kin"));
        assert_eq!(fold("Müller"), fold("Muller"));
    }

    /// The bounded distance agrees with the full one wherever the full one is at most two.
    #[test]
    fn bounded_distance_agrees_with_edit_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "lee",
            "li",
            "kim",
            "kin",
            "smith",
            "smyth",
            "smithe",
            "jinping",
            "jingping",
            "jnping",
            "buchtmann",
            "bauchtman",
            "buchtman",
            "müller",
            "muller",
            "mueller",
            "zhang",
            "chang",
            "reyes",
            "reyez",
            "abcdefgh",
            "abdcefgh",
            "hgfedcba",
        ];
        for a in words {
            for b in words {
                let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let full = crate::config::edit_distance(a, b);
                let bounded = distance_within_two(&x, &y, |p, q| p == q);
                assert_eq!(bounded, Some(full).filter(|&d| d <= 2), "{a} {b}");
            }
        }
    }
}
