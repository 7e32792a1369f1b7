//! `inconsistent-name`: one person spelled two ways.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::variants::{fold, given_name_variant, surname_variant};
use crate::document::{Document, EntityKind, NameForm, VariantKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds one person whose name is spelled two ways in a draft:
    /// - a given-name variant (Antony Blinken, then Anthony Blinken);
    /// - a family name one or two letters apart that no other person in the draft explains
    ///   (Xi Jinping, then Xi Jingping; Lydia Buchtmann, then Bauchtman);
    /// - a dropped diacritic (Thomas Müller, then Muller);
    /// - the same name in another order (Lee Jae-sun, then Jae-sun Lee).
    ///
    /// People are discovered from the draft itself, the way a copy editor reads it; the
    /// newsroom's `[[people]]` list in `copydesk.toml` is the authority when it names the person:
    /// any spelling other than its `name` and `aliases` is reported.
    ///
    /// ## Not flagged
    /// Two people who share a family name (John Kennedy and Robert Kennedy), names that differ
    /// by more than a spelling (John and Joan), and organizations.
    ///
    /// ## Why is this bad?
    /// Misspelling a name is the error readers forgive least, and two spellings in one story
    /// guarantee that one of them is wrong.
    ///
    /// ## Example
    /// ```markdown
    /// Secretary of State Antony Blinken arrived on Monday. Anthony Blinken met the president.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Secretary of State Antony Blinken arrived on Monday. Blinken met the president.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix uses the spelling of the first full reference (or of the people list),
    /// but the first spelling may be the wrong one; someone has to check.
    pub(crate) struct InconsistentName;
    id = "inconsistent-name",
    summary = "One person's name spelled two ways",
    severity = Warning,
    fix = Sometimes,
    reads = crate::rules::Reads::People,
}

impl Rule for InconsistentName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        let mut reported = vec![false; doc.people().len()];
        // The newsroom's list first: it is the authority.
        for entry in &context.config.people {
            for (person_idx, person) in doc.people().iter().enumerate() {
                if person.kind == EntityKind::Organization || reported[person_idx] {
                    continue;
                }
                if let Some(replacements) = config_variant(&entry.name, &entry.aliases, &person.full_name) {
                    reported[person_idx] = true;
                    report(
                        doc,
                        person_idx as u32,
                        &replacements,
                        &format!("the people list spells it \"{}\"", entry.name),
                        out,
                    );
                }
            }
        }
        // A person others are respelled to is not respelled in turn, and a person being
        // respelled is no one's model: two fixes must never swap two spellings back and forth.
        let mut is_model = vec![false; doc.people().len()];
        for variant in doc.name_variants() {
            let (v, c) = (variant.variant as usize, variant.canonical as usize);
            if reported[v] || reported[c] || is_model[v] {
                continue;
            }
            reported[v] = true;
            is_model[c] = true;
            let canonical = &doc.people()[variant.canonical as usize];
            let why = match variant.kind {
                VariantKind::Diacritics => "diacritics differ",
                VariantKind::GivenName => "the given name is spelled two ways",
                VariantKind::Surname => "the family name is spelled two ways",
                VariantKind::Order => "the words are in another order",
            };
            let first = format!("first given as \"{}\"; {why}", canonical.full_name);
            report(doc, variant.variant, &variant.words, &first, out);
        }
    }
}

/// If `full_name` is another spelling of a listed person, the word replacements.
fn config_variant(name: &str, aliases: &[String], full_name: &str) -> Option<Vec<(String, String)>> {
    if full_name == name || aliases.iter().any(|alias| alias == full_name) {
        return None;
    }
    let listed: Vec<&str> = name.split(' ').collect();
    let written: Vec<&str> = full_name.split(' ').collect();
    if listed.len() != written.len() {
        // A surname alone: compare with the listed surname.
        if written.len() == 1 && listed.len() >= 2 {
            let surname = listed[listed.len() - 1];
            if written[0] != surname && (surname_variant(surname, written[0]) || fold(surname) == fold(written[0])) {
                return Some(vec![(written[0].to_string(), surname.to_string())]);
            }
        }
        return None;
    }
    let diffs: Vec<usize> = (0..listed.len()).filter(|&i| listed[i] != written[i]).collect();
    let close = diffs.iter().all(|&i| {
        fold(listed[i]) == fold(written[i])
            || given_name_variant(listed[i], written[i])
            || surname_variant(listed[i], written[i])
    });
    (!diffs.is_empty() && (diffs.len() == 1 || diffs.iter().all(|&i| fold(listed[i]) == fold(written[i]))) && close)
        .then(|| {
            written
                .iter()
                .zip(&listed)
                .map(|(w, l)| (w.to_string(), l.to_string()))
                .collect()
        })
}

