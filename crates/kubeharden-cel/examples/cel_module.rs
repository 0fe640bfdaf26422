//! The CEL engine as a wasm module of its own, to measure what it weighs (the npm package
//! loads the policy engines lazily, on the first lint with a policy). JSON in, JSON out:
//! `admit_json` takes `{"policies": [...], "objects": [...], "cluster": [...]}` and returns
//! the decisions.
//!
//! ```text
//! cargo build --release --target wasm32-unknown-unknown -p kubeharden-cel --example cel_module
//! ```

use kubeharden_cel::{Cluster, CompileOptions, Outcome, PolicySet, Request};
use serde_json::{Value, json};

fn admit(input: &Value) -> Value {
    let mut set = PolicySet::new(CompileOptions::default());
    let mut errors = Vec::new();
    for p in input["policies"].as_array().into_iter().flatten() {
        if let Some(Err(e)) = set.add(p) {
            errors.extend(
                e.into_iter()
                    .map(|e| json!({"pointer": e.pointer, "line": e.line, "column": e.column, "message": e.message})),
            );
        }
    }
    let cluster_objects: Vec<&Value> = input["cluster"].as_array().into_iter().flatten().collect();
    let cluster = Cluster::new(cluster_objects);
    let mut decisions = Vec::new();
    for (i, object) in input["objects"].as_array().into_iter().flatten().enumerate() {
        for d in set.admit(&Request::create(object), &cluster) {
            let (message, kind) = match &d.outcome {
                Outcome::Violation(v) => (v.message.clone(), "violation"),
                Outcome::Error(e) => (e.message.clone(), "error"),
                Outcome::NotEvaluable(e) => (e.message.clone(), "not-evaluable"),
                Outcome::AuditAnnotation { value, .. } => (value.clone(), "audit-annotation"),
            };
            decisions.push(json!({"object": i, "policy": d.policy, "kind": d.kind, "binding": d.binding, "outcome": kind, "message": message}));
        }
    }
    json!({"errors": errors, "decisions": decisions})
}

/// Evaluates `{"policies", "objects", "cluster"}` and returns the decisions, as JSON.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn admit_json(input: &str) -> String {
    match serde_json::from_str::<Value>(input) {
        Ok(input) => admit(&input).to_string(),
        Err(e) => json!({"errors": [{"message": e.to_string()}]}).to_string(),
    }
}

// Built as a library (`--crate-type cdylib`) for wasm; natively this example does nothing.
#[allow(dead_code)]
fn main() {}
