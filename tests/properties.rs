//! Property tests: drafts assembled from the pieces news copy and Markdown are made of
//! (names, quotation marks, punctuation, markup, code, emoji, CRLF, invisible characters)
//! must lint without panicking, with well-formed fixes that converge. See
//! `copydesk::invariants` for the checks; the fuzz targets in `fuzz/` run the same checks on
//! arbitrary bytes. `PROPTEST_CASES=20000 cargo test --release --test properties` runs longer.

use proptest::prelude::*;

const PIECES: &[&str] = &[
    "The ",
    "the ",
    "council ",
    "said ",
    "Mayor ",
    "Ana Reyes ",
    "Reyes ",
    "Foreign Minister ",
    "Lee Jae-sun ",
    "Sen. ",
    "U.S. ",
    "US ",
    "e-mail ",
    "a ",
    "an ",
    "important ",
    "hour ",
    "TK ",
    "Federal. ",
    "Ã© ",
    "â€™",
    "\"",
    "“",
    "”",
    "'",
    "‘",
    "’",
    ",",
    ".",
    ". ",
    ", ",
    " ,",
    "?",
    "!",
    ":",
    ";",
    "(",
    ")",
    "[",
    "]",
    "—",
    "…",
    "\n",
    "\n\n",
    "\r\n",
    "\n> ",
    "\n- ",
    "\n1. ",
    "# ",
    "## ",
    "`code` ",
    "\n```\ncode \"x\" the the\n```\n",
    "*",
    "**",
    "_",
    "[link](https://example.com/a.b) ",
    "<!-- copydesk-disable -->",
    "<!-- copydesk-enable -->",
    "<br>",
    "&amp;",
    "\\*",
    "🙂",
    "e\u{301}",
    "\u{200b}",
    "\u{a0}",
    "\u{ad}",
    "\t",
    "  ",
    "---\ntitle: x\n---\n",
    "Ms. ",
    "Mr. ",
    "told reporters ",
    "according to ",
    "\"We will win,\" she said. ",
    "said said ",
    "'90s ",
    "don't ",
    "Jones’ ",
    "6'2\" ",
    "10 percent ",
    "per cent ",
    "| a | b |\n| - | - |\n| c | d |\n",
];

fn draft() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn any_draft_keeps_the_invariants(text in draft()) {
        if let Err(violation) = copydesk::invariants::check(&text) {
            prop_assert!(false, "{violation}\ndraft: {text:?}");
        }
    }

    #[test]
    fn arbitrary_unicode_keeps_the_invariants(text in "\\PC{0,200}") {
        if let Err(violation) = copydesk::invariants::check(&text) {
            prop_assert!(false, "{violation}\ndraft: {text:?}");
        }
    }
}

/// A draft and an edit to it: a range of pieces replaced by other pieces.
fn draft_and_edit() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec(prop::sample::select(PIECES), 0..60),
        any::<prop::sample::Index>(),
        0usize..4,
        prop::collection::vec(prop::sample::select(PIECES), 0..4),
    )
        .prop_map(|(pieces, at, removed, inserted)| {
            let before = pieces.concat();
            let start = if pieces.is_empty() { 0 } else { at.index(pieces.len()) };
            let end = (start + removed).min(pieces.len());
            let mut after_pieces: Vec<&str> = pieces[..start].to_vec();
            after_pieces.extend(inserted);
            after_pieces.extend_from_slice(&pieces[end..]);
            (before, after_pieces.concat())
        })
}

proptest! {
    /// Reusing the previous version's analysis gives exactly the analysis from scratch.
    #[test]
    fn reusing_a_previous_version_changes_nothing((before, after) in draft_and_edit()) {
        let previous = copydesk::Document::new(before.as_str());
        let reused = copydesk::Document::reusing(after.as_str(), &previous);
        let fresh = copydesk::Document::new(after.as_str());
        prop_assert_eq!(format!("{:?}", reused.tokens), format!("{:?}", fresh.tokens));
        prop_assert_eq!(format!("{:?}", reused.sentences), format!("{:?}", fresh.sentences));
        prop_assert_eq!(format!("{:?}", reused.mentions), format!("{:?}", fresh.mentions));
        prop_assert_eq!(format!("{:?}", reused.quote_infos), format!("{:?}", fresh.quote_infos));
        let config = copydesk::invariants::all_rules();
        prop_assert_eq!(copydesk::lint(&reused, &config).diagnostics, copydesk::lint(&fresh, &config).diagnostics);
    }
}
