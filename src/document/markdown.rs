//! The prose map: which parts of a Markdown draft are prose, as plain text with a way back
//! to the source bytes.

use pulldown_cmark::{Event, LinkType, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::text::{TextRange, UnchangedEnds};

/// The kind of block a run of prose sits in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A heading with its level (1 for `#`).
    Heading(u8),
    TableCell,
}

/// One prose block: a paragraph, a heading or a table cell, as plain text.
///
/// `prose` is the block's text with inline markup removed: emphasis markers, link
/// destinations and HTML vanish; inline code, math, images and footnote references become
/// one [`PLACEHOLDER`] character; soft and hard line breaks become `\n`.
/// [`Block::to_source`] maps a prose offset back to a byte offset in the document.
#[derive(Clone, Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// Source range of the whole block, markup included.
    pub range: TextRange,
    /// Shared with the versions of the draft that keep the block unchanged.
    pub prose: std::sync::Arc<str>,
    /// Shared like `prose`; their source offsets count from the block's start.
    pub segments: std::sync::Arc<[Segment]>,
    /// How many list items enclose the block (0 outside lists).
    pub list_depth: u16,
    /// How many block quotes enclose the block (0 outside `>` quotes).
    pub quote_depth: u16,
    /// Whether this is the first prose block of its list item.
    pub starts_list_item: bool,
    /// Index range into [`crate::Document::tokens`].
    pub tokens: std::ops::Range<usize>,
    /// Index range into [`crate::Document::sentences`].
    pub sentences: std::ops::Range<usize>,
}

/// Stands in the prose text for inline content that is not prose (inline code, math,
/// images, footnote references), so that sentences and words keep their shape around it.
pub const PLACEHOLDER: char = '\u{FFFC}';

/// A piece of prose and the source bytes it came from.
///
/// When `exact` the prose bytes equal the source bytes one for one; otherwise the piece is
/// atomic (an entity, an escape, a placeholder, a CRLF break) and maps to its whole source range.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub prose_start: u32,
    pub prose_len: u32,
    /// Source offset from the start of the block ([`Block::range`]).
    pub source_start: u32,
    pub source_len: u32,
    pub exact: bool,
}

impl Block {
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_))
    }

    /// Whether the two blocks have the same prose and segments (so the same marks, words and
    /// mapping, counted from their starts). A block the prose map took from the previous
    /// version shares both with it, which is a pointer comparison.
    pub fn same_prose(&self, other: &Block) -> bool {
        use std::sync::Arc;
        (Arc::ptr_eq(&self.prose, &other.prose) || self.prose == other.prose)
            && (Arc::ptr_eq(&self.segments, &other.segments) || self.segments == other.segments)
    }

    pub fn in_list(&self) -> bool {
        self.list_depth > 0
    }

    /// Maps a prose offset to a source offset. An offset on a segment boundary maps to the
    /// start of the following segment.
    pub fn to_source(&self, prose_offset: usize) -> usize {
        self.map(prose_offset, false)
    }

    /// Maps a prose offset that ends a range: on a segment boundary it maps to the end of
    /// the preceding segment, so a range never swallows markup after its last character.
    pub fn to_source_end(&self, prose_offset: usize) -> usize {
        self.map(prose_offset, true)
    }

    /// Maps a prose range to a source range.
    pub fn range_to_source(&self, prose: TextRange) -> TextRange {
        let start = self.to_source(prose.start());
        let end = if prose.is_empty() {
            start
        } else {
            self.to_source_end(prose.end())
        };
        TextRange::new(start, end.max(start))
    }

    /// Whether the prose range maps to one contiguous run of source bytes with the same
    /// content, so that replacing it in the source replaces exactly that prose.
    pub fn is_verbatim(&self, prose: TextRange) -> bool {
        if prose.is_empty() {
            return true;
        }
        let idx = self.segment_index(prose.start(), false);
        let segment = self.segments[idx];
        segment.exact && prose.end() <= (segment.prose_start + segment.prose_len) as usize
    }

    fn segment_index(&self, offset: usize, prefer_previous: bool) -> usize {
        let offset = offset as u32;
        let idx = self
            .segments
            .partition_point(|segment| segment.prose_start <= offset)
            .saturating_sub(1);
        if prefer_previous && idx > 0 && self.segments[idx].prose_start == offset {
            idx - 1
        } else {
            idx
        }
    }

    /// Like [`Block::range_to_source`] for ranges that come in increasing order: `hint`
    /// carries the segment reached by the previous call, so a whole block maps in one pass.
    pub fn range_to_source_from(&self, prose: TextRange, hint: &mut usize) -> TextRange {
        if self.segments.is_empty() {
            return TextRange::empty(self.range.start());
        }
        let mut idx = (*hint).min(self.segments.len() - 1);
        if self.segments[idx].prose_start > prose.start {
            idx = 0;
        }
        while idx + 1 < self.segments.len() && self.segments[idx + 1].prose_start <= prose.start {
            idx += 1;
        }
        *hint = idx;
        let start = self.map_at(idx, prose.start(), false);
        if prose.is_empty() {
            return TextRange::empty(start);
        }
        let mut end_idx = idx;
        while end_idx + 1 < self.segments.len() && self.segments[end_idx + 1].prose_start < prose.end {
            end_idx += 1;
        }
        let end = self.map_at(end_idx, prose.end(), true);
        TextRange::new(start, end.max(start))
    }

    /// A cursor that maps ranges coming in increasing order, like
    /// [`Block::range_to_source_from`], with a fast path for a range inside one exact segment.
    pub fn source_cursor(&self) -> SourceCursor<'_> {
        SourceCursor {
            block: self,
            segment: 0,
            prose_start: 0,
            prose_end: 0,
            source_start: 0,
        }
    }

    fn map(&self, prose_offset: usize, is_end: bool) -> usize {
        if self.segments.is_empty() {
            return self.range.start();
        }
        let idx = self.segment_index(prose_offset, is_end);
        self.map_at(idx, prose_offset, is_end)
    }

    fn map_at(&self, idx: usize, prose_offset: usize, is_end: bool) -> usize {
        let segment = self.segments[idx];
        let delta = (prose_offset as u32).saturating_sub(segment.prose_start);
        let source = if segment.exact {
            segment.source_start + delta.min(segment.source_len)
        } else if delta == 0 && !(is_end && prose_offset as u32 > segment.prose_start) {
            segment.source_start
        } else {
            segment.source_start + segment.source_len
        };
        self.range.start.wrapping_add(source) as usize
    }
}

