//! Quotation marks: which marks open, close, or are apostrophes, and the quotations they make.
//!
//! Curly marks say which way they face; straight marks are read from their neighbours.
//! A right single mark (’) is an apostrophe unless a single quotation is open (don’t,
//! rock ’n’ roll, the ’90s, Jones’ car). A paragraph that ends inside a double quotation
//! without closing it continues when the next paragraph opens with a quote mark.

use super::markdown::{Block, BlockKind};
use crate::text::TextRange;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    Double,
    Single,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MarkRole {
    Open,
    Close,
    /// Part of a word: don’t, ’90s, Jones’.
    Apostrophe,
    /// Feet and inches after a digit: 6'2".
    Measure,
}

/// One quotation mark character in prose.
#[derive(Copy, Clone, Debug)]
pub struct QuoteMark {
    pub ch: char,
    pub kind: QuoteKind,
    pub role: MarkRole,
    /// Whether the mark is the straight ASCII `"` or `'`.
    pub straight: bool,
    pub block: u32,
    /// Offset of the mark in its block's prose.
    pub prose: u32,
    /// Source range of the mark.
    pub range: TextRange,
    /// The quotation this mark opens or closes.
    pub quotation: Option<u32>,
}

/// One paragraph's piece of a quotation.
#[derive(Clone, Debug)]
pub struct QuotePart {
    pub block: u32,
    /// Source range of the opening mark.
    pub open: TextRange,
    /// Source range of the closing mark; `None` when the part runs to the paragraph end.
    pub close: Option<TextRange>,
    /// Prose range of the quoted text (between the marks) in the block.
    pub prose: TextRange,
    /// Source range of the quoted text.
    pub content: TextRange,
}

/// A quotation: one or more parts (a quote running over several paragraphs has one per paragraph).
#[derive(Clone, Debug)]
pub struct Quotation {
    pub kind: QuoteKind,
    pub parts: Vec<QuotePart>,
    /// The quotation this one is nested in (a single quote inside a double one).
    pub parent: Option<u32>,
}

impl Quotation {
    /// From the first opening mark to the last closing mark (or the end of the last part).
    pub fn range(&self) -> TextRange {
        let first = &self.parts[0];
        let last = &self.parts[self.parts.len() - 1];
        let end = last.close.map_or(last.content.end, |close| close.end);
        TextRange {
            start: first.open.start,
            end,
        }
    }

    /// Whether the last part has a closing mark.
    pub fn is_closed(&self) -> bool {
        self.parts.last().is_some_and(|part| part.close.is_some())
    }
}

/// A quote mark with no partner.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct UnbalancedMark {
    pub range: TextRange,
    pub kind: QuoteKind,
    pub problem: Unbalanced,
    pub block: u32,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Unbalanced {
    /// An opening mark never closed (and not continued by the next paragraph).
    UnclosedOpen,
    /// A closing mark with no opening mark before it.
    UnmatchedClose,
}

pub struct QuoteAnalysis {
    pub marks: Vec<QuoteMark>,
    pub quotations: Vec<Quotation>,
    pub unbalanced: Vec<UnbalancedMark>,
    /// What each block added, for the next version of the draft ([`analyze_reusing`]).
    pub blocks: Vec<BlockQuotes>,
}

/// The marks, quotations and unbalanced marks one block's own analysis added (index ranges),
/// and whether a quotation ran into the block from the one before or out of it to the next.
#[derive(Clone, Debug, Default)]
pub struct BlockQuotes {
    marks: std::ops::Range<u32>,
    quotations: std::ops::Range<u32>,
    unbalanced: std::ops::Range<u32>,
    continued: bool,
    left_open: bool,
}

/// What [`analyze_reusing`] takes from the previous version of the draft.
pub struct PreviousQuotes<'a> {
    pub blocks: &'a [Block],
    pub marks: &'a [QuoteMark],
    pub quotations: &'a [Quotation],
    pub unbalanced: &'a [UnbalancedMark],
    pub block_quotes: &'a [BlockQuotes],
}

fn is_quote_char(ch: char) -> bool {
    matches!(ch, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»')
}

fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric()
}

/// Characters after which a straight mark opens.
fn opens_after(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(
            ch,
            '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '«' | '\u{FFFC}'
        )
}

/// Characters before which a straight mark closes.
fn closes_before(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(
            ch,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…' | '”' | '’' | '»' | '\u{FFFC}'
        )
}

const APHAERESIS: &[&str] = &["em", "tis", "twas", "til", "cause", "n", "bout", "round", "s"];

