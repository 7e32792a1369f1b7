//! Code actions: a quick fix per fix, "Ignore RULE on this line", and `source.fixAll.copydesk`.
//!
//! Clients that understand code action literals get `CodeAction`s with their edits (fix-all's
//! edit is computed on `codeAction/resolve` when the client can resolve edits); other clients
//! get `Command`s that the server carries out with `workspace/applyEdit`.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};
use tower_lsp::lsp_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, Command, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::server::Session;
use crate::document::{BlockKind, Document};
use crate::fix::{Applicability, Edit};
use crate::text::TextRange;

/// The kind of the fix-all source action.
pub(crate) const FIX_ALL_KIND: &str = "source.fixAll.copydesk";
/// Command applying a workspace edit (for clients without code action literals).
pub(crate) const APPLY_EDIT_COMMAND: &str = "copydesk.applyEdit";
/// Command applying every safe fix to a draft: arguments `[uri]`.
pub(crate) const FIX_ALL_COMMAND: &str = "copydesk.fixAll";

/// The code actions for a range of a draft.
pub(crate) fn code_actions(
    analysis: &Analysis,
    uri: &Url,
    range: lsp::Range,
    only: Option<&[CodeActionKind]>,
    session: &Session,
) -> Vec<CodeActionOrCommand> {
    let wants = |kind: &str| match only {
        None => true,
        Some(kinds) => kinds
            .iter()
            .any(|wanted| kind == wanted.as_str() || kind.starts_with(&format!("{}.", wanted.as_str()))),
    };
    let mut out = Vec::new();
    let positions = analysis.positions();
    let request = positions.text_range(range);
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        let mut ignores: Vec<CodeActionOrCommand> = Vec::new();
        let mut ignored: BTreeSet<(usize, &str)> = BTreeSet::new();
        for (idx, diagnostic) in analysis.result.diagnostics.iter().enumerate() {
            if !(diagnostic.range.start <= request.end && request.start <= diagnostic.range.end) {
                continue;
            }
            let lsp_diagnostic = analysis.diagnostics.get(idx).cloned();
            for fix in &diagnostic.fixes {
                if fix.edits.is_empty() {
                    continue;
                }
                let title = match fix.applicability {
                    Applicability::DisplayOnly => format!("{} (suggestion)", fix.title),
                    _ => fix.title.clone(),
                };
                let edit = workspace_edit(analysis, uri, &fix.edits, session);
                out.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    edit,
                    lsp_diagnostic.clone(),
                    fix.applicability == Applicability::Safe,
                    session,
                ));
            }
            let line = analysis.document.line_index.line_of(diagnostic.range.start());
            if ignored.insert((line, diagnostic.rule))
                && let Some(edit) = ignore_edit(&analysis.document, diagnostic.range.start(), diagnostic.rule)
            {
                ignores.push(action(
                    format!("Ignore {} on this line", diagnostic.rule),
                    CodeActionKind::QUICKFIX,
                    workspace_edit(analysis, uri, &[edit], session),
                    lsp_diagnostic,
                    false,
                    session,
                ));
            }
        }
        out.extend(ignores);
    }
    let has_safe_fix = analysis.result.diagnostics.iter().any(|diagnostic| {
        diagnostic
            .fixes
            .iter()
            .any(|fix| fix.applicability == Applicability::Safe)
    });
    if has_safe_fix && wants(FIX_ALL_KIND) {
        out.push(fix_all_action(analysis, uri, session));
    }
    out
}

