//! `invalid-object-name`: a `metadata.name`, `generateName` or `namespace` the kind does not allow.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-object-name",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "An object name (or generateName, or namespace) that its kind does not allow, such as `Web_1` for a Deployment.",
    docs: docs! {
        what: "Checks `metadata.name` and `metadata.generateName` with the rule each built-in kind's validation \
               applies: DNS-1123 subdomains for most kinds (lower case, digits, `-` and `.`, at most 253 \
               characters), DNS-1123 labels for Namespaces and, from v1.27, StatefulSets (no dots, at most 63), \
               DNS-1035 labels for Services (starting with a letter), path segments for RBAC objects (so \
               `system:controller:x` is fine), at most 52 characters for CronJobs. A written \
               `metadata.namespace` must be a DNS-1123 label.",
        why: "The API server rejects the object (`a lowercase RFC 1123 subdomain must consist of …`). Names are \
              also what other objects refer to: a Service named `2web` cannot be created, so nothing reaches \
              its pods.",
        fail: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: Web_1
spec:
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
  name: web-1
spec:
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
        fix: "Rename the object with lower-case letters, digits and `-` (and `.` where the kind allows it).",
        references: &[
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
            "https://kubernetes.io/docs/reference/kubernetes-api/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(crate::fix::Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidName);
}
