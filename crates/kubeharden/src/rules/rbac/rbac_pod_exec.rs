//! `rbac-pod-exec`: a role lets its holder run commands in, attach to or port-forward pods.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-pod-exec",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A role grants exec, attach or port-forward into pods.",
    docs: docs! {
        what: "Reports rules that allow `create` on `pods/exec`, `pods/attach` or `pods/portforward` (also \
               through `*` or `*/exec`), at the resource value, and the bindings that hand them out. Before \
               Kubernetes v1.35 the API server authorized WebSocket exec, attach and port-forward requests \
               with the `get` verb alone, so for those versions `get` is reported too; from v1.35 the \
               `AuthorizePodWebsocketUpgradeCreatePermission` check (on by default) requires `create`.",
        why: "Exec gives a shell in the target containers: their files, their mounted Secrets and their \
              ServiceAccount tokens, with no admission check on what is run. Port-forward reaches ports a \
              NetworkPolicy would otherwise protect. Kubernetes' RBAC good practices list these \
              subresources among the permissions that allow privilege escalation.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["pods", "pods/exec"]
  verbs: ["get", "create"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get"]
"#,
        fix: "Remove the exec, attach and port-forward subresources from roles bound to workloads and broad \
              groups; give them to operators through a separate, time-limited binding.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources",
        ],
    },
    aliases: &["kubescape:C-0002"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check_get_or_create)), Versioned::since(35, Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] = &[
    ask("create", "", "pods/exec").named(),
    ask("create", "", "pods/attach").named(),
    ask("create", "", "pods/portforward").named(),
];

static ASKS_WITH_GET: &[Ask] = &[
    ask("create", "", "pods/exec").named(),
    ask("create", "", "pods/attach").named(),
    ask("create", "", "pods/portforward").named(),
    ask("get", "", "pods/exec").named(),
    ask("get", "", "pods/attach").named(),
    ask("get", "", "pods/portforward").named(),
];

const CONSEQUENCE: &str = "the holder can run commands in the pods and read their Secrets and tokens";
const HELP: &str =
    "remove pods/exec, pods/attach and pods/portforward from this role, or bind it only to the people who debug";

static PERMISSION: Permission = Permission { groups: &[ASKS], at_verb: false, consequence: CONSEQUENCE, help: HELP };

static PERMISSION_WITH_GET: Permission =
    Permission { groups: &[ASKS_WITH_GET], at_verb: false, consequence: CONSEQUENCE, help: HELP };

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}

fn check_get_or_create(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION_WITH_GET);
}
