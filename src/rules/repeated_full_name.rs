//! `repeated-full-name`: the full name repeated after the first reference.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::config::Style;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{EntityKind, NameForm};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds a person's full name repeated after the first reference, where AP style uses
    /// the surname alone ("Ana Reyes said ... Ana Reyes added" becomes "... Reyes added").
    ///
    /// Applies to the AP style only; styles with courtesy titles ("Ms. Reyes") have their
    /// own second-reference rules.
    ///
    /// ## Not flagged
    /// Headings, text inside quotations, and a full name needed to tell two people apart
    /// (John Kennedy and Robert Kennedy).
    ///
    /// ## Why is this bad?
    /// It wastes space and makes the reader wonder whether a second person of that name has
    /// appeared.
    ///
    /// ## Example
    /// ```markdown
    /// Mayor Ana Reyes spoke first. Later, Ana Reyes took questions.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Mayor Ana Reyes spoke first. Later, Reyes took questions.
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix replaces the repeated full name with the surname the draft already
    /// uses for that person, keeping any title before it.
    pub(crate) struct RepeatedFullName;
    id = "repeated-full-name",
    summary = "A full name repeated where AP uses the surname alone",
    severity = Hint,
    fix = Always,
    reads = crate::rules::Reads::People,
}

impl Rule for RepeatedFullName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if context.config.style != Style::Ap {
            return;
        }
        let doc = context.doc;
        // How many people carry each surname: a full name is needed to tell them apart.
        let mut surnames: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        for person in doc.people().iter().filter(|p| p.kind != EntityKind::Organization) {
            *surnames.entry(person.surname.as_str()).or_default() += 1;
        }
        for person in doc.people() {
            if person.kind != EntityKind::Person || person.surname == person.full_name {
                continue;
            }
            let Some(first_full) = person.first_full else { continue };
            for &m in &person.mentions {
                let mention = &doc.mentions()[m as usize];
                if m <= first_full
                    || mention.form != NameForm::Full
                    || mention.ambiguous
                    || mention.in_quote
                    || *mention.text != *person.full_name
                    || doc.blocks[mention.block as usize].is_heading()
                    || surnames.get(person.surname.as_str()).is_some_and(|&n| n > 1)
                {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        RepeatedFullName::META.id,
                        Severity::Hint,
                        mention.name,
                        format!(
                            "\"{}\" was introduced earlier; AP uses the surname alone after the first reference",
                            mention.text
                        ),
                    )
                    .with_fix(Fix::safe(
                        format!("Use \"{}\"", person.surname),
                        vec![Edit::replace(mention.name, person.surname.clone())],
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixed};

    const ID: &str = "repeated-full-name";

    #[test]
    fn second_full_reference_becomes_the_surname() {
        assert_fixed(
            ID,
            "Mayor Ana Reyes spoke first. Later, Ana Reyes took questions.\n",
            "Mayor Ana Reyes spoke first. Later, Reyes took questions.\n",
        );
    }

    #[test]
    fn needed_full_names_are_clean() {
        assert_clean(ID, "John Kennedy and Robert Kennedy met. John Kennedy spoke first.\n");
        assert_clean(ID, "Mayor Ana Reyes spoke. \"Ana Reyes is right,\" he said.\n");
    }
}
