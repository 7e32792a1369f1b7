//! `copydesk check`: find drafts, lint or fix them in parallel, report.
//!
//! The run has three phases. First, sequentially: expand the paths, read standard input,
//! find each draft's configuration (a configuration error stops the run here, before any
//! output) and, with `--changed-since`, ask git what changed. Then the drafts are checked in
//! parallel on a rayon pool, one task per file; results are collected in input order, so
//! the output is the same whatever the number of threads. Last, sequentially: the report.

use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use copydesk::config::{Config, find_config_file};
use copydesk::lint::MAX_FIX_PASSES;
use copydesk::text::LineIndex;
use copydesk::{Applicability, Diagnostic, Severity, fix_text, lint_text};
use rayon::prelude::*;

use super::changed::{ChangedLines, Changes};
use super::inputs::{Input, collect_inputs};
use super::io::{Draft, read_draft, write_atomic};
use super::report::{self, FileReport, Format, Keep, Run, Source, line_span, write_report, write_statistics};

/// A progress bar appears on a terminal when more drafts than this are checked.
const PROGRESS_MIN_FILES: usize = 50;

/// Options of `copydesk check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files, folders or glob patterns to check (folders are searched for *.md and *.markdown,
    /// honouring .gitignore); `-` reads standard input. Default: `.`, or `-` with --stdin-filename.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with --fix or --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the changes fixes would make, as a unified diff, without writing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Only run these rules (comma-separated ids); turns on rules that are off by default.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_parser = ["error", "warning", "info", "hint"], default_value = "warning")]
    pub fail_on: String,
    /// Report only findings on lines added or changed since this git revision (e.g. the pull
    /// request's base); with --fix, only those findings are fixed.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Print how many findings each rule made instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Use this configuration file instead of looking for copydesk.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Refuse drafts larger than this many megabytes.
    #[arg(long, default_value_t = 16)]
    pub max_file_size: u64,
    /// The path to report standard input as (also used to find copydesk.toml).
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Check this many files at once (0: one per core, or RAYON_NUM_THREADS).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// Colour output: auto (on a terminal), always or never.
    #[arg(long, value_parser = ["auto", "always", "never"], default_value = "auto")]
    pub color: String,
}

/// What every task needs to know about the run.
struct Options {
    fix: bool,
    diff: bool,
    threshold: Applicability,
    max_bytes: u64,
    /// What of each draft the report keeps ([`Source::for_findings`]).
    keep: Keep,
}

/// One draft to check.
struct Job {
    display: String,
    source: JobSource,
    config: Arc<Config>,
}

enum JobSource {
    /// Standard input, already read (reading it cannot be shared between threads).
    Stdin(Option<anyhow::Result<Draft>>),
    File(PathBuf),
}

/// What checking one draft gave.
struct Outcome {
    /// `None` when `--changed-since` found nothing changed in the file: it is not reported.
    report: Option<FileReport>,
    errors: Vec<String>,
    diff: String,
    /// With `--fix -`: the fixed text, for standard output.
    stdin_fixed: Option<String>,
}

