//! The draft model: a Markdown draft analysed once into prose blocks, tokens, sentences,
//! quotations and mentions of people. Rules read it; they never re-scan the text.
//!
//! **Invariant:** every range here is a byte offset into [`Document::text`].
//! **Invariant:** building a document never fails and never panics on any UTF-8 input.

pub mod attribution;
pub mod dump;
pub mod lexicon;
pub mod markdown;
pub mod mentions;
pub mod quotes;
mod reuse;
pub mod sentences;
pub mod tokens;
pub mod variants;

pub use attribution::{Attribution, AttributionKind, QuoteInfo, QuoteUse, Speaker};
pub use lexicon::{TitleKind, lexicon};
pub use markdown::{Block, BlockKind, Directive, DirectiveKind, FrontMatter, PLACEHOLDER};
pub use mentions::{EntityKind, Mention, NameForm, Person, TitlePosition, TitleRef};
pub use quotes::{MarkRole, Quotation, QuoteKind, QuoteMark, QuotePart, Unbalanced, UnbalancedMark};
pub use sentences::Sentence;
pub use tokens::{Token, TokenKind};
pub use variants::{NameVariant, VariantKind};

use std::sync::{Arc, Mutex, OnceLock};

use crate::text::{LineIndex, RangeSet, TextRange};

/// A draft, analysed.
pub struct Document {
    /// The draft's text (a byte-order mark, if the file had one, is not part of it).
    pub text: String,
    pub line_index: LineIndex,
    pub front_matter: Option<FrontMatter>,
    /// Prose blocks in document order.
    pub blocks: Vec<Block>,
    /// Tokens of all blocks, in document order.
    pub tokens: Vec<Token>,
    /// Sentences of all blocks, in document order.
    pub sentences: Vec<Sentence>,
    /// Every quote mark and apostrophe in prose, in document order.
    pub quote_marks: Vec<QuoteMark>,
    pub quotations: Vec<Quotation>,
    pub unbalanced_quotes: Vec<UnbalancedMark>,
    /// What each block added to the quote marks and quotations, for the next version.
    quote_blocks: Vec<quotes::BlockQuotes>,
    /// `<!-- copydesk-... -->` comments.
    pub directives: Vec<Directive>,
    /// Source ranges that are not prose.
    pub non_prose: RangeSet,
    /// Content ranges of quoted text.
    quoted: RangeSet,
    /// Mentions, people and each block's candidates before linking ([`Document::mentions`]),
    /// found on first use.
    mention_stage: OnceLock<Arc<mentions::MentionAnalysis>>,
    /// [`Document::quote_infos`], found on first use.
    attribution_stage: OnceLock<Vec<QuoteInfo>>,
    /// [`Document::name_variants`], computed on first use.
    name_variants: OnceLock<Arc<Vec<variants::NameVariant>>>,
    /// What the stages computed on first use take from the previous version, until
    /// [`Document::name_variants`] (the last of them) has run.
    carried: Mutex<Option<Carried>>,
    /// Whether the stages keep what a next version takes ([`Document::one_pass`] does not).
    keep_for_next: bool,
    /// Identifies this analysis, for what is kept from it ([`crate::lint::lint_reusing`]).
    pub(crate) id: u64,
    /// The analysis this one reused, and for each block the index of the block in it that
    /// this one is a copy of (same source, prose, tokens and sentences).
    pub(crate) reused: Option<(u64, Vec<Option<u32>>)>,
}

/// What a new version of a draft takes from the previous one's lazily computed stages.
struct Carried {
    mentions: Arc<mentions::MentionAnalysis>,
    variants: Option<Arc<Vec<variants::NameVariant>>>,
}

