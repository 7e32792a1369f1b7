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
    /// What the lexicon knows about a word token (0 for other tokens).
    pub info: super::lexicon::WordInfo,
}

impl Token {
    pub fn has(&self, flag: super::lexicon::WordInfo) -> bool {
        self.info & flag != 0
    }
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

/// Classes of ASCII bytes for the tokenizer's fast path.
const SPACE: u8 = 1;
const ALNUM: u8 = 2;
/// `"` and `'`: a quote mark or an apostrophe, as the quotation pairing decided.
const QUOTE: u8 = 4;
/// `.`, `!`, `?`: runs of them are one token.
const STOP: u8 = 8;

static ASCII_CLASS: [u8; 128] = {
    let mut class = [0u8; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        // `char::is_whitespace` on ASCII: the space and U+0009 to U+000D.
        class[byte] = if b == b' ' || (b >= 0x09 && b <= 0x0d) {
            SPACE
        } else if b.is_ascii_alphanumeric() {
            ALNUM
        } else if b == b'"' || b == b'\'' {
            QUOTE
        } else if b == b'.' || b == b'!' || b == b'?' {
            STOP
        } else {
            0
        };
        byte += 1;
    }
    class
};

/// Splits one block's prose into tokens. `apostrophes` holds prose offsets of quote marks
/// that are apostrophes; `quote_marks` those that open or close quotations.
///
/// `terminals` receives the index, counted from the block's first token, of each token that
/// may end a sentence ([`may_end_sentence`]), so that [`super::sentences::split`] need not
/// look at every token again.
///
/// ASCII bytes take a fast path that decides with a table what a byte may start; other
/// characters are decoded and classified with Unicode's properties.
pub fn tokenize(
    block: &Block,
    block_idx: u32,
    apostrophes: &[u32],
    quote_marks: &[u32],
    out: &mut Vec<Token>,
    terminals: &mut Vec<u32>,
) {
    let first_token = out.len();
    let prose = &*block.prose;
    let bytes = prose.as_bytes();
    let mut i = 0;
    let mut space_before = true;
    let mut newline_before = false;
    let is_apostrophe = |offset: usize| apostrophes.binary_search(&(offset as u32)).is_ok();
    let is_quote = |offset: usize| quote_marks.binary_search(&(offset as u32)).is_ok();
    let mut to_source = block.source_cursor();
    let lexicon = lexicon();
    while i < prose.len() {
        let byte = bytes[i];
        let start = i;
        let kind;
        let mut info = 0;
        // Whether the token may end a sentence (see `may_end_sentence`), decided where its
        // kind is known.
        let mut terminal = false;
        if byte < 0x80 {
            let class = ASCII_CLASS[byte as usize];
            if class == SPACE {
                space_before = true;
                newline_before |= byte == b'\n';
                i += 1;
                continue;
            }
            if class == ALNUM
                && let Some((end, word_info, took_period)) = plain_word(lexicon, prose, start)
            {
                (kind, i, info, terminal) = (TokenKind::Word, end, word_info, took_period);
            } else if class == ALNUM || (class == QUOTE && is_apostrophe(i) && next_is_word(prose, i)) {
                (kind, i, info) = word_token(prose, start, &is_apostrophe);
                terminal = may_end_sentence(kind, byte, bytes[i - 1]);
            } else if class == QUOTE && is_quote(i) {
                kind = TokenKind::Quote;
                i += 1;
            } else if class == STOP {
                kind = TokenKind::Punct;
                terminal = true;
                while i < prose.len() && matches!(bytes[i], b'.' | b'!' | b'?') {
                    i += 1;
                }
            } else {
                kind = TokenKind::Punct;
                i += 1;
            }
        } else {
            let ch = prose[i..].chars().next().unwrap_or(' ');
            if ch.is_whitespace() {
                space_before = true;
                i += ch.len_utf8();
                continue;
            }
            if ch == PLACEHOLDER {
                kind = TokenKind::Placeholder;
                i += ch.len_utf8();
            } else if is_word_char(ch) || (is_apostrophe(i) && next_is_word(prose, i)) {
                (kind, i, info) = word_token(prose, start, &is_apostrophe);
                terminal = may_end_sentence(kind, byte, bytes[i - 1]);
            } else if is_quote(i) {
                kind = TokenKind::Quote;
                i += ch.len_utf8();
            } else {
                kind = TokenKind::Punct;
                terminal = may_end_sentence(kind, byte, 0);
                i += ch.len_utf8();
            }
        }
        if terminal {
            terminals.push((out.len() - first_token) as u32);
        }
        let prose_range = TextRange::new(start, i);
        out.push(Token {
            kind,
            block: block_idx,
            prose: prose_range,
            range: to_source.map(prose_range),
            space_before,
            newline_before,
            info,
        });
        // Most tokens are followed by one space: skip it here rather than in a turn of the loop.
        space_before = bytes.get(i) == Some(&b' ');
        i += usize::from(space_before);
        newline_before = false;
    }
}

/// Whether a token may end a sentence, from its kind and its first and last bytes: a word
/// that took a period (`U.S.`, `Sen.`), or a punctuation mark starting with `.`, `!`, `?` or
/// the first byte of `…` (0xE2, which other marks share). The sentence splitter decides.
#[inline]
pub fn may_end_sentence(kind: TokenKind, first: u8, last: u8) -> bool {
    match kind {
        TokenKind::Word => last == b'.',
        TokenKind::Punct => matches!(first, b'.' | b'!' | b'?' | 0xE2),
        _ => false,
    }
}

/// ASCII letters and digits, for the plain-word fast path.
static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = ONES * 0x80;

/// Eight bytes from `at`, little-endian, zero-padded past the end (a zero byte is not a
/// letter, so it ends a word).
#[inline]
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(chunk) => u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])),
        None => {
            let rest = bytes.get(at..).unwrap_or_default();
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(buf)
        }
    }
}

