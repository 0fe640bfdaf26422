//! `rbac-default-service-account-binding`: a binding grants permissions to a `default` ServiceAccount.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-default-service-account-binding",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A binding gives permissions to a namespace's default ServiceAccount, which every pod without its own account uses.",
    docs: docs! {
        what: "Reports each subject of a RoleBinding or ClusterRoleBinding that is a ServiceAccount named \
               `default` (also written as the user `system:serviceaccount:<namespace>:default`), at the \
               subject's name. A ServiceAccount subject without a namespace in a RoleBinding is the one of \
               the binding's namespace.",
        why: "Every pod that does not name a ServiceAccount runs as `default`, so a permission given to it is \
              given to every such pod, present and future, in the namespace. The CIS Kubernetes Benchmark \
              (5.1.5) asks that default ServiceAccounts are not actively used.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: default
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: shop-reader
"#,
        fix: "Create a dedicated ServiceAccount for the workload that needs the permissions, set it as the \
              pod's `serviceAccountName`, and bind the role to it.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
    },
    aliases: &["CIS 5.1.5", "kubescape:C-0189"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let rbac = cx.model.rbac();
    for binding in rbac.input_bindings() {
        let Some(resource) = cx.model.resource(binding.resource) else { continue };
        for s in &binding.subjects {
            let Some((ns, "default")) = s.service_account() else { continue };
            sink.report(
                resource,
                s.anchor().span(),
                format!("{}.name", s.path),
                format!(
                    "the default ServiceAccount of namespace {ns} gets {} {:?} {}: every pod there that names no ServiceAccount has it",
                    binding.role_kind,
                    binding.role_name,
                    binding.scope()
                ),
                "create a dedicated ServiceAccount, use it as the pods' serviceAccountName, and bind the role to it",
            );
        }
    }
}
