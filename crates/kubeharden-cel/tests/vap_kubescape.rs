//! The kubescape cel-admission-library cases (../shared/conformance/vap-kubescape, read in
//! place): each case's object is created in a cluster holding the policy, its binding and
//! the params object; `fail` means the API server denies it, `warn` that it admits it with
//! a warning, `pass` that it admits it silently. Every one of the 628 cases must agree.

mod support;

use std::path::PathBuf;

use kubeharden_cel::{Action, Cluster, CompileOptions, Outcome, PolicySet, Request};
use serde_json::Value;
use support::read_one as read_yaml;

fn suite() -> PathBuf {
    support::shared("conformance/vap-kubescape")
}

/// Applies `a.b.[0].c=value` as the upstream runner does: missing parents are created, the
/// value is JSON when it parses as JSON, else a string.
fn apply_change(object: &mut Value, change: &str) {
    let (path, raw) = change.split_once('=').unwrap_or((change, ""));
    let value: Value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
    let segments: Vec<&str> = path.split('.').collect();
    let mut at = object;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let next_is_index = segments.get(i + 1).is_some_and(|s| s.starts_with('['));
        let empty = || if next_is_index { Value::Array(Vec::new()) } else { Value::Object(Default::default()) };
        if let Some(index) = segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            let index: usize = index.parse().expect("index");
            if !at.is_array() {
                *at = Value::Array(Vec::new());
            }
            let items = at.as_array_mut().expect("array");
            while items.len() <= index {
                items.push(if last { Value::Null } else { empty() });
            }
            at = &mut items[index];
        } else {
            if !at.is_object() {
                *at = Value::Object(Default::default());
            }
            let map = at.as_object_mut().expect("object");
            at = map.entry(segment.to_string()).or_insert_with(|| if last { Value::Null } else { empty() });
        }
        if last {
            *at = value.clone();
            return;
        }
    }
}

fn set_name(doc: &mut Value, name: &str) {
    doc["metadata"]["name"] = Value::String(name.to_string());
}

#[test]
fn every_kubescape_case_agrees_with_the_api_server() {
    let root = suite();
    let resources = root.join("test-resources");
    let mut controls: Vec<PathBuf> =
        std::fs::read_dir(root.join("controls")).expect("controls").map(|e| e.expect("entry").path()).collect();
    controls.sort();
    let (mut passed, mut failed, mut policies) = (0, Vec::new(), 0);
    for control in controls {
        let Ok(tests) = std::fs::read_to_string(control.join("tests.json")) else { continue };
        let policy = read_yaml(&control.join("policy.yaml"));
        let name = policy["metadata"]["name"].as_str().expect("name").to_string();
        policies += 1;
        let cases: Vec<Value> = serde_json::from_str(&tests).expect("tests.json");
        for case in cases {
            let mut object = read_yaml(&resources.join(case["template"].as_str().expect("template")));
            for change in case["field_change_list"].as_array().into_iter().flatten() {
                apply_change(&mut object, change.as_str().expect("change"));
            }
            let mut binding =
                read_yaml(&resources.join(case["binding_template"].as_str().unwrap_or("policy-binding.yaml")));
            binding["spec"]["policyName"] = Value::String(name.clone());
            set_name(&mut binding, &format!("{name}-binding"));
            let params = read_yaml(
                &resources.join(case["param_template"].as_str().unwrap_or("default-control-configuration.yaml")),
            );
            let mut set = PolicySet::new(CompileOptions::default());
            set.add(&policy).expect("a policy").unwrap_or_else(|e| panic!("{name}: {e:?}"));
            set.add(&binding).expect("a binding").expect("binding compiles");
            let cluster = Cluster::new([&params]);
            let decisions = set.admit(&Request::create(&object), &cluster);
            let actions: Vec<Action> = decisions
                .iter()
                .flat_map(|d| match &d.outcome {
                    Outcome::Violation(v) => v.actions.clone(),
                    Outcome::Error(e) => e.actions.clone(),
                    _ => Vec::new(),
                })
                .collect();
            let got = if actions.contains(&Action::Deny) {
                "fail"
            } else if actions.contains(&Action::Warn) {
                "warn"
            } else {
                "pass"
            };
            let expected = case["expected"].as_str().expect("expected");
            if got == expected {
                passed += 1;
            } else {
                failed.push(format!(
                    "{} / {}: expected {expected}, got {got}: {decisions:?}",
                    control.file_name().unwrap_or_default().to_string_lossy(),
                    case["name"]
                ));
            }
        }
    }
    println!("vap-kubescape: {policies} policies, {passed} passed, {} failed", failed.len());
    assert!(failed.is_empty(), "{} of {} cases disagree:\n{}", failed.len(), passed + failed.len(), failed.join("\n"));
    assert_eq!(passed, 628);
}
