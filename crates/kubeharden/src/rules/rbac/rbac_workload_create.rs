//! `rbac-workload-create`: a role lets its holder create pods or pod controllers.

use super::{Ask, Permission, ask, report_permission};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-workload-create",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A role grants create on pods or pod controllers, which can run any ServiceAccount of the namespace.",
    docs: docs! {
        what: "Reports rules that allow `create` on pods, replicationcontrollers (core), deployments, \
               statefulsets, daemonsets and replicasets (`apps`, and the legacy `extensions` group) and jobs \
               and cronjobs (`batch`), also through wildcards, at the resource value; and the bindings that \
               hand them out. `resourceNames` cannot restrict `create`, so a rule limited by names grants no \
               creation and is not reported.",
        why: "Whoever creates a pod chooses its ServiceAccount, volumes and securityContext: the pod can mount \
              any Secret of the namespace and run as any ServiceAccount there, inheriting its permissions. \
              Kubernetes' RBAC good practices call workload creation an implicit grant of every Secret and \
              ServiceAccount in the namespace; Pod Security Admission limits how privileged the pod can be, \
              not which identity it uses.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["create", "update"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch"]
"#,
        fix: "Give workload creation to CI/CD identities and controllers that need it, bound per namespace; \
              enforce Pod Security Admission (restricted) in those namespaces so created pods stay \
              unprivileged.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
        ],
    },
    aliases: &["CIS 5.1.4", "kube-linter:access-to-create-pods", "kubescape:C-0188"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

static ASKS: &[Ask] = &[
    ask("create", "", "pods"),
    ask("create", "", "replicationcontrollers"),
    ask("create", "apps", "deployments"),
    ask("create", "apps", "statefulsets"),
    ask("create", "apps", "daemonsets"),
    ask("create", "apps", "replicasets"),
    ask("create", "batch", "jobs"),
    ask("create", "batch", "cronjobs"),
    ask("create", "extensions", "deployments"),
    ask("create", "extensions", "daemonsets"),
    ask("create", "extensions", "replicasets"),
];

static PERMISSION: Permission = Permission {
    groups: &[ASKS],
    at_verb: false,
    consequence: "the holder can start pods that run as any ServiceAccount and mount any Secret of the namespace",
    help: "drop create on pods and pod controllers, or bind this role only to deployment pipelines and controllers",
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_permission(cx, sink, &PERMISSION);
}
