//! Repository hygiene checked as tests: the core stays pure, every rule is documented and
//! has fixtures, and the rule pages in `docs/rules/` match the rules' doc comments.
//! Run with `UPDATE_DOCS=1 cargo test --test tidy` to regenerate the pages.

use std::fs;
use std::path::{Path, PathBuf};

const CORE: &[&str] = &[
    "src/document",
    "src/rules",
    "src/text.rs",
    "src/fix.rs",
    "src/lint.rs",
    "src/config.rs",
    "src/diagnostic.rs",
    "src/suppress.rs",
    "src/lib.rs",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|ext| ext == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn core_knows_nothing_of_lsp_async_or_ropes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for entry in CORE {
        rust_files(&root.join(entry), &mut files);
    }
    assert!(files.len() > 10);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for banned in ["tower_lsp", "tokio", "ropey", "lsp_types"] {
            let uses = text.lines().any(|line| {
                let line = line.trim_start();
                !line.starts_with("//") && line.contains(banned)
            });
            if file.ends_with("lib.rs") && banned != "ropey" && text.contains("pub mod lsp") {
                continue;
            }
            assert!(!uses, "{} mentions `{banned}`: the core must stay pure", file.display());
        }
    }
}

/// UTF-16 (LSP's default unit) is converted in one place: the language server's `convert.rs`.
#[test]
fn utf16_only_in_the_language_server_conversions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for file in files {
        if file.ends_with("src/lsp/convert.rs") {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for needle in ["utf16", "utf_16"] {
            assert!(
                !text.to_lowercase().contains(needle),
                "{} mentions `{needle}`: position conversions belong in src/lsp/convert.rs",
                file.display()
            );
        }
    }
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not start with a `//!` module doc",
            file.display()
        );
    }
}

#[test]
fn rules_are_documented_registered_and_have_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = copydesk::rules::all();
    let ids: Vec<&str> = rules.iter().map(|rule| rule.meta().id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "the registry is sorted by id and has no duplicates");
    for rule in rules {
        let meta = rule.meta();
        assert!(
            meta.id.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !meta.id.starts_with('-'),
            "`{}` is not kebab-case",
            meta.id
        );
        for section in ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"] {
            assert!(
                meta.doc.contains(section),
                "`{}` documentation lacks `{section}`",
                meta.id
            );
        }
        let fixtures = root.join("tests/fixtures/rules").join(meta.id);
        let names: Vec<String> = fs::read_dir(&fixtures)
            .unwrap_or_else(|_| panic!("`{}` has no fixture folder {}", meta.id, fixtures.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|name| name.starts_with("clean-")),
            "`{}` has no clean-copy fixture",
            meta.id
        );
        assert!(
            names.iter().any(|name| !name.starts_with("clean-")),
            "`{}` has no fixture with findings",
            meta.id
        );
    }
}

fn rule_page(meta: &copydesk::rules::RuleMeta) -> String {
    let default = if meta.default_enabled {
        meta.default_severity.as_str()
    } else {
        "off"
    };
    let fix = match meta.fix {
        copydesk::rules::FixAvailability::Always => "always",
        copydesk::rules::FixAvailability::Sometimes => "sometimes",
        copydesk::rules::FixAvailability::None => "never",
    };
    format!(
        "<!-- Generated from the rule's doc comment by `UPDATE_DOCS=1 cargo test --test tidy`. Do not edit. -->\n\n# {}\n\n{}\n\nDefault severity: {default}. Fix available: {fix}.\n\n{}",
        meta.id,
        meta.summary,
        meta.documentation()
    )
}

#[test]
fn rule_pages_match_the_doc_comments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut index = String::from(
        "<!-- Generated by `UPDATE_DOCS=1 cargo test --test tidy`. Do not edit. -->\n\n# Rules\n\n| Rule | Default | Summary |\n| --- | --- | --- |\n",
    );
    let mut stale = Vec::new();
    for rule in copydesk::rules::all() {
        let meta = rule.meta();
        let default = if meta.default_enabled {
            meta.default_severity.as_str()
        } else {
            "off"
        };
        index.push_str(&format!(
            "| [`{}`]({}.md) | {default} | {} |\n",
            meta.id, meta.id, meta.summary
        ));
        let path = root.join(format!("{}.md", meta.id));
        let expected = rule_page(meta);
        if fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            if update {
                fs::create_dir_all(&root).unwrap();
                fs::write(&path, &expected).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    let index_path = root.join("README.md");
    if fs::read_to_string(&index_path).ok().as_deref() != Some(index.as_str()) {
        if update {
            fs::write(&index_path, &index).unwrap();
        } else {
            stale.push(index_path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "rule pages are stale (run `UPDATE_DOCS=1 cargo test --test tidy`): {stale:?}"
    );
}