struct Open {
    kind: QuoteKind,
    mark_idx: usize,
    quotation: u32,
    content_start: u32,
}

pub fn analyze(blocks: &[Block]) -> QuoteAnalysis {
    analyze_with(blocks, None)
}

/// [`analyze`] for a new version of a draft: a block that is the previous version's block
/// unchanged (its prose and segments shared with it, as [`super::markdown::reparse`] leaves
/// them), with no quotation running into it or out of it in either version, takes that
/// block's marks, quotations and unbalanced marks as they were, moved to where it now is.
/// Classifying and pairing marks read nothing else. The result is [`analyze`]'s.
pub fn analyze_reusing(blocks: &[Block], previous: &PreviousQuotes<'_>) -> QuoteAnalysis {
    analyze_with(blocks, Some(previous))
}

fn analyze_with(blocks: &[Block], previous: Option<&PreviousQuotes<'_>>) -> QuoteAnalysis {
    let mut analysis = QuoteAnalysis {
        marks: Vec::with_capacity(previous.map_or(0, |previous| previous.marks.len() + 16)),
        quotations: Vec::with_capacity(previous.map_or(0, |previous| previous.quotations.len() + 16)),
        unbalanced: Vec::new(),
        blocks: Vec::with_capacity(blocks.len()),
    };
    let shift = previous.map_or(0, |previous| blocks.len() as i64 - previous.blocks.len() as i64);
    // A double quotation left open at the end of the previous paragraph.
    let mut pending: Option<u32> = None;
    for (block_idx, block) in blocks.iter().enumerate() {
        let continues = pending.filter(|_| block_continues_quote(block) || deeper_quote(blocks, block_idx));
        if pending.is_some() && continues.is_none() {
            mark_unclosed(&mut analysis, pending.take());
        }
        let before = (
            analysis.marks.len() as u32,
            analysis.quotations.len() as u32,
            analysis.unbalanced.len() as u32,
        );
        let copied = continues.is_none()
            && previous.is_some_and(|previous| copy_block(&mut analysis, previous, shift, block_idx as u32, block));
        if !copied {
            pending = analyze_block(&mut analysis, block_idx as u32, block, continues);
        }
        analysis.blocks.push(BlockQuotes {
            marks: before.0..analysis.marks.len() as u32,
            quotations: before.1..analysis.quotations.len() as u32,
            unbalanced: before.2..analysis.unbalanced.len() as u32,
            continued: continues.is_some(),
            left_open: pending.is_some(),
        });
        let next_can_continue = blocks.get(block_idx + 1).is_some_and(|next| {
            can_follow(block, next) && (block_continues_quote(next) || next.quote_depth > block.quote_depth)
        });
        if pending.is_some() && !next_can_continue {
            mark_unclosed(&mut analysis, pending.take());
        }
    }
    mark_unclosed(&mut analysis, pending);
    analysis
}

/// Appends the marks, quotations and unbalanced marks of the previous version's copy of
/// `block` (where it is expected: the same index, or moved by `shift` blocks), moved to where
/// `block` is, when that block had no quotation running into it or out of it. Returns whether
/// it did; the block then leaves nothing open.
fn copy_block(
    analysis: &mut QuoteAnalysis,
    previous: &PreviousQuotes<'_>,
    shift: i64,
    block_idx: u32,
    block: &Block,
) -> bool {
    let same = |old: i64| -> Option<usize> {
        let old = usize::try_from(old).ok()?;
        let old_block = previous.blocks.get(old)?;
        let summary = previous.block_quotes.get(old)?;
        (old_block.same_prose(block) && !summary.continued && !summary.left_open).then_some(old)
    };
    let Some(old) = same(i64::from(block_idx)).or_else(|| same(i64::from(block_idx) - shift)) else {
        return false;
    };
    let summary = &previous.block_quotes[old];
    let by = block.range.start.wrapping_sub(previous.blocks[old].range.start);
    let moved = |range: TextRange| range.moved(by);
    // The block's quotations are numbered from here on, in the same order.
    let first_quotation = analysis.quotations.len() as u32;
    let renumbered = |quotation: u32| quotation - summary.quotations.start + first_quotation;
    let range_of = |range: &std::ops::Range<u32>| range.start as usize..range.end as usize;
    analysis
        .marks
        .extend(previous.marks[range_of(&summary.marks)].iter().map(|mark| QuoteMark {
            block: block_idx,
            range: moved(mark.range),
            quotation: mark.quotation.map(renumbered),
            ..*mark
        }));
    analysis.quotations.extend(
        previous.quotations[range_of(&summary.quotations)]
            .iter()
            .map(|quotation| Quotation {
                kind: quotation.kind,
                parts: quotation
                    .parts
                    .iter()
                    .map(|part| QuotePart {
                        block: block_idx,
                        open: moved(part.open),
                        close: part.close.map(moved),
                        prose: part.prose,
                        content: moved(part.content),
                    })
                    .collect(),
                parent: quotation.parent.map(renumbered),
            }),
    );
    analysis.unbalanced.extend(
        previous.unbalanced[range_of(&summary.unbalanced)]
            .iter()
            .map(|mark| UnbalancedMark {
                range: moved(mark.range),
                block: block_idx,
                ..*mark
            }),
    );
    true
}

