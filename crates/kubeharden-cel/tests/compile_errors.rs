//! Compile errors name the field of the policy document (a JSON pointer) and the line and
//! column inside the expression, so the policy layer can point into the block scalar.

use kubeharden_cel::{CompileOptions, KubernetesVersion, Policy};
use serde_json::{Value, json};

fn vap(validations: Value) -> Value {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "p"}, "spec": {"validations": validations}})
}

fn errors(doc: &Value, minor: u32) -> Vec<(String, u32, u32, String)> {
    let options = CompileOptions { kubernetes_version: KubernetesVersion::new(1, minor) };
    match Policy::compile(doc, &options) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.pointer, e.line, e.column, e.message)).collect(),
    }
}

#[test]
fn a_syntax_error_is_at_its_line_and_column() {
    let found = errors(&vap(json!([{"expression": "true"}, {"expression": "object.spec.replicas <=\n  5 +"}])), 34);
    assert_eq!(found.len(), 1, "{found:?}");
    let (pointer, line, _column, message) = &found[0];
    assert_eq!(pointer, "/spec/validations/1/expression");
    assert_eq!(*line, 2, "{message}");
    assert!(message.contains("Syntax error"), "{message}");
}

#[test]
fn a_syntax_error_column_is_the_character_it_names() {
    // `)` is the 5th character: the parser's column is 1-based already.
    let found = errors(&vap(json!([{"expression": "1 + )"}])), 34);
    assert_eq!((found[0].1, found[0].2), (1, 5), "{found:?}");
}

#[test]
fn an_unknown_function_is_at_the_call() {
    let found = errors(&vap(json!([{"expression": "object.metadata.name.frobnicate() == 'x'"}])), 34);
    assert_eq!(
        found,
        vec![(
            "/spec/validations/0/expression".into(),
            1,
            32,
            "compilation failed: undeclared reference to 'frobnicate'".into()
        )]
    );
}

#[test]
fn an_unknown_variable_is_at_its_name() {
    let found = errors(&vap(json!([{"expression": "true &&\n   objekt.spec.x == 1"}])), 34);
    assert_eq!(
        found,
        vec![(
            "/spec/validations/0/expression".into(),
            2,
            4,
            "compilation failed: undeclared reference to 'objekt'".into()
        )]
    );
}

#[test]
fn libraries_are_known_from_the_release_that_introduced_them() {
    let ip = vap(json!([{"expression": "isIP(object.spec.ip)"}]));
    assert!(errors(&ip, 30).is_empty());
    assert_eq!(errors(&ip, 29).len(), 1, "{:?}", errors(&ip, 29));
    let semver = vap(json!([{"expression": "semver('1.2.3').major() == 1"}]));
    assert!(errors(&semver, 33).is_empty());
    assert!(!errors(&semver, 32).is_empty());
    let two_var = vap(json!([{"expression": "object.metadata.labels.all(k, v, v != '')"}]));
    assert!(errors(&two_var, 32).is_empty());
    assert_eq!(errors(&two_var, 31).len(), 1, "{:?}", errors(&two_var, 31));
}

#[test]
fn a_message_expression_and_a_variable_are_checked_too() {
    let doc = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "p"}, "spec": {
            "variables": [{"name": "a", "expression": "variables.b"}, {"name": "b", "expression": "1"}],
            "validations": [{"expression": "variables.a == 1", "messageExpression": "'x' + nope"}]}});
    let found = errors(&doc, 34);
    let pointers: Vec<&str> = found.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(pointers, ["/spec/variables/0/expression", "/spec/validations/0/messageExpression"], "{found:?}");
}

#[test]
fn columns_count_characters_not_bytes() {
    // `objekt` is the 8th character and the 12th byte.
    let found = errors(&vap(json!([{"expression": "'日本' + objekt"}])), 34);
    assert_eq!((found[0].1, found[0].2), (1, 8), "{found:?}");
    let found = errors(&vap(json!([{"expression": "'日本' + )"}])), 34);
    assert_eq!((found[0].1, found[0].2), (1, 8), "{found:?}");
}

#[test]
fn a_global_call_and_has_are_at_their_bracket() {
    // As cel-go reports them: at the `(` after the name.
    let found = errors(&vap(json!([{"expression": "frob(object) || has(variables.nope)"}])), 34);
    let at: Vec<(u32, u32)> = found.iter().map(|e| (e.1, e.2)).collect();
    assert_eq!(at, [(1, 5), (1, 20)], "{found:?}");
}

#[test]
fn the_end_of_an_expression_after_its_newline_is_on_the_next_line() {
    // A block scalar (`|`) keeps the final newline: the missing operand is on line 2.
    let found = errors(&vap(json!([{"expression": "object.spec.replicas <=\n"}])), 34);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1, found[0].2), (2, 1), "{found:?}");
    assert!(found[0].3.starts_with("compilation failed: Syntax error: "), "{found:?}");
}

#[test]
fn a_syntax_error_is_reported_once_per_place() {
    // The parser says `mismatched input` and then `expected ')'` at the same end of text.
    let found = errors(&vap(json!([{"expression": "object.spec.containers.all(c, has(c.name"}])), 34);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1, found[0].2), (1, 41), "{found:?}");
}

#[test]
fn an_expression_that_is_not_a_string_says_so_at_its_field() {
    let found = errors(
        &vap(json!([{"expression": 1}, {"expression": "true", "messageExpression": ["x"]}, {"expression": "true"}])),
        34,
    );
    assert_eq!(
        found,
        vec![
            (
                "/spec/validations/0/expression".into(),
                1,
                1,
                "Invalid value: expression must be a string, not a number".into()
            ),
            (
                "/spec/validations/1/messageExpression".into(),
                1,
                1,
                "Invalid value: messageExpression must be a string, not a list".into()
            ),
        ]
    );
}

#[test]
fn a_missing_expression_is_still_an_empty_one() {
    let found = errors(&vap(json!([{"message": "no expression"}])), 34);
    assert_eq!(
        found,
        vec![("/spec/validations/0/expression".into(), 1, 1, "compilation failed: expression is empty".into())]
    );
}

#[test]
fn a_binding_of_a_policy_that_does_not_compile_names_a_policy() {
    let mut set = kubeharden_cel::PolicySet::new(CompileOptions { kubernetes_version: KubernetesVersion::new(1, 34) });
    assert!(matches!(set.add(&vap(json!([{"expression": 1}]))), Some(Err(_))));
    let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny"]}});
    let orphan = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "o"}, "spec": {"policyName": "missing", "validationActions": ["Deny"]}});
    assert!(matches!(set.add(&binding), Some(Ok(()))));
    assert!(matches!(set.add(&orphan), Some(Ok(()))));
    let unbound: Vec<&str> = set.unbound().map(|b| b.name.as_str()).collect();
    assert_eq!(unbound, vec!["o"]);
}
