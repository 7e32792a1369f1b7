//! `copydesk inspect`: what copydesk sees in a draft (sentences, quotations, people).
//! A debugging aid for writers of rules and for anyone puzzled by a finding.

use std::io::{self, Write};
use std::path::Path;

use copydesk::Document;

pub fn run(path: &Path, what: &str) -> i32 {
    let draft = match super::io::read_draft(path, u64::MAX) {
        Ok(draft) => draft,
        Err(error) => {
            let _ = writeln!(io::stderr(), "error: {error:#}");
            return 2;
        }
    };
    let doc = Document::new(draft.text);
    let _ = io::stdout()
        .lock()
        .write_all(copydesk::document::dump::dump(&doc, what).as_bytes());
    0
}
