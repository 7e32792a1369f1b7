//! Fuzz target 3: a sequence of LSP content changes (ranges in UTF-16 or UTF-8, emoji, CRLF
//! and lone CR, combining marks, positions out of range or inside a character, reversed
//! ranges, whole-text replacements) applied to the server's rope gives the same text as
//! applying them to a `String`, and the same diagnostics as opening the final text from
//! scratch. The check is `tests/lsp/edit_model.rs`, shared with the property test.
//!
//! The input is read with `arbitrary::Unstructured`: the encoding, the initial text, then
//! changes until the input runs out. Texts are pieces from a palette (the characters that
//! make positions hard) or raw UTF-8 from the input; positions are mostly near the current
//! text (so they land inside it, often mid-character) and sometimes anywhere. The seeds in
//! `fuzz/seeds/edits` are written by `fuzz/edits_seeds.py`, which encodes edit scripts in
//! this format.

#![no_main]

#[path = "../../tests/lsp/edit_model.rs"]
mod edit_model;

use std::sync::LazyLock;

use copydesk::lsp::convert::Encoding;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

const MAX_CHANGES: usize = 32;

/// `COPYDESK_FUZZ_SHOW=1 target/x86_64-unknown-linux-gnu/release/edits FILE` prints what an
/// input decodes to (for reading a crash or checking a seed).
static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("COPYDESK_FUZZ_SHOW").is_some());

fn text(u: &mut Unstructured, max_pieces: usize) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=max_pieces)? {
        if u.ratio(1, 6)? {
            let raw: &str = u.arbitrary()?;
            out.push_str(&raw[..raw.floor_char_boundary(12)]);
        } else {
            out.push_str(u.choose(edit_model::PIECES)?);
        }
    }
    Ok(out)
}

/// A position in `text`: a line up to one past the last, a character up to a little past the
/// line's end (in the agreed unit), or, one time in eight, any numbers at all.
fn position(u: &mut Unstructured, text: &str, encoding: Encoding) -> Result<Position> {
    if u.ratio(1, 8)? {
        return Ok(Position::new(u.arbitrary()?, u.arbitrary()?));
    }
    let lines = edit_model::lines(text);
    let line = u.int_in_range(0..=lines.len())?;
    let width = lines
        .get(line)
        .map_or(0, |&(start, end)| edit_model::units(&text[start..end], encoding));
    let character = u.int_in_range(0..=width + 2)?;
    Ok(Position::new(line as u32, character as u32))
}

fn change(u: &mut Unstructured, current: &str, encoding: Encoding) -> Result<TextDocumentContentChangeEvent> {
    if u.ratio(1, 16)? {
        return Ok(TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text(u, 24)?,
        });
    }
    let start = position(u, current, encoding)?;
    let end = if u.ratio(1, 4)? {
        // Anywhere: sometimes before the start.
        position(u, current, encoding)?
    } else {
        let lines: u32 = u.int_in_range(0..=2)?;
        let characters: u32 = u.int_in_range(0..=8)?;
        if lines == 0 {
            Position::new(start.line, start.character.saturating_add(characters))
        } else {
            Position::new(start.line.saturating_add(lines), characters)
        }
    };
    Ok(TextDocumentContentChangeEvent {
        range: Some(Range::new(start, end)),
        range_length: None,
        text: text(u, 4)?,
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(utf8) = u.arbitrary::<bool>() else { return };
    let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let Ok(initial) = text(&mut u, 40) else { return };
    let mut current = initial.clone();
    let mut changes = Vec::new();
    while !u.is_empty() && changes.len() < MAX_CHANGES {
        let Ok(change) = change(&mut u, &current, encoding) else {
            break;
        };
        edit_model::apply(&mut current, &change, encoding);
        changes.push(change);
    }
    if *SHOW {
        eprintln!("{encoding:?}\ninitial: {initial:?}\nchanges: {changes:#?}\nfinal: {current:?}");
    }
    if let Err(difference) = edit_model::check(&initial, &changes, encoding) {
        panic!("{difference}\ninitial: {initial:?}\nchanges: {changes:?}\n{encoding:?}");
    }
});
