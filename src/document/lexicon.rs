//! Word lists shipped with the crate as data (`src/data/*.txt`), parsed once on first use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What kind of title a lexicon entry is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TitleKind {
    /// A formal title: President, Foreign Minister, Sen.
    Formal,
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

pub struct Lexicon {
    pub titles_by_first_word: HashMap<String, Vec<TitleForm>>,
    pub org_words: HashSet<&'static str>,
    pub starters: HashSet<&'static str>,
    pub abbreviations: HashMap<&'static str, AbbreviationClass>,
    pub east_asian_surnames: HashSet<&'static str>,
    pub speech_verbs: HashSet<&'static str>,
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

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn build() -> Lexicon {
    let mut titles_by_first_word: HashMap<String, Vec<TitleForm>> = HashMap::new();
    let mut kind = TitleKind::Formal;
    for line in data_lines(include_str!("../data/titles.txt")) {
        match line {
            "[formal]" => kind = TitleKind::Formal,
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
    let mut abbreviations = HashMap::new();
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
    Lexicon {
        titles_by_first_word,
        org_words: data_lines(include_str!("../data/org_words.txt")).collect(),
        starters: data_lines(include_str!("../data/starters.txt")).collect(),
        abbreviations,
        east_asian_surnames: data_lines(include_str!("../data/east_asian_surnames.txt")).collect(),
        speech_verbs: data_lines(include_str!("../data/speech_verbs.txt")).collect(),
    }
}

impl Lexicon {
    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    pub fn is_speech_verb(&self, word: &str) -> bool {
        self.speech_verbs.contains(word)
    }

    pub fn is_org_word(&self, word: &str) -> bool {
        self.org_words.contains(word)
    }

    /// The class of an abbreviation written without its final period (`Sen`, `Inc`).
    pub fn abbreviation(&self, word: &str) -> Option<AbbreviationClass> {
        self.abbreviations.get(word).copied()
    }
}
