//! `lowercase-sentence-start`: a sentence that begins in lowercase after a period.

use super::sentence_fragment::is_fragment;
use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::{WORD_CONJUNCTION, WORD_DETERMINER, WORD_PREPOSITION};
use crate::document::{Document, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds a sentence that begins with a lowercase letter after a period, as in
    /// "...before the vote. the council then adjourned".
    ///
    /// ## Why is this bad?
    /// It is the trace of an edit: a sentence was cut or joined and the capital got lost,
    /// or a period crept in where the sentence went on.
    ///
    /// ## Example
    /// ```markdown
    /// The talks ended before the vote. the council then adjourned.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The talks ended before the vote. The council then adjourned.
    /// ```
    ///
    /// ## Not flagged
    /// - Lowercase brands and names (iPhone, eBay, adidas, bell hooks) and any name with a
    ///   capital inside it; add your own in `copydesk.toml` as `lowercase-brands`.
    /// - Words after an abbreviation that does not end the sentence (etc., vs., approx.),
    ///   code, list markers, and sentences after a question or exclamation mark.
    /// - Inside a quotation (a quoted post may be all lowercase), the finding is a hint.
    ///
    /// ## Fix safety
    /// Safe: the fix capitalizes the first letter. When the sentence before is a fragment
    /// or ends on a word that cannot end a sentence ("before the. vote"), the period is the
    /// likelier mistake, so the fixes are unsafe: join the two sentences (delete the
    /// period), or capitalize.
    pub(crate) struct LowercaseSentenceStart;
    id = "lowercase-sentence-start",
    summary = "A sentence that begins in lowercase after a period",
    severity = Warning,
    fix = Always,
}

/// Lowercase brands and names that may start a sentence (names with an inner capital, such
/// as iPhone or eBay, are recognized by their shape).
const LOWERCASE_NAMES: &[&str] = &[
    "adidas",
    "bpost",
    "npm",
    "will.i.am",
    "k.d.",
    "e.e.",
    "danah",
    "bell",
    "tesa",
];

/// Lowercase abbreviations whose period does not end a sentence.
const LOWERCASE_ABBREVIATIONS: &[&str] = &[
    "etc", "vs", "v", "approx", "cf", "al", "ca", "incl", "esp", "viz", "ibid", "pp", "vol", "ed", "eds", "est",
    "dept", "govt", "misc", "min", "max", "no", "nos", "op", "fig", "ft", "mt", "st", "ave", "blvd", "rd", "mr", "mrs",
    "ms", "dr", "sr", "jr", "lb", "lbs", "oz", "km", "mi", "sq", "yr", "yrs", "hr", "hrs", "mo", "mos",
];

impl Rule for LowercaseSentenceStart {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for idx in 1..doc.sentences.len() {
            let sentence = &doc.sentences[idx];
            let previous = &doc.sentences[idx - 1];
            if previous.block != sentence.block {
                continue;
            }
            let block = &doc.blocks[sentence.block as usize];
            let first = &doc.sentence_tokens(sentence)[0];
            if first.kind != TokenKind::Word {
                continue;
            }
            let text = doc.token_text(first);
            let Some(initial) = text.chars().next() else { continue };
            if !initial.is_lowercase() || text.chars().skip(1).any(char::is_uppercase) {
                // Not lowercase, or a name with an inner capital (iPhone, eBay, mRNA).
                continue;
            }
            let tokens = doc.sentence_tokens(sentence);
            let glued = |k: usize| tokens.get(k).is_some_and(|token| !token.space_before);
            let file_name = glued(1) && tokens.get(1).is_some_and(|dot| doc.token_text(dot) == ".") && glued(2);
            if file_name || text.contains(['.', '_', '+', '@', '#', '/']) || text.contains(|c: char| c.is_ascii_digit())
            {
                // A file name, handle or product code: architecture.md, @user, x86.
                continue;
            }
            let bare = crate::document::mentions::strip_possessive(text);
            let brand = |name: &str| name == bare;
            if LOWERCASE_NAMES.iter().any(|name| brand(name))
                || context.config.lowercase_brands.iter().any(|name| brand(name))
            {
                continue;
            }
            if text.chars().count() == 1
                && tokens
                    .get(1)
                    .is_some_and(|next| !next.space_before && matches!(doc.token_text(next), ")" | "." | ":"))
            {
                // A list marker inside a paragraph: "b) Refusing ...".
                continue;
            }
            let previous_tokens = doc.sentence_tokens(previous);
            let Some(period) = previous_tokens.last() else { continue };
            if previous_tokens.len() == 2
                && (previous_tokens[0].kind == TokenKind::Number
                    || doc.token_text(&previous_tokens[0]).chars().count() == 1)
            {
                // After an enumerator: "1. rust-analyzer", "b. the council".
                continue;
            }
            if period.kind == TokenKind::Punct && doc.token_text(period) == "." && previous_tokens.len() >= 2 {
                let before = &previous_tokens[previous_tokens.len() - 2];
                let before_text = doc.token_text(before).to_lowercase();
                let single_letter = before.kind == TokenKind::Word && before_text.chars().count() == 1;
                if !period.space_before && (LOWERCASE_ABBREVIATIONS.contains(&before_text.as_str()) || single_letter) {
                    // "etc. and", "vs. the", a list marker "a."
                    continue;
                }
            }
            let quoted = doc.is_quoted(first.range);
            let severity = if quoted { Severity::Hint } else { Severity::Warning };
            let capital: String = initial.to_uppercase().collect();
            let capitalize = Edit::replace(
                TextRange::new(first.range.start(), first.range.start() + initial.len_utf8()),
                capital.clone(),
            );
            let mut diagnostic = Diagnostic::new(
                Self::META.id,
                severity,
                first.range,
                format!("Sentence starts in lowercase: \"{text}\""),
            );
            if !block.is_verbatim(first.prose) {
                out.push(diagnostic);
                continue;
            }
            let join = join_fix(doc, idx - 1);
            let capitalize_title = format!("Capitalize \"{capital}{}\"", &text[initial.len_utf8()..]);
            if let Some(join) = join {
                diagnostic = diagnostic
                    .with_fix(join)
                    .with_fix(Fix::unsafe_(capitalize_title, vec![capitalize]));
            } else {
                diagnostic = diagnostic.with_fix(Fix::safe(capitalize_title, vec![capitalize]));
            }
            out.push(diagnostic);
        }
    }
}

