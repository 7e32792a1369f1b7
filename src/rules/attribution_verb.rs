//! `attribution-verb`: a loaded verb where AP style uses "said".

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::config::Style;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds a loaded verb attributing a quotation: claimed, admitted, exclaimed, opined,
    /// stated. AP style uses "said", which is neutral.
    ///
    /// Only verbs that attribute a quotation are reported ("'We won,' she claimed"), not the
    /// same words elsewhere ("claimed the title", "admitted to the hospital").
    /// Applies to the AP style only.
    ///
    /// ## Why is this bad?
    /// "Claimed" suggests the speaker is lying, "admitted" that they confessed; the reporter
    /// takes a side without saying so. "Said" lets the quotation speak.
    ///
    /// ## Example
    /// ```markdown
    /// "The budget is balanced," the mayor claimed.
    /// ```
    /// Use instead:
    /// ```markdown
    /// "The budget is balanced," the mayor said.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: sometimes the loaded verb is the point ("admitted" after a denial), so the
    /// writer decides. The fix uses "said" (or "says" for a present-tense verb).
    pub(crate) struct AttributionVerb;
    id = "attribution-verb",
    summary = "A loaded verb attributing a quotation where AP uses \"said\"",
    severity = Hint,
    fix = Always,
    reads = crate::rules::Reads::Attribution,
}

const LOADED: &[(&str, &str)] = &[
    ("claimed", "said"),
    ("claims", "says"),
    ("admitted", "said"),
    ("admits", "says"),
    ("exclaimed", "said"),
    ("exclaims", "says"),
    ("opined", "said"),
    ("opines", "says"),
    ("stated", "said"),
    ("states", "says"),
];

impl Rule for AttributionVerb {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if context.config.style != Style::Ap {
            return;
        }
        let doc = context.doc;
        let mut seen = Vec::new();
        for info in doc.quote_infos() {
            let Some(attribution) = &info.attribution else { continue };
            if seen.contains(&attribution.cue) {
                continue;
            }
            let written = doc.slice(attribution.cue);
            let Some(&(_, neutral)) = LOADED.iter().find(|(loaded, _)| written.eq_ignore_ascii_case(loaded)) else {
                continue;
            };
            seen.push(attribution.cue);
            let replacement = if written.starts_with(char::is_uppercase) {
                let mut chars = neutral.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                neutral.to_string()
            };
            out.push(
                Diagnostic::new(
                    Self::META.id,
                    Severity::Hint,
                    attribution.cue,
                    format!("\"{written}\" is a loaded attribution verb; AP style uses \"{neutral}\""),
                )
                .with_fix(Fix::unsafe_(
                    format!("Use \"{replacement}\""),
                    vec![Edit::replace(attribution.cue, replacement)],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_fixed_at};

    const ID: &str = "attribution-verb";

    #[test]
    fn loaded_attribution_becomes_said() {
        assert_fixed_at(
            ID,
            "\"The budget is balanced,\" the mayor claimed. Reyes admits: \"We were late.\"\n",
            "\"The budget is balanced,\" the mayor said. Reyes says: \"We were late.\"\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn other_uses_are_clean() {
        assert_clean(
            ID,
            "She claimed the title in 2019 and was admitted to the bar. \"We won,\" she said.\n",
        );
    }
}
