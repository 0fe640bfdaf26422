//! `unknown-field`: a key the object's schema does not have (usually a typo).

use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "unknown-field",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A key that the object's schema does not have at the target Kubernetes version, such as a misspelled field.",
    docs: docs! {
        what: "Checks every key of every built-in object, at any depth, against the OpenAPI schema of the \
               target Kubernetes version, and reports the keys the schema does not have. The message names \
               the closest known field (\"did you mean `securityContext`?\"); when exactly one field is close, \
               the fix renames the key. A field that a later release added (`securityContext.appArmorProfile` \
               before v1.30) is reported with the release that added it. Field names are case-sensitive. \
               In the `status` of a built-in kind only what decoding reports is checked (unknown fields, \
               values that do not decode): the API server decodes the status strictly with the rest of \
               the body, then resets it before validation.",
        why: "A misspelled field silently disables what it was meant to set: `securityContex:` with \
              `runAsNonRoot: true` under it leaves the container running as root. The API server's strict \
              field validation (kubectl's default since v1.27) rejects the object, while Helm, Argo CD and \
              `--validate=false` pipelines drop the field and run the workload without the setting its author \
              wrote.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContex:
      runAsNonRoot: true
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      runAsNonRoot: true
"#,
        fix: "Rename the key to the field the message suggests, or remove it. For a field of a newer release, \
              lint with the `kubernetesVersion` the cluster runs.",
        references: super::REFERENCES,
    },
    aliases: &["kubeconform:additionalProperties", "kubectl-validate:unknown-field"],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::UnknownField);
}
