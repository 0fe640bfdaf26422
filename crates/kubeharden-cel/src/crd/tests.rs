//! The semantics of CRD rules, each case reasoned from the API server's
//! `pkg/apiserver/schema/cel/validation.go` (which decides what runs and the messages) and
//! `k8s.io/apiserver/pkg/cel` (`Escape`, `common.SchemaDeclType`, `UnstructuredToVal`).

use serde_json::{Value, json};

use super::*;

fn validator(schema: Value) -> (CrdValidator, Vec<CompileError>) {
    CrdValidator::compile(&schema, "/s", &CompileOptions::default())
}

fn messages(schema: Value, object: Value) -> Vec<String> {
    let (v, errors) = validator(schema);
    assert!(errors.is_empty(), "{errors:?}");
    v.validate(&object).into_iter().map(|f| f.message).collect()
}

fn spec(props: Value, rules: Value) -> Value {
    json!({"type": "object", "properties": {"spec": {"type": "object", "properties": props, "x-kubernetes-validations": rules}}})
}

#[test]
fn a_failed_rule_prints_as_field_invalid() {
    let s = spec(
        json!({"min": {"type": "integer"}, "max": {"type": "integer"}}),
        json!([{"rule": "self.min <= self.max"}]),
    );
    assert_eq!(
        messages(s.clone(), json!({"spec": {"min": 5, "max": 1}})),
        ["spec: Invalid value: \"object\": failed rule: self.min <= self.max"]
    );
    assert!(messages(s, json!({"spec": {"min": 1, "max": 5}})).is_empty());
}

#[test]
fn a_rule_at_the_root_has_the_nil_path() {
    let s = json!({"type": "object", "x-kubernetes-validations": [{"rule": "self.metadata.name.startsWith('w-')", "message": "name must start with w-"}]});
    assert_eq!(
        messages(s, json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "x"}})),
        ["<nil>: Invalid value: \"object\": name must start with w-"]
    );
}

#[test]
fn message_expression_and_reasons() {
    let s = spec(
        json!({"replicas": {"type": "integer"}}),
        json!([
            {"rule": "self.replicas < 10", "messageExpression": "'replicas is ' + string(self.replicas)"},
            {"rule": "self.replicas < 9", "message": "too many", "reason": "FieldValueForbidden"},
            {"rule": "self.replicas < 8", "message": "need fewer", "reason": "FieldValueRequired"},
            {"rule": "self.replicas < 7", "reason": "FieldValueDuplicate"},
            {"rule": "self.replicas < 6", "messageExpression": "'a\\nb'", "message": "fallback"},
        ]),
    );
    assert_eq!(
        messages(s, json!({"spec": {"replicas": 12}})),
        [
            "spec: Invalid value: \"object\": replicas is 12",
            "spec: Forbidden: too many",
            "spec: Required value: need fewer",
            "spec: Duplicate value: \"object\"",
            "spec: Invalid value: \"object\": fallback",
        ]
    );
}

#[test]
fn field_path_changes_the_printed_path_and_the_target() {
    let s = spec(
        json!({"replicas": {"type": "integer"}, "labels": {"type": "object", "additionalProperties": {"type": "string"}}}),
        json!([
            {"rule": "self.replicas < 10", "fieldPath": ".replicas"},
            {"rule": "!('a.b' in self.labels)", "fieldPath": ".labels['a.b']"},
        ]),
    );
    let (v, errors) = validator(s);
    assert!(errors.is_empty(), "{errors:?}");
    let failures = v.validate(&json!({"spec": {"replicas": 12, "labels": {"a.b": "x"}}}));
    let got: Vec<(&str, Option<Vec<Seg>>)> = failures.iter().map(|f| (f.message.as_str(), f.target.clone())).collect();
    assert_eq!(
        got,
        [
            (
                "spec.replicas: Invalid value: \"object\": failed rule: self.replicas < 10",
                Some(vec![Seg::Field("spec".into()), Seg::Field("replicas".into())])
            ),
            (
                "spec.labels[a.b]: Invalid value: \"object\": failed rule: !('a.b' in self.labels)",
                Some(vec![Seg::Field("spec".into()), Seg::Field("labels".into()), Seg::Key("a.b".into())])
            ),
        ]
    );
}

