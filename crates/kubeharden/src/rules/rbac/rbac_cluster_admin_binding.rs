//! `rbac-cluster-admin-binding`: a binding hands out cluster-admin, or a subject is `system:masters`.

use crate::model::rbac::SubjectKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-cluster-admin-binding",
    family: Family::Rbac,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A binding grants cluster-admin (or an equivalent all-wildcard ClusterRole), or names the group system:masters.",
    docs: docs! {
        what: "Reports ClusterRoleBindings and RoleBindings whose `roleRef` is the `cluster-admin` \
               ClusterRole (a RoleBinding makes its subjects owners of the namespace), ClusterRoleBindings to a \
               ClusterRole of the input that holds a rule with `*` verbs, apiGroups and resources (the same \
               power under another name), at `roleRef.name`; and any subject that is the group \
               `system:masters`, at the subject. The `cluster-admin` binding Kubernetes itself ships is not \
               reported.",
        why: "cluster-admin can do anything, including reading every Secret and changing RBAC. The CIS \
              Kubernetes Benchmark (5.1.1) asks to use it only where required, and `system:masters` (5.1.7) \
              bypasses RBAC entirely: members are always allowed, even when every binding is removed.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: ci
  namespace: tools
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
- kind: ServiceAccount
  name: ci
  namespace: tools
"#,
        fix: "Bind a role limited to what the subject does (often `edit` or a custom role) in the namespaces it \
              works in. Never bind `system:masters`; give break-glass access through a separate, audited \
              path.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
        ],
    },
    aliases: &["CIS 5.1.1", "CIS 5.1.7", "kube-linter:cluster-admin-role-binding", "kubescape:C-0035"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let rbac = cx.model.rbac();
    for binding in rbac.input_bindings() {
        let Some(resource) = cx.model.resource(binding.resource) else { continue };
        let role = rbac.bound_role(binding);
        let admin = binding.role_kind == "ClusterRole" && binding.role_name == "cluster-admin";
        let equivalent = !admin
            && binding.cluster
            && role.is_some_and(|r| rbac.effective(r).iter().any(|e| e.rule.is_full_wildcard()));
        if (admin || equivalent) && !binding.subjects.is_empty() {
            let what = if admin {
                format!("cluster-admin {}", binding.scope())
            } else {
                format!(
                    "{} {}, which allows every verb on every resource (cluster-admin under another name)",
                    role.map(|r| r.display()).unwrap_or_default(),
                    binding.scope()
                )
            };
            sink.report(
                resource,
                binding.role_anchor.span(),
                binding.role_anchor_path.clone(),
                format!("binding gives {what} to {}", binding.subjects_display()),
                "bind a role limited to what the subjects need, in the namespaces they work in",
            );
        }
        for s in &binding.subjects {
            if s.kind == SubjectKind::Group && s.name == "system:masters" {
                sink.report(
                    resource,
                    s.anchor().span(),
                    format!("{}.name", s.path),
                    "binding names the group system:masters, whose members bypass RBAC entirely",
                    "remove system:masters from the subjects; it needs no binding and should have no members",
                );
            }
        }
    }
}
