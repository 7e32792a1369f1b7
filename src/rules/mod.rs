//! The rules and the registry that lists them.
//!
//! A rule is a unit struct declared with [`declare_rule!`], whose doc comment is the rule's
//! user documentation (`copydesk rule ID` prints it, the rule pages are generated from it),
//! and which implements [`Rule`]. Register it with one line in [`all`].

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::WordInfo;
use crate::document::{Block, Document, Token};

mod anonymous_source;
mod article_mismatch;
mod attribution_verb;
mod headline_mismatch;
mod inconsistent_name;
mod inconsistent_spelling;
mod inconsistent_title;
mod invisible_character;
mod lowercase_sentence_start;
mod missing_terminal_punctuation;
mod mixed_courtesy_title;
mod mixed_quote_marks;
mod mojibake;
mod placeholder_text;
mod quote_punctuation;
mod repeated_full_name;
mod repeated_word;
mod sentence_fragment;
mod stray_punctuation;
mod surname_before_full_name;
mod title_capitalization;
mod unattributed_quote;
mod unbalanced_quote;

#[cfg(test)]
pub(crate) mod testing;

/// Every rule, sorted by id.
pub fn all() -> &'static [&'static dyn Rule] {
    // One rule per line, sorted by id.
    #[rustfmt::skip]
    static RULES: &[&dyn Rule] = &[
        &anonymous_source::AnonymousSource,
        &article_mismatch::ArticleMismatch,
        &attribution_verb::AttributionVerb,
        &headline_mismatch::HeadlineMismatch,
        &inconsistent_name::InconsistentName,
        &inconsistent_spelling::InconsistentSpelling,
        &inconsistent_title::InconsistentTitle,
        &invisible_character::InvisibleCharacter,
        &lowercase_sentence_start::LowercaseSentenceStart,
        &missing_terminal_punctuation::MissingTerminalPunctuation,
        &mixed_courtesy_title::MixedCourtesyTitle,
        &mixed_quote_marks::MixedQuoteMarks,
        &mojibake::Mojibake,
        &placeholder_text::PlaceholderText,
        &quote_punctuation::QuotePunctuation,
        &repeated_full_name::RepeatedFullName,
        &repeated_word::RepeatedWord,
        &sentence_fragment::SentenceFragment,
        &stray_punctuation::StrayPunctuation,
        &surname_before_full_name::SurnameBeforeFullName,
        &title_capitalization::TitleCapitalization,
        &unattributed_quote::UnattributedQuote,
        &unbalanced_quote::UnbalancedQuote,
    ];
    RULES
}

/// Looks a rule up by id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    all().iter().copied().find(|rule| rule.meta().id == id)
}

/// Whether a rule's fixes are always, sometimes or never available.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    Always,
    Sometimes,
    None,
}

/// What the registry knows about a rule.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    /// Kebab-case id naming the problem, e.g. `unattributed-quote`.
    pub id: &'static str,
    /// One line for `copydesk rules`.
    pub summary: &'static str,
    /// The rule's documentation in Markdown (its doc comment).
    pub doc: &'static str,
    pub default_severity: Severity,
    /// Off-by-default rules run only when configured or selected.
    pub default_enabled: bool,
    pub fix: FixAvailability,
    /// Whether the rule's fixes may change text inside quotations (quote-mark rules do).
    pub may_edit_quotes: bool,
    /// Other ids this rule reports under (e.g. `unclosed-bracket` from `stray-punctuation`).
    pub also_reports: &'static [&'static str],
    /// Whether the rule looks at one block at a time: its findings in a block depend only on
    /// the block's source, prose, tokens and sentences (not on other blocks, quotations,
    /// people or settings). Such a rule implements [`Rule::check_block`], and the language
    /// server keeps its findings for blocks that did not change.
    pub per_block: bool,
    /// The most the rule reads of the stages a [`Document`] computes on first use. The
    /// language server runs rules that read less first, on one thread, while the other finds
    /// people and attribution. Reading more than declared is still correct, only slower; a
    /// test checks every rule's declaration.
    pub reads: Reads,
}

/// What a rule reads beyond the text, tokens, sentences and quotations ([`RuleMeta::reads`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reads {
    /// Nothing more.
    Text,
    /// Mentions, people or name variants.
    People,
    /// The attribution of quotations (which reads people).
    Attribution,
}

impl RuleMeta {
    pub const BASE: RuleMeta = RuleMeta {
        id: "",
        summary: "",
        doc: "",
        default_severity: Severity::Warning,
        default_enabled: true,
        fix: FixAvailability::None,
        may_edit_quotes: false,
        also_reports: &[],
        per_block: false,
        reads: Reads::Text,
    };

    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// What a rule sees: the analysed draft and the settings for it.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub config: &'a Config,
}

