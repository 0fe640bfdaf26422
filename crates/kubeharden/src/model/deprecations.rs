//! Deprecated and removed built-in API versions, as data.
//!
//! Every API version served by default that Kubernetes deprecated or stopped serving between
//! v1.16 and v1.37, from the Deprecated API Migration Guide, the release notes and the
//! `prerelease-lifecycle` tags of the API types (which set a beta's deprecation and removal
//! releases and the warning `kubectl` prints). Beta APIs added since v1.24 are off by default
//! (KEP-3136) and are not listed. `deprecated-api` and `removed-api` read this table with the
//! configured `kubernetesVersion`.

/// What to use instead of a deprecated API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replacement {
    /// `apiVersion` and `kind` of the replacement.
    Api(&'static str, &'static str),
    /// No replacement API, and why.
    None(&'static str),
}

/// One deprecated (and perhaps removed) API version of a kind.
#[derive(Clone, Copy, Debug)]
pub struct Deprecation {
    /// API group, `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// The minor release that deprecated it.
    pub deprecated_in: u16,
    /// The minor release that stopped serving it; `None` when no removal is planned.
    pub removed_in: Option<u16>,
    pub replacement: Replacement,
    /// The replacement has the same schema and semantics: changing `apiVersion` is the whole
    /// migration (the rules then offer that fix).
    pub same_schema: bool,
}

impl Deprecation {
    /// `apps/v1beta1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() { self.version.to_owned() } else { format!("{}/{}", self.group, self.version) }
    }

    /// How the replacement is named in messages.
    pub fn instead(&self) -> String {
        match self.replacement {
            Replacement::Api(api, kind) if kind == self.kind => format!("use {api}"),
            Replacement::Api(api, kind) => format!("use {api} {kind}"),
            Replacement::None(reason) => format!("there is no replacement API: {reason}"),
        }
    }
}

/// Finds the row for an object's group, version and kind.
pub fn lookup(group: &str, version: &str, kind: &str) -> Option<&'static Deprecation> {
    TABLE.iter().find(|d| d.group == group && d.version == version && d.kind == kind)
}

const fn row(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    deprecated_in: u16,
    removed_in: u16,
    replacement: &'static str,
    same_schema: bool,
) -> Deprecation {
    Deprecation {
        group,
        version,
        kind,
        deprecated_in,
        removed_in: Some(removed_in),
        replacement: Replacement::Api(replacement, kind),
        same_schema,
    }
}

