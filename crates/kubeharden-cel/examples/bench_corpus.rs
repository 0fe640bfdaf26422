//! What CEL policy evaluation costs next to the built-in lint, over the shared corpus:
//! `lint` lints every corpus file; `cel` compiles the 60 kubescape VAPs once, binds each to
//! everything (with the kubescape params) and admits every object of the corpus; `both`
//! does the two. Run under callgrind to count instructions:
//!
//! ```text
//! cargo build --release -p kubeharden-cel --example bench_corpus
//! valgrind --tool=callgrind target/release/examples/bench_corpus lint
//! valgrind --tool=callgrind target/release/examples/bench_corpus cel
//! ```

use std::path::{Path, PathBuf};

use kubeharden_cel::{Cluster, CompileOptions, PolicySet, Request};
use serde_json::{Value, json};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
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

fn docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("x", text), &Default::default());
    parsed
        .documents
        .iter()
        .map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root)))
        .filter(Value::is_object)
        .collect()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "both".into());
    let corpus = files(&shared().join("corpus/real"));
    if mode == "lint" || mode == "both" {
        let sources: Vec<kubeharden::Source> = corpus
            .iter()
            .map(|p| kubeharden::Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap_or_default()))
            .collect();
        let report = kubeharden::lint(&sources, &kubeharden::Config::default());
        println!("lint: {} files, {} findings", sources.len(), report.findings.len());
    }
    if mode == "cel" || mode == "both" {
        let suite = shared().join("conformance/vap-kubescape");
        let mut set = PolicySet::new(CompileOptions::default());
        let mut policies = 0;
        for control in files(&suite.join("controls")) {
            for doc in docs(&control) {
                if let Some(Ok(())) = set.add(&doc) {
                    let name = doc["metadata"]["name"].as_str().unwrap_or_default().to_string();
                    let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
                        "metadata": {"name": format!("{name}-all")},
                        "spec": {"policyName": name, "validationActions": ["Deny"], "paramRef": {"name": "basic-control-configuration", "parameterNotFoundAction": "Deny"}}});
                    set.add(&binding);
                    policies += 1;
                }
            }
        }
        let params = docs(&suite.join("configuration/basic-control-configuration.yaml"));
        let objects: Vec<Value> = corpus.iter().flat_map(|p| docs(p)).collect();
        let cluster = Cluster::new(params.iter().chain(objects.iter()));
        let mut decisions = 0;
        for object in &objects {
            decisions += set.admit(&Request::create(object), &cluster).len();
        }
        println!("cel: {policies} policies, {} objects, {decisions} decisions", objects.len());
    }
}