fn action(
    title: String,
    kind: CodeActionKind,
    edit: WorkspaceEdit,
    diagnostic: Option<lsp::Diagnostic>,
    preferred: bool,
    session: &Session,
) -> CodeActionOrCommand {
    if !session.literal_code_actions {
        return CodeActionOrCommand::Command(Command {
            title,
            command: APPLY_EDIT_COMMAND.to_string(),
            arguments: Some(vec![serde_json::to_value(edit).unwrap_or(Value::Null)]),
        });
    }
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|diagnostic| vec![diagnostic]),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn fix_all_action(analysis: &Analysis, uri: &Url, session: &Session) -> CodeActionOrCommand {
    let title = "Fix all safe copydesk problems".to_string();
    if !session.literal_code_actions {
        return CodeActionOrCommand::Command(Command {
            title,
            command: FIX_ALL_COMMAND.to_string(),
            arguments: Some(vec![json!(uri)]),
        });
    }
    let mut action = CodeAction {
        title,
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        data: Some(json!({"uri": uri, "version": analysis.version, "kind": "fixAll"})),
        ..CodeAction::default()
    };
    if !session.resolve_edits {
        action.edit = fix_all_edit(analysis, uri, session);
    }
    CodeActionOrCommand::CodeAction(action)
}

/// Every safe fix, applied until nothing changes, as one versioned edit (when the client
/// takes versioned edits) made of one text edit per changed run of lines. `None` when
/// nothing changes.
pub(crate) fn fix_all_edit(analysis: &Analysis, uri: &Url, session: &Session) -> Option<WorkspaceEdit> {
    let text = analysis.text();
    let outcome = crate::fix_text(text, &analysis.config, Applicability::Safe);
    if outcome.text == text {
        return None;
    }
    let edits = line_edits(text, &outcome.text);
    Some(workspace_edit(analysis, uri, &edits, session))
}

/// The edits turning `old` into `new`, one per run of changed lines.
fn line_edits(old: &str, new: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_lines(old, new);
    let starts = |slices: &mut dyn Iterator<Item = &str>| {
        let mut starts = vec![0];
        let mut at = 0;
        for slice in slices {
            at += slice.len();
            starts.push(at);
        }
        starts
    };
    let old_starts = starts(&mut diff.iter_old_slices());
    let new_starts = starts(&mut diff.iter_new_slices());
    let mut edits: Vec<Edit> = Vec::new();
    for op in diff.ops() {
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let (old_range, new_range) = (op.old_range(), op.new_range());
        let range = TextRange::new(old_starts[old_range.start], old_starts[old_range.end]);
        let replacement = &new[new_starts[new_range.start]..new_starts[new_range.end]];
        match edits.last_mut() {
            Some(last) if last.range.end == range.start => {
                last.range = last.range.cover(range);
                last.text.push_str(replacement);
            }
            _ => edits.push(Edit::replace(range, replacement)),
        }
    }
    edits
}

/// Byte edits as a workspace edit for this version of the draft.
pub(crate) fn workspace_edit(analysis: &Analysis, uri: &Url, edits: &[Edit], session: &Session) -> WorkspaceEdit {
    let positions = analysis.positions();
    let text_edits: Vec<TextEdit> = edits
        .iter()
        .map(|edit| TextEdit::new(positions.range(edit.range), edit.text.clone()))
        .collect();
    if session.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(analysis.version),
                },
                edits: text_edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), text_edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// The edit that silences `rule` on the line holding `offset`, keeping the Markdown's shape:
