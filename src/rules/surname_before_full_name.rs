//! `surname-before-full-name`: a bare surname used before the full name is given.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{EntityKind, NameForm};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds a person referred to by surname alone before the draft has given their full
    /// name: "Lee said ..." in the second paragraph, "Foreign Minister Lee Jae-sun" in the
    /// fifth.
    ///
    /// ## Not flagged
    /// Headings (headlines use surnames before the story introduces anyone), text inside
    /// quotations, surnames two people in the draft share, and organizations.
    ///
    /// ## Why is this bad?
    /// News style introduces a person in full, with their title, on first reference; a
    /// reader meeting "Lee" first does not know who is speaking. It usually means paragraphs
    /// were reordered in editing.
    ///
    /// ## Example
    /// ```markdown
    /// Lee said the talks went well.
    ///
    /// Foreign Minister Lee Jae-sun arrived on Monday.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Foreign Minister Lee Jae-sun said the talks went well.
    ///
    /// Lee arrived on Monday.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix swaps the two references (the full one, with its title, moves up; the
    /// surname moves down), which may read oddly and needs a person to check.
    pub(crate) struct SurnameBeforeFullName;
    id = "surname-before-full-name",
    summary = "A bare surname used before the person's full name is given",
    severity = Warning,
    fix = Sometimes,
    reads = crate::rules::Reads::People,
}

impl Rule for SurnameBeforeFullName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for person in doc.people() {
            if person.kind != EntityKind::Person {
                continue;
            }
            let Some(first_full) = person.first_full else { continue };
            let full = &doc.mentions()[first_full as usize];
            let mut swapped = false;
            for &m in &person.mentions {
                let mention = &doc.mentions()[m as usize];
                if !mention.before_full
                    || mention.form != NameForm::Surname
                    || mention.ambiguous
                    || mention.in_quote
                    || doc.blocks[mention.block as usize].is_heading()
                {
                    continue;
                }
                let mut diagnostic = Diagnostic::new(
                    SurnameBeforeFullName::META.id,
                    Severity::Warning,
                    mention.full_range(),
                    format!(
                        "\"{}\" is used before the full name \"{}\" is given (line {})",
                        mention.text,
                        person.full_name,
                        doc.line_column(full.name.start()).line
                    ),
                );
                // One swap per person: the first early mention takes the full reference.
                if !swapped && !full.in_quote {
                    let early = mention.full_range();
                    let late = full.full_range();
                    diagnostic = diagnostic.with_fix(Fix::unsafe_(
                        format!("Give the full name \"{}\" here and the surname later", doc.slice(late)),
                        vec![
                            Edit::replace(early, doc.slice(late).to_string()),
                            Edit::replace(late, doc.slice(early).to_string()),
                        ],
                    ));
                    swapped = true;
                }
                out.push(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_fixed_at};

    const ID: &str = "surname-before-full-name";

    #[test]
    fn swaps_the_references() {
        assert_fixed_at(
            ID,
            "Lee said the talks went well.\n\nForeign Minister Lee Jae-sun arrived on Monday.\n",
            "Foreign Minister Lee Jae-sun said the talks went well.\n\nLee arrived on Monday.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn introduced_people_and_headlines_are_clean() {
        assert_clean(
            ID,
            "# Lee hails talks\n\nForeign Minister Lee Jae-sun arrived on Monday. Lee said the talks went well.\n",
        );
        assert_clean(ID, "\"Ask Lee,\" she said. Foreign Minister Lee Jae-sun laughed.\n");
    }
}
