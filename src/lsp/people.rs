//! The people and quotations of a draft, in editor form: hover, document symbols, references,
//! rename, inlay hints, the quotes code lens and the quote list behind it.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};
use tower_lsp::lsp_types::{
    self as lsp, AnnotatedTextEdit, ChangeAnnotation, CodeLens, Command, DocumentChanges, DocumentSymbol, Hover,
    HoverContents, InlayHint, InlayHintLabel, InlayHintTooltip, Location, MarkupContent, MarkupKind, OneOf,
    OptionalVersionedTextDocumentIdentifier, SymbolInformation, SymbolKind, TextDocumentEdit, TextEdit, Url,
    WorkspaceEdit,
};

use super::analysis::Analysis;
use super::attribution::{self, Source};
use super::server::Session;
use crate::document::{EntityKind, Mention, NameForm, Person, Quotation};

/// The command behind the code lens: arguments `[uri]`; answers with the quotes and shows them.
pub(crate) const LIST_QUOTES_COMMAND: &str = "copydesk.listQuotes";
/// The change annotation on rename edits inside direct quotations.
pub(crate) const QUOTED_ANNOTATION: &str = "copydesk.insideQuotation";

/// The mention under (or just after) the cursor that names a person.
fn mention_at(analysis: &Analysis, position: lsp::Position) -> Option<(usize, &Mention, &Person)> {
    let offset = analysis.positions().offset(position);
    let doc = &analysis.document;
    doc.mentions().iter().enumerate().find_map(|(idx, mention)| {
        let range = mention.full_range();
        let person = doc.people().get(mention.person? as usize)?;
        (range.start() <= offset && offset <= range.end()).then_some((idx, mention, person))
    })
}

/// A quotation's words, whitespace collapsed, cut to about `max` characters.
pub(crate) fn excerpt(analysis: &Analysis, quotation: &Quotation, max: usize) -> String {
    let mut words = String::new();
    for part in &quotation.parts {
        for word in analysis.document.slice(part.content).split_whitespace() {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
        }
    }
    if words.chars().count() > max {
        let cut: String = words.chars().take(max.saturating_sub(1)).collect();
        format!("“{}…”", cut.trim_end())
    } else {
        format!("“{words}”")
    }
}

fn line_of(analysis: &Analysis, offset: usize) -> usize {
    analysis.document.line_index.line_of(offset) + 1
}

/// The quotations attributed to a person, as quotation indexes.
fn quotes_of(analysis: &Analysis, person: u32) -> Vec<usize> {
    analysis
        .quotes
        .iter()
        .filter(|quote| quote.person() == Some(person))
        .map(|quote| quote.quotation)
        .collect()
}

fn title_of(analysis: &Analysis, person: &Person) -> Option<String> {
    let doc = &analysis.document;
    let first_full = person.first_full.map(|idx| &doc.mentions()[idx as usize]);
    first_full
        .into_iter()
        .chain(person.mentions.iter().map(|idx| &doc.mentions()[*idx as usize]))
        .find_map(|mention| mention.title.as_ref().map(|title| title.text.clone()))
}

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

