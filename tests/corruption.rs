//! Corruption test: damage clean news paragraphs programmatically, one kind of damage at a
//! time, lint the result and count how often the rule meant for that damage finds it.
//!
//! The clean copy is `tests/data/clean_copy.md` (written for these tests) and, when it is
//! present beside the repository, the Wikinews corpus in `../shared/corpus/wikinews`, read
//! at test time only. Every kind must reach a recall of 0.9. Run with `--nocapture` to see
//! the table:
//!
//! ```sh
//! cargo test --test corruption -- --nocapture
//! ```

use std::path::Path;

use copydesk::document::{BlockKind, TokenKind};
use copydesk::{Config, Document, TextRange, lint};

/// One kind of damage: its name, the rule that should find it, and how to apply it.
struct Kind {
    name: &'static str,
    rule: &'static str,
    /// Every damaged version of a paragraph, with the byte range of the damage in it.
    damage: fn(&Document, &str) -> Vec<(String, TextRange)>,
}

const KINDS: &[Kind] = &[
    Kind {
        name: "orphan word (sentence cut to its first word)",
        rule: "sentence-fragment",
        damage: orphan_word,
    },
    Kind {
        name: "lowercase sentence start",
        rule: "lowercase-sentence-start",
        damage: lowercase_start,
    },
    Kind {
        name: "stray \". ,\"",
        rule: "stray-punctuation",
        damage: stray_period_comma,
    },
    Kind {
        name: "span re-encoded as Windows-1252",
        rule: "mojibake",
        damage: mojibake,
    },
    Kind {
        name: "a/an swapped",
        rule: "article-mismatch",
        damage: swap_article,
    },
    Kind {
        name: "zero-width space inside a word",
        rule: "invisible-character",
        damage: zero_width,
    },
    Kind {
        name: "TK for a word",
        rule: "placeholder-text",
        damage: placeholder,
    },
];

/// At most this many damaged versions of one paragraph per kind, spread over the paragraph.
const PER_PARAGRAPH: usize = 4;

fn paragraphs(text: &str) -> Vec<String> {
    let doc = Document::new(text);
    doc.blocks
        .iter()
        .filter(|block| block.kind == BlockKind::Paragraph && !block.in_list() && block.quote_depth == 0)
        .filter(|block| block.sentences.len() >= 2)
        .map(|block| format!("{}\n", doc.slice(block.range)))
        .collect()
}

fn corpus() -> Vec<(String, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = vec![(
        "tests/data/clean_copy.md".to_string(),
        paragraphs(include_str!("data/clean_copy.md")),
    )];
    let shared = root.join("../shared/corpus/wikinews");
    if let Ok(entries) = std::fs::read_dir(&shared) {
        let mut files: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        files.sort();
        let mut all = Vec::new();
        for file in files {
            if file.extension().is_some_and(|ext| ext == "md") && !file.ends_with("README.md") {
                all.extend(paragraphs(&std::fs::read_to_string(&file).unwrap_or_default()));
            }
        }
        sources.push(("../shared/corpus/wikinews".to_string(), all));
    }
    sources
}

/// Picks up to `PER_PARAGRAPH` items spread evenly over `items`.
fn spread<T: Clone>(items: &[T]) -> Vec<T> {
    if items.len() <= PER_PARAGRAPH {
        return items.to_vec();
    }
    (0..PER_PARAGRAPH)
        .map(|k| items[k * items.len() / PER_PARAGRAPH].clone())
        .collect()
}

fn splice(text: &str, range: TextRange, with: &str) -> String {
    format!("{}{}{}", &text[..range.start()], with, &text[range.end()..])
}

/// Whether a token lies inside a quotation (damage there is reported at hint level or not at
/// all, on purpose: quotations are verbatim).
fn unquoted(doc: &Document, range: TextRange) -> bool {
    !doc.is_quoted(range)
}

