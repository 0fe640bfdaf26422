//! Kyverno's `kyverno test` files (`kind: Test`, `cli.kyverno.io/v1alpha1`) for
//! ValidatingPolicies: every result of the file evaluated against this engine.
//!
//! A test names `policies` and `resources` (files relative to the test file), an optional
//! `variables` file (`kind: Value`: its `namespaces` and `namespaceSelector` give the
//! Namespaces that `namespaceObject` and namespace selectors see) and an optional `userinfo`
//! file (`kind: UserInfo`: its `userInfo` is `request.userInfo`). Each `results[]` entry
//! names a policy, a `kind`, resources by name (`name` or `namespace/name`) and the expected
//! `result`: `fail` (the policy denies the resource), `pass` (it admits it) or `skip` (it does
//! not apply). `rule` is accepted and not compared: a ValidatingPolicy has one rule (and
//! its autogen rules, which are evaluated with it).
//!
//! As everywhere in this crate no file is read here: the caller passes a function that reads
//! a path relative to the test file into its JSON documents.

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use serde_json::Value;

use crate::{Cluster, CompileOptions, Outcome, PolicySet, Request};

/// The name `kyverno test` looks for (in a folder, or in its `.kyverno-test/` folder).
pub const FILE_NAME: &str = "kyverno-test.yaml";

/// Whether a document is a `kyverno test` file's `Test`.
pub fn is_test(doc: &Value) -> bool {
    doc["kind"] == "Test" && doc["apiVersion"].as_str().is_some_and(|a| a.starts_with("cli.kyverno.io/"))
}

/// What came of one resource of one result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseOutcome {
    /// The engine's result is the expected one.
    Pass,
    /// It is not, or the case is broken (no such policy or resource); the reason.
    Fail(String),
    /// The policy needs what is not available offline (Kyverno's `resource.*`, `http.*`,
    /// `globalContext`, ...), or the test uses what this runner does not apply
    /// (`exceptions`, `context`), or the policy is not a ValidatingPolicy: not evaluated.
    NotEvaluable(String),
}

/// One resource of one `results[]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub policy: String,
    pub rule: Option<String>,
    pub kind: String,
    /// The resource as the result names it (`name` or `namespace/name`).
    pub resource: String,
    /// The expected result (`pass`, `fail`, `skip`).
    pub expected: String,
    /// What the engine answered (`pass`, `fail`, `skip`), when it could answer.
    pub got: Option<String>,
    pub outcome: CaseOutcome,
}

