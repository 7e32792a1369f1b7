//! `stray-punctuation`: doubled, orphaned or misplaced punctuation.

use super::{Context, Rule, RuleMeta, declare_rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Block, Document, Token, TokenKind};
use crate::fix::{Edit, Fix};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Finds punctuation left behind by cutting and pasting:
    /// - a space before a comma, period, semicolon, colon, question or exclamation mark ("the plan ,");
    /// - two marks in a row where one is meant (". ," ",," ",." ";;" "..");
    /// - a space inside parentheses or brackets ("( the plan )");
    /// - a parenthesis or bracket that is never closed, or closed without being opened,
    ///   reported as `unclosed-bracket` (an error: the reader cannot tell where the aside ends).
    ///
    /// ## Why is this bad?
    /// Orphaned punctuation is the trace of an edit that went wrong; readers see it at once.
    ///
    /// ## Example
    /// ```markdown
    /// The talks stalled across the border. , and the ministry said nothing .
    /// ```
    /// Use instead:
    /// ```markdown
    /// The talks stalled across the border, and the ministry said nothing.
    /// ```
    ///
    /// ## Not flagged
    /// An ellipsis with spaces around it ("we will ... win"), punctuation inside code,
    /// abbreviations followed by a comma ("Acme Inc., the company"), list markers ("1)",
    /// "a)") and emoticons (":)") that close nothing.
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the stray space or the extra mark. Where a period and a comma
    /// meet, it keeps the comma when the next word is lowercase and the period otherwise.
    /// An unclosed bracket has no fix: only the writer knows where the aside ends.
    pub(crate) struct StrayPunctuation;
    id = "stray-punctuation",
    summary = "Doubled, orphaned or misplaced punctuation",
    severity = Warning,
    fix = Sometimes,
    also_reports = &["unclosed-bracket"],
    per_block = true,
}

/// The id under which unbalanced brackets are reported.
const UNCLOSED_BRACKET: &str = "unclosed-bracket";

fn is_clause_mark(text: &str) -> bool {
    matches!(text, "," | "." | ";" | ":")
}

impl Rule for StrayPunctuation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_block(&self, context: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        let doc = context.doc;
        let tokens = &doc.tokens[block.tokens.clone()];
        let prose = block.prose.as_bytes();
        let first_finding = out.len();
        // Whether a mark starts with a bracket: without one there is no bracket token to match.
        let mut has_bracket = false;
        let mut skip_until = 0;
        let mut next_mark = 0;
        // From one punctuation token to the next, passing over the others (seven in eight) in
        // a tight loop.
        while let Some(skipped) = tokens[next_mark..]
            .iter()
            .position(|token| token.kind == TokenKind::Punct)
        {
            let i = next_mark + skipped;
            next_mark = i + 1;
            let token = &tokens[i];
            let bytes = &prose[token.prose.as_range()];
            has_bracket |= matches!(bytes.first(), Some(b'(' | b'[' | b'{' | b')' | b']' | b'}'));
            if i < skip_until {
                continue;
            }
            // What each mark needs to be reported below, from its bytes and its neighbours
            // alone, before its text: most commas and periods follow a word and precede one.
            let after_space = i > 0 && token.space_before;
            let may_be_stray = match bytes {
                // Doubled, or after a space.
                [b',' | b'.' | b';' | b':'] => {
                    after_space || tokens.get(i + 1).is_some_and(|next| next.kind == TokenKind::Punct)
                }
                [b'?' | b'!'] => after_space,
                [b'(' | b'[' | b')' | b']'] | b".." => true,
                _ => false,
            };
            if !may_be_stray {
                continue;
            }
            let text = doc.token_text(token);
            let next = tokens.get(i + 1);
            // Two clause marks in a row: ". ," ",," ",." ";;".
            if is_clause_mark(text)
                && let Some(next) = next
                && next.kind == TokenKind::Punct
                && is_clause_mark(doc.token_text(next))
            {
                out.push(doubled(doc, tokens, i));
                skip_until = i + 2;
                continue;
            }
            if text == ".." {
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Severity::Warning,
                        token.range,
                        "Two periods where one is meant",
                    )
                    .with_fix(Fix::safe(
                        "Remove the extra period",
                        vec![Edit::delete(TextRange::new(
                            token.range.start(),
                            token.range.start() + 1,
                        ))],
                    )),
                );
                continue;
            }
            if let Some(diagnostic) = space_inside_brackets(doc, tokens, i, text) {
                out.push(diagnostic);
            }
            if i > 0
                && token.space_before
                && is_spaced_mark(text)
                && let Some(diagnostic) = space_before(doc, &tokens[i - 1], token, text)
            {
                out.push(diagnostic);
            }
        }
        if has_bracket {
            // The brackets' findings come first, as when they were looked for first.
            let others = out.len() - first_finding;
            unbalanced_brackets(doc, tokens, out);
            out[first_finding..].rotate_left(others);
        }
    }
}