/// Cuts a sentence of five or more words down to its first word and a period.
fn orphan_word(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let sites: Vec<_> = doc
        .sentences
        .iter()
        .filter(|sentence| {
            let tokens = doc.sentence_tokens(sentence);
            tokens[0].kind == TokenKind::Word
                && tokens.iter().filter(|token| token.kind == TokenKind::Word).count() >= 5
                && unquoted(doc, sentence.range)
        })
        .map(|sentence| (sentence.range, doc.sentence_tokens(sentence)[0].range))
        .collect();
    spread(&sites)
        .into_iter()
        .map(|(sentence, first)| {
            let orphan = format!("{}.", doc.slice(first));
            let damaged = splice(text, sentence, &orphan);
            (
                damaged,
                TextRange::new(sentence.start(), sentence.start() + orphan.len()),
            )
        })
        .collect()
}

/// Lowercases the first letter of a sentence that is not the first of its paragraph.
fn lowercase_start(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let sites: Vec<_> = doc
        .sentences
        .iter()
        .skip(1)
        .filter_map(|sentence| {
            let first = &doc.sentence_tokens(sentence)[0];
            let word = doc.slice(first.range);
            (first.kind == TokenKind::Word && word.starts_with(char::is_uppercase) && unquoted(doc, first.range))
                .then_some(first.range)
        })
        .collect();
    spread(&sites)
        .into_iter()
        .map(|range| {
            let word = doc.slice(range);
            let initial = word.chars().next().unwrap_or('x');
            let lowered = format!("{}{}", initial.to_lowercase(), &word[initial.len_utf8()..]);
            (splice(text, range, &lowered), range)
        })
        .collect()
}

/// Turns ", " into ". , " (a sentence end left behind by an edit).
fn stray_period_comma(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let sites: Vec<_> = doc
        .tokens
        .iter()
        .filter(|token| token.kind == TokenKind::Punct && doc.slice(token.range) == ",")
        .map(|token| token.range)
        .collect();
    spread(&sites)
        .into_iter()
        .map(|range| {
            let damaged = splice(text, range, ". ,");
            (damaged, TextRange::new(range.start(), range.start() + 3))
        })
        .collect()
}

/// Reads the UTF-8 bytes of a span as Windows-1252: "é" becomes "Ã©", "’" becomes "â€™".
fn as_windows_1252(span: &str) -> String {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";
    span.bytes()
        .map(|byte| match byte {
            0x80..=0x9F => HIGH.chars().nth((byte - 0x80) as usize).unwrap_or('?'),
            _ => byte as char,
        })
        .collect()
}

/// Re-encodes a word holding a non-ASCII character (and the word after it) as Windows-1252.
fn mojibake(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let tokens = &doc.tokens;
    let sites: Vec<_> = (0..tokens.len())
        .filter(|&i| !doc.slice(tokens[i].range).is_ascii())
        .map(|i| {
            let end = tokens.get(i + 1).map_or(tokens[i].range.end(), |next| next.range.end());
            TextRange::new(tokens[i].range.start(), end)
        })
        .collect();
    spread(&sites)
        .into_iter()
        .map(|range| {
            let garbled = as_windows_1252(doc.slice(range));
            let damaged = splice(text, range, &garbled);
            (damaged, TextRange::new(range.start(), range.start() + garbled.len()))
        })
        .collect()
}

/// Swaps "a" and "an" (not where both are right: "a historic", "an historic").
fn swap_article(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let tokens = &doc.tokens;
    let sites: Vec<_> = (0..tokens.len().saturating_sub(1))
        .filter(|&i| {
            let word = doc.slice(tokens[i].range);
            let next = doc.slice(tokens[i + 1].range).to_lowercase();
            matches!(word, "a" | "an" | "A" | "An")
                && matches!(tokens[i + 1].kind, TokenKind::Word | TokenKind::Number)
                && tokens[i + 1].space_before
                && !["histor", "herb", "hotel", "heroic"]
                    .iter()
                    .any(|p| next.starts_with(p))
        })
        .map(|i| (tokens[i].range, tokens[i + 1].range))
        .collect();
    spread(&sites)
        .into_iter()
        .map(|(article, next)| {
            let swapped = match doc.slice(article) {
                "a" => "an",
                "an" => "a",
                "A" => "An",
                _ => "A",
            };
            let damaged = splice(text, article, swapped);
            let delta = swapped.len() as isize - article.len() as isize;
            let end = (next.end() as isize + delta) as usize;
            (damaged, TextRange::new(article.start(), end))
        })
        .collect()
}

