//! Property 3, shared by `tests/properties.rs` and the fuzz target `fuzz/fuzz_targets/edits.rs`
//! (which includes this file by path): a sequence of LSP content changes applied through the
//! server's own code (`copydesk::lsp::edit_and_analyse`: the rope, `convert::apply_change`, the
//! analysis of each version reusing the previous one's) gives the same text as applying them to a plain `String`, and the same
//! diagnostics as opening the final text from scratch, at the positions a plain reading of the
//! LSP specification gives.
//!
//! The model here is written from the specification, not from `convert.rs`: lines end at
//! `\n`, `\r\n` or `\r`; a character is a UTF-16 code unit or a UTF-8 byte as agreed; a line
//! past the end means the end of the text, a character past the end of its line the end of
//! that line (before its break), a position inside a character (half a surrogate pair, the
//! middle of a UTF-8 sequence) the start of that character, and a reversed range the empty
//! range at its start.

#![allow(dead_code)]

use copydesk::lsp::convert::Encoding;
use tower_lsp::lsp_types::{NumberOrString, Position, Range, TextDocumentContentChangeEvent};

/// The width of a character in the agreed unit.
pub fn width(c: char, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => c.len_utf8(),
        Encoding::Utf16 => c.len_utf16(),
    }
}

/// The width of a text in the agreed unit.
pub fn units(text: &str, encoding: Encoding) -> usize {
    text.chars().map(|c| width(c, encoding)).sum()
}

/// Each line as (start, end before its break), in bytes. A text has one line more than it has
/// line breaks.
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.push((start, i));
                i += 1;
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, bytes.len()));
    out
}

/// The byte offset of an LSP position, clamped as the module docs say.
pub fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let lines = lines(text);
    let Some(&(start, end)) = lines.get(position.line as usize) else {
        return text.len();
    };
    let wanted = position.character as usize;
    let mut seen = 0;
    for (at, c) in text[start..end].char_indices() {
        let w = width(c, encoding);
        if seen + w > wanted {
            return start + at;
        }
        seen += w;
    }
    end
}

/// The LSP position of a byte offset on a character boundary.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let lines = lines(text);
    let line = lines.iter().rposition(|&(start, _)| start <= offset).unwrap_or(0);
    let start = lines[line].0;
    Position::new(line as u32, units(&text[start..offset], encoding) as u32)
}

/// Applies one content change to the model.
pub fn apply(text: &mut String, change: &TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        None => *text = change.text.clone(),
        Some(range) => {
            let start = offset(text, range.start, encoding);
            let end = offset(text, range.end, encoding).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// A ranged change.
pub fn ranged(start: (u32, u32), end: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
    TextDocumentContentChangeEvent {
        range: Some(Range::new(Position::new(start.0, start.1), Position::new(end.0, end.1))),
        range_length: None,
        text: text.to_string(),
    }
}

/// Checks property 3 for a draft opened with `initial` and sent `changes` (every rule on);
/// returns the first difference.
pub fn check(initial: &str, changes: &[TextDocumentContentChangeEvent], encoding: Encoding) -> Result<(), String> {
    let config = copydesk::invariants::all_rules();
    let mut model = initial.to_string();
    for change in changes {
        apply(&mut model, change, encoding);
    }
    let (text, diagnostics) = copydesk::lsp::edit_and_analyse(initial, changes, encoding, &config);
    if text != model {
        return Err(format!(
            "the rope's text differs from the model's\n  rope:  {text:?}\n  model: {model:?}"
        ));
    }
    let (_, fresh) = copydesk::lsp::edit_and_analyse(&model, &[], encoding, &config);
    if diagnostics != fresh {
        return Err(format!(
            "the edited draft's diagnostics differ from the final text's\n  edited: {diagnostics:#?}\n  fresh:  {fresh:#?}"
        ));
    }
    // Where the model puts the core's findings.
    let doc = copydesk::Document::new(model.as_str());
    let result = copydesk::lint(&doc, &config);
    for (core, published) in result.diagnostics.iter().zip(&diagnostics) {
        let expected = Range::new(
            position(&model, core.range.start(), encoding),
            position(&model, core.range.end(), encoding),
        );
        let code = Some(NumberOrString::String(core.rule.to_string()));
        if published.range != expected || published.message != core.message || published.code != code {
            return Err(format!(
                "`{}` at bytes {:?} should be published at {expected:?}, was {:?} ({})",
                core.rule, core.range, published.range, published.message
            ));
        }
    }
    if diagnostics.len() < result.diagnostics.len().min(10_000) {
        return Err(format!(
            "{} findings, {} published",
            result.diagnostics.len(),
            diagnostics.len()
        ));
    }
    Ok(())
}

/// What edited drafts are made of, for the property test and the fuzz target: line breaks of
/// every kind, characters of one to four UTF-8 bytes and one or two UTF-16 units, combining
/// marks, a ZWJ sequence, a byte-order mark, and words and marks the rules react to. The fuzz
/// seeds name pieces by their index here (`fuzz/edits_seeds.py` reads this list): add new
/// pieces at the end.
pub const PIECES: &[&str] = &[
    "the ",
    "The ",
    "said ",
    "Mayor Ana Reyes ",
    "Reyes ",
    "a ",
    "hour ",
    "TK ",
    "\"",
    "“",
    "”",
    "’",
    "'",
    ",",
    " ,",
    ".",
    ". ",
    "!",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "# ",
    "`x` ",
    "```\n",
    "<!-- copydesk-disable -->",
    "🙂",
    "👩\u{200d}👩\u{200d}👧",
    "e\u{301}",
    "\u{301}",
    "é",
    "中文",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "\u{200b}",
    "\t",
    " ",
    "<!--",
    "-->",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_reads_positions_as_the_specification_says() {
        let text = "a🙂b\r\nc\rd\n";
        assert_eq!(lines(text), vec![(0, 6), (8, 9), (10, 11), (12, 12)]);
        // Unit 2 is inside the surrogate pair: the emoji's start.
        assert_eq!(offset(text, Position::new(0, 2), Encoding::Utf16), 1);
        assert_eq!(offset(text, Position::new(0, 3), Encoding::Utf16), 5);
        assert_eq!(offset(text, Position::new(0, 3), Encoding::Utf8), 1);
        assert_eq!(offset(text, Position::new(0, 99), Encoding::Utf8), 6);
        assert_eq!(offset(text, Position::new(9, 0), Encoding::Utf8), text.len());
        assert_eq!(position(text, 8, Encoding::Utf16), Position::new(1, 0));
        assert_eq!(position(text, 7, Encoding::Utf16), Position::new(0, 5));
        assert_eq!(position(text, 12, Encoding::Utf16), Position::new(3, 0));
    }
}
