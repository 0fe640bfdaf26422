//! `kubelet-read-only-port-enabled`: the kubelet serves its unauthenticated read-only port.

use super::kubelet::{self, KubeletSetting};
use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "kubelet-read-only-port-enabled",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "The kubelet serves its read-only port (10255) without authentication or authorization.",
    docs: docs! {
        what: "Reports a `KubeletConfiguration` whose `readOnlyPort` is not 0, and a kubelet command line with \
               a non-zero `--read-only-port`, or without the flag when the kubelet runs without `--config` \
               (the command-line default is 10255). In a KubeletConfiguration the field defaults to 0.",
        why: "The read-only port answers anyone who can reach the node, with no authentication and no \
              authorization: pod specs (with their environment variables), node status and metrics leak \
              to every pod and network neighbour. CIS Kubernetes Benchmark 4.2.4 requires it disabled.",
        fail: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10255
"#,
        pass: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
"#,
        fix: "Set `readOnlyPort: 0` (or `--read-only-port=0`) and scrape metrics from the authenticated \
              port 10250.",
        references: &[
            "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 4.2.4", "kube-bench:4.2.4"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Hardening),
};

static SETTING: KubeletSetting = KubeletSetting {
    field: &["readOnlyPort"],
    flag: "read-only-port",
    config_default: "0",
    flag_default: "10255",
    wanted: "0",
    insecure: |v| v.trim() != "0",
    reason: "the kubelet serves an unauthenticated read-only port",
    why: "port 10255 answers anyone without authentication",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    kubelet::check(cx, sink, &SETTING);
}
