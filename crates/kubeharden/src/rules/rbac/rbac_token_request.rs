//! `rbac-token-request`: a role mints tokens for ServiceAccounts.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-token-request",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A role grants create on serviceaccounts/token, so its holder can act as those ServiceAccounts.",
    docs: docs! {
        what: "Reports rules that allow `create` on `serviceaccounts/token` in the core group (also through \
               wildcards), at the resource value, and the bindings that hand them out. A rule limited by \
               `resourceNames` is still reported (with the names): it can still act as those accounts.",
        why: "The TokenRequest API issues a token for a ServiceAccount on demand. Whoever can call it can \
              authenticate as that ServiceAccount and use all of its permissions, a direct path to \
              privilege escalation listed in Kubernetes' RBAC good practices.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: token-minter
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  verbs: ["create"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: token-minter
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get"]
"#,
        fix: "Let pods get their own tokens through projected ServiceAccount token volumes; keep \
              `serviceaccounts/token` for the few controllers that issue tokens, limited with `resourceNames`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
            "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/",
        ],
    },
    aliases: &["CIS 5.1.13"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] = &[ask("create", "", "serviceaccounts/token").named()];

static PERMISSION: Permission = Permission {
    groups: &[ASKS],
    at_verb: false,
    consequence: "the holder can get tokens for ServiceAccounts and act with their permissions",
    help: "remove serviceaccounts/token, or limit it with resourceNames to the accounts this identity must act as",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