/// How word `i` of a mention of `n` words is spelled right, by its position when the mention
/// has as many words as `replacements` (one per word of the full name), else by its text when
/// the text says it unambiguously ("Reyes Reyes" to "Reyees Reyes" respells the first word
/// only, so a lone "Reyes" is left alone).
fn respelled<'r>(replacements: &'r [(String, String)], n: usize, i: usize, written: &str) -> Option<&'r str> {
    if n == replacements.len() {
        let (was, right) = &replacements[i];
        return (was == written).then_some(right.as_str());
    }
    let mut rights = replacements
        .iter()
        .filter(|(was, _)| was == written)
        .map(|(_, right)| right.as_str());
    let first = rights.next()?;
    rights.all(|right| right == first).then_some(first)
}

/// Reports every mention of `person`, with edits replacing each misspelled word.
fn report(doc: &Document, person: u32, replacements: &[(String, String)], why: &str, out: &mut Vec<Diagnostic>) {
    let spelled: Vec<&(String, String)> = replacements
        .iter()
        .filter(|(written, right)| written != right)
        .collect();
    if spelled.is_empty() {
        return;
    }
    let order_change = replacements.iter().any(|(written, right)| written != right)
        && replacements.len() > 1
        && spelled.len() == replacements.len();
    for &m in &doc.people()[person as usize].mentions {
        let mention = &doc.mentions()[m as usize];
        if mention.form == NameForm::Given {
            continue;
        }
        let mut edits = Vec::new();
        if order_change && mention.form == NameForm::Full {
            let right: Vec<&str> = replacements.iter().map(|(_, right)| right.as_str()).collect();
            edits.push(Edit::replace(mention.name, right.join(" ")));
        } else {
            let n = mention.tokens.len();
            for (i, t) in mention.tokens.clone().enumerate() {
                let token = &doc.tokens[t];
                let written = crate::document::mentions::strip_possessive(doc.token_text(token));
                if let Some(right) = respelled(replacements, n, i, written)
                    && right != written
                {
                    edits.push(Edit::replace(
                        TextRange::new(token.range.start(), token.range.start() + written.len()),
                        right.to_string(),
                    ));
                }
            }
        }
        if edits.is_empty() {
            continue;
        }
        let right_name: String = if order_change {
            replacements
                .iter()
                .map(|(_, right)| right.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            let words: Vec<&str> = mention.text.split(' ').collect();
            words
                .iter()
                .enumerate()
                .map(|(i, word)| respelled(replacements, words.len(), i, word).unwrap_or(word))
                .collect::<Vec<_>>()
                .join(" ")
        };
        out.push(
            Diagnostic::new(
                InconsistentName::META.id,
                Severity::Warning,
                mention.name,
                format!("\"{}\" is spelled differently elsewhere: {why}", mention.text),
            )
            .with_fix(Fix::unsafe_(format!("Spell it \"{right_name}\""), edits)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, PersonEntry};
    use crate::fix::Applicability;
    use crate::lint::{fix_text, lint_text};
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed_at};

    const ID: &str = "inconsistent-name";

    #[test]
    fn variants_are_flagged_and_fixed_to_the_first_spelling() {
        assert_fixed_at(
            ID,
            "Secretary of State Antony Blinken arrived. Anthony Blinken met President Xi Jinping, and Xi Jingping smiled.\n",
            "Secretary of State Antony Blinken arrived. Antony Blinken met President Xi Jinping, and Xi Jinping smiled.\n",
            Applicability::Unsafe,
        );
        assert_count(
            ID,
            "Coach Thomas Müller scored twice. Thomas Muller said it was easy.\n",
            1,
        );
        assert_count(ID, "Foreign Minister Lee Jae-sun spoke. Jae-sun Lee said little.\n", 1);
        assert_count(
            ID,
            "Spokeswoman Lydia Buchtmann, 44, said no. Bauchtman said it twice.\n",
            1,
        );
    }

    #[test]
    fn different_people_stay_silent() {
        assert_clean(
            ID,
            "John Kennedy and Robert Kennedy were brothers. Joan Kennedy was not there.\n",
        );
        assert_clean(ID, "Analysts at Morgan Stanley and Morgan Stanly disagreed.\n");
        assert_clean(ID, "Sen. Maria Ortiz met Mario Ortiz, her cousin.\n");
    }

    #[test]
    fn the_people_list_is_the_authority() {
        let config = Config {
            select: Some(vec![ID.to_string()]),
            people: vec![PersonEntry {
                name: "Antony Blinken".to_string(),
                title: None,
                aliases: vec![],
            }],
            ..Config::default()
        };
        let text = "Secretary of State Anthony Blinken arrived. Anthony Blinken spoke.\n";
        let (_, result) = lint_text(text, &config);
        assert_eq!(result.diagnostics.len(), 2);
        let fixed = fix_text(text, &config, Applicability::Unsafe);
        assert_eq!(
            fixed.text,
            "Secretary of State Antony Blinken arrived. Antony Blinken spoke.\n"
        );
    }
}
