//! `kubelet-authorization-always-allow`: the kubelet authorizes every request.

use super::kubelet::{self, KubeletSetting};
use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "kubelet-authorization-always-allow",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "The kubelet authorizes every request to its API (authorization mode AlwaysAllow).",
    docs: docs! {
        what: "Reports a `KubeletConfiguration` with `authorization.mode: AlwaysAllow`, and a kubelet command \
               line with `--authorization-mode=AlwaysAllow`, or without the flag when the kubelet runs without \
               `--config` (the command-line default is `AlwaysAllow`). In a KubeletConfiguration the field \
               defaults to `Webhook`.",
        why: "With `AlwaysAllow`, any authenticated (or anonymous) client of port 10250 may exec into pods, \
              read their logs and secrets mounted in them. `Webhook` asks the API server, through \
              SubjectAccessReview, whether the caller may use the `nodes/proxy` (and related) subresources. \
              CIS Kubernetes Benchmark 4.2.2 requires it.",
        fail: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization:
  mode: AlwaysAllow
"#,
        pass: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization:
  mode: Webhook
"#,
        fix: "Set `authorization.mode: Webhook` (or `--authorization-mode=Webhook`) and keep \
              `authentication.webhook.enabled: true`.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization",
            "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 4.2.2", "kube-bench:4.2.2"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Hardening),
};

static SETTING: KubeletSetting = KubeletSetting {
    field: &["authorization", "mode"],
    flag: "authorization-mode",
    config_default: "Webhook",
    flag_default: "AlwaysAllow",
    wanted: "Webhook",
    insecure: |v| v == "AlwaysAllow",
    reason: "the kubelet authorizes every request",
    why: "Webhook asks the API server whether each caller may use the kubelet API",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    kubelet::check(cx, sink, &SETTING);
}
