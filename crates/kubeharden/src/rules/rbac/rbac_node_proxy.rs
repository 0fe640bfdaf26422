//! `rbac-node-proxy`: a role reaches the kubelet API through `nodes/proxy`.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-node-proxy",
    family: Family::Rbac,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A ClusterRole grants access to nodes/proxy, the kubelet API, which runs commands in any pod of the node unaudited.",
    docs: docs! {
        what: "Reports ClusterRole rules that allow any verb (get, create, update, patch, delete) on \
               `nodes/proxy` in the core group, also through `*` or `*/proxy`, at the resource value; and the \
               ClusterRoleBindings that hand them out. `nodes` is cluster-scoped, so Roles and RoleBindings \
               cannot grant it and are not reported.",
        why: "`nodes/proxy` forwards requests to the kubelet, whose API can list pods, read logs and run \
              commands in any container of the node (`/exec`, `/run`). Those calls go to the kubelet, not \
              the API server, so API audit logs and admission control never see them; a `get` is enough for \
              the WebSocket endpoints. Monitoring agents that only need metrics should use `nodes/metrics` \
              and `nodes/stats`.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-metrics
rules:
- apiGroups: [""]
  resources: ["nodes", "nodes/proxy"]
  verbs: ["get", "list", "watch"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-metrics
rules:
- apiGroups: [""]
  resources: ["nodes", "nodes/metrics", "nodes/stats"]
  verbs: ["get", "list", "watch"]
"#,
        fix: "Replace `nodes/proxy` with `nodes/metrics`, `nodes/stats` or `nodes/log` as the tool needs \
              (most Prometheus setups only need `nodes/metrics`).",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#nodes-proxy",
            "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
        ],
    },
    aliases: &["CIS 5.1.10"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] = &[
    ask("get", "", "nodes/proxy").named().cluster(),
    ask("create", "", "nodes/proxy").named().cluster(),
    ask("update", "", "nodes/proxy").named().cluster(),
    ask("patch", "", "nodes/proxy").named().cluster(),
    ask("delete", "", "nodes/proxy").named().cluster(),
];

static PERMISSION: Permission = Permission {
    groups: &[ASKS],
    at_verb: false,
    consequence: "the holder can call the kubelet API, including exec into any pod of the node, without API audit",
    help: "replace nodes/proxy with nodes/metrics or nodes/stats",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
