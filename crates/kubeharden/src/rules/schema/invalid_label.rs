//! `invalid-label`: a label key or value the API server rejects.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-label",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A label key or value with characters or a length the API server rejects, in metadata, selectors or node selectors.",
    docs: docs! {
        what: "Checks the labels of objects and pod templates, `matchLabels` and `matchExpressions` keys of \
               label selectors, `nodeSelector` and Service selectors: a key is an optional DNS subdomain \
               prefix and `/`, then a name of at most 63 characters (letters, digits, `-`, `_`, `.`, starting \
               and ending with a letter or digit); a value is empty or such a name. A value that is a number \
               or a boolean is `wrong-field-type`'s finding.",
        why: "The API server rejects the object (`metadata.labels: Invalid value`). In a selector, a label the \
              pods cannot carry selects nothing, which for a NetworkPolicy or a PodDisruptionBudget means the \
              protection applies to no pod.",
        fail: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    team: platform engineering
"#,
        pass: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    team: platform-engineering
"#,
        fix: "Replace spaces and other characters with `-`, `_` or `.`, and keep values to 63 characters \
              (put longer text in an annotation).",
        references: &[
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(crate::fix::Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidLabel);
}
