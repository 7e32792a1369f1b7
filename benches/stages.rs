//! Time of each stage of the model on a long draft, and of each rule on the built model,
//! to find where the time goes. Run with `cargo bench --bench stages`.

mod support;

use std::hint::black_box;

use copydesk::document::markdown;

/// The analysis of one keystroke, on its own so that callgrind can count it alone:
/// `valgrind --tool=callgrind --toggle-collect='*stages*keystroke*'`.
/// Its parts are functions of their own too, for `--toggle-collect='*stages*keystroke_*'`.
#[inline(never)]
fn keystroke(
    edited: &str,
    previous: &copydesk::Document,
    config: &copydesk::Config,
    previous_findings: &copydesk::LintResult,
) {
    let doc = keystroke_model(edited, previous);
    keystroke_mentions(&doc);
    keystroke_attribution(&doc);
    black_box(keystroke_rules(&doc, config, previous_findings));
}

#[inline(never)]
fn keystroke_model(edited: &str, previous: &copydesk::Document) -> copydesk::Document {
    copydesk::Document::reusing(edited, previous)
}

#[inline(never)]
fn keystroke_mentions(doc: &copydesk::Document) {
    black_box(doc.mentions());
}

#[inline(never)]
fn keystroke_attribution(doc: &copydesk::Document) {
    black_box(doc.quote_infos());
    black_box(doc.name_variants());
}

#[inline(never)]
fn keystroke_rules(
    doc: &copydesk::Document,
    config: &copydesk::Config,
    previous_findings: &copydesk::LintResult,
) -> copydesk::LintResult {
    copydesk::lint_reusing(doc, config, Some(previous_findings))
}

fn main() {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let runs = env("COPYDESK_BENCH_RUNS", 9);
    let text = support::news_draft(env("COPYDESK_BENCH_SIZE", 2_000_000), 42);
    // For instruction counts under callgrind: warm the lexicon, then build once (and lint once).
    if let Ok(stage) = std::env::var("COPYDESK_STAGE") {
        black_box(copydesk::Document::new("Warm up."));
        if stage == "reuse" {
            // One keystroke in the middle of the draft, analysed reusing the previous version.
            let previous = copydesk::Document::new(text.as_str());
            let middle = text.len() / 2;
            let at = (middle..text.len())
                .find(|&i| text.as_bytes()[i] == b' ')
                .unwrap_or(middle);
            let mut edited = text.clone();
            edited.insert(at, 'x');
            let config = copydesk::Config::default();
            let previous_findings = copydesk::lint(&previous, &config);
            keystroke(&edited, &previous, &config, &previous_findings);
            return;
        }
        let doc = copydesk::Document::new(text.as_str());
        if stage == "lint" {
            black_box(copydesk::lint(&doc, &copydesk::Config::default()));
        }
        black_box(doc);
        return;
    }
    let parse = support::median_time(runs, || {
        black_box(markdown::parse(black_box(&text)));
    });
    let pulldown = support::median_time(runs, || {
        let parser = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).into_offset_iter();
        black_box(parser.count());
    });
    let full = support::median_time(runs, || {
        black_box(copydesk::Document::new(black_box(text.as_str())));
    });
    let config = copydesk::Config::default();
    let doc = copydesk::Document::new(text.as_str());
    let rules = support::median_time(runs, || {
        black_box(copydesk::lint(black_box(&doc), &config));
    });
    for (label, time) in [
        ("pulldown-cmark alone", pulldown),
        ("prose map", parse),
        ("whole model", full),
        ("all rules", rules),
    ] {
        println!(
            "{label:<24} {:>9.2} ms {:>8.1} MB/s",
            time.as_secs_f64() * 1e3,
            support::mb_per_second(text.len(), time)
        );
    }
    let doc = copydesk::Document::new(text.as_str());
    for rule in copydesk::rules::all() {
        let id = rule.meta().id;
        let config = copydesk::Config {
            select: Some(vec![id.to_string()]),
            ..copydesk::Config::default()
        };
        let time = support::median_time(runs, || {
            black_box(copydesk::lint(black_box(&doc), &config));
        });
        let findings = copydesk::lint(&doc, &config).diagnostics.len();
        println!(
            "rule {id:<29} {:>9.2} ms {:>8.1} MB/s {findings:>7} findings",
            time.as_secs_f64() * 1e3,
            support::mb_per_second(text.len(), time)
        );
    }
}
