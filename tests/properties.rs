//! Property tests: drafts assembled from the pieces news copy and Markdown are made of
//! (names, quotation marks, punctuation, markup, code, emoji, CRLF, invisible characters)
//! must lint without panicking, with well-formed fixes that converge. See
//! `copydesk::invariants` for the checks; the fuzz targets in `fuzz/` run the same checks on
//! arbitrary bytes. `PROPTEST_CASES=20000 cargo test --release --test properties` runs longer.
//!
//! Property 3: LSP edits (ranges in UTF-16 or UTF-8, out of range or inside a character)
//! applied to the server's rope give the text and the diagnostics of the final text opened
//! from scratch; the check is in `lsp/edit_model.rs`, shared with the fuzz target `edits`.

#[path = "lsp/edit_model.rs"]
mod edit_model;

use copydesk::lsp::convert::Encoding;
use copydesk::text::unchanged_ends;
use proptest::prelude::*;
use tower_lsp::lsp_types::TextDocumentContentChangeEvent;

const PIECES: &[&str] = &[
    "The ",
    "the ",
    "council ",
    "said ",
    "Mayor ",
    "Ana Reyes ",
    "Reyes ",
    // Other spellings of the same people (name variants), and a person of their own.
    "Anna Reyes ",
    "Ana Reyez ",
    "José Pérez ",
    "Jose Perez ",
    "Foreign Minister ",
    "Lee Jae-sun ",
    "Lee Jae-seon ",
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
    "<!--",
    "-->",
    ">",
    "-",
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

fn edit_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(edit_model::PIECES), 0..max).prop_map(|pieces| pieces.concat())
}

/// A line or character: mostly small, so it lands inside the text, sometimes far out.
fn coordinate(small: u32) -> impl Strategy<Value = u32> {
    prop_oneof![8 => 0..small, 1 => small..1_000, 1 => Just(u32::MAX)]
}

fn change() -> impl Strategy<Value = TextDocumentContentChangeEvent> {
    // The end is anywhere (so sometimes before the start) or a little after the start.
    let end = prop_oneof![
        (coordinate(6), coordinate(24)).prop_map(|(line, character)| (false, line, character)),
        (0..2u32, 0..12u32).prop_map(|(lines, characters)| (true, lines, characters)),
    ];
    let ranged = (coordinate(6), coordinate(24), end, edit_text(5)).prop_map(|(l1, c1, (relative, l2, c2), text)| {
        let end = if relative {
            (l1.saturating_add(l2), if l2 == 0 { c1.saturating_add(c2) } else { c2 })
        } else {
            (l2, c2)
        };
        edit_model::ranged((l1, c1), end, &text)
    });
    let whole = edit_text(30).prop_map(|text| TextDocumentContentChangeEvent {
        range: None,
        range_length: None,
        text,
    });
    prop_oneof![12 => ranged, 1 => whole]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![Just(Encoding::Utf16), Just(Encoding::Utf8)]
}

proptest! {
    #[test]
    fn edits_on_the_rope_match_the_final_text(
        initial in edit_text(40),
        changes in prop::collection::vec(change(), 0..16),
        encoding in encoding(),
    ) {
        if let Err(difference) = edit_model::check(&initial, &changes, encoding) {
            prop_assert!(false, "{difference}\ninitial: {initial:?}\nchanges: {changes:?}\n{encoding:?}");
        }
    }
}

/// A draft and an edit to it: a range of pieces replaced by other pieces.
fn draft_and_edit() -> impl Strategy<Value = (String, String)> {
    edited(prop::sample::select(PIECES))
}

