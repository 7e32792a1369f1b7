//! Measures how noisy the rules are on a folder of drafts: findings per rule per 10,000
//! words, and with `--list` every finding with its text, for reading by a person.
//!
//! ```sh
//! cargo run --release --example noise -- ../shared/corpus/wikinews
//! cargo run --release --example noise -- --list --rule repeated-word ../shared/corpus/wikinews
//! ```
//!
//! All rules run, including those off by default. Files named README.md are skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use copydesk::document::TokenKind;
use copydesk::{Config, Document, lint};

fn main() {
    let mut list = false;
    let mut only_rule: Option<String> = None;
    let mut folders = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--list" => list = true,
            "--rule" => only_rule = args.next(),
            _ => folders.push(PathBuf::from(arg)),
        }
    }
    if folders.is_empty() {
        eprintln!("usage: noise [--list] [--rule ID] FOLDER...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for folder in &folders {
        collect(folder, &mut files);
    }
    files.sort();
    let all_rules: Vec<String> = copydesk::rules::all()
        .iter()
        .flat_map(|rule| std::iter::once(rule.meta().id).chain(rule.meta().also_reports.iter().copied()))
        .map(str::to_string)
        .collect();
    let config = Config {
        select: Some(all_rules.clone()),
        ..Config::default()
    };
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut n_words = 0usize;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping unreadable {}", path.display());
            continue;
        };
        let doc = Document::new(text);
        n_words += doc.tokens.iter().filter(|token| token.kind == TokenKind::Word).count();
        let result = lint(&doc, &config);
        for diagnostic in &result.diagnostics {
            if only_rule.as_deref().is_some_and(|rule| rule != diagnostic.rule) {
                continue;
            }
            *counts.entry(diagnostic.rule).or_default() += 1;
            if list {
                let lc = doc.line_column(diagnostic.range.start());
                let context_start = diagnostic.range.start().saturating_sub(40);
                let context_end = (diagnostic.range.end() + 40).min(doc.text.len());
                let context = doc.slice(copydesk::TextRange::new(
                    copydesk::text::floor_char_boundary(&doc.text, context_start),
                    copydesk::text::floor_char_boundary(&doc.text, context_end),
                ));
                println!(
                    "{}:{}:{} [{}] {}\n    …{}…",
                    path.display(),
                    lc.line,
                    lc.column,
                    diagnostic.rule,
                    diagnostic.message,
                    context.replace('\n', " ")
                );
            }
        }
    }
    println!("{} files, {} words", files.len(), n_words);
    println!("{:<28} {:>9} {:>16}", "rule", "findings", "per 10k words");
    for rule in &all_rules {
        if only_rule.as_deref().is_some_and(|only| only != rule) {
            continue;
        }
        let n = counts.get(rule.as_str()).copied().unwrap_or(0);
        println!(
            "{:<28} {:>9} {:>16.2}",
            rule,
            n,
            n as f64 * 10_000.0 / n_words.max(1) as f64
        );
    }
    let total: usize = counts.values().sum();
    println!(
        "{:<28} {:>9} {:>16.2}",
        "all",
        total,
        total as f64 * 10_000.0 / n_words.max(1) as f64
    );
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
    } else if path.extension().is_some_and(|ext| ext == "md" || ext == "markdown")
        && path.file_name().is_some_and(|name| name != "README.md")
    {
        out.push(path.to_path_buf());
    }
}