/// Runs every result of the `Test` document `test`; `read` gives the documents of a file
/// named relative to the test file. An unreadable file is an error (the test cannot run);
/// a policy that does not compile fails its cases with the compile errors.
pub fn run(
    test: &Value,
    read: &mut dyn FnMut(&str) -> Result<Vec<Value>, String>,
    options: &CompileOptions,
) -> Result<Vec<Case>, String> {
    let mut docs = Vec::new();
    for path in strings(&test["policies"]) {
        docs.extend(read(path)?);
    }
    let mut resources = Vec::new();
    for path in strings(&test["resources"]) {
        resources.extend(read(path)?);
    }
    let mut extra = Vec::new();
    if let Some(path) = test["variables"].as_str() {
        for values in read(path)? {
            extra.extend(namespaces(&values));
        }
    }
    let mut user_info = None;
    if let Some(path) = test["userinfo"].as_str() {
        user_info = read(path)?.into_iter().next().map(|d| d["userInfo"].clone()).filter(|u| u.is_object());
    }
    // What this runner does not apply changes results: those cases are not evaluated.
    let unsupported = ["exceptions", "context"].into_iter().find(|k| !test[*k].is_null());
    let cluster = Cluster::new(resources.iter().chain(&extra));

    // Each ValidatingPolicy compiled once, alone in its set.
    let mut compiled: Vec<(String, Result<PolicySet, String>)> = Vec::new();
    for doc in &docs {
        let name = doc["metadata"]["name"].as_str().unwrap_or_default().to_string();
        if doc["kind"] != "ValidatingPolicy" || compiled.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let mut set = PolicySet::new(*options);
        let both = set.add(doc).unwrap_or(Ok(())).map(|()| set).map_err(|errors| {
            let errors: Vec<String> =
                errors.iter().map(|e| format!("{} {}:{}: {}", e.pointer, e.line, e.column, e.message)).collect();
            format!("the policy does not compile: {}", errors.join("; "))
        });
        compiled.push((name, both));
    }

    let mut cases = Vec::new();
    for result in test["results"].as_array().into_iter().flatten() {
        let policy_name = result["policy"].as_str().unwrap_or_default();
        let kind = result["kind"].as_str().unwrap_or_default();
        let expected = result["result"].as_str().unwrap_or_default().trim();
        let mut names: Vec<&str> = strings(&result["resources"]).collect();
        if names.is_empty() {
            names.extend(result["resource"].as_str());
        }
        for name in names {
            let mut case = Case {
                policy: policy_name.into(),
                rule: result["rule"].as_str().map(str::to_string),
                kind: kind.into(),
                resource: name.into(),
                expected: expected.into(),
                got: None,
                outcome: CaseOutcome::Pass,
            };
            case.outcome = 'outcome: {
                if let Some(key) = unsupported {
                    break 'outcome CaseOutcome::NotEvaluable(format!("the test's `{key}` is not applied offline"));
                }
                if !matches!(expected, "pass" | "fail" | "skip") {
                    break 'outcome CaseOutcome::Fail(format!("unknown expected result `{expected}`"));
                }
                let Some((_, policy)) = compiled.iter().find(|(n, _)| n == policy_name) else {
                    break 'outcome match docs.iter().find(|d| d["metadata"]["name"] == policy_name) {
                        Some(d) => CaseOutcome::NotEvaluable(format!(
                            "`{policy_name}` is a {}; only ValidatingPolicies are evaluated",
                            d["kind"].as_str().unwrap_or("document without kind")
                        )),
                        None => CaseOutcome::Fail(format!("no policy `{policy_name}` in the test's policies")),
                    };
                };
                let set = match policy {
                    Ok(set) => set,
                    Err(e) => break 'outcome CaseOutcome::Fail(e.clone()),
                };
                let (namespace, short) = name.split_once('/').map_or((None, name), |(n, r)| (Some(n), r));
                let Some(object) = resources.iter().find(|r| {
                    (kind.is_empty() || r["kind"] == kind)
                        && r["metadata"]["name"] == short
                        && namespace.is_none_or(|n| r["metadata"]["namespace"] == n)
                }) else {
                    break 'outcome CaseOutcome::Fail(format!("no {kind} `{name}` in the test's resources"));
                };
                let mut request = Request::create(object);
                request.user_info = user_info.as_ref();
                let (got, detail) = answer(set, &request, &cluster);
                let Some(got) = got else { break 'outcome CaseOutcome::NotEvaluable(detail) };
                case.got = Some(got.into());
                if got == expected {
                    CaseOutcome::Pass
                } else if detail.is_empty() {
                    CaseOutcome::Fail(format!("expected {expected}, got {got}"))
                } else {
                    CaseOutcome::Fail(format!("expected {expected}, got {got}: {detail}"))
                }
            };
            cases.push(case);
        }
    }
    Ok(cases)
}

/// The engine's answer (`skip`, `fail`, `pass`; `None` when it cannot tell offline) and
/// the messages behind it.
fn answer(set: &PolicySet, request: &Request<'_>, cluster: &Cluster<'_>) -> (Option<&'static str>, String) {
    if !set.policies.iter().any(|p| p.applies(request, cluster)) {
        return (Some("skip"), String::new());
    }
    let decisions = set.admit(request, cluster);
    let messages = |pick: fn(&Outcome) -> Option<&str>| -> String {
        decisions.iter().filter_map(|d| pick(&d.outcome)).collect::<Vec<_>>().join("; ")
    };
    let denied = messages(|o| match o {
        Outcome::Violation(v) => Some(v.message.as_str()),
        Outcome::Error(e) => Some(e.message.as_str()),
        _ => None,
    });
    if !denied.is_empty() {
        return (Some("fail"), denied);
    }
    let unknown = messages(|o| match o {
        Outcome::NotEvaluable(e) => Some(e.message.as_str()),
        _ => None,
    });
    if !unknown.is_empty() {
        return (None, unknown);
    }
    (Some("pass"), String::new())
}

fn strings(v: &Value) -> impl Iterator<Item = &str> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str)
}

/// The Namespaces of a `kind: Value` document: `namespaces` (objects, whose `kind` Kyverno
/// accepts in any case) and `namespaceSelector` (`name` and `labels`).
fn namespaces(values: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for ns in values["namespaces"].as_array().into_iter().flatten() {
        if ns["kind"].as_str().is_some_and(|k| k.eq_ignore_ascii_case("Namespace")) {
            let mut ns = ns.clone();
            ns["kind"] = "Namespace".into();
            ns["apiVersion"] = "v1".into();
            out.push(ns);
        }
    }
    for sel in values["namespaceSelector"].as_array().into_iter().flatten() {
        if let Some(name) = sel["name"].as_str() {
            out.push(serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": name, "labels": if sel["labels"].is_object() { sel["labels"].clone() } else { serde_json::json!({}) }}}));
        }
    }
    out
}
