//! `mixed-courtesy-title`: Mr., Ms., Mrs. or Dr. on some second references and not others.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::config::Style;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{EntityKind, Mention, NameForm};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds a person referred to on second reference sometimes with a courtesy title (Mr.,
    /// Ms., Mrs., Dr.) and sometimes without ("Ms. Reyes said ... Reyes added").
    ///
    /// Which references are reported follows the style: AP uses no courtesy titles, so the
    /// ones with a title are reported; the `courtesy` style uses them, so the bare surnames are.
    ///
    /// ## Not flagged
    /// A person referred to consistently either way, first references, and text inside
    /// quotations.
    ///
    /// ## Why is this bad?
    /// Mixing the two reads as carelessness and, where courtesy titles mark respect, as a
    /// slight to whoever loses theirs.
    ///
    /// ## Example
    /// ```markdown
    /// Mayor Ana Reyes spoke. Ms. Reyes said the plan was ready. Reyes left at 9.
    /// ```
    /// Use instead (AP):
    /// ```markdown
    /// Mayor Ana Reyes spoke. Reyes said the plan was ready. Reyes left at 9.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix removes the courtesy title (AP) or adds the one the draft uses for
    /// that person (courtesy style); the right title for a person is a fact to check.
    pub(crate) struct MixedCourtesyTitle;
    id = "mixed-courtesy-title",
    summary = "Courtesy titles on some second references and not others",
    severity = Warning,
    fix = Always,
    reads = crate::rules::Reads::People,
}

impl Rule for MixedCourtesyTitle {
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
            let second: Vec<&Mention> = person
                .mentions
                .iter()
                .filter(|&&m| m > first_full)
                .map(|&m| &doc.mentions()[m as usize])
                .filter(|m| m.form == NameForm::Surname && !m.in_quote && !m.ambiguous && m.title.is_none())
                .collect();
            let with: Vec<&&Mention> = second.iter().filter(|m| m.courtesy.is_some()).collect();
            let without: Vec<&&Mention> = second.iter().filter(|m| m.courtesy.is_none()).collect();
            if with.is_empty() || without.is_empty() {
                continue;
            }
            match context.config.style {
                Style::Ap => {
                    for mention in with {
                        let Some(courtesy) = &mention.courtesy else { continue };
                        let remove = TextRange::new(courtesy.range.start(), mention.name.start());
                        out.push(
                            Diagnostic::new(
                                MixedCourtesyTitle::META.id,
                                Severity::Warning,
                                courtesy.range.cover(mention.name),
                                format!(
                                    "\"{} {}\" has a courtesy title that other references to {} do not; AP uses none",
                                    courtesy.text, mention.text, person.full_name
                                ),
                            )
                            .with_fix(Fix::unsafe_(
                                format!("Remove \"{}\"", courtesy.text),
                                vec![Edit::delete(remove)],
                            )),
                        );
                    }
                }
                Style::Courtesy => {
                    let title = with
                        .iter()
                        .find_map(|m| m.courtesy.as_ref())
                        .map(|c| c.text.clone())
                        .unwrap_or_default();
                    for mention in without {
                        out.push(
                            Diagnostic::new(
                                MixedCourtesyTitle::META.id,
                                Severity::Warning,
                                mention.name,
                                format!(
                                    "\"{}\" lacks the courtesy title \"{title}\" used in other references",
                                    mention.text
                                ),
                            )
                            .with_fix(Fix::unsafe_(
                                format!("Use \"{title} {}\"", mention.text),
                                vec![Edit::insert(mention.name.start(), format!("{title} "))],
                            )),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Style};
    use crate::fix::Applicability;
    use crate::lint::fix_text;
    use crate::rules::testing::{assert_clean, assert_fixed_at};

    const ID: &str = "mixed-courtesy-title";

    #[test]
    fn ap_removes_the_minority_titles() {
        assert_fixed_at(
            ID,
            "Mayor Ana Reyes spoke. Ms. Reyes said the plan was ready. Reyes left at 9.\n",
            "Mayor Ana Reyes spoke. Reyes said the plan was ready. Reyes left at 9.\n",
            Applicability::Unsafe,
        );
    }

    #[test]
    fn courtesy_style_adds_the_title() {
        let config = Config {
            select: Some(vec![ID.to_string()]),
            style: Style::Courtesy,
            ..Config::default()
        };
        let fixed = fix_text(
            "Mayor Ana Reyes spoke. Ms. Reyes said the plan was ready. Reyes left at 9.\n",
            &config,
            Applicability::Unsafe,
        );
        assert_eq!(
            fixed.text,
            "Mayor Ana Reyes spoke. Ms. Reyes said the plan was ready. Ms. Reyes left at 9.\n"
        );
    }

    #[test]
    fn consistent_references_are_clean() {
        assert_clean(
            ID,
            "Mayor Ana Reyes spoke. Ms. Reyes said the plan was ready. Ms. Reyes left at 9.\n",
        );
        assert_clean(
            ID,
            "Mayor Ana Reyes spoke. Reyes said the plan was ready. Reyes left at 9.\n",
        );
    }
}