/// Whether a quotation left open at the end of `block` may continue in `next`. A quote
/// paragraph continuing as a block quote (`> "...`) counts: copy often sets the rest of a
/// long quotation that way.
fn can_follow(block: &Block, next: &Block) -> bool {
    block.kind == BlockKind::Paragraph && next.kind == BlockKind::Paragraph && block.list_depth == next.list_depth
}

/// Whether block `idx` is a block quote set deeper than the block before it: a quotation
/// left open in a paragraph may run on into it without a new opening mark.
fn deeper_quote(blocks: &[Block], idx: usize) -> bool {
    idx > 0 && blocks[idx].quote_depth > blocks[idx - 1].quote_depth
}

/// Whether the block's prose opens with a double quote mark.
fn block_continues_quote(block: &Block) -> bool {
    matches!(block.prose.trim_start().chars().next(), Some('"' | '“' | '«'))
}

fn mark_unclosed(analysis: &mut QuoteAnalysis, quotation: Option<u32>) {
    let Some(quotation) = quotation else {
        return;
    };
    let parts = &analysis.quotations[quotation as usize].parts;
    // The last part with a real opening mark (a block quote may continue without one).
    if let Some(part) = parts.iter().rev().find(|part| !part.open.is_empty()).cloned() {
        analysis.unbalanced.push(UnbalancedMark {
            range: part.open,
            kind: QuoteKind::Double,
            problem: Unbalanced::UnclosedOpen,
            block: part.block,
        });
    }
}

fn first_real_open(analysis: &QuoteAnalysis, quotation: u32) -> Option<TextRange> {
    analysis.quotations[quotation as usize]
        .parts
        .iter()
        .rev()
        .find(|part| !part.open.is_empty())
        .map(|part| part.open)
}

