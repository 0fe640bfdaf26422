//! `apiserver-audit-log-disabled`: the API server keeps no audit trail.

use crate::model::component::{ComponentKind, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-audit-log-disabled",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "kube-apiserver does not audit requests: no --audit-policy-file, or no audit backend.",
    docs: docs! {
        what: "Reports a kube-apiserver without `--audit-policy-file` (without a policy nothing is audited), \
               and one without an audit backend: neither `--audit-log-path` nor \
               `--audit-webhook-config-file`.",
        why: "Audit records are how an intrusion is detected and reconstructed: who read which Secret, who \
              created which pod. The NSA/CISA hardening guide devotes a section to audit logging; CIS \
              Kubernetes Benchmark 1.2.16 to 1.2.19 and 3.2.1.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --audit-log-path=/var/log/kubernetes/audit.log
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    - --audit-log-path=/var/log/kubernetes/audit.log
    - --audit-log-maxage=30
"#,
        fix: "Write an audit policy (Metadata level for Secrets and ConfigMaps, Request or RequestResponse \
              for what you need to reconstruct), mount it, and set `--audit-policy-file` with \
              `--audit-log-path` (plus `--audit-log-maxage`, `--audit-log-maxbackup`, \
              `--audit-log-maxsize`) or `--audit-webhook-config-file`.",
        references: &[
            "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",
            "https://www.cisecurity.org/benchmark/kubernetes",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 1.2.16", "CIS 3.2.1", "kube-bench:1.2.16"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        if !comp.is_set("audit-policy-file") {
            let detail = match comp.setting("audit-policy-file") {
                Setting::Flag(_) => "sets an empty --audit-policy-file",
                _ => "does not set --audit-policy-file",
            };
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "audit-policy-file",
                (
                    format!("requests are not audited: {} {detail}, so no event is recorded", comp.label()),
                    format!("set --audit-policy-file to an audit policy in {}", comp.where_flags()),
                ),
                None,
            );
        }
        if !comp.is_set("audit-log-path") && !comp.is_set("audit-webhook-config-file") {
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "audit-log-path",
                (
                    format!(
                        "audit events have nowhere to go: {} sets neither --audit-log-path nor --audit-webhook-config-file",
                        comp.label()
                    ),
                    format!(
                        "set --audit-log-path (with --audit-log-maxage, --audit-log-maxbackup, --audit-log-maxsize) or --audit-webhook-config-file in {}",
                        comp.where_flags()
                    ),
                ),
                None,
            );
        }
    });
}
