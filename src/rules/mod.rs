//! The rules and the registry that lists them.
//!
//! A rule is a unit struct declared with [`declare_rule!`], whose doc comment is the rule's
//! user documentation (`copydesk rule ID` prints it, the rule pages are generated from it),
//! and which implements [`Rule`]. Register it with one line in [`all`].

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Block, Document};

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
