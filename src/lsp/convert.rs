//! Every conversion between LSP positions and the core's byte offsets.
//!
//! The core speaks byte offsets into a draft's text; LSP speaks lines and characters, where a
//! character is a UTF-16 code unit unless the client agreed to UTF-8. This module is the only
//! place the two meet. It works on the draft's [`Rope`], whose tree keeps line, char and
//! UTF-16 counts for every node, so a conversion costs O(log n) and the "index" for a version
//! is simply that version's rope (a clone shares its data).
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as LSP counts them (ropey is built with
//! `cr_lines` and without `unicode_lines`, so U+2028 and friends do not end lines).
//!
//! **Invariant:** no function here panics. An out-of-range line goes to the end of the text,
//! an out-of-range character to the end of its line (before the line break), and a position
//! inside a multi-byte character or a surrogate pair to the start of that character.

use ropey::Rope;
use tower_lsp::lsp_types::{Position, PositionEncodingKind, Range};

use crate::text::{LineIndex, TextRange};

/// The unit of `Position::character` agreed with the client.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: the LSP default.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (it is what the core speaks), else UTF-16, which every
    /// client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// Converts positions for one version of a draft.
#[derive(Copy, Clone)]
pub struct PositionMap<'a> {
    rope: &'a Rope,
    encoding: Encoding,
}

impl<'a> PositionMap<'a> {
    pub fn new(rope: &'a Rope, encoding: Encoding) -> PositionMap<'a> {
        PositionMap { rope, encoding }
    }

    /// The LSP position of a byte offset (clamped to the text, floored to a character).
    pub fn position(&self, offset: usize) -> Position {
        let rope = self.rope;
        let offset = offset.min(rope.len_bytes());
        let char_idx = rope.byte_to_char(offset);
        let line = rope.char_to_line(char_idx);
        let line_char = rope.line_to_char(line);
        let character = match self.encoding {
            Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
            Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_char),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }

    /// The byte offset of an LSP position, clamped as described in the module docs.
    pub fn offset(&self, position: Position) -> usize {
        let char_idx = self.char_index(position);
        self.rope.char_to_byte(char_idx)
    }

    /// The byte range of an LSP range; a reversed range is read as empty at its start.
    pub fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        TextRange::new(start, end)
    }

    /// The char index of an LSP position, clamped. Used to edit the rope.
    pub fn char_index(&self, position: Position) -> usize {
        let rope = self.rope;
        let line = position.line as usize;
        if line >= rope.len_lines() {
            return rope.len_chars();
        }
        let line_start = rope.line_to_char(line);
        let line_end = line_start + line_len_without_break(rope, line);
        let wanted = position.character as usize;
        match self.encoding {
            Encoding::Utf8 => {
                let start_byte = rope.char_to_byte(line_start);
                let end_byte = rope.char_to_byte(line_end);
                let byte = start_byte.saturating_add(wanted).min(end_byte);
                // `byte_to_char` floors a byte inside a character to that character.
                rope.byte_to_char(byte)
            }
            Encoding::Utf16 => {
                let start_cu = rope.char_to_utf16_cu(line_start);
                let end_cu = rope.char_to_utf16_cu(line_end);
                let cu = start_cu.saturating_add(wanted).min(end_cu);
                // `utf16_cu_to_char` floors a unit inside a surrogate pair to its character.
                rope.utf16_cu_to_char(cu)
            }
        }
    }

    /// The position just past the last character.
    pub fn end(&self) -> Position {
        self.position(self.rope.len_bytes())
    }
}

