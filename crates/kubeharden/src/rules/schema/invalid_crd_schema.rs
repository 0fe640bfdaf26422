//! `invalid-crd-schema`: a CustomResourceDefinition schema the API server refuses.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-crd-schema",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "The openAPIV3Schema of a CustomResourceDefinition version is not a valid structural schema.",
    docs: docs! {
        what: "Reads the `openAPIV3Schema` of every version of the CustomResourceDefinitions in the input and \
               reports what the API server's CRD validation refuses: a node without `type` (unless it has \
               `x-kubernetes-preserve-unknown-fields` or `x-kubernetes-int-or-string`), an unknown type, a \
               `pattern` that is not a regular expression, `type: array` without `items`, `items` given as a \
               list, `properties` beside an `additionalProperties` schema or `additionalProperties: false`, `uniqueItems: true`, and \
               `x-kubernetes-list-type: map` without keys or with keys the items do not have. Objects of the \
               CRD are still validated with what could be read (an invalid pattern is not checked).",
        why: "The API server refuses the whole CustomResourceDefinition, so neither it nor any object of its \
              kind can be applied.",
        fail: r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              name: {type: string, pattern: '^[a-z(+$'}
"#,
        pass: r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              name: {type: string, pattern: '^[a-z]+$'}
"#,
        fix: "Correct the schema as the message says; `kubectl apply --dry-run=server` on the CRD shows the \
              API server's own message.",
        references: &[
            "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidCrdSchema);
}
