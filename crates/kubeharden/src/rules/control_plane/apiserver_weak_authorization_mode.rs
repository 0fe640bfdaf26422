//! `apiserver-weak-authorization-mode`: the API server authorizes too much.

use crate::fix::Applicability;
use crate::model::Resource;
use crate::model::component::{ComponentKind, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-weak-authorization-mode",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "kube-apiserver's authorization includes AlwaysAllow, or lacks the Node or RBAC authorizer.",
    docs: docs! {
        what: "Reports a kube-apiserver whose `--authorization-mode` contains `AlwaysAllow`, or lacks `RBAC` or \
               `Node`. Without the flag (and without `--authorization-config`) the mode defaults to \
               `AlwaysAllow`; kubeadm sets `Node,RBAC`. An `AuthorizationConfiguration` (structured \
               authorization, `--authorization-config`) of the input is judged the same way on its \
               `authorizers` types.",
        why: "`AlwaysAllow` lets every authenticated request do anything, anonymous ones included when \
              anonymous authentication is on. `RBAC` is how permissions are granted by least privilege, and \
              `Node` limits each kubelet to the objects of its own pods (with the NodeRestriction admission \
              plugin). CIS Kubernetes Benchmark 1.2.6 to 1.2.8; NSA/CISA hardening guide, \"Authorization\".",
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
    - --authorization-mode=AlwaysAllow
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
    - --authorization-mode=Node,RBAC
"#,
        fix: "Set `--authorization-mode=Node,RBAC` (add `Webhook` after them if an external authorizer is \
              used), or list `Node` and `RBAC` authorizers in the AuthorizationConfiguration.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/authorization/#authorization-modules",
            "https://kubernetes.io/docs/reference/access-authn-authz/node/",
            "https://www.cisecurity.org/benchmark/kubernetes",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 1.2.6", "CIS 1.2.7", "CIS 1.2.8", "kube-bench:1.2.6"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

/// What is wrong with a list of authorizers, in words.
fn problems(modes: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    if modes.iter().any(|m| m == "AlwaysAllow") {
        out.push("includes AlwaysAllow (every request is authorized)");
    }
    if !modes.iter().any(|m| m == "RBAC") {
        out.push("lacks RBAC");
    }
    if !modes.iter().any(|m| m == "Node") {
        out.push("lacks Node (kubelets are not limited to their own node's objects)");
    }
    out
}

/// `Node,RBAC` followed by the other authorizers, without AlwaysAllow.
fn repaired(modes: &[String]) -> String {
    let mut out = vec!["Node".to_owned(), "RBAC".to_owned()];
    out.extend(modes.iter().filter(|m| !matches!(m.as_str(), "Node" | "RBAC" | "AlwaysAllow")).cloned());
    out.join(",")
}

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for config in super::config_objects(cx, "apiserver.config.k8s.io", "AuthorizationConfiguration") {
        check_config(sink, config);
    }
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        if !matches!(comp.setting("authorization-config"), Setting::Default) {
            // Structured authorization: the AuthorizationConfiguration is judged on its own.
            return;
        }
        let written = comp.list("authorization-mode");
        let defaulted = written.is_empty();
        let modes: Vec<String> =
            if defaulted { vec!["AlwaysAllow".to_owned()] } else { written.into_iter().map(|(m, _)| m).collect() };
        let found = problems(&modes);
        if found.is_empty() {
            return;
        }
        let setting = comp.setting("authorization-mode");
        let current = match setting {
            Setting::Flag(_) => format!("{} sets --authorization-mode={}", comp.label(), modes.join(",")),
            Setting::Implied(v) => format!("{} runs with kubeadm's --authorization-mode={v}", comp.label()),
            Setting::Default => {
                format!("{} does not set --authorization-mode, which defaults to AlwaysAllow", comp.label())
            }
        };
        let fixed = repaired(&modes);
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            "authorization-mode",
            (
                format!("authorization {}: {current}", found.join(", ")),
                format!("set {} in {}", comp.spell("authorization-mode", &fixed), comp.where_flags()),
            ),
            Some(&fixed),
        );
    });
}

fn check_config(sink: &mut Sink, config: &Resource<'_>) {
    let Some((key, authorizers)) = config.node.entry("authorizers") else {
        return;
    };
    let mut modes = Vec::new();
    for (i, a) in authorizers.items().enumerate() {
        let Some(kind) = a.field("type") else {
            continue;
        };
        let name = kind.str().unwrap_or("").to_owned();
        if name == "AlwaysAllow" {
            sink.report(
                config,
                kind.span(),
                config.path(&format!("authorizers[{i}].type")),
                "authorization includes AlwaysAllow (every request is authorized): the AuthorizationConfiguration lists an AlwaysAllow authorizer",
                "remove the AlwaysAllow authorizer and grant permissions with RBAC",
            );
        }
        modes.push(name);
    }
    let missing: Vec<&str> = ["Node", "RBAC"].into_iter().filter(|m| !modes.iter().any(|x| x == m)).collect();
    if !missing.is_empty() {
        sink.report(
            config,
            key.span(),
            config.path("authorizers"),
            format!(
                "authorization lacks {}: the AuthorizationConfiguration does not list {}",
                missing.join(" and "),
                if missing.len() > 1 { "them" } else { "it" }
            ),
            "list {type: Node, name: node} and {type: RBAC, name: rbac} authorizers",
        );
    }
}
