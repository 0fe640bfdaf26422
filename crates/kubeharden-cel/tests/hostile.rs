//! Hostile policies and inputs: each ends with an error value (a compile error or an
//! evaluation stopped by the cost budget) in bounded time, never a hang, a panic or a
//! stack overflow. Run on a 1 MiB stack, the size of the wasm stack.

use std::time::{Duration, Instant};

use kubeharden_cel::{Cluster, CompileOptions, Outcome, PolicySet, Request};
use serde_json::{Value, json};

fn vap(expression: &str) -> Value {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "hostile"},
        "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]},
            "validations": [{"expression": expression}]}})
}

fn binding() -> Value {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "hostile"}, "spec": {"policyName": "hostile", "validationActions": ["Deny"]}})
}

/// Compiles and runs `expression` against `object` on a 1 MiB stack; returns the compile
/// errors or the outcomes, and how long it took.
fn run(expression: &str, object: Value) -> (Result<Vec<Outcome>, String>, Duration) {
    let expression = expression.to_string();
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let start = Instant::now();
            let mut set = PolicySet::new(CompileOptions::default());
            let out = match set.add(&vap(&expression)).expect("a policy") {
                Err(errors) => Err(format!("{errors:?}")),
                Ok(()) => {
                    set.add(&binding()).expect("binding").expect("compiles");
                    Ok(set
                        .admit(&Request::create(&object), &Cluster::default())
                        .into_iter()
                        .map(|d| d.outcome)
                        .collect())
                }
            };
            (out, start.elapsed())
        })
        .expect("thread");
    handle.join().expect("no panic, no stack overflow")
}

fn pod_with(items: usize, text_len: usize) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
        "spec": {"items": (0..items).collect::<Vec<_>>(), "text": "a".repeat(text_len)}})
}

fn assert_budget_error(out: &Result<Vec<Outcome>, String>, elapsed: Duration) {
    let outcomes = out.as_ref().expect("compiles");
    assert!(
        outcomes.iter().any(|o| matches!(o, Outcome::Error(e) if e.message.contains("cost"))),
        "expected a cost budget error, got {outcomes:?}"
    );
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

#[test]
fn nested_comprehensions_over_large_lists_run_out_of_budget() {
    let (out, elapsed) = run(
        "object.spec.items.all(a, object.spec.items.all(b, object.spec.items.all(c, a + b + c >= 0)))",
        pod_with(2000, 0),
    );
    assert_budget_error(&out, elapsed);
}

#[test]
fn map_building_quadratic_lists_runs_out_of_budget() {
    let (out, elapsed) =
        run("object.spec.items.map(a, object.spec.items.map(b, [a, b])).size() > 0", pod_with(5000, 0));
    assert_budget_error(&out, elapsed);
}

#[test]
fn huge_string_building_runs_out_of_budget() {
    let (out, elapsed) = run(
        "object.spec.items.map(i, object.spec.text + object.spec.text).join('').size() > 0",
        pod_with(1000, 1 << 20),
    );
    assert_budget_error(&out, elapsed);
}

#[test]
fn string_replacement_blowup_is_charged_before_it_is_built() {
    let (out, elapsed) = run("object.spec.text.replace('', object.spec.text).size() > 0", pod_with(0, 100_000));
    assert_budget_error(&out, elapsed);
}

#[test]
fn deep_nesting_is_a_compile_error() {
    for (open, close) in [("(", ")"), ("[", "]"), ("!", ""), ("-", "")] {
        let expression = format!("{}1{}", open.repeat(20_000), close.repeat(20_000));
        let (out, elapsed) = run(&expression, pod_with(0, 0));
        let errors = out.expect_err("a compile error");
        assert!(errors.contains("recursion") || errors.contains("nest"), "{open}: {errors}");
        assert!(elapsed < Duration::from_secs(20));
    }
}

#[test]
fn long_operator_chains_are_a_compile_error_or_evaluate() {
    for op in ["+", "&&", "||", "==", "."] {
        let expression = if op == "." { format!("object{}", ".a".repeat(20_000)) } else { vec!["1"; 20_000].join(op) };
        let (out, elapsed) = run(&expression, pod_with(0, 0));
        assert!(elapsed < Duration::from_secs(20), "{op}: {elapsed:?}");
        let _ = out;
    }
}

#[test]
fn oversized_expressions_are_a_compile_error() {
    let (out, _) = run(&format!("'{}' == ''", "a".repeat(200_000)), pod_with(0, 0));
    assert!(out.expect_err("too long").contains("code point size exceeds limit"));
}

#[test]
fn hostile_regexes_run_in_linear_time() {
    let mut object = pod_with(0, 0);
    object["spec"]["text"] = Value::String(format!("{}!", "a".repeat(100_000)));
    let (out, elapsed) = run("object.spec.text.matches('^(a+)+$')", object);
    assert!(matches!(&out.expect("compiles")[..], [Outcome::Violation(_)]));
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn runtime_errors_are_values_not_panics() {
    for expression in [
        "1 / 0 == 1",
        "9223372036854775807 + 1 > 0",
        "object.missing.field == 1",
        "[1, 2][5] == 1",
        "int('x') == 1",
        "'abc'.substring(5) == ''",
        "{'a': 1, 'a': 2}.size() == 1",
        "quantity('x').isInteger()",
        "optional.none().value() == 1",
        "dyn(1) + 'a' == 'b'",
    ] {
        let (out, _) = run(expression, pod_with(0, 0));
        let outcomes = out.unwrap_or_else(|e| panic!("{expression}: {e}"));
        assert!(matches!(&outcomes[..], [Outcome::Error(_)]), "{expression}: {outcomes:?}");
    }
}

#[test]
fn nesting_just_under_the_guard_does_not_overflow() {
    for n in [90, 120, 240] {
        for expression in [
            format!("{}1{} == 1", "(".repeat(n), ")".repeat(n)),
            format!("{} == {n}", vec!["1"; n].join(" + ")),
            format!("{}true{}", "[".repeat(n / 2), "]".repeat(n / 2)),
            format!("{}true", "!".repeat(n)),
            format!("has(object{})", ".a".repeat(n)),
        ] {
            let (out, elapsed) = run(&expression, pod_with(0, 0));
            assert!(elapsed < Duration::from_secs(20));
            let _ = out;
        }
    }
}
