//! What CEL policy evaluation costs next to the built-in lint, over the shared corpus.
//!
//! `both` (the default) runs, in one process and in this order, each phase in a function of
//! its own:
//!
//! - `phase_lint`: the built-in lint of every corpus file (YAML parse included);
//! - `phase_parse`: the corpus read into YAML trees, what the CLI has already done for the
//!   lint (not counted as policy time);
//! - `phase_to_json`: those trees as JSON documents, which the policy layer builds itself;
//! - `phase_compile`: the 60 kubescape VAPs compiled once, each bound to everything (with the
//!   kubescape params);
//! - `phase_admit`: every object of the corpus admitted through all of them.
//!
//! It prints each phase's wall time (the best of `--repeat N` runs, default 1) and the ratio
//! of the policy time (to_json + compile + admit) to the lint's. Wall time on a shared machine
//! is noisy; instruction counts are not. Under callgrind, the inclusive count of each
//! `bench_corpus::phase_*` function is that phase's:
//!
//! ```text
//! cargo build --release -p kubeharden-cel --example bench_corpus
//! target/release/examples/bench_corpus --repeat 5
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/bench.out target/release/examples/bench_corpus
//! callgrind_annotate --inclusive=yes /tmp/bench.out | grep 'bench_corpus::phase'
//! ```
//!
//! `lint` and `cel` run only the built-in lint, or only the policy phases. `--decisions FILE`
//! writes every decision, one a line, to compare the answers of two builds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn objects_of(parsed: &kubeharden_source::ParsedSource) -> Vec<Value> {
    parsed
        .documents
        .iter()
        .map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root)))
        .filter(Value::is_object)
        .collect()
}

fn docs(path: &Path) -> Vec<Value> {
    objects_of(&kubeharden_source::parse(&kubeharden_source::Source::new("x", read(path)), &Default::default()))
}

#[inline(never)]
fn phase_lint(sources: &[kubeharden::Source]) -> usize {
    kubeharden::lint(sources, &kubeharden::Config::default()).findings.len()
}

#[inline(never)]
fn phase_parse(texts: &[String]) -> Vec<kubeharden_source::ParsedSource> {
    texts
        .iter()
        .map(|t| kubeharden_source::parse(&kubeharden_source::Source::new("x", t.clone()), &Default::default()))
        .collect()
}

#[inline(never)]
fn phase_to_json(parsed: &[kubeharden_source::ParsedSource]) -> Vec<Value> {
    parsed.iter().flat_map(objects_of).collect()
}

/// The kubescape controls' policy documents, read once outside the timed phases.
fn kubescape_policies() -> (Vec<Value>, Vec<Value>) {
    let suite = shared().join("conformance/vap-kubescape");
    let policies = files(&suite.join("controls")).iter().flat_map(|p| docs(p)).collect();
    let params = docs(&suite.join("configuration/basic-control-configuration.yaml"));
    (policies, params)
}

#[inline(never)]
fn phase_compile(policies: &[Value]) -> (PolicySet, usize) {
    let mut set = PolicySet::new(CompileOptions::default());
    let mut compiled = 0;
    for doc in policies {
        if let Some(Ok(())) = set.add(doc) {
            let name = doc["metadata"]["name"].as_str().unwrap_or_default().to_string();
            let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
                "metadata": {"name": format!("{name}-all")},
                "spec": {"policyName": name, "validationActions": ["Deny"], "paramRef": {"name": "basic-control-configuration", "parameterNotFoundAction": "Deny"}}});
            set.add(&binding);
            compiled += 1;
        }
    }
    (set, compiled)
}

#[inline(never)]
fn phase_admit(set: &PolicySet, params: &[Value], objects: &[Value]) -> usize {
    let cluster = Cluster::new(params.iter().chain(objects.iter()));
    objects.iter().map(|object| set.admit(&Request::create(object), &cluster).len()).sum()
}

/// Every decision, one line each, to compare two builds' answers (`--decisions FILE`).
fn write_decisions(path: &str, set: &PolicySet, params: &[Value], objects: &[Value]) {
    use std::fmt::Write;
    let cluster = Cluster::new(params.iter().chain(objects.iter()));
    let mut text = String::new();
    for (i, object) in objects.iter().enumerate() {
        for d in set.admit(&Request::create(object), &cluster) {
            let _ = writeln!(text, "{i} {} {} {:?} {:?}", object["kind"], d.policy, d.binding, d.outcome);
        }
    }
    if let Err(err) = std::fs::write(path, text) {
        eprintln!("{path}: {err}");
    }
}

/// Runs `f` `repeat` times; its last result and its shortest time.
fn timed<T>(repeat: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let start = Instant::now();
    let mut value = f();
    let mut best = start.elapsed();
    for _ in 1..repeat {
        let start = Instant::now();
        let next = f();
        best = best.min(start.elapsed());
        // The previous result is dropped outside the timed span.
        value = next;
    }
    (value, best)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let mode = args.first().filter(|a| !a.starts_with("--")).map_or("both", String::as_str);
    let repeat = option("--repeat").and_then(|n| n.parse().ok()).unwrap_or(1);
    let corpus = files(&shared().join("corpus/real"));
    let texts: Vec<String> = corpus.iter().map(|p| read(p)).collect();
    let mut lint_time = None;
    if mode == "lint" || mode == "both" {
        let sources: Vec<kubeharden::Source> = corpus
            .iter()
            .zip(&texts)
            .map(|(p, t)| kubeharden::Source::new(p.display().to_string(), t.clone()))
            .collect();
        let (findings, time) = timed(repeat, || phase_lint(&sources));
        println!("lint: {} files, {findings} findings: {:.1} ms", sources.len(), ms(time));
        lint_time = Some(time);
    }
    if mode == "cel" || mode == "both" {
        let (policy_docs, params) = kubescape_policies();
        let (parsed, parse_time) = timed(repeat, || phase_parse(&texts));
        let (objects, json_time) = timed(repeat, || phase_to_json(&parsed));
        let ((set, policies), compile_time) = timed(repeat, || phase_compile(&policy_docs));
        let (decisions, admit_time) = timed(repeat, || phase_admit(&set, &params, &objects));
        if let Some(path) = option("--decisions") {
            write_decisions(&path, &set, &params, &objects);
        }
        let policy_time = json_time + compile_time + admit_time;
        println!(
            "cel: {policies} policies, {} objects, {decisions} decisions: to_json {:.1} ms + compile {:.1} ms + admit {:.1} ms = {:.1} ms (YAML parse, shared with the lint: {:.1} ms)",
            objects.len(),
            ms(json_time),
            ms(compile_time),
            ms(admit_time),
            ms(policy_time),
            ms(parse_time),
        );
        if let Some(lint_time) = lint_time {
            println!("ratio policy time / lint time: {:.2}", policy_time.as_secs_f64() / lint_time.as_secs_f64());
        }
    }
}
