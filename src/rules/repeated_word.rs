//! `repeated-word`: the same word twice in a row.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Token, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds a word written twice in a row ("the the", "said said"), also across a line
    /// break or emphasis ("the\nthe", "the *the*").
    ///
    /// ## Why is this bad?
    /// A doubled word is the commonest slip of fast editing and pasting, and the eye skips it.
    ///
    /// ## Example
    /// ```markdown
    /// The mayor said said the plan would pass.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The mayor said the plan would pass.
    /// ```
    ///
    /// ## Not flagged
    /// - Grammatical doubles: "had had", "that that".
    /// - Reduplications: "ha ha", "bye bye", "no no", "very very" and similar.
    /// - Capitalized doubles that are names (Bora Bora, Sirhan Sirhan) and numbers.
    ///
    /// Inside quoted speech a doubled word is reported at hint level only and never fixed
    /// automatically: quotations are verbatim, and speakers repeat themselves ("it is is").
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the second word and the space before it (or the first word
    /// when markup sits between them), leaving any markup intact.
    pub(crate) struct RepeatedWord;
    id = "repeated-word",
    summary = "A word written twice in a row",
    severity = Warning,
    fix = Sometimes,
}

/// Doubles that are grammatical English.
const GRAMMATICAL: &[&str] = &["had", "that"];

/// Doubles that are deliberate reduplications.
const REDUPLICATIONS: &[&str] = &[
    "ha", "bye", "no", "very", "well", "now", "there", "knock", "blah", "yada", "tut", "chop", "night", "la", "boo",
    "go", "so", "bla", "hey", "oh", "wow", "yeah", "yes", "bang", "tick", "tsk", "yum", "ho", "hip", "rah", "hush",
    "murmur", "pooh", "cha", "aye",
];

impl Rule for RepeatedWord {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        let tokens = &doc.tokens;
        let mut at = 0;
        // From one pair of words of the same length to the next, in a tight loop over all
        // tokens: different lengths cannot be the same word, and most pairs stop there, before
        // any text. A pair across two blocks is no pair.
        while let Some(skipped) = tokens[at..].windows(2).position(|pair| {
            pair[0].prose.len() == pair[1].prose.len()
                && pair[1].kind == TokenKind::Word
                && pair[0].kind == TokenKind::Word
                && pair[1].space_before
        }) {
            let i = at + skipped + 1;
            at = i;
            let (first, second) = (&tokens[i - 1], &tokens[i]);
            if first.block != second.block {
                continue;
            }
            let prose = doc.blocks[second.block as usize].prose.as_bytes();
            // Two ASCII first letters that differ, ignoring case, differ in lowercase too.
            let (x, y) = (prose[first.prose.start()], prose[second.prose.start()]);
            if x.is_ascii() && y.is_ascii() && !x.eq_ignore_ascii_case(&y) {
                continue;
            }
            let (a, b) = (doc.token_text(first), doc.token_text(second));
            if !a.eq_ignore_case_words(b) {
                continue;
            }
            let lower = b.to_lowercase();
            if GRAMMATICAL.contains(&lower.as_str()) || REDUPLICATIONS.contains(&lower.as_str()) {
                continue;
            }
            if b.starts_with(char::is_uppercase) {
                // Bora Bora, Sirhan Sirhan; a sentence-initial "The the" has a lowercase second word.
                continue;
            }
            let range = first.range.cover(second.range);
            let quoted = doc.is_quoted(range);
            let severity = if quoted { Severity::Hint } else { Severity::Warning };
            let mut diagnostic = Diagnostic::new(Self::META.id, severity, range, format!("Word repeated: \"{a} {b}\""));
            if let Some(edit) = removal(doc, first, second) {
                diagnostic = diagnostic.with_fix(Fix::safe(format!("Remove the repeated \"{b}\""), vec![edit]));
            }
            out.push(diagnostic);
        }
    }
}

trait EqIgnoreCaseWords {
    fn eq_ignore_case_words(&self, other: &str) -> bool;
}

impl EqIgnoreCaseWords for str {
    fn eq_ignore_case_words(&self, other: &str) -> bool {
        if self.is_ascii() && other.is_ascii() {
            return self.eq_ignore_ascii_case(other) && self.bytes().any(|b| b.is_ascii_alphabetic());
        }
        self.len() == other.len()
            && self.chars().any(char::is_alphabetic)
            && self
                .chars()
                .flat_map(char::to_lowercase)
                .eq(other.chars().flat_map(char::to_lowercase))
    }
}

/// The edit that removes the second word (or the first, when markup sits between them).
fn removal(doc: &Document, first: &Token, second: &Token) -> Option<Edit> {
    let block = &doc.blocks[first.block as usize];
    if block.is_verbatim(TextRange::new(first.prose.start(), second.prose.end()))
        || doc
            .slice(TextRange::new(first.range.end(), second.range.start()))
            .trim()
            .is_empty()
    {
        return Some(Edit::delete(TextRange::new(first.range.end(), second.range.end())));
    }
    // Markup between the words ("the *the*"): remove the first word and the space after it.
    let after_first = &doc.text[first.range.end()..];
    let spaces = after_first.len() - after_first.trim_start_matches([' ', '\t']).len();
    if spaces > 0 {
        return Some(Edit::delete(TextRange::new(
            first.range.start(),
            first.range.end() + spaces,
        )));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed, check};

    const ID: &str = "repeated-word";

    #[test]
    fn flags_and_fixes_a_doubled_word() {
        assert_eq!(
            check(ID, "The mayor said said the plan would pass.\n"),
            "1:11-1:20 warning Word repeated: \"said said\" [safe: Remove the repeated \"said\"]\n"
        );
        assert_fixed(
            ID,
            "The mayor said said the plan would pass.\n",
            "The mayor said the plan would pass.\n",
        );
    }

    #[test]
    fn across_line_breaks_and_markup() {
        assert_fixed(ID, "It was the\nthe best plan.\n", "It was the best plan.\n");
        assert_fixed(ID, "It was the *the* best plan.\n", "It was *the* best plan.\n");
        assert_fixed(ID, "The the council met.\n", "The council met.\n");
    }

    #[test]
    fn legitimate_doubles_stay_silent() {
        assert_clean(ID, "She had had enough. He said that that was over.\n");
        assert_clean(
            ID,
            "The crowd chanted \"no, no\" and then \"bye bye\" as ha ha echoed.\n",
        );
        assert_clean(ID, "They flew to Bora Bora. Sirhan Sirhan was convicted in 1969.\n");
        assert_clean(ID, "The vote was 4 4 in the first round.\n");
        assert_clean(ID, "The vote. The result.\n");
        assert_clean(ID, "It was the\n\nthe end.\n\n- said\n- said\n");
    }

    #[test]
    fn quoted_speech_is_a_hint_without_an_automatic_fix() {
        let found = check(ID, "\"What it is is a disgrace,\" she said.\n");
        assert!(found.starts_with("1:10-1:15 hint"), "{found}");
        assert!(found.contains("[display-only:"), "{found}");
        assert_fixed(
            ID,
            "\"What it is is a disgrace,\" she said.\n",
            "\"What it is is a disgrace,\" she said.\n",
        );
    }

    #[test]
    fn code_is_not_prose() {
        assert_clean(ID, "Run `the the` here.\n\n```\nthe the\n```\n");
        assert_count(ID, "Run `x` and the the test.\n", 1);
    }
}
