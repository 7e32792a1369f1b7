//! `headline-mismatch`: the front matter title and the headline disagree, or headings mix cases.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::WORD_CAPITALIZED;
use crate::document::variants::fold;
use crate::document::{Block, BlockKind, Document, Token, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds two kinds of headline drift:
    /// - the front matter `title` and the first `#` heading say different things (the CMS
    ///   shows one, the page the other);
    /// - the headings of one draft mix title case ("Council Delays Budget Vote") and sentence
    ///   case ("Council delays budget vote").
    ///
    /// Differences of case, punctuation and quotation marks alone do not count as saying
    /// different things. A heading's case is judged from its words after the first,
    /// ignoring short words and proper nouns (words the draft capitalizes in running text).
    ///
    /// ## Why is this bad?
    /// A headline rewritten in one place and not the other ships with the wrong one; mixed
    /// heading case looks like two desks edited the story.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: "Council delays budget vote"
    /// ---
    /// # Council passes budget
    /// ```
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: "Council delays budget vote"
    /// ---
    /// # Council delays budget vote
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix uses the front matter title for the heading, or converts a heading to
    /// the draft's majority case; which headline is right is an editor's call. When the other
    /// rules would change the title as a heading ("an U.S. official"), the title is only
    /// shown, never applied: applying it would undo their fix.
    pub(crate) struct HeadlineMismatch;
    id = "headline-mismatch",
    summary = "Front matter title and headline disagree, or headings mix cases",
    severity = Warning,
    fix = Sometimes,
    reads = crate::rules::Reads::People,
}

/// Short words that stay lowercase in title case.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of", "off", "on", "per",
    "to", "up", "via", "vs", "from", "into", "with", "over",
];

fn normalized(text: &str) -> String {
    fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Case {
    Title,
    Sentence,
}

impl Rule for HeadlineMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        let first_h1 = doc.blocks.iter().find(|block| block.kind == BlockKind::Heading(1));
        if let (Some(front_matter), Some(heading)) = (&doc.front_matter, first_h1)
            && let Some((title, _)) = &front_matter.title
            // The same text is the same once normalized: most drafts copy the title as it is.
            && *title != *heading.prose
            && normalized(title) != normalized(&heading.prose)
        {
            let range = prose_range(heading);
            let mut diagnostic = Diagnostic::new(
                HeadlineMismatch::META.id,
                Severity::Warning,
                range,
                format!("The headline differs from the front matter title \"{title}\""),
            );
            if heading.is_verbatim(TextRange::new(0, heading.prose.len())) {
                let edits = vec![Edit::replace(range, title.clone())];
                // A title the other rules would fix as a heading ("an U.S. official") is only
                // shown: applied, it would undo their fix, and theirs this one, for ever.
                let fix = if fixable_as_heading(title, context.config) {
                    Fix::display_only("Use the front matter title (it has problems of its own)", edits)
                } else {
                    Fix::unsafe_("Use the front matter title", edits)
                };
                diagnostic = diagnostic.with_fix(fix);
            }
            out.push(diagnostic);
        }
        if doc.blocks.iter().filter(|block| block.is_heading()).nth(1).is_none() {
            return;
        }
        let words: Vec<(&Block, Vec<&str>)> = doc
            .blocks
            .iter()
            .filter(|block| block.is_heading())
            .map(|block| (block, judgeable_words(doc, block)))
            .collect();
        // Proper nouns only take capitalized words out of the judging. So a heading can be in
        // title case only if all its words are capitalized (at least two), and in sentence
        // case only if at least two are not: unless one heading may be each, the headings
        // cannot mix cases, and the draft's proper nouns (a pass over all of it) are not needed.
        let capitalized = |word: &&str| word.starts_with(char::is_uppercase);
        let may_be_title = words
            .iter()
            .any(|(_, words)| words.len() >= 2 && words.iter().all(capitalized));
        let may_be_sentence = words
            .iter()
            .any(|(_, words)| words.iter().filter(|word| !capitalized(word)).count() >= 2);
        if !(may_be_title && may_be_sentence) {
            return;
        }
        let proper = ProperNouns::new(doc);
        let headings: Vec<(&Block, Case)> = words
            .iter()
            .filter_map(|(block, words)| case_of(&proper, words).map(|case| (*block, case)))
            .collect();
        let n_title = headings.iter().filter(|(_, case)| *case == Case::Title).count();
        let n_sentence = headings.len() - n_title;
        if n_title == 0 || n_sentence == 0 {
            return;
        }
        let majority = if n_title > n_sentence {
            Case::Title
        } else if n_sentence > n_title {
            Case::Sentence
        } else {
            headings[0].1
        };
        for (block, case) in headings {
            if case == majority {
                continue;
            }
            let (name, other) = match majority {
                Case::Title => ("sentence case", "title case"),
                Case::Sentence => ("title case", "sentence case"),
            };
            let mut diagnostic = Diagnostic::new(
                HeadlineMismatch::META.id,
                Severity::Warning,
                prose_range(block),
                format!("This heading is in {name}; the draft's other headings use {other}"),
            );
            let edits = recase(doc, &proper, block, majority);
            if !edits.is_empty() {
                diagnostic = diagnostic.with_fix(Fix::unsafe_(format!("Use {other}"), edits));
            }
            out.push(diagnostic);
        }
    }
}

fn prose_range(block: &Block) -> TextRange {
    let trimmed_start = block.prose.len() - block.prose.trim_start().len();
    block.range_to_source(TextRange::new(trimmed_start, block.prose.trim_end().len()))
}

