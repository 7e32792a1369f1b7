//! `copydesk check`: find drafts, lint or fix them, report.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use copydesk::config::{Config, find_config_file};
use copydesk::{Applicability, Severity, fix_text, lint_text};

use super::io::{Draft, read_draft, write_atomic};
use super::report::{FileReport, Format, write_human, write_json};

/// Options of `copydesk check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders are searched for *.md and *.markdown, honouring
    /// .gitignore); `-` reads standard input.
    #[arg(default_value = ".")]
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
    /// Use this configuration file instead of looking for copydesk.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Refuse drafts larger than this many megabytes.
    #[arg(long, default_value_t = 16)]
    pub max_file_size: u64,
    /// The path to report standard input as (also used to find copydesk.toml).
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Colour output: auto (on a terminal), always or never.
    #[arg(long, value_parser = ["auto", "always", "never"], default_value = "auto")]
    pub color: String,
}

pub enum Input {
    Stdin,
    File(PathBuf),
}

/// Runs the command; returns the process exit code.
pub fn run(args: CheckArgs) -> i32 {
    let mut errors: Vec<String> = Vec::new();
    for id in args.select.iter().chain(&args.ignore) {
        if !rule_id_known(id) {
            eprintln_safe(&format!("error: unknown rule `{id}` (see `copydesk rules`)"));
            return 2;
        }
    }
    let inputs = collect_inputs(&args.paths, &mut errors);
    let explicit_config = match &args.config {
        Some(path) => match Config::load(path) {
            Ok(config) => Some(Arc::new(config)),
            Err(error) => {
                eprintln_safe(&format!("error: {error}"));
                return 2;
            }
        },
        None => None,
    };
    let mut configs = ConfigCache::default();
    let threshold = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let fail_on = Severity::parse(&args.fail_on).unwrap_or(Severity::Warning);
    let mut reports = Vec::new();
    let mut diff_output = String::new();
    let mut stdin_fixed: Option<String> = None;
    let max_bytes = args.max_file_size.saturating_mul(1_000_000);
    for input in inputs {
        let (display, config_dir) = match &input {
            Input::Stdin => {
                let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
                let dir = args
                    .stdin_filename
                    .as_ref()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .unwrap_or_else(|| PathBuf::from("."));
                (name.display().to_string(), dir)
            }
            Input::File(path) => (
                path.display().to_string(),
                path.parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from(".")),
            ),
        };
        let config = match &explicit_config {
            Some(config) => config.clone(),
            None => match configs.for_dir(&config_dir) {
                Ok(config) => config,
                Err(error) => {
                    eprintln_safe(&format!("error: {error}"));
                    return 2;
                }
            },
        };
        let mut config = (*config).clone();
        if !args.select.is_empty() {
            config.select = Some(args.select.clone());
        }
        config.ignore = args.ignore.clone();
        let draft = match &input {
            Input::Stdin => read_stdin(&display, max_bytes),
            Input::File(path) => read_draft(path, max_bytes),
        };
        let draft = match draft {
            Ok(draft) => draft,
            Err(error) => {
                errors.push(format!("{error:#}"));
                reports.push(FileReport {
                    path: display,
                    offset_base: 0,
                    document: None,
                    diagnostics: Vec::new(),
                    error: Some(format!("{error:#}")),
                    fixes_applied: 0,
                });
                continue;
            }
        };
        let mut report = FileReport {
            path: display.clone(),
            offset_base: draft.offset_base(),
            document: None,
            diagnostics: Vec::new(),
            error: None,
            fixes_applied: 0,
        };
        if args.fix || args.diff {
            let outcome = fix_text(&draft.text, &config, threshold);
            if !outcome.converged {
                errors.push(format!(
                    "{display}: fixes did not converge; the result was kept but may be incomplete"
                ));
            }
            report_failures(&display, &outcome.remaining.rule_failures, &mut errors);
            let changed = outcome.text != draft.text;
            if args.diff && changed {
                diff_output.push_str(&unified_diff(&display, &draft.text, &outcome.text));
            }
            if args.fix && changed {
                match &input {
                    Input::Stdin => stdin_fixed = Some(outcome.text.clone()),
                    Input::File(path) => {
                        if let Err(error) = write_atomic(path, &draft, &outcome.text) {
                            let message = format!("{error:#}");
                            errors.push(message.clone());
                            report.error = Some(message);
                        }
                    }
                }
            } else if args.fix && matches!(input, Input::Stdin) {
                stdin_fixed = Some(outcome.text.clone());
            }
            if report.error.is_none() && !args.diff {
                report.fixes_applied = outcome.applied;
            }
            if args.diff {
                // The report describes the draft as it is on disk.
                let (doc, result) = lint_text(&draft.text, &config);
                report.document = Some(doc);
                report.diagnostics = result.diagnostics;
            } else if report.error.is_some() {
                let (doc, result) = lint_text(&draft.text, &config);
                report.document = Some(doc);
                report.diagnostics = result.diagnostics;
            } else {
                report.document = Some(outcome.document);
                report.diagnostics = outcome.remaining.diagnostics;
            }
        } else {
            let (doc, result) = lint_text(&draft.text, &config);
            report_failures(&display, &result.rule_failures, &mut errors);
            report.document = Some(doc);
            report.diagnostics = result.diagnostics;
        }
        reports.push(report);
    }

    let stdout = io::stdout();
    let mut out = stdout.lock();
    // With `--fix -` the fixed text goes to standard output and the report to standard error.
    let report_to_stderr = stdin_fixed.is_some();
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => !report_to_stderr && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let write_result = (|| -> io::Result<()> {
        if let Some(fixed) = &stdin_fixed {
            out.write_all(fixed.as_bytes())?;
            out.flush()?;
        }
        if args.diff {
            out.write_all(diff_output.as_bytes())?;
        }
        let mut sink: Box<dyn Write> = if report_to_stderr {
            Box::new(io::stderr())
        } else {
            Box::new(&mut out)
        };
        match args.format {
            Format::Human => write_human(&mut *sink, &reports, color, !args.fix),
            Format::Json => write_json(&mut *sink, &reports),
        }
    })();
    if let Err(error) = write_result
        && error.kind() != io::ErrorKind::BrokenPipe
    {
        errors.push(format!("cannot write output: {error}"));
    }
    for error in &errors {
        eprintln_safe(&format!("error: {error}"));
    }
    if !errors.is_empty() {
        return 2;
    }
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

