//! Reusing the analysis of unchanged blocks from a previous version of a draft.
//!
//! Tokens and sentences depend only on a block's prose, its segments (how prose maps to
//! source) and where its apostrophes and quotation marks are. When all of those are the same
//! in the new version, the old tokens and sentences are copied with their source ranges
//! shifted by how far the block moved. Everything else in the model is rebuilt.

use rustc_hash::FxHashMap;

use super::Document;
use super::markdown::Block;
use super::quotes::MarkRole;
use super::sentences::Sentence;
use super::tokens::Token;
use crate::text::TextRange;

pub(crate) struct Reuse<'a> {
    previous: &'a Document,
    /// Previous blocks by their source text.
    by_source: FxHashMap<&'a str, Vec<u32>>,
    /// For each previous block, its apostrophes and its opening and closing marks (prose offsets).
    marks: Vec<(Vec<u32>, Vec<u32>)>,
}

impl<'a> Reuse<'a> {
    pub(crate) fn new(previous: &'a Document) -> Reuse<'a> {
        let mut by_source: FxHashMap<&'a str, Vec<u32>> = FxHashMap::default();
        for (idx, block) in previous.blocks.iter().enumerate() {
            by_source
                .entry(previous.slice(block.range))
                .or_default()
                .push(idx as u32);
        }
        let mut marks = vec![(Vec::new(), Vec::new()); previous.blocks.len()];
        for mark in &previous.quote_marks {
            let Some((apostrophes, quotes)) = marks.get_mut(mark.block as usize) else {
                continue;
            };
            match mark.role {
                MarkRole::Apostrophe => apostrophes.push(mark.prose),
                MarkRole::Open | MarkRole::Close => quotes.push(mark.prose),
                MarkRole::Measure => {}
            }
        }
        Reuse {
            previous,
            by_source,
            marks,
        }
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
        let candidates = self.by_source.get(source)?;
        let &old_idx = candidates.iter().find(|&&old| {
            let old_block = &self.previous.blocks[old as usize];
            let (old_apostrophes, old_quotes) = &self.marks[old as usize];
            same_shape(old_block, block) && old_apostrophes == apostrophes && old_quotes == quote_marks
        })?;
        let old = &self.previous.blocks[old_idx as usize];
        let shift = |range: TextRange| {
            let start = range.start as i64 - old.range.start as i64 + block.range.start as i64;
            let end = range.end as i64 - old.range.start as i64 + block.range.start as i64;
            TextRange {
                start: start as u32,
                end: end as u32,
            }
        };
        let first_token = tokens.len();
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

    /// The previous version's per-block mention candidates and its people, for
    /// [`super::mentions::analyze`].
    pub(crate) fn previous_mentions(&self) -> (&'a super::mentions::BlockCandidates, &'a [super::Person]) {
        (&self.previous.mention_parts, &self.previous.people)
    }
}

/// Whether two blocks with the same source have the same prose, context and mapping.
fn same_shape(old: &Block, new: &Block) -> bool {
    old.kind == new.kind
        && old.list_depth == new.list_depth
        && old.quote_depth == new.quote_depth
        && old.starts_list_item == new.starts_list_item
        && old.prose == new.prose
        && old.segments.len() == new.segments.len()
        && old.segments.iter().zip(&new.segments).all(|(a, b)| {
            a.prose_start == b.prose_start
                && a.prose_len == b.prose_len
                && a.source_len == b.source_len
                && a.exact == b.exact
                && a.source_start.wrapping_sub(old.range.start) == b.source_start.wrapping_sub(new.range.start)
        })
}
