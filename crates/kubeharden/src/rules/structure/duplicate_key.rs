//! `duplicate-key`: a mapping repeats a key.

use crate::report::Severity;
use crate::rules::{Check, Docs, Family, Rule, Tier, Versioned};
use crate::source::IssueKind;

pub static RULE: Rule = Rule {
    id: "duplicate-key",
    family: Family::Structure,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A mapping repeats a key: strict field validation rejects the object, other clients silently keep the last value.",
    docs: docs! {
        what: "Reports the second (and any later) occurrence of a key in the same mapping, pointing at the \
               repeated key and naming the line of the first. Keys pulled in through a merge key (`<<`) are \
               not duplicates. The last value is the one kubeharden lints, as a non-strict client would apply it.",
        why: "A repeated key usually hides a mistake: a second `securityContext` or `env` block silently \
              replaces the first, so settings a reviewer sees in the file never reach the cluster. Since \
              Kubernetes 1.27, kubectl's default strict field validation rejects such objects outright.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    image: nginx:latest
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
        fix: "Keep a single occurrence of the key and merge the intended settings into it.",
        references: &[
            "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
            "https://yaml.org/spec/1.2.2/#mapping",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Source(IssueKind::DuplicateKey))],
    fix: Some(crate::fix::Applicability::Safe),
};
