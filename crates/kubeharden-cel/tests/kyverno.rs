//! Kyverno's ValidatingPolicy suites (../shared/conformance/kyverno, read in place): every
//! `kyverno test` result (`fail`: the policy denies the resource, `pass`: it admits it,
//! `skip`: it does not apply) must agree with this engine, autogen included.

use std::path::{Path, PathBuf};

use kubeharden_cel::{Cluster, CompileOptions, Outcome, Policy, PolicySet, Request};
use serde_json::Value;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/kyverno")
}

fn read_docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("x", text), &Default::default());
    parsed
        .documents
        .iter()
        .map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root)))
        .filter(|d| !d.is_null())
        .collect()
}

fn tests(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            tests(&path, out);
        } else if path.file_name().is_some_and(|n| n == "kyverno-test.yaml") {
            out.push(path);
        }
    }
}

#[test]
fn every_kyverno_test_result_agrees() {
    let mut files = Vec::new();
    tests(&suite(), &mut files);
    files.sort();
    let (mut passed, mut failed, mut policies) = (0, Vec::new(), 0);
    for file in &files {
        let base = file.parent().expect("parent");
        let test = &read_docs(file)[0];
        let mut docs = Vec::new();
        for p in test["policies"].as_array().into_iter().flatten() {
            docs.extend(read_docs(&base.join(p.as_str().expect("path"))));
        }
        let mut resources = Vec::new();
        for r in test["resources"].as_array().into_iter().flatten() {
            resources.extend(read_docs(&base.join(r.as_str().expect("path"))));
        }
        let compiled: Vec<Policy> = docs
            .iter()
            .filter(|d| d["kind"] == "ValidatingPolicy")
            .map(|d| {
                Policy::compile(d, &CompileOptions::default()).unwrap_or_else(|e| panic!("{}: {e:?}", file.display()))
            })
            .collect();
        policies += compiled.len();
        let cluster = Cluster::new(resources.iter());
        for result in test["results"].as_array().into_iter().flatten() {
            let Some(policy) = compiled.iter().find(|p| p.name == result["policy"].as_str().unwrap_or_default()) else {
                failed.push(format!("{}: no policy {}", file.display(), result["policy"]));
                continue;
            };
            let mut set = PolicySet::new(CompileOptions::default());
            for d in &docs {
                if d["metadata"]["name"] == policy.name.as_str() {
                    set.add(d).expect("policy").expect("compiles");
                }
            }
            for name in result["resources"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("name");
                let (ns, name) = name.split_once('/').map_or((None, name), |(n, r)| (Some(n), r));
                let Some(object) = resources.iter().find(|r| {
                    r["kind"] == result["kind"]
                        && r["metadata"]["name"] == name
                        && ns.is_none_or(|n| r["metadata"]["namespace"] == n)
                }) else {
                    failed.push(format!("{}: no resource {name}", file.display()));
                    continue;
                };
                let request = Request::create(object);
                let got = if !policy.applies(&request, &cluster) {
                    "skip"
                } else {
                    let decisions = set.admit(&request, &cluster);
                    if decisions.iter().any(|d| matches!(d.outcome, Outcome::Violation(_) | Outcome::Error(_))) {
                        "fail"
                    } else {
                        "pass"
                    }
                };
                let expected = result["result"].as_str().unwrap_or_default();
                if got == expected {
                    passed += 1;
                } else {
                    let decisions = set.admit(&request, &cluster);
                    failed.push(format!(
                        "{} {} {name}: expected {expected}, got {got}: {decisions:?}",
                        policy.name, result["kind"]
                    ));
                }
            }
        }
    }
    println!("kyverno: {policies} policies, {passed} passed, {} failed", failed.len());
    assert_eq!(files.len(), 31);
    assert!(
        failed.is_empty(),
        "{} of {} results disagree:\n{}",
        failed.len(),
        passed + failed.len(),
        failed.join("\n")
    );
}