/// Classifies and pairs the marks of one block. Returns a double quotation still open at its end.
fn analyze_block(analysis: &mut QuoteAnalysis, block_idx: u32, block: &Block, continued: Option<u32>) -> Option<u32> {
    let prose = &block.prose;
    let mut stack = OpenStack::default();
    let mut first_mark = true;
    let bytes = prose.as_bytes();
    let mut segment_hint = 0;
    let mut continued = continued;
    if let Some(quotation) = continued
        && !block_continues_quote(block)
    {
        // A block quote continuing a quotation without an opening mark: the part starts at
        // the block's first character.
        let start = prose.len() - prose.trim_start().len();
        let open = block.range_to_source(TextRange::new(start, start));
        analysis.quotations[quotation as usize].parts.push(QuotePart {
            block: block_idx,
            open,
            close: None,
            prose: TextRange::new(start, prose.len()),
            content: block.range_to_source(TextRange::new(start, prose.len())),
        });
        stack.push(Open {
            kind: QuoteKind::Double,
            mark_idx: usize::MAX,
            quotation,
            content_start: start as u32,
        });
        continued = None;
    }
    let mut search_from = 0;
    // Quote marks start with `"`, `'`, 0xE2 (“ ” ‘ ’) or 0xC2 (« »): jump between candidates.
    let has_guillemets = memchr::memchr(0xC2, bytes).is_some();
    let next_candidate = |from: usize| -> Option<usize> {
        let common = memchr::memchr3(b'"', b'\'', 0xE2, &bytes[from..]);
        if !has_guillemets {
            return common;
        }
        let guillemet = memchr::memchr(0xC2, &bytes[from..]);
        match (common, guillemet) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };
    while let Some(found) = next_candidate(search_from) {
        let offset = search_from + found;
        let Some(ch) = prose[offset..].chars().next() else {
            break;
        };
        search_from = offset + ch.len_utf8();
        if !is_quote_char(ch) {
            continue;
        }
        let prev = prose[..offset].chars().next_back();
        let after = &prose[offset + ch.len_utf8()..];
        let next = after.chars().next();
        let Some((kind, role)) = classify(ch, prev, next, after, &stack) else {
            continue;
        };
        let range = block.range_to_source_from(TextRange::new(offset, offset + ch.len_utf8()), &mut segment_hint);
        let mark_idx = analysis.marks.len();
        analysis.marks.push(QuoteMark {
            ch,
            kind,
            role,
            straight: matches!(ch, '"' | '\''),
            block: block_idx,
            prose: offset as u32,
            range,
            quotation: None,
        });
        let is_first = std::mem::replace(&mut first_mark, false);
        match role {
            MarkRole::Open => {
                let content_start = (offset + ch.len_utf8()) as u32;
                let part = QuotePart {
                    block: block_idx,
                    open: range,
                    close: None,
                    prose: TextRange::new(content_start as usize, prose.len()),
                    content: block.range_to_source(TextRange::new(content_start as usize, prose.len())),
                };
                let quotation = match continued {
                    Some(quotation) if is_first && kind == QuoteKind::Double => {
                        analysis.quotations[quotation as usize].parts.push(part);
                        quotation
                    }
                    _ => {
                        // Most quotations have one part: room for it alone.
                        let parent = stack.last().map(|open| open.quotation);
                        analysis.quotations.push(Quotation {
                            kind,
                            parts: vec![part],
                            parent,
                        });
                        (analysis.quotations.len() - 1) as u32
                    }
                };
                analysis.marks[mark_idx].quotation = Some(quotation);
                stack.push(Open {
                    kind,
                    mark_idx,
                    quotation,
                    content_start,
                });
            }
            MarkRole::Close => {
                // Close the innermost quotation of this kind; singles opened inside it and never
                // closed were apostrophes after all (straight) or are unbalanced (curly).
                let Some(pos) = stack.rposition(kind) else {
                    if kind == QuoteKind::Double {
                        analysis.unbalanced.push(UnbalancedMark {
                            range,
                            kind,
                            problem: Unbalanced::UnmatchedClose,
                            block: block_idx,
                        });
                    } else {
                        analysis.marks[mark_idx].role = MarkRole::Apostrophe;
                    }
                    continue;
                };
                for inner in stack.split_off(pos + 1) {
                    abandon_open(analysis, block_idx, inner);
                }
                let Some(open) = stack.pop() else { continue };
                let quotation = &mut analysis.quotations[open.quotation as usize];
                if let Some(part) = quotation.parts.last_mut() {
                    part.close = Some(range);
                    part.prose = TextRange::new(open.content_start as usize, offset);
                    part.content = block.range_to_source(part.prose);
                }
                analysis.marks[mark_idx].quotation = Some(open.quotation);
            }
            MarkRole::Apostrophe | MarkRole::Measure => {}
        }
    }
    // At the paragraph end: an open double quotation may continue; singles do not.
    let mut pending = None;
    for open in stack.take_all().into_iter().rev() {
        if open.kind == QuoteKind::Double && pending.is_none() && stack_outermost_double(analysis, &open) {
            let quotation = &mut analysis.quotations[open.quotation as usize];
            if let Some(part) = quotation.parts.last_mut() {
                let end = prose.trim_end().len().max(open.content_start as usize);
                part.prose = TextRange::new(open.content_start as usize, end);
                part.content = block.range_to_source(part.prose);
            }
            pending = Some(open.quotation);
        } else {
            abandon_open(analysis, block_idx, open);
        }
    }
    pending
}

/// The quotations open in a paragraph, innermost last, with counts by kind so that
/// "is a single quotation open?" costs nothing however deep the nesting.
#[derive(Default)]
struct OpenStack {
    items: Vec<Open>,
    n_single: usize,
    n_double: usize,
}

impl OpenStack {
    fn count(&mut self, kind: QuoteKind, delta: isize) {
        let counter = match kind {
            QuoteKind::Single => &mut self.n_single,
            QuoteKind::Double => &mut self.n_double,
        };
        *counter = counter.saturating_add_signed(delta);
    }

    fn push(&mut self, open: Open) {
        self.count(open.kind, 1);
        self.items.push(open);
    }

    fn pop(&mut self) -> Option<Open> {
        let open = self.items.pop()?;
        self.count(open.kind, -1);
        Some(open)
    }

    fn last(&self) -> Option<&Open> {
        self.items.last()
    }

    fn rposition(&self, kind: QuoteKind) -> Option<usize> {
        let any = match kind {
            QuoteKind::Single => self.n_single,
            QuoteKind::Double => self.n_double,
        };
        if any == 0 {
            return None;
        }
        self.items.iter().rposition(|open| open.kind == kind)
    }