/// Expands the command line's paths into inputs, in a deterministic order.
fn collect_inputs(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => errors.push(format!("{}: {}", path.display(), describe_io(&error))),
            Ok(metadata) if metadata.is_dir() => {
                let mut found: Vec<PathBuf> = Vec::new();
                let walker = ignore::WalkBuilder::new(path).require_git(false).build();
                for entry in walker {
                    match entry {
                        Ok(entry) => {
                            let is_file = entry.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                            let is_draft = entry
                                .path()
                                .extension()
                                .is_some_and(|ext| ext == "md" || ext == "markdown");
                            if is_file && is_draft {
                                found.push(entry.into_path());
                            }
                        }
                        Err(error) => errors.push(format!("{}: {error}", path.display())),
                    }
                }
                if found.is_empty() {
                    errors.push(format!(
                        "{}: no Markdown drafts (*.md, *.markdown) found",
                        path.display()
                    ));
                }
                found.sort();
                inputs.extend(found.into_iter().map(Input::File));
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    inputs
}

fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Configuration per folder, loaded once.
#[derive(Default)]
struct ConfigCache {
    by_dir: HashMap<PathBuf, Arc<Config>>,
    by_file: HashMap<PathBuf, Arc<Config>>,
}

impl ConfigCache {
    fn for_dir(&mut self, dir: &Path) -> Result<Arc<Config>, copydesk::config::ConfigError> {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(config) = self.by_dir.get(&dir) {
            return Ok(config.clone());
        }
        let config = match find_config_file(&dir) {
            Some(file) => match self.by_file.get(&file) {
                Some(config) => config.clone(),
                None => {
                    let config = Arc::new(Config::load(&file)?);
                    self.by_file.insert(file, config.clone());
                    config
                }
            },
            None => Arc::new(Config::default()),
        };
        self.by_dir.insert(dir, config.clone());
        Ok(config)
    }
}
