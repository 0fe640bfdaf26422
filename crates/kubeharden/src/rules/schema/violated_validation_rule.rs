//! `violated-validation-rule`: a custom resource breaks an `x-kubernetes-validations` (CEL)
//! rule of its CRD, and the API server rejects it.
//!
//! The core does not evaluate CEL (its wasm module stays free of the CEL engine): the CEL
//! layer (kubeharden-policy with kubeharden-cel, `crd_rules`) gives these findings, in the
//! CLI, the LSP and the npm package's CEL module. This file holds the rule's metadata and
//! docs, so that configs, exemptions and `explain` know it; its fixtures
//! (`tests/fixtures/violated-validation-rule/`) run through the CEL layer in
//! crates/kubeharden-policy/tests/crd_rules.rs.

use crate::report::Severity;
use crate::rules::{Check, Docs, Family, Rule, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "violated-validation-rule",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A custom resource breaks an x-kubernetes-validations (CEL) rule of its CustomResourceDefinition.",
    docs: docs! {
        what: "Evaluates the `x-kubernetes-validations` rules of the CRD version of each custom resource, as \
               the API server does on create: each rule of each schema node present in the object, with \
               `self` the node's value typed by the schema (once per element inside lists and maps). \
               Transition rules (using `oldSelf`) are skipped, as there is no old object, unless \
               `optionalOldSelf: true`. The message is the API server's: `<path>: Invalid value: \"<type>\": \
               <message>` (the rule's `message`, its evaluated `messageExpression`, else `failed rule: <rule>`), \
               worded by its `reason` and placed at its `fieldPath`. A rule that fails at run time or runs out \
               of the API server's cost budget is reported the same way, with the API server's message.",
        why: "The API server rejects the object: `kubectl apply` fails with this message. Finding it before \
              deploying saves a failed rollout.",
        fail: r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ranges.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Range, plural: ranges, singular: range, listKind: RangeList}
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
              message: min must not exceed max
            properties:
              min: {type: integer}
              max: {type: integer}
---
apiVersion: example.com/v1
kind: Range
metadata:
  name: r
spec:
  min: 5
  max: 1
"#,
        pass: r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ranges.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Range, plural: ranges, singular: range, listKind: RangeList}
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
              message: min must not exceed max
            properties:
              min: {type: integer}
              max: {type: integer}
---
apiVersion: example.com/v1
kind: Range
metadata:
  name: r
spec:
  min: 1
  max: 5
"#,
        fix: "Change the object so that the rule holds (the message says what the CRD's author expects). \
              Property names with `-`, `.` or `/` are written escaped in rules: `self.max__dash__size` \
              for `max-size`.",
        references: &[
            "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules",
            "https://kubernetes.io/docs/reference/using-api/cel/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Cel)],
    fix: None,
};
