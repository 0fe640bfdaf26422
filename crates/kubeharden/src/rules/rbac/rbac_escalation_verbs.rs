//! `rbac-escalation-verbs`: a role holds `escalate`, `bind` or `impersonate`.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-escalation-verbs",
    family: Family::Rbac,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A role grants escalate or bind on roles, or impersonate on users, groups or ServiceAccounts.",
    docs: docs! {
        what: "Reports, at the verb value, rules that allow `escalate` or `bind` on `roles` or `clusterroles` \
               (`rbac.authorization.k8s.io`), or `impersonate` on `users`, `groups`, `serviceaccounts` (core) \
               or `uids` (`authentication.k8s.io`), including through `*` verbs or resources; and the bindings \
               that hand them out. A `*` verb on other resources is left to `rbac-wildcard`. Rules limited by \
               `resourceNames` are reported with the names.",
        why: "RBAC prevents privilege escalation by refusing to let anyone create or bind a role with \
              permissions they do not hold. `escalate` and `bind` switch that protection off, and \
              `impersonate` lets the holder act as another user, group or ServiceAccount, up to \
              `system:masters`. The CIS benchmark (5.1.8) asks to limit all three.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: role-manager
rules:
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["create", "update", "bind", "escalate"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: role-manager
rules:
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["create", "update"]
"#,
        fix: "Remove `escalate`, `bind` and `impersonate`. A controller that must bind one specific role can \
              get `bind` limited by `resourceNames` to that role.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
        ],
    },
    aliases: &["CIS 5.1.8"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] = &[
    ask("escalate", "rbac.authorization.k8s.io", "roles").named(),
    ask("escalate", "rbac.authorization.k8s.io", "clusterroles").named().cluster(),
    ask("bind", "rbac.authorization.k8s.io", "roles").named(),
    ask("bind", "rbac.authorization.k8s.io", "clusterroles").named(),
    ask("impersonate", "", "users").named().cluster(),
    ask("impersonate", "", "groups").named().cluster(),
    ask("impersonate", "", "serviceaccounts").named(),
    ask("impersonate", "authentication.k8s.io", "uids").named().cluster(),
];

static PERMISSION: Permission = Permission {
    groups: &[ASKS],
    at_verb: true,
    consequence: "the holder can give itself permissions it does not have",
    help: "remove escalate, bind and impersonate, or limit them with resourceNames to what must be bound or impersonated",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