/// The top bit of each byte of `chunk` that is an ASCII letter or digit, tested eight at a
/// time: no branch per byte, so a word's end costs no mispredicted loop exit.
#[inline]
fn alnum_bits(chunk: u64) -> u64 {
    let ascii = !chunk & HIGH_BITS;
    let low7 = chunk & !HIGH_BITS;
    // For a byte `x` below 0x80, `x + (0x80 - lo)` has its top bit set when `x >= lo`, and
    // `x + (0x7f - hi)` when `x > hi`; no sum carries into the next byte.
    let in_range = |x: u64, lo: u8, hi: u8| {
        x.wrapping_add(ONES * u64::from(0x80 - lo)) & !x.wrapping_add(ONES * u64::from(0x7f - hi))
    };
    let folded = low7 | (ONES * 0x20);
    (in_range(folded, b'a', b'z') | in_range(low7, b'0', b'9')) & ascii
}

/// Lowercases the ASCII letters of a packed word, eight bytes at once (`chunk` holds ASCII
/// letters and digits, then zero bytes). It is the lexicon's `pack_lower` without its guard
/// for bytes outside ASCII, which none of these are: sharing that one cost the tokenizer about
/// 1% more instructions.
#[inline]
fn lowercase_packed(chunk: u64) -> u64 {
    let upper = chunk.wrapping_add(ONES * 0x3f) & !chunk.wrapping_add(ONES * 0x25) & HIGH_BITS;
    chunk | (upper >> 2)
}

/// `http`, `https` and `www`, packed and lowercased: words that may start a URL.
const URL_STARTS: [u64; 3] = [
    u64::from_le_bytes(*b"http\0\0\0\0"),
    u64::from_le_bytes(*b"https\0\0\0"),
    u64::from_le_bytes(*b"www\0\0\0\0\0"),
];