/// Runs the command; returns the process exit code.
pub fn run(args: CheckArgs) -> i32 {
    for id in args.select.iter().chain(&args.ignore) {
        if !rule_id_known(id) {
            eprintln_safe(&format!("error: unknown rule `{id}` (see `copydesk rules`)"));
            return 2;
        }
    }
    if args.statistics && matches!(args.format, Format::Sarif | Format::Rdjson) {
        eprintln_safe(&format!(
            "error: --statistics prints a table, or JSON with --format json; it has no {} form",
            if args.format == Format::Sarif {
                "SARIF"
            } else {
                "rdjson"
            }
        ));
        return 2;
    }
    let mut errors: Vec<String> = Vec::new();
    let paths = if !args.paths.is_empty() {
        args.paths.clone()
    } else if args.stdin_filename.is_some() {
        vec![PathBuf::from("-")]
    } else {
        vec![PathBuf::from(".")]
    };
    let inputs = collect_inputs(&paths, &mut errors);
    let overrides = |mut config: Config| {
        if !args.select.is_empty() {
            config.select = Some(args.select.clone());
        }
        config.ignore = args.ignore.clone();
        Arc::new(config)
    };
    let explicit_config = match &args.config {
        Some(path) => match Config::load(path) {
            Ok(config) => Some(overrides(config)),
            Err(error) => {
                eprintln_safe(&format!("error: {error}"));
                return 2;
            }
        },
        None => None,
    };
    let changes = match &args.changed_since {
        Some(rev) => match Changes::load(rev) {
            Ok(changes) => Some(changes),
            Err(error) => {
                eprintln_safe(&format!("error: {error:#}"));
                return 2;
            }
        },
        None => None,
    };
    let max_bytes = args.max_file_size.saturating_mul(1_000_000);

    // Configuration for every draft, before anything is checked: a mistake stops the run.
    let mut configs = ConfigCache::default();
    let mut jobs = Vec::with_capacity(inputs.len());
    for input in inputs {
        let (display, config_dir, source) = match input {
            Input::Stdin => {
                let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
                let dir = args
                    .stdin_filename
                    .as_ref()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .unwrap_or_else(|| PathBuf::from("."));
                let display = name.display().to_string();
                let draft = read_stdin(&display, max_bytes);
                (display, dir, JobSource::Stdin(Some(draft)))
            }
            Input::File(path) => (
                path.display().to_string(),
                path.parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from(".")),
                JobSource::File(path),
            ),
        };
        let config = match &explicit_config {
            Some(config) => config.clone(),
            None => match configs.for_dir(&config_dir, &overrides) {
                Ok(config) => config,
                Err(error) => {
                    eprintln_safe(&format!("error: {error}"));
                    return 2;
                }
            },
        };
        jobs.push(Job {
            display,
            source,
            config,
        });
    }

    let options = Options {
        fix: args.fix,
        diff: args.diff,
        threshold: if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        max_bytes,
        keep: if args.format == Format::Rdjson {
            Keep::FixSpans
        } else {
            Keep::TouchedLines
        },
    };
    let progress = progress_bar(jobs.len());
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(args.threads).build() {
        Ok(pool) => pool,
        Err(error) => {
            eprintln_safe(&format!("error: cannot start worker threads: {error}"));
            return 2;
        }
    };
    let outcomes: Vec<Outcome> = pool.install(|| {
        jobs.into_par_iter()
            .map(|job| {
                let outcome = check_one(job, &options, changes.as_ref());
                if let Some(bar) = &progress {
                    bar.inc(1);
                }
                outcome
            })
            .collect()
    });
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }

    let mut reports = Vec::with_capacity(outcomes.len());
    let mut diff_output = String::new();
    let mut stdin_fixed = None;
    for outcome in outcomes {
        errors.extend(outcome.errors);
        diff_output.push_str(&outcome.diff);
        if outcome.stdin_fixed.is_some() {
            stdin_fixed = outcome.stdin_fixed;
        }
        reports.extend(outcome.report);
    }

    // With `--fix -` the fixed text goes to standard output and the report to standard error.
    let report_to_stderr = stdin_fixed.is_some();
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => !report_to_stderr && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let run = Run {
        reports: &reports,
        errors: &errors,
        fixed: args.fix,
        diff: args.diff,
        unsafe_fixes: args.unsafe_fixes,
    };
    let write_result = write_output(
        &args,
        &run,
        stdin_fixed.as_deref(),
        &diff_output,
        report_to_stderr,
        color,
    );
    let mut late_errors = Vec::new();
    if let Err(error) = write_result
        && error.kind() != io::ErrorKind::BrokenPipe
    {
        late_errors.push(format!("cannot write output: {error}"));
    }
    for error in errors.iter().chain(&late_errors) {
        eprintln_safe(&format!("error: {error}"));
    }
    if !errors.is_empty() || !late_errors.is_empty() {
        return 2;
    }
    let fail_on = Severity::parse(&args.fail_on).unwrap_or(Severity::Warning);
    let failing = reports
        .iter()
        .flat_map(|report| &report.diagnostics)
        .any(|diagnostic| diagnostic.severity >= fail_on);
    if failing || (args.diff && !diff_output.is_empty()) {
        1
    } else {
        0
    }
}

