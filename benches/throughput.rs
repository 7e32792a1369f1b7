//! Throughput of the core on a long draft: building the model, and linting with every rule.
//! Run with `cargo bench --bench throughput`. Reports medians in MB/s.

mod support;

use std::hint::black_box;

use copydesk::{Config, Document, lint};

fn main() {
    let runs: usize = std::env::var("COPYDESK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let config = Config::default();
    println!("{:<34} {:>10} {:>12} {:>10}", "case", "size", "median", "MB/s");
    for (name, size) in [("news draft 100 KB", 100_000), ("news draft 2 MB", 2_000_000)] {
        let text = support::news_draft(size, 42);
        let model = support::median_time(runs, || {
            black_box(Document::new(black_box(text.as_str())));
        });
        let full = support::median_time(runs, || {
            let doc = Document::new(black_box(text.as_str()));
            black_box(lint(&doc, &config));
        });
        for (label, time) in [("model", model), ("model + all rules", full)] {
            println!(
                "{:<34} {:>8} KB {:>9.2} ms {:>10.1}",
                format!("{name}: {label}"),
                text.len() / 1000,
                time.as_secs_f64() * 1e3,
                support::mb_per_second(text.len(), time)
            );
        }
    }
}
