//! `unvalidated-custom-resource`: custom resources whose CustomResourceDefinition is not known.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "unvalidated-custom-resource",
    family: Family::Schema,
    severity: Severity::Info,
    tier: Tier::Always,
    summary: "Custom resources whose CustomResourceDefinition is not in the input, so their fields are not validated.",
    docs: docs! {
        what: "Reports, once per kind and file, the custom resources (a kind of an API group with a dot that \
               Kubernetes does not serve itself) for which no `apiextensions.k8s.io/v1` \
               CustomResourceDefinition serving their version is in the input or in the extra CRD files \
               (`--crds`, the `crds` option). Their fields are not checked; hardening rules still read them.",
        why: "Schema validation can only check what it has a schema for: saying so keeps a clean report from \
              reading as \"every field was checked\".",
        fail: r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 3
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
              size: {type: integer}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 3
"#,
        fix: "Lint the CRDs together with their objects, or pass their files with `--crds PATH` (the `crds` \
              key of the configuration, the `crds` option of the npm package).",
        references: super::REFERENCES,
    },
    aliases: &["kubeconform:could-not-find-schema"],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::UnvalidatedCustomResource);
}