pub static TABLE: &[Deprecation] = &[
    // v1.16: workloads, NetworkPolicy and PodSecurityPolicy leave extensions/v1beta1 and the
    // apps betas. The selector becomes required and defaults change: not a mere rename.
    row("extensions", "v1beta1", "Deployment", 9, 16, "apps/v1", false),
    row("extensions", "v1beta1", "DaemonSet", 9, 16, "apps/v1", false),
    row("extensions", "v1beta1", "ReplicaSet", 9, 16, "apps/v1", false),
    row("extensions", "v1beta1", "NetworkPolicy", 9, 16, "networking.k8s.io/v1", false),
    row("extensions", "v1beta1", "PodSecurityPolicy", 11, 16, "policy/v1beta1", false),
    row("apps", "v1beta1", "Deployment", 9, 16, "apps/v1", false),
    row("apps", "v1beta1", "StatefulSet", 9, 16, "apps/v1", false),
    row("apps", "v1beta1", "ControllerRevision", 9, 16, "apps/v1", false),
    row("apps", "v1beta2", "Deployment", 9, 16, "apps/v1", false),
    row("apps", "v1beta2", "DaemonSet", 9, 16, "apps/v1", false),
    row("apps", "v1beta2", "ReplicaSet", 9, 16, "apps/v1", false),
    row("apps", "v1beta2", "StatefulSet", 9, 16, "apps/v1", false),
    row("apps", "v1beta2", "ControllerRevision", 9, 16, "apps/v1", false),
    // v1.22
    row(
        "admissionregistration.k8s.io",
        "v1beta1",
        "MutatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1",
        false,
    ),
    row(
        "admissionregistration.k8s.io",
        "v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1",
        false,
    ),
    row("apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition", 16, 22, "apiextensions.k8s.io/v1", false),
    row("apiregistration.k8s.io", "v1beta1", "APIService", 19, 22, "apiregistration.k8s.io/v1", true),
    row("authentication.k8s.io", "v1beta1", "TokenReview", 19, 22, "authentication.k8s.io/v1", true),
    row("authorization.k8s.io", "v1beta1", "LocalSubjectAccessReview", 19, 22, "authorization.k8s.io/v1", false),
    row("authorization.k8s.io", "v1beta1", "SelfSubjectAccessReview", 19, 22, "authorization.k8s.io/v1", false),
    row("authorization.k8s.io", "v1beta1", "SubjectAccessReview", 19, 22, "authorization.k8s.io/v1", false),
    row("certificates.k8s.io", "v1beta1", "CertificateSigningRequest", 19, 22, "certificates.k8s.io/v1", false),
    row("coordination.k8s.io", "v1beta1", "Lease", 19, 22, "coordination.k8s.io/v1", true),
    row("extensions", "v1beta1", "Ingress", 14, 22, "networking.k8s.io/v1", false),
    row("networking.k8s.io", "v1beta1", "Ingress", 19, 22, "networking.k8s.io/v1", false),
    row("networking.k8s.io", "v1beta1", "IngressClass", 19, 22, "networking.k8s.io/v1", true),
    row("rbac.authorization.k8s.io", "v1beta1", "ClusterRole", 17, 22, "rbac.authorization.k8s.io/v1", true),
    row("rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBinding", 17, 22, "rbac.authorization.k8s.io/v1", true),
    row("rbac.authorization.k8s.io", "v1beta1", "Role", 17, 22, "rbac.authorization.k8s.io/v1", true),
    row("rbac.authorization.k8s.io", "v1beta1", "RoleBinding", 17, 22, "rbac.authorization.k8s.io/v1", true),
    row("scheduling.k8s.io", "v1beta1", "PriorityClass", 14, 22, "scheduling.k8s.io/v1", true),
    row("storage.k8s.io", "v1beta1", "CSIDriver", 19, 22, "storage.k8s.io/v1", true),
    row("storage.k8s.io", "v1beta1", "CSINode", 19, 22, "storage.k8s.io/v1", true),
    row("storage.k8s.io", "v1beta1", "StorageClass", 19, 22, "storage.k8s.io/v1", true),
    row("storage.k8s.io", "v1beta1", "VolumeAttachment", 19, 22, "storage.k8s.io/v1", true),
    // v1.25
    row("batch", "v1beta1", "CronJob", 21, 25, "batch/v1", true),
    row("discovery.k8s.io", "v1beta1", "EndpointSlice", 21, 25, "discovery.k8s.io/v1", false),
    row("events.k8s.io", "v1beta1", "Event", 22, 25, "events.k8s.io/v1", false),
    row("autoscaling", "v2beta1", "HorizontalPodAutoscaler", 22, 25, "autoscaling/v2", false),
    // An empty selector selects every pod in policy/v1 and none in v1beta1.
    row("policy", "v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1", false),
    Deprecation {
        group: "policy",
        version: "v1beta1",
        kind: "PodSecurityPolicy",
        deprecated_in: 21,
        removed_in: Some(25),
        replacement: Replacement::None(
            "PodSecurityPolicy was removed; enforce the Pod Security Standards with Pod Security Admission namespace labels (or a policy engine)",
        ),
        same_schema: false,
    },
    row("node.k8s.io", "v1beta1", "RuntimeClass", 22, 25, "node.k8s.io/v1", true),
    // v1.26
    row("flowcontrol.apiserver.k8s.io", "v1beta1", "FlowSchema", 23, 26, "flowcontrol.apiserver.k8s.io/v1", false),
    row(
        "flowcontrol.apiserver.k8s.io",
        "v1beta1",
        "PriorityLevelConfiguration",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    row("autoscaling", "v2beta2", "HorizontalPodAutoscaler", 23, 26, "autoscaling/v2", true),
    // v1.27
    row("storage.k8s.io", "v1beta1", "CSIStorageCapacity", 24, 27, "storage.k8s.io/v1", true),
    // v1.29
    row("flowcontrol.apiserver.k8s.io", "v1beta2", "FlowSchema", 26, 29, "flowcontrol.apiserver.k8s.io/v1", false),
    row(
        "flowcontrol.apiserver.k8s.io",
        "v1beta2",
        "PriorityLevelConfiguration",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    // v1.32: nominalConcurrencyShares defaulting differs in v1.
    row("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema", 29, 32, "flowcontrol.apiserver.k8s.io/v1", true),
    row(
        "flowcontrol.apiserver.k8s.io",
        "v1beta3",
        "PriorityLevelConfiguration",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
        false,
    ),
    // v1.33: core v1 Endpoints is deprecated in favour of EndpointSlices; core APIs stay served.
    Deprecation {
        group: "",
        version: "v1",
        kind: "Endpoints",
        deprecated_in: 33,
        removed_in: None,
        replacement: Replacement::Api("discovery.k8s.io/v1", "EndpointSlice"),
        same_schema: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::version::LATEST_MINOR;
    use std::collections::BTreeSet;

    #[test]
    fn every_row_names_a_replacement_or_says_why_not() {
        for d in TABLE {
            match d.replacement {
                Replacement::Api(api, kind) => {
                    assert!(!api.is_empty() && !kind.is_empty(), "{} {}", d.api_version(), d.kind);
                    assert_ne!((api, kind), (d.api_version().as_str(), d.kind), "{} replaces itself", d.kind);
                    // A replacement must outlive what it replaces.
                    let (group, version) = api.rsplit_once('/').unwrap_or(("", api));
                    if let Some(next) = lookup(group, version, kind) {
                        assert!(
                            next.removed_in.unwrap_or(u16::MAX) > d.removed_in.unwrap_or(0),
                            "{} {} is replaced by an API removed no later",
                            d.api_version(),
                            d.kind
                        );
                    }
                }
                Replacement::None(reason) => assert!(reason.len() > 20, "{}: say why there is none", d.kind),
            }
            if d.same_schema {
                assert!(matches!(d.replacement, Replacement::Api(_, kind) if kind == d.kind), "{}", d.kind);
            }
        }
    }

    #[test]
    fn versions_are_consistent() {
        let mut seen = BTreeSet::new();
        for d in TABLE {
            assert!(seen.insert((d.group, d.version, d.kind)), "duplicate row {} {}", d.api_version(), d.kind);
            assert!(d.deprecated_in >= 1 && d.deprecated_in <= LATEST_MINOR, "{}", d.kind);
            if let Some(removed) = d.removed_in {
                assert!(d.deprecated_in < removed, "{} {}: removed before deprecated", d.api_version(), d.kind);
                assert!(
                    (16..=LATEST_MINOR).contains(&removed),
                    "{} {}: removal outside 1.16-1.37",
                    d.api_version(),
                    d.kind
                );
            }
            assert!(d.version.starts_with('v'), "{}", d.version);
        }
        // Rows are in removal order, as the migration guide lists them.
        let removals: Vec<u16> = TABLE.iter().map(|d| d.removed_in.unwrap_or(u16::MAX)).collect();
        assert!(removals.windows(2).all(|w| w[0] <= w[1]), "rows out of removal order");
    }

    #[test]
    fn finds_rows() {
        let d = lookup("extensions", "v1beta1", "Ingress").unwrap();
        assert_eq!((d.deprecated_in, d.removed_in), (14, Some(22)));
        assert_eq!(d.instead(), "use networking.k8s.io/v1");
        assert!(lookup("apps", "v1", "Deployment").is_none());
    }
}
