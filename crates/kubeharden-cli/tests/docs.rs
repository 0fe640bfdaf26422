//! `docs/rules.md` is generated from the rule registry; this test fails when it is stale (a rule
//! was added or its docs changed) and says how to regenerate it.

use std::path::Path;

/// The one command that regenerates the file (also in the file's header and the README).
const REGENERATE: &str = "cargo run -q -p kubeharden-cli -- rules --format markdown --output docs/rules.md";

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let expected = kubeharden::registry::rules_markdown();
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    let first_difference = expected
        .lines()
        .zip(actual.lines().chain(std::iter::repeat("<end of file>")))
        .enumerate()
        .find(|(_, (want, have))| want != have)
        .map(|(i, (want, have))| format!("first difference at line {}:\n  expected: {want}\n  found:    {have}", i + 1))
        .unwrap_or_else(|| "the file has extra lines at the end".to_owned());
    panic!(
        "docs/rules.md is stale: the rule registry changed. Regenerate it from the repository root with\n\n    {REGENERATE}\n\n{first_difference}"
    );
}

#[test]
fn the_header_names_the_command() {
    assert!(kubeharden::registry::rules_markdown().contains(REGENERATE));
}