/// A space after an opening or before a closing parenthesis or bracket: "( the plan )".
fn space_inside_brackets(doc: &Document, tokens: &[Token], i: usize, text: &str) -> Option<Diagnostic> {
    let token = &tokens[i];
    let (gap, message, title) = match text {
        "(" | "[" => {
            let next = tokens.get(i + 1)?;
            if !next.space_before || next.newline_before || matches!(doc.token_text(next), ")" | "]") {
                return None;
            }
            (
                TextRange::new(token.range.end(), next.range.start()),
                format!("Space after \"{text}\""),
                format!("Remove the space after \"{text}\""),
            )
        }
        ")" | "]" => {
            let prev = tokens.get(i.checked_sub(1)?)?;
            if !token.space_before || token.newline_before || matches!(doc.token_text(prev), "(" | "[") {
                return None;
            }
            (
                TextRange::new(prev.range.end(), token.range.start()),
                format!("Space before \"{text}\""),
                format!("Remove the space before \"{text}\""),
            )
        }
        _ => return None,
    };
    let diagnostic = Diagnostic::new(StrayPunctuation::META.id, Severity::Warning, gap, message);
    let spaces = doc.slice(gap);
    Some(if !spaces.is_empty() && spaces.bytes().all(|b| b == b' ') {
        diagnostic.with_fix(Fix::safe(title, vec![Edit::delete(gap)]))
    } else {
        diagnostic
    })
}

/// Parentheses and brackets of one block that are never closed, or closed without being opened.
fn unbalanced_brackets(doc: &Document, tokens: &[Token], out: &mut Vec<Diagnostic>) {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut unmatched = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != TokenKind::Punct {
            continue;
        }
        let text = doc.token_text(token);
        let closing_for = match text {
            "(" | "[" | "{" => {
                open.push((i, text.chars().next().unwrap_or('(')));
                continue;
            }
            ")" => '(',
            "]" => '[',
            "}" => '{',
            _ => continue,
        };
        if let Some(pos) = open.iter().rposition(|(_, ch)| *ch == closing_for) {
            // Brackets opened after the matching one and never closed stay reported.
            unmatched.extend(open.drain(pos..).skip(1).map(|(idx, _)| idx));
            continue;
        }
        if !is_list_marker_or_emoticon(doc, tokens, i) {
            unmatched.push(i);
        }
    }
    unmatched.extend(open.into_iter().map(|(idx, _)| idx));
    unmatched.sort_unstable();
    for idx in unmatched {
        let token = &tokens[idx];
        let text = doc.token_text(token);
        let message = match text {
            "(" => "Parenthesis opened but never closed",
            "[" => "Bracket opened but never closed",
            "{" => "Brace opened but never closed",
            ")" => "Parenthesis closed but never opened",
            "]" => "Bracket closed but never opened",
            _ => "Brace closed but never opened",
        };
        out.push(Diagnostic::new(UNCLOSED_BRACKET, Severity::Error, token.range, message));
    }
}

/// "1)", "a)" and ":)" close nothing on purpose.
fn is_list_marker_or_emoticon(doc: &Document, tokens: &[Token], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|p| &tokens[p]) else {
        return false;
    };
    if tokens[i].space_before {
        return false;
    }
    let prev_text = doc.token_text(prev);
    match prev.kind {
        TokenKind::Number => prev_text.len() <= 2,
        TokenKind::Word => prev_text.chars().count() == 1,
        TokenKind::Punct => matches!(prev_text, ":" | ";" | "-" | "="),
        _ => false,
    }
}

fn is_spaced_mark(text: &str) -> bool {
    matches!(text, "," | "." | ";" | ":" | "?" | "!")
}

fn space_before(doc: &Document, prev: &Token, token: &Token, text: &str) -> Option<Diagnostic> {
    if prev.kind == TokenKind::Placeholder {
        return None;
    }
    let gap = TextRange::new(prev.range.end(), token.range.start());
    let gap_text = doc.slice(gap);
    let name = mark_name(text);
    let mut diagnostic = Diagnostic::new(
        StrayPunctuation::META.id,
        Severity::Warning,
        TextRange::new(prev.range.end(), token.range.end()),
        format!("Space before {name}"),
    );
    // Remove only the whitespace right before the mark, never markup or a line break.
    let spaces = gap_text.len() - gap_text.trim_end_matches([' ', '\t', '\u{a0}']).len();
    if spaces > 0 && !gap_text.contains('\n') {
        let start = token.range.start() - spaces;
        diagnostic = diagnostic.with_fix(Fix::safe(
            format!("Remove the space before the {name}"),
            vec![Edit::delete(TextRange::new(start, token.range.start()))],
        ));
    }
    Some(diagnostic)
}

