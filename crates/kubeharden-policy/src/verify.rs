//! Gatekeeper `gator verify` suites (`kind: Suite`, test.gatekeeper.sh/v1alpha1): each test
//! names a template and a Constraint, each case an object (a path relative to the suite's
//! folder, possibly a `kind: AdmissionReview` with its own request), the objects of its
//! `inventory`, and assertions: `violations: yes | no | N`, optionally counting only the
//! violations whose message matches the regular expression `message`. Cases with `skip: true`
//! are skipped. A case is evaluated exactly as a lint of its object with the template and
//! Constraint as policies (same matching, review, engines), so a passing suite says the lint
//! gives Gatekeeper's answer.

use kubeharden::{Finding, Limits, Source};
use kubeharden_source::ParsedSource;
use serde_json::Value;

use crate::engine::Engines;
use crate::finding::{POLICY_ERROR, POLICY_NOT_EVALUATED};
use crate::run::{Options, evaluate};

/// What happened to one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Skip,
    Fail(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    pub test: String,
    pub case: String,
    pub outcome: Outcome,
    /// The files of the case, as paths joined to the suite's folder: template, Constraint,
    /// object, inventory (what a lint of the case would be given).
    pub template: String,
    pub constraint: String,
    pub object: String,
    pub inventory: Vec<String>,
}

/// Reads a file by its path (`/`-joined): the front end's file system.
pub type Reader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

fn join(dir: &str, path: &str) -> String {
    if path.starts_with('/') || dir.is_empty() { path.to_string() } else { format!("{dir}/{path}") }
}

fn parse(name: &str, text: String, limits: &Limits) -> ParsedSource {
    kubeharden_source::parse_owned(Source::new(name, text), limits)
}

fn docs(parsed: &ParsedSource) -> Vec<Value> {
    parsed.documents.iter().map(|d| kubeharden_source::to_json::node_to_json(parsed.tree.node(d.root))).collect()
}

/// Is this text a gator Suite?
pub fn is_suite(text: &str) -> bool {
    let parsed = parse("suite", text.to_string(), &Limits::default());
    docs(&parsed).iter().any(|d| d.get("kind").and_then(Value::as_str) == Some("Suite"))
}

/// Runs every case of the suite at `path`. An unreadable suite is an error; an unreadable
/// file of a case fails that case.
pub fn verify_suite(
    path: &str,
    read: Reader<'_>,
    engines: &Engines,
    options: &Options,
    limits: &Limits,
) -> Result<Vec<CaseResult>, String> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let suite_text = read(path)?;
    let suite = docs(&parse(path, suite_text, limits))
        .into_iter()
        .find(|d| d.get("kind").and_then(Value::as_str) == Some("Suite"));
    let Some(suite) = suite else { return Err(format!("{path} is not a gator Suite (kind: Suite)")) };
    let mut out = Vec::new();
    for test in suite.get("tests").and_then(Value::as_array).into_iter().flatten() {
        let test_name = test.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        let load = |key: &str| -> Result<ParsedSource, String> {
            let p = test.get(key).and_then(Value::as_str).ok_or_else(|| format!("test {test_name} has no {key}"))?;
            let full = join(dir, p);
            Ok(parse(&full, read(&full)?, limits))
        };
        let policies = load("template").and_then(|t| Ok(vec![t, load("constraint")?]));
        for case in test.get("cases").and_then(Value::as_array).into_iter().flatten() {
            let case_name = case.get("name").and_then(Value::as_str).unwrap_or("").to_string();
            let outcome = if case.get("skip").and_then(Value::as_bool) == Some(true) {
                Outcome::Skip
            } else {
                match &policies {
                    Err(e) => Outcome::Fail(e.clone()),
                    Ok(policies) => run_case(dir, case, policies, read, engines, options, limits),
                }
            };
            let path_of = |v: Option<&Value>| v.and_then(Value::as_str).map_or_else(String::new, |p| join(dir, p));
            out.push(CaseResult {
                test: test_name.clone(),
                case: case_name,
                outcome,
                template: path_of(test.get("template")),
                constraint: path_of(test.get("constraint")),
                object: path_of(case.get("object")),
                inventory: case
                    .get("inventory")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|p| join(dir, p))
                    .collect(),
            });
        }
    }
    Ok(out)
}

fn run_case(
    dir: &str,
    case: &Value,
    policies: &[ParsedSource],
    read: Reader<'_>,
    engines: &Engines,
    options: &Options,
    limits: &Limits,
) -> Outcome {
    let Some(object) = case.get("object").and_then(Value::as_str) else {
        return Outcome::Fail("the case has no object".into());
    };
    let object_path = join(dir, object);
    let manifest = match read(&object_path) {
        Ok(text) => parse(&object_path, text, limits),
        Err(e) => return Outcome::Fail(e),
    };
    let mut all: Vec<ParsedSource> = Vec::new();
    for inv in case.get("inventory").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        let p = join(dir, inv);
        match read(&p) {
            Ok(text) => all.push(parse(&p, text, limits)),
            Err(e) => return Outcome::Fail(e),
        }
    }
    let policies: Vec<ParsedSource> =
        policies.iter().map(|p| parse(&p.name, p.text.clone(), limits)).chain(all).collect();
    let findings = evaluate(std::slice::from_ref(&manifest), &policies, engines, options);
    if let Some(e) = findings.iter().find(|f| {
        f.rule == POLICY_ERROR || (f.rule == POLICY_NOT_EVALUATED && f.severity == kubeharden::Severity::Error)
    }) {
        return Outcome::Fail(format!("{}: {}", e.resource.source, e.message));
    }
    let messages: Vec<&str> =
        findings.iter().filter(|f| f.rule.starts_with("gatekeeper/")).map(|f: &Finding| f.message.as_str()).collect();
    for assertion in case.get("assertions").and_then(Value::as_array).into_iter().flatten() {
        if let Err(e) = check(assertion, &messages) {
            return Outcome::Fail(e);
        }
    }
    Outcome::Pass
}

fn check(assertion: &Value, messages: &[&str]) -> Result<(), String> {
    let re = match assertion.get("message").and_then(Value::as_str) {
        Some(m) => Some(
            regex_lite::Regex::new(m)
                .map_err(|e| format!("assertion message {m:?} is not a regular expression: {e}"))?,
        ),
        None => None,
    };
    let n = messages.iter().filter(|m| re.as_ref().is_none_or(|r| r.is_match(m))).count();
    let what = assertion.get("message").and_then(Value::as_str).map_or(String::new(), |m| format!(" matching {m:?}"));
    let (ok, expected) = match assertion.get("violations") {
        None | Some(Value::Null) => (n > 0, "at least one".to_string()),
        Some(Value::Bool(true)) => (n > 0, "at least one".to_string()),
        Some(Value::Bool(false)) => (n == 0, "none".to_string()),
        Some(Value::String(s)) if s == "yes" => (n > 0, "at least one".to_string()),
        Some(Value::String(s)) if s == "no" => (n == 0, "none".to_string()),
        Some(Value::Number(k)) => (k.as_u64() == Some(n as u64), k.to_string()),
        Some(other) => return Err(format!("assertion violations: {other} is neither yes, no nor a number")),
    };
    if ok { Ok(()) } else { Err(format!("expected {expected} violations{what}, got {n}: {messages:?}")) }
}