/// Writes what the run produced. Standard output holds, in order: the fixed text of
/// standard input (`--fix -`), the diff (`--diff`, unless the format is one JSON document, in
/// which case the diff goes to standard error), and the report (unless standard output
/// holds fixed text). Formats other than human print their one-line summary on standard error.
fn write_output(
    args: &CheckArgs,
    run: &Run<'_>,
    stdin_fixed: Option<&str>,
    diff_output: &str,
    report_to_stderr: bool,
    color: bool,
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if let Some(fixed) = stdin_fixed {
        out.write_all(fixed.as_bytes())?;
        out.flush()?;
    }
    if args.diff && !diff_output.is_empty() {
        if args.format.is_document() && !report_to_stderr {
            io::stderr().lock().write_all(diff_output.as_bytes())?;
        } else {
            out.write_all(diff_output.as_bytes())?;
        }
    }
    {
        let mut stderr = io::stderr().lock();
        let sink: &mut dyn Write = if report_to_stderr { &mut stderr } else { &mut out };
        if args.statistics {
            write_statistics(sink, run.reports, args.format == Format::Json)?;
        } else {
            write_report(sink, args.format, run, color)?;
        }
    }
    out.flush()?;
    if !args.statistics && args.format != Format::Human {
        io::stderr().lock().write_all(report::summary(run).as_bytes())?;
    }
    Ok(())
}

/// Checks one draft: reads it, lints or fixes it, writes it back with `--fix`.
fn check_one(job: Job, options: &Options, changes: Option<&Changes>) -> Outcome {
    let Job {
        display,
        source,
        config,
    } = job;
    let mut outcome = Outcome {
        report: None,
        errors: Vec::new(),
        diff: String::new(),
        stdin_fixed: None,
    };
    let (draft, path, known_changes) = match source {
        JobSource::Stdin(mut draft) => (
            draft
                .take()
                .unwrap_or_else(|| Err(anyhow::anyhow!("{display}: standard input read twice"))),
            None,
            None,
        ),
        JobSource::File(path) => {
            let changed = changes.map(|changes| changes.for_file(&path));
            // With `--changed-since`, a file with no changed line is not even read.
            if changed.as_ref().is_some_and(ChangedLines::is_empty) {
                return outcome;
            }
            (read_draft(&path, options.max_bytes), Some(path), changed)
        }
    };
    let draft = match draft {
        Ok(draft) => draft,
        Err(error) => {
            let message = format!("{error:#}");
            outcome.errors.push(message.clone());
            outcome.report = Some(FileReport {
                path: display,
                offset_base: 0,
                source: None,
                diagnostics: Vec::new(),
                error: Some(message),
                fixes_applied: 0,
            });
            return outcome;
        }
    };
    let changed = match (changes, known_changes) {
        (None, _) => ChangedLines::All,
        (Some(_), Some(changed)) => changed,
        (Some(changes), None) => {
            let name = Path::new(&display);
            match changes.for_text(name, &draft.text) {
                Ok(changed) => changed,
                Err(error) => {
                    outcome.errors.push(format!("{display}: {error:#}"));
                    ChangedLines::All
                }
            }
        }
    };
    if changed.is_empty() {
        return outcome;
    }
    let mut report = FileReport {
        path: display.clone(),
        offset_base: draft.offset_base(),
        source: None,
        diagnostics: Vec::new(),
        error: None,
        fixes_applied: 0,
    };
    if !(options.fix || options.diff) {
        // The document takes the text and gives it back, rather than copying it.
        let doc = copydesk::Document::one_pass(draft.text);
        let result = copydesk::lint(&doc, &config);
        report_failures(&display, &result.rule_failures, &mut outcome.errors);
        report.diagnostics = keep_changed(result.diagnostics, &doc.line_index, &changed);
        let copydesk::Document { text, line_index, .. } = doc;
        report.source = Some(Source::for_findings(
            text,
            line_index,
            &report.diagnostics,
            options.keep,
        ));
        outcome.report = Some(report);
        return outcome;
    }

    let fixed = fix_scoped(&draft.text, &config, options.threshold, changed.clone());
    if !fixed.converged {
        outcome.errors.push(format!(
            "{display}: fixes did not converge after {MAX_FIX_PASSES} passes; the result was kept but may be incomplete"
        ));
    }
    report_failures(&display, &fixed.rule_failures, &mut outcome.errors);
    let changed_text = fixed.text != draft.text;
    report.fixes_applied = fixed.applied;
    if options.diff {
        if changed_text {
            outcome.diff = unified_diff(&display, &draft.text, &fixed.text);
        }
        // The report describes the draft as it is on disk.
        let (doc, result) = lint_text(&draft.text, &config);
        report.diagnostics = keep_changed(result.diagnostics, &doc.line_index, &changed);
        report.source = Some(Source::for_findings(
            draft.text,
            doc.line_index,
            &report.diagnostics,
            options.keep,
        ));
        outcome.report = Some(report);
        return outcome;
    }
    match &path {
        None => outcome.stdin_fixed = Some(fixed.text.clone()),
        Some(path) if changed_text => {
            if let Err(error) = write_atomic(path, &draft, &fixed.text) {
                let message = format!("{error:#}");
                outcome.errors.push(message.clone());
                report.error = Some(message);
                report.fixes_applied = 0;
                let (doc, result) = lint_text(&draft.text, &config);
                report.diagnostics = keep_changed(result.diagnostics, &doc.line_index, &changed);
                report.source = Some(Source::new(draft.text));
                outcome.report = Some(report);
                return outcome;
            }
        }
        Some(_) => {}
    }
    report.diagnostics = fixed.remaining;
    let line_index = LineIndex::new(&fixed.text);
    report.source = Some(Source::for_findings(
        fixed.text,
        line_index,
        &report.diagnostics,
        options.keep,
    ));
    outcome.report = Some(report);
    outcome
}

