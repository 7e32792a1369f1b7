//! Data-driven tests of the draft model: sentences, quotations, people, the prose map.

use copydesk::Document;
use copydesk::document::dump::dump;

fn parse_sentence_cases(data: &str) -> Vec<(String, Vec<String>)> {
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    for line in data.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix("| ") {
            Some(expected) => cases
                .last_mut()
                .expect("expectation before input")
                .1
                .push(expected.to_string()),
            None => cases.push((line.to_string(), Vec::new())),
        }
    }
    cases
}

#[test]
fn sentences_split_like_news_copy() {
    let data = include_str!("data/sentences.txt");
    let mut failures = Vec::new();
    let cases = parse_sentence_cases(data);
    assert!(cases.len() >= 15, "sentence cases went missing");
    for (input, expected) in cases {
        let doc = Document::new(format!("{input}\n"));
        let found: Vec<String> = doc.sentences.iter().map(|s| doc.sentence_text(s).to_string()).collect();
        if found != expected {
            failures.push(format!("input: {input}\nexpected: {expected:#?}\nfound: {found:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn model_snapshots() {
    insta::glob!("fixtures/model/*.md", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let doc = Document::new(text);
        insta::assert_snapshot!(dump(&doc, "all"));
    });
}