/// - on a line that continues a paragraph or follows a paragraph or heading line, the
///   comment goes at the end of the line before, as inline HTML (a comment line there would
///   split the paragraph or end the list);
/// - otherwise on a line of its own before it, with the same indentation and `>` markers so a
///   block quote or nested list stays whole.
pub(crate) fn ignore_edit(doc: &Document, offset: usize, rule: &str) -> Option<Edit> {
    let comment = format!("<!-- copydesk-disable-next-line {rule} -->");
    let text = doc.text.as_str();
    let line = doc.line_index.line_of(offset);
    if line > 0 {
        let previous = doc.line_index.line_range(text, line - 1);
        let content = &text[previous.as_range()];
        let trimmed = content.trim_end();
        let is_underline = !trimmed.is_empty()
            && (trimmed.trim_start().chars().all(|c| c == '=') || trimmed.trim_start().chars().all(|c| c == '-'));
        if !trimmed.is_empty() && !is_underline {
            // Keep a backslash hard break last.
            let mut at = previous.start() + trimmed.len();
            if trimmed.ends_with('\\') {
                at -= 1;
            }
            let last_char = previous.start() + trimmed.len() - 1;
            if ends_in_prose_line(doc, last_char) && !doc.is_non_prose(TextRange::empty(at)) {
                let space = if at > previous.start() && !text[..at].ends_with(' ') {
                    " "
                } else {
                    ""
                };
                return Some(Edit::insert(at, format!("{space}{comment}")));
            }
        }
    }
    let line_range = doc.line_index.line_range(text, line);
    let line_text = &text[line_range.as_range()];
    let prefix_len = line_text
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '\t' | '>'))
        .map_or(line_text.len(), |(idx, _)| idx);
    let prefix = &line_text[..prefix_len];
    let after = &text[line_range.end()..];
    let newline = if after.starts_with("\r\n") {
        "\r\n"
    } else if after.starts_with('\r') {
        "\r"
    } else {
        "\n"
    };
    Some(Edit::insert(line_range.start(), format!("{prefix}{comment}{newline}")))
}

/// Whether the byte at `offset` belongs to a paragraph or an ATX heading.
fn ends_in_prose_line(doc: &Document, offset: usize) -> bool {
    let idx = doc.blocks.partition_point(|block| block.range.start() <= offset);
    let Some(block) = idx.checked_sub(1).map(|idx| &doc.blocks[idx]) else {
        return false;
    };
    offset < block.range.end() && matches!(block.kind, BlockKind::Paragraph | BlockKind::Heading(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(text: &str, needle: &str) -> String {
        let doc = Document::new(text);
        let offset = text.find(needle).unwrap();
        let edit = ignore_edit(&doc, offset, "repeated-word").unwrap();
        let (out, _) = crate::fix::apply_fixes(text, [&crate::Fix::safe("t", vec![edit])]);
        out
    }

    #[test]
    fn ignore_comment_keeps_paragraphs_lists_and_quotes_whole() {
        assert_eq!(
            ignored("Intro line\nthe the end\n", "the the"),
            "Intro line <!-- copydesk-disable-next-line repeated-word -->\nthe the end\n"
        );
        assert_eq!(
            ignored("# Title\n\nthe the end\n", "the the"),
            "# Title\n\n<!-- copydesk-disable-next-line repeated-word -->\nthe the end\n"
        );
        assert_eq!(
            ignored("> quoted the the\r\n", "the the"),
            "> <!-- copydesk-disable-next-line repeated-word -->\r\n> quoted the the\r\n"
        );
        assert_eq!(
            ignored("- one\n- two the the\n", "the the"),
            "- one <!-- copydesk-disable-next-line repeated-word -->\n- two the the\n"
        );
        assert_eq!(
            ignored("Title\n=====\nthe the\n", "the the"),
            "Title\n=====\n<!-- copydesk-disable-next-line repeated-word -->\nthe the\n"
        );
        assert_eq!(
            ignored("Hard break\\\nthe the\n", "the the"),
            "Hard break <!-- copydesk-disable-next-line repeated-word -->\\\nthe the\n"
        );
    }

    #[test]
    fn the_ignore_comment_silences_the_finding() {
        for text in [
            "Intro line\nthe the end\n",
            "the the end\n",
            "> quoted the the\n",
            "- one\n- two the the\n",
            "1. one\n\n   two the the\n",
        ] {
            let config = crate::Config::default();
            let (_, before) = crate::lint_text(text, &config);
            assert_eq!(before.diagnostics.len(), 1, "{text}");
            let fixed = ignored(text, "the the");
            let (_, after) = crate::lint_text(&fixed, &config);
            assert!(after.diagnostics.is_empty(), "{fixed:?}: {:?}", after.diagnostics);
        }
    }
}
