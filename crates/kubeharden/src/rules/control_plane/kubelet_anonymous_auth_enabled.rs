//! `kubelet-anonymous-auth-enabled`: the kubelet API accepts requests without credentials.

use super::kubelet::{self, KubeletSetting};
use crate::fix::Applicability;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "kubelet-anonymous-auth-enabled",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "The kubelet accepts anonymous requests on its API (port 10250).",
    docs: docs! {
        what: "Reports a `KubeletConfiguration` with `authentication.anonymous.enabled: true`, and a kubelet \
               command line with `--anonymous-auth=true`, or without the flag when the kubelet runs \
               without `--config` (the command-line default is `true`). In a KubeletConfiguration the field \
               defaults to `false` (kubelet.config.k8s.io/v1beta1), so an unset field passes.",
        why: "The kubelet API runs commands in containers, reads logs and lists pods. With anonymous \
              authentication on, a request without credentials is served as `system:anonymous`, and with \
              `AlwaysAllow` authorization (the command-line default) anyone who reaches port 10250 controls \
              the node's pods. CIS Kubernetes Benchmark 4.2.1 and the NSA/CISA hardening guide require it \
              off.",
        fail: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: true
"#,
        pass: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
"#,
        fix: "Set `authentication.anonymous.enabled: false` in the KubeletConfiguration (or \
              `--anonymous-auth=false`), and keep webhook authentication on so the API server can still \
              authenticate to the kubelet.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
            "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
            "https://www.cisecurity.org/benchmark/kubernetes",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 4.2.1", "kube-bench:4.2.1"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Hardening),
};

static SETTING: KubeletSetting = KubeletSetting {
    field: &["authentication", "anonymous", "enabled"],
    flag: "anonymous-auth",
    config_default: "false",
    flag_default: "true",
    wanted: "false",
    insecure: |v| v == "true",
    reason: "the kubelet accepts anonymous requests",
    why: "requests without credentials are otherwise served as system:anonymous",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    kubelet::check(cx, sink, &SETTING);
}