/// Converts byte offsets of one version to positions from its text and [`LineIndex`], which
/// the core builds anyway: a binary search for the line, then a count of the characters
/// before the offset on that line. Publishing a version's findings converts hundreds of
/// offsets, and this is several times cheaper than walking the rope's tree for each; it gives
/// the same positions as [`PositionMap::position`] (a test checks that).
#[derive(Copy, Clone)]
pub struct TextPositions<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str, lines: &'a LineIndex, encoding: Encoding) -> TextPositions<'a> {
        TextPositions { text, lines, encoding }
    }

    /// The LSP position of a byte offset (clamped to the text, floored to a character).
    pub fn position(&self, offset: usize) -> Position {
        let offset = crate::text::floor_char_boundary(self.text, offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line).min(offset);
        let before = &self.text[start..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 if before.is_ascii() => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }
}

/// The position of a 1-based line and 1-based column counted in characters (as
/// configuration errors report them), clamped to the text.
pub fn line_column_position(rope: &Rope, line: usize, column: usize, encoding: Encoding) -> Position {
    let line = line.saturating_sub(1);
    if line >= rope.len_lines() {
        return PositionMap::new(rope, encoding).end();
    }
    let start = rope.line_to_char(line);
    let char_idx = (start + column.saturating_sub(1)).min(start + line_len_without_break(rope, line));
    PositionMap::new(rope, encoding).position(rope.char_to_byte(char_idx))
}

/// The position of the end of 0-based `line`, before its line break.
pub fn line_end_position(rope: &Rope, line: usize, encoding: Encoding) -> Position {
    if line >= rope.len_lines() {
        return PositionMap::new(rope, encoding).end();
    }
    let end = rope.line_to_char(line) + line_len_without_break(rope, line);
    PositionMap::new(rope, encoding).position(rope.char_to_byte(end))
}

/// The number of chars on `line` without its line break.
fn line_len_without_break(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let len = slice.len_chars();
    if len == 0 {
        return 0;
    }
    match slice.char(len - 1) {
        '\n' if len >= 2 && slice.char(len - 2) == '\r' => len - 2,
        '\n' | '\r' => len - 1,
        _ => len,
    }
}