/// Puts a zero-width space after the second letter of a word of four or more letters.
fn zero_width(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let sites: Vec<_> = doc
        .tokens
        .iter()
        .filter(|token| {
            let word = doc.slice(token.range);
            token.kind == TokenKind::Word
                && word.len() >= 4
                && word.is_ascii()
                && word.bytes().all(|b| b.is_ascii_alphabetic())
        })
        .map(|token| token.range.start() + 2)
        .collect();
    spread(&sites)
        .into_iter()
        .map(|at| {
            let damaged = splice(text, TextRange::empty(at), "\u{200B}");
            (damaged, TextRange::new(at, at + 3))
        })
        .collect()
}

/// Replaces a word after the first of its sentence with "TK".
fn placeholder(doc: &Document, text: &str) -> Vec<(String, TextRange)> {
    let sites: Vec<_> = doc
        .sentences
        .iter()
        .flat_map(|sentence| doc.sentence_tokens(sentence).iter().skip(1))
        .filter(|token| matches!(token.kind, TokenKind::Word | TokenKind::Number))
        .map(|token| token.range)
        .collect();
    spread(&sites)
        .into_iter()
        .map(|range| {
            (
                splice(text, range, "TK"),
                TextRange::new(range.start(), range.start() + 2),
            )
        })
        .collect()
}

struct Tally {
    found: usize,
    total: usize,
    missed: Vec<String>,
}

#[test]
fn rules_find_programmatic_damage() {
    let config = Config::default();
    let mut failures = Vec::new();
    let mut table =
        String::from("\nCorruption recall: damage applied to clean paragraphs, found by the rule meant for it\n");
    for (source, paragraphs) in corpus() {
        assert!(paragraphs.len() >= 10, "too few paragraphs in {source}");
        table.push_str(&format!("\n{source} ({} paragraphs)\n", paragraphs.len()));
        table.push_str(&format!(
            "{:<48} {:<26} {:>6} {:>6} {:>7}\n",
            "damage", "rule", "found", "total", "recall"
        ));
        for kind in KINDS {
            let mut tally = Tally {
                found: 0,
                total: 0,
                missed: Vec::new(),
            };
            for paragraph in &paragraphs {
                let doc = Document::new(paragraph.as_str());
                for (damaged, site) in (kind.damage)(&doc, paragraph) {
                    tally.total += 1;
                    let damaged_doc = Document::new(damaged.as_str());
                    let result = lint(&damaged_doc, &config);
                    let hit = result.diagnostics.iter().any(|diagnostic| {
                        diagnostic.rule == kind.rule
                            && diagnostic.range.start() <= site.end()
                            && site.start() <= diagnostic.range.end()
                    });
                    if hit {
                        tally.found += 1;
                    } else if tally.missed.len() < 5 {
                        let start = copydesk::text::floor_char_boundary(&damaged, site.start().saturating_sub(40));
                        let end = copydesk::text::floor_char_boundary(&damaged, (site.end() + 40).min(damaged.len()));
                        tally.missed.push(damaged[start..end].replace('\n', " "));
                    }
                }
            }
            let recall = tally.found as f64 / tally.total.max(1) as f64;
            table.push_str(&format!(
                "{:<48} {:<26} {:>6} {:>6} {:>7.3}\n",
                kind.name, kind.rule, tally.found, tally.total, recall
            ));
            for missed in &tally.missed {
                table.push_str(&format!("    missed: …{missed}…\n"));
            }
            if tally.total < 20 || recall < 0.9 {
                failures.push(format!(
                    "{source}: {} recall {recall:.3} over {} cases",
                    kind.name, tally.total
                ));
            }
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}\n{table}", failures.join("\n"));
}
