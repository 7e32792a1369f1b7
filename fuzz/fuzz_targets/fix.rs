//! Fuzz target 2: lint, apply all fixes, re-lint. Fixes converge within the bound, edits
//! never overlap, text outside the fixed ranges is unchanged, and nothing inside code, HTML,
//! front matter or quotations changes unless the rule works on quotation marks
//! (`copydesk::invariants::check`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(violation) = copydesk::invariants::check(text)
    {
        panic!("{violation}");
    }
});
