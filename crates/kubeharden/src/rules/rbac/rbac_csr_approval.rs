//! `rbac-csr-approval`: a role can approve certificate signing requests.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-csr-approval",
    family: Family::Rbac,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A ClusterRole can approve CertificateSigningRequests: update on certificatesigningrequests/approval and approve on signers.",
    docs: docs! {
        what: "Reports ClusterRoles whose rules allow both `update` on `certificatesigningrequests/approval` \
               and `approve` on `signers` (API group `certificates.k8s.io`, wildcards included), at the \
               approval resource value; and the ClusterRoleBindings that hand that pair out. Either \
               permission alone cannot approve a request and is not reported.",
        why: "Approving a CSR for the `kubernetes.io/kube-apiserver-client` signer issues a client \
              certificate for any user and group the request names, `system:masters` included: a \
              cluster-admin credential that cannot be revoked before it expires. Kubernetes' RBAC good \
              practices list CSR approval among the escalation paths.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: csr-approver
rules:
- apiGroups: ["certificates.k8s.io"]
  resources: ["certificatesigningrequests/approval"]
  verbs: ["update"]
- apiGroups: ["certificates.k8s.io"]
  resources: ["signers"]
  verbs: ["approve"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: csr-viewer
rules:
- apiGroups: ["certificates.k8s.io"]
  resources: ["certificatesigningrequests"]
  verbs: ["get", "list", "watch"]
"#,
        fix: "Leave approval to the built-in approvers, or limit `approve` on `signers` with `resourceNames` \
              to a signer of your own that cannot issue cluster credentials.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization",
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#certificate-signing-requests",
        ],
    },
    aliases: &["CIS 5.1.11"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static APPROVAL: &[Ask] =
    &[ask("update", "certificates.k8s.io", "certificatesigningrequests/approval").named().cluster()];
static SIGNERS: &[Ask] = &[ask("approve", "certificates.k8s.io", "signers").named().cluster()];

static PERMISSION: Permission = Permission {
    groups: &[APPROVAL, SIGNERS],
    at_verb: false,
    consequence: "the holder can approve certificates, including client certificates for any user or group",
    help: "remove update on certificatesigningrequests/approval or approve on signers, or limit signers with resourceNames",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
