//! The Gatekeeper library suites (../shared/conformance/gatekeeper) of every template with
//! `K8sNativeValidation` code, run on its CEL code: each case must give the violations
//! `gator verify` expects. Constraint matching is kubeharden-policy's; here the suites'
//! constraints only select by kind.

mod support;

use std::path::PathBuf;

use kubeharden_cel::{Budget, CompileOptions, GatekeeperTemplate, Outcome, Request};
use serde_json::Value;
use support::read_one;

fn library() -> PathBuf {
    support::shared("conformance/gatekeeper/library/general")
}

fn kind_matches(constraint: &Value, object: &Value) -> bool {
    let Some(kinds) = constraint["spec"]["match"]["kinds"].as_array() else { return true };
    let group = object["apiVersion"].as_str().unwrap_or_default().rsplit_once('/').map_or("", |(g, _)| g);
    kinds.iter().any(|k| {
        let any = |field: &str, v: &str| k[field].as_array().is_none_or(|a| a.iter().any(|x| x == "*" || x == v));
        any("apiGroups", group) && any("kinds", object["kind"].as_str().unwrap_or_default())
    })
}

#[test]
fn every_cel_template_case_passes() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(library()).expect("library").flatten().map(|e| e.path()).collect();
    dirs.sort();
    let (mut templates, mut passed, mut failed) = (0, 0, Vec::new());
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("template.yaml")) else { continue };
        if !text.contains("K8sNativeValidation") {
            continue;
        }
        let template_doc = read_one(&dir.join("template.yaml"));
        let template = GatekeeperTemplate::compile(&template_doc, &CompileOptions::default())
            .expect("CEL code")
            .expect("compiles");
        templates += 1;
        let suite = read_one(&dir.join("suite.yaml"));
        for test in suite["tests"].as_array().into_iter().flatten() {
            let constraint = read_one(&dir.join(test["constraint"].as_str().expect("constraint")));
            assert_eq!(constraint["kind"], template.kind.as_str());
            for case in test["cases"].as_array().into_iter().flatten() {
                if case["skip"] == true {
                    continue;
                }
                let object = read_one(&dir.join(case["object"].as_str().expect("object")));
                let messages: Vec<String> = if kind_matches(&constraint, &object) {
                    template
                        .evaluate(
                            &Request::create(&object),
                            Some(&constraint["spec"]["parameters"]),
                            None,
                            &Budget::default(),
                        )
                        .into_iter()
                        .filter_map(|o| match o {
                            Outcome::Violation(v) => Some(v.message),
                            Outcome::Error(e) => Some(e.message),
                            _ => None,
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let ok = case["assertions"].as_array().into_iter().flatten().all(|a| {
                    let count = match a["message"].as_str() {
                        Some(m) => {
                            messages.iter().filter(|x| regex_lite::Regex::new(m).is_ok_and(|r| r.is_match(x))).count()
                        }
                        None => messages.len(),
                    };
                    match &a["violations"] {
                        Value::String(s) if s == "yes" => count > 0,
                        Value::String(s) if s == "no" => count == 0,
                        Value::Bool(true) => count > 0,
                        Value::Bool(false) => count == 0,
                        Value::Number(n) => n.as_u64() == Some(count as u64),
                        _ => false,
                    }
                });
                if ok {
                    passed += 1;
                } else {
                    failed.push(format!("{} / {}: {messages:?}", dir.display(), case["name"]));
                }
            }
        }
    }
    println!("gatekeeper CEL: {templates} templates, {passed} cases passed, {} failed", failed.len());
    assert!(templates >= 1);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
