//! Every file of the shared corpus of real manifests lints without a panic, and the reader
//! agrees with the corpus' own statistics on which files parse.

use std::fs;

use kubeharden::{Config, lint_str};

#[path = "support/corpus.rs"]
mod corpus_support;
use corpus_support::corpus_files;

#[test]
fn every_corpus_file_lints() {
    let files = corpus_files();
    assert!(files.len() > 300, "corpus not found or incomplete: {} files", files.len());
    let mut unreadable = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let report = lint_str(&path.to_string_lossy(), &text, &Config::default());
        assert_eq!(report.schema_version, 1);
        if report.findings.iter().any(|f| f.rule == "invalid-yaml" || f.rule == "input-limit-exceeded") {
            unreadable.push(path.display().to_string());
        }
    }
    // The corpus' stats.json records no parse errors for any file.
    assert!(unreadable.is_empty(), "files that did not parse: {unreadable:#?}");
}
