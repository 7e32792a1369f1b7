//! The language server: `copydesk server` speaks LSP over stdio.
//!
//! A thin layer over the core, in the manner of rust-analyzer's: drafts live in ropes
//! (`server.rs`), each version is analysed once off the async runtime (`analysis.rs`), and the
//! features read that analysis (`actions.rs` for code actions, `people.rs` for hover, symbols,
//! references, rename, inlay hints and the code lens). Positions are converted in
//! `convert.rs` and nowhere else; the framing that survives broken input is `transport.rs`.
//!
//! stdout is the protocol: nothing here prints; logs go to stderr through `tracing`
//! (`COPYDESK_LOG=debug` for more).

mod actions;
mod analysis;
mod attribution;
pub mod convert;
mod people;
mod server;
mod settings;
mod transport;

use tokio::io::{AsyncRead, AsyncWrite};

/// Serves LSP on a pair of byte streams until `exit` or the end of the input, and returns the
/// exit code: 0 after `shutdown`, 1 otherwise. Tests run it over in-memory pipes.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    transport::serve(input, transport::Output::Stream(output)).await
}

/// What the server makes of a draft opened with `initial` and then sent `changes`: each
/// content change applied to the draft's rope as `didChange` applies it, and each version
/// analysed as the lint loop analyses it, reusing the previous version's analysis (the server
/// may skip versions while it debounces; analysing every one exercises the reuse most).
/// Returns the rope's text and the diagnostics that would be published for the last version.
/// Exposed for the edit property test (`tests/properties.rs`) and fuzz target
/// (`fuzz/fuzz_targets/edits.rs`); not an API.
#[doc(hidden)]
pub fn edit_and_analyse(
    initial: &str,
    changes: &[tower_lsp::lsp_types::TextDocumentContentChangeEvent],
    encoding: convert::Encoding,
    config: &crate::Config,
) -> (String, Vec<tower_lsp::lsp_types::Diagnostic>) {
    use std::sync::Arc;
    let config = Arc::new(config.clone());
    let docs_url: Arc<str> = analysis::default_docs_url().into();
    let mut rope = ropey::Rope::from_str(initial);
    let mut previous: Option<Arc<analysis::Analysis>> = None;
    for version in 0..=changes.len() {
        if version > 0 {
            let change = &changes[version - 1];
            convert::apply_change(&mut rope, change.range, &change.text, encoding);
        }
        let job = analysis::Job {
            revision: version as u64 + 1,
            version: version as i32,
            rope: rope.clone(),
            encoding,
            docs_url: docs_url.clone(),
            previous: previous.take(),
        };
        previous = Some(Arc::new(analysis::analyze(job, config.clone(), version as u64 + 1)));
    }
    let last = previous.expect("at least one version is analysed");
    (last.rope.to_string(), last.diagnostics.clone())
}

/// Runs the server on stdin and stdout; returns the process exit code.
pub fn run_stdio() -> i32 {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("cannot start the async runtime: {error}");
            return 2;
        }
    };
    let code = runtime.block_on(transport::serve(
        transport::StdinReader::spawn(),
        transport::Output::<tokio::io::Stdout>::Stdout,
    ));
    // Lint tasks still running on the blocking pool are abandoned, not awaited.
    runtime.shutdown_background();
    code
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("COPYDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
