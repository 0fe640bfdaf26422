//! `rbac-authenticated-subject`: a binding grants more than discovery to every authenticated user.

use super::role_is_discovery_only;
use crate::model::rbac::SubjectKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-authenticated-subject",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A binding gives the group system:authenticated a role beyond API discovery.",
    docs: docs! {
        what: "Reports each subject that is the group `system:authenticated` in a binding whose role grants \
               more than discovery: a role of the input (or a default role such as `view`) whose rules go \
               beyond `get` on discovery and health endpoints and self-reviews, or a role the input does not \
               define. Bindings to `system:discovery`, `system:basic-user` and `system:public-info-viewer` \
               are what Kubernetes grants by default and are not reported.",
        why: "`system:authenticated` is everyone with any valid credential: every ServiceAccount of every \
              namespace, every node, every user of every configured identity provider. A permission given \
              to it is given to every compromised pod in the cluster.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-views
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: system:authenticated
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: team-views
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: team-a
"#,
        fix: "Bind the role to the groups or ServiceAccounts that need it.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let rbac = cx.model.rbac();
    for binding in rbac.input_bindings() {
        let known = role_is_discovery_only(rbac, binding);
        if known == Some(true) {
            continue;
        }
        let Some(resource) = cx.model.resource(binding.resource) else { continue };
        for s in &binding.subjects {
            if s.kind == SubjectKind::Group && s.name == "system:authenticated" {
                let note = if known.is_none() { " (a role the input does not define)" } else { "" };
                sink.report(
                    resource,
                    s.anchor().span(),
                    format!("{}.name", s.path),
                    format!(
                        "every authenticated identity (every ServiceAccount and user) gets {} {:?}{note} {}",
                        binding.role_kind,
                        binding.role_name,
                        binding.scope()
                    ),
                    "bind the role to the specific groups or ServiceAccounts that need it",
                );
            }
        }
    }
}
