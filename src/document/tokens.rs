//! Words, numbers and punctuation of prose, with spans.

use super::lexicon::lexicon;
use super::markdown::{Block, PLACEHOLDER};
use crate::text::TextRange;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with inner hyphens, apostrophes or periods (don’t, Jae-sun, U.S.).
    Word,
    /// Digits, possibly with inner separators (3.5, 1,000, 9/11, 3:30).
    Number,
    /// One punctuation or symbol character, or a run of `.`, `!`, `?` (`...`, `?!`).
    Punct,
    /// A quotation mark (not an apostrophe).
    Quote,
    /// A URL, e-mail address or domain name.
    Url,
    /// Inline code, math, an image or a footnote reference.
    Placeholder,
}

/// One token of a block's prose.
#[derive(Copy, Clone, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub block: u32,
    /// Range in the block's prose.
    pub prose: TextRange,
    /// Range in the document source.
    pub range: TextRange,
    /// Whether whitespace comes before the token in prose (true at a block start).
    pub space_before: bool,
    /// Whether a line break comes before the token.
    pub newline_before: bool,
}

fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || is_combining_mark(ch)
}

fn is_combining_mark(ch: char) -> bool {
    matches!(ch as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_hyphen(ch: char) -> bool {
    matches!(ch, '-' | '\u{2010}' | '\u{2011}')
}

const TLDS: &[&str] = &[
    "com", "org", "net", "gov", "edu", "mil", "int", "info", "io", "co", "uk", "us", "ca", "au", "de", "fr", "in",
    "cn", "jp", "ru", "nz", "ie", "eu", "news", "tv", "ly", "me",
];

/// Splits one block's prose into tokens. `apostrophes` holds prose offsets of quote marks
/// that are apostrophes; `quote_marks` those that open or close quotations.
pub fn tokenize(block: &Block, block_idx: u32, apostrophes: &[u32], quote_marks: &[u32], out: &mut Vec<Token>) {
    let prose = block.prose.as_str();
    let bytes = prose.as_bytes();
    let mut i = 0;
    let mut space_before = true;
    let mut newline_before = false;
    let is_apostrophe = |offset: usize| apostrophes.binary_search(&(offset as u32)).is_ok();
    let is_quote = |offset: usize| quote_marks.binary_search(&(offset as u32)).is_ok();
    while i < prose.len() {
        let ch = prose[i..].chars().next().unwrap_or(' ');
        if ch.is_whitespace() {
            space_before = true;
            newline_before |= ch == '\n';
            i += ch.len_utf8();
            continue;
        }
        let start = i;
        let kind;
        if let Some(end) = url_end(prose, i) {
            kind = TokenKind::Url;
            i = end;
        } else if ch == PLACEHOLDER {
            kind = TokenKind::Placeholder;
            i += ch.len_utf8();
        } else if is_word_char(ch) || (is_apostrophe(i) && next_is_word(prose, i)) {
            i = word_end(prose, i, &is_apostrophe);
            let word = &prose[start..i];
            kind = if word
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/'))
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            if kind == TokenKind::Word && bytes.get(i) == Some(&b'.') && takes_period(word, prose, i + 1) {
                i += 1;
            }
        } else if is_quote(i) {
            kind = TokenKind::Quote;
            i += ch.len_utf8();
        } else if matches!(ch, '.' | '!' | '?') {
            kind = TokenKind::Punct;
            while i < prose.len() && matches!(bytes[i], b'.' | b'!' | b'?') {
                i += 1;
            }
        } else {
            kind = TokenKind::Punct;
            i += ch.len_utf8();
        }
        let prose_range = TextRange::new(start, i);
        out.push(Token {
            kind,
            block: block_idx,
            prose: prose_range,
            range: block.range_to_source(prose_range),
            space_before,
            newline_before,
        });
        space_before = false;
        newline_before = false;
    }
}

fn next_is_word(prose: &str, i: usize) -> bool {
    prose[i..].chars().nth(1).is_some_and(is_word_char)
}

/// The end of the word starting at `start`: word characters joined by inner hyphens,
/// apostrophes, and periods or separators in abbreviations and numbers.
fn word_end(prose: &str, start: usize, is_apostrophe: &dyn Fn(usize) -> bool) -> usize {
    let mut i = start;
    let mut last_was_word = false;
    let mut segment_len = 0usize;
    let mut segment_first: Option<char> = None;
    let mut all_digits = true;
    let mut chars = prose[start..].char_indices().map(|(o, c)| (o + start, c)).peekable();
    while let Some((offset, ch)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        if is_word_char(ch) {
            i = offset + ch.len_utf8();
            last_was_word = true;
            if segment_len == 0 {
                segment_first = Some(ch);
            }
            segment_len += 1;
            all_digits &= ch.is_ascii_digit();
            continue;
        }
        if offset == start && is_apostrophe(offset) {
            // A leading apostrophe: ’90s, ’n’.
            i = offset + ch.len_utf8();
            continue;
        }
        let joins = match ch {
            _ if is_apostrophe(offset) => {
                // Inner (don’t) or final (Jones’, rock ’n’) apostrophes belong to the word.
                last_was_word
            }
            c if is_hyphen(c) => last_was_word && next.is_some_and(is_word_char),
            '.' => {
                last_was_word
                    && next.is_some_and(is_word_char)
                    && ((all_digits && next.is_some_and(|c| c.is_ascii_digit()))
                        || (!all_digits
                            && segment_len <= 2
                            && abbreviation_continues(&prose[offset + 1..], segment_first)))
            }
            ',' => {
                all_digits
                    && last_was_word
                    && prose[offset + 1..].chars().take(3).filter(char::is_ascii_digit).count() == 3
                    && !prose[offset + 1..].chars().nth(3).is_some_and(|c| c.is_ascii_digit())
            }
            ':' | '/' => all_digits && last_was_word && next.is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
        if !joins {
            break;
        }
        i = offset + ch.len_utf8();
        last_was_word = is_apostrophe(offset);
        if !matches!(ch, ',' | ':' | '/') {
            segment_len = 0;
        }
        if ch == '.' && !all_digits {
            segment_len = 0;
        }
        if is_apostrophe(offset) {
            last_was_word = true;
        }
    }
    i
}

/// Whether the letters after an inner period continue an abbreviation (the `S` of `U.S.`):
/// one or two letters whose case matches the abbreviation's first letter, then a period or a non-letter.
fn abbreviation_continues(rest: &str, segment_first: Option<char>) -> bool {
    let segment: Vec<char> = rest.chars().take_while(|c| is_word_char(*c)).collect();
    let after = rest[segment.iter().map(|c| c.len_utf8()).sum::<usize>()..]
        .chars()
        .next();
    let Some(&first) = segment.first() else {
        return false;
    };
    segment.len() <= 2
        && first.is_alphabetic()
        && segment_first.is_some_and(|s| s.is_uppercase() == first.is_uppercase())
        && !after.is_some_and(|c| is_hyphen(c) || c == '\'' || c == '’')
}

/// Whether a period after `word` belongs to it: an abbreviation (Sen., U.S., a.m.) or an initial (D.).
fn takes_period(word: &str, prose: &str, after: usize) -> bool {
    if word.contains('.') {
        return true;
    }
    let mut chars = word.chars();
    let first = chars.next();
    if first.is_some_and(char::is_uppercase) && chars.next().is_none() {
        // An initial, unless the period ends the sentence in "Plan B." which the segmenter decides.
        return true;
    }
    match lexicon().abbreviation(word) {
        Some(super::lexicon::AbbreviationClass::Number) => {
            // "No. 5" but not "No." as an answer.
            prose[after..].trim_start().starts_with(|c: char| c.is_ascii_digit())
        }
        Some(_) => true,
        None => false,
    }
}

/// Recognizes a URL, e-mail address or bare domain starting at `i`.
fn url_end(prose: &str, i: usize) -> Option<usize> {
    let rest = &prose[i..];
    let lower_prefix: String = rest.chars().take(8).collect::<String>().to_ascii_lowercase();
    let end_of_run = |from: usize| {
        let len = rest[from..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '<' | '>' | ')' | ']'))
            .unwrap_or(rest.len() - from);
        let mut end = from + len;
        // Trailing sentence punctuation is not part of the URL.
        while end > from && rest[..end].ends_with(['.', ',', ';', ':', '!', '?', '\'', '’']) {
            end -= 1;
        }
        end
    };
    if lower_prefix.starts_with("http://") || lower_prefix.starts_with("https://") || lower_prefix.starts_with("www.") {
        return Some(i + end_of_run(0));
    }
    if !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let run_end = end_of_run(0);
    let run = &rest[..run_end];
    if run.contains('@') {
        let (local, domain) = run.split_once('@')?;
        if !local.is_empty()
            && domain.contains('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        {
            return Some(i + run_end);
        }
        return None;
    }
    // A bare domain: lowercase labels ending in a known top-level domain (example.com, bbc.co.uk).
    let host = run.split('/').next().unwrap_or(run);
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        && labels.last().is_some_and(|tld| TLDS.contains(tld))
        && labels[0].len() > 2
    {
        return Some(i + run_end);
    }
    None
}
