//! `invisible-character`: zero-width characters, soft hyphens, stray non-breaking spaces,
//! bidirectional controls, tabs and double spaces in prose.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::{WORD_ADJECTIVE, WORD_ADVERB, WORD_ANY_VERB, WORD_FUNCTION, WORD_NOUN, lexicon};
use crate::document::{Block, BlockKind, Document, Token, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds characters a reader cannot see but that break words, search and line
    /// wrapping: zero-width spaces and joiners inside words, soft hyphens, non-breaking
    /// spaces inside words, bidirectional control characters, a tab inside prose, and two
    /// spaces between words.
    ///
    /// ## Why is this bad?
    /// Pasted from a CMS, a PDF or a chat app, these characters split words for
    /// spellcheckers and search engines ("gov\u200Bernment" is not "government"), make lines
    /// wrap or render oddly, and bidirectional controls can reorder what a reader sees.
    ///
    /// ## Example
    /// ```markdown
    /// The gov&#8203;ernment said the  plan would pass.
    /// ```
    /// (with a real zero-width space after "gov" and two spaces before "plan").
    /// Use instead:
    /// ```markdown
    /// The government said the plan would pass.
    /// ```
    ///
    /// ## Not flagged
    /// - Non-breaking spaces between words ("10 km", "Mr. Lee") and two spaces after a sentence.
    /// - Zero-width joiners in emoji and zero-width non-joiners between letters of scripts
    ///   that use them (Persian, Hindi); zero-width spaces in Thai, Khmer and similar scripts.
    /// - Direction marks next to right-to-left text.
    /// - Spacing inside table cells and code.
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the invisible character, or replaces the tab or the run of
    /// spaces with one space.
    pub(crate) struct InvisibleCharacter;
    id = "invisible-character",
    summary = "An invisible character (zero-width, soft hyphen, bidi control, tab, double space) in prose",
    severity = Warning,
    fix = Sometimes,
    per_block = true,
}