#[test]
fn property_names_are_escaped() {
    let s = spec(
        json!({"max-size": {"type": "integer"}, "namespace": {"type": "string"}, "a.b": {"type": "integer"}, "x__y": {"type": "integer"}, "1st": {"type": "integer"}}),
        json!([{"rule": "self.max__dash__size < 3 && self.__namespace__ == 'ns' && self.a__dot__b == 1 && self.x__underscores__y == 2"}]),
    );
    assert!(messages(s.clone(), json!({"spec": {"max-size": 1, "namespace": "ns", "a.b": 1, "x__y": 2}})).is_empty());
    assert_eq!(messages(s, json!({"spec": {"max-size": 5, "namespace": "ns", "a.b": 1, "x__y": 2}})).len(), 1);
    // The unescaped name is not a field; nor is a name that cannot be escaped.
    for rule in ["self.max_size < 3", "self.namespace == 'ns'"] {
        let (_, errors) = validator(spec(
            json!({"max-size": {"type": "integer"}, "namespace": {"type": "string"}}),
            json!([{"rule": rule}]),
        ));
        assert_eq!(errors.len(), 1, "{rule}");
    }
}

#[test]
fn transition_rules_are_skipped_on_create() {
    let s = spec(json!({"x": {"type": "integer"}}), json!([{"rule": "self.x == oldSelf.x"}, {"rule": "self.x > 100"}]));
    assert_eq!(messages(s, json!({"spec": {"x": 1}})), ["spec: Invalid value: \"object\": failed rule: self.x > 100"]);
}

#[test]
fn optional_old_self_is_none_on_create() {
    let s = spec(
        json!({"x": {"type": "integer"}}),
        json!([
            {"rule": "!oldSelf.hasValue()", "optionalOldSelf": true, "message": "has an old value"},
            {"rule": "oldSelf.hasValue()", "optionalOldSelf": true, "message": "no old value"},
        ]),
    );
    assert_eq!(messages(s, json!({"spec": {"x": 1}})), ["spec: Invalid value: \"object\": no old value"]);
}

#[test]
fn rules_inside_lists_and_maps_run_per_element() {
    let s = json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "ports": {"type": "array", "items": {"type": "integer", "x-kubernetes-validations": [{"rule": "self > 1024"}]}},
        "limits": {"type": "object", "additionalProperties": {"type": "string", "x-kubernetes-validations": [{"rule": "self.endsWith('Mi')", "message": "use Mi"}]}},
    }}}});
    assert_eq!(
        messages(s, json!({"spec": {"ports": [8080, 80, 443], "limits": {"a": "1Gi", "b": "5Mi"}}})),
        [
            "spec.limits[a]: Invalid value: \"string\": use Mi",
            "spec.ports[1]: Invalid value: \"integer\": failed rule: self > 1024",
            "spec.ports[2]: Invalid value: \"integer\": failed rule: self > 1024",
        ]
    );
}

#[test]
fn formats_give_typed_values() {
    let s = spec(
        json!({"at": {"type": "string", "format": "date-time"}, "day": {"type": "string", "format": "date"},
               "every": {"type": "string", "format": "duration"}, "data": {"type": "string", "format": "byte"},
               "port": {"x-kubernetes-int-or-string": true}, "ratio": {"type": "number"}}),
        json!([{"rule": "self.at > timestamp('2020-01-01T00:00:00Z') && self.day < self.at && self.every == duration('90m') && self.data == b'hello' && (type(self.port) == string || self.port > 0) && self.ratio == 1.0"}]),
    );
    let ok = json!({"spec": {"at": "2024-01-02T03:04:05Z", "day": "2023-05-01", "every": "1h30m", "data": "aGVsbG8=", "port": "http", "ratio": 1}});
    assert!(messages(s.clone(), ok).is_empty());
    let bad = json!({"spec": {"at": "2024-01-02T03:04:05Z", "day": "2023-05-01", "every": "1h", "data": "aGVsbG8=", "port": 8, "ratio": 1}});
    assert_eq!(messages(s, bad).len(), 1);
}

#[test]
fn runtime_errors_are_reported_with_the_rule() {
    let s = spec(
        json!({"a": {"type": "integer"}, "b": {"type": "integer"}}),
        json!([{"rule": "self.a / self.b > 0"}, {"rule": "self.c == 1"}]),
    );
    let (_, errors) = validator(s.clone());
    assert_eq!(errors.len(), 1, "self.c is not a field: {errors:?}");
    let s = spec(
        json!({"a": {"type": "integer"}, "b": {"type": "integer"}}),
        json!([{"rule": "self.a / self.b > 0"}, {"rule": "self.b == 0"}]),
    );
    let got = messages(s, json!({"spec": {"a": 1, "b": 0}}));
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("spec: Invalid value: \"object\": "), "{got:?}");
    assert!(got[0].ends_with(" evaluating rule: self.a / self.b > 0"), "{got:?}");
    // An absent field is `no such key` at run time.
    let s = spec(json!({"a": {"type": "integer"}}), json!([{"rule": "self.a == 1", "message": "a must be 1"}]));
    assert_eq!(
        messages(s, json!({"spec": {}})),
        ["spec: Invalid value: \"object\": no such key: a evaluating rule: a must be 1"]
    );
}