fn mark_name(text: &str) -> &'static str {
    match text {
        "," => "comma",
        "." => "period",
        ";" => "semicolon",
        ":" => "colon",
        "?" => "question mark",
        "!" => "exclamation mark",
        _ => "punctuation",
    }
}

/// Two clause marks in a row: keep one, delete the other and the space between.
fn doubled(doc: &Document, tokens: &[Token], i: usize) -> Diagnostic {
    let (first, second) = (&tokens[i], &tokens[i + 1]);
    let (a, b) = (doc.token_text(first), doc.token_text(second));
    let range = first.range.cover(second.range);
    let pair = if second.space_before {
        format!("{a} {b}")
    } else {
        format!("{a}{b}")
    };
    let next_lowercase = tokens
        .get(i + 2)
        .is_some_and(|next| doc.token_text(next).starts_with(char::is_lowercase));
    // Keep a period that ends the pair; where a period comes first, keep the comma before a
    // lowercase word ("border, and") and the period otherwise; else keep the first mark.
    let keep_second = if a == b {
        false
    } else if b == "." {
        true
    } else if a == "." {
        next_lowercase
    } else {
        false
    };
    let (delete, kept) = if keep_second {
        (TextRange::new(first.range.start(), second.range.start()), b)
    } else {
        (TextRange::new(first.range.end(), second.range.end()), a)
    };
    let message = if a == b {
        format!("Doubled punctuation \"{pair}\"")
    } else {
        format!("Stray punctuation \"{pair}\"")
    };
    let mut diagnostic = Diagnostic::new(StrayPunctuation::META.id, Severity::Warning, range, message);
    let gap = doc.slice(TextRange::new(first.range.end(), second.range.start()));
    if gap.chars().all(|c| c == ' ') {
        diagnostic = diagnostic.with_fix(Fix::safe(
            format!("Keep only the \"{kept}\""),
            vec![Edit::delete(delete)],
        ));
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixed, check};

    const ID: &str = "stray-punctuation";

    #[test]
    fn space_before_marks() {
        assert_eq!(
            check(ID, "The plan , which failed, was costly .\n"),
            "1:9-1:11 warning Space before comma [safe: Remove the space before the comma]\n1:36-1:38 warning Space before period [safe: Remove the space before the period]\n"
        );
        assert_fixed(
            ID,
            "The plan , which failed, was costly .\n",
            "The plan, which failed, was costly.\n",
        );
    }

    #[test]
    fn orphaned_and_doubled_marks() {
        assert_fixed(
            ID,
            "It stalled across the border. , and the talks resumed.\n",
            "It stalled across the border, and the talks resumed.\n",
        );
        assert_fixed(
            ID,
            "It stalled. , The talks resumed.\n",
            "It stalled. The talks resumed.\n",
        );
        assert_fixed(ID, "First,, second;; third,. Done..\n", "First, second; third. Done.\n");
    }

    #[test]
    fn spaces_inside_brackets() {
        assert_fixed(
            ID,
            "The vote ( held Monday ) passed.\n",
            "The vote (held Monday) passed.\n",
        );
        assert_fixed(ID, "It ended,. Then;; it resumed.\n", "It ended. Then; it resumed.\n");
    }

    #[test]
    fn unbalanced_brackets_are_errors() {
        assert_eq!(
            check("unclosed-bracket", "The vote (held Monday passed.\n"),
            "1:10-1:11 error Parenthesis opened but never closed\n"
        );
        assert_eq!(
            check("unclosed-bracket", "The vote held Monday) passed. A [note.\n"),
            "1:21-1:22 error Parenthesis closed but never opened\n1:33-1:34 error Bracket opened but never closed\n"
        );
        assert_clean(
            "unclosed-bracket",
            "Options: 1) raise taxes, 2) cut costs, a) or b). Great :) (Really [sic].)\n",
        );
        assert_clean(
            "unclosed-bracket",
            "The plan (first floated in 2019\nand revised) passed.\n",
        );
    }

    #[test]
    fn clean_copy_stays_silent() {
        assert_clean(ID, "Acme Inc., the company, said the U.S. economy grew 3.5 percent.\n");
        assert_clean(ID, "\"We will win,\" she said. \"Why?\" he asked.\n");
        assert_clean(ID, "We will ... win. Wait...\n");
        assert_clean(ID, "Run `ls ,` here: it works.\n");
        assert_clean(ID, "The vote (held Monday) passed; the mayor's plan: approved!\n");
    }
}
