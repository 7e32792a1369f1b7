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