/// A draft of up to 60 pieces and the same draft with a range of up to three of its pieces
/// replaced by up to three others.
fn edited(piece: impl Strategy<Value = &'static str> + Clone) -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec(piece.clone(), 0..60),
        any::<prop::sample::Index>(),
        0usize..4,
        prop::collection::vec(piece, 0..4),
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
        let config = copydesk::invariants::all_rules();
        let previous = copydesk::Document::new(before.as_str());
        // Linted first, as the server does, so that what the rules computed on it (the name
        // variants) is there to be carried over.
        let previous_findings = copydesk::lint(&previous, &config);
        let reused = copydesk::Document::reusing(after.as_str(), &previous);
        let fresh = copydesk::Document::new(after.as_str());
        prop_assert_eq!(reused.name_variants(), fresh.name_variants());
        prop_assert_eq!(format!("{:?}", reused.quote_marks), format!("{:?}", fresh.quote_marks));
        prop_assert_eq!(format!("{:?}", reused.quotations), format!("{:?}", fresh.quotations));
        prop_assert_eq!(format!("{:?}", reused.unbalanced_quotes), format!("{:?}", fresh.unbalanced_quotes));
        prop_assert_eq!(format!("{:?}", reused.tokens), format!("{:?}", fresh.tokens));
        prop_assert_eq!(format!("{:?}", reused.sentences), format!("{:?}", fresh.sentences));
        prop_assert_eq!(format!("{:?}", reused.mentions()), format!("{:?}", fresh.mentions()));
        prop_assert_eq!(format!("{:?}", reused.people()), format!("{:?}", fresh.people()));
        prop_assert_eq!(format!("{:?}", reused.quote_infos()), format!("{:?}", fresh.quote_infos()));
        let fresh_findings = copydesk::lint(&fresh, &config).diagnostics;
        prop_assert_eq!(&copydesk::lint(&reused, &config).diagnostics, &fresh_findings);
        // Rules that look at one block at a time keep the unchanged blocks' findings.
        let kept = copydesk::lint_reusing(&reused, &config, Some(&previous_findings));
        prop_assert_eq!(&kept.diagnostics, &fresh_findings);
    }
}

/// Edits that change one thing linking people reads (a name's letters, a speech verb next to
/// a single name, a title, an organization word, an age) while the rest stays put: the next
/// version must not take the previous version's people and links.
#[test]
fn an_edit_that_changes_what_links_people_is_not_reused() {
    let pairs = [
        (
            "Ana Reyes spoke.\n\nReyes said no.\n",
            "Ana Reyez spoke.\n\nReyes said no.\n",
        ),
        (
            "Ana Reyes arrived.\n\nLater Reyez said yes.\n",
            "Ana Reyes arrived.\n\nLater Reyez sand yes.\n",
        ),
        (
            "Ana Reyes arrived.\n\nLater Reyez sand yes.\n",
            "Ana Reyes arrived.\n\nLater Reyez said yes.\n",
        ),
        (
            "Mayor Lopez spoke.\n\nLopez left.\n",
            "Major Lopez spoke.\n\nLopez left.\n",
        ),
        (
            "Reyes Group grew.\n\nReyes left.\n",
            "Reyes Grope grew.\n\nReyes left.\n",
        ),
        (
            "Lopez, 45, said yes.\n\nLopez left.\n",
            "Lopez, 4x, said yes.\n\nLopez left.\n",
        ),
        (
            "Ana Reyes and Ana Reyes.\n\nReyes.\n",
            "Ana Reyes and Ann Reyes.\n\nReyes.\n",
        ),
        ("Ms. Reyes spoke.\n\nReyes left.\n", "Mr. Reyes spoke.\n\nReyes left.\n"),
        // A full name given or taken away elsewhere decides which single words in an
        // unchanged block name someone.
        ("Reyes spoke.\n\nThe council met.\n", "Reyes spoke.\n\nAna Reyes met.\n"),
        (
            "Reyez said no.\n\nAna Reyes met.\n",
            "Reyez said no.\n\nAna Lopez met.\n",
        ),
        (
            "Reyez said no.\n\nAna Reyes met.\n",
            "Reyez said no.\n\nAna Reyes met. Tom Becker too.\n",
        ),
    ];
    for_each_edit_both_ways(&pairs, |a, b, reused, fresh| {
        assert_eq!(
            format!("{:?}", reused.mentions()),
            format!("{:?}", fresh.mentions()),
            "mentions after {a:?} -> {b:?}"
        );
        assert_eq!(
            format!("{:?}", reused.people()),
            format!("{:?}", fresh.people()),
            "people after {a:?} -> {b:?}"
        );
    });
}

