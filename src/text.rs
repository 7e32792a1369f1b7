//! Byte ranges and line/column conversion: the only coordinate system of the core.

use std::ops::Range;

/// A half-open byte range `[start, end)` into a document's text.
///
/// Every range in the core is a byte offset into [`crate::Document::text`].
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "range start {start} after end {end}");
        TextRange {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange::new(at, at)
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn as_range(self) -> Range<usize> {
        self.start()..self.end()
    }

    /// Whether `offset` lies inside the range (the end is excluded).
    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    /// Whether `other` lies entirely inside this range.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two ranges share at least one byte, or an empty range sits strictly inside the other.
    pub fn intersects(self, other: TextRange) -> bool {
        if self.is_empty() || other.is_empty() {
            let (point, span) = if self.is_empty() { (self, other) } else { (other, self) };
            return span.start < point.start && point.start < span.end;
        }
        self.start < other.end && other.start < self.end
    }

    /// The range moved by `by` bytes, wrapping: a move back is the two's complement of its
    /// length, so moving by `b - a` takes what counts from `a` to count from `b` exactly.
    pub fn moved(self, by: u32) -> TextRange {
        TextRange {
            start: self.start.wrapping_add(by),
            end: self.end.wrapping_add(by),
        }
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl From<Range<usize>> for TextRange {
    fn from(range: Range<usize>) -> TextRange {
        TextRange::new(range.start, range.end)
    }
}

/// A 1-based line and a 1-based column counted in Unicode scalar values.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: u32,
    pub column: u32,
}

/// The start offset of every line, built once per text.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as the Language Server Protocol counts them.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0u32);
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if i == skip_lf_at {
                continue;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                // `\r\n` is one line ending, after the `\n`.
                skip_lf_at = i + 1;
                line_starts.push(i as u32 + 2);
            } else {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    /// The index of `text`, a new version of the text whose index is `previous`, `unchanged`
    /// telling what they share ([`unchanged_ends`]): the line starts inside the bytes both
    /// versions share at their start and at their end are taken from `previous`, and only the
    /// changed bytes are scanned. Equal to [`LineIndex::new`].
    pub fn edited(previous: &LineIndex, text: &str, unchanged: UnchangedEnds) -> LineIndex {
        let new = text.as_bytes();
        let old_len = previous.len as usize;
        let UnchangedEnds { prefix, suffix } = unchanged;
        // Whether a line starts at `x` depends on the bytes at `x - 1` and `x` alone: the
        // starts up to `prefix - 1` are the previous ones, those from `len - suffix + 1` on are
        // the previous ones moved, and the ones between are looked for.
        let is_start = |x: usize| match new[x - 1] {
            b'\n' => true,
            b'\r' => new.get(x) != Some(&b'\n'),
            _ => false,
        };
        let kept_before = previous
            .line_starts
            .partition_point(|&start| (start as usize) < prefix.max(1));
        let first_after = previous
            .line_starts
            .partition_point(|&start| (start as usize) <= old_len - suffix);
        let mut line_starts = Vec::with_capacity(previous.line_starts.len() + (new.len() - prefix - suffix) / 32 + 1);
        line_starts.extend_from_slice(&previous.line_starts[..kept_before]);
        line_starts.extend(
            (prefix.max(1)..=new.len() - suffix)
                .filter(|&x| is_start(x))
                .map(|x| x as u32),
        );
        let moved_by = (new.len() as u32).wrapping_sub(old_len as u32);
        line_starts.extend(
            previous.line_starts[first_after..]
                .iter()
                .map(|&start| start.wrapping_add(moved_by)),
        );
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = (offset as u32).min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte offset where 0-based `line` starts (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        match self.line_starts.get(line) {
            Some(&start) => start as usize,
            None => self.len as usize,
        }
    }

    /// The byte range of 0-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_start(line);
        let end = if line + 1 < self.line_starts.len() {
            self.line_starts[line + 1] as usize
        } else {
            text.len()
        };
        TextRange::new(start, start + without_line_terminator(&text[start..end]).len())
    }

    /// Converts a byte offset to a 1-based line and a 1-based column in characters.
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = text[start..offset].chars().count();
        LineColumn {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }
}

/// A line's text without its terminator (`\n`, `\r\n` or a lone `\r`).
pub fn without_line_terminator(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Inclusive spans of lines, `(first, last)`, sorted, with those that overlap or touch joined.
pub fn merge_line_spans(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (first, last) in spans {
        match merged.last_mut() {
            Some(previous) if first <= previous.1 + 1 => previous.1 = previous.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    merged
}

/// How many bytes two versions of a text share at their start and, past those, at their end:
/// what lies between is what changed.
#[derive(Copy, Clone, Debug)]
pub struct UnchangedEnds {
    pub prefix: usize,
    pub suffix: usize,
}

/// The [`UnchangedEnds`] of `old` and `new`, compared a chunk at a time.
pub fn unchanged_ends(old: &str, new: &str) -> UnchangedEnds {
    let (old, new) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(old, new);
    let suffix = common_suffix(old, new, old.len().min(new.len()) - prefix);
    UnchangedEnds { prefix, suffix }
}

/// The length of the longest common prefix of two byte strings, compared a chunk at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let limit = a.len().min(b.len());
    let mut at = 0;
    while at + CHUNK <= limit && a[at..at + CHUNK] == b[at..at + CHUNK] {
        at += CHUNK;
    }
    at + a[at..limit]
        .iter()
        .zip(&b[at..limit])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the longest common suffix of two byte strings, at most `limit`, compared a
/// chunk at a time.
fn common_suffix(a: &[u8], b: &[u8], limit: usize) -> usize {
    const CHUNK: usize = 64;
    let mut len = 0;
    while len + CHUNK <= limit && a[a.len() - len - CHUNK..a.len() - len] == b[b.len() - len - CHUNK..b.len() - len] {
        len += CHUNK;
    }
    len + a[..a.len() - len]
        .iter()
        .rev()
        .zip(b[..b.len() - len].iter().rev())
        .take(limit - len)
        .take_while(|(x, y)| x == y)
        .count()
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_and_all_line_endings() {
        let text = "“café” — ok\r\nsecond\rthird\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let ok = text.find("ok").unwrap();
        assert_eq!(index.line_column(text, ok), LineColumn { line: 1, column: 10 });
        let third = text.find("third").unwrap();
        assert_eq!(index.line_column(text, third), LineColumn { line: 3, column: 1 });
        assert_eq!(index.line_range(text, 0), TextRange::new(0, ok + 2));
        assert_eq!(&text[index.line_range(text, 3).as_range()], "last");
    }

    #[test]
    fn empty_ranges_intersect_only_strictly_inside() {
        let span = TextRange::new(2, 6);
        assert!(span.intersects(TextRange::empty(3)));
        assert!(!span.intersects(TextRange::empty(2)));
        assert!(!span.intersects(TextRange::empty(6)));
        assert!(span.intersects(TextRange::new(5, 9)));
        assert!(!span.intersects(TextRange::new(6, 9)));
    }
}

/// A set of ranges (which may overlap or nest) answering "does this range touch any of
/// them?" in logarithmic time.
#[derive(Clone, Debug, Default)]
pub struct RangeSet {
    /// Sorted by start.
    ranges: Vec<TextRange>,
    /// `max_end[i]` is the largest end among `ranges[..=i]`.
    max_end: Vec<u32>,
}

impl RangeSet {
    pub fn new(mut ranges: Vec<TextRange>) -> RangeSet {
        ranges.sort_by_key(|range| (range.start, range.end));
        let mut max_end = Vec::with_capacity(ranges.len());
        let mut running = 0;
        for range in &ranges {
            running = running.max(range.end);
            max_end.push(running);
        }
        RangeSet { ranges, max_end }
    }

    pub fn ranges(&self) -> &[TextRange] {
        &self.ranges
    }

    /// Whether `range` shares a byte with a member (an empty `range` counts when it sits
    /// inside a member or at its start).
    pub fn touches(&self, range: TextRange) -> bool {
        // Members starting before the range ends (or at an empty range's position).
        let limit = if range.is_empty() { range.start + 1 } else { range.end };
        let upto = self.ranges.partition_point(|member| member.start < limit);
        upto > 0 && self.max_end[upto - 1] > range.start
    }
}
