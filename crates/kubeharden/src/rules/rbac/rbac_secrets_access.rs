//! `rbac-secrets-access`: a role lets its holder read Secrets.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-secrets-access",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A role grants get, list or watch on Secrets, so its holders can read credentials.",
    docs: docs! {
        what: "Reports rules of Roles and ClusterRoles that allow `list` or `watch` on `secrets` in the core \
               group, or `get` without `resourceNames` (also through `*` in verbs, apiGroups or resources), at \
               the resource value that grants it. Each RoleBinding or ClusterRoleBinding that hands such a role \
               (directly or through ClusterRole aggregation) to subjects is reported at its `roleRef.name`, \
               naming the subjects and the scope. A `get` limited by `resourceNames` to named Secrets is \
               accepted.",
        why: "Secrets hold passwords, API keys, TLS keys and ServiceAccount tokens. `list` and `watch` return \
              the full objects, values included, so \"list secrets\" is \"read every secret in scope\". The \
              CIS Kubernetes Benchmark (5.1.2) asks to minimise access to Secrets, and the NSA/CISA guide \
              lists Secret access as a privilege attackers look for first.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: config-reader
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: config-reader
  namespace: shop
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["shop-db"]
  verbs: ["get"]
"#,
        fix: "Grant `get` on the named Secrets the workload needs (`resourceNames`), or mount them as volumes so \
              the workload needs no API access at all. Keep `list`/`watch` on Secrets for controllers that \
              truly manage them, bound in their own namespace rather than cluster-wide.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.1.2", "kube-linter:access-to-secrets", "checkov:CKV2_K8S_5", "kubescape:C-0015"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] =
    &[ask("get", "", "secrets"), ask("list", "", "secrets").named(), ask("watch", "", "secrets").named()];

pub static PERMISSION: Permission = Permission {
    groups: &[ASKS],
    at_verb: false,
    consequence: "the holder can read Secret values",
    help: "limit `get` to the Secrets needed with resourceNames, and drop list/watch on secrets",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
