//! Where regorus alone answers differently from OPA (and so from `gator` and conftest), each
//! with the rewrite or builtin that makes the answer OPA's.

use kubeharden_rego::{Budget, Module, RegoVersion, Template};
use serde_json::json;

fn violations(rego: &str, input: serde_json::Value) -> Vec<String> {
    let mut t = Template::compile(&Module::new("t", rego), &[], RegoVersion::V0).unwrap_or_else(|e| panic!("{e:?}"));
    t.violations(&input, &Budget::default()).unwrap_or_else(|e| panic!("{e:?}")).into_iter().map(|v| v.msg).collect()
}

fn pod(params: serde_json::Value) -> serde_json::Value {
    json!({"review": {"object": {"spec": {"replicas": 7, "containers": [{"name": "app", "image": "nginx"}]}}}, "parameters": params})
}

#[test]
fn a_parenthesis_starting_a_line_starts_an_expression() {
    // regorus read `input.parameters.minimum\n(…)` as a call of `minimum`.
    let rego = "package k\nviolation[{\"msg\": \"spread\"}] {\n  not spread_ok\n}\nspread_ok {\n  input.parameters.minimum\n  (input.review.object.spec.replicas - 5) >= input.parameters.minimum\n}\n";
    assert_eq!(violations(rego, pod(json!({"minimum": 3}))), vec!["spread"]);
    assert!(violations(rego, pod(json!({"minimum": 1}))).is_empty());
}

#[test]
fn a_rule_with_several_bodies_is_one_rule_per_body() {
    let rego = "package k\nviolation[{\"msg\": msg}] {\n  input.review.object.spec.replicas > 5\n  msg := \"many\"\n} {\n  input.review.object.spec.replicas > 1\n  msg := \"some\"\n}\n";
    assert_eq!(violations(rego, pod(json!({}))), vec!["many", "some"]);
}

#[test]
fn an_undefined_operand_of_a_negated_call_fails_the_body() {
    let rego = "package k\nviolation[{\"msg\": \"bad image\"}] {\n  c := input.review.object.spec.containers[_]\n  not allowed(c.image, input.parameters.images)\n}\nallowed(image, images) {\n  images[_] == image\n}\n";
    assert!(violations(rego, pod(json!({}))).is_empty(), "OPA gives no violation when the parameter is missing");
    assert_eq!(violations(rego, pod(json!({"images": ["redis"]}))), vec!["bad image"]);
    assert!(violations(rego, pod(json!({"images": ["nginx"]}))).is_empty());
    let cmp = "package k\nviolation[{\"msg\": \"x\"}] {\n  not input.parameters.mode == \"audit\"\n}\n";
    assert!(violations(cmp, pod(json!({}))).is_empty());
    assert_eq!(violations(cmp, pod(json!({"mode": "enforce"}))), vec!["x"]);
}

#[test]
fn sprintf_writes_what_go_writes_for_missing_arguments() {
    // A message with one `%v` too many still yields its violation (Go writes %!v(MISSING)).
    let rego = "package k\nviolation[{\"msg\": msg}] {\n  msg := sprintf(\"%v has %v of %v\", [\"web\", input.review.object.spec.replicas])\n}\n";
    assert_eq!(violations(rego, pod(json!({}))), vec!["web has 7 of %!v(MISSING)"]);
}
