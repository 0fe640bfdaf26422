//! `apiserver-anonymous-auth-enabled`: the API server serves requests without credentials.

use crate::fix::Applicability;
use crate::model::Resource;
use crate::model::component::{ComponentKind, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-anonymous-auth-enabled",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "kube-apiserver accepts anonymous requests (--anonymous-auth absent or true, or anonymous enabled without conditions).",
    docs: docs! {
        what: "Reports a kube-apiserver (static Pod command, or kubeadm `apiServer.extraArgs`) that does not set \
               `--anonymous-auth=false`: the flag defaults to true. An API server that loads an \
               `AuthenticationConfiguration` of the input (`--authentication-config`) whose `anonymous` section \
               is disabled, or enabled only for explicit `conditions` (such as `/livez`, `/readyz`, \
               `/healthz`), passes. An `AuthenticationConfiguration` that enables anonymous requests without \
               conditions is reported itself, and so is an API server that sets `--anonymous-auth` while its \
               configuration file has an `anonymous` section (it refuses to start).",
        why: "Anonymous requests are served as user `system:anonymous` in group `system:unauthenticated`: \
              every RBAC binding to those subjects, or to discovery roles, is open to anyone who reaches the \
              API server, and each misconfigured binding becomes an unauthenticated hole. The NSA/CISA \
              hardening guide asks to disable anonymous requests; CIS Kubernetes Benchmark 1.2.1.",
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
    - --authorization-mode=Node,RBAC
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
    - --anonymous-auth=false
    - --authorization-mode=Node,RBAC
"#,
        fix: "Add `--anonymous-auth=false`. Health probes that call `/livez` or `/readyz` without credentials \
              then get 401: from Kubernetes 1.32, keep them working with an `AuthenticationConfiguration` \
              (`--authentication-config`) that sets `anonymous.enabled: true` with `conditions` for those \
              paths only, instead of the flag.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration",
            "https://www.cisecurity.org/benchmark/kubernetes",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 1.2.1", "kube-bench:1.2.1"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

const ANONYMOUS: &str = "anonymous requests are served as user system:anonymous (group system:unauthenticated)";

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let configs: Vec<&Resource<'_>> =
        super::config_objects(cx, "apiserver.config.k8s.io", "AuthenticationConfiguration").collect();
    for config in &configs {
        check_config(sink, config);
    }
    let anonymous_config = configs.iter().find(|c| c.node.field("anonymous").is_some());
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        let loads_config = !matches!(comp.setting("authentication-config"), Setting::Default);
        let flag = comp.setting("anonymous-auth");
        if loads_config && anonymous_config.is_some() {
            // The configuration file decides; it is judged on its own.
            if let Setting::Flag(f) = flag {
                super::report_flag(cx, sink, resource, comp, "anonymous-auth", (format!(
                        "anonymous authentication is configured twice: {} sets {} while its AuthenticationConfiguration has an anonymous section, and kube-apiserver refuses to start",
                        comp.label(),
                        f.display()
                    ), "remove --anonymous-auth and configure anonymous requests in the AuthenticationConfiguration only"
                        .to_owned()), None);
            }
            return;
        }
        if flag.bool_or(true) == Some(false) {
            return;
        }
        let mut detail = super::describe(comp, "anonymous-auth", "true");
        if anonymous_config.is_some() && !loads_config {
            detail
                .push_str(" (the AuthenticationConfiguration in the input is not loaded: no --authentication-config)");
        }
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            "anonymous-auth",
            (
                format!("anonymous requests are enabled: {detail}"),
                format!(
                    "set {} in {}: {ANONYMOUS}; to keep unauthenticated health checks (Kubernetes 1.32+), load an AuthenticationConfiguration with anonymous.enabled: true and conditions for /livez, /readyz and /healthz instead",
                    comp.spell("anonymous-auth", "false"),
                    comp.where_flags()
                ),
            ),
            Some("false"),
        );
    });
}

fn check_config(sink: &mut Sink, config: &Resource<'_>) {
    let Some(anonymous) = config.node.field("anonymous") else {
        return;
    };
    let Some(enabled) = anonymous.field("enabled").filter(|e| e.bool() == Some(true)) else {
        return;
    };
    let conditions = anonymous.field("conditions").map_or(0, |c| c.len());
    if conditions == 0 {
        sink.report(
            config,
            enabled.span(),
            config.path("anonymous.enabled"),
            "anonymous requests are enabled on every path: the AuthenticationConfiguration sets anonymous.enabled: true without conditions",
            format!(
                "set anonymous.enabled: false, or list the only paths that may be called anonymously in anonymous.conditions (such as {{path: /livez}}, {{path: /readyz}}, {{path: /healthz}}); {ANONYMOUS}"
            ),
        );
    }
}