pub(crate) fn hover(analysis: &Analysis, position: lsp::Position, session: &Session) -> Option<Hover> {
    let (_, mention, person) = mention_at(analysis, position)?;
    let doc = &analysis.document;
    let person_idx = mention.person?;
    let mentions: Vec<&Mention> = person
        .mentions
        .iter()
        .map(|idx| &doc.mentions()[*idx as usize])
        .collect();
    let markdown = session.markdown_hover;
    let bold = |text: &str| {
        if markdown {
            format!("**{text}**")
        } else {
            text.to_string()
        }
    };
    let mut lines = Vec::new();
    let mut head = bold(&person.full_name);
    if let Some(title) = title_of(analysis, person) {
        head.push_str(&format!(", {title}"));
    }
    if person.kind == EntityKind::Organization {
        head.push_str(" (organization)");
    }
    lines.push(head);
    let first_line = mentions
        .first()
        .map_or(0, |first| line_of(analysis, first.name.start()));
    let n_full = mentions.iter().filter(|m| m.form == NameForm::Full).count();
    lines.push(format!(
        "First reference: line {first_line} · {} mention{} ({n_full} full, {} short)",
        mentions.len(),
        if mentions.len() == 1 { "" } else { "s" },
        mentions.len() - n_full
    ));
    let spellings = distinct(mentions.iter().map(|m| &*m.text));
    lines.push(format!("Spellings: {}", spellings.join(" · ")));
    let titles = distinct(
        mentions
            .iter()
            .flat_map(|m| m.title.iter().chain(m.courtesy.iter()))
            .map(|title| title.text.as_str()),
    );
    if !titles.is_empty() {
        lines.push(format!("Titles: {}", titles.join(" · ")));
    }
    let quotes = quotes_of(analysis, person_idx);
    if quotes.is_empty() {
        lines.push("Quotes attributed to them: none".to_string());
    } else {
        lines.push(format!("Quotes attributed to them ({}):", quotes.len()));
        for idx in quotes {
            let quotation = &doc.quotations[idx];
            lines.push(format!(
                "- {} (line {})",
                excerpt(analysis, quotation, 80),
                line_of(analysis, quotation.range().start())
            ));
        }
    }
    let separator = if markdown { "  \n" } else { "\n" };
    let mut value = String::new();
    for (idx, line) in lines.iter().enumerate() {
        if idx > 0 {
            value.push_str(if line.starts_with("- ") { "\n" } else { separator });
        }
        value.push_str(line);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value,
        }),
        range: Some(analysis.positions().range(mention.full_range())),
    })
}

fn form_label(form: NameForm) -> &'static str {
    match form {
        NameForm::Full => "full name",
        NameForm::Surname => "surname",
        NameForm::Given => "given name",
    }
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp::Range,
    selection: lsp::Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    #[expect(deprecated, reason = "the field is required by the type")]
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

/// A group symbol covering its children.
fn group(
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    children: Vec<DocumentSymbol>,
) -> Option<DocumentSymbol> {
    let first = children.first()?;
    let mut range = first.range;
    for child in &children {
        if (child.range.start.line, child.range.start.character) < (range.start.line, range.start.character) {
            range.start = child.range.start;
        }
        if (child.range.end.line, child.range.end.character) > (range.end.line, range.end.character) {
            range.end = child.range.end;
        }
    }
    let selection = first.selection_range;
    Some(symbol(name.to_string(), detail, kind, range, selection, children))
}

/// The draft's people with their mentions, then its quotations grouped by speaker.
pub(crate) fn document_symbols(analysis: &Analysis) -> Vec<DocumentSymbol> {
    let doc = &analysis.document;
    let positions = analysis.positions();
    let mut people = Vec::new();
    let mut organizations = Vec::new();
    for person in doc.people() {
        let mentions: Vec<DocumentSymbol> = person
            .mentions
            .iter()
            .map(|idx| {
                let mention = &doc.mentions()[*idx as usize];
                let mut detail = format!(
                    "{}, line {}",
                    form_label(mention.form),
                    line_of(analysis, mention.name.start())
                );
                if mention.in_quote {
                    detail.push_str(", in a quotation");
                }
                symbol(
                    mention.text.to_string(),
                    Some(detail),
                    SymbolKind::FIELD,
                    positions.range(mention.full_range()),
                    positions.range(mention.name),
                    Vec::new(),
                )
            })
            .collect();
        let Some(person_symbol) = group(
            &person.full_name,
            title_of(analysis, person),
            SymbolKind::CLASS,
            mentions,
        ) else {
            continue;
        };
        if person.kind == EntityKind::Organization {
            organizations.push(person_symbol);
        } else {
            people.push(person_symbol);
        }
    }
    let mut out = Vec::new();
    out.extend(group(
        "People",
        Some(format!("{}", people.len())),
        SymbolKind::NAMESPACE,
        people,
    ));
    out.extend(group(
        "Organizations",
        Some(format!("{}", organizations.len())),
        SymbolKind::NAMESPACE,
        organizations,
    ));
    let mut speakers: Vec<(Option<&Source>, Vec<DocumentSymbol>)> = Vec::new();
    for quote in &analysis.quotes {
        let quotation = &doc.quotations[quote.quotation];
        let source = quote.source.as_ref();
        let range = positions.range(quotation.range());
        let symbol = symbol(
            excerpt(analysis, quotation, 60),
            Some(format!("line {}", line_of(analysis, quotation.range().start()))),
            SymbolKind::STRING,
            range,
            range,
            Vec::new(),
        );
        match speakers.iter_mut().find(|(who, _)| *who == source) {
            Some((_, quotes)) => quotes.push(symbol),
            None => speakers.push((source, vec![symbol])),
        }
    }
    // Speakers in order of their first quote, the unattributed last.
    speakers.sort_by_key(|(who, _)| who.is_none());
    let groups: Vec<DocumentSymbol> = speakers
        .into_iter()
        .filter_map(|(who, quotes)| {
            let name = match who {
                Some(source) => attribution::label(doc, source),
                None => "Unattributed".to_string(),
            };
            let n = quotes.len();
            group(&name, Some(quote_count(n)), SymbolKind::OBJECT, quotes)
        })
        .collect();
    let n_quotes: usize = groups.iter().map(|g| g.children.as_ref().map_or(0, Vec::len)).sum();
    out.extend(group(
        "Quotations",
        Some(quote_count(n_quotes)),
        SymbolKind::NAMESPACE,
        groups,
    ));
    out
}

