//! `mojibake`: text decoded with the wrong encoding ("Ã©lection", "itâ€™s") and the
//! replacement character U+FFFD.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Block;
use crate::fix::{Applicability, Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds text that was UTF-8 but was read as Windows-1252 or Latin-1 somewhere on its
    /// way into the draft ("Ã©lection" for "élection", "itâ€™s" for "it’s", "â€œ" for "“",
    /// "Ã¼" for "ü"), also when it went through twice ("ÃƒÂ©"), and the replacement
    /// character U+FFFD ("�") that marks a character lost for good.
    ///
    /// ## Why is this bad?
    /// Mojibake garbles names and quotes in a way every reader notices, and it spreads:
    /// copy pasted from the garbled text carries it on.
    ///
    /// ## Example
    /// ```markdown
    /// The rÃ©gion said itâ€™s ready.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The région said it’s ready.
    /// ```
    ///
    /// ## Not flagged
    /// Correct text in any language, including names with the letters that mojibake is
    /// made of (Álvaro, São Paulo, JOÃO, Øresund, Þórður, Ðoković).
    ///
    /// ## Fix safety
    /// Safe when the repair is exact: the garbled characters are the bytes of the repaired
    /// text read as Windows-1252 or Latin-1, so the repair round-trips. Where a byte was
    /// lost (a non-breaking space turned into a space, an undefined Windows-1252 byte
    /// dropped), the likely repair is offered as an unsafe fix. A replacement character
    /// has no fix: the original character is gone.
    pub(crate) struct Mojibake;
    id = "mojibake",
    summary = "Text decoded with the wrong encoding (\"Ã©\", \"â€™\") or a replacement character",
    severity = Error,
    fix = Sometimes,
    per_block = true,
}

impl Rule for Mojibake {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_block(&self, _context: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        check_block(block, out);
    }
}

