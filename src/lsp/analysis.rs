//! One version of a draft, analysed: the model, the findings, and the findings in LSP form.
//!
//! Built off the async runtime (in a blocking task) from a rope snapshot, so the handlers only
//! ever read a finished, immutable `Analysis` through an `Arc`.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, CodeDescription, NumberOrString, Url};

use super::attribution;
use super::convert::{Encoding, PositionMap, TextPositions};
use crate::config::Config;
use crate::{Document, LintResult, Severity};

/// At most this many findings are published for one draft; past it, a notice says how many
/// were left out, so a pathological draft cannot flood the editor.
pub(crate) const MAX_PUBLISHED: usize = 10_000;

/// The source name on every diagnostic.
pub(crate) const SOURCE: &str = "copydesk";

/// What the analysis of one version needs.
pub(crate) struct Job {
    pub revision: u64,
    pub version: i32,
    pub rope: Rope,
    pub encoding: Encoding,
    /// The documentation page of a rule: the base URL with the id and `.md` appended, or a
    /// template with `{rule}` in it.
    pub docs_url: Arc<str>,
    /// The last analysis of this draft, whose unchanged blocks the new one reuses.
    pub previous: Option<Arc<Analysis>>,
}

pub(crate) struct Analysis {
    /// Our own counter for the draft's text: it only grows, whatever versions the client sends.
    pub revision: u64,
    /// The client's version of the text analysed.
    pub version: i32,
    /// Unique across the session; the `resultId` of pull diagnostics.
    pub serial: u64,
    pub rope: Rope,
    pub encoding: Encoding,
    pub document: Document,
    pub result: LintResult,
    pub config: Arc<Config>,
    /// Findings in LSP form, in the order of `result.diagnostics` (plus notices at the end).
    pub diagnostics: Vec<lsp::Diagnostic>,
    /// The quotations of speech and who said them, in document order.
    pub quotes: Vec<attribution::Quote>,
}

impl Analysis {
    pub fn positions(&self) -> PositionMap<'_> {
        PositionMap::new(&self.rope, self.encoding)
    }

    /// The draft's text.
    pub fn text(&self) -> &str {
        &self.document.text
    }
}

/// Analyses one version. Never panics on a rule's behalf (the engine catches rule panics); a
/// panic in the model is caught by the caller, which falls back to [`Analysis::failed`].
pub(crate) fn analyze(job: Job, config: Arc<Config>, serial: u64) -> Analysis {
    let started = std::time::Instant::now();
    let text = job.rope.to_string();
    let copied = started.elapsed();
    let document = match &job.previous {
        Some(previous) => Document::reusing(text, &previous.document),
        None => Document::new(text),
    };
    let modelled = started.elapsed();
    let result = crate::lint::lint_in_parallel(
        &document,
        &config,
        job.previous.as_ref().map(|previous| &previous.result),
    );
    // Hover, symbols and the next version read people and attribution: find them here, off
    // the async runtime, even when no enabled rule did.
    document.complete();
    let linted = started.elapsed();
    for (rule, message) in &result.rule_failures {
        tracing::error!("rule `{rule}` panicked on {} bytes: {message}", document.text.len());
    }
    let quotes = attribution::quotes(&document);
    let attributed = started.elapsed();
    let mut analysis = Analysis {
        revision: job.revision,
        version: job.version,
        serial,
        rope: job.rope,
        encoding: job.encoding,
        document,
        result,
        config,
        diagnostics: Vec::new(),
        quotes,
    };
    analysis.diagnostics = lsp_diagnostics(&analysis, &job.docs_url);
    tracing::debug!(
        "analysed version {} ({} bytes): copy {:?}, model {:?}, rules {:?}, attribution {:?}, conversion {:?}",
        analysis.version,
        analysis.document.text.len(),
        copied,
        modelled - copied,
        linted - modelled,
        attributed - linted,
        started.elapsed() - attributed
    );
    analysis
}

