//! A plain-text rendering of what the model found in a draft (sentences, quotations, people),
//! for `copydesk inspect` and for snapshot tests of the model.

use std::fmt::Write;

use super::{Document, EntityKind, NameForm};

/// Renders `what` (`all`, `sentences`, `quotes` or `people`) of a document.
pub fn dump(doc: &Document, what: &str) -> String {
    let mut out = String::new();
    let _ = write_inspection(&mut out, doc, what);
    out
}

fn write_inspection(out: &mut String, doc: &Document, what: &str) -> std::fmt::Result {
    if what == "all" || what == "sentences" {
        if let Some(front_matter) = &doc.front_matter {
            let title = front_matter
                .title
                .as_ref()
                .map(|(title, _)| title.as_str())
                .unwrap_or("(none)");
            writeln!(out, "## Front matter title\n{title}")?;
        }
        writeln!(out, "## Sentences")?;
        for sentence in &doc.sentences {
            let lc = doc.line_column(sentence.range.start());
            writeln!(
                out,
                "{}:{}\t{}",
                lc.line,
                lc.column,
                doc.sentence_text(sentence).replace('\n', " ")
            )?;
        }
    }
    if what == "all" || what == "quotes" {
        writeln!(out, "## Quotations")?;
        for (idx, quotation) in doc.quotations.iter().enumerate() {
            let lc = doc.line_column(quotation.range().start());
            let parts: Vec<String> = quotation
                .parts
                .iter()
                .map(|part| doc.slice(part.content).replace('\n', " "))
                .collect();
            let attribution = match doc.quote_info(idx) {
                None => String::new(),
                Some(info) => {
                    let who = match &info.attribution {
                        Some(attribution) => format!(
                            "{} via {:?} «{}»",
                            doc.speaker_label(&attribution.speaker),
                            attribution.kind,
                            doc.slice(attribution.cue)
                        ),
                        None => "UNATTRIBUTED".to_string(),
                    };
                    format!(" {:?} → {who}", info.usage)
                }
            };
            writeln!(
                out,
                "q{idx} {}:{} {:?}{} parent={:?}{attribution}\t{}",
                lc.line,
                lc.column,
                quotation.kind,
                if quotation.is_closed() { "" } else { " (open)" },
                quotation.parent,
                parts.join(" ¶ ")
            )?;
        }
        for mark in &doc.unbalanced_quotes {
            let lc = doc.line_column(mark.range.start());
            writeln!(
                out,
                "unbalanced {}:{} {:?} {:?}",
                lc.line, lc.column, mark.kind, mark.problem
            )?;
        }
    }
    if what == "all" || what == "people" {
        writeln!(out, "## People")?;
        for (idx, person) in doc.people().iter().enumerate() {
            let kind = match person.kind {
                EntityKind::Person => "person",
                EntityKind::Organization => "org",
                EntityKind::Unknown => "unknown",
            };
            writeln!(out, "p{idx} {} [{kind}] surname={}", person.full_name, person.surname)?;
            for &m in &person.mentions {
                let mention = &doc.mentions()[m as usize];
                let lc = doc.line_column(mention.name.start());
                let form = match mention.form {
                    NameForm::Full => "full",
                    NameForm::Surname => "surname",
                    NameForm::Given => "given",
                };
                let title = mention
                    .title
                    .as_ref()
                    .map(|t| format!(" title={:?}({:?})", t.text, t.position))
                    .unwrap_or_default();
                let courtesy = mention
                    .courtesy
                    .as_ref()
                    .map(|t| format!(" courtesy={}", t.text))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {}:{} {} ({form}){title}{courtesy}{}{}{}",
                    lc.line,
                    lc.column,
                    mention.text,
                    if mention.before_full { " before-full" } else { "" },
                    if mention.ambiguous { " ambiguous" } else { "" },
                    if mention.in_quote { " in-quote" } else { "" },
                )?;
            }
        }
        let orgs: Vec<&str> = doc
            .mentions()
            .iter()
            .filter(|m| m.person.is_none())
            .map(|m| &*m.text)
            .collect();
        writeln!(out, "## Unlinked names\n{}", orgs.join(", "))?;
    }
    Ok(())
}
