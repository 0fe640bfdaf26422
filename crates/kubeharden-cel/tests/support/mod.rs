//! Set-up shared by the conformance tests: the shared data beside the repository, read in
//! place, and YAML files read into JSON documents.

// Each test file uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A folder of ../shared (the conformance data), relative to it.
pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel)
}

/// The JSON documents of a YAML file, empty ones left out.
pub fn read_docs(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("x", text), &Default::default());
    Ok(parsed
        .documents
        .iter()
        .map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root)))
        .filter(|d| !d.is_null())
        .collect())
}

/// The first document of a YAML file (`null` when it has none); panics when unreadable.
pub fn read_one(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("x", text), &Default::default());
    parsed
        .documents
        .iter()
        .map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root)))
        .next()
        .unwrap_or(Value::Null)
}
