//! `rbac-anonymous-subject`: a binding grants something to unauthenticated requests.

use crate::model::rbac::SubjectKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-anonymous-subject",
    family: Family::Rbac,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A binding names the user system:anonymous or the group system:unauthenticated.",
    docs: docs! {
        what: "Reports each subject that is the user `system:anonymous` or the group `system:unauthenticated` \
               in a RoleBinding or ClusterRoleBinding, at the subject's name, with the role it receives. \
               Kubernetes' own `system:public-info-viewer` binding (health and version endpoints) is not \
               reported.",
        why: "Anything bound to these subjects is available to every client that can reach the API server, \
              without credentials. Anonymous access has repeatedly turned exposed API servers into \
              compromised clusters; the CIS benchmark and the NSA/CISA guide ask to disable it or keep it to \
              health checks.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: public-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: User
  apiGroup: rbac.authorization.k8s.io
  name: system:anonymous
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: team-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: team-a
"#,
        fix: "Remove the anonymous subject and bind the role to the authenticated users or groups that need it.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
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
        if binding.role_kind == "ClusterRole" && binding.role_name == "system:public-info-viewer" {
            continue;
        }
        let Some(resource) = cx.model.resource(binding.resource) else { continue };
        for s in &binding.subjects {
            let anonymous = (s.kind == SubjectKind::User && s.name == "system:anonymous")
                || (s.kind == SubjectKind::Group && s.name == "system:unauthenticated");
            if anonymous {
                sink.report(
                    resource,
                    s.anchor().span(),
                    format!("{}.name", s.path),
                    format!(
                        "{} gets {} {:?} {}: any client that reaches the API server has it, without credentials",
                        s.display(),
                        binding.role_kind,
                        binding.role_name,
                        binding.scope()
                    ),
                    "remove this subject; bind the role to authenticated users or groups",
                );
            }
        }
    }
}
