//! The shared corpus of real manifests, as the corpus and schema tests walk it.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The folder holding the corpus, read in place beside the repository.
pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real")
}

/// Every manifest of the corpus (YAML and JSON, not its `stats.json`), in name order so that
/// failures and reviews list files the same way on every machine.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![corpus_root()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
                && path.file_name().is_some_and(|n| n != "stats.json")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
