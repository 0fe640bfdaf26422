//! Hostile Rego ends with a finding (an error value) in bounded time and memory: never a
//! panic, a hang or an abort. Native memory is measured by a counting allocator here, as the
//! CLI does; in wasm the size of the linear memory is the measure.

use kubeharden_rego::{Budget, EvalError, Exhausted, Module, RegoVersion, Template};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

fn probe() -> u64 {
    ALLOCATOR.allocated() as u64
}

fn run(rego: &str) -> Result<Vec<String>, String> {
    run_with(rego, json!({}))
}

fn run_with(rego: &str, object: serde_json::Value) -> Result<Vec<String>, String> {
    kubeharden_rego::budget::set_memory_probe(probe);
    let budget = Budget { work: 200_000, memory: 64 << 20 };
    match Template::compile(&Module::new("t", rego), &[], RegoVersion::V0) {
        Err(e) => Err(format!("compile: {}", e.first().map(|e| e.message.clone()).unwrap_or_default())),
        Ok(mut t) => match t.violations(&json!({"review": {"object": object}, "parameters": {}}), &budget) {
            Ok(v) => Ok(v.into_iter().map(|v| v.msg).collect()),
            Err(EvalError::Exhausted(Exhausted::Work { .. })) => Err("work".into()),
            Err(EvalError::Exhausted(Exhausted::Memory { .. })) => Err("memory".into()),
            Err(e) => Err(format!("error: {e}")),
        },
    }
}

fn pkg(body: &str) -> String {
    format!("package k\n{body}\n")
}

#[test]
fn nested_iteration_runs_out_of_work() {
    let r = run(&pkg(
        "xs := numbers.range(1, 2000)\nviolation[{\"msg\": \"x\"}] {\n  n := count([1 | xs[_]; xs[_]; xs[_]])\n  n > 0\n}",
    ));
    assert_eq!(r, Err("work".into()));
}

#[test]
fn a_huge_range_is_refused_before_it_is_built() {
    let r = run(&pkg("violation[{\"msg\": \"x\"}] {\n  count(numbers.range(1, 1000000000000)) > 0\n}"));
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn recursion_is_an_error() {
    let r = run(&pkg("f(x) = y {\n  y := f(x)\n}\nviolation[{\"msg\": \"x\"}] {\n  f(1)\n}"));
    assert!(r.is_err(), "{r:?}");
    let r = run(&pkg("p { q }\nq { p }\nviolation[{\"msg\": \"x\"}] { p }"));
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn doubling_strings_run_out_of_memory() {
    let mut body = String::from("violation[{\"msg\": \"x\"}] {\n  s0 := \"0123456789abcdef0123456789abcdef\"\n");
    for i in 1..=40 {
        body.push_str(&format!("  s{i} := concat(\"\", [s{}, s{}])\n", i - 1, i - 1));
    }
    body.push_str("  count(s40) > 0\n}");
    let r = run(&pkg(&body));
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn multiplying_replacements_are_refused() {
    let mut body = String::from("violation[{\"msg\": \"x\"}] {\n  s0 := \"0123456789abcdef0123456789abcdef\"\n");
    for i in 1..=6 {
        body.push_str(&format!("  s{i} := replace(s{}, \"\", s{})\n", i - 1, i - 1));
    }
    body.push_str("  count(s6) > 0\n}");
    let r = run(&pkg(&body));
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn regex_bombs_are_linear_or_refused() {
    let long = "a".repeat(50_000);
    let r = run_with(
        &pkg("violation[{\"msg\": \"x\"}] {\n  regex.match(\"(a*)*b$\", input.review.object.s)\n}"),
        json!({"s": long}),
    );
    assert_eq!(r, Ok(vec![]));
    let r = run(&pkg("violation[{\"msg\": \"x\"}] {\n  regex.match(\"((a{100}){100}){100}\", \"a\")\n}"));
    assert!(r.is_ok() || r.is_err(), "bounded: {r:?}");
}

#[test]
fn deep_nesting_in_source_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000));
    let r = run(&pkg(&format!("violation[{{\"msg\": \"x\"}}] {{\n  x := {deep}\n}}")));
    assert!(r.is_err(), "{r:?}");
    let chain = format!("1{}", " + 1".repeat(50_000));
    let r = run(&pkg(&format!("violation[{{\"msg\": \"x\"}}] {{\n  x := {chain}\n}}")));
    assert!(r.is_err() || r.is_ok(), "bounded");
}

#[test]
fn formatting_a_shared_structure_is_bounded() {
    let mut body = String::from("violation[{\"msg\": msg}] {\n  a0 := [\"x\"]\n");
    for i in 1..=60 {
        body.push_str(&format!("  a{i} := [a{}, a{}]\n", i - 1, i - 1));
    }
    body.push_str("  msg := sprintf(\"%v\", [a60])\n}");
    let r = run(&pkg(&body));
    assert!(r.is_err(), "{r:?}");
}