fn quote_count(n: usize) -> String {
    format!("{n} quote{}", if n == 1 { "" } else { "s" })
}

/// The same symbols, flat, for clients without hierarchical symbols.
pub(crate) fn flat_symbols(symbols: Vec<DocumentSymbol>, uri: &Url) -> Vec<SymbolInformation> {
    fn walk(symbol: DocumentSymbol, container: Option<&str>, uri: &Url, out: &mut Vec<SymbolInformation>) {
        #[expect(deprecated, reason = "the field is required by the type")]
        out.push(SymbolInformation {
            name: symbol.name.clone(),
            kind: symbol.kind,
            tags: None,
            deprecated: None,
            location: Location::new(uri.clone(), symbol.range),
            container_name: container.map(str::to_string),
        });
        for child in symbol.children.into_iter().flatten() {
            walk(child, Some(&symbol.name), uri, out);
        }
    }
    let mut out = Vec::new();
    for symbol in symbols {
        walk(symbol, None, uri, &mut out);
    }
    out
}

/// Every mention of the person under the cursor.
pub(crate) fn references(
    analysis: &Analysis,
    uri: &Url,
    position: lsp::Position,
    include_declaration: bool,
) -> Option<Vec<Location>> {
    let (_, _, person) = mention_at(analysis, position)?;
    let positions = analysis.positions();
    let doc = &analysis.document;
    Some(
        person
            .mentions
            .iter()
            .filter(|idx| include_declaration || person.first_full != Some(**idx))
            .map(|idx| Location::new(uri.clone(), positions.range(doc.mentions()[*idx as usize].name)))
            .collect(),
    )
}

pub(crate) fn prepare_rename(analysis: &Analysis, position: lsp::Position) -> Option<lsp::PrepareRenameResponse> {
    let (_, mention, _) = mention_at(analysis, position)?;
    Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: analysis.positions().range(mention.name),
        placeholder: mention.text.to_string(),
    })
}

/// The three forms of a name: full, surname, given.
struct NameParts {
    full: String,
    surname: String,
    given: String,
}

impl NameParts {
    /// The parts of a person's name as the model has it. The surname sits at the end of the
    /// full name, or at its start for family-name-first names (Lee Jae-sun).
    fn of(person: &Person) -> (NameParts, bool) {
        let full = person.full_name.clone();
        let surname = person.surname.clone();
        let surname_first = !full.ends_with(&surname) && full.starts_with(&surname);
        let given = if surname_first {
            full[surname.len()..].trim().to_string()
        } else {
            full.strip_suffix(&surname).unwrap_or(&full).trim().to_string()
        };
        (NameParts { full, surname, given }, surname_first)
    }

    fn join(given: &str, surname: &str, surname_first: bool) -> String {
        match (given.is_empty(), surname_first) {
            (true, _) => surname.to_string(),
            (false, true) => format!("{surname} {given}"),
            (false, false) => format!("{given} {surname}"),
        }
    }