/// The findings that touch a changed line.
fn keep_changed(diagnostics: Vec<Diagnostic>, line_index: &LineIndex, changed: &ChangedLines) -> Vec<Diagnostic> {
    if matches!(changed, ChangedLines::All) {
        return diagnostics;
    }
    diagnostics
        .into_iter()
        .filter(|diagnostic| {
            let (first, last) = line_span(line_index, diagnostic.range);
            changed.touches(first, last)
        })
        .collect()
}

/// The result of fixing one draft, possibly only on its changed lines.
struct Fixed {
    text: String,
    applied: usize,
    /// Findings left (on changed lines), in the fixed text.
    remaining: Vec<Diagnostic>,
    rule_failures: Vec<(&'static str, String)>,
    converged: bool,
}

/// Fixes a draft. Without a line scope this is the core's `fix_text`. With one, only the
/// fixes of findings on changed lines are applied, and after each pass the changed lines are
/// carried over to the new text (lines the fixes rewrote stay changed), so old copy is never
/// touched.
fn fix_scoped(text: &str, config: &Config, threshold: Applicability, mut changed: ChangedLines) -> Fixed {
    if matches!(changed, ChangedLines::All) {
        let outcome = fix_text(text, config, threshold);
        return Fixed {
            text: outcome.text,
            applied: outcome.applied,
            remaining: outcome.remaining.diagnostics,
            rule_failures: outcome.remaining.rule_failures,
            converged: outcome.converged,
        };
    }
    let mut current = text.to_string();
    let mut applied = 0;
    let mut converged = false;
    let mut last = lint_text(&current, config);
    for _ in 0..MAX_FIX_PASSES {
        let line_index = &last.0.line_index;
        let fixes = last
            .1
            .diagnostics
            .iter()
            .filter(|diagnostic| {
                let (first, end) = line_span(line_index, diagnostic.range);
                changed.touches(first, end)
            })
            .filter_map(|diagnostic| {
                diagnostic
                    .fixes
                    .iter()
                    .find(|fix| fix.applicability >= threshold && !fix.edits.is_empty())
            });
        let (next, n_applied) = copydesk::fix::apply_fixes(&current, fixes);
        if n_applied == 0 || next == current {
            converged = true;
            break;
        }
        applied += n_applied;
        changed = carry_changed_lines(&changed, &current, &next);
        current = next;
        last = lint_text(&current, config);
    }
    let (doc, result) = last;
    Fixed {
        remaining: keep_changed(result.diagnostics, &doc.line_index, &changed),
        rule_failures: result.rule_failures,
        text: current,
        applied,
        converged,
    }
}

/// Maps changed lines of `old` onto `new`: an unchanged line keeps its state, a line the
/// fixes rewrote or inserted counts as changed.
fn carry_changed_lines(changed: &ChangedLines, old: &str, new: &str) -> ChangedLines {
    let ChangedLines::Lines(_) = changed else {
        return ChangedLines::All;
    };
    let diff = similar::TextDiff::from_lines(old, new);
    let mut lines = Vec::new();
    for op in diff.ops() {
        match *op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    if changed.touches(old_index + i + 1, old_index + i + 1) {
                        lines.push((new_index + i + 1, new_index + i + 1));
                    }
                }
            }
            similar::DiffOp::Insert { new_index, new_len, .. }
            | similar::DiffOp::Replace { new_index, new_len, .. }
                if new_len > 0 =>
            {
                lines.push((new_index + 1, new_index + new_len));
            }
            _ => {}
        }
    }
    ChangedLines::from_ranges(lines)
}

