//! `inconsistent-spelling`: one term written in two forms.

use std::sync::OnceLock;

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::config::Style;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lexicon::WORD_SPELLING_FORM;
use crate::document::{Document, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds one term written in two forms in a draft: abbreviations (U.S. and US, U.N. and
    /// UN, U.K. and UK, D.C. and DC, EU and E.U.), place names (Kyiv and Kiev), compound and
    /// variant spellings (email and e-mail, adviser and advisor, percent and per cent,
    /// toward and towards).
    ///
    /// The preferred form comes from the style: in AP style, U.S., U.N., U.K., EU, Kyiv,
    /// email, adviser, percent and the other first forms in the list. In other styles the
    /// draft's first use wins. A `[spellings]` table in `copydesk.toml` sets a newsroom's
    /// own preferences (`"Kyiv" = ["Kiev"]`); listed variants are reported even when the
    /// draft never uses the preferred form.
    ///
    /// ## Not flagged
    /// Headings (AP headlines write US and UN), "US$", and a term used in one form only.
    /// Inside a direct quotation a variant is reported at hint level and never changed
    /// automatically: quotations are verbatim.
    ///
    /// ## Why is this bad?
    /// Two spellings of one term make a draft look unedited and break search.
    ///
    /// ## Example
    /// ```markdown
    /// The U.S. envoy met the US ambassador by e-mail, then sent an email.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The U.S. envoy met the U.S. ambassador by email, then sent an email.
    /// ```
    ///
    /// ## Fix safety
    /// Safe when the style or the configuration prescribes the form; unsafe when the draft's
    /// first use decided it.
    pub(crate) struct InconsistentSpelling;
    id = "inconsistent-spelling",
    summary = "One term written in two forms",
    severity = Warning,
    fix = Always,
}

struct Group<'a> {
    /// Forms, the style's preferred one first; each form is its words.
    forms: std::borrow::Cow<'a, [Vec<String>]>,
    /// Whether the first form is prescribed (by AP or by the configuration).
    prescribed: bool,
    /// Configured groups report variants even when the preferred form is absent.
    configured: bool,
}

fn builtin_groups() -> &'static Vec<Vec<Vec<String>>> {
    static GROUPS: OnceLock<Vec<Vec<Vec<String>>>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        include_str!("../data/spellings.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                line.split('|')
                    .map(|form| form.split_whitespace().map(str::to_string).collect())
                    .collect()
            })
            .collect()
    })
}

fn words_match(written: &str, form: &str) -> bool {
    if form.chars().any(char::is_uppercase) {
        written == form
    } else {
        written.eq_ignore_ascii_case(form)
    }
}

/// A use of one form of a group.
struct Use {
    group: usize,
    form: usize,
    range: TextRange,
    /// The suffix after the form's last word (plural "s", possessive).
    suffix: String,
}

