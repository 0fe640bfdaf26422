//! `missing-required-field`: a field the API server requires is not set.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "missing-required-field",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A field the API server requires is missing, such as a container without `image` or a Deployment without `selector`.",
    docs: docs! {
        what: "Reports required fields that are missing or null: a container without `name` or `image`, a \
               Deployment without `spec.selector`, a port without `containerPort`, a RoleBinding without \
               `roleRef`. A field counts as required when the OpenAPI schema says so and the API server's \
               validation rejects the object without it: fields whose zero value is valid (an empty \
               `podSelector`, `PriorityClass.value: 0`) are not reported. A missing `metadata.name` is \
               `invalid-resource`'s finding. \
               The `status` of a built-in kind is not checked: the API server resets it before validation.",
        why: "The API server refuses the object (`Required value`), so the deploy fails; for controllers the \
              error may only show up later, in events nobody reads.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Add the field the message names.",
        references: super::REFERENCES,
    },
    aliases: &["kubeconform:required"],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::MissingRequired);
}
