//! `article-mismatch`: "a" before a vowel sound or "an" before a consonant sound.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::{
    WORD_ADJECTIVE, WORD_ADVERB, WORD_ANY_VERB, WORD_CAPITALIZED, WORD_FUNCTION, WORD_INDEFINITE_ARTICLE, WORD_KNOWN,
    WORD_NOUN,
};
use crate::document::{Block, Document, Token, TokenKind};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds "a" before a word that starts with a vowel sound and "an" before a consonant
    /// sound. The choice goes by sound, not spelling: an hour, an honest, a university,
    /// a one-time, a European, a U.S. official, an FBI agent, an 18-year-old, an 8 percent rise.
    ///
    /// ## Why is this bad?
    /// A wrong article is the trace of an edit ("a important" was "a big") and reads as a
    /// mistake aloud and on the page.
    ///
    /// ## Example
    /// ```markdown
    /// It was a important step for an university and a FBI agent.
    /// ```
    /// Use instead:
    /// ```markdown
    /// It was an important step for a university and an FBI agent.
    /// ```
    ///
    /// ## Not flagged
    /// - Words whose sound is unsure or varies (historic, herb, acronyms read as words
    ///   the rule does not know).
    /// - "An" or "A" inside a name or label (An Post, Plan A, Class A shares).
    ///
    /// ## Fix safety
    /// Safe: the fix swaps the article, keeping its capitalization.
    pub(crate) struct ArticleMismatch;
    id = "article-mismatch",
    summary = "\"a\" before a vowel sound or \"an\" before a consonant sound",
    severity = Warning,
    fix = Always,
    per_block = true,
}

const WORD_CLASSES: u32 = WORD_NOUN | WORD_ANY_VERB | WORD_ADJECTIVE | WORD_ADVERB | WORD_FUNCTION;

/// Whether a word starts with a vowel sound, when that can be known.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Sound {
    Vowel,
    Consonant,
}

/// Words starting with a silent h.
const SILENT_H: &[&str] = &["hour", "honest", "honor", "honour", "heir", "heiress", "heirloom"];

/// Words spelled with a vowel that start with a "y" or "w" sound, matched as prefixes.
const VOWEL_LETTER_CONSONANT_SOUND: &[&str] = &[
    "eu", "ewe", "one", "once", "uni", "unanim", "use", "usu", "usa", "user", "ura", "ure", "uri", "uro", "uti", "ute",
    "uto", "ubiq", "uk", "ufo", "utah", "uganda", "uruguay",
];

/// Exceptions to the prefixes above: they start with a vowel sound.
const VOWEL_SOUND_EXCEPTIONS: &[&str] = &["unid", "unim", "unin", "oneros"];

/// Words read either way (an historic, a historic): never flagged.
const EITHER_SOUND: &[&str] = &["histor", "herb", "hotel", "heroic", "uzbek", "ouija"];

/// The first letters of a list of lowercase words, one bit per letter from `a`.
const fn first_letters(words: &[&str]) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < words.len() {
        mask |= 1 << (words[i].as_bytes()[0] - b'a');
        i += 1;
    }
    mask
}

const SILENT_H_FIRST: u32 = first_letters(SILENT_H);
const VOWEL_LETTER_CONSONANT_SOUND_FIRST: u32 = first_letters(VOWEL_LETTER_CONSONANT_SOUND);
const EITHER_SOUND_FIRST: u32 = first_letters(EITHER_SOUND);

/// Acronyms read as words, with their sound.
const ACRONYM_WORDS: &[(&str, Sound)] = &[
    ("NATO", Sound::Consonant),
    ("NASA", Sound::Consonant),
    ("FIFA", Sound::Consonant),
    ("FEMA", Sound::Consonant),
    ("NAFTA", Sound::Consonant),
    ("UNESCO", Sound::Consonant),
    ("UNICEF", Sound::Consonant),
    ("UEFA", Sound::Consonant),
    ("OPEC", Sound::Vowel),
    ("AIDS", Sound::Vowel),
    ("ASEAN", Sound::Vowel),
    ("OSHA", Sound::Vowel),
    ("ISIS", Sound::Vowel),
    ("IKEA", Sound::Vowel),
    ("ESPN", Sound::Vowel),
    ("NASCAR", Sound::Consonant),
    ("SWAT", Sound::Consonant),
    ("LASIK", Sound::Consonant),
    ("NIMBY", Sound::Consonant),
    ("SARS", Sound::Consonant),
    ("MERS", Sound::Consonant),
    ("COVID", Sound::Consonant),
    ("GIF", Sound::Consonant),
    ("JPEG", Sound::Consonant),
    ("PIN", Sound::Consonant),
    ("RAM", Sound::Consonant),
];

