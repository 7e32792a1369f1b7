//! `placeholder-text`: editorial placeholders (TK, XX, [CHECK], lorem ipsum) left in copy.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Block, Document, Token, TokenKind};

declare_rule! {
    /// ## What it does
    /// Finds editorial placeholders left in copy: TK and TKTK ("to come"), XX and XXX
    /// standing for a number or name, bracketed notes such as [TK], [CHECK] and [LINK],
    /// runs of question marks (???), and "lorem ipsum" filler.
    ///
    /// ## Why is this bad?
    /// A placeholder marks a fact the writer still owes. Published, it tells readers the
    /// story went out unfinished.
    ///
    /// ## Example
    /// ```markdown
    /// The levy would raise TK million a year, according to [CHECK] the budget office.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The levy would raise $12 million a year, according to the budget office.
    /// ```
    ///
    /// ## Not flagged
    /// - TK inside a word (TKO, Atkins) and roman numerals after a name (Super Bowl XX).
    /// - Bracketed editorial insertions in quotes ("[the] robotics section") and [sic].
    ///
    /// ## Fix safety
    /// No fix: only the writer knows what belongs there.
    pub(crate) struct PlaceholderText;
    id = "placeholder-text",
    summary = "An editorial placeholder (TK, XX, [CHECK], lorem ipsum) left in copy",
    severity = Error,
    fix = None,
    per_block = true,
}

/// Words that are placeholders inside brackets: [TK], [CHECK], [LINK].
const BRACKETED: &[&str] = &[
    "tk", "tktk", "check", "link", "xx", "xxx", "todo", "fixme", "tbd", "tbc", "name", "quote", "url", "cite",
    "source", "fact", "photo", "art", "graf", "hed", "dek", "number", "date",
];

impl Rule for PlaceholderText {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_block(&self, context: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        if !may_hold_placeholder(block.prose.as_bytes()) {
            return;
        }
        let tokens = &doc.tokens[block.tokens.clone()];
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            // Every placeholder starts with one of these bytes: skip the other tokens cheaply.
            if !matches!(
                block.prose.as_bytes()[token.prose.start()],
                b'T' | b't' | b'X' | b'x' | b'L' | b'l' | b'[' | b'?'
            ) {
                i += 1;
                continue;
            }
            let text = doc.token_text(token);
            let found = match token.kind {
                TokenKind::Punct if text == "[" => bracketed(doc, tokens, i),
                TokenKind::Punct if is_question_run(text, token, tokens.get(i + 1)) => Some((i, text.to_string())),
                TokenKind::Word if is_tk(text) || is_lorem(doc, tokens, i) || is_xx(doc, tokens, i) => {
                    let end = if is_lorem(doc, tokens, i) { i + 1 } else { i };
                    Some((end, text.to_string()))
                }
                _ => None,
            };
            let Some((last, shown)) = found else {
                i += 1;
                continue;
            };
            let range = token.range.cover(tokens[last].range);
            let shown = if last > i { doc.slice(range).to_string() } else { shown };
            out.push(Diagnostic::new(
                Self::META.id,
                Severity::Error,
                range,
                format!("Placeholder \"{shown}\" left in copy: the writer must fill it in"),
            ));
            i = last + 1;
        }
    }
}

/// Whether a block's prose holds the bytes every placeholder needs: "[", "??", "tk" or "xx"
/// in either case, or "ipsum" (after "lorem") in any case. Most blocks have none of them,
/// and one pass over the bytes is much cheaper than looking at every token.
///
/// The pass looks at every position in fixed-size chunks, with no early exit inside a
/// chunk, so that the compiler makes it vector code: searching for the letters instead
/// (memchr) stops at every "p" and "k" of the prose, and cost more than twice as much.
fn may_hold_placeholder(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(window) = rest.first_chunk::<WINDOW>() {
        if window_may_hold_placeholder(window) {
            return true;
        }
        rest = &rest[CHUNK..];
    }
    // The last positions, with zero bytes past the end: they are part of no pattern.
    loop {
        let mut padded = [0u8; WINDOW];
        let n = rest.len().min(WINDOW);
        padded[..n].copy_from_slice(&rest[..n]);
        if window_may_hold_placeholder(&padded) {
            return true;
        }
        if rest.len() <= CHUNK {
            return false;
        }
        rest = &rest[CHUNK..];
    }
}

