//! `rbac-webhook-config`: a role can change admission webhooks.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-webhook-config",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A ClusterRole can create, change or delete mutating or validating webhook configurations.",
    docs: docs! {
        what: "Reports ClusterRole rules that allow `create`, `update`, `patch`, `delete` or `deletecollection` \
               on `mutatingwebhookconfigurations` or `validatingwebhookconfigurations` \
               (`admissionregistration.k8s.io`, wildcards included), at the resource value; and the \
               ClusterRoleBindings that hand them out. Rules limited by `resourceNames` are reported with \
               the names.",
        why: "Admission webhooks see every object they register for, Secrets included, and a mutating webhook \
              can rewrite pods as they are created. Whoever can edit a webhook configuration can point it at \
              their own endpoint, widen its rules or delete the policy webhooks that guard the cluster. \
              Kubernetes' RBAC good practices list this permission among the escalation paths.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: webhook-admin
rules:
- apiGroups: ["admissionregistration.k8s.io"]
  resources: ["mutatingwebhookconfigurations"]
  verbs: ["create", "update", "delete"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: webhook-viewer
rules:
- apiGroups: ["admissionregistration.k8s.io"]
  resources: ["mutatingwebhookconfigurations"]
  verbs: ["get", "list", "watch"]
"#,
        fix: "Install webhook configurations with the deployment tooling rather than at run time. A controller \
              that patches its own webhook (for example to inject its CA bundle) should be limited to that \
              configuration with `resourceNames` and to `get`/`update`/`patch`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks",
            "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/",
        ],
    },
    aliases: &["CIS 5.1.12"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] = &[
    ask("create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations").cluster(),
    ask("update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations").named().cluster(),
    ask("patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations").named().cluster(),
    ask("delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations").named().cluster(),
    ask("deletecollection", "admissionregistration.k8s.io", "mutatingwebhookconfigurations").cluster(),
    ask("create", "admissionregistration.k8s.io", "validatingwebhookconfigurations").cluster(),
    ask("update", "admissionregistration.k8s.io", "validatingwebhookconfigurations").named().cluster(),
    ask("patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations").named().cluster(),
    ask("delete", "admissionregistration.k8s.io", "validatingwebhookconfigurations").named().cluster(),
    ask("deletecollection", "admissionregistration.k8s.io", "validatingwebhookconfigurations").cluster(),
];

static PERMISSION: Permission = Permission {
    groups: &[ASKS],
    at_verb: false,
    consequence: "the holder can redirect, widen or remove admission webhooks",
    help: "drop write verbs on webhook configurations, or limit them with resourceNames to the controller's own configuration",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