impl Rule for InconsistentSpelling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        // Most drafts use no form of any listed term: nothing to set up.
        if context.config.spellings.is_empty() && super::flagged(&doc.tokens, WORD_SPELLING_FORM).next().is_none() {
            return;
        }
        let mut groups: Vec<Group> = Vec::new();
        for (preferred, variants) in &context.config.spellings {
            let mut forms = vec![preferred.split_whitespace().map(str::to_string).collect::<Vec<_>>()];
            forms.extend(
                variants
                    .iter()
                    .map(|v| v.split_whitespace().map(str::to_string).collect()),
            );
            groups.push(Group {
                forms: std::borrow::Cow::Owned(forms),
                prescribed: true,
                configured: true,
            });
        }
        let n_configured = groups.len();
        for forms in builtin_groups() {
            // A configured group for the same term replaces the built-in one.
            let overridden = groups[..n_configured]
                .iter()
                .any(|g| g.forms.iter().any(|f| forms.contains(f)));
            if !overridden {
                groups.push(Group {
                    forms: std::borrow::Cow::Borrowed(forms.as_slice()),
                    prescribed: context.config.style == Style::Ap,
                    configured: false,
                });
            }
        }
        let uses = find_uses(doc, &groups);
        // The uses group by group, in the order of the groups, each group's in the draft's
        // order (the sort is stable).
        let mut sorted: Vec<&Use> = uses.iter().collect();
        sorted.sort_by_key(|u| u.group);
        for group_uses in sorted.chunk_by(|a, b| a.group == b.group) {
            let group = &groups[group_uses[0].group];
            let mixed = group_uses.iter().any(|u| u.form != group_uses[0].form);
            let configured_variant = group.configured && group_uses.iter().any(|u| u.form != 0);
            if !(mixed || configured_variant) {
                continue;
            }
            let preferred = if group.prescribed { 0 } else { group_uses[0].form };
            let preferred_text = group.forms[preferred].join(" ");
            for found in group_uses.iter().filter(|u| u.form != preferred) {
                let written = doc.slice(found.range);
                let mut replacement = format!("{preferred_text}{}", found.suffix);
                if written.starts_with(char::is_uppercase) && preferred_text.starts_with(char::is_lowercase) {
                    let mut chars = replacement.chars();
                    replacement = chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default();
                }
                let why = if group.configured {
                    "the newsroom's spelling list"
                } else if group.prescribed {
                    "AP style"
                } else {
                    "the draft's first use"
                };
                let fix = if group.prescribed {
                    Fix::safe(
                        format!("Use \"{replacement}\""),
                        vec![Edit::replace(found.range, replacement.clone())],
                    )
                } else {
                    Fix::unsafe_(
                        format!("Use \"{replacement}\""),
                        vec![Edit::replace(found.range, replacement.clone())],
                    )
                };
                out.push(
                    Diagnostic::new(
                        InconsistentSpelling::META.id,
                        if doc.is_quoted(found.range) {
                            Severity::Hint
                        } else {
                            Severity::Warning
                        },
                        found.range,
                        format!("\"{written}\" is written \"{preferred_text}\" elsewhere ({why})"),
                    )
                    .with_fix(fix),
                );
            }
        }
    }
}

/// The forms that can start at a word, by the word in lowercase: (group, form) indices.
type ByFirst = rustc_hash::FxHashMap<String, Vec<(usize, usize)>>;

fn by_first<'a>(groups: impl Iterator<Item = &'a [Vec<String>]>) -> ByFirst {
    let mut by_first = ByFirst::default();
    for (group_idx, forms) in groups.enumerate() {
        for (form_idx, form) in forms.iter().enumerate() {
            if let Some(first) = form.first() {
                by_first
                    .entry(first.to_lowercase())
                    .or_default()
                    .push((group_idx, form_idx));
            }
        }
    }
    by_first
}

