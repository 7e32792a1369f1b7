//! `title-capitalization`: a formal title capitalized against style.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::config::Style;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::{WORD_CAPITALIZED, WORD_TITLE_START, WordInfo};
use crate::document::mentions::title_at;
use crate::document::{Document, TitleKind, TitlePosition, TitleRef, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Checks the capitalization of formal titles (President, Foreign Minister, Sen., Mayor):
    /// - before a name a formal title is capitalized: "foreign minister Lee Jae-sun" becomes
    ///   "Foreign Minister Lee Jae-sun";
    /// - in AP style, a title standing alone or after a name is lowercase: "the President
    ///   said" becomes "the president said", "Lee, the Foreign Minister," becomes "Lee, the
    ///   foreign minister,".
    ///
    /// ## Not flagged
    /// Job descriptions (chief executive, coach), which AP lowercases but many newsrooms do
    /// not; headings; text inside quotations; a title that is part of a proper name ("the
    /// Prime Minister's Office", "the President of the United States" at the start of a
    /// sentence); the first word of a sentence.
    ///
    /// ## Why is this bad?
    /// Capitalization tells the reader whether a word is a title of office or a description;
    /// style guides are strict about it and readers notice inconsistency.
    ///
    /// ## Example
    /// ```markdown
    /// foreign minister Lee Jae-sun met the President on Monday.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Foreign Minister Lee Jae-sun met the president on Monday.
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the case of the title's letters changes.
    pub(crate) struct TitleCapitalization;
    id = "title-capitalization",
    summary = "A formal title capitalized against style",
    severity = Warning,
    fix = Always,
    reads = crate::rules::Reads::People,
}

/// The flags of a word that starts with an uppercase letter and may start a title.
const CAPITALIZED_TITLE_START: WordInfo = WORD_TITLE_START | WORD_CAPITALIZED;

/// Small words left lowercase inside a capitalized title ("Secretary of State").
const SMALL: &[&str] = &["of", "the", "and", "for", "on", "to", "at"];

