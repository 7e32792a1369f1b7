//! `inconsistent-title`: one person with two different formal titles.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Mention, TitleKind, TitlePosition, TitleRef};
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds a person who carries two different formal titles before their name in one draft:
    /// "Foreign Minister Lee Jae-sun" ... "Foreign Secretary Lee"; "Sen. Maria Ortiz" ...
    /// "Rep. Ortiz". Abbreviated and full forms are the same title (Sen. and Senator, Gov. and
    /// Governor, Gen. and General), and a short form of the same office is the same title
    /// (Secretary Blinken for Secretary of State Blinken).
    ///
    /// With a `[[people]]` list in `copydesk.toml`, the listed `title` is the authority.
    ///
    /// ## Not flagged
    /// - A change the text states: a title marked "former", "then", "acting" or "late"
    ///   ("former Gov. Ortiz, now Sen. Ortiz").
    /// - Different ranks of one office are different offices: Vice President and President,
    ///   Deputy Mayor and Mayor, Lieutenant Governor and Governor are kept apart, so two people
    ///   are never merged by accident — but a person given both is reported.
    /// - Job descriptions (chief executive, coach, spokeswoman) and courtesy titles.
    /// - Mentions that could be more than one person (two Kennedys), and text inside quotations.
    ///
    /// ## Why is this bad?
    /// A reader cannot tell whether two titles mean two people or one mistake; a wrong title
    /// is a correction waiting to happen.
    ///
    /// ## Example
    /// ```markdown
    /// Foreign Minister Lee Jae-sun arrived on Monday. Foreign Secretary Lee said the talks went well.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Foreign Minister Lee Jae-sun arrived on Monday. Lee said the talks went well.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix uses the first reference's title (or the people list's), but the first
    /// may be the wrong one.
    pub(crate) struct InconsistentTitle;
    id = "inconsistent-title",
    summary = "One person with two different formal titles",
    severity = Warning,
    fix = Sometimes,
    reads = crate::rules::Reads::People,
}

/// Words that make a title a different rank of an office, not a short or long form of it.
const RANK_WORDS: &[&str] = &[
    "vice",
    "deputy",
    "lieutenant",
    "assistant",
    "under",
    "associate",
    "acting",
    "interim",
    "senior",
    "junior",
    "first",
    "second",
    "rear",
    "brigadier",
    "major",
    "general",
    "chief",
    "high",
    "special",
    "district",
    "majority",
    "minority",
    "house",
    "senate",
    "staff",
];

/// Whether two titles name the same office: the same lexicon entry, or one a short form of
/// the other without a rank word (Secretary, Secretary of State; Minister, Foreign Minister).
pub(crate) fn same_office(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    // Words are compared ignoring case, ASCII ones without lowercase copies (the rank words
    // are lowercase).
    let same = |x: &str, y: &str| {
        if x.is_ascii() && y.is_ascii() {
            x.eq_ignore_ascii_case(y)
        } else {
            x.to_lowercase() == y.to_lowercase()
        }
    };
    fn words(title: &str) -> std::str::Split<'_, char> {
        title.split(' ')
    }
    let (short, long) = if words(a).count() <= words(b).count() {
        (a, b)
    } else {
        (b, a)
    };
    let in_title = |word: &str, title: &str| words(title).any(|other| same(other, word));
    words(short).all(|word| in_title(word, long))
        && words(long)
            .filter(|word| !in_title(word, short))
            .all(|word| !RANK_WORDS.iter().any(|rank| same(rank, word)))
}

fn formal_title(mention: &Mention) -> Option<&TitleRef> {
    mention
        .title
        .as_ref()
        .filter(|title| title.kind == TitleKind::Formal && title.position == TitlePosition::Before)
}

fn qualified(title: &TitleRef) -> bool {
    title.qualifier.as_deref().is_some_and(|q| {
        matches!(
            q,
            "former" | "then" | "acting" | "late" | "interim" | "outgoing" | "incoming" | "now" | "new"
        )
    })
}

