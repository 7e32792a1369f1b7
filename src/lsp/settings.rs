//! Settings: the client's (`initializationOptions` and the `copydesk` section of
//! `workspace/configuration`) on top of `copydesk.toml`.
//!
//! Client settings, all optional:
//!
//! | key | value |
//! | --- | --- |
//! | `style` | `"ap"` or `"courtesy"`: overrides the file's `style` |
//! | `rules` | `{ "<rule id>": "off" \| "hint" \| "info" \| "warning" \| "error" }`: override the file's levels rule by rule |
//! | `inlayHints.enable` (or `inlayHints: bool`) | show who each quotation is attributed to; default `true` |
//! | `codeLens.enable` (or `codeLens: bool`) | the quotes summary at the top of a draft; default `true` |
//! | `documentationUrl` | where rule pages live: a base URL (the id and `.md` are appended) or a template with `{rule}` |
//!
//! A mistake in the client's settings is reported with `window/showMessage` and that one key
//! is ignored. A broken `copydesk.toml` gets a diagnostic on the file and a message, and the
//! drafts below it keep the file's last good settings.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::config::{Config, ConfigError, RuleLevel, Style, find_config_file};

/// Settings sent by the client.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ClientSettings {
    pub style: Option<Style>,
    pub rules: BTreeMap<String, RuleLevel>,
    pub inlay_hints: bool,
    pub code_lens: bool,
    pub documentation_url: Option<String>,
}

impl Default for ClientSettings {
    fn default() -> ClientSettings {
        ClientSettings {
            style: None,
            rules: BTreeMap::new(),
            inlay_hints: true,
            code_lens: true,
            documentation_url: None,
        }
    }
}

impl ClientSettings {
    /// Reads settings from the `copydesk` section, or from an object holding it under
    /// `copydesk`. Returns the settings and the problems found (each key with a problem is ignored).
    pub fn from_value(value: &Value) -> (ClientSettings, Vec<String>) {
        let mut settings = ClientSettings::default();
        let mut problems = Vec::new();
        let section = match value.get("copydesk") {
            Some(section) => section,
            None => value,
        };
        let object = match section {
            Value::Object(object) => object,
            Value::Null => return (settings, problems),
            _ => {
                problems.push("copydesk settings must be an object".to_string());
                return (settings, problems);
            }
        };
        for (key, value) in object {
            match key.as_str() {
                "style" => match serde_json::from_value::<Style>(value.clone()) {
                    Ok(style) => settings.style = Some(style),
                    Err(_) if value.is_null() => {}
                    Err(_) => problems.push(format!("copydesk.style: expected \"ap\" or \"courtesy\", got {value}")),
                },
                "rules" => match value {
                    Value::Object(rules) => {
                        for (id, level) in rules {
                            if crate::rules::by_id(id).is_none() && !is_also_reported(id) {
                                problems.push(format!("copydesk.rules: unknown rule `{id}`"));
                                continue;
                            }
                            match level.as_str().and_then(RuleLevel::parse) {
                                Some(level) => {
                                    settings.rules.insert(id.clone(), level);
                                }
                                None => problems.push(format!(
                                    "copydesk.rules.{id}: expected one of off, hint, info, warning, error, got {level}"
                                )),
                            }
                        }
                    }
                    Value::Null => {}
                    _ => problems.push("copydesk.rules must map rule ids to levels".to_string()),
                },
                "inlayHints" => match toggle(value) {
                    Some(enabled) => settings.inlay_hints = enabled,
                    None => problems.push(format!(
                        "copydesk.inlayHints.enable: expected true or false, got {value}"
                    )),
                },
                "codeLens" => match toggle(value) {
                    Some(enabled) => settings.code_lens = enabled,
                    None => problems.push(format!("copydesk.codeLens.enable: expected true or false, got {value}")),
                },
                "documentationUrl" => match value {
                    Value::String(url) if !url.is_empty() => settings.documentation_url = Some(url.clone()),
                    Value::String(_) | Value::Null => {}
                    _ => problems.push(format!("copydesk.documentationUrl: expected a URL, got {value}")),
                },
                // Read by editor extensions (where the binary is, tracing), not by the server.
                "path" | "trace" | "server" | "enable" => {}
                other => problems.push(format!("unknown setting `copydesk.{other}`")),
            }
        }
        (settings, problems)
    }

