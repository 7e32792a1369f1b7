//! Reusing the analysis of unchanged blocks from a previous version of a draft.
//!
//! Tokens and sentences depend only on a block's prose, its segments (how prose maps to
//! source) and where its apostrophes and quotation marks are. When all of those are the same
//! in the new version, the old tokens and sentences are copied with their source ranges
//! shifted by how far the block moved. Everything else in the model is rebuilt.

use super::Document;
use super::markdown::Block;
use super::quotes::MarkRole;
use super::sentences::Sentence;
use super::tokens::Token;
use crate::text::TextRange;

/// How far from where it is expected an unchanged block is looked for.
const NEARBY: i64 = 4;

pub(crate) struct Reuse<'a> {
    previous: &'a Document,
    /// How many blocks the new version has more than the previous one (blocks after the
    /// edit are expected this much further on).
    shift: i64,
}

impl<'a> Reuse<'a> {
    pub(crate) fn new(previous: &'a Document, new_blocks: usize) -> Reuse<'a> {
        Reuse {
            previous,
            shift: new_blocks as i64 - previous.blocks.len() as i64,
        }
    }

    /// Whether previous block `old` has `source`, the same shape as `block`, and its
    /// apostrophes and quotation marks at the same prose offsets.
    fn matches(&self, old: u32, source: &str, block: &Block, apostrophes: &[u32], quote_marks: &[u32]) -> bool {
        let Some(old_block) = self.previous.blocks.get(old as usize) else {
            return false;
        };
        if self.previous.slice(old_block.range) != source || !same_shape(old_block, block) {
            return false;
        }
        let marks = &self.previous.quote_marks;
        let first = marks.partition_point(|mark| mark.block < old);
        let mut old_apostrophes = 0;
        let mut old_quotes = 0;
        for mark in marks[first..].iter().take_while(|mark| mark.block == old) {
            match mark.role {
                MarkRole::Apostrophe => {
                    if apostrophes.get(old_apostrophes) != Some(&mark.prose) {
                        return false;
                    }
                    old_apostrophes += 1;
                }
                MarkRole::Open | MarkRole::Close => {
                    if quote_marks.get(old_quotes) != Some(&mark.prose) {
                        return false;
                    }
                    old_quotes += 1;
                }
                MarkRole::Measure => {}
            }
        }
        old_apostrophes == apostrophes.len() && old_quotes == quote_marks.len()
    }

    /// Appends the previous tokens and sentences of a block identical to `block`, shifted into
    /// place, and returns that block's index in the previous version; returns `None` (and
    /// appends nothing) when there is no such block.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn copy_block(
        &self,
        text: &str,
        block: &Block,
        block_idx: u32,
        apostrophes: &[u32],
        quote_marks: &[u32],
        tokens: &mut Vec<Token>,
        sentences: &mut Vec<Sentence>,
    ) -> Option<u32> {
        let source = text.get(block.range.as_range()).unwrap_or("");
        // Typing changes a block or two: the others are where they were (before the edit) or
        // as many blocks on as were added (after it). A block split or joined by the edit may
        // leave an unchanged neighbour a few places off; a block moved further is analysed
        // again (as a paste of it would be).
        let before = i64::from(block_idx);
        let after = before - self.shift;
        let nearby = (1..=NEARBY)
            .flat_map(|distance| [before - distance, before + distance, after - distance, after + distance]);
        let old_idx = [before, after]
            .into_iter()
            .chain(nearby)
            .filter_map(|old| u32::try_from(old).ok())
            .find(|&old| self.matches(old, source, block, apostrophes, quote_marks))?;
        let old = &self.previous.blocks[old_idx as usize];
        let shift = |range: TextRange| range.moved(block.range.start.wrapping_sub(old.range.start));
        let first_token = tokens.len();
        if old.range.start == block.range.start && old_idx == block_idx && old.tokens.start == first_token {
            // Before the edit nothing moved: the tokens and sentences are copied as they are.
            tokens.extend_from_slice(&self.previous.tokens[old.tokens.clone()]);
            sentences.extend_from_slice(&self.previous.sentences[old.sentences.clone()]);
            return Some(old_idx);
        }
        tokens.extend(self.previous.tokens[old.tokens.clone()].iter().map(|token| Token {
            range: shift(token.range),
            block: block_idx,
            ..*token
        }));
        sentences.extend(
            self.previous.sentences[old.sentences.clone()]
                .iter()
                .map(|sentence| Sentence {
                    block: block_idx,
                    tokens: sentence.tokens.start - old.tokens.start + first_token
                        ..sentence.tokens.end - old.tokens.start + first_token,
                    range: shift(sentence.range),
                    prose: sentence.prose,
                }),
        );
        Some(old_idx)
    }
}

/// Whether two blocks with the same source have the same prose, context and mapping (a block
/// the prose map took from the previous version shares its prose and segments with it).
fn same_shape(old: &Block, new: &Block) -> bool {
    old.kind == new.kind
        && old.list_depth == new.list_depth
        && old.quote_depth == new.quote_depth
        && old.starts_list_item == new.starts_list_item
        && old.same_prose(new)
}