/// Positions [`may_hold_placeholder`] looks at in one go.
const CHUNK: usize = 32;
/// A chunk and the four bytes after it, which the patterns starting in it may reach.
const WINDOW: usize = CHUNK + 4;

/// Whether a pattern of [`may_hold_placeholder`] starts in the first [`CHUNK`] bytes of `window`.
fn window_may_hold_placeholder(window: &[u8; WINDOW]) -> bool {
    // ASCII letters in lowercase; no other byte becomes a letter of a pattern.
    let lower = |b: u8| b | 0x20;
    // `&` and `|`, not `&&` and `||` below: no branch, every position computed alike.
    // First a cheaper look at pairs alone, true wherever a pattern starts ("?" for "??",
    // "x" for "xx", "ip" for "ipsum") and in few other places: most chunks stop here.
    let mut maybe = 0u8;
    for (&a, &b) in window[..CHUNK].iter().zip(&window[1..]) {
        let (la, lb) = (lower(a), lower(b));
        maybe |=
            ((a == b'[') | (a == b'?') | ((la == b't') & (lb == b'k')) | (la == b'x') | ((la == b'i') & (lb == b'p')))
                as u8;
    }
    if maybe == 0 {
        return false;
    }
    let at = |offset: usize| &window[offset..offset + CHUNK];
    let (first, second, third, fourth, fifth) = (at(0), at(1), at(2), at(3), at(4));
    let mut found = 0u8;
    for k in 0..CHUNK {
        let (a, b) = (first[k], second[k]);
        let (la, lb) = (lower(a), lower(b));
        found |= ((a == b'[')
            | ((a == b'?') & (b == b'?'))
            | ((la == b't') & (lb == b'k'))
            | ((la == b'x') & (lb == b'x'))
            | ((la == b'i')
                & (lb == b'p')
                & (lower(third[k]) == b's')
                & (lower(fourth[k]) == b'u')
                & (lower(fifth[k]) == b'm'))) as u8;
    }
    found != 0
}

/// TK, TKTK, tk: to come.
fn is_tk(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 2
        && bytes.len().is_multiple_of(2)
        && bytes.chunks(2).all(|pair| pair.eq_ignore_ascii_case(b"tk"))
        && (word.bytes().all(|b| b.is_ascii_uppercase()) || word.bytes().all(|b| b.is_ascii_lowercase()))
}

/// XX or XXX standing for a number or name, but not a roman numeral after a name (Super Bowl XX).
fn is_xx(doc: &Document, tokens: &[Token], i: usize) -> bool {
    let word = doc.token_text(&tokens[i]);
    if !matches!(word, "XX" | "XXX" | "XXXX" | "xx" | "xxx" | "xxxx") {
        return false;
    }
    let capitalized =
        |token: &Token| token.kind == TokenKind::Word && doc.token_text(token).starts_with(char::is_uppercase);
    let after_name = i > 0 && capitalized(&tokens[i - 1]) && !starts_sentence(doc, &tokens[i - 1]);
    let before_name = tokens.get(i + 1).is_some_and(capitalized);
    !((after_name || before_name) && word.starts_with('X'))
}

fn starts_sentence(doc: &Document, token: &Token) -> bool {
    doc.sentence_at(token.range.start())
        .is_some_and(|s| doc.sentences[s].range.start() == token.range.start())
}