impl Analysis {
    /// What is left when building the model panicked: the text, no findings, and one
    /// diagnostic saying so.
    pub(crate) fn failed(job: Job, config: Arc<Config>, serial: u64, message: &str) -> Analysis {
        let mut analysis = Analysis {
            revision: job.revision,
            version: job.version,
            serial,
            rope: job.rope,
            encoding: job.encoding,
            document: Document::new(""),
            result: LintResult::default(),
            config,
            diagnostics: Vec::new(),
            quotes: Vec::new(),
        };
        analysis.diagnostics.push(notice(
            format!("copydesk could not analyse this draft (internal error: {message})"),
            lsp::DiagnosticSeverity::ERROR,
        ));
        analysis
    }
}

fn lsp_diagnostics(analysis: &Analysis, docs_url: &str) -> Vec<lsp::Diagnostic> {
    let document = &analysis.document;
    let positions = TextPositions::new(&document.text, &document.line_index, analysis.encoding);
    let findings = &analysis.result.diagnostics;
    // Each rule's page is parsed into a URL once, not once per finding.
    let mut urls: Vec<(&str, Option<Url>)> = Vec::new();
    let mut url_of = |rule: &'static str| -> Option<Url> {
        if let Some((_, url)) = urls.iter().find(|(id, _)| *id == rule) {
            return url.clone();
        }
        let url = rule_url(docs_url, rule);
        urls.push((rule, url.clone()));
        url
    };
    let mut out: Vec<lsp::Diagnostic> = findings
        .iter()
        .take(MAX_PUBLISHED)
        .map(|diagnostic| lsp::Diagnostic {
            range: positions.range(diagnostic.range),
            severity: Some(severity(diagnostic.severity)),
            code: Some(NumberOrString::String(diagnostic.rule.to_string())),
            code_description: url_of(diagnostic.rule).map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_string()),
            message: diagnostic.message.clone(),
            related_information: None,
            tags: None,
            data: None,
        })
        .collect();
    if findings.len() > MAX_PUBLISHED {
        out.push(notice(
            format!(
                "copydesk shows the first {MAX_PUBLISHED} of {} findings in this draft; run `copydesk check` for all of them",
                findings.len()
            ),
            lsp::DiagnosticSeverity::INFORMATION,
        ));
    }
    for (rule, _) in &analysis.result.rule_failures {
        out.push(notice(
            format!("copydesk: the rule `{rule}` failed on this draft (internal error); its findings are missing"),
            lsp::DiagnosticSeverity::INFORMATION,
        ));
    }
    out
}

/// A diagnostic about copydesk itself, on the first character of the draft.
fn notice(message: String, severity: lsp::DiagnosticSeverity) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: lsp::Range::default(),
        severity: Some(severity),
        source: Some(SOURCE.to_string()),
        message,
        ..lsp::Diagnostic::default()
    }
}

pub(crate) fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The documentation page of a rule: `{rule}` in the template is replaced by the id;
/// without it, `<id>.md` is appended to the base.
pub(crate) fn rule_url(docs_url: &str, rule: &str) -> Option<Url> {
    let url = if docs_url.contains("{rule}") {
        docs_url.replace("{rule}", rule)
    } else if docs_url.ends_with('/') {
        format!("{docs_url}{rule}.md")
    } else {
        format!("{docs_url}/{rule}.md")
    };
    Url::parse(&url).ok()
}

/// The default base of rule documentation links: the repository's `docs/rules/` when the
/// package names its repository, else the `docs/rules/` folder of the source tree the binary
/// was built from (a `file:` URL; it opens the page in the editor).
pub(crate) fn default_docs_url() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    if !repository.is_empty() {
        return format!("{repository}/blob/main/docs/rules/{{rule}}.md");
    }
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    match Url::from_directory_path(&folder) {
        Ok(url) => url.to_string(),
        Err(()) => String::new(),
    }
}
