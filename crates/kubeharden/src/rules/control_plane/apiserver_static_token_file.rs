//! `apiserver-static-token-file`: static credentials in a file on the control plane.

use crate::model::component::ComponentKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-static-token-file",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "kube-apiserver authenticates users from a static token file (--token-auth-file) or basic-auth file.",
    docs: docs! {
        what: "Reports a kube-apiserver with `--token-auth-file`, and with `--basic-auth-file` (its predecessor, \
               removed in 1.19).",
        why: "Static tokens live in clear text on the control-plane nodes, never expire, and cannot be revoked \
              or rotated without restarting the API server. CIS Kubernetes Benchmark 1.2.2 (1.2.1 for basic \
              authentication in older benchmarks) and the NSA/CISA guide ask for an identity provider (OIDC), \
              client certificates or ServiceAccount tokens instead.",
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
    - --token-auth-file=/etc/kubernetes/tokens.csv
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
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
"#,
        fix: "Remove `--token-auth-file` (and `--basic-auth-file`); authenticate people through OIDC \
              (`--oidc-*` or an AuthenticationConfiguration) and workloads through ServiceAccount tokens.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file",
            "https://www.cisecurity.org/benchmark/kubernetes",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 1.2.2", "kube-bench:1.2.2"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        for name in ["token-auth-file", "basic-auth-file"] {
            for f in comp.all(name).filter(|f| !f.value().trim().is_empty()) {
                sink.report(
                    resource,
                    f.span,
                    f.path.clone(),
                    format!("static credentials authenticate users: {} sets {}", comp.label(), f.display()),
                    format!(
                        "remove --{name}: its credentials are stored in clear text, never expire and cannot be revoked without a restart; use OIDC or client certificates"
                    ),
                );
            }
        }
    });
}