fn progress_bar(n_files: usize) -> Option<indicatif::ProgressBar> {
    if n_files <= PROGRESS_MIN_FILES || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(n_files as u64), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template("checking {pos}/{len} drafts {wide_bar} {elapsed}") {
        bar.set_style(style);
    }
    // Drawn at once, not at the first finished draft.
    bar.tick();
    Some(bar)
}

fn rule_id_known(id: &str) -> bool {
    copydesk::rules::all()
        .iter()
        .any(|rule| rule.meta().id == id || rule.meta().also_reports.contains(&id))
}

fn report_failures(path: &str, failures: &[(&'static str, String)], errors: &mut Vec<String>) {
    for (rule, message) in failures {
        errors.push(format!("{path}: internal error in rule `{rule}`: {message} (other rules' findings are complete; please report this)"));
    }
}

fn eprintln_safe(message: &str) {
    let _ = writeln!(io::stderr(), "{message}");
}

fn read_stdin(display: &str, max_bytes: u64) -> anyhow::Result<Draft> {
    let mut bytes = Vec::new();
    io::stdin()
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| anyhow::anyhow!("{display}: cannot read standard input: {error}"))?;
    if bytes.len() as u64 > max_bytes {
        anyhow::bail!(
            "{display}: input is larger than the {} MB limit (raise it with --max-file-size)",
            max_bytes / 1_000_000
        );
    }
    Draft::from_bytes(bytes, Path::new(display))
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Configuration per folder, loaded once, with the command line's `--select` and `--ignore`.
#[derive(Default)]
struct ConfigCache {
    by_given_dir: HashMap<PathBuf, Arc<Config>>,
    by_dir: HashMap<PathBuf, Arc<Config>>,
    by_file: HashMap<PathBuf, Arc<Config>>,
    default: Option<Arc<Config>>,
}

impl ConfigCache {
    fn for_dir(
        &mut self,
        dir: &Path,
        overrides: &impl Fn(Config) -> Arc<Config>,
    ) -> Result<Arc<Config>, copydesk::config::ConfigError> {
        // Drafts of one folder share its configuration: look the folder up as given first,
        // then by its canonical path (two spellings of one folder load its file once).
        if let Some(config) = self.by_given_dir.get(dir) {
            return Ok(config.clone());
        }
        let given = dir.to_path_buf();
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(config) = self.by_dir.get(&dir) {
            let config = config.clone();
            self.by_given_dir.insert(given, config.clone());
            return Ok(config);
        }
        let config = match find_config_file(&dir) {
            Some(file) => match self.by_file.get(&file) {
                Some(config) => config.clone(),
                None => {
                    let config = overrides(Config::load(&file)?);
                    self.by_file.insert(file, config.clone());
                    config
                }
            },
            None => self.default.get_or_insert_with(|| overrides(Config::default())).clone(),
        };
        self.by_dir.insert(dir, config.clone());
        self.by_given_dir.insert(given, config.clone());
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_follow_the_text_through_fixes() {
        let old = "a\nb b\nc\nd\n";
        let new = "a\nb\nc\nd\n";
        let changed = ChangedLines::Lines(vec![(2, 2), (4, 4)]);
        assert_eq!(
            carry_changed_lines(&changed, old, new),
            ChangedLines::Lines(vec![(2, 2), (4, 4)])
        );
        let joined = "a\nb c\nd\n";
        assert_eq!(
            carry_changed_lines(&changed, old, joined),
            ChangedLines::Lines(vec![(2, 3)])
        );
    }
}