/// The Windows-1252 byte a character stands for, when it is one of 0x80..=0xFF.
/// Characters U+0080..=U+00FF stand for their own code (Latin-1, and the bytes
/// Windows-1252 leaves undefined).
fn byte_of(ch: char) -> Option<u8> {
    let code = ch as u32;
    if (0x80..=0xFF).contains(&code) {
        return Some(code as u8);
    }
    Some(match ch {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// The character Windows-1252 reads for a byte (the undefined ones read as Latin-1 controls).
fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9F => {
            let table = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";
            table.chars().nth((byte - 0x80) as usize).unwrap_or('\u{FFFD}')
        }
        _ => byte as char,
    }
}

fn is_continuation(ch: char) -> bool {
    byte_of(ch).is_some_and(|b| (0x80..=0xBF).contains(&b))
}

/// One garbled character: the prose range it spans and what it should read.
struct Sequence {
    range: TextRange,
    repaired: char,
}

/// Decodes the garbled character starting at `start` with the lead character `lead`.
fn sequence_at(prose: &str, start: usize, lead: char) -> Option<Sequence> {
    let lead_byte = byte_of(lead)?;
    let needed = match lead_byte {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = [lead_byte, 0, 0, 0];
    let mut end = start + lead.len_utf8();
    let mut continuations = ['\0'; 3];
    for slot in 0..needed {
        let ch = prose[end..].chars().next()?;
        if !is_continuation(ch) {
            return None;
        }
        bytes[slot + 1] = byte_of(ch)?;
        continuations[slot] = ch;
        end += ch.len_utf8();
    }
    let decoded = std::str::from_utf8(&bytes[..=needed]).ok()?.chars().next()?;
    let code = decoded as u32;
    let plausible = match needed {
        1 => {
            // "JOSÉ’S": an uppercase accented letter before a quote mark is a possessive.
            let possessive =
                !matches!(lead, 'Â' | 'Ã') && matches!(continuations[0], '’' | '‘' | '”' | '“' | '»' | '«' | '›' | '‹');
            !possessive
        }
        2 => {
            // Punctuation, symbols and the replacement character come through most often;
            // other scripts only without spaces among the bytes ("é »" with a no-break space is French).
            let punctuation = matches!(code, 0x2000..=0x2BFF | 0xFFFD | 0xFEFF);
            let script = matches!(code, 0x0900..=0x0DFF | 0x3000..=0x9FFF | 0xAC00..=0xD7AF | 0xFB00..=0xFFFC);
            punctuation || (script && !continuations.contains(&'\u{a0}'))
        }
        _ => matches!(code, 0x1F000..=0x1FAFF),
    };
    plausible.then_some(Sequence {
        range: TextRange::new(start, end),
        repaired: decoded,
    })
}

/// Repairs every garbled character of `text`, once.
fn repair_once(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut pos = 0;
    while let Some(ch) = text[pos..].chars().next() {
        if let Some(sequence) = sequence_at(text, pos, ch) {
            out.push(sequence.repaired);
            pos = sequence.range.end();
            changed = true;
        } else {
            out.push(ch);
            pos += ch.len_utf8();
        }
    }
    changed.then_some(out)
}

/// Whether reading the UTF-8 bytes of `repaired` as Windows-1252 (or Latin-1) gives back `garbled`.
fn round_trips(garbled: &str, repaired: &str) -> bool {
    let as_1252: String = repaired.bytes().map(windows_1252).collect();
    let as_latin1: String = repaired.bytes().map(|b| b as char).collect();
    as_1252 == garbled || as_latin1 == garbled
}

fn check_block(block: &Block, out: &mut Vec<Diagnostic>) {
    let prose = &*block.prose;
    let bytes = prose.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Lead characters U+00C2..=U+00F4 are encoded C3 xx; U+FFFD is EF BF BD.
        match memchr::memchr2(0xC3, 0xEF, &bytes[i..]) {
            Some(offset) => i += offset,
            None => break,
        }
        let Some(ch) = prose[i..].chars().next() else { break };
        if ch == '\u{FFFD}' {
            let range = TextRange::new(i, i + ch.len_utf8());
            out.push(Diagnostic::new(
                Mojibake::META.id,
                Severity::Error,
                block.range_to_source(range),
                "Replacement character \"\u{FFFD}\": a character was lost in a conversion",
            ));
            i = range.end();
            continue;
        }
        if let Some(first) = sequence_at(prose, i, ch) {
            i = garbled_run(block, first, out);
            continue;
        }
        if let Some(end) = lossy_at(prose, i, ch, out, block) {
            i = end;
            continue;
        }
        i += ch.len_utf8();
    }
}

/// Reports a run of garbled characters within one word, starting with `first`; returns the end.
fn garbled_run(block: &Block, first: Sequence, out: &mut Vec<Diagnostic>) -> usize {
    let prose = &*block.prose;
    let mut end = first.range.end();
    // Extend over the rest of the word while more garbled characters follow.
    let mut pos = end;
    while let Some(ch) = prose[pos..].chars().next() {
        if ch.is_whitespace() {
            break;
        }
        if let Some(next) = sequence_at(prose, pos, ch) {
            pos = next.range.end();
            end = pos;
        } else {
            pos += ch.len_utf8();
        }
    }
    let span = TextRange::new(first.range.start(), end);
    let garbled = &prose[span.as_range()];
    let mut repaired = repair_once(garbled).unwrap_or_else(|| garbled.to_string());
    let mut exact = round_trips(garbled, &repaired);
    // Doubly encoded text ("ÃƒÂ©") repairs in two passes.
    for _ in 0..2 {
        match repair_once(&repaired) {
            Some(again) if exact && round_trips(&repaired, &again) => repaired = again,
            Some(_) => exact = false,
            None => break,
        }
    }
    let source = block.range_to_source(span);
    let mut diagnostic = Diagnostic::new(
        Mojibake::META.id,
        Severity::Error,
        source,
        format!("Mojibake \"{garbled}\": UTF-8 text read as Windows-1252; it should read \"{repaired}\""),
    );
    if repaired.contains('\u{FFFD}') {
        diagnostic.message = format!("Mojibake \"{garbled}\" of a replacement character: a character was lost");
    } else if block.is_verbatim(span) {
        let applicability = if exact {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        diagnostic = diagnostic.with_fix(Fix::new(
            format!("Replace with \"{repaired}\""),
            applicability,
            vec![Edit::replace(source, repaired)],
        ));
    }
    out.push(diagnostic);
    end
}

/// Garbling that lost a byte: "Ã" + space after a lowercase letter (à whose no-break space
/// became a space), "â€" before a non-continuation (” whose undefined byte was dropped).
fn lossy_at(prose: &str, i: usize, ch: char, out: &mut Vec<Diagnostic>, block: &Block) -> Option<usize> {
    let after = &prose[i + ch.len_utf8()..];
    let before = prose[..i].chars().next_back();
    let (len, repaired) = match ch {
        'Ã' if after.starts_with(' ') && before.is_some_and(|c| c.is_ascii_lowercase()) => (ch.len_utf8() + 1, "à"),
        'â' if after.starts_with('€') && !after['€'.len_utf8()..].starts_with(is_continuation) => {
            (ch.len_utf8() + '€'.len_utf8(), "”")
        }
        _ => return None,
    };
    let span = TextRange::new(i, i + len);
    let garbled = &prose[span.as_range()];
    let source = block.range_to_source(span);
    let mut diagnostic = Diagnostic::new(
        Mojibake::META.id,
        Severity::Error,
        source,
        format!(
            "Mojibake \"{}\": UTF-8 text read as Windows-1252; it likely read \"{repaired}\"",
            garbled.trim_end()
        ),
    );
    if block.is_verbatim(span) {
        diagnostic = diagnostic.with_fix(Fix::new(
            format!("Replace with \"{repaired}\""),
            Applicability::Unsafe,
            vec![Edit::replace(source, repaired)],
        ));
    }
    out.push(diagnostic);
    Some(span.end())
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed, assert_fixed_at, check};

    const ID: &str = "mojibake";

    #[test]
    fn repairs_utf8_read_as_windows_1252() {
        assert_eq!(
            check(ID, "The rÃ©gion voted.\n"),
            "1:6-1:8 error Mojibake \"Ã©\": UTF-8 text read as Windows-1252; it should read \"é\" [safe: Replace with \"é\"]\n"
        );
        assert_fixed(
            ID,
            "The rÃ©gion said itâ€™s ready for â€œMÃ¼llerâ€\u{9d} and the Ã‰lysÃ©e.\n",
            "The région said it’s ready for “Müller” and the Élysée.\n",
        );
        assert_fixed(ID, "Latin-1: itâ\u{80}\u{99}s here.\n", "Latin-1: it’s here.\n");
        assert_fixed(ID, "Doubly: rÃƒÂ©gion.\n", "Doubly: région.\n");
        assert_fixed(ID, "Cyrillic: ÐœÐ¾Ñ\u{81}ÐºÐ²Ð°.\n", "Cyrillic: Москва.\n");
    }

    #[test]
    fn lossy_garbling_is_an_unsafe_fix() {
        assert_fixed(ID, "He said voilÃ  to that.\n", "He said voilÃ  to that.\n");
        assert_fixed_at(
            ID,
            "He said voilÃ  to that.\n",
            "He said voilà to that.\n",
            Applicability::Unsafe,
        );
        assert_count(ID, "The â€ mark.\n", 1);
    }

    #[test]
    fn replacement_character_has_no_fix() {
        assert_eq!(
            check(ID, "Caf\u{FFFD} owners met.\n"),
            "1:4-1:5 error Replacement character \"\u{FFFD}\": a character was lost in a conversion\n"
        );
    }

    #[test]
    fn clean_accented_text_stays_silent() {
        assert_clean(
            ID,
            "Álvaro Uribe met João Doria in São Paulo, SÃO PAULO and JOÃO. Øresund, Þórður, \
             Ðoković, Ñuñoa, Ülkü, Çağlar, Île-de-France, Ærø, Ísafjörður, Œuvre, ÉTIENNE’S café » \
             « à » voilà ; Müller, Straße, Dvořák, Łódź, Κώστας, Москва, 東京, 서울, ½ °C ±3 ©2024.\n",
        );
        assert_clean(ID, "« Il a dit café\u{a0}» et « voilà\u{a0}». JOSÉ’S and PERÚ’S.\n");
    }
}
