//! `mixed-quote-marks`: straight and curly quotation marks in one draft.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{MarkRole, QuoteKind, QuoteMark};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds quotation marks and apostrophes in the minority style when a draft mixes
    /// straight marks (`"` `'`) with curly ones (`“` `”` `‘` `’`), as happens when copy
    /// is pasted from several sources.
    ///
    /// ## Why is this bad?
    /// Mixed marks look sloppy in print and on the web, and they break search and
    /// find-and-replace in the CMS.
    ///
    /// ## Example
    /// ```markdown
    /// “We will win,” she said. "It is over."
    /// ```
    /// Use instead:
    /// ```markdown
    /// “We will win,” she said. “It is over.”
    /// ```
    ///
    /// ## Not flagged
    /// Marks for feet and inches (6'2"), and marks in code. A draft that uses one style
    /// throughout is never flagged, whichever style it is.
    ///
    /// ## Fix safety
    /// Safe. The fix converts each minority mark to the draft's majority style, choosing the
    /// opening or closing form from the mark's role; apostrophes become ’ or '. Ties go to
    /// the style of the draft's first mark.
    pub(crate) struct MixedQuoteMarks;
    id = "mixed-quote-marks",
    summary = "Straight and curly quotation marks in one draft",
    severity = Warning,
    fix = Always,
    may_edit_quotes = true,
}

fn converted(mark: &QuoteMark, to_curly: bool) -> &'static str {
    match (to_curly, mark.kind, mark.role) {
        (false, QuoteKind::Double, _) => "\"",
        (false, QuoteKind::Single, _) => "'",
        (true, QuoteKind::Double, MarkRole::Open) => "“",
        (true, QuoteKind::Double, _) => "”",
        (true, QuoteKind::Single, MarkRole::Open) => "‘",
        (true, QuoteKind::Single, _) => "’",
    }
}

impl Rule for MixedQuoteMarks {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let marks: Vec<&QuoteMark> = context
            .doc
            .quote_marks
            .iter()
            .filter(|mark| mark.role != MarkRole::Measure && !matches!(mark.ch, '«' | '»'))
            .collect();
        let n_straight = marks.iter().filter(|mark| mark.straight).count();
        let n_curly = marks.len() - n_straight;
        if n_straight == 0 || n_curly == 0 {
            return;
        }
        let majority_curly = match n_curly.cmp(&n_straight) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => !marks[0].straight,
        };
        for mark in marks.into_iter().filter(|mark| mark.straight == majority_curly) {
            let replacement = converted(mark, majority_curly);
            let what = if mark.role == MarkRole::Apostrophe {
                "apostrophe"
            } else {
                "quotation mark"
            };
            let (style, other) = if majority_curly {
                ("straight", "curly")
            } else {
                ("curly", "straight")
            };
            out.push(
                Diagnostic::new(
                    Self::META.id,
                    Severity::Warning,
                    mark.range,
                    format!(
                        "A {style} {what} in a draft that uses {other} ones ({n_curly} curly, {n_straight} straight)"
                    ),
                )
                .with_fix(Fix::safe(
                    format!("Use {replacement}"),
                    vec![Edit::replace(mark.range, replacement)],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed};

    const ID: &str = "mixed-quote-marks";

    #[test]
    fn converts_the_minority_to_the_majority() {
        assert_fixed(
            ID,
            "“We will win,” she said. “It’s over.” He said \"no\" and didn't stay.\n",
            "“We will win,” she said. “It’s over.” He said “no” and didn’t stay.\n",
        );
        assert_fixed(
            ID,
            "\"We will win,\" she said. \"It's over.\" He said “no.”\n",
            "\"We will win,\" she said. \"It's over.\" He said \"no.\"\n",
        );
    }

    #[test]
    fn one_style_is_clean() {
        assert_clean(
            ID,
            "\"We will win,\" she said. \"It's over,\" he said. He is 6'2\" tall.\n",
        );
        assert_clean(ID, "“We will win,” she said. “It’s over,” he said. He is 6'2\" tall.\n");
        assert_count(ID, "“We won,” she said, 'and it's done.'\n", 2);
    }
}
