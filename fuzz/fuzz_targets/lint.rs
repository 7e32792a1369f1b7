//! Fuzz target 1: lint arbitrary bytes as a draft. Anything that is not UTF-8 is turned into
//! text lossily, as a reader of the file would; building the model and linting must never
//! panic, overflow the stack or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = copydesk::Document::new(text.as_ref());
    let result = copydesk::lint(&doc, &copydesk::invariants::all_rules());
    assert!(
        result.rule_failures.is_empty(),
        "a rule panicked: {:?}",
        result.rule_failures
    );
});