impl Rule for ArticleMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_block(&self, context: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        let tokens = &doc.tokens[block.tokens.clone()];
        // Only "a" and "an" in any case, which the lexicon flags: the other tokens are passed
        // over eight at a time (a test checks that every such token has the flag).
        for i in super::flagged(tokens, WORD_INDEFINITE_ARTICLE) {
            let article = &tokens[i];
            if article.kind != TokenKind::Word {
                continue;
            }
            let text = doc.token_text(article);
            let is_an = match text {
                "a" | "A" => false,
                "an" | "An" | "AN" => true,
                _ => continue,
            };
            if i > 0 && !article.space_before && doc.token_text(&tokens[i - 1]) == "/" {
                // "a/an" names both articles.
                continue;
            }
            let Some(mut next) = tokens.get(i + 1) else { continue };
            if !next.space_before {
                continue;
            }
            // Look through an opening quote mark ("an “unusual” step") or a currency sign
            // ("a $5 fee" is read "a five-dollar fee").
            let looks_through = (next.kind == TokenKind::Quote
                || (next.kind == TokenKind::Punct && matches!(doc.token_text(next), "$" | "£" | "€")))
                && tokens.get(i + 2).is_some_and(|after| !after.space_before);
            if looks_through {
                next = &tokens[i + 2];
            }
            if !matches!(next.kind, TokenKind::Word | TokenKind::Number) {
                continue;
            }
            if text.starts_with(char::is_uppercase) && !starts_sentence(doc, article) {
                // Inside a name or label: An Post, Plan A, Class A shares.
                continue;
            }
            if text == "A" && is_letter_label(doc, tokens, i) {
                continue;
            }
            let next_text = doc.token_text(next);
            let sound = if in_capitals(doc, tokens, i) {
                // A headline in capitals ("A NEW PLAN") is read as words.
                sound_of(&next_text.to_ascii_lowercase(), next)
            } else {
                sound_of(next_text, next)
            };
            let Some(sound) = sound else {
                continue;
            };
            let wrong = match sound {
                Sound::Vowel => !is_an,
                Sound::Consonant => is_an,
            };
            if !wrong {
                continue;
            }
            let replacement = match text {
                "a" => "an",
                "A" => "An",
                "an" => "a",
                "An" => "A",
                _ => "A",
            };
            let range = article.range.cover(next.range);
            let sound_name = if sound == Sound::Vowel { "vowel" } else { "consonant" };
            out.push(
                Diagnostic::new(
                    Self::META.id,
                    Severity::Warning,
                    range,
                    format!("\"{text} {next_text}\": use \"{replacement}\" before a {sound_name} sound"),
                )
                .with_fix(Fix::safe(
                    format!("Write \"{replacement} {next_text}\""),
                    vec![Edit::replace(article.range, replacement)],
                )),
            );
        }
    }
}

/// Whether only quote marks or brackets come before the token in its sentence.
fn starts_sentence(doc: &Document, token: &Token) -> bool {
    let Some(idx) = doc.sentence_at(token.range.start()) else {
        return false;
    };
    doc.sentence_tokens(&doc.sentences[idx])
        .iter()
        .take_while(|before| before.range.start() < token.range.start())
        .all(|before| before.kind == TokenKind::Quote || matches!(doc.token_text(before), "(" | "["))
}

/// "A" as a letter: "A and B", "A-list" (joined), or "A." in a list.
fn is_letter_label(doc: &Document, tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1).is_some_and(|next| {
        let next_text = doc.token_text(next);
        next_text == "and" || next_text == "or" || next_text == "through"
    })
}