impl Rule for InconsistentTitle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        for (person_idx, person) in doc.people().iter().enumerate() {
            let mentions: Vec<&Mention> = person
                .mentions
                .iter()
                .map(|&m| &doc.mentions()[m as usize])
                .filter(|mention| !mention.ambiguous && !mention.in_quote)
                .collect();
            // Any qualified title means the text tells a story of offices: leave the person alone.
            if mentions.iter().filter_map(|m| m.title.as_ref()).any(qualified) {
                continue;
            }
            let listed = context
                .config
                .people
                .iter()
                .find(|entry| entry.name == person.full_name || entry.aliases.contains(&person.full_name))
                .and_then(|entry| entry.title.as_deref());
            let first = mentions.iter().find_map(|m| formal_title(m));
            let (reference, reference_text): (&str, &str) = match (listed, first) {
                (Some(title), _) => (title, title),
                (None, Some(title)) => (title.canonical, &title.text),
                (None, None) => continue,
            };
            let _ = person_idx;
            for mention in &mentions {
                let Some(title) = formal_title(mention) else { continue };
                if same_office(title.canonical, reference) || same_office(&title.text, reference) {
                    continue;
                }
                out.push(diagnostic(doc, mention, title, reference_text, listed.is_some()));
            }
        }
    }
}

fn diagnostic(doc: &Document, mention: &Mention, title: &TitleRef, reference: &str, listed: bool) -> Diagnostic {
    let source = if listed {
        "the people list"
    } else {
        "the first reference"
    };
    let _ = doc;
    // The texts joined by hand, into strings of their final length: `format!` costs more.
    let message = [
        "\"",
        &mention.text,
        "\" is titled \"",
        &title.text,
        "\" here but \"",
        reference,
        "\" in ",
        source,
    ]
    .concat();
    Diagnostic::new(
        InconsistentTitle::META.id,
        Severity::Warning,
        title.range.cover(mention.name),
        message,
    )
    .with_fix(Fix::unsafe_(
        ["Use \"", reference, "\""].concat(),
        vec![Edit::replace(title.range, reference)],
    ))
}

#[cfg(test)]
mod tests {
    use super::same_office;
    use crate::fix::Applicability;
    use crate::rules::testing::{assert_clean, assert_count, assert_fixed_at};

    const ID: &str = "inconsistent-title";

    #[test]
    fn two_titles_for_one_person() {
        assert_fixed_at(
            ID,
            "Foreign Minister Lee Jae-sun arrived. Foreign Secretary Lee said the talks went well.\n",
            "Foreign Minister Lee Jae-sun arrived. Foreign Minister Lee said the talks went well.\n",
            Applicability::Unsafe,
        );
        assert_count(ID, "Sen. Maria Ortiz spoke first. Rep. Ortiz spoke last.\n", 1);
    }

    #[test]
    fn same_title_in_other_forms_is_clean() {
        assert_clean(
            ID,
            "Sen. Maria Ortiz spoke first. Senator Ortiz spoke last. Gen. Mark Milley and General Milley.\n",
        );
        assert_clean(
            ID,
            "Secretary of State Antony Blinken arrived. Secretary Blinken left.\n",
        );
        assert_clean(ID, "Former Gov. Maria Ortiz, now Sen. Ortiz, spoke.\n");
        assert_clean(
            ID,
            "Chief Executive Sofia Silva met coach Lars Silva. Mr. Silva left.\n",
        );
    }

    #[test]
    fn offices() {
        assert!(same_office("Secretary", "Secretary of State"));
        assert!(same_office("Minister", "Foreign Minister"));
        assert!(!same_office("Governor", "Lieutenant Governor"));
        assert!(!same_office("President", "Vice President"));
        assert!(!same_office("Foreign Minister", "Foreign Secretary"));
    }
}