/// Maps a block's prose ranges, in increasing order, to source ranges (see
/// [`Block::source_cursor`]). It remembers the exact segment the last range fell in: a
/// range inside it, the common case, maps with one subtraction.
pub struct SourceCursor<'a> {
    block: &'a Block,
    segment: usize,
    /// Where the remembered segment's prose starts, and where the next segment starts (a
    /// range ending after it may map differently); both 0 while no exact segment is remembered.
    prose_start: usize,
    prose_end: usize,
    /// The document offset of the remembered segment's prose start.
    source_start: usize,
}

impl SourceCursor<'_> {
    #[inline]
    pub fn map(&mut self, prose: TextRange) -> TextRange {
        let (start, end) = (prose.start(), prose.end());
        if start >= self.prose_start && end <= self.prose_end && start < end {
            return TextRange::new(
                self.source_start + (start - self.prose_start),
                self.source_start + (end - self.prose_start),
            );
        }
        let mapped = self.block.range_to_source_from(prose, &mut self.segment);
        self.remember();
        mapped
    }

    /// Remembers the segment `range_to_source_from` stopped at when it is exact: a range that
    /// starts in it and ends before the next segment starts (and within its source) maps by
    /// its offset from the segment's start, as `map_at` does.
    fn remember(&mut self) {
        let segments = &self.block.segments;
        let Some(segment) = segments.get(self.segment).filter(|segment| segment.exact) else {
            self.prose_start = 0;
            self.prose_end = 0;
            return;
        };
        let next_start = segments
            .get(self.segment + 1)
            .map_or(usize::MAX, |next| next.prose_start as usize);
        self.prose_start = segment.prose_start as usize;
        self.prose_end = next_start.min(segment.prose_start as usize + segment.source_len as usize);
        self.source_start = self.block.range.start.wrapping_add(segment.source_start) as usize;
    }
}

/// Front matter at the top of the draft (`---` YAML or `+++` TOML).
#[derive(Clone, Debug)]
pub struct FrontMatter {
    pub range: TextRange,
    /// The `title` value and its source range, when present.
    pub title: Option<(String, TextRange)>,
}

/// A `<!-- copydesk-... -->` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Rule ids named in the comment; empty means all rules.
    pub rules: Vec<String>,
    pub range: TextRange,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    DisableNextLine,
    Disable,
    Enable,
}