/// Applies one LSP content change to a rope: a ranged change replaces the range (clamped), a
/// change without a range replaces the whole text.
pub fn apply_change(rope: &mut Rope, range: Option<Range>, text: &str, encoding: Encoding) {
    match range {
        None => *rope = Rope::from_str(text),
        Some(range) => {
            let map = PositionMap::new(rope, encoding);
            let start = map.char_index(range.start);
            let end = map.char_index(range.end).max(start);
            rope.remove(start..end);
            rope.insert(start, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    const TEXT: &str = "“café” — 🙂 x\r\nsecond\rthird 中文\ne\u{301}nd";

    #[test]
    fn text_positions_equal_rope_positions_at_every_offset() {
        for text in [
            TEXT,
            "",
            "\n",
            "\r\n\r\n",
            "a\rb\r\nc\n",
            "🙂🙂\r\n中\re\u{301}",
            "end without newline",
        ] {
            let rope = Rope::from_str(text);
            let lines = LineIndex::new(text);
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let map = PositionMap::new(&rope, encoding);
                let fast = TextPositions::new(text, &lines, encoding);
                for offset in 0..=text.len() + 2 {
                    assert_eq!(
                        fast.position(offset),
                        map.position(offset),
                        "{encoding:?} at {offset} of {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf16_positions_count_surrogates_and_skip_line_breaks() {
        let rope = Rope::from_str(TEXT);
        let map = PositionMap::new(&rope, Encoding::Utf16);
        let x = TEXT.find(" x").unwrap() + 1;
        // “ c a f é ” space — space 🙂(2 units) space: x is at unit 12.
        assert_eq!(map.position(x), pos(0, 12));
        assert_eq!(map.offset(pos(0, 12)), x);
        let second = TEXT.find("second").unwrap();
        assert_eq!(map.position(second), pos(1, 0));
        let third = TEXT.find("third").unwrap();
        assert_eq!(map.position(third), pos(2, 0));
        let zhong = TEXT.find('中').unwrap();
        assert_eq!(map.position(zhong), pos(2, 6));
        let nd = TEXT.rfind("nd").unwrap();
        // e + combining acute: two code units.
        assert_eq!(map.position(nd), pos(3, 2));
        assert_eq!(map.end(), pos(3, 4));
    }

    #[test]
    fn utf8_positions_count_bytes() {
        let rope = Rope::from_str(TEXT);
        let map = PositionMap::new(&rope, Encoding::Utf8);
        let x = TEXT.find(" x").unwrap() + 1;
        assert_eq!(map.position(x), pos(0, x as u32));
        assert_eq!(map.offset(pos(0, x as u32)), x);
        let zhong = TEXT.find('中').unwrap();
        let third = TEXT.find("third").unwrap();
        assert_eq!(map.position(zhong), pos(2, (zhong - third) as u32));
    }

    #[test]
    fn out_of_range_and_split_positions_are_clamped() {
        let rope = Rope::from_str(TEXT);
        let utf16 = PositionMap::new(&rope, Encoding::Utf16);
        let line_end = TEXT.find("\r\n").unwrap();
        assert_eq!(utf16.offset(pos(0, 999)), line_end);
        assert_eq!(utf16.offset(pos(99, 3)), TEXT.len());
        let smile = TEXT.find('🙂').unwrap();
        // Unit 9 is the second half of the surrogate pair: floored to the emoji.
        assert_eq!(utf16.offset(pos(0, 9)), smile);
        let utf8 = PositionMap::new(&rope, Encoding::Utf8);
        // Byte 1 is inside the opening curly quote.
        assert_eq!(utf8.offset(pos(0, 1)), 0);
        assert_eq!(utf8.position(TEXT.len() + 50), utf8.end());
        assert_eq!(utf8.position(1), pos(0, 0));
    }

    #[test]
    fn final_line_without_newline_and_trailing_newline() {
        let rope = Rope::from_str("a\nb");
        let map = PositionMap::new(&rope, Encoding::Utf16);
        assert_eq!(map.end(), pos(1, 1));
        let rope = Rope::from_str("a\n");
        let map = PositionMap::new(&rope, Encoding::Utf16);
        assert_eq!(map.end(), pos(1, 0));
        assert_eq!(map.offset(pos(1, 0)), 2);
        let rope = Rope::from_str("");
        let map = PositionMap::new(&rope, Encoding::Utf16);
        assert_eq!(map.end(), pos(0, 0));
        assert_eq!(map.offset(pos(3, 3)), 0);
    }

    #[test]
    fn unicode_line_separators_do_not_end_lines() {
        let rope = Rope::from_str("a\u{2028}b\u{85}c\nd");
        let map = PositionMap::new(&rope, Encoding::Utf16);
        assert_eq!(map.position(rope.len_bytes() - 1), pos(1, 0));
    }

    #[test]
    fn changes_apply_in_both_encodings() {
        let mut rope = Rope::from_str("“café” 🙂 ok\nnext");
        apply_change(
            &mut rope,
            Some(Range::new(pos(0, 10), pos(0, 12))),
            "OK",
            Encoding::Utf16,
        );
        assert_eq!(rope.to_string(), "“café” 🙂 OK\nnext");
        let ok = "“café” 🙂 ".len() as u32;
        apply_change(
            &mut rope,
            Some(Range::new(pos(0, ok), pos(0, ok + 2))),
            "fine",
            Encoding::Utf8,
        );
        assert_eq!(rope.to_string(), "“café” 🙂 fine\nnext");
        apply_change(&mut rope, Some(Range::new(pos(5, 0), pos(9, 9))), "!", Encoding::Utf16);
        assert_eq!(rope.to_string(), "“café” 🙂 fine\nnext!");
        // A reversed range is read as empty at its start.
        apply_change(&mut rope, Some(Range::new(pos(1, 2), pos(1, 0))), "-", Encoding::Utf16);
        assert_eq!(rope.to_string(), "“café” 🙂 fine\nne-xt!");
        apply_change(&mut rope, None, "new", Encoding::Utf16);
        assert_eq!(rope.to_string(), "new");
    }
}
