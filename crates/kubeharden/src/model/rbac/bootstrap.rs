//! The RBAC objects Kubernetes creates at bootstrap: the names of its own roles and bindings,
//! and the default ClusterRoles (`cluster-admin`, `admin`, `edit`, `view`, …) that bindings
//! reference without the input defining them.

use std::sync::OnceLock;

use crate::source::{Limits, ParsedSource, Source};

/// Names of the ClusterRoles (and ClusterRoleBindings) Kubernetes creates at bootstrap
/// (k8s.io/kubernetes `plugin/pkg/auth/authorizer/rbac/bootstrappolicy`).
pub fn is_bootstrap_name(name: &str) -> bool {
    const PREFIXES: &[&str] =
        &["system:controller:", "system:certificates.k8s.io:", "system:aggregate-to-", "system:node"];
    const NAMES: &[&str] = &[
        "system:auth-delegator",
        "system:basic-user",
        "system:discovery",
        "system:public-info-viewer",
        "system:heapster",
        "system:kube-aggregator",
        "system:kube-controller-manager",
        "system:kube-dns",
        "system:kube-scheduler",
        "system:kubelet-api-admin",
        "system:monitoring",
        "system:persistent-volume-provisioner",
        "system:service-account-issuer-discovery",
        "system:volume-scheduler",
        "system:legacy-unknown-approver",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || NAMES.contains(&name)
}

/// Default ClusterRoles of every cluster that matter to the rules, as the bootstrap policy
/// defines them (the parts that matter for kubeharden's rules; `view` is abridged to what it
/// grants on pods and workloads). Aggregation works as in a cluster: `edit` holds `view`,
/// `admin` holds `edit`.
const BUILTIN_ROLES: &str = r#"
kind: ClusterRole
metadata: {name: cluster-admin}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
- {nonResourceURLs: ["*"], verbs: ["*"]}
---
kind: ClusterRole
metadata: {name: admin}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}}]}
---
kind: ClusterRole
metadata: {name: edit, labels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}]}
---
kind: ClusterRole
metadata: {name: view, labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}]}
---
kind: ClusterRole
metadata: {name: "system:aggregate-to-admin", labels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}}
rules:
- {apiGroups: [authorization.k8s.io], resources: [localsubjectaccessreviews], verbs: [create]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles], verbs: [create, delete, deletecollection, get, list, patch, update, watch]}
---
kind: ClusterRole
metadata: {name: "system:aggregate-to-edit", labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
rules:
- {apiGroups: [""], resources: [pods/attach, pods/exec, pods/portforward, pods/proxy, secrets, services/proxy], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}
- {apiGroups: [""], resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [""], resources: [pods/eviction], verbs: [create]}
- {apiGroups: [""], resources: [configmaps, events, persistentvolumeclaims, replicationcontrollers, replicationcontrollers/scale, secrets, serviceaccounts, services, services/proxy], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}
- {apiGroups: [apps], resources: [daemonsets, deployments, deployments/rollback, deployments/scale, replicasets, replicasets/scale, statefulsets, statefulsets/scale], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [autoscaling], resources: [horizontalpodautoscalers], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [batch], resources: [cronjobs, jobs], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [extensions], resources: [daemonsets, deployments, deployments/rollback, deployments/scale, ingresses, networkpolicies, replicasets, replicasets/scale, replicationcontrollers/scale], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [policy], resources: [poddisruptionbudgets], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [networking.k8s.io], resources: [ingresses, networkpolicies], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [coordination.k8s.io], resources: [leases], verbs: [create, delete, deletecollection, get, list, patch, update, watch]}
---
kind: ClusterRole
metadata: {name: "system:aggregate-to-view", labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules:
- {apiGroups: [""], resources: [configmaps, endpoints, persistentvolumeclaims, pods, replicationcontrollers, serviceaccounts, services, events, pods/log, pods/status, namespaces], verbs: [get, list, watch]}
- {apiGroups: [apps], resources: [controllerrevisions, daemonsets, deployments, replicasets, statefulsets], verbs: [get, list, watch]}
- {apiGroups: [batch], resources: [cronjobs, jobs], verbs: [get, list, watch]}
- {apiGroups: [networking.k8s.io], resources: [ingresses, networkpolicies], verbs: [get, list, watch]}
---
kind: ClusterRole
metadata: {name: "system:auth-delegator"}
rules:
- {apiGroups: [authentication.k8s.io], resources: [tokenreviews], verbs: [create]}
- {apiGroups: [authorization.k8s.io], resources: [subjectaccessreviews], verbs: [create]}
---
kind: ClusterRole
metadata: {name: "system:basic-user"}
rules:
- {apiGroups: [authorization.k8s.io], resources: [selfsubjectaccessreviews, selfsubjectrulesreviews], verbs: [create]}
- {apiGroups: [authentication.k8s.io], resources: [selfsubjectreviews], verbs: [create]}
---
kind: ClusterRole
metadata: {name: "system:discovery"}
rules:
- {nonResourceURLs: [/api, /api/*, /apis, /apis/*, /healthz, /livez, /openapi, /openapi/*, /readyz, /version, /version/], verbs: [get]}
---
kind: ClusterRole
metadata: {name: "system:public-info-viewer"}
rules:
- {nonResourceURLs: [/healthz, /livez, /readyz, /version, /version/], verbs: [get]}
---
kind: ClusterRole
metadata: {name: "system:service-account-issuer-discovery"}
rules:
- {nonResourceURLs: [/.well-known/openid-configuration, /.well-known/openid-configuration/, /openid/v1/jwks, /openid/v1/jwks/], verbs: [get]}
"#;

pub(super) fn builtin_source() -> Option<&'static ParsedSource> {
    static BUILTIN: OnceLock<ParsedSource> = OnceLock::new();
    let parsed =
        BUILTIN.get_or_init(|| crate::source::parse(&Source::new("<builtin>", BUILTIN_ROLES), &Limits::default()));
    parsed.issues.is_empty().then_some(parsed)
}
