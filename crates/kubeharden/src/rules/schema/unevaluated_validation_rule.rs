//! `unevaluated-validation-rule`: CEL rules of a CRD version that this lint does not evaluate
//! (it ran without the CEL engine).

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "unevaluated-validation-rule",
    family: Family::Schema,
    severity: Severity::Info,
    tier: Tier::Always,
    summary: "A CustomResourceDefinition version has x-kubernetes-validations (CEL) rules, which this lint did not evaluate.",
    docs: docs! {
        what: "Custom resources are validated with the schema of their CRD version; the \
               `x-kubernetes-validations` rules of that schema are CEL expressions, which the CEL engine \
               evaluates (`violated-validation-rule`): the CLI and the LSP always, the npm package when its \
               CEL module is loaded. A lint without the CEL engine (the core library alone, or the npm package \
               where the module cannot be loaded synchronously and was not loaded first) says so with this \
               rule, once per CRD version and file, at the first object of that version in the file, with the \
               number of rules left out. Where the rules are evaluated this rule does not appear.",
        why: "The API server rejects an object that breaks one of these rules; a report without this note \
              would read as if the object passed them.",
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
            x-kubernetes-validations:
            - rule: self.min <= self.max
            properties:
              min: {type: integer}
              max: {type: integer}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  min: 1
  max: 3
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
              min: {type: integer, minimum: 0}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  min: 1
"#,
        fix: "Nothing to change in the manifest: lint with the CLI, or load the npm package's CEL module \
              first (`await readyPolicies()`), and the rules are evaluated; or check them with \
              `kubectl apply --dry-run=server` against a cluster that has the CRD, or turn this rule off.",
        references: &[
            "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::UnevaluatedValidationRule);
}