/// Whether the words around the article at `i` are written in capitals ("A NEW PLAN"),
/// so that a capitalized word after it is a word and not letters read one by one.
fn in_capitals(doc: &Document, tokens: &[Token], i: usize) -> bool {
    // Flags and length first: a word in capitals is capitalized, and most words are not.
    let all_caps = |token: Option<&Token>| {
        token.is_some_and(|token| {
            token.kind == TokenKind::Word
                && token.has(WORD_CAPITALIZED)
                && token.info & WORD_CLASSES != 0
                && token.prose.len() >= 2
                && doc.token_text(token).bytes().all(|b| b.is_ascii_uppercase())
        })
    };
    all_caps(tokens.get(i + 1)) && (all_caps(tokens.get(i + 2)) || (i > 0 && all_caps(tokens.get(i - 1))))
}

/// The sound a word starts with, or `None` when it is unsure.
fn sound_of(word: &str, token: &Token) -> Option<Sound> {
    let first = word.chars().next()?;
    if first.is_ascii_digit() {
        return number_sound(word);
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    // The letters before the first hyphen or apostrophe, found by their bytes (`’` is the only
    // character starting with 0xE2 that counts).
    let letters_end = word
        .bytes()
        .enumerate()
        .position(|(at, b)| b == b'-' || b == b'\'' || (b == 0xE2 && word[at..].starts_with('’')))
        .unwrap_or(word.len());
    let letters: &str = &word[..letters_end];
    // Letters read one by one: U.S., FBI, X-ray, MP3.
    let is_initialism = letters.contains('.')
        || (letters.len() == 1 && word.len() > 1)
        || (letters.len() >= 2
            && letters.len() <= 5
            && letters.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && !(letters.len() > 3 && token.info & WORD_KNOWN != 0));
    if is_initialism {
        if let Some((_, sound)) = ACRONYM_WORDS.iter().find(|(acronym, _)| *acronym == letters) {
            return Some(*sound);
        }
        if letters.len() >= 4 && !letters.contains('.') && letters.bytes().any(|b| b"AEIOU".contains(&b)) {
            // Could be read as a word (NASA-like) or letter by letter: unsure.
            return None;
        }
        return Some(letter_sound(first));
    }
    if letters.len() == 1 {
        // "a" before a lone letter: unsure (variables, grades).
        return None;
    }
    // The lists hold lowercase prefixes: compare without making a lowercase copy, and only
    // those with the word's first letter.
    let first_byte = word.as_bytes()[0].to_ascii_lowercase();
    let starts_with = |prefix: &&str| {
        prefix.as_bytes()[0] == first_byte
            && word.len() >= prefix.len()
            && word.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    // A list is searched only when one of its words starts with the word's first letter.
    let letter_bit = 1u32 << (first_byte - b'a');
    if SILENT_H_FIRST & letter_bit != 0 && SILENT_H.iter().any(starts_with) {
        return Some(Sound::Vowel);
    }
    if EITHER_SOUND_FIRST & letter_bit != 0 && EITHER_SOUND.iter().any(starts_with) {
        return None;
    }
    let first = first.to_ascii_lowercase();
    let vowel_letter = matches!(first, 'a' | 'e' | 'i' | 'o' | 'u');
    if vowel_letter {
        let consonant_sound = VOWEL_LETTER_CONSONANT_SOUND_FIRST & letter_bit != 0
            && VOWEL_LETTER_CONSONANT_SOUND.iter().any(starts_with)
            && !VOWEL_SOUND_EXCEPTIONS.iter().any(starts_with);
        if consonant_sound {
            return Some(Sound::Consonant);
        }
        if first == 'u' && word.len() <= 3 {
            // Short u-words are often letters or abbreviations (UK, UN, uh): unsure.
            return None;
        }
        return Some(Sound::Vowel);
    }
    Some(Sound::Consonant)
}

/// The sound a letter's name starts with: "an F", "a U".
fn letter_sound(letter: char) -> Sound {
    if "AEFHILMNORSXaefhilmnorsx".contains(letter) {
        Sound::Vowel
    } else {
        Sound::Consonant
    }
}

/// Numbers by how they are read: an 8, an 11-year-old, an 18th, an 80, an 1800s house;
/// a 1, a 100, a 180.
fn number_sound(word: &str) -> Option<Sound> {
    let digits: String = word
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    if digits.is_empty() {
        return None;
    }
    let leading_group = if word.contains(',') {
        word.split(',').next().unwrap_or("")
    } else {
        let n = digits.len();
        let group = if n.is_multiple_of(3) { 3 } else { n % 3 };
        &digits[..group]
    };
    if digits.starts_with('8') {
        return Some(Sound::Vowel);
    }
    let eleven_or_eighteen = |s: &str| s == "11" || s == "18";
    if eleven_or_eighteen(leading_group) {
        return Some(Sound::Vowel);
    }
    // Years and hundreds read in pairs: 1100 "eleven hundred", 1800s "eighteen hundreds".
    if digits.len() == 4 && !word.contains(',') && eleven_or_eighteen(&digits[..2]) {
        return Some(Sound::Vowel);
    }
    Some(Sound::Consonant)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed, check};

    const ID: &str = "article-mismatch";

    #[test]
    fn flags_and_fixes_by_sound() {
        assert_eq!(
            check(ID, "It was a important step.\n"),
            "1:8-1:19 warning \"a important\": use \"an\" before a vowel sound [safe: Write \"an important\"]\n"
        );
        assert_fixed(
            ID,
            "It was a important step for an university and a FBI agent.\n",
            "It was an important step for a university and an FBI agent.\n",
        );
        assert_fixed(
            ID,
            "An European envoy met a honest broker.\n",
            "A European envoy met an honest broker.\n",
        );
        assert_fixed(
            ID,
            "She is a 18-year-old. It was an one-time deal.\n",
            "She is an 18-year-old. It was a one-time deal.\n",
        );
        assert_fixed(
            ID,
            "It took a hour. An U.S. official said so.\n",
            "It took an hour. A U.S. official said so.\n",
        );
        assert_fixed(
            ID,
            "Prices rose a 8 percent. He was an voluntary donor.\n",
            "Prices rose an 8 percent. He was a voluntary donor.\n",
        );
        assert_fixed(
            ID,
            "It was an “big” step and an $5 fee.\n",
            "It was a “big” step and a $5 fee.\n",
        );
    }

    #[test]
    fn correct_articles_stay_silent() {
        assert_clean(
            ID,
            "An hour, an honest man, a university, a one-time deal, a U.S. official, an FBI agent, \
             an 18-year-old, a European, an 11-point lead, a 100-day plan, an 1800s house, a NATO summit, \
             an MP, an X-ray, a UN agency, a useful tool, an unidentified man, an only child, a unanimous vote, \
             an umbrella, a historic vote, an historic vote, a once-popular show, an SUV, a year.\n",
        );
        assert_clean(
            ID,
            "She chose Plan A over the An Post offer, and Class A shares rose.\n",
        );
        assert_clean(ID, "# A NEW PLAN FOR AN OLD CITY\n");
        assert_clean(ID, "Choose a/an swap or either/an option.\n");
    }

    /// The rule looks only at tokens with the lexicon's flag: every "a" and "an" has it,
    /// whatever its case and neighbours.
    #[test]
    fn every_article_has_the_flag() {
        use crate::document::lexicon::WORD_INDEFINITE_ARTICLE;
        use crate::document::{Document, TokenKind};
        let doc = Document::new(
            "A a an An AN aN. \"a\" (an) a/an 'a' ‘An’ *a* **AN** a. A. an, [a] —a an— \
             x-a a-x A’s a’s an's a1 ab\n\n# A\n\n- an\n\n> a\n\n| a | An |\n|---|---|\n| an | A |\n",
        );
        let mut articles = 0;
        for token in &doc.tokens {
            let text = doc.token_text(token);
            if token.kind == TokenKind::Word && matches!(text, "a" | "A" | "an" | "An" | "AN" | "aN") {
                articles += 1;
                assert!(token.has(WORD_INDEFINITE_ARTICLE), "{text:?} at {:?}", token.range);
            }
        }
        assert!(articles >= 25, "{articles}");
    }

    #[test]
    fn sentence_initial_articles_are_checked() {
        assert_count(
            ID,
            "A important vote. An big change. \"A air-quality plan,\" he said.\n",
            3,
        );
    }
}
