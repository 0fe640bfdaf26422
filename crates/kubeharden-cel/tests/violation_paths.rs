//! Where a failed validation points inside `object`: the field its expression read last,
//! down to the list element or map entry that decided a macro.

use kubeharden_cel::{Cluster, CompileOptions, Outcome, PathSegment, PolicySet, Request};
use serde_json::{Value, json};

fn pod() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web", "tier": "front"}},
        "spec": {"replicas": 7, "containers": [
            {"name": "ok", "image": "registry.example/ok:1"},
            {"name": "bad", "image": "docker.io/bad:latest"}]}})
}

/// The path of the one violation `expression` gives for `object`.
fn path_of(expression: &str, object: &Value) -> Vec<PathSegment> {
    path_of_validations(&[expression], object)
}

/// The path of the one violation the validations `expressions` give for `object`.
fn path_of_validations(expressions: &[&str], object: &Value) -> Vec<PathSegment> {
    let expression = expressions.join(" / ");
    let validations: Vec<Value> = expressions.iter().map(|e| json!({"expression": e})).collect();
    let mut set = PolicySet::new(CompileOptions::default());
    let policy = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "p"},
        "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]},
            "validations": validations}});
    let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "p"}, "spec": {"policyName": "p", "validationActions": ["Deny"]}});
    set.add(&policy).expect("a policy").expect("compiles");
    set.add(&binding).expect("a binding").expect("compiles");
    let decisions = set.admit(&Request::create(object), &Cluster::default());
    match decisions.as_slice() {
        [d] => match &d.outcome {
            Outcome::Violation(v) => v.path.clone(),
            other => panic!("{expression}: not a violation: {other:?}"),
        },
        other => panic!("{expression}: {other:?}"),
    }
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.into())
}

#[test]
fn a_comparison_points_at_the_field_it_read() {
    assert_eq!(path_of("object.spec.replicas <= 5", &pod()), [key("spec"), key("replicas")]);
}

#[test]
fn all_points_at_the_element_that_made_it_false() {
    let path = path_of("object.spec.containers.all(c, c.image.startsWith('registry.example/'))", &pod());
    assert_eq!(path, [key("spec"), key("containers"), PathSegment::Index(1), key("image")]);
}

#[test]
fn a_map_macro_points_at_the_entry() {
    let path = path_of("object.metadata.labels.all(k, object.metadata.labels[k] != 'front')", &pod());
    assert_eq!(path, [key("metadata"), key("labels"), key("tier")]);
}

#[test]
fn an_index_points_at_the_element() {
    assert_eq!(
        path_of("object.spec.containers[1].name == 'ok'", &pod()),
        [key("spec"), key("containers"), PathSegment::Index(1), key("name")]
    );
}

#[test]
fn has_points_at_the_object_that_lacks_the_field() {
    assert_eq!(path_of("has(object.spec.securityContext)", &pod()), [key("spec")]);
}

#[test]
fn dyn_keeps_where_its_argument_came_from() {
    assert_eq!(path_of("dyn(object.spec.replicas) <= 5", &pod()), [key("spec"), key("replicas")]);
}

#[test]
fn values_built_by_the_expression_have_no_path() {
    assert_eq!(path_of("[1, 2].all(x, x < 2)", &pod()), Vec::<PathSegment>::new());
}

#[test]
fn a_policy_that_reads_past_the_path_bound_still_fails_with_a_violation() {
    // Three validations read 360,000 fields of `object` in one evaluation, the last failing
    // at the last element: past the bound on recorded paths, that read has none and the
    // violation points at nothing (the finding falls back to the object's name).
    let mut items = vec![json!({"v": 1}); 60_000];
    items.push(json!({"v": 2}));
    let object = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"items": items}});
    let pass = "object.spec.items.all(i, i.v >= 1)";
    let fail = "object.spec.items.all(i, i.v == 1)";
    assert_eq!(path_of_validations(&[pass, pass, fail], &object), Vec::<PathSegment>::new());
    // Below the bound, the same failure points at its element.
    let path = path_of_validations(&[pass, fail], &object);
    assert_eq!(path, [key("spec"), key("items"), PathSegment::Index(60_000), key("v")]);
}