/// Runs `check` on every edit of `pairs`, each made both ways, with the version built reusing
/// the one before the edit and the version built from scratch.
fn for_each_edit_both_ways(
    pairs: &[(&str, &str)],
    check: impl Fn(&str, &str, &copydesk::Document, &copydesk::Document),
) {
    for &(before, after) in pairs {
        for (a, b) in [(before, after), (after, before)] {
            let previous = copydesk::Document::new(a);
            // People are found on first use; the server has always found them before the
            // next version is built.
            previous.complete();
            let reused = copydesk::Document::reusing(b, &previous);
            let fresh = copydesk::Document::new(b);
            check(a, b, &reused, &fresh);
        }
    }
}

/// Markdown that [`markdown::reparse`] can cut (paragraphs and headings after blank lines)
/// mixed with what it must not take apart: list items, quotes, indented lines, fences,
/// HTML, link definitions, tables, setext underlines and line endings of both kinds.
/// Prose that [`markdown::reparse`] can cut: paragraphs and headings after blank lines.
const PARAGRAPH_PIECES: &[&str] = &[
    "Reyes said ",
    "the plan ",
    "Ana ",
    "x",
    ".",
    "\n",
    "\n\n",
    "\n\n",
    "\r\n\r\n",
    "# ",
    "\"",
    "“",
    "(",
];

/// Markdown it must not take apart: list items, quotes, indented lines, fences, HTML, link
/// and footnote definitions, tables, setext underlines, front matter, CRLF.
const MARKDOWN_PIECES: &[&str] = &[
    "## ",
    "- ",
    "* ",
    "1. ",
    "2026 ",
    "> ",
    "    ",
    "  ",
    "\t",
    "\r\n",
    "*",
    "_",
    "**",
    "---",
    "===",
    "...",
    "\\",
    "&amp;",
    "<!-- copydesk-disable -->",
    "<div>\n",
    "[a]: /b\n",
    "[a] ",
    "[^1]: note\n",
    "```\n",
    "~~~\n",
    "| a | b |\n| - | - |\n",
    "---\ntitle: x\n---\n",
];

fn markdown_piece() -> impl Strategy<Value = &'static str> + Clone {
    prop_oneof![
        6 => prop::sample::select(PARAGRAPH_PIECES),
        1 => prop::sample::select(MARKDOWN_PIECES),
    ]
}

fn markdown_and_edit() -> impl Strategy<Value = (String, String)> {
    edited(markdown_piece())
}

/// A prose map as text, for comparing two of them.
fn prose_map_text(map: &copydesk::document::markdown::ProseMap) -> String {
    let mut non_prose = map.non_prose.clone();
    non_prose.sort_by_key(|range| (range.start, range.end));
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        map.blocks, map.front_matter, map.directives, non_prose
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]
    /// Parsing only the part of a draft an edit changed gives what parsing it all gives.
    #[test]
    fn reparsing_an_edit_equals_parsing_it((before, after) in markdown_and_edit()) {
        use copydesk::document::markdown;
        let previous = copydesk::Document::new(before.as_str());
        let previous_map = previous.prose_map();
        if let Some(reparsed) = markdown::reparse(&after, &previous_map, unchanged_ends(&before, &after)) {
            prop_assert_eq!(prose_map_text(&reparsed), prose_map_text(&markdown::parse(&after)));
        }
    }
}

/// The reparse property above is not vacuous: on typical edits between paragraphs the window
/// is cut and parsed alone.
#[test]
fn typing_in_a_paragraph_reparses_only_around_it() {
    use copydesk::document::markdown;
    let before = "# Budget vote\n\nReyes said the plan works.\n\nBecker said no.\n\n- a list\n\nThe end.\n";
    let cases = [
        "# Budget vote\n\nReyes said the plan works well.\n\nBecker said no.\n\n- a list\n\nThe end.\n",
        "# Budget votes\n\nReyes said the plan works.\n\nBecker said no.\n\n- a list\n\nThe end.\n",
        "# Budget vote\n\nReyes said the plan works.\n\nBecker said no.\n\n- a list\n\nThe end, she said.\n",
        "# Budget vote\n\nReyes said the plan works.\n\nBecker\n\nsaid no.\n\n- a list\n\nThe end.\n",
    ];
    let previous = copydesk::Document::new(before);
    let previous_map = previous.prose_map();
    for after in cases {
        let reparsed = markdown::reparse(after, &previous_map, unchanged_ends(before, after))
            .unwrap_or_else(|| panic!("not reparsed: {after:?}"));
        assert_eq!(
            prose_map_text(&reparsed),
            prose_map_text(&markdown::parse(after)),
            "{after:?}"
        );
    }
    // An edit that makes a paragraph a list item joins the list above: parsed in full.
    let joined = "# Budget vote\n\nReyes said the plan works.\n\nBecker said no.\n\n- a list\n\n- The end.\n";
    assert!(markdown::reparse(joined, &previous_map, unchanged_ends(before, joined)).is_none());
}