impl Rule for InvisibleCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_block(&self, context: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        let tokens = &doc.tokens[block.tokens.clone()];
        let prose = &*block.prose;
        if !may_have_findings(prose) {
            return;
        }
        for (i, token) in tokens.iter().enumerate() {
            if token.kind == TokenKind::Punct
                && prose.as_bytes()[token.prose.start()] >= 0x80
                && let Some(ch) = prose[token.prose.as_range()].chars().next()
                && let Some(name) = invisible(prose, token.prose, ch)
            {
                // Only a zero-width space may stand for a lost space; joiners and soft
                // hyphens sit inside words by definition.
                let separates = ch == '\u{200B}' && separates_words(doc, tokens, i);
                let name = if separates {
                    "Zero-width space between words"
                } else {
                    name
                };
                out.push(deletion(block, token.prose, token.range, name, separates));
            }
            if i > 0 && token.space_before && !token.newline_before {
                let gap = TextRange::new(tokens[i - 1].prose.end(), token.prose.start());
                if gap.len() == 1 && prose.as_bytes()[gap.start()] == b' ' {
                    continue;
                }
                if let Some(diagnostic) = spacing(doc, block, &tokens[i - 1], token, gap) {
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// Whether a block's prose holds anything this rule could report: a tab, two spaces in a
/// row, or one of the characters it looks at (non-breaking space, soft hyphen, zero-width
/// characters, direction marks and bidirectional controls). Most blocks hold none of
/// them, and a byte scan for them is much cheaper than looking at every token and gap.
fn may_have_findings(prose: &str) -> bool {
    let bytes = prose.as_bytes();
    let (spacing, non_ascii) = spacing_and_non_ascii(bytes);
    if spacing {
        return true;
    }
    if !non_ascii {
        // Every character looked at is outside ASCII.
        return false;
    }
    // Every character looked at is encoded with one of these lead bytes (U+00A0 and U+00AD:
    // C2; U+061C: D8; U+200B to U+2069: E2; U+FEFF: EF), which never occur inside a character.
    let looked_at = |at: usize| {
        prose[at..].chars().next().is_some_and(|ch| {
            matches!(
                ch,
                '\u{a0}'
                    | '\u{ad}'
                    | '\u{61c}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2060}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{feff}'
            )
        })
    };
    memchr::memchr3_iter(0xC2, 0xD8, 0xE2, bytes).any(looked_at) || memchr::memchr_iter(0xEF, bytes).any(looked_at)
}

/// Positions [`spacing_and_non_ascii`] looks at in one go.
const CHUNK: usize = 32;

/// Whether `bytes` hold a tab or two spaces in a row, and whether they hold a byte outside
/// ASCII. One pass in fixed-size chunks, with no early exit inside a chunk, so that the
/// compiler makes it vector code: cheaper than a search for each (memchr, memmem), and
/// most prose is ASCII, so the characters looked at need no search at all.
fn spacing_and_non_ascii(bytes: &[u8]) -> (bool, bool) {
    let (mut spacing, mut non_ascii) = (false, false);
    // Each chunk with the byte after it, which a pair of spaces starting in it may reach.
    let mut scan = |window: &[u8; CHUNK + 1]| {
        let (mut pairs, mut high) = (0u8, 0u8);
        // `&` and `|`, not `&&` and `||`: no branch, every position computed alike.
        for (&a, &b) in window[..CHUNK].iter().zip(&window[1..]) {
            pairs |= ((a == b'\t') | ((a == b' ') & (b == b' '))) as u8;
            high |= (a >= 0x80) as u8;
        }
        spacing |= pairs != 0;
        non_ascii |= high != 0;
        spacing
    };
    let mut rest = bytes;
    while let Some(window) = rest.first_chunk::<{ CHUNK + 1 }>() {
        if scan(window) {
            return (true, non_ascii);
        }
        rest = &rest[CHUNK..];
    }
    // The last positions, with zero bytes past the end (neither spaces nor outside ASCII).
    while !rest.is_empty() {
        let mut padded = [0u8; CHUNK + 1];
        let n = rest.len().min(CHUNK + 1);
        padded[..n].copy_from_slice(&rest[..n]);
        scan(&padded);
        rest = &rest[n.min(CHUNK)..];
    }
    (spacing, non_ascii)
}

fn is_latin(ch: char) -> bool {
    ch.is_ascii() || (ch.is_alphabetic() && (ch as u32) < 0x0250)
}

fn is_latin_letter(ch: char) -> bool {
    ch.is_alphanumeric() && (ch as u32) < 0x0250
}

/// Scripts that break words with zero-width spaces: Thai, Lao, Tibetan, Myanmar, Khmer.
fn uses_zero_width_space(ch: char) -> bool {
    matches!(ch as u32, 0x0E00..=0x0FFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x1950..=0x19DF)
}

/// What an invisible character at `range` is called, when it is out of place there.
fn invisible(prose: &str, range: TextRange, ch: char) -> Option<&'static str> {
    let before = prose[..range.start()].chars().next_back();
    let after = prose[range.end()..].chars().next();
    let between_latin_letters = before.is_some_and(is_latin_letter) && after.is_some_and(is_latin_letter);
    let near_latin_only = before.is_none_or(is_latin) && after.is_none_or(is_latin);
    match ch {
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {
            let in_script = before.is_some_and(uses_zero_width_space) || after.is_some_and(uses_zero_width_space);
            (!in_script).then_some(if between_latin_letters {
                "Zero-width space inside a word"
            } else {
                "Zero-width space"
            })
        }
        '\u{200C}' | '\u{200D}' => between_latin_letters.then_some("Zero-width joiner inside a word"),
        '\u{00AD}' => (before.is_some_and(char::is_alphabetic) || after.is_some_and(char::is_alphabetic))
            .then_some("Soft hyphen inside a word"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some("Invisible bidirectional control character"),
        '\u{200E}' | '\u{200F}' | '\u{061C}' => near_latin_only.then_some("Direction mark in left-to-right text"),
        _ => None,
    }
}

/// A finding for an invisible character, with a fix when the prose maps to source exactly:
/// deleting it (safe), or putting a space in its place when it stands between two words
/// (unsafe: "on\u{200B}Tuesday" may have lost a space, or not).
fn deletion(block: &Block, prose: TextRange, source: TextRange, name: &str, separates: bool) -> Diagnostic {
    let diagnostic = Diagnostic::new(InvisibleCharacter::META.id, Severity::Warning, source, name.to_string());
    if !block.is_verbatim(prose) {
        diagnostic
    } else if separates {
        diagnostic.with_fix(Fix::unsafe_(
            "Replace the invisible character with a space",
            vec![Edit::replace(source, " ")],
        ))
    } else {
        diagnostic.with_fix(Fix::safe("Delete the invisible character", vec![Edit::delete(source)]))
    }
}

/// Whether the invisible token `i` stands between two words rather than inside one: a
/// lowercase letter before a capital ("on\u{200B}Tuesday"), or two known words that do not
/// make one ("mayor\u{200B}said").
fn separates_words(doc: &Document, tokens: &[Token], i: usize) -> bool {
    let (Some(prev), Some(next)) = (i.checked_sub(1).map(|p| &tokens[p]), tokens.get(i + 1)) else {
        return false;
    };
    if prev.kind != TokenKind::Word || next.kind != TokenKind::Word || next.space_before || tokens[i].space_before {
        return false;
    }
    let (a, b) = (doc.token_text(prev), doc.token_text(next));
    if a.ends_with(char::is_lowercase) && b.starts_with(char::is_uppercase) {
        return true;
    }
    const CLASSES: u32 = WORD_NOUN | WORD_ANY_VERB | WORD_ADJECTIVE | WORD_ADVERB | WORD_FUNCTION;
    prev.info & CLASSES != 0 && next.info & CLASSES != 0 && lexicon().word_info(&format!("{a}{b}")) & CLASSES == 0
}

/// Tabs, runs of spaces and non-breaking spaces inside words in the gap between two tokens.
fn spacing(doc: &Document, block: &Block, prev: &Token, token: &Token, gap: TextRange) -> Option<Diagnostic> {
    let text = &block.prose[gap.as_range()];
    let source = block.range_to_source(gap);
    if doc.slice(source) != text {
        // Markup or inline HTML sits between the words: the spacing is not in the text.
        return None;
    }
    let replace = |message: &str, title: &str, with: &str| {
        let diagnostic = Diagnostic::new(
            InvisibleCharacter::META.id,
            Severity::Warning,
            source,
            message.to_string(),
        );
        Some(if block.is_verbatim(gap) {
            diagnostic.with_fix(Fix::safe(title.to_string(), vec![Edit::replace(source, with)]))
        } else {
            diagnostic
        })
    };
    if text.contains('\t') {
        return replace("Tab inside prose", "Replace the tab with a space", " ");
    }
    if text == "\u{a0}" {
        if prev.kind == TokenKind::Word && token.kind == TokenKind::Word && splits_a_word(doc, prev, token) {
            return replace("Non-breaking space inside a word", "Delete the non-breaking space", "");
        }
        return None;
    }
    let spaces = text.chars().all(|c| c == ' ' || c == '\u{a0}') && text.chars().count() >= 2;
    if spaces && block.kind != BlockKind::TableCell && !ends_sentence(doc, prev) {
        return replace("Two spaces between words", "Replace with one space", " ");
    }
    None
}

/// Whether two words joined make a known word that at least one of them is not ("gov ernment").
fn splits_a_word(doc: &Document, prev: &Token, token: &Token) -> bool {
    const CLASSES: u32 = WORD_NOUN | WORD_ANY_VERB | WORD_ADJECTIVE | WORD_ADVERB | WORD_FUNCTION;
    let (a, b) = (doc.token_text(prev), doc.token_text(token));
    if !a.chars().all(char::is_alphabetic) || !b.chars().all(char::is_lowercase) {
        return false;
    }
    let joined = format!("{a}{b}");
    lexicon().word_info(&joined) & CLASSES != 0 && (prev.info & CLASSES == 0 || token.info & CLASSES == 0)
}

/// Whether a token ends a sentence (two spaces after a period are a typing habit, not debris).
fn ends_sentence(doc: &Document, token: &Token) -> bool {
    let text = doc.token_text(token);
    match token.kind {
        TokenKind::Punct => {
            matches!(text, "." | "!" | "?" | "…" | ")" | "]" | ":") || text.starts_with(['.', '!', '?'])
        }
        TokenKind::Quote => true,
        TokenKind::Word => text.ends_with('.'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed, assert_fixed_at, check};

    const ID: &str = "invisible-character";

    /// The byte scan that skips blocks must see every character the rule can name, and
    /// every gap it can report.
    #[test]
    fn block_scan_sees_every_finding() {
        use super::{invisible, may_have_findings};
        use crate::text::TextRange;
        for ch in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for (before, after) in [("a", "b"), (" ", " "), ("\u{0E01}", "a"), ("", "")] {
                let prose = format!("{before}{ch}{after}");
                let range = TextRange::new(before.len(), before.len() + ch.len_utf8());
                if invisible(&prose, range, ch).is_some() {
                    assert!(may_have_findings(&prose), "U+{:04X} missed", ch as u32);
                }
            }
        }
        assert!(!may_have_findings("A plain line, with “quotes” — and dashes."));
        for gap in ["\t", "  ", "\u{a0}", " \u{a0}"] {
            assert!(may_have_findings(&format!("a{gap}b")));
        }
        // At every position, across the chunks of the scan and at the very end.
        for len in 0..80 {
            for at in 0..=len {
                for gap in ["\t", "  ", "\u{200b}"] {
                    let mut prose = "a b".repeat(len / 3 + 1)[..len].to_string();
                    prose.insert_str(at, gap);
                    assert!(may_have_findings(&prose), "{prose:?}");
                }
            }
            let prose = "a b ".repeat(len / 4 + 1)[..len].to_string();
            assert!(!may_have_findings(&prose), "{prose:?}");
            assert!(!may_have_findings(&format!("{prose}“—”")), "{prose:?}");
        }
        assert_eq!(check(ID, "The  plan \u{2014} “it’s” set.\n").lines().count(), 1);
    }

    #[test]
    fn zero_width_and_soft_hyphens_inside_words() {
        assert_eq!(
            check(ID, "The gov\u{200B}ernment said so.\n"),
            "1:8-1:9 warning Zero-width space inside a word [safe: Delete the invisible character]\n"
        );
        assert_fixed(
            ID,
            "The gov\u{200B}ern\u{00AD}ment and the coun\u{200D}cil met.\n",
            "The government and the council met.\n",
        );
        assert_fixed(ID, "A \u{202E}reversed\u{202C} word.\n", "A reversed word.\n");
        // Between two words, the character may have stood for a space: an unsafe fix.
        let text = "They met on\u{200B}Tuesday and the mayor\u{200B}said so.\n";
        assert_fixed(ID, text, text);
        assert_fixed_at(
            ID,
            text,
            "They met on Tuesday and the mayor said so.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn spacing() {
        assert_fixed(
            ID,
            "The mayor said the  plan would\tpass.\n",
            "The mayor said the plan would pass.\n",
        );
        assert_fixed(ID, "The gov\u{a0}ernment met.\n", "The government met.\n");
        assert_count(ID, "The  plan. Two spaces after a sentence.  Fine.\n", 1);
    }

    #[test]
    fn legitimate_uses_stay_silent() {
        assert_clean(
            ID,
            "It is 10\u{a0}km from Mr.\u{a0}Lee's house. The family \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} came.\n",
        );
        assert_clean(
            ID,
            "He wrote \u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645} in Persian.\n",
        );
        assert_clean(ID, "Thai: \u{0E2A}\u{0E27}\u{0E31}\u{200B}\u{0E2A}\u{0E14}\u{0E35}.\n");
        assert_clean(ID, "Code `a  b` and\n\n```\nx\t\ty\n```\n");
        assert_clean(ID, "Click \"Ignore <rule> here\" to hide it.\n");
        assert_clean(ID, "| a | b |\n| --- | --- |\n| one  two | three |\n");
    }
}