/// The next [`Document::id`].
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Document {
    pub fn new(text: impl Into<String>) -> Document {
        Document::build(text.into(), None)
    }

    /// Like [`Document::new`], for a draft that will have no next version, as in `copydesk
    /// check`: the mentions stage does not keep each block's name candidates for
    /// [`Document::reusing`] (copying and freeing them was about 2% of checking). The analysis
    /// is the same; a version built from this one with `reusing` is right too, only found
    /// from scratch.
    pub fn one_pass(text: impl Into<String>) -> Document {
        Document {
            keep_for_next: false,
            ..Document::build(text.into(), None)
        }
    }

    /// Analyses `text`, a new version of `previous`: blocks whose source, context and quote
    /// marks are unchanged take their tokens and sentences from `previous`, shifted to where
    /// they now are. The result is the same as [`Document::new`]'s; only faster when little
    /// changed (typing in an editor).
    pub fn reusing(text: impl Into<String>, previous: &Document) -> Document {
        Document::build(text.into(), Some(previous))
    }

    fn build(text: String, previous: Option<&Document>) -> Document {
        let unchanged = previous.map(|previous| crate::text::unchanged_ends(&previous.text, &text));
        let line_index = match previous.zip(unchanged) {
            Some((previous, unchanged)) => LineIndex::edited(&previous.line_index, &text, unchanged),
            None => LineIndex::new(&text),
        };
        let prose_map = previous
            .zip(unchanged)
            .and_then(|(previous, unchanged)| markdown::reparse(&text, &previous.prose_map(), unchanged))
            .unwrap_or_else(|| markdown::parse(&text));
        let mut blocks = prose_map.blocks;
        let quote_analysis = match previous {
            Some(previous) => quotes::analyze_reusing(
                &blocks,
                &quotes::PreviousQuotes {
                    blocks: &previous.blocks,
                    marks: &previous.quote_marks,
                    quotations: &previous.quotations,
                    unbalanced: &previous.unbalanced_quotes,
                    block_quotes: &previous.quote_blocks,
                },
            ),
            None => quotes::analyze(&blocks),
        };
        let reuse = previous.map(|previous| reuse::Reuse::new(previous, blocks.len()));

        // No growing, and no copying of what is already in, while the blocks are added: a
        // new version is about the size of the previous one, and a first version of news copy
        // has a token for every five bytes or so (a quarter of the length is enough; the rest
        // is given back below).
        let mut tokens =
            Vec::with_capacity(previous.map_or(text.len() / 4 + 16, |p| p.tokens.len() + p.tokens.len() / 64 + 16));
        let mut sentences = Vec::with_capacity(previous.map_or(0, |p| p.sentences.len() + p.sentences.len() / 64 + 16));
        let mut mark_cursor = 0;
        let mut apostrophes = Vec::new();
        let mut quote_marks = Vec::new();
        let mut terminals = Vec::new();
        // For each block, the index of the previous version's block it was copied from.
        let mut reused_from: Vec<Option<u32>> = Vec::with_capacity(blocks.len());
        for (block_idx, block) in blocks.iter_mut().enumerate() {
            apostrophes.clear();
            quote_marks.clear();
            while let Some(mark) = quote_analysis.marks.get(mark_cursor)
                && mark.block as usize == block_idx
            {
                match mark.role {
                    MarkRole::Apostrophe => apostrophes.push(mark.prose),
                    MarkRole::Open | MarkRole::Close => quote_marks.push(mark.prose),
                    MarkRole::Measure => {}
                }
                mark_cursor += 1;
            }
            let first_token = tokens.len();
            let first_sentence = sentences.len();
            let reused = reuse.as_ref().and_then(|reuse| {
                reuse.copy_block(
                    &text,
                    block,
                    block_idx as u32,
                    &apostrophes,
                    &quote_marks,
                    &mut tokens,
                    &mut sentences,
                )
            });
            reused_from.push(reused);
            if reused.is_none() {
                terminals.clear();
                tokens::tokenize(
                    block,
                    block_idx as u32,
                    &apostrophes,
                    &quote_marks,
                    &mut tokens,
                    &mut terminals,
                );
                sentences::split(
                    block,
                    block_idx as u32,
                    &tokens[first_token..],
                    first_token,
                    &terminals,
                    &mut sentences,
                );
            }
            block.tokens = first_token..tokens.len();
            block.sentences = first_sentence..sentences.len();
        }

        if previous.is_none() {
            tokens.shrink_to_fit();
        }
        let quoted = RangeSet::new(
            quote_analysis
                .quotations
                .iter()
                .filter(|quotation| quotation.kind == QuoteKind::Double || quotation.parent.is_none())
                .flat_map(|quotation| quotation.parts.iter().map(|part| part.content))
                .collect(),
        );
        let non_prose = RangeSet::new(prose_map.non_prose);
        let carried = previous.and_then(|previous| {
            let mentions = previous.mention_stage.get()?.clone();
            let variants = previous.name_variants.get().cloned();
            Some(Carried { mentions, variants })
        });

        Document {
            text,
            line_index,
            front_matter: prose_map.front_matter,
            blocks,
            tokens,
            sentences,
            quote_marks: quote_analysis.marks,
            quotations: quote_analysis.quotations,
            unbalanced_quotes: quote_analysis.unbalanced,
            quote_blocks: quote_analysis.blocks,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            reused: previous.map(|previous| (previous.id, reused_from)),
            directives: prose_map.directives,
            non_prose,
            quoted,
            mention_stage: OnceLock::new(),
            attribution_stage: OnceLock::new(),
            name_variants: OnceLock::new(),
            carried: Mutex::new(carried),
            keep_for_next: true,
        }
    }

    /// Mentions of people and organizations, in document order ([`mentions::analyze`]),
    /// found on first use. A block copied from the previous version takes its candidates
    /// from it, and linking is skipped when nothing it reads changed.
    pub fn mentions(&self) -> &[Mention] {
        &self.mention_analysis().mentions
    }

    /// The people (and organizations) the mentions link to.
    pub fn people(&self) -> &[Person] {
        &self.mention_analysis().people
    }

    /// Attribution of each top-level quotation, sorted by quotation index
    /// ([`attribution::analyze`]), found on first use.
    pub fn quote_infos(&self) -> &[QuoteInfo] {
        self.attribution_stage.get_or_init(|| attribution::analyze(self))
    }

    /// Runs the stages computed on first use (mentions, attribution and name variants), so
    /// that what reads them later does not wait.
    pub fn complete(&self) {
        self.quote_infos();
        self.name_variants();
    }

    fn mention_analysis(&self) -> &mentions::MentionAnalysis {
        self.mention_stage.get_or_init(|| {
            let carried = self.carried.lock().unwrap_or_else(|e| e.into_inner());
            let previous = carried.as_ref().zip(self.reused.as_ref()).map(|(carried, (_, from))| {
                let analysis = &*carried.mentions;
                (&analysis.parts, analysis.people.as_slice(), from.as_slice())
            });
            let in_quote = |range: TextRange| self.quoted.touches(range);
            Arc::new(mentions::analyze(
                &self.blocks,
                &self.tokens,
                &self.sentences,
                &in_quote,
                previous,
                self.keep_for_next,
            ))
        })
    }

    /// What [`markdown::reparse`] takes from this version for the next.
    pub fn prose_map(&self) -> markdown::PreviousMap<'_> {
        markdown::PreviousMap {
            text: &self.text,
            blocks: &self.blocks,
            front_matter: self.front_matter.as_ref(),
            directives: &self.directives,
            non_prose: self.non_prose.ranges(),
        }
    }

    /// Which of the stages computed on first use have run: (mentions, attribution).
    #[cfg(test)]
    pub(crate) fn stages_run(&self) -> (bool, bool) {
        (
            self.mention_stage.get().is_some(),
            self.attribution_stage.get().is_some(),
        )
    }

    /// Takes what was carried from the previous version; later stages find nothing.
    fn take_carried(&self) -> Option<Carried> {
        self.carried.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The text of a token as it reads in prose.
    pub fn token_text(&self, token: &Token) -> &str {
        &self.blocks[token.block as usize].prose[token.prose.as_range()]
    }

    /// The text of a source range.
    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or("")
    }

    /// The tokens of a sentence.
    pub fn sentence_tokens(&self, sentence: &Sentence) -> &[Token] {
        &self.tokens[sentence.tokens.clone()]
    }

    /// The prose text of a sentence.
    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        &self.blocks[sentence.block as usize].prose[sentence.prose.as_range()]
    }

    /// Whether any byte of `range` lies inside quoted text (a direct quotation or a
    /// quoted term), the marks themselves excluded.
    pub fn is_quoted(&self, range: TextRange) -> bool {
        self.quoted.touches(range)
    }

    /// Whether `range` touches code, HTML, front matter or a link destination.
    pub fn is_non_prose(&self, range: TextRange) -> bool {
        self.non_prose.touches(range)
    }

    /// The index of the sentence holding source offset `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let idx = self
            .sentences
            .partition_point(|sentence| sentence.range.start() <= offset);
        let idx = idx.checked_sub(1)?;
        (offset <= self.sentences[idx].range.end()).then_some(idx)
    }

    /// The index of the first token starting at or after `offset`.
    pub fn token_index_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|token| token.range.start() < offset)
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_column(&self, offset: usize) -> crate::text::LineColumn {
        self.line_index.line_column(&self.text, offset)
    }
}