fn is_lorem(doc: &Document, tokens: &[Token], i: usize) -> bool {
    doc.token_text(&tokens[i]).eq_ignore_ascii_case("lorem")
        && tokens
            .get(i + 1)
            .is_some_and(|next| doc.token_text(next).eq_ignore_ascii_case("ipsum"))
}

/// "???" anywhere, or "??" standing alone.
fn is_question_run(text: &str, token: &Token, next: Option<&Token>) -> bool {
    if !text.bytes().all(|b| b == b'?') || text.len() < 2 {
        return false;
    }
    text.len() >= 3 || (token.space_before && next.is_none_or(|next| next.space_before))
}

/// `[` + one to three words, the first a placeholder word, + `]`: the index of the `]`.
fn bracketed(doc: &Document, tokens: &[Token], open: usize) -> Option<(usize, String)> {
    let first = tokens.get(open + 1)?;
    if first.kind != TokenKind::Word || first.space_before {
        return None;
    }
    let word = doc.token_text(first).to_ascii_lowercase();
    if !BRACKETED.contains(&word.as_str()) {
        return None;
    }
    let all_caps = doc.token_text(first).bytes().all(|b| b.is_ascii_uppercase());
    for (offset, token) in tokens[open + 2..].iter().enumerate().take(3) {
        let text = doc.token_text(token);
        if token.kind == TokenKind::Punct && text == "]" {
            // A lowercase note longer than one word is prose ("[link to the report]").
            if offset > 0 && !all_caps {
                return None;
            }
            return Some((open + 2 + offset, String::new()));
        }
        if token.kind != TokenKind::Word {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_count, check};

    const ID: &str = "placeholder-text";

    #[test]
    fn block_scan_sees_every_placeholder() {
        use super::may_hold_placeholder;
        for text in [
            "[x",
            "a ?? b",
            "tk",
            "TK",
            "tK",
            "XX",
            "xx",
            "Lorem IPSUM",
            "lorem ipsum",
        ] {
            assert!(may_hold_placeholder(text.as_bytes()), "{text}");
        }
        assert!(!may_hold_placeholder(
            b"The total? It took a week, six boxes and lots of lore."
        ));
    }

    /// The chunked scan finds every pattern at every position, across chunk boundaries and
    /// at the very end, and nothing else.
    #[test]
    fn block_scan_sees_patterns_anywhere() {
        use super::may_hold_placeholder;
        for pattern in ["[", "??", "tK", "Tk", "xX", "iPsUm"] {
            for len in 0..80 {
                for at in 0..=len {
                    let mut text = "a".repeat(len);
                    text.insert_str(at, pattern);
                    assert!(may_hold_placeholder(text.as_bytes()), "{text}");
                }
            }
        }
        for len in 0..80 {
            let text = "a?t x ipsu k".repeat(len / 12 + 1)[..len].to_string() + " ?";
            assert!(!may_hold_placeholder(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn flags_placeholders_without_a_fix() {
        assert_eq!(
            check(ID, "The levy would raise TK million a year.\n"),
            "1:22-1:24 error Placeholder \"TK\" left in copy: the writer must fill it in\n"
        );
        assert_count(
            ID,
            "Officials said TKTK and XX people came, per [CHECK] the office.\n",
            3,
        );
        assert_count(ID, "See [LINK] and [TK], or [link].\n", 3);
        assert_count(ID, "The total was ??? dollars. Lorem ipsum dolor sit amet.\n", 2);
        assert_count(ID, "The date is ?? for now.\n", 1);
        assert_count(ID, "About $XX million was spent, and xx people came.\n", 2);
    }

    #[test]
    fn real_words_stay_silent() {
        assert_clean(ID, "Atkins won by TKO at Super Bowl XX in the XXX Corps area.\n");
        assert_clean(ID, "\"We will win [the] robotics section,\" she said [sic].\n");
        assert_clean(ID, "Why? Why?! Read [the full report] online.\n");
        assert_clean(ID, "He checked the link and the source.\n");
    }
}