fn find_uses(doc: &Document, groups: &[Group]) -> Vec<Use> {
    // With no configured groups the groups are the built-in ones, in order: their index is
    // built once per process, not once per draft.
    static BUILTIN: std::sync::LazyLock<ByFirst> =
        std::sync::LazyLock::new(|| by_first(builtin_groups().iter().map(Vec::as_slice)));
    let configured_index;
    let by_first: &ByFirst = if groups.iter().any(|group| group.configured) {
        configured_index = by_first(groups.iter().map(|group| &group.forms[..]));
        &configured_index
    } else {
        &BUILTIN
    };
    // The forms a word may start, in `found` (emptied first; one list for all words).
    let candidates = |word: &str, found: &mut Vec<(usize, usize)>| {
        found.clear();
        crate::document::mentions::with_lowercase(word, |lower| {
            // One lookup for the word and one for each stem.
            if let Some(forms) = by_first.get(lower) {
                found.extend_from_slice(forms);
            }
            for end in ["’s", "'s", "s"] {
                if let Some(stem) = lower.strip_suffix(end)
                    && let Some(more) = by_first.get(stem)
                {
                    found.extend_from_slice(more);
                }
            }
        })
    };
    // Built-in forms are flagged in the lexicon, so most words are passed over without a lookup;
    // configured forms need the lookup for every word.
    let configured = groups.iter().any(|group| group.configured);
    let mut uses = Vec::new();
    let mut starts = Vec::new();
    // From one token that may start a form to the next, passing over the others eight at a
    // time (few tokens have the flag).
    let may_start: Box<dyn Iterator<Item = usize>> = if configured {
        Box::new(0..doc.tokens.len())
    } else {
        Box::new(super::flagged(&doc.tokens, WORD_SPELLING_FORM))
    };
    for at in may_start {
        let block = &doc.blocks[doc.tokens[at].block as usize];
        if block.is_heading() {
            continue;
        }
        let tokens = &doc.tokens[block.tokens.clone()];
        let i = at - block.tokens.start;
        let token = &tokens[i];
        if token.kind != TokenKind::Word {
            continue;
        }
        let text = doc.token_text(token);
        if text.len() > 24 {
            continue;
        }
        candidates(text, &mut starts);
        if starts.is_empty() {
            continue;
        }
        // The forms this word may start, in the order of the groups and their forms: the
        // first that matches is the use.
        starts.sort_unstable();
        starts.dedup();
        for &(group_idx, form_idx) in &starts {
            let form = &groups[group_idx].forms[form_idx];
            if i + form.len() > tokens.len() {
                continue;
            }
            let last = i + form.len() - 1;
            let mut suffix = String::new();
            let mut ok = true;
            for (k, word) in form.iter().enumerate() {
                let token = &tokens[i + k];
                if token.kind != TokenKind::Word || (k > 0 && !token.space_before) {
                    ok = false;
                    break;
                }
                let written = doc.token_text(token);
                if words_match(written, word) {
                    continue;
                }
                // A plural or possessive on the last word: e-mails, adviser's.
                let stem_len = ["’s", "'s", "s"].iter().find_map(|end| {
                    written
                        .strip_suffix(end)
                        .filter(|stem| words_match(stem, word))
                        .map(|stem| stem.len())
                });
                match stem_len {
                    Some(len) if k == form.len() - 1 && !word.chars().any(char::is_uppercase) => {
                        suffix = written[len..].to_string()
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            // "US$ 20,000" is a currency.
            if tokens
                .get(last + 1)
                .is_some_and(|next| !next.space_before && doc.token_text(next) == "$")
            {
                continue;
            }
            let range = TextRange::new(tokens[i].range.start(), tokens[last].range.end());
            uses.push(Use {
                group: group_idx,
                form: form_idx,
                range,
                suffix,
            });
            break;
        }
    }
    uses
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Style};
    use crate::fix::Applicability;
    use crate::lint::{fix_text, lint_text};
    use crate::rules::testing::{assert_clean, assert_fixed};

    const ID: &str = "inconsistent-spelling";

    #[test]
    fn ap_forms_win() {
        assert_fixed(
            ID,
            "The US envoy met the U.S. ambassador by e-mail, then sent two emails. Kiev and Kyiv.\n",
            "The U.S. envoy met the U.S. ambassador by email, then sent two emails. Kyiv and Kyiv.\n",
        );
    }

    #[test]
    fn other_styles_follow_the_first_use() {
        let config = Config {
            select: Some(vec![ID.to_string()]),
            style: Style::Courtesy,
            ..Config::default()
        };
        let text = "Send an e-mail. E-mail is fine, and so is email.\n";
        assert_eq!(
            fix_text(text, &config, Applicability::Safe).text,
            text,
            "first-use fixes are unsafe"
        );
        assert_eq!(
            fix_text(text, &config, Applicability::Unsafe).text,
            "Send an e-mail. E-mail is fine, and so is e-mail.\n"
        );
    }

    #[test]
    fn configured_spellings_are_the_authority() {
        let mut config = Config {
            select: Some(vec![ID.to_string()]),
            ..Config::default()
        };
        config.spellings.insert("Kyiv".to_string(), vec!["Kiev".to_string()]);
        let (_, result) = lint_text("Kiev is the capital.\n", &config);
        assert_eq!(result.diagnostics.len(), 1);
    }

    #[test]
    fn quotations_are_hints_and_consistent_copy_is_clean() {
        let (_, result) = lint_text(
            "The U.S. said no. \"The US will not pay,\" she said.\n",
            &Config {
                select: Some(vec![ID.to_string()]),
                ..Config::default()
            },
        );
        assert_eq!(result.diagnostics.len(), 1);
        assert_eq!(result.diagnostics[0].severity, crate::diagnostic::Severity::Hint);
        assert_eq!(result.diagnostics[0].fixes[0].applicability, Applicability::DisplayOnly);
        assert_clean(
            ID,
            "# US, UN agree\n\nThe U.S. and the U.N. agreed on a US$ 20,000 fee. Tell us.\n",
        );
    }
}