fn capitalized(title: &str) -> String {
    title
        .split(' ')
        .map(|word| {
            if SMALL.contains(&word) {
                return word.to_string();
            }
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether [`capitalized`] leaves `title` as it is, without building the copy.
fn is_capitalized(title: &str) -> bool {
    title.split(' ').all(|word| {
        SMALL.contains(&word)
            || word.chars().next().is_none_or(|first| {
                let mut upper = first.to_uppercase();
                upper.next() == Some(first) && upper.next().is_none()
            })
    })
}

impl Rule for TitleCapitalization {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        // Titles before names: capitalized.
        for mention in doc.mentions() {
            let Some(title) = &mention.title else { continue };
            if title.kind != TitleKind::Formal || title.position != TitlePosition::Before || skip(doc, title.range) {
                continue;
            }
            if is_capitalized(&title.text) || !formal_before_name(doc, title) {
                continue;
            }
            let expected = capitalized(&title.text);
            out.push(
                Diagnostic::new(
                    TitleCapitalization::META.id,
                    Severity::Warning,
                    title.range,
                    format!(
                        "The title \"{}\" is capitalized before a name: \"{expected}\"",
                        title.text
                    ),
                )
                .with_fix(Fix::safe(format!("Use \"{expected}\""), edits(doc, title, &expected))),
            );
        }
        if context.config.style != Style::Ap {
            return;
        }
        // Titles standing alone or after a name: lowercase in AP.
        // Where the next title may start: after the last one found.
        let mut resume = 0;
        // From one word that may start a title to the next, passing over the others eight at a
        // time (only words have flags); then only the capitalized ones.
        for i in super::flagged(&doc.tokens, WORD_TITLE_START) {
            let token = &doc.tokens[i];
            if i < resume || token.info & CAPITALIZED_TITLE_START != CAPITALIZED_TITLE_START {
                continue;
            }
            let sentence_end = doc
                .sentence_at(token.range.start())
                .map_or(doc.tokens.len(), |s| doc.sentences[s].tokens.end);
            let Some((title, after)) = title_at(doc, i, sentence_end) else {
                continue;
            };
            resume = after.max(i + 1);
            if title.kind != TitleKind::Formal || skip(doc, title.range) || starts_sentence(doc, title.range.start()) {
                continue;
            }
            if !stands_alone(doc, after) || !after_determiner(doc, title.range.start()) {
                continue;
            }
            let lower = title.text.to_lowercase();
            if lower == title.text {
                continue;
            }
            out.push(
                Diagnostic::new(
                    TitleCapitalization::META.id,
                    Severity::Warning,
                    title.range,
                    format!("A title standing alone is lowercase in AP style: \"{lower}\""),
                )
                .with_fix(Fix::safe(format!("Use \"{lower}\""), edits(doc, &title, &lower))),
            );
        }
    }
}

/// Title words that are as often plain words ("his father", "team captain", "a major
/// donor", "agency director"): a lowercase one before a name is a description, not a
/// miscased title.
const AMBIGUOUS: &[&str] = &[
    "captain",
    "major",
    "general",
    "father",
    "sister",
    "brother",
    "chief",
    "director",
    "officer",
    "judge",
    "justice",
    "king",
    "queen",
    "prince",
    "princess",
    "speaker",
    "chair",
    "chairman",
    "chairwoman",
    "commissioner",
    "minister",
    "secretary",
    "ambassador",
    "pastor",
    "rabbi",
    "imam",
    "bishop",
    "cardinal",
    "marshal",
    "sheriff",
    "agent",
    "inspector",
    "detective",
    "superintendent",
    "administrator",
    "president",
    "coach",
    "manager",
];

/// Words after which a lowercase title before a name reads as a miscased title rather than
/// a description: sentence-level verbs and prepositions ("said foreign minister Lee").
const BEFORE_TITLE: &[&str] = &[
    "said",
    "says",
    "told",
    "and",
    "with",
    "by",
    "from",
    "to",
    "for",
    "met",
    "meets",
    "including",
    "like",
    "as",
    "asked",
    "called",
    "named",
    "appointed",
    "when",
    "after",
    "before",
    "while",
    "but",
    "or",
    "on",
    "at",
    "in",
];

/// Whether a lowercase (or partly lowercase) title before a name is a formal title that
/// should be capitalized, and not a description ("the mayor Luca Pastorino", "city mayor",
/// "his father").
fn formal_before_name(doc: &Document, title: &TitleRef) -> bool {
    let lower = title.text.to_lowercase();
    if !lower.contains(' ') && !lower.ends_with('.') && AMBIGUOUS.contains(&lower.as_str()) {
        return false;
    }
    let idx = doc.token_index_at(title.range.start());
    let Some(prev) = idx.checked_sub(1).map(|p| &doc.tokens[p]) else {
        return true;
    };
    if prev.block != doc.tokens[idx].block || starts_sentence(doc, title.range.start()) {
        return true;
    }
    let text = doc.token_text(prev);
    match prev.kind {
        TokenKind::Word => {
            let possessive = crate::document::mentions::strip_possessive(text).len() != text.len();
            !possessive
                && (BEFORE_TITLE.contains(&text)
                    || (text.starts_with(char::is_uppercase) && !prev.has(crate::document::lexicon::WORD_PLACE)))
        }
        _ => true,
    }
}

/// Headings, quotations and code are left alone.
fn skip(doc: &Document, range: TextRange) -> bool {
    doc.is_quoted(range)
        || doc
            .sentence_at(range.start())
            .is_none_or(|s| doc.blocks[doc.sentences[s].block as usize].is_heading())
}

fn starts_sentence(doc: &Document, offset: usize) -> bool {
    doc.sentence_at(offset)
        .is_some_and(|s| doc.tokens[doc.sentences[s].tokens.start].range.start() == offset)
}

/// Whether the title at tokens `..after` is not followed by a name, an `of` phrase or a
/// capitalized word (which would make it part of a proper name).
fn stands_alone(doc: &Document, after: usize) -> bool {
    match doc.tokens.get(after) {
        None => true,
        Some(next) => {
            let text = doc.token_text(next);
            let possessive_title = after > 0
                && crate::document::mentions::strip_possessive(doc.token_text(&doc.tokens[after - 1])).len()
                    != doc.token_text(&doc.tokens[after - 1]).len();
            !(next.kind == TokenKind::Word && (text.starts_with(char::is_uppercase) || text == "of"))
                && !(possessive_title && text.starts_with(char::is_uppercase))
        }
    }
}

/// Whether the title follows "the", "a", "an" or a possessive ("Korea's").
fn after_determiner(doc: &Document, offset: usize) -> bool {
    let idx = doc.token_index_at(offset);
    let Some(prev) = idx.checked_sub(1).map(|p| &doc.tokens[p]) else {
        return false;
    };
    if prev.kind != TokenKind::Word {
        return false;
    }
    let text = doc.token_text(prev);
    matches!(
        text,
        "the" | "a" | "an" | "The" | "A" | "An" | "its" | "his" | "her" | "their" | "our"
    ) || crate::document::mentions::strip_possessive(text).len() != text.len()
}

/// Per-word replacements, so that no markup between the words is touched.
fn edits(doc: &Document, title: &TitleRef, expected: &str) -> Vec<Edit> {
    let first = doc.token_index_at(title.range.start());
    let mut edits = Vec::new();
    for (k, word) in expected.split(' ').enumerate() {
        let Some(token) = doc.tokens.get(first + k) else { break };
        let written = doc.slice(token.range);
        // Keep a possessive as written.
        let stem_len = crate::document::mentions::strip_possessive(written).len();
        let target: String = word.chars().take(written[..stem_len].chars().count()).collect();
        if written[..stem_len] != target {
            edits.push(Edit::replace(
                TextRange::new(token.range.start(), token.range.start() + stem_len),
                target,
            ));
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixed};

    const ID: &str = "title-capitalization";

    #[test]
    fn fixes_titles_both_ways() {
        assert_fixed(
            ID,
            "He said foreign minister Lee Jae-sun met the President on Monday. Lee, the Foreign Minister, left.\n",
            "He said Foreign Minister Lee Jae-sun met the president on Monday. Lee, the foreign minister, left.\n",
        );
    }

    #[test]
    fn correct_copy_is_clean() {
        assert_clean(
            ID,
            "Foreign Minister Lee Jae-sun met the president. The Prime Minister's Office agreed. Mayor Ana Reyes, the city's mayor, and chief executive Sofia Silva spoke.\n",
        );
        assert_clean(ID, "# President meets Mayor\n\n\"The President is wrong,\" she said.\n");
    }
}
