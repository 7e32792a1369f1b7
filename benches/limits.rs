//! Pathological drafts: linting must stay linear in the draft's size and never overflow the
//! stack. Each case is timed at two sizes; the ratio of the times should be close to the
//! ratio of the sizes (2), not its square (4).
//! Run with `cargo bench --bench limits`.

mod support;

use std::hint::black_box;
use std::time::Duration;

use copydesk::{Config, Document, lint};

fn cases(scale: usize) -> Vec<(&'static str, String)> {
    vec![
        ("5 MB single line", "word ".repeat(scale * 1_000_000)),
        ("100,000 quote marks", "\"".repeat(scale * 100_000)),
        ("alternating quotes and words", "\"a ".repeat(scale * 100_000)),
        (
            "10,000-deep nested lists",
            format!("{}item\n", "- ".repeat(scale * 10_000)),
        ),
        (
            "10,000-deep block quotes",
            format!("{} deep\n", ">".repeat(scale * 10_000)),
        ),
        ("paragraph of one repeated word", "the ".repeat(scale * 250_000)),
        ("only punctuation", ".,;:!?()[]\"'—".repeat(scale * 80_000)),
        ("capitalized words", "Ana Reyes Tom Becker said ".repeat(scale * 40_000)),
        ("many headings", "# Heading Words Here\n\n".repeat(scale * 50_000)),
        ("unclosed parentheses", "( word ".repeat(scale * 100_000)),
    ]
}

fn time_case(text: &str) -> Duration {
    let config = Config::default();
    support::median_time(3, || {
        let doc = Document::new(black_box(text));
        black_box(lint(&doc, &config));
    })
}

fn main() {
    // Deep nesting needs no more stack than the default main thread; run in a thread with the
    // default 2 MiB stack to prove it.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            println!(
                "{:<34} {:>10} {:>12} {:>12} {:>7}",
                "case", "size", "time", "2x size", "ratio"
            );
            for ((name, small), (_, large)) in cases(1).into_iter().zip(cases(2)) {
                let t1 = time_case(&small);
                let t2 = time_case(&large);
                println!(
                    "{:<34} {:>7} KB {:>9.1} ms {:>9.1} ms {:>7.2}",
                    name,
                    small.len() / 1000,
                    t1.as_secs_f64() * 1e3,
                    t2.as_secs_f64() * 1e3,
                    t2.as_secs_f64() / t1.as_secs_f64()
                );
            }
        })
        .expect("thread starts");
    handle.join().expect("no case panicked or overflowed the stack");
}