/// What parsing a Markdown draft yields for the rest of the document model.
pub struct ProseMap {
    pub blocks: Vec<Block>,
    pub front_matter: Option<FrontMatter>,
    pub directives: Vec<Directive>,
    /// Source ranges that are not prose (code, HTML, front matter, link destinations).
    pub non_prose: Vec<TextRange>,
}

struct Builder<'a> {
    text: &'a str,
    blocks: Vec<Block>,
    current: Option<Pending>,
    list_depth: u16,
    quote_depth: u16,
    /// Item nesting: whether the innermost item has produced a prose block yet.
    item_has_block: Vec<bool>,
    skip_depth: u32,
    directives: Vec<Directive>,
    non_prose: Vec<TextRange>,
    front_matter: Option<FrontMatter>,
    /// The buffers of the last closed block, emptied, for the next one: a block's prose and
    /// segments are copied into shared storage when it closes, so one pair serves them all.
    spare: (String, Vec<Segment>),
}

/// A block being built: its prose and segments grow as events come, with absolute source
/// offsets until the block is closed.
struct Pending {
    kind: BlockKind,
    range: TextRange,
    prose: String,
    segments: Vec<Segment>,
    list_depth: u16,
    quote_depth: u16,
    starts_list_item: bool,
}

pub fn parse(text: &str) -> ProseMap {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut builder = Builder {
        text,
        blocks: Vec::new(),
        current: None,
        list_depth: 0,
        quote_depth: 0,
        item_has_block: Vec::new(),
        skip_depth: 0,
        directives: Vec::new(),
        non_prose: Vec::new(),
        front_matter: None,
        spare: (String::new(), Vec::new()),
    };
    let mut metadata_kind = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let range = TextRange::from(range);
        match event {
            Event::Start(Tag::MetadataBlock(kind)) => {
                metadata_kind = Some(kind);
                builder.non_prose.push(range);
                builder.front_matter = Some(FrontMatter { range, title: None });
            }
            Event::End(TagEnd::MetadataBlock(_)) => metadata_kind = None,
            Event::Text(content) if metadata_kind.is_some() => {
                if let Some(front_matter) = builder.front_matter.as_mut() {
                    front_matter.title = front_matter_title(
                        text,
                        range,
                        &content,
                        metadata_kind.unwrap_or(MetadataBlockKind::YamlStyle),
                    );
                }
            }
            Event::Start(tag) => builder.start(tag, range),
            Event::End(tag) => builder.end(tag, range),
            Event::Text(content) => builder.text_event(&content, range),
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_) => {
                builder.non_prose.push(range);
                builder.placeholder(range);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                builder.non_prose.push(range);
                builder.scan_directives(range);
            }
            Event::SoftBreak | Event::HardBreak => builder.line_break(range),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    builder.close_block(None);
    ProseMap {
        blocks: builder.blocks,
        front_matter: builder.front_matter,
        directives: builder.directives,
        non_prose: builder.non_prose,
    }
}

/// What [`reparse`] takes from the previous version of a draft: its text and what [`parse`]
/// gave for it.
pub struct PreviousMap<'a> {
    pub text: &'a str,
    pub blocks: &'a [Block],
    pub front_matter: Option<&'a FrontMatter>,
    pub directives: &'a [Directive],
    /// Sorted by start.
    pub non_prose: &'a [TextRange],
}

/// How many blocks [`reparse`] looks through on each side of an edit for a place to cut.
const CUT_SEARCH: usize = 32;