    /// The new parts when the mention of form `form` is renamed to `new_name`.
    fn renamed(&self, surname_first: bool, form: NameForm, new_name: &str) -> NameParts {
        match form {
            NameForm::Full => {
                let n_surname = self.surname.split_whitespace().count().max(1);
                let words: Vec<&str> = new_name.split_whitespace().collect();
                if words.len() <= n_surname {
                    return NameParts {
                        full: new_name.to_string(),
                        surname: new_name.to_string(),
                        given: String::new(),
                    };
                }
                let (surname, given) = if surname_first {
                    (words[..n_surname].join(" "), words[n_surname..].join(" "))
                } else {
                    (
                        words[words.len() - n_surname..].join(" "),
                        words[..words.len() - n_surname].join(" "),
                    )
                };
                NameParts {
                    full: new_name.to_string(),
                    surname,
                    given,
                }
            }
            NameForm::Surname => NameParts {
                full: NameParts::join(&self.given, new_name, surname_first),
                surname: new_name.to_string(),
                given: self.given.clone(),
            },
            NameForm::Given => NameParts {
                full: NameParts::join(new_name, &self.surname, surname_first),
                surname: self.surname.clone(),
                given: new_name.to_string(),
            },
        }
    }
}

/// What a rename produces.
pub(crate) struct RenameOutcome {
    pub edit: WorkspaceEdit,
    /// Mentions inside quotations left alone because the client cannot show annotations.
    pub skipped_in_quotes: usize,
}

/// Renames the person under the cursor: every mention gets the new name in its own form
/// (full, surname or given name). Mentions inside direct quotations are changed only with an
/// annotation that asks for confirmation; a client that cannot show one gets them left alone.
pub(crate) fn rename(
    analysis: &Analysis,
    uri: &Url,
    position: lsp::Position,
    new_name: &str,
    session: &Session,
) -> Option<RenameOutcome> {
    let (_, target, person) = mention_at(analysis, position)?;
    let new_name = new_name.split_whitespace().collect::<Vec<_>>().join(" ");
    let (old, surname_first) = NameParts::of(person);
    let new = old.renamed(surname_first, target.form, &new_name);
    let positions = analysis.positions();
    let doc = &analysis.document;
    let annotate = session.document_changes && session.change_annotations;
    let mut edits: Vec<OneOf<TextEdit, AnnotatedTextEdit>> = Vec::new();
    let mut plain: Vec<TextEdit> = Vec::new();
    let mut skipped_in_quotes = 0;
    let mut n_quoted = 0;
    for idx in &person.mentions {
        let mention = &doc.mentions()[*idx as usize];
        let replacement = match mention.form {
            NameForm::Full => &new.full,
            NameForm::Surname => &new.surname,
            NameForm::Given => &new.given,
        };
        if replacement.is_empty() || **replacement == *mention.text {
            continue;
        }
        let text_edit = TextEdit::new(positions.range(mention.name), replacement.clone());
        let quoted = mention.in_quote || doc.is_quoted(mention.name);
        if quoted {
            if !annotate {
                skipped_in_quotes += 1;
                continue;
            }
            n_quoted += 1;
            edits.push(OneOf::Right(AnnotatedTextEdit {
                text_edit,
                annotation_id: QUOTED_ANNOTATION.to_string(),
            }));
        } else {
            plain.push(text_edit.clone());
            edits.push(OneOf::Left(text_edit));
        }
    }
    let edit = if session.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(analysis.version),
                },
                edits,
            }])),
            change_annotations: (n_quoted > 0).then(|| {
                HashMap::from([(
                    QUOTED_ANNOTATION.to_string(),
                    ChangeAnnotation {
                        label: "Inside a direct quotation".to_string(),
                        needs_confirmation: Some(true),
                        description: Some(format!(
                            "{n_quoted} mention{} inside quotations: quotations are verbatim, so change them only if the speaker's words were transcribed wrong",
                            if n_quoted == 1 { " is" } else { "s are" }
                        )),
                    },
                )])
            }),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), plain)])),
            ..WorkspaceEdit::default()
        }
    };
    Some(RenameOutcome {
        edit,
        skipped_in_quotes,
    })
}

