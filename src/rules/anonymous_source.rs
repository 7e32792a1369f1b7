//! `anonymous-source`: a source who is not named.

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};

declare_rule! {
    /// ## What it does
    /// Lists every anonymous source: "sources said", "a person familiar with the talks",
    /// "officials who spoke on condition of anonymity", "who asked not to be named",
    /// "according to people briefed on".
    ///
    /// Off by default: anonymous sources are legitimate. Turn it on for an editor who wants
    /// every one reviewed against the newsroom's policy.
    ///
    /// ## Why is this bad?
    /// It is not bad in itself. Most newsrooms require that each anonymous source be
    /// justified and approved by an editor; this rule makes sure none is missed.
    ///
    /// ## Example
    /// ```markdown
    /// The deal is close, according to two people familiar with the talks.
    /// ```
    /// Reviewed and kept, or:
    /// ```markdown
    /// The deal is close, Trade Minister Ana Reyes said.
    /// ```
    ///
    /// ## Fix safety
    /// No fix: naming a source is a reporting decision.
    pub(crate) struct AnonymousSource;
    id = "anonymous-source",
    summary = "A source who is not named (off by default)",
    severity = Info,
    fix = None,
    default_enabled = false,
}

fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let people = r"(?:sources?|officials?|persons?|people|diplomats?|aides?|insiders?|executives?|advisers?|advisors?|staffers?|employees?|members?)";
        let knowing = r"(?:familiar with|close to|with (?:direct )?knowledge of|briefed on|involved in|aware of)";
        let unnamed = r"(?:spoke|speaking|talked|talking) on (?:the )?condition of anonymity|(?:declined|asked|requested|wished|refused|did not want) (?:not )?to be (?:named|identified)|requested anonymity|(?:was|were|is|are) not authori[sz]ed to (?:speak|comment|discuss|talk)";
        Regex::new(&format!(
            r"(?i)\b(?:{people} {knowing}|{unnamed}|(?:a |two |three |several |multiple )?(?:senior |high-ranking |government |administration |military |intelligence |western |unnamed |anonymous )*{people} (?:said|say|says|told)|according to (?:a |two |three |several )?(?:unnamed |anonymous |senior )*{people}\b(?: {knowing})?)"
        ))
        .expect("the anonymous-source pattern is valid")
    })
}

impl Rule for AnonymousSource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for block in &doc.blocks {
            for found in pattern().find_iter(&block.prose) {
                let range = block.range_to_source(found.range().into());
                let phrase = found.as_str().replace('\n', " ");
                // "people said" with a named subject before ("Reyes and other people said") is
                // still unnamed; a name right before "said" is not matched by the pattern.
                out.push(Diagnostic::new(
                    Self::META.id,
                    Severity::Info,
                    range,
                    format!("Anonymous source: \"{phrase}\""),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_count};

    const ID: &str = "anonymous-source";

    #[test]
    fn lists_anonymous_sources() {
        assert_count(
            ID,
            "The deal is close, according to two people familiar with the talks. Officials who spoke on condition of anonymity said it was done. Sources said the vote would pass. An aide, who asked not to be named, agreed.\n",
            4,
        );
    }

    #[test]
    fn named_sources_are_clean() {
        assert_clean(
            ID,
            "The deal is close, Trade Minister Ana Reyes said. Residents familiar with the area disagreed, said Tom Becker.\n",
        );
    }
}
