//! The CEL language itself: the cel-spec conformance tests (npm `@bufbuild/cel-spec`, the
//! cel-spec repository's test data) that do not depend on protobuf messages, each evaluated in
//! the environment policies get at the newest Kubernetes version.
//!
//! `scripts/cel-spec-export.mjs` turns the package's protobuf messages into JSON with typed
//! values; `npm test` runs it first and names the file in `KUBEHARDEN_CEL_SPEC_JSON`, and
//! without that variable this test runs the script itself. No export is a failure, never a
//! silent pass.
//!
//! Every test that does not give cel-spec's answer is listed, with its cause, in
//! `cel_spec_expected_failures.txt`. The failures must be exactly that list: a regression
//! fails, and so does a test that starts to pass until its line is removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use kubeharden_cel::conformance::{Failure, evaluate};
use kubeharden_cel::value::{Key, Map, Value};
use serde_json::Value as Json;

const EXPECTED_FAILURES: &str = "tests/cel_spec_expected_failures.txt";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The export's path: the one `npm test` made, or a fresh one from the script.
fn export() -> PathBuf {
    if let Some(path) = std::env::var_os("KUBEHARDEN_CEL_SPEC_JSON") {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "KUBEHARDEN_CEL_SPEC_JSON names {}, which does not exist", path.display());
        return path;
    }
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cel-spec.json");
    let run = Command::new("node").arg("scripts/cel-spec-export.mjs").arg(&path).current_dir(workspace()).output();
    match run {
        Ok(out) if out.status.success() => path,
        Ok(out) => panic!(
            "scripts/cel-spec-export.mjs failed (run `npm ci` first for @bufbuild/cel-spec):\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("the cel-spec conformance test needs node to export the suite ({e})"),
    }
}

/// A typed JSON value of the export (`{"int": "1"}`, `{"map": [[k, v]]}`...) as a CEL value.
fn value(json: &Json) -> Value {
    let Some((tag, v)) = json.as_object().and_then(|o| o.iter().next()) else { panic!("untyped value {json}") };
    let text = || v.as_str().unwrap_or_else(|| panic!("{tag} wants a string: {json}"));
    match tag.as_str() {
        "null" => Value::Null,
        "bool" => Value::Bool(v.as_bool().expect("bool")),
        "int" => Value::Int(text().parse().expect("int")),
        "uint" => Value::Uint(text().parse().expect("uint")),
        // Exact decimal text, parsed with correct rounding ("NaN", "Infinity", "-0" included).
        "double" => Value::Double(text().parse().unwrap_or_else(|_| panic!("double {json}"))),
        "string" => Value::string(text()),
        "bytes" => {
            let hex = text().as_bytes();
            let bytes: Vec<u8> = hex
                .chunks(2)
                .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("hex"), 16).expect("hex"))
                .collect();
            Value::Bytes(Rc::from(bytes))
        }
        "list" => Value::list(v.as_array().expect("list").iter().map(value).collect()),
        "map" => {
            let mut map = Map::new();
            for entry in v.as_array().expect("map") {
                let k = value(&entry[0]);
                let key = Key::from_value(&k).unwrap_or_else(|| panic!("map key {k:?}"));
                map.insert(key, value(&entry[1]));
            }
            Value::Map(Rc::new(map))
        }
        "type" => Value::Type(Rc::from(text())),
        "timestamp" | "duration" => {
            let seconds: i128 = v["seconds"].as_str().expect("seconds").parse().expect("seconds");
            let ns = seconds * 1_000_000_000 + i128::from(v["nanos"].as_i64().expect("nanos"));
            if tag == "timestamp" { Value::Timestamp(ns) } else { Value::Duration(ns) }
        }
        other => panic!("unknown value tag {other}"),
    }
}

/// cel-spec's notion of the same result: the same type and value (1 is not 1u nor 1.0), NaN
/// is NaN, -0.0 is not 0.0, map entries in any order.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Double(x), Value::Double(y)) => {
            (x.is_nan() && y.is_nan()) || (x == y && x.is_sign_negative() == y.is_sign_negative())
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.iter().any(|(k2, w)| k == k2 && same(v, w)))
        }
        (Value::Type(x), Value::Type(y)) => x == y,
        (Value::Duration(x), Value::Duration(y)) | (Value::Timestamp(x), Value::Timestamp(y)) => x == y,
        _ => false,
    }
}

