//! The rules' documentation as data: the package's generated docs file
//! (`crates/kubeharden-wasm/rule-docs.json`, written from the registry by
//! `tests/rule_docs.rs`), and where the registry reads a rule's docs from.
//!
//! With the `docs` feature the text is compiled into each rule ([`Docs`] in its file). Without
//! it (the wasm package, whose size matters) the rules carry [`Docs::EMPTY`] and the front end
//! hands the generated file to [`load_docs`] before the first call that renders docs; every
//! renderer (`explain`, `rules()`, SARIF `rules[]`) goes through [`docs_of`], so the output is
//! the same either way.

use serde::{Deserialize, Serialize};

use crate::rules::{Docs, Rule};

/// One rule's entry in the docs file, in catalogue order.
#[derive(Serialize, Deserialize)]
struct Entry<S, R> {
    id: S,
    what: S,
    why: S,
    fail: S,
    pass: S,
    fix: S,
    references: R,
}

/// The docs file: every rule's docs, as JSON, in catalogue order.
pub fn docs_json() -> String {
    let entries: Vec<Entry<&str, &[&str]>> = super::all()
        .map(|rule| {
            let d = docs_of(rule);
            Entry {
                id: rule.id,
                what: d.what,
                why: d.why,
                fail: d.fail,
                pass: d.pass,
                fix: d.fix,
                references: d.references,
            }
        })
        .collect();
    serde_json::to_string(&entries).unwrap_or_default()
}

/// A rule's documentation.
#[cfg(feature = "docs")]
pub fn docs_of(rule: &Rule) -> &Docs {
    &rule.docs
}

/// A rule's documentation: the loaded docs file's, or empty before [`load_docs`].
#[cfg(not(feature = "docs"))]
pub fn docs_of(rule: &Rule) -> &Docs {
    LOADED.get().and_then(|all| all.iter().find(|(id, _)| *id == rule.id)).map_or(&Docs::EMPTY, |(_, d)| d)
}

#[cfg(not(feature = "docs"))]
static LOADED: std::sync::OnceLock<Vec<(&'static str, Docs)>> = std::sync::OnceLock::new();

/// Whether the docs are available (compiled in, or loaded).
pub fn docs_loaded() -> bool {
    cfg!(feature = "docs") || loaded()
}

#[cfg(feature = "docs")]
fn loaded() -> bool {
    true
}

#[cfg(not(feature = "docs"))]
fn loaded() -> bool {
    LOADED.get().is_some()
}

/// Loads the docs file (the JSON of [`docs_json`]) for the rest of the process. Once loaded,
/// later calls do nothing; with the `docs` feature, nothing to do. Fails on a file that is
/// not the docs of this build's rules (a stale or foreign file), leaving nothing loaded.
#[cfg(not(feature = "docs"))]
pub fn load_docs(json: &str) -> Result<(), String> {
    if LOADED.get().is_some() {
        return Ok(());
    }
    let entries: Vec<Entry<String, Vec<String>>> =
        serde_json::from_str(json).map_err(|e| format!("not a rule docs file: {e}"))?;
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let expected: Vec<&str> = super::all().map(|r| r.id).collect();
    if ids != expected {
        return Err("the rule docs file does not match this build's rules".into());
    }
    // Loaded once per instance and kept until it ends: leaking gives the `&'static str` the
    // rules' compiled-in docs have, so every renderer takes either.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let table = entries
        .into_iter()
        .map(|e| {
            let references: Vec<&'static str> = e.references.into_iter().map(leak).collect();
            let docs = Docs {
                what: leak(e.what),
                why: leak(e.why),
                fail: leak(e.fail),
                pass: leak(e.pass),
                fix: leak(e.fix),
                references: Box::leak(references.into_boxed_slice()),
            };
            (leak(e.id), docs)
        })
        .collect();
    let _ = LOADED.set(table);
    Ok(())
}

/// With the docs compiled in there is nothing to load.
#[cfg(feature = "docs")]
pub fn load_docs(_json: &str) -> Result<(), String> {
    Ok(())
}