/// The commonest token, decided without [`word_token`]'s general rules: a run of ASCII
/// letters and digits that starts with a letter, after which nothing can join or extend it.
/// Returns its end, what the lexicon knows of it and whether it took the period after it (an
/// initial or an abbreviation), or `None` when the general rules must
/// decide: a digit first (a number), a joining character that a word character follows
/// (`Jae-sun`, `U.S.`, `3.5`, `example.com`, `a@b`), an apostrophe, a non-ASCII character, or
/// a word that may start a URL (`http`, `www`).
///
/// The run is found eight bytes at a time ([`alnum_bits`]), and a word of up to eight
/// letters is looked up by the bytes already loaded.
#[inline]
fn plain_word(
    lexicon: &super::lexicon::Lexicon,
    prose: &str,
    start: usize,
) -> Option<(usize, super::lexicon::WordInfo, bool)> {
    let bytes = prose.as_bytes();
    let first = bytes[start];
    if first.is_ascii_digit() {
        return None;
    }
    let chunk = load8(bytes, start);
    let others = !alnum_bits(chunk) & HIGH_BITS;
    let mut end;
    let short_key = if others != 0 {
        let len = (others.trailing_zeros() / 8) as usize;
        end = start + len;
        // `len` is 1 to 7: keep the word's bytes, clear those after it.
        Some(lowercase_packed(chunk & ((1u64 << (8 * len)) - 1)))
    } else {
        end = start + 8;
        loop {
            let others = !alnum_bits(load8(bytes, end)) & HIGH_BITS;
            if others != 0 {
                end += (others.trailing_zeros() / 8) as usize;
                break;
            }
            end += 8;
        }
        (end == start + 8).then(|| lowercase_packed(chunk))
    };
    if let Some(&next) = bytes.get(end) {
        if next >= 0x80 || next == b'\'' {
            return None;
        }
        if matches!(next, b'-' | b'.' | b',' | b':' | b'/' | b'@')
            && bytes
                .get(end + 1)
                .is_some_and(|&after| after >= 0x80 || ASCII_ALNUM[after as usize])
        {
            return None;
        }
    }
    // No final period, apostrophe or non-ASCII letter: the lexicon's plain ASCII lookup.
    let mut info = match short_key {
        Some(key) => {
            if URL_STARTS.contains(&key) {
                return None;
            }
            lexicon.short_word_info(key)
        }
        None => lexicon.ascii_word_info(&bytes[start..end]),
    };
    if first.is_ascii_uppercase() {
        info |= super::lexicon::WORD_CAPITALIZED;
    }
    // The word holds no period: an initial or an abbreviation may take the one after it.
    let took_period =
        bytes.get(end) == Some(&b'.') && abbreviation_takes_period(&prose[start..end], info, prose, end + 1);
    Some((end + usize::from(took_period), info, took_period))
}

/// The token that starts with a word character (or a leading apostrophe) at `start`: a URL,
/// a number or a word, its end, and for a word what the lexicon knows of it.
#[inline]
fn word_token(
    prose: &str,
    start: usize,
    is_apostrophe: &dyn Fn(usize) -> bool,
) -> (TokenKind, usize, super::lexicon::WordInfo) {
    let bytes = prose.as_bytes();
    let mut end = word_end(prose, start, is_apostrophe);
    if may_continue_as_url(prose, start, end)
        && let Some(url_end) = url_end(prose, start).filter(|&url_end| url_end > end)
    {
        return (TokenKind::Url, url_end, 0);
    }
    let word = &prose[start..end];
    // A number starts with a digit: a word starts with a word character or an apostrophe.
    if bytes[start].is_ascii_digit()
        && word
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b':' | b'/'))
    {
        return (TokenKind::Number, end, 0);
    }
    let mut info = lexicon().word_info(word);
    let first = bytes[start];
    if first.is_ascii_uppercase() || (!first.is_ascii() && word.starts_with(char::is_uppercase)) {
        info |= super::lexicon::WORD_CAPITALIZED;
    }
    if bytes.get(end) == Some(&b'.') && takes_period(word, info, prose, end + 1) {
        end += 1;
    }
    (TokenKind::Word, end, info)
}