/// Joining to the previous sentence (deleting its period), when that sentence is a
/// fragment or ends on a word that cannot end one ("before the.").
fn join_fix(doc: &Document, previous_idx: usize) -> Option<Fix> {
    let previous = &doc.sentences[previous_idx];
    let tokens = doc.sentence_tokens(previous);
    let period = tokens.last()?;
    if period.kind != TokenKind::Punct || doc.token_text(period) != "." || tokens.len() < 2 {
        return None;
    }
    let before = &tokens[tokens.len() - 2];
    let dangling = before.kind == TokenKind::Word
        && before.has(WORD_DETERMINER | WORD_PREPOSITION | WORD_CONJUNCTION)
        && matches!(
            doc.token_text(before).to_lowercase().as_str(),
            "the"
                | "a"
                | "an"
                | "of"
                | "and"
                | "or"
                | "but"
                | "to"
                | "for"
                | "with"
                | "from"
                | "at"
                | "by"
                | "into"
                | "than"
                | "nor"
                | "because"
                | "its"
                | "their"
                | "our"
                | "his"
                | "her"
                | "my"
                | "your"
                | "every"
        );
    (dangling || is_fragment(doc, previous_idx))
        .then(|| Fix::unsafe_("Join to the previous sentence", vec![Edit::delete(period.range)]))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::fix::Applicability;
    use crate::lint::lint_text;
    use crate::rules::testing::{assert_clean, assert_fixed, assert_fixed_at, check};

    const ID: &str = "lowercase-sentence-start";

    #[test]
    fn flags_and_capitalizes() {
        assert_eq!(
            check(ID, "The talks ended before the vote. the council then adjourned.\n"),
            "1:34-1:37 warning Sentence starts in lowercase: \"the\" [safe: Capitalize \"The\"]\n"
        );
        assert_fixed(
            ID,
            "The talks ended before the vote. the council then adjourned.\n",
            "The talks ended before the vote. The council then adjourned.\n",
        );
    }

    #[test]
    fn joins_after_a_dangling_word() {
        let text = "The council met before the. vote was called on Tuesday.\n";
        assert_fixed(ID, text, text);
        assert_fixed_at(
            ID,
            text,
            "The council met before the vote was called on Tuesday.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn brands_abbreviations_and_questions_stay_silent() {
        assert_clean(ID, "Sales rose. iPhone shipments fell. eBay gained. adidas lost.\n");
        assert_clean(
            ID,
            "They sold books, maps, etc. and other goods. Smith vs. the state.\n",
        );
        assert_clean(
            ID,
            "\"Why?\" she asked. \"Now!\" he said. It ended at 5 p.m. and then resumed.\n",
        );
        assert_clean(ID, "Run `ls`. `x` is set.\n");
        assert_clean(ID, "Two duties: a) to serve the world. b) Refusing to give in.\n");
        assert_clean(
            ID,
            "## 1. rust-analyzer and ruff\n\nSee the notes. architecture.md says so. @copydesk posted it.\n",
        );
    }

    #[test]
    fn configured_brands_and_quotes() {
        let config = Config {
            select: Some(vec![ID.to_string()]),
            lowercase_brands: vec!["dnata".to_string()],
            ..Config::default()
        };
        let (_, result) = lint_text("Sales rose. dnata said so.\n", &config);
        assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
        let found = check(ID, "She posted: \"we won. no one believed us.\"\n");
        assert!(found.starts_with("1:22-1:24 hint"), "{found}");
    }
}
