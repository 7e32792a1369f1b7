//! Throughput of `copydesk check` as a newsroom's CI runs it: the built binary over a
//! folder of generated drafts (at least 20 MB), with one thread and with two.
//! Run with `cargo bench --bench check`. Reports medians in MB/s.
//!
//! Besides wall-clock MB/s it reports MB per CPU-second of the child process (user + system
//! time, from `/proc/self/stat`), the per-core rate, which a busy machine disturbs far less,
//! and how many cores a run kept busy (CPU time over wall-clock time): with two threads on a
//! machine shared with other work, a speed-up below 2 with fewer than 2 cores busy says the
//! machine, not copydesk, was the limit.
//!
//! Settings: `COPYDESK_BENCH_MB` (default 24), `COPYDESK_BENCH_RUNS` (default 5);
//! `COPYDESK_BENCH_DIR=PATH` only writes the drafts to PATH and keeps them (for profiling).

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let megabytes = env("COPYDESK_BENCH_MB", 24);
    let runs = env("COPYDESK_BENCH_RUNS", 5).max(1);
    // To profile the binary on the same drafts: generate them into a folder that is kept.
    if let Ok(keep) = std::env::var("COPYDESK_BENCH_DIR") {
        let (files, bytes) = support::news_folder(std::path::Path::new(&keep), megabytes * 1_000_000, 7);
        println!("{files} drafts, {:.1} MB, written to {keep}", bytes as f64 / 1e6);
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let (files, bytes) = support::news_folder(dir.path(), megabytes * 1_000_000, 7);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    // Other work on the machine slows wall-clock figures; say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?");
    println!(
        "{files} drafts, {:.1} MB, in {} ({cores} cores here, load average {load} before the runs)",
        bytes as f64 / 1e6,
        dir.path().display()
    );
    println!(
        "{:<36} {:>10} {:>10} {:>16} {:>12} {:>11}",
        "case", "median", "MB/s", "MB/s per thread", "MB/CPU-s", "cores busy"
    );
    // The cases take turns, round after round, so that a burst of other work on the machine
    // falls on all of them alike; the first round warms the page cache and is not counted.
    let cases = [(1, "concise"), (2, "concise"), (2, "sarif")];
    let mut walls: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut cpus: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    for round in 0..=runs {
        for (case, &(threads, format)) in cases.iter().enumerate() {
            let (wall, cpu) = run(dir.path(), threads, format);
            if round > 0 {
                walls[case].push(wall);
                cpus[case].push(cpu);
            }
        }
    }
    let mut single = None;
    for (case, &(threads, format)) in cases.iter().enumerate() {
        let time = median(&mut walls[case]);
        let cpu = median(&mut cpus[case]);
        let rate = support::mb_per_second(bytes, time);
        println!(
            "{:<36} {:>8.2} s {:>10.1} {:>16.1} {:>12.1} {:>11.2}",
            format!("check, {threads} thread(s), --format {format}"),
            time.as_secs_f64(),
            rate,
            rate / threads as f64,
            support::mb_per_second(bytes, cpu),
            // How many cores the run kept busy on average: CPU time over wall-clock time.
            cpu.as_secs_f64() / time.as_secs_f64()
        );
        if threads == 1 {
            single = Some(rate);
        } else if let Some(single) = single
            && format == "concise"
        {
            println!("speed-up with {threads} threads: {:.2}x", rate / single);
        }
    }
}

/// One run of the binary: wall-clock time and CPU time. Its output is discarded; its exit
/// code must be 0 or 1.
fn run(dir: &std::path::Path, threads: usize, format: &str) -> (Duration, Duration) {
    let cpu_before = children_cpu_time();
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--threads", &threads.to_string(), "--format", format, "."])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("copydesk runs");
    let elapsed = start.elapsed();
    assert!(matches!(status.code(), Some(0 | 1)), "copydesk failed: {status}");
    (elapsed, children_cpu_time().saturating_sub(cpu_before))
}

/// User and system time of the finished children of this process (Linux; zero elsewhere).
fn children_cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name in parentheses; cutime and cstime are fields 16 and 17.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |index: usize| fields.get(index - 3).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // Clock ticks are 1/100 s on Linux (`getconf CLK_TCK`).
    Duration::from_millis((ticks(16) + ticks(17)) * 10)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