/// The prose map of `text`, a new version of `previous.text` sharing `unchanged` with it
/// ([`crate::text::unchanged_ends`]), made by parsing only the part that changed: the same as [`parse`]'s, or `None` when that cannot be known cheaply (then
/// parse the whole draft).
///
/// The changed bytes are widened to a window that starts and ends at *cuts*: the start of a
/// top-level paragraph or heading (outside lists, block quotes and tables), at the start of a
/// line, after a blank line (or at the very start of the draft), not indented. At a cut every Markdown container is closed, so what
/// comes after it parses the same whatever came before, provided nothing in the window opens
/// something that a blank line does not close. So the window is parsed alone only when, before
/// and after the edit:
/// - it has no code fence or strikethrough (`` ` ``, `~`), no HTML (`<`), no table (`|`), no
///   brackets (`[`, `]`: link reference and footnote definitions reach across the whole
///   draft), and no line starting with `---`, `+++` or `...` (pulldown-cmark reads a
///   metadata block between two such lines, even past a blank line);
/// - its first line with text starts with a letter, a quotation mark, `(` or `#`: not indented
///   and not a list item or block quote (which could join a list or quote above the window).
///
/// Blocks, directives and non-prose ranges before the window are taken as they were, those
/// after it moved by the change in length. A property test compares the result with
/// [`parse`]'s on random edits.
pub fn reparse(text: &str, previous: &PreviousMap<'_>, unchanged: UnchangedEnds) -> Option<ProseMap> {
    let old = previous.text;
    let UnchangedEnds { prefix, suffix } = unchanged;
    let old_edit_end = old.len() - suffix;
    let blocks = previous.blocks;

    // The window starts at the last cut at or before the edit...
    let after_edit_start = blocks.partition_point(|block| block.range.start() <= prefix);
    let first = (after_edit_start.saturating_sub(CUT_SEARCH)..after_edit_start)
        .rev()
        .find(|&idx| is_cut(old, &blocks[idx]))?;
    let start = blocks[first].range.start();
    // ...and ends at the first cut whose blank line before it (`\n\n` or `\n\r\n`) is not
    // part of the edit, or at the end of the draft.
    let after_edit = blocks.partition_point(|block| block.range.start() < old_edit_end + 3);
    let last = (after_edit..blocks.len())
        .take(CUT_SEARCH)
        .find(|&idx| is_cut(old, &blocks[idx]));
    let (suffix_blocks, old_end) = match last {
        Some(idx) => (idx, blocks[idx].range.start()),
        None if blocks.len() - after_edit <= CUT_SEARCH => (blocks.len(), old.len()),
        None => return None,
    };
    let new_end = (old_end + text.len()).checked_sub(old.len())?;
    let old_window = old.get(start..old_end)?;
    let new_window = text.get(start..new_end)?;
    let reaches_out = |window: &str| {
        window
            .bytes()
            .any(|byte| matches!(byte, b'`' | b'~' | b'<' | b'[' | b']' | b'|'))
            || window.lines().any(|line| {
                let line = line.trim_start();
                line.starts_with("---") || line.starts_with("+++") || line.starts_with("...")
            })
    };
    if reaches_out(old_window) || reaches_out(new_window) {
        return None;
    }
    if let Some(line) = new_window.lines().find(|line| !line.trim().is_empty())
        && !line.chars().next().is_some_and(starts_cut)
    {
        return None;
    }
    // Nothing before the window may reach into it, and nothing in it past its end.
    let stays_out = |range: &TextRange| {
        range.start() >= old_end || range.end() <= if range.start() < start { start } else { old_end }
    };
    if !previous.non_prose.iter().all(stays_out)
        || !previous.directives.iter().all(|directive| stays_out(&directive.range))
        || previous
            .front_matter
            .is_some_and(|front_matter| front_matter.range.end() > start)
    {
        return None;
    }

    let window = parse(new_window);
    if window.front_matter.is_some() {
        return None;
    }
    let into_window = start as u32;
    let past_window = (text.len() as u32).wrapping_sub(old.len() as u32);
    let mut map = ProseMap {
        blocks: Vec::with_capacity(first + window.blocks.len() + blocks.len() - suffix_blocks),
        front_matter: previous.front_matter.cloned(),
        directives: Vec::with_capacity(previous.directives.len() + window.directives.len()),
        non_prose: Vec::with_capacity(previous.non_prose.len() + window.non_prose.len()),
    };
    map.blocks
        .extend(blocks[..first].iter().map(|block| moved_block(block, 0)));
    map.blocks
        .extend(window.blocks.iter().map(|block| moved_block(block, into_window)));
    map.blocks.extend(
        blocks[suffix_blocks..]
            .iter()
            .map(|block| moved_block(block, past_window)),
    );
    let moved_directive = |directive: &Directive, by: u32| Directive {
        range: directive.range.moved(by),
        ..directive.clone()
    };
    map.directives
        .extend(previous.directives.iter().filter(|d| d.range.end() <= start).cloned());
    map.directives
        .extend(window.directives.iter().map(|d| moved_directive(d, into_window)));
    map.directives.extend(
        previous
            .directives
            .iter()
            .filter(|d| d.range.start() >= old_end)
            .map(|d| moved_directive(d, past_window)),
    );
    map.non_prose
        .extend(previous.non_prose.iter().filter(|range| range.end() <= start));
    map.non_prose
        .extend(window.non_prose.iter().map(|range| range.moved(into_window)));
    map.non_prose.extend(
        previous
            .non_prose
            .iter()
            .filter(|range| range.start() >= old_end)
            .map(|range| range.moved(past_window)),
    );
    Some(map)
}