/// Whether the word `prose[start..end]` may be the start of a URL, e-mail address or domain.
fn may_continue_as_url(prose: &str, start: usize, end: usize) -> bool {
    let bytes = prose.as_bytes();
    let word = &bytes[start..end];
    if word.eq_ignore_ascii_case(b"http") || word.eq_ignore_ascii_case(b"https") || word.eq_ignore_ascii_case(b"www") {
        return true;
    }
    matches!(bytes.get(end), Some(b'.' | b'@' | b'/')) && bytes.get(end + 1).is_some_and(|b| b.is_ascii_alphanumeric())
}

fn next_is_word(prose: &str, i: usize) -> bool {
    prose[i..].chars().nth(1).is_some_and(is_word_char)
}

/// The end of the word starting at `start`: word characters joined by inner hyphens,
/// apostrophes, and periods or separators in abbreviations and numbers.
fn word_end(prose: &str, start: usize, is_apostrophe: &dyn Fn(usize) -> bool) -> usize {
    let bytes = prose.as_bytes();
    let mut end = start;
    let mut pos = start;
    let mut last_was_word = false;
    let mut segment_len = 0usize;
    let mut segment_first: Option<char> = None;
    let mut all_digits = true;
    while pos < bytes.len() {
        let byte = bytes[pos];
        if byte.is_ascii_alphanumeric() {
            // A run of ASCII letters and digits, taken at once.
            let run_start = pos;
            pos += 1;
            while pos < bytes.len() && bytes[pos].is_ascii_alphanumeric() {
                pos += 1;
            }
            if segment_len == 0 {
                segment_first = Some(byte as char);
            }
            segment_len += pos - run_start;
            all_digits = all_digits && bytes[run_start..pos].iter().all(u8::is_ascii_digit);
            last_was_word = true;
            end = pos;
            continue;
        }
        if byte < 0x80 {
            if !matches!(byte, b'-' | b'\'' | b'.' | b',' | b':' | b'/') {
                break;
            }
            // A hyphen, period or separator joins only what a letter or digit follows.
            if byte != b'\''
                && !bytes
                    .get(pos + 1)
                    .is_some_and(|&next| next >= 0x80 || next.is_ascii_alphanumeric())
            {
                break;
            }
        }
        let Some(ch) = prose[pos..].chars().next() else { break };
        let ch_len = ch.len_utf8();
        let next = prose[pos + ch_len..].chars().next();
        if is_word_char(ch) {
            if segment_len == 0 {
                segment_first = Some(ch);
            }
            segment_len += 1;
            all_digits = false;
            last_was_word = true;
            pos += ch_len;
            end = pos;
            continue;
        }
        let apostrophe = (byte == b'\'' || byte >= 0x80) && is_apostrophe(pos);
        if pos == start && apostrophe {
            // A leading apostrophe: ’90s, ’n’.
            pos += ch_len;
            end = pos;
            continue;
        }
        let joins = match ch {
            // Inner (don’t) or final (Jones’, rock ’n’) apostrophes belong to the word.
            _ if apostrophe => last_was_word,
            c if is_hyphen(c) => last_was_word && next.is_some_and(is_word_char),
            '.' => {
                last_was_word
                    && next.is_some_and(is_word_char)
                    && ((all_digits && next.is_some_and(|c| c.is_ascii_digit()))
                        || (!all_digits
                            && segment_len <= 2
                            && abbreviation_continues(&prose[pos + 1..], segment_first)))
            }
            ',' => {
                all_digits
                    && last_was_word
                    && bytes
                        .get(pos + 1..pos + 4)
                        .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                    && !bytes.get(pos + 4).is_some_and(u8::is_ascii_digit)
            }
            ':' | '/' => all_digits && last_was_word && next.is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
        if !joins {
            break;
        }
        pos += ch_len;
        end = pos;
        last_was_word = apostrophe;
        if !matches!(ch, ',' | ':' | '/') || !all_digits {
            segment_len = 0;
        }
    }
    end
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
fn takes_period(word: &str, info: super::lexicon::WordInfo, prose: &str, after: usize) -> bool {
    word.contains('.') || abbreviation_takes_period(word, info, prose, after)
}

/// [`takes_period`] for a word without a period of its own: an initial, or an abbreviation.
fn abbreviation_takes_period(word: &str, info: super::lexicon::WordInfo, prose: &str, after: usize) -> bool {
    let mut chars = word.chars();
    let first = chars.next();
    if first.is_some_and(char::is_uppercase) && chars.next().is_none() {
        // An initial, unless the period ends the sentence in "Plan B." which the segmenter decides.
        return true;
    }
    use super::lexicon::{WORD_ABBREV_AMBIGUOUS, WORD_ABBREV_MONTH, WORD_ABBREV_NUMBER, WORD_ABBREV_TITLE};
    if info & WORD_ABBREV_NUMBER != 0 {
        // "No. 5" but not "No." as an answer.
        return prose[after..].trim_start().starts_with(|c: char| c.is_ascii_digit());
    }
    // Abbreviations are matched with their case (Sen., Inc.), so "sen." or "INC." are plain words.
    info & (WORD_ABBREV_TITLE | WORD_ABBREV_MONTH | WORD_ABBREV_AMBIGUOUS) != 0
        && lexicon().abbreviation(word).is_some()
}

/// Recognizes a URL, e-mail address or bare domain starting at `i`.
fn url_end(prose: &str, i: usize) -> Option<usize> {
    let rest = &prose[i..];
    if !rest.as_bytes().first()?.is_ascii_alphanumeric() {
        return None;
    }
    let run_len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '<' | '>' | ')' | ']' | '(' | '['))
        .unwrap_or(rest.len());
    // Trailing sentence punctuation is not part of the URL.
    let run = rest[..run_len].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '’']);
    let has_prefix = |prefix: &str| rest.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    if (has_prefix("http://") || has_prefix("https://") || has_prefix("www.")) && run.len() > 4 {
        return Some(i + run.len());
    }
    if !run.contains(['.', '@']) {
        return None;
    }
    if let Some((local, domain)) = run.split_once('@') {
        let valid = !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
            && domain.contains('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        return valid.then_some(i + run.len());
    }
    // A bare domain: lowercase labels ending in a known top-level domain (example.com, bbc.co.uk).
    let host = run.split('/').next().unwrap_or(run);
    let mut labels = host.split('.');
    let first_label = labels.next().unwrap_or("");
    let mut n_labels = 1;
    let mut last_label = first_label;
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !label_ok(first_label) {
        return None;
    }
    for label in labels {
        if !label_ok(label) {
            return None;
        }
        n_labels += 1;
        last_label = label;
    }
    (n_labels >= 2 && TLDS.contains(&last_label) && first_label.len() > 2).then_some(i + run.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_bytes_at_once_agree_with_one_at_a_time() {
        // Every byte value in every position, between neighbours that would carry into it.
        for byte in 0..=255u8 {
            for position in 0..8 {
                for filler in [0u8, b'z', 0x7f, 0xff, b'A'] {
                    let mut bytes = [filler; 8];
                    bytes[position] = byte;
                    let bits = alnum_bits(u64::from_le_bytes(bytes));
                    for (i, &b) in bytes.iter().enumerate() {
                        let expected = b.is_ascii_alphanumeric();
                        assert_eq!(bits >> (8 * i + 7) & 1 == 1, expected, "{bytes:?} at {i}");
                        assert_eq!(bits & (0x7f << (8 * i)), 0);
                    }
                    if bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == 0) {
                        let mut lower = bytes;
                        lower.make_ascii_lowercase();
                        assert_eq!(lowercase_packed(u64::from_le_bytes(bytes)), u64::from_le_bytes(lower));
                    }
                }
            }
        }
    }

    #[test]
    fn loading_past_the_end_pads_with_zeros() {
        let bytes = b"abcdefghij";
        assert_eq!(load8(bytes, 0), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(load8(bytes, 5), u64::from_le_bytes(*b"fghij\0\0\0"));
        assert_eq!(load8(bytes, 10), 0);
    }
}