/// A value with its type visible, for the report.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => format!("{u}u"),
        Value::Double(d) => format!("{d:?}"),
        Value::String(s) => format!("{s:?}"),
        Value::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        Value::List(items) => format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", ")),
        Value::Map(map) => format!(
            "{{{}}}",
            map.iter().map(|(k, v)| format!("{}: {}", show(&k.to_value()), show(v))).collect::<Vec<_>>().join(", ")
        ),
        Value::Type(t) => format!("type({t})"),
        Value::Duration(ns) => format!("duration({ns}ns)"),
        Value::Timestamp(ns) => format!("timestamp({ns}ns)"),
        other => format!("{other:?}"),
    }
}

/// Runs one exported test: `None` when it gives cel-spec's answer, else what it gave instead.
fn run(test: &Json) -> Option<String> {
    let expr = test["expr"].as_str().expect("expr");
    let declared: Vec<String> =
        test["declared"].as_array().expect("declared").iter().map(|d| d.as_str().expect("name").to_string()).collect();
    let bindings: Vec<(String, Value)> =
        test["bindings"].as_object().expect("bindings").iter().map(|(n, v)| (n.clone(), value(v))).collect();
    let check = test["check"].as_bool().expect("check");
    // `container` is not passed on: Kubernetes compiles without one, so a test that resolves
    // names in a container has them looked up unqualified (and is listed if that differs).
    let mut got = evaluate(expr, &declared, &bindings, check);
    let expect = &test["expect"];
    if let Some(expected) = expect.get("value") {
        let expected = value(expected);
        return match &mut got {
            Ok(v) if same(v, &expected) => None,
            Ok(v) => Some(format!("gave {} instead of {}", show(v), show(&expected))),
            Err(Failure::Compile(m)) => Some(format!("does not compile ({m}), expected {}", show(&expected))),
            Err(Failure::Eval(m)) => Some(format!("fails ({m}), expected {}", show(&expected))),
        };
    }
    let message = expect["error"].as_str().expect("error or value");
    match got {
        Err(Failure::Eval(_)) => None,
        Err(Failure::Compile(m)) => Some(format!("does not compile ({m}), expected an evaluation error ({message})")),
        Ok(v) => Some(format!("gave {}, expected an error ({message})", show(&v))),
    }
}

/// The committed list: test id → cause.
fn expected_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPECTED_FAILURES);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (id, reason) =
            line.split_once(": ").unwrap_or_else(|| panic!("{EXPECTED_FAILURES}: no reason in {line:?}"));
        assert!(!reason.trim().is_empty(), "{EXPECTED_FAILURES}: empty reason for {id}");
        assert!(out.insert(id.to_string(), reason.to_string()).is_none(), "{EXPECTED_FAILURES}: {id} twice");
    }
    out
}

#[test]
fn cel_spec_conformance() {
    let path = export();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let suite: Json = serde_json::from_str(&text).expect("export JSON");
    let tests = suite["tests"].as_array().expect("tests");
    let skipped = suite["skipped"].as_array().expect("skipped");
    // The package carries 2,344 tests; an export that lost most of them is a broken export.
    assert!(tests.len() > 1_500, "only {} tests exported", tests.len());

    let mut failures = BTreeMap::new();
    for test in tests {
        if let Some(why) = run(test) {
            failures.insert(test["id"].as_str().expect("id").to_string(), why);
        }
    }
    let expected = expected_failures();
    let passed = tests.len() - failures.len();
    println!(
        "{}: {passed} of {} evaluated tests pass ({:.1}%), {} skipped",
        suite["source"].as_str().unwrap_or("cel-spec"),
        tests.len(),
        100.0 * passed as f64 / tests.len() as f64,
        skipped.len()
    );
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for s in skipped {
        *reasons.entry(s["reason"].as_str().expect("reason")).or_default() += 1;
    }
    for (reason, n) in reasons {
        println!("  skipped {n}: {}", suite["reasons"][reason].as_str().unwrap_or(reason));
    }

    let ids: std::collections::HashSet<&str> = tests.iter().filter_map(|t| t["id"].as_str()).collect();
    let stale: Vec<&String> = expected.keys().filter(|id| !ids.contains(id.as_str())).collect();
    let new: Vec<(&String, &String)> = failures.iter().filter(|(id, _)| !expected.contains_key(*id)).collect();
    let fixed: Vec<&String> =
        expected.keys().filter(|id| ids.contains(id.as_str()) && !failures.contains_key(*id)).collect();
    let mut report = String::new();
    for (id, why) in &new {
        report.push_str(&format!("new failure {id}: {why}\n"));
    }
    for id in &fixed {
        report.push_str(&format!("passes now, remove its line: {id}\n"));
    }
    for id in &stale {
        report.push_str(&format!("not in the export, remove its line: {id}\n"));
    }
    assert!(report.is_empty(), "the failures differ from {EXPECTED_FAILURES}:\n{report}");
}