/// Words the draft capitalizes in running text (proper nouns), built once per draft.
/// Whether the rules would change `title` written as a heading.
fn fixable_as_heading(title: &str, config: &crate::config::Config) -> bool {
    let (_, result) = crate::lint::lint_text(&format!("# {title}\n"), config);
    result.diagnostics.iter().any(|diagnostic| {
        diagnostic
            .fixes
            .iter()
            .any(|fix| fix.applicability != crate::fix::Applicability::DisplayOnly && !fix.edits.is_empty())
    })
}

struct ProperNouns<'a> {
    words: rustc_hash::FxHashSet<&'a str>,
}

impl<'a> ProperNouns<'a> {
    /// The capitalized words of the headings that the body writes capitalized too (past a
    /// sentence's first word, or in a name): only heading words are ever looked up.
    fn new(doc: &'a Document) -> ProperNouns<'a> {
        let capitalized = |token: &Token| token.kind == TokenKind::Word && token.has(WORD_CAPITALIZED);
        let wanted: rustc_hash::FxHashSet<&str> = doc
            .blocks
            .iter()
            .filter(|block| block.is_heading())
            .flat_map(|block| doc.tokens[block.tokens.clone()].iter())
            .filter(|token| capitalized(token))
            .map(|token| doc.token_text(token))
            .collect();
        let mut words = rustc_hash::FxHashSet::default();
        if wanted.is_empty() {
            return ProperNouns { words };
        }
        // The lengths of the wanted words (63 standing for 63 and more): a body word of
        // another length is passed over without hashing its text.
        let length_bit = |len: usize| 1u64 << len.min(63);
        let lengths = wanted.iter().fold(0u64, |mask, word| mask | length_bit(word.len()));
        for mention in doc
            .mentions()
            .iter()
            .filter(|m| !doc.blocks[m.block as usize].is_heading())
        {
            words.extend(mention.text.split(' ').filter(|word| wanted.contains(word)));
        }
        for sentence in &doc.sentences {
            if doc.blocks[sentence.block as usize].is_heading() {
                continue;
            }
            for token in &doc.tokens[sentence.tokens.start + 1..sentence.tokens.end] {
                if capitalized(token) && lengths & length_bit(token.prose.len()) != 0 {
                    let text = doc.token_text(token);
                    if wanted.contains(text) {
                        words.insert(text);
                    }
                }
            }
        }
        ProperNouns { words }
    }

    fn contains(&self, word: &str) -> bool {
        self.words.contains(word) || word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
    }
}

/// The words of a heading its case is judged from: those after the first that start with a
/// letter, short words left out.
fn judgeable_words<'d>(doc: &'d Document, block: &Block) -> Vec<&'d str> {
    doc.tokens[block.tokens.clone()]
        .iter()
        .filter(|token| token.kind == TokenKind::Word)
        .map(|token| doc.token_text(token))
        .skip(1)
        .filter(|word| {
            !SMALL_WORDS.contains(&word.to_lowercase().as_str()) && word.chars().next().is_some_and(char::is_alphabetic)
        })
        .collect()
}

/// The case of a heading with at least two judgeable words ([`judgeable_words`]).
fn case_of(proper: &ProperNouns<'_>, words: &[&str]) -> Option<Case> {
    let judged: Vec<bool> = words
        .iter()
        .filter(|word| !(word.starts_with(char::is_uppercase) && proper.contains(word)))
        .map(|word| word.starts_with(char::is_uppercase))
        .collect();
    if judged.len() < 2 {
        return None;
    }
    if judged.iter().all(|&upper| upper) {
        Some(Case::Title)
    } else if judged.iter().all(|&upper| !upper) {
        Some(Case::Sentence)
    } else {
        None
    }
}

fn recase(doc: &Document, proper: &ProperNouns<'_>, block: &Block, target: Case) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (k, token) in doc.tokens[block.tokens.clone()].iter().enumerate() {
        if token.kind != TokenKind::Word || k == 0 {
            continue;
        }
        let word = doc.slice(token.range);
        let lower = word.to_lowercase();
        let replacement = match target {
            Case::Sentence if word.starts_with(char::is_uppercase) && !proper.contains(word) => lower,
            Case::Title if word.starts_with(char::is_lowercase) && !SMALL_WORDS.contains(&lower.as_str()) => {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            _ => continue,
        };
        if replacement != word {
            edits.push(Edit::replace(token.range, replacement));
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed_at};

    const ID: &str = "headline-mismatch";

    #[test]
    fn title_and_headline_differ() {
        assert_fixed_at(
            ID,
            "---\ntitle: \"Council delays budget vote\"\n---\n\n# Council passes budget\n\nText.\n",
            "---\ntitle: \"Council delays budget vote\"\n---\n\n# Council delays budget vote\n\nText.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn mixed_heading_case() {
        assert_count(
            ID,
            "# Council delays budget vote\n\n## What the Mayor Wants Now\n\n## Where the money goes\n\nMayor Ana Reyes spoke.\n",
            1,
        );
        assert_fixed_at(
            ID,
            "# Council delays budget vote\n\n## What the Mayor Wants Now\n\n## Where the money goes\n\nMayor Ana Reyes spoke.\n",
            "# Council delays budget vote\n\n## What the mayor wants now\n\n## Where the money goes\n\nMayor Ana Reyes spoke.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn consistent_headlines_are_clean() {
        assert_clean(
            ID,
            "---\ntitle: 'Council delays “budget” vote'\n---\n\n# Council Delays \"Budget\" Vote\n\n## Reyes Speaks Out\n\n## What Springfield Wants\n\nAna Reyes lives in Springfield.\n",
        );
        assert_clean(
            ID,
            "# Council delays budget vote in Springfield\n\n## Reyes speaks\n\nAna Reyes of Springfield spoke.\n",
        );
    }
}
