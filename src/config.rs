//! `copydesk.toml`: per-rule severities, the house style, and the newsroom's lists.
//!
//! An unknown key, an unknown rule or a bad value is an error naming the file and line;
//! nothing falls back to a default silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;

/// The file names looked up, in order, in each folder from the draft's up to the root.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["copydesk.toml", ".copydesk.toml"];

/// A house style: which conventions the style rules enforce.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// Associated Press: no courtesy titles, "U.S.", "percent", titles lowercase when alone.
    #[default]
    Ap,
    /// A broadsheet style with courtesy titles on second reference (Mr. Lee, Ms. Ortiz).
    Courtesy,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Ap => "ap",
            Style::Courtesy => "courtesy",
        }
    }
}

/// A rule's configured level.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    pub fn parse(value: &str) -> Option<RuleLevel> {
        if value == "off" {
            return Some(RuleLevel::Off);
        }
        Severity::parse(value).map(RuleLevel::On)
    }
}

/// A person from the newsroom's list: the authority on spelling and title.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Resolved settings for linting one draft.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub style: Style,
    /// Configured levels by rule id; rules not listed use their defaults.
    pub rules: BTreeMap<String, RuleLevel>,
    /// The newsroom's people list.
    pub people: Vec<PersonEntry>,
    /// Preferred spelling -> variants to replace with it.
    pub spellings: BTreeMap<String, Vec<String>>,
    /// Lowercase brand names that may start a sentence (iPhone, eBay), added to the built-in list.
    pub lowercase_brands: Vec<String>,
    /// The file these settings came from, if any.
    pub path: Option<PathBuf>,
    /// Rules selected on the command line: only these run (default-off rules included).
    pub select: Option<Vec<String>>,
    /// Rules ignored on the command line.
    pub ignore: Vec<String>,
}

/// A mistake in a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    style: Option<Style>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    #[serde(default)]
    people: Vec<PersonEntry>,
    #[serde(default)]
    spellings: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    lowercase_brands: Vec<String>,
}

impl Config {
    /// Parses configuration text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            invalid(offset, error.message().trim().to_string())
        })?;
        let known = crate::rules::all();
        let mut rules = BTreeMap::new();
        for (id, level) in raw.rules {
            if !known.iter().any(|rule| rule.meta().id == id.get_ref()) {
                let hint = suggest(id.get_ref(), known.iter().map(|rule| rule.meta().id));
                return Err(invalid(
                    id.span().start,
                    format!("unknown rule `{}`{hint}", id.get_ref()),
                ));
            }
            let Some(parsed) = RuleLevel::parse(level.get_ref()) else {
                return Err(invalid(
                    level.span().start,
                    format!(
                        "invalid level `{}` for rule `{}`: expected one of off, hint, info, warning, error",
                        level.get_ref(),
                        id.get_ref()
                    ),
                ));
            };
            rules.insert(id.into_inner(), parsed);
        }
        for (preferred, variants) in &raw.spellings {
            if variants.iter().any(|variant| variant == preferred) {
                let offset = text.find(preferred.as_str()).unwrap_or(0);
                return Err(invalid(
                    offset,
                    format!("spelling `{preferred}` lists itself as a variant"),
                ));
            }
        }
        Ok(Config {
            style: raw.style.unwrap_or_default(),
            rules,
            people: raw.people,
            spellings: raw.spellings,
            lowercase_brands: raw.lowercase_brands,
            path: Some(path.to_path_buf()),
            select: None,
            ignore: Vec::new(),
        })
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// The level of a rule: configured, else its default; command-line selection applies on top.
    pub fn level(&self, meta: &crate::rules::RuleMeta) -> RuleLevel {
        if self.ignore.iter().any(|id| id == meta.id) {
            return RuleLevel::Off;
        }
        let selected = self.select.as_ref().map(|select| select.iter().any(|id| id == meta.id));
        if selected == Some(false) {
            return RuleLevel::Off;
        }
        match self.rules.get(meta.id) {
            Some(level) => *level,
            None if meta.default_enabled || selected == Some(true) => RuleLevel::On(meta.default_severity),
            None => RuleLevel::Off,
        }
    }
}

/// Finds the configuration file for a draft: `copydesk.toml` or `.copydesk.toml` in the
/// draft's folder or the nearest folder above it.
pub fn find_config_file(start_dir: &Path) -> Option<PathBuf> {
    let mut dir = Some(start_dir);
    while let Some(current) = dir {
        for name in CONFIG_FILE_NAMES {
            let candidate = current.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = current.parent();
    }
    None
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = crate::text::floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn suggest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|id| (edit_distance(unknown, id), id))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, id)| format!(" (did you mean `{id}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b_chars.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b_chars.len()]
}