/// Line endings of every kind next to what an edit may split or join.
const LINE_PIECES: &[&str] = &["a", "é", " ", "\n", "\r", "\r\n", "\n\n", "\r\r\n", "x\r"];

proptest! {
    /// The line index of an edited text, made from the previous one, is the index made from
    /// scratch.
    #[test]
    fn an_edited_line_index_equals_a_new_one((before, after) in edited(prop::sample::select(LINE_PIECES))) {
        use copydesk::text::LineIndex;
        let edited = LineIndex::edited(&LineIndex::new(&before), &after, unchanged_ends(&before, &after));
        prop_assert_eq!(format!("{edited:?}"), format!("{:?}", LineIndex::new(&after)));
    }
}

/// Edits that add or remove a quotation, or touch a quotation that runs over two paragraphs,
/// while other paragraphs with quotations are taken from the previous version: their marks
/// and quotations must be numbered and placed as a fresh analysis does.
#[test]
fn copied_paragraphs_keep_their_quotations_in_place() {
    let pairs = [
        (
            "Intro.\n\n\"One,\" she said.\n\n\"Two,\" he said, \"and 'three.'\"\n",
            "Intro \"new\" here.\n\n\"One,\" she said.\n\n\"Two,\" he said, \"and 'three.'\"\n",
        ),
        (
            "\"A long quote.\n\n\"It goes on,\" she said.\n\nAfter.\n\n\"Last,\" he said.\n",
            "\"A long quote.\n\n\"It goes on,\" she said.\n\nAfter it.\n\n\"Last,\" he said.\n",
        ),
        (
            "Before.\n\n\"A long quote.\n\n\"It goes on,\" she said.\n\n\"Last,\" he said.\n",
            "Before \".\n\n\"A long quote.\n\n\"It goes on,\" she said.\n\n\"Last,\" he said.\n",
        ),
        (
            "Don't go.\n\n'Tis the season, \"she said.\n\nThe 'term' stays.\n",
            "Don't go now.\n\n'Tis the season, \"she said.\n\nThe 'term' stays.\n",
        ),
    ];
    for_each_edit_both_ways(&pairs, |a, b, reused, fresh| {
        for (what, reused, fresh) in [
            (
                "marks",
                format!("{:?}", reused.quote_marks),
                format!("{:?}", fresh.quote_marks),
            ),
            (
                "quotations",
                format!("{:?}", reused.quotations),
                format!("{:?}", fresh.quotations),
            ),
            (
                "unbalanced",
                format!("{:?}", reused.unbalanced_quotes),
                format!("{:?}", fresh.unbalanced_quotes),
            ),
        ] {
            assert_eq!(reused, fresh, "{what} after {a:?} -> {b:?}");
        }
    });
}

/// `Document::one_pass` keeps nothing for a next version, and is otherwise `Document::new`:
/// the same mentions, people, attributions and findings; and a version built from it with
/// `reusing` (which then finds every candidate again) equals one built from scratch.
#[test]
fn a_one_pass_document_analyses_the_same_and_can_still_be_reused() {
    let before = "Foreign Minister Ana Reyes spoke on Tuesday.\n\n\"We will not wait,\" Reyes said.\n\n\
                  Reyez added that Tom Becker agreed. \"It is done,\" he said.\n";
    let after = before.replace("Tuesday", "Wednesday");
    let config = copydesk::Config::default();
    let debug = |doc: &copydesk::Document| {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            doc.mentions(),
            doc.people(),
            doc.quote_infos(),
            copydesk::lint(doc, &config).diagnostics
        )
    };
    let once = copydesk::Document::one_pass(before);
    assert!(!once.people().is_empty());
    assert_eq!(debug(&once), debug(&copydesk::Document::new(before)));
    once.complete();
    let reused = copydesk::Document::reusing(after.as_str(), &once);
    assert_eq!(debug(&reused), debug(&copydesk::Document::new(after.as_str())));
}