/// Whether a block starts a cut for [`reparse`].
fn is_cut(text: &str, block: &Block) -> bool {
    let start = block.range.start();
    block.list_depth == 0
        && block.quote_depth == 0
        && block.kind != BlockKind::TableCell
        && text
            .get(..start)
            .is_some_and(|before| before.is_empty() || before.ends_with("\n\n") || before.ends_with("\n\r\n"))
        && text[start..].chars().next().is_some_and(starts_cut)
}

/// Whether a line starting with `c` after a blank line is a top-level paragraph or heading
/// whatever came before it.
fn starts_cut(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '#' | '"' | '\'' | '“' | '‘' | '(')
}

/// A copy of `block` moved by `by` bytes, without token or sentence indices (as [`parse`]
/// makes it). Its prose and segments are shared.
fn moved_block(block: &Block, by: u32) -> Block {
    Block {
        kind: block.kind,
        range: block.range.moved(by),
        prose: block.prose.clone(),
        segments: block.segments.clone(),
        list_depth: block.list_depth,
        quote_depth: block.quote_depth,
        starts_list_item: block.starts_list_item,
        tokens: 0..0,
        sentences: 0..0,
    }
}

impl Builder<'_> {
    fn start(&mut self, tag: Tag<'_>, range: TextRange) {
        if self.skip_depth > 0 {
            self.skip_depth += 1;
            return;
        }
        match tag {
            Tag::Paragraph => self.open_block(BlockKind::Paragraph, range),
            Tag::Heading { level, .. } => self.open_block(BlockKind::Heading(level as u8), range),
            Tag::TableCell => self.open_block(BlockKind::TableCell, range),
            Tag::BlockQuote(_) => {
                self.close_block(None);
                self.quote_depth += 1;
            }
            Tag::List(_) => self.close_block(None),
            Tag::Item => {
                self.close_block(None);
                self.list_depth += 1;
                self.item_has_block.push(false);
            }
            Tag::CodeBlock(_) | Tag::HtmlBlock => {
                self.close_block(None);
                self.non_prose.push(range);
                if matches!(tag, Tag::HtmlBlock) {
                    // HTML blocks hold directives; their Html events are scanned as they come.
                    return;
                }
                self.skip_depth = 1;
            }
            Tag::Image { .. } => {
                self.placeholder(range);
                self.skip_depth = 1;
            }
            Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            } => {
                self.non_prose.push(range);
                self.placeholder(range);
                self.skip_depth = 1;
            }
            Tag::Link { .. } => {
                // Link text is prose; the destination is not.
                if let Some(dest_start) = self.text[range.as_range()].rfind("](") {
                    let start = range.start() + dest_start + 1;
                    self.non_prose.push(TextRange::new(start, range.end()));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: TextRange) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell => self.close_block(Some(range)),
            TagEnd::BlockQuote(_) => {
                self.close_block(None);
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::Item => {
                self.close_block(None);
                self.list_depth = self.list_depth.saturating_sub(1);
                self.item_has_block.pop();
            }
            TagEnd::List(_) => self.close_block(None),
            _ => {}
        }
    }

    fn open_block(&mut self, kind: BlockKind, range: TextRange) {
        self.close_block(None);
        let starts_list_item = match self.item_has_block.last_mut() {
            Some(has_block) if !*has_block => {
                *has_block = true;
                true
            }
            _ => false,
        };
        let (prose, segments) = std::mem::take(&mut self.spare);
        self.current = Some(Pending {
            kind,
            range,
            prose,
            segments,
            list_depth: self.list_depth,
            quote_depth: self.quote_depth,
            starts_list_item,
        });
    }

    /// Text directly inside a tight list item has no paragraph around it: open one.
    fn ensure_block(&mut self, range: TextRange) {
        if self.current.is_none() {
            self.open_block(BlockKind::Paragraph, range);
        }
    }

    fn close_block(&mut self, end_range: Option<TextRange>) {
        let Some(mut block) = self.current.take() else {
            return;
        };
        if end_range.is_none() {
            // An implicit block (tight list item) spans its segments.
            if let (Some(first), Some(last)) = (block.segments.first(), block.segments.last()) {
                block.range = TextRange::new(
                    first.source_start as usize,
                    (last.source_start + last.source_len) as usize,
                );
            }
        }
        if !block.prose.trim().is_empty() {
            let start = block.range.start;
            for segment in &mut block.segments {
                segment.source_start = segment.source_start.wrapping_sub(start);
            }
            self.blocks.push(Block {
                kind: block.kind,
                range: block.range,
                prose: block.prose.as_str().into(),
                segments: block.segments.as_slice().into(),
                list_depth: block.list_depth,
                quote_depth: block.quote_depth,
                starts_list_item: block.starts_list_item,
                tokens: 0..0,
                sentences: 0..0,
            });
        }
        block.prose.clear();
        block.segments.clear();
        self.spare = (block.prose, block.segments);
    }

    fn push_segment(&mut self, prose: &str, source: TextRange, exact: bool) {
        let Some(block) = self.current.as_mut() else {
            return;
        };
        let prose_start = block.prose.len() as u32;
        block.prose.push_str(prose);
        block.segments.push(Segment {
            prose_start,
            prose_len: prose.len() as u32,
            source_start: source.start,
            source_len: source.len() as u32,
            exact,
        });
    }

    fn text_event(&mut self, content: &str, range: TextRange) {
        if self.skip_depth > 0 {
            return;
        }
        self.ensure_block(range);
        let source = &self.text[range.as_range()];
        if source == content {
            self.push_segment(content, range, true);
        } else if let Some(pos) = source.find(content) {
            // An escape such as `\*` yields the text after the backslash.
            let start = range.start() + pos;
            self.push_segment(content, TextRange::new(start, start + content.len()), true);
        } else {
            self.push_segment(content, range, false);
        }
    }

    fn placeholder(&mut self, range: TextRange) {
        if self.skip_depth > 0 {
            return;
        }
        self.ensure_block(range);
        let mut buf = [0u8; 4];
        self.push_segment(PLACEHOLDER.encode_utf8(&mut buf), range, false);
    }

    fn line_break(&mut self, range: TextRange) {
        if self.skip_depth > 0 || self.current.is_none() {
            return;
        }
        let source = &self.text[range.as_range()];
        let exact = source == "\n";
        self.push_segment("\n", range, exact);
    }

    fn scan_directives(&mut self, range: TextRange) {
        let source = &self.text[range.as_range()];
        let mut search_from = 0;
        while let Some(open) = source[search_from..].find("<!--") {
            let open = search_from + open;
            let Some(close) = source[open..].find("-->") else {
                break;
            };
            let close = open + close + 3;
            // `<!-->` and `<!--->` are whole (empty) comments in CommonMark: their `-->`
            // overlaps the `<!--`, so there is no body between the two.
            let body = source.get(open + 4..close - 3).unwrap_or("").trim();
            search_from = close;
            let mut words = body.split_whitespace();
            let kind = match words.next() {
                Some("copydesk-disable-next-line") => DirectiveKind::DisableNextLine,
                Some("copydesk-disable") => DirectiveKind::Disable,
                Some("copydesk-enable") => DirectiveKind::Enable,
                _ => continue,
            };
            let rules = words
                .flat_map(|word| word.split(','))
                .filter(|word| !word.is_empty())
                .map(str::to_string)
                .collect();
            self.directives.push(Directive {
                kind,
                rules,
                range: TextRange::new(range.start() + open, range.start() + close),
            });
        }
    }
}