/// After each direct quotation in `range`, who it is attributed to.
pub(crate) fn inlay_hints(analysis: &Analysis, range: lsp::Range) -> Vec<InlayHint> {
    let positions = analysis.positions();
    let wanted = positions.text_range(range);
    let doc = &analysis.document;
    let mut out = Vec::new();
    for quote in &analysis.quotes {
        let quotation = &doc.quotations[quote.quotation];
        let end = quotation.range().end();
        if end < wanted.start() || end > wanted.end() {
            continue;
        }
        let (label, tooltip) = match &quote.source {
            Some(Source::Person(person)) => {
                let person = &doc.people()[*person as usize];
                let title = title_of(analysis, person)
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default();
                (
                    person.full_name.clone(),
                    format!("copydesk attributes this quotation to {}{title}", person.full_name),
                )
            }
            Some(source @ Source::Described(_)) => {
                let label = attribution::label(doc, source);
                let tooltip = format!("copydesk attributes this quotation to “{label}”, not a named person");
                (label, tooltip)
            }
            None => (
                "unattributed".to_string(),
                "copydesk found no speaker for this quotation".to_string(),
            ),
        };
        out.push(InlayHint {
            position: positions.position(end),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(tooltip)),
            padding_left: Some(true),
            padding_right: Some(true),
            data: None,
        });
    }
    out
}

/// Counts of the draft's quotations: quotes, distinct sources, unattributed.
fn quote_counts(analysis: &Analysis) -> (usize, usize, usize) {
    let mut sources: Vec<&Source> = Vec::new();
    let mut n_unattributed = 0;
    for quote in &analysis.quotes {
        match &quote.source {
            Some(source) if !sources.contains(&source) => sources.push(source),
            Some(_) => {}
            None => n_unattributed += 1,
        }
    }
    (analysis.quotes.len(), sources.len(), n_unattributed)
}

pub(crate) fn quotes_summary(analysis: &Analysis) -> String {
    let (n_quotes, n_sources, n_unattributed) = quote_counts(analysis);
    format!(
        "{} from {n_sources} source{} · {n_unattributed} unattributed",
        quote_count(n_quotes),
        if n_sources == 1 { "" } else { "s" }
    )
}

pub(crate) fn code_lenses(analysis: &Analysis, uri: &Url) -> Vec<CodeLens> {
    vec![CodeLens {
        range: lsp::Range::default(),
        command: Some(Command {
            title: quotes_summary(analysis),
            command: LIST_QUOTES_COMMAND.to_string(),
            arguments: Some(vec![json!(uri)]),
        }),
        data: None,
    }]
}

/// The draft's direct quotations, for the command behind the code lens: a JSON list for the
/// client and a readable message.
pub(crate) fn list_quotes(analysis: &Analysis, uri: &Url) -> (Value, String) {
    let doc = &analysis.document;
    let positions = analysis.positions();
    let mut items = Vec::new();
    let mut by_speaker: BTreeMap<(bool, usize), (String, Vec<String>)> = BTreeMap::new();
    let mut order: Vec<Option<&Source>> = Vec::new();
    for quote in &analysis.quotes {
        let quotation = &doc.quotations[quote.quotation];
        let source = quote.source.as_ref();
        let name = source.map(|source| attribution::label(doc, source));
        let text = excerpt(analysis, quotation, 60);
        let line = line_of(analysis, quotation.range().start());
        items.push(json!({
            "speaker": name,
            "text": text,
            "location": Location::new(uri.clone(), positions.range(quotation.range())),
        }));
        let rank = match order.iter().position(|seen| *seen == source) {
            Some(rank) => rank,
            None => {
                order.push(source);
                order.len() - 1
            }
        };
        by_speaker
            .entry((source.is_none(), rank))
            .or_insert_with(|| (name.clone().unwrap_or_else(|| "Unattributed".to_string()), Vec::new()))
            .1
            .push(format!("line {line} {text}"));
    }
    let mut message = quotes_summary(analysis);
    for (name, quotes) in by_speaker.values() {
        message.push_str(&format!("\n{name} ({}): {}", quotes.len(), quotes.join(" · ")));
    }
    (Value::Array(items), message)
}
