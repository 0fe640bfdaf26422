//! The Gatekeeper library's `gator verify` suites (../shared/conformance/gatekeeper), every
//! case with this engine. The suite reading and Constraint matching here are the minimum the
//! shared suites need (kinds, namespaces, excludedNamespaces); kubeharden-policy runs the
//! same suites with the full matcher (`kubeharden policy verify`).

use std::path::{Path, PathBuf};

use kubeharden_rego::position::{Precision, locate};
use kubeharden_rego::{Budget, EvalError, Inventory, Module, RegoVersion, Template};
use serde_json::{Value, json};

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/gatekeeper/library/general")
}

fn read_docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("x", text), &Default::default());
    parsed.documents.iter().map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root))).collect()
}

fn read_one(path: &Path) -> Value {
    read_docs(path).into_iter().next().unwrap_or(Value::Null)
}

/// The Rego of a template's first target: a `code` source with engine Rego wins over `rego`.
fn template_of(doc: &Value) -> (String, Vec<String>, RegoVersion) {
    let target = &doc["spec"]["targets"][0];
    if let Some(code) = target["code"].as_array().and_then(|c| c.iter().find(|c| c["engine"] == "Rego")) {
        let source = &code["source"];
        let libs = source["libs"]
            .as_array()
            .map(|l| l.iter().filter_map(|s| s.as_str().map(String::from)).collect())
            .unwrap_or_default();
        let version = if source["version"] == "v1" { RegoVersion::V1 } else { RegoVersion::V0 };
        return (source["rego"].as_str().unwrap_or("").to_string(), libs, version);
    }
    let libs = target["libs"]
        .as_array()
        .map(|l| l.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default();
    (target["rego"].as_str().unwrap_or("").to_string(), libs, RegoVersion::V0)
}

fn gvk(object: &Value) -> Value {
    let api_version = object["apiVersion"].as_str().unwrap_or("");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    json!({"group": group, "version": version, "kind": object["kind"]})
}

fn matches(constraint: &Value, object: &Value) -> bool {
    let m = &constraint["spec"]["match"];
    let g = gvk(object);
    if let Some(kinds) = m["kinds"].as_array() {
        let ok = kinds.iter().any(|k| {
            let groups_ok = k["apiGroups"].as_array().is_none_or(|gs| gs.iter().any(|x| x == "*" || *x == g["group"]));
            let kinds_ok = k["kinds"].as_array().is_none_or(|ks| ks.iter().any(|x| x == "*" || *x == g["kind"]));
            groups_ok && kinds_ok
        });
        if !ok {
            return false;
        }
    }
    let ns = object["metadata"]["namespace"].as_str();
    if let (Some(list), Some(ns)) = (m["namespaces"].as_array(), ns)
        && !list.iter().any(|x| x == ns)
    {
        return false;
    }
    if let (Some(list), Some(ns)) = (m["excludedNamespaces"].as_array(), ns)
        && list.iter().any(|x| x == ns)
    {
        return false;
    }
    true
}

/// The review gator builds: from an AdmissionReview its request, else {kind, name, namespace, object}.
fn review_of(object: &Value) -> (Value, Value) {
    if object["kind"] == "AdmissionReview" {
        let req = object["request"].clone();
        let reviewed = if req["object"].is_object() { req["object"].clone() } else { req["oldObject"].clone() };
        return (req, reviewed);
    }
    let mut review = json!({"kind": gvk(object), "object": object, "operation": "", "userInfo": {}, "uid": ""});
    if let Some(name) = object["metadata"]["name"].as_str() {
        review["name"] = json!(name);
    }
    if let Some(ns) = object["metadata"]["namespace"].as_str() {
        review["namespace"] = json!(ns);
    }
    (review, object.clone())
}

fn check(assertion: &Value, msgs: &[String]) -> Result<(), String> {
    let re = assertion["message"].as_str().map(|m| regex_lite::Regex::new(m).unwrap());
    let n = msgs.iter().filter(|m| re.as_ref().is_none_or(|r| r.is_match(m))).count();
    let ok = match &assertion["violations"] {
        Value::Null | Value::Bool(true) => n > 0,
        Value::Bool(false) => n == 0,
        Value::String(s) if s == "yes" => n > 0,
        Value::String(s) if s == "no" => n == 0,
        Value::Number(k) => k.as_u64() == Some(n as u64),
        other => return Err(format!("bad assertion {other}")),
    };
    if ok { Ok(()) } else { Err(format!("assertion {assertion} failed: got {msgs:?}")) }
}

#[test]
fn every_suite_case_passes() {
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut precise = 0usize;
    let mut located = 0usize;
    let mut dirs: Vec<_> = std::fs::read_dir(library())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("suite.yaml").exists())
        .collect();
    dirs.sort();
    for dir in dirs {
        let suite = read_one(&dir.join("suite.yaml"));
        for test in suite["tests"].as_array().into_iter().flatten() {
            let tdoc = read_one(&dir.join(test["template"].as_str().unwrap()));
            let constraint = read_one(&dir.join(test["constraint"].as_str().unwrap()));
            let (rego, libs, version) = template_of(&tdoc);
            let libs: Vec<Module> =
                libs.iter().enumerate().map(|(i, l)| Module::new(format!("lib{i}"), l.clone())).collect();
            let compiled = Template::compile(&Module::new("rego", rego), &libs, version);
            for case in test["cases"].as_array().into_iter().flatten() {
                let name = format!(
                    "{}/{}/{}",
                    dir.file_name().unwrap().to_string_lossy(),
                    test["name"].as_str().unwrap_or(""),
                    case["name"].as_str().unwrap_or("")
                );
                if case["skip"] == true {
                    continue;
                }
                let mut template = match &compiled {
                    Ok(t) => t.clone(),
                    Err(e) => {
                        failures.push(format!("{name}: compile: {e:?}"));
                        continue;
                    }
                };
                let object = read_one(&dir.join(case["object"].as_str().unwrap()));
                let mut inventory = Inventory::new();
                for inv in case["inventory"].as_array().into_iter().flatten() {
                    for o in read_docs(&dir.join(inv.as_str().unwrap())) {
                        inventory.add(&o, None);
                    }
                }
                template.set_inventory(&inventory.to_json()).unwrap();
                let (review, reviewed) = review_of(&object);
                let msgs: Vec<String> = if matches(&constraint, &reviewed) {
                    let parameters = constraint["spec"]["parameters"].clone();
                    let parameters = if parameters.is_null() { json!({}) } else { parameters };
                    match template.violations(&json!({"review": review, "parameters": parameters}), &Budget::default())
                    {
                        Ok(v) => {
                            for violation in &v {
                                located += 1;
                                let how = locate(&reviewed, violation).1;
                                precise += usize::from(how != Precision::Name);
                                if std::env::var_os("SHOW_POSITIONS").is_some() {
                                    println!("  {how:?} {:?}: {}", locate(&reviewed, violation).0, violation.msg);
                                }
                                if std::env::var_os("SHOW_NAME_POSITIONS").is_some() && how == Precision::Name {
                                    println!("  at metadata.name: {}", violation.msg);
                                }
                            }
                            v.into_iter().map(|v| v.msg).collect()
                        }
                        Err(EvalError::NotOffline { what, .. }) => {
                            failures.push(format!("{name}: not offline: {what}"));
                            continue;
                        }
                        Err(e) => {
                            failures.push(format!("{name}: eval: {e:?}"));
                            continue;
                        }
                    }
                } else {
                    Vec::new()
                };
                match case["assertions"].as_array().into_iter().flatten().try_for_each(|a| check(a, &msgs)) {
                    Ok(()) => passed += 1,
                    Err(e) => failures.push(format!("{name}: {e}")),
                }
            }
        }
    }
    println!("gatekeeper library: {passed} cases pass, {} fail", failures.len());
    println!("positions: {precise} of {located} violations point at a container or field, the others at metadata.name");
    for f in &failures {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{} of {} cases fail", failures.len(), passed + failures.len());
}