    /// The file's configuration with these settings on top.
    pub fn apply(&self, base: &Config) -> Config {
        let mut config = base.clone();
        if let Some(style) = self.style {
            config.style = style;
        }
        for (id, level) in &self.rules {
            config.rules.insert(id.clone(), *level);
        }
        config
    }
}

fn is_also_reported(id: &str) -> bool {
    crate::rules::all()
        .iter()
        .any(|rule| rule.meta().also_reports.contains(&id))
}

/// `true`, `false`, or `{ "enable": bool }` (VS Code sends dotted settings as nested objects).
fn toggle(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(enabled) => Some(*enabled),
        Value::Object(object) => match object.get("enable").or_else(|| object.get("enabled")) {
            Some(Value::Bool(enabled)) => Some(*enabled),
            None => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// What happened when a configuration file was (re)loaded.
pub(crate) enum FileEvent {
    /// The file failed to load; the drafts keep its last good settings.
    Broken { path: PathBuf, error: ConfigError },
    /// The file loads again (or was removed) after an error: clear its diagnostic.
    Fixed { path: PathBuf },
}

#[derive(Default)]
struct FileEntry {
    last_good: Option<Arc<Config>>,
    error: Option<String>,
}

/// `copydesk.toml` files by path, and which file governs each folder.
#[derive(Default)]
pub(crate) struct ConfigFiles {
    files: HashMap<PathBuf, FileEntry>,
    folders: HashMap<PathBuf, Option<PathBuf>>,
}

impl ConfigFiles {
    /// The file settings for a draft in `folder` (defaults when no file governs it), loading
    /// the file on first use. Problems are appended to `events`.
    pub fn for_folder(&mut self, folder: &Path, events: &mut Vec<FileEvent>) -> Arc<Config> {
        let path = self
            .folders
            .entry(folder.to_path_buf())
            .or_insert_with(|| find_config_file(folder))
            .clone();
        let Some(path) = path else {
            return Arc::new(Config::default());
        };
        if !self.files.contains_key(&path) {
            self.load(&path, events);
        }
        self.files
            .get(&path)
            .and_then(|entry| entry.last_good.clone())
            .unwrap_or_else(|| Arc::new(Config::default()))
    }

    /// Forgets which file governs which folder (a file may have appeared or gone) and reloads
    /// the files already known.
    pub fn reload_all(&mut self, events: &mut Vec<FileEvent>) {
        self.folders.clear();
        let paths: Vec<PathBuf> = self.files.keys().cloned().collect();
        for path in paths {
            self.load(&path, events);
        }
    }

    fn load(&mut self, path: &Path, events: &mut Vec<FileEvent>) {
        let entry = self.files.entry(path.to_path_buf()).or_default();
        match Config::load(path) {
            Ok(config) => {
                entry.last_good = Some(Arc::new(config));
                if entry.error.take().is_some() {
                    events.push(FileEvent::Fixed {
                        path: path.to_path_buf(),
                    });
                }
            }
            Err(ConfigError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                // The file is gone: forget it, and its error with it.
                let had_error = entry.error.is_some();
                self.files.remove(path);
                if had_error {
                    events.push(FileEvent::Fixed {
                        path: path.to_path_buf(),
                    });
                }
            }
            Err(error) => {
                let message = error.to_string();
                tracing::error!("{message}");
                if entry.error.as_deref() != Some(message.as_str()) {
                    entry.error = Some(message);
                    events.push(FileEvent::Broken {
                        path: path.to_path_buf(),
                        error,
                    });
                }
            }
        }
    }
}

/// Whether a path names a configuration file.
pub(crate) fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| crate::config::CONFIG_FILE_NAMES.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_parse_and_report_problems() {
        let (settings, problems) = ClientSettings::from_value(&json!({"copydesk": {
            "style": "courtesy",
            "rules": {"repeated-word": "error", "nope": "off", "stray-punctuation": "loud"},
            "inlayHints": {"enable": false},
            "codeLens": false,
            "documentationUrl": "https://example.com/rules/{rule}",
            "colour": "red",
        }}));
        assert_eq!(settings.style, Some(Style::Courtesy));
        assert_eq!(
            settings.rules.get("repeated-word"),
            Some(&RuleLevel::On(crate::Severity::Error))
        );
        assert!(!settings.inlay_hints);
        assert!(!settings.code_lens);
        assert_eq!(problems.len(), 3, "{problems:?}");
        let (defaults, problems) = ClientSettings::from_value(&Value::Null);
        assert_eq!(defaults, ClientSettings::default());
        assert!(problems.is_empty());
    }
}
