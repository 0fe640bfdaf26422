//! `wrong-field-type`: a value of the wrong type (a string where an integer goes, a mapping
//! where a list goes).

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "wrong-field-type",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A value whose type the API server refuses: a quoted number where an integer goes, a mapping where a list goes, a number where a string goes.",
    docs: docs! {
        what: "Reports values whose type does not match the schema, read the way the API server decodes YAML \
               (YAML 1.1 scalars, then JSON): a string where a boolean or an integer is expected (`\"true\"`, \
               `\"8080\"`), a number or boolean where a string is expected (`value: 1` in an env var, \
               `version: 1.0` as a label), a mapping where a list is expected and the reverse, integers \
               outside their 32- or 64-bit range. Unquoted `yes`/`no`/`on`/`off` are booleans, as the API \
               server reads them. The `status` of a built-in kind is checked too: the API server decodes \
               it with the rest of the object, before it resets it.",
        why: "The API server decodes manifests into typed objects: a value of the wrong type is a decoding \
              error (`cannot unmarshal string into Go struct field`), so the object never applies. Guessing \
              what it meant would hide that, so kubeharden reports it and reads the field as unset.",
        fail: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
"#,
        pass: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
"#,
        fix: "Write the type the field takes: numbers and booleans unquoted, strings that look like numbers \
              quoted (`\"1.0\"`), lists with `- ` items.",
        references: super::REFERENCES,
    },
    aliases: &["kubeconform:type"],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(crate::fix::Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::WrongType);
}