    fn split_off(&mut self, at: usize) -> Vec<Open> {
        let tail = self.items.split_off(at);
        for open in &tail {
            self.count(open.kind, -1);
        }
        tail
    }

    fn take_all(&mut self) -> Vec<Open> {
        self.n_single = 0;
        self.n_double = 0;
        std::mem::take(&mut self.items)
    }
}

fn stack_outermost_double(analysis: &QuoteAnalysis, open: &Open) -> bool {
    let quotation = &analysis.quotations[open.quotation as usize];
    quotation.parent.is_none()
}

/// An opening mark left open inside its paragraph.
fn abandon_open(analysis: &mut QuoteAnalysis, block_idx: u32, open: Open) {
    if open.mark_idx == usize::MAX {
        // A continued quotation without a mark of its own in this block.
        if let Some(range) = first_real_open(analysis, open.quotation) {
            analysis.unbalanced.push(UnbalancedMark {
                range,
                kind: QuoteKind::Double,
                problem: Unbalanced::UnclosedOpen,
                block: block_idx,
            });
        }
        return;
    }
    let mark = &mut analysis.marks[open.mark_idx];
    if open.kind == QuoteKind::Single && mark.ch != '‘' {
        // A straight or right single mark that never closed was an apostrophe ('cause).
        mark.role = MarkRole::Apostrophe;
        mark.quotation = None;
        let quotation = &mut analysis.quotations[open.quotation as usize];
        quotation.parts.pop();
        return;
    }
    let range = mark.range;
    let quotation = &mut analysis.quotations[open.quotation as usize];
    if let Some(part) = quotation.parts.last_mut() {
        part.close = None;
    }
    analysis.unbalanced.push(UnbalancedMark {
        range,
        kind: open.kind,
        problem: Unbalanced::UnclosedOpen,
        block: block_idx,
    });
}

fn classify(
    ch: char,
    prev: Option<char>,
    next: Option<char>,
    after: &str,
    stack: &OpenStack,
) -> Option<(QuoteKind, MarkRole)> {
    let prev_word = prev.is_some_and(is_word_char);
    let next_word = next.is_some_and(is_word_char);
    let opens_context = prev.is_none_or(opens_after) || prev.is_some_and(is_quote_char);
    let closes_context = next.is_none_or(closes_before) || next.is_some_and(is_quote_char);
    let single_open = stack.n_single > 0;
    let double_open = stack.n_double > 0;
    let top_double = stack.last().is_some_and(|open| open.kind == QuoteKind::Double);
    use MarkRole::*;
    use QuoteKind::*;
    Some(match ch {
        '“' | '«' => (Double, Open),
        '”' | '»' => (Double, Close),
        '"' => {
            if prev.is_some_and(|c| c.is_ascii_digit()) && !double_open {
                (Double, Measure)
            } else if opens_context && !closes_context {
                (Double, Open)
            } else if (closes_context && !opens_context) || top_double || (double_open && !single_open) {
                (Double, Close)
            } else {
                (Double, Open)
            }
        }
        '‘' => {
            if prev_word || next.is_some_and(|c| c.is_ascii_digit()) {
                (Single, Apostrophe)
            } else {
                (Single, Open)
            }
        }
        '’' => {
            if next_word {
                // don’t, ’90s, ’n’, ’em.
                (Single, Apostrophe)
            } else if single_open && (closes_context || prev.is_some_and(|c| !c.is_whitespace())) {
                (Single, Close)
            } else {
                (Single, Apostrophe)
            }
        }
        '\'' => {
            if prev.is_some_and(|c| c.is_ascii_digit()) && !single_open && !next.is_some_and(char::is_alphabetic) {
                // Feet: 6'2", 5' tall.
                (Single, Measure)
            } else if prev_word && next_word {
                (Single, Apostrophe)
            } else if !prev_word && next_word && opens_context {
                if starts_aphaeresis(after) {
                    (Single, Apostrophe)
                } else {
                    (Single, Open)
                }
            } else if single_open && closes_context && prev.is_some_and(|c| !c.is_whitespace()) {
                (Single, Close)
            } else if prev_word {
                (Single, Apostrophe)
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

/// Whether the text after a leading apostrophe is a clipped word or a decade ('em, 'n', '90s).
fn starts_aphaeresis(after: &str) -> bool {
    let word: String = after.chars().take_while(|c| c.is_alphanumeric()).collect();
    if word.chars().all(|c| c.is_ascii_digit()) {
        return !word.is_empty();
    }
    if word.len() == 3 && word.ends_with('s') && word[..2].chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let lower = word.to_lowercase();
    APHAERESIS.contains(&lower.as_str())
}
