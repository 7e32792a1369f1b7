//! Sentence boundaries in news copy.
//!
//! A sentence ends at `.`, `!`, `?` or an ellipsis, with any closing quote marks and
//! brackets that follow. Not at an abbreviation that always precedes a name or number
//! (Mr., Sen., Jan., No. 5), nor at an initial (Franklin D. Roosevelt), nor inside a
//! number ($3.5 billion). After an abbreviation that may end a sentence (U.S., Inc., a.m.)
//! there is a boundary only when a sentence-starting word follows ("in the U.S. The ...").
//! `!` and `?` before a lowercase word do not end the sentence (`"Why?" she asked`); a
//! plain period before a lowercase word does, so debris like ". the council" is seen.

use super::lexicon::{AbbreviationClass, WORD_STARTER, lexicon};
use super::markdown::Block;
use super::tokens::{Token, TokenKind};
use crate::text::TextRange;

/// One sentence of one block.
#[derive(Clone, Debug)]
pub struct Sentence {
    pub block: u32,
    /// Index range into [`crate::Document::tokens`].
    pub tokens: std::ops::Range<usize>,
    /// Source range from the first token's start to the last token's end.
    pub range: TextRange,
    /// Range in the block's prose.
    pub prose: TextRange,
}

/// Splits a block's tokens into sentences. `terminals` lists, in order, the indexes in
/// `tokens` of those that may end a sentence ([`super::tokens::may_end_sentence`]); the others
/// are not looked at.
pub fn split(
    block: &Block,
    block_idx: u32,
    tokens: &[Token],
    token_offset: usize,
    terminals: &[u32],
    out: &mut Vec<Sentence>,
) {
    let text = |token: &Token| &block.prose[token.prose.as_range()];
    let mut start = 0;
    let mut i = 0;
    for &terminal in terminals {
        let terminal = terminal as usize;
        if terminal < i {
            // Taken in with the closing marks of the terminal before it.
            continue;
        }
        i = terminal;
        let Some(after_terminal) = terminal_end(block, tokens, i) else {
            i += 1;
            continue;
        };
        let next = tokens.get(after_terminal);
        let boundary = match next {
            None => true,
            Some(next) => is_boundary(
                text(&tokens[i]),
                &tokens[i],
                next,
                text(next),
                tokens.get(after_terminal + 1).map(text),
                after_terminal > i + 1,
            ),
        };
        if boundary {
            push(block, block_idx, tokens, token_offset, start..after_terminal, out);
            start = after_terminal;
        }
        i = after_terminal.max(i + 1);
    }
    if start < tokens.len() {
        push(block, block_idx, tokens, token_offset, start..tokens.len(), out);
    }
}

fn push(
    block: &Block,
    block_idx: u32,
    tokens: &[Token],
    token_offset: usize,
    range: std::ops::Range<usize>,
    out: &mut Vec<Sentence>,
) {
    let first = &tokens[range.start];
    let last = &tokens[range.end - 1];
    let _ = block;
    out.push(Sentence {
        block: block_idx,
        tokens: token_offset + range.start..token_offset + range.end,
        range: TextRange::new(first.range.start(), last.range.end()),
        prose: TextRange::new(first.prose.start(), last.prose.end()),
    });
}

/// If token `i` can end a sentence, the index just past it and any closing marks attached to it.
fn terminal_end(block: &Block, tokens: &[Token], i: usize) -> Option<usize> {
    let token = &tokens[i];
    let text = &block.prose.as_bytes()[token.prose.as_range()];
    let terminal = match token.kind {
        TokenKind::Punct => matches!(text.first(), Some(b'.' | b'!' | b'?')) || text == "…".as_bytes(),
        TokenKind::Word => text.last() == Some(&b'.'),
        _ => false,
    };
    if !terminal {
        return None;
    }
    let mut end = i + 1;
    while let Some(next) = tokens.get(end) {
        let next_text = &block.prose[next.prose.as_range()];
        let closing = !next.space_before
            && match next.kind {
                TokenKind::Quote => is_closing_mark(next_text),
                TokenKind::Punct => matches!(next_text, ")" | "]"),
                _ => false,
            };
        if !closing {
            break;
        }
        end += 1;
    }
    Some(end)
}

fn is_closing_mark(text: &str) -> bool {
    // Straight marks are ambiguous by shape; a mark glued to the terminal closes.
    matches!(text, "”" | "’" | "\"" | "'" | "»")
}

fn is_boundary(
    terminal: &str,
    terminal_token: &Token,
    next: &Token,
    next_text: &str,
    after_next: Option<&str>,
    closed_quote: bool,
) -> bool {
    let _ = terminal_token;
    if !next.space_before {
        return false;
    }
    let first = next_text.chars().next().unwrap_or(' ');
    let starts_upper = first.is_uppercase();
    let starts_lower = first.is_lowercase();
    let opens_quote = next.kind == TokenKind::Quote;
    if next.kind == TokenKind::Punct && matches!(next_text, "," | ";" | ":" | ")" | "]" | "—" | "–") {
        // Debris such as ". ," belongs to the sentence before it, and no sentence opens
        // with a dash: "SPRINGFIELD, Ill. — The council ..." is one sentence.
        return false;
    }
    let starter = || (next.has(WORD_STARTER) && starts_upper) || opens_quote;
    if terminal == "…" || terminal.starts_with("..") {
        return starts_upper || opens_quote;
    }
    if terminal.starts_with(['!', '?']) {
        return !starts_lower;
    }
    if terminal.starts_with('.') {
        return true;
    }
    // A word with its period: an abbreviation or an initial.
    let word = &terminal[..terminal.len() - 1];
    if word.contains('.') {
        // U.S., D.C., a.m., J.R.R.: a boundary before a sentence starter.
        let is_initials = word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
        if is_initials && word.len() >= 3 && starts_upper && !starter() {
            return false;
        }
        return (starts_upper && starter()) || (opens_quote && !closed_quote) || closed_quote && starts_upper;
    }
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        // An initial: Franklin D. Roosevelt.
        return starts_upper
            && starter()
            && after_next.is_none_or(|w| !w.starts_with(char::is_uppercase) || next_text != "A");
    }
    match lexicon().abbreviation(word) {
        Some(AbbreviationClass::Title) => false,
        Some(AbbreviationClass::Month) => !(first.is_ascii_digit() || starts_lower) && starts_upper && starter(),
        Some(AbbreviationClass::Number) => false,
        Some(AbbreviationClass::Ambiguous) => (starts_upper && starter()) || closed_quote,
        None => true,
    }
}