/// A lint rule. Rules are stateless and never fail: a half-broken draft still gets findings.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Appends findings for the draft to `out`, with the rule's default severity. A
    /// [`RuleMeta::per_block`] rule leaves this to its default, which checks every block.
    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for block in &context.doc.blocks {
            self.check_block(context, block, out);
        }
    }

    /// Appends findings for `block` alone: only [`RuleMeta::per_block`] rules have it.
    fn check_block(&self, _context: &Context<'_>, _block: &Block, _out: &mut Vec<Diagnostic>) {}
}

/// How many tokens [`Flagged`] looks at in one go.
const FLAGGED_CHUNK: usize = 8;

/// The indices of the tokens whose lexicon information ([`Token::info`]) has any of `flags`,
/// in order.
///
/// Rules that care about a few rare words use it instead of looking at every token: it ors
/// the information of eight tokens at a time, without a branch, and looks at the tokens one
/// by one only in the chunks where one of the flags turned up (about 1.5 instructions a
/// token for a flag on one word in fifty, against 5 to 8 for a loop that tests each token).
pub(crate) fn flagged(tokens: &[Token], flags: WordInfo) -> Flagged<'_> {
    Flagged {
        tokens,
        flags,
        next: 0,
        scan_end: 0,
    }
}

/// The iterator of [`flagged`].
pub(crate) struct Flagged<'a> {
    tokens: &'a [Token],
    flags: WordInfo,
    /// The next token to look at.
    next: usize,
    /// Tokens before this one are looked at one by one; from it on, chunk by chunk.
    scan_end: usize,
}

impl Iterator for Flagged<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            while self.next < self.scan_end {
                let i = self.next;
                self.next += 1;
                if self.tokens[i].info & self.flags != 0 {
                    return Some(i);
                }
            }
            if self.next >= self.tokens.len() {
                return None;
            }
            let rest = &self.tokens[self.next..];
            let flags = self.flags;
            match rest
                .chunks_exact(FLAGGED_CHUNK)
                .position(|chunk| chunk.iter().fold(0, |acc, token| acc | token.info) & flags != 0)
            {
                Some(chunk) => {
                    self.next += chunk * FLAGGED_CHUNK;
                    self.scan_end = self.next + FLAGGED_CHUNK;
                }
                // No flag in the whole chunks: the few tokens after them one by one.
                None => {
                    self.next += rest.len() - rest.len() % FLAGGED_CHUNK;
                    self.scan_end = self.tokens.len();
                }
            }
        }
    }
}

/// Declares a rule struct and its [`RuleMeta`], taking the doc comment as its documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident;
        id = $id:literal,
        summary = $summary:literal,
        severity = $severity:ident,
        fix = $fix:ident
        $(, $key:ident = $value:expr)* $(,)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Copy, Clone, Debug, Default)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                default_severity: $crate::diagnostic::Severity::$severity,
                fix: $crate::rules::FixAvailability::$fix,
                $($key: $value,)*
                ..$crate::rules::RuleMeta::BASE
            };
        }
    };
}
pub(crate) use declare_rule;

#[cfg(test)]
mod tests {
    use super::flagged;
    use crate::document::{Token, TokenKind};
    use crate::text::TextRange;

    /// `flagged` finds every flagged token, wherever it sits in or across the chunks, for
    /// every length of the token list.
    #[test]
    fn flagged_finds_every_flagged_token() {
        let token = |info| Token {
            kind: TokenKind::Word,
            block: 0,
            prose: TextRange::new(0, 1),
            range: TextRange::new(0, 1),
            space_before: true,
            newline_before: false,
            info,
        };
        for len in 0..40 {
            for pattern in [
                0u64,
                1,
                0b101,
                1 << 7,
                1 << 8,
                (1 << 8) | (1 << 15),
                0xFF_FFFF_FFFF,
                0x8000_0001_0001,
            ] {
                for shift in 0..len.max(1) {
                    let wanted: Vec<usize> = (0..len)
                        .filter(|&i| (pattern.rotate_left(shift as u32) >> (i % 64)) & 1 == 1)
                        .collect();
                    // Flagged tokens carry the wanted flag and another; the others carry only
                    // another flag, which must not count.
                    let tokens: Vec<Token> = (0..len)
                        .map(|i| token(if wanted.contains(&i) { 0b110 } else { 0b001 }))
                        .collect();
                    assert_eq!(flagged(&tokens, 0b010).collect::<Vec<_>>(), wanted, "len {len}");
                    assert_eq!(flagged(&tokens, 0b1000).count(), 0);
                }
            }
        }
    }
}