#[test]
fn compile_errors_carry_positions() {
    let (_, errors) = validator(spec(
        json!({"a": {"type": "integer"}}),
        json!([{"rule": "self.a +"}, {"rule": "self.b == 1"}, {"rule": "self.a + 1"}, {"rule": "self.a > 0", "messageExpression": "self.a"}, {"rule": "self.a > 0", "fieldPath": ".nope"}, {"rule": "self.a > 0", "reason": "Bad"}]),
    ));
    let got: Vec<(&str, u32, u32)> = errors.iter().map(|e| (e.pointer.as_str(), e.line, e.column)).collect();
    assert_eq!(got.len(), 6, "{errors:?}");
    assert_eq!(got[0].0, "/s/properties/spec/x-kubernetes-validations/0/rule");
    assert_eq!((got[1].0, got[1].1, got[1].2), ("/s/properties/spec/x-kubernetes-validations/1/rule", 1, 5));
    assert!(errors[1].message.contains("undefined field 'b'"), "{}", errors[1].message);
    assert!(errors[2].message.contains("must evaluate to a bool"), "{}", errors[2].message);
    assert_eq!(got[3].0, "/s/properties/spec/x-kubernetes-validations/3/messageExpression");
    assert_eq!(got[4].0, "/s/properties/spec/x-kubernetes-validations/4/fieldPath");
    assert_eq!(got[5].0, "/s/properties/spec/x-kubernetes-validations/5/reason");
}

#[test]
fn a_hostile_rule_ends_with_the_cost_limit() {
    let s = spec(
        json!({"items": {"type": "array", "items": {"type": "string"}}}),
        json!([
            {"rule": "self.items.all(a, self.items.all(b, self.items.all(c, a + b + c != 'x')))"},
            {"rule": "self.items.size() > 1000000"},
        ]),
    );
    let items: Vec<String> = (0..300).map(|i| format!("item-{i}")).collect();
    let started = std::time::Instant::now();
    let got = messages(s, json!({"spec": {"items": items}}));
    assert!(started.elapsed().as_secs() < 20);
    assert_eq!(
        got,
        [
            "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.items.all(a, self.items.all(b, self.items.all(c, a + b + c != 'x')))"
        ]
    );
}

#[test]
fn the_object_budget_is_shared_by_its_rules() {
    // 40 elements, each with a rule that costs under the 1,000,000 of one call: the object
    // runs out of its 10,000,000 before the last ones, and validation stops there.
    let s = json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "rows": {"type": "array", "items": {"type": "array", "items": {"type": "integer"},
            "x-kubernetes-validations": [{"rule": "self.all(a, self.all(b, a + b >= 0))"}]}}}}}});
    let row: Vec<i64> = (0..300).collect();
    let rows: Vec<Vec<i64>> = (0..40).map(|_| row.clone()).collect();
    let got = messages(s, json!({"spec": {"rows": rows}}));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0]
            .ends_with("validation failed due to running out of cost budget, no further validation rules will be run"),
        "{got:?}"
    );
}

#[test]
fn embedded_resources_see_their_type_and_object_meta() {
    let s = json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true,
            "x-kubernetes-validations": [{"rule": "self.kind == 'Pod' && self.metadata.name != ''"}]}}}}});
    assert!(
        messages(
            s.clone(),
            json!({"spec": {"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}}})
        )
        .is_empty()
    );
    assert_eq!(
        messages(s, json!({"spec": {"template": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "p"}}}}))
            .len(),
        1
    );
}

#[test]
fn objects_with_wrong_types_are_not_evaluated() {
    let s = spec(json!({"a": {"type": "integer"}}), json!([{"rule": "self.a == 1"}]));
    assert!(messages(s, json!({"spec": {"a": "one"}})).is_empty());
}

#[test]
fn rules_on_typeless_nodes_do_not_compile() {
    let (_, errors) = validator(
        json!({"type": "object", "properties": {"x": {"x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-validations": [{"rule": "true"}]}}}),
    );
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.starts_with("rule declared on schema that does not support validation rules"));
}