/// Finds `title` in front matter: `title: ...` in YAML, `title = "..."` in TOML.
fn front_matter_title(
    text: &str,
    content_range: TextRange,
    content: &str,
    kind: MetadataBlockKind,
) -> Option<(String, TextRange)> {
    let source = &text[content_range.as_range()];
    let base = if source == content {
        content_range.start()
    } else {
        content_range.start() + source.find(content).unwrap_or(0)
    };
    let mut offset = 0;
    for line in content.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let separator = match kind {
            MetadataBlockKind::YamlStyle => ':',
            MetadataBlockKind::PlusesStyle => '=',
        };
        let Some((key, value)) = line.split_once(separator) else {
            continue;
        };
        if key.trim() != "title" || key.starts_with(char::is_whitespace) {
            continue;
        }
        let value_start_in_line = key.len() + 1;
        let raw = value.trim_end_matches(['\n', '\r']);
        let leading = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        let (unquoted, quote_offset) = match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) if trimmed.len() >= 2 && trimmed.ends_with(q) => (&trimmed[1..trimmed.len() - 1], 1),
            _ => (trimmed, 0),
        };
        if unquoted.is_empty() {
            return None;
        }
        let start = base + line_start + value_start_in_line + leading + quote_offset;
        return Some((unquoted.to_string(), TextRange::new(start, start + unquoted.len())));
    }
    None
}
