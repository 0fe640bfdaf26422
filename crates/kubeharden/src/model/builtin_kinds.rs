//! Built-in kinds and the API versions that serve them.
//!
//! The API server answers `no matches for kind "Deployment" in version "app/v1"` for an object
//! whose `apiVersion` does not serve its kind; such an object never reaches the cluster, yet a
//! linter that only knows `apps/v1 Deployment` would skip it and report nothing. This table says,
//! for every built-in kind, which versions serve it and from which Kubernetes minor to which, so
//! that the model can read such an object as the nearest served version (its pod template is a
//! pod template whatever the typo) and `unknown-api-version` can report the mistake.
//!
//! The windows cover Kubernetes v1.25 to v1.37, as the OpenAPI definitions in
//! `../shared/schemas/kubernetes` list them (a test compares the two); a version served at v1.25
//! counts as served at every earlier minor too. Versions removed before v1.25 are in
//! [`super::deprecations`], which the rules read for the removal itself. Versions in preference
//! order: stable before beta before alpha, newer before older.

use super::KubeVersion;
use super::deprecations;

/// One API version of a kind and the Kubernetes minors that serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// `apps/v1`, or `v1` for the core group.
    pub api_version: &'static str,
    /// First minor that serves it (0: every minor this table covers, and before).
    pub since: u16,
    /// First minor that no longer serves it; `None` while it is served.
    pub until: Option<u16>,
}

impl Served {
    /// Whether Kubernetes `version` serves it.
    pub fn at(&self, version: KubeVersion) -> bool {
        let minor = version.minor();
        self.since <= minor && self.until.is_none_or(|u| minor < u)
    }

    /// The API group (`""` for the core group).
    pub fn group(&self) -> &'static str {
        split(self.api_version).0
    }

    /// The version part, such as `v1beta1`.
    pub fn version(&self) -> &'static str {
        split(self.api_version).1
    }
}

/// A built-in kind and its versions, in preference order.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    pub versions: &'static [Served],
}

impl Kind {
    /// The entry of `api_version`, if it ever served this kind (since v1.25).
    pub fn version(&self, api_version: &str) -> Option<&'static Served> {
        self.versions.iter().find(|v| v.api_version == api_version)
    }

    /// The versions Kubernetes `version` serves, in preference order.
    pub fn served_at(&self, version: KubeVersion) -> impl Iterator<Item = &'static Served> {
        self.versions.iter().filter(move |v| v.at(version))
    }

    /// The served version closest to what was written: the preferred one of the same group,
    /// else one with the same version string (`v1` for `app/v1`), else the preferred one.
    /// Versions still served come first.
    pub fn nearest(&self, api_version: &str) -> Option<&'static Served> {
        let (group, version) = split(api_version);
        let current = self.versions.iter().filter(|v| v.until.is_none());
        let ordered = || current.clone().chain(self.versions.iter());
        ordered()
            .find(|v| v.group() == group)
            .or_else(|| ordered().find(|v| v.version() == version))
            .or_else(|| ordered().next())
    }
}

/// `group/version` split; `v1` is the core group.
pub fn split(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// The built-in kind of this name.
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// A group the API server itself serves (of this table or of the deprecation data).
pub fn is_builtin_group(group: &str) -> bool {
    KINDS.iter().flat_map(|k| k.versions).any(|v| v.group() == group)
        || deprecations::TABLE.iter().any(|d| d.group == group)
}

/// When `api_version` never served the built-in kind `kind`, the kind and its nearest served
/// version: the version the object is read as. `None` when the pair is known (served now or
/// once, removals included) or the kind is not built in: a kind of another group is a custom
/// resource, except in groups that cannot be custom (built-in groups, and names without a dot,
/// which a CustomResourceDefinition may not use).
pub fn unserved(api_version: &str, kind_name: &str) -> Option<(&'static Kind, &'static Served)> {
    let kind = kind(kind_name)?;
    let (group, version) = split(api_version);
    if kind.version(api_version).is_some() || deprecations::lookup(group, version, kind_name).is_some() {
        return None;
    }
    if group.contains('.') && !is_builtin_group(group) {
        return None;
    }
    Some((kind, kind.nearest(api_version)?))
}

const fn always(api_version: &'static str) -> Served {
    Served { api_version, since: 0, until: None }
}

const fn since(api_version: &'static str, since: u16) -> Served {
    Served { api_version, since, until: None }
}

const fn between(api_version: &'static str, since: u16, until: u16) -> Served {
    Served { api_version, since, until: Some(until) }
}

const fn kind_(name: &'static str, versions: &'static [Served]) -> Kind {
    Kind { name, versions }
}

/// Every built-in kind an object can have, by name.
pub static KINDS: &[Kind] = &[
    kind_("APIService", &[always("apiregistration.k8s.io/v1")]),
    kind_("Binding", &[always("v1")]),
    kind_("CSIDriver", &[always("storage.k8s.io/v1")]),
    kind_("CSINode", &[always("storage.k8s.io/v1")]),
    kind_("CSIStorageCapacity", &[always("storage.k8s.io/v1"), between("storage.k8s.io/v1beta1", 0, 27)]),
    kind_("CertificateSigningRequest", &[always("certificates.k8s.io/v1")]),
    kind_("ClusterCIDR", &[between("networking.k8s.io/v1alpha1", 0, 29)]),
    kind_("ClusterRole", &[always("rbac.authorization.k8s.io/v1")]),
    kind_("ClusterRoleBinding", &[always("rbac.authorization.k8s.io/v1")]),
    kind_(
        "ClusterTrustBundle",
        &[
            since("certificates.k8s.io/v1", 37),
            since("certificates.k8s.io/v1beta1", 33),
            between("certificates.k8s.io/v1alpha1", 27, 37),
        ],
    ),
    kind_("ComponentStatus", &[always("v1")]),
    kind_("CompositePodGroup", &[since("scheduling.k8s.io/v1alpha3", 37)]),
    kind_("ConfigMap", &[always("v1")]),
    kind_("ControllerRevision", &[always("apps/v1")]),
    kind_("CronJob", &[always("batch/v1")]),
    kind_("CustomResourceDefinition", &[always("apiextensions.k8s.io/v1")]),
    kind_("DaemonSet", &[always("apps/v1")]),
    kind_("Deployment", &[always("apps/v1")]),
    kind_(
        "DeviceClass",
        &[
            since("resource.k8s.io/v1", 34),
            since("resource.k8s.io/v1beta2", 33),
            since("resource.k8s.io/v1beta1", 32),
            between("resource.k8s.io/v1alpha3", 31, 34),
        ],
    ),
    kind_(
        "DeviceTaintRule",
        &[since("resource.k8s.io/v1", 37), since("resource.k8s.io/v1beta2", 36), since("resource.k8s.io/v1alpha3", 33)],
    ),
    kind_("EndpointSlice", &[always("discovery.k8s.io/v1")]),
    kind_("Endpoints", &[always("v1")]),
    kind_("Event", &[always("v1"), always("events.k8s.io/v1")]),
    kind_("Eviction", &[always("policy/v1"), since("lifecycle.k8s.io/v1alpha1", 37)]),
    kind_("EvictionRequest", &[since("lifecycle.k8s.io/v1alpha1", 37)]),
    kind_(
        "FlowSchema",
        &[
            since("flowcontrol.apiserver.k8s.io/v1", 29),
            between("flowcontrol.apiserver.k8s.io/v1beta3", 26, 32),
            between("flowcontrol.apiserver.k8s.io/v1beta2", 0, 29),
            between("flowcontrol.apiserver.k8s.io/v1beta1", 0, 26),
        ],
    ),
    kind_(
        "HorizontalPodAutoscaler",
        &[always("autoscaling/v2"), always("autoscaling/v1"), between("autoscaling/v2beta2", 0, 26)],
    ),
    kind_(
        "IPAddress",
        &[
            since("networking.k8s.io/v1", 33),
            between("networking.k8s.io/v1beta1", 31, 37),
            between("networking.k8s.io/v1alpha1", 27, 31),
        ],
    ),
    kind_("Ingress", &[always("networking.k8s.io/v1")]),
    kind_("IngressClass", &[always("networking.k8s.io/v1")]),
    kind_("Job", &[always("batch/v1")]),
    kind_("Lease", &[always("coordination.k8s.io/v1")]),
    kind_(
        "LeaseCandidate",
        &[
            since("coordination.k8s.io/v1beta1", 33),
            since("coordination.k8s.io/v1alpha2", 32),
            between("coordination.k8s.io/v1alpha1", 31, 32),
        ],
    ),
    kind_("LimitRange", &[always("v1")]),
    kind_("LocalSubjectAccessReview", &[always("authorization.k8s.io/v1")]),
    kind_(
        "MutatingAdmissionPolicy",
        &[
            since("admissionregistration.k8s.io/v1", 36),
            since("admissionregistration.k8s.io/v1beta1", 34),
            since("admissionregistration.k8s.io/v1alpha1", 32),
        ],
    ),
    kind_(
        "MutatingAdmissionPolicyBinding",
        &[
            since("admissionregistration.k8s.io/v1", 36),
            since("admissionregistration.k8s.io/v1beta1", 34),
            since("admissionregistration.k8s.io/v1alpha1", 32),
        ],
    ),
    kind_("MutatingWebhookConfiguration", &[always("admissionregistration.k8s.io/v1")]),
    kind_("Namespace", &[always("v1")]),
    kind_("NetworkPolicy", &[always("networking.k8s.io/v1")]),
    kind_("Node", &[always("v1")]),
    kind_("PersistentVolume", &[always("v1")]),
    kind_("PersistentVolumeClaim", &[always("v1")]),
    kind_("Pod", &[always("v1")]),
    kind_(
        "PodCertificateRequest",
        &[
            since("certificates.k8s.io/v1", 37),
            since("certificates.k8s.io/v1beta1", 35),
            between("certificates.k8s.io/v1alpha1", 34, 35),
        ],
    ),
    kind_("PodDisruptionBudget", &[always("policy/v1")]),
    kind_(
        "PodGroup",
        &[
            since("scheduling.k8s.io/v1beta1", 37),
            since("scheduling.k8s.io/v1alpha3", 37),
            between("scheduling.k8s.io/v1alpha2", 36, 37),
        ],
    ),
    kind_("PodScheduling", &[between("resource.k8s.io/v1alpha1", 26, 27)]),
    kind_(
        "PodSchedulingContext",
        &[between("resource.k8s.io/v1alpha3", 31, 32), between("resource.k8s.io/v1alpha2", 27, 31)],
    ),
    kind_("PodTemplate", &[always("v1")]),
    kind_("PriorityClass", &[always("scheduling.k8s.io/v1")]),
    kind_(
        "PriorityLevelConfiguration",
        &[
            since("flowcontrol.apiserver.k8s.io/v1", 29),
            between("flowcontrol.apiserver.k8s.io/v1beta3", 26, 32),
            between("flowcontrol.apiserver.k8s.io/v1beta2", 0, 29),
            between("flowcontrol.apiserver.k8s.io/v1beta1", 0, 26),
        ],
    ),
    kind_("ReplicaSet", &[always("apps/v1")]),
    kind_("ReplicationController", &[always("v1")]),
    kind_(
        "ResourceClaim",
        &[
            since("resource.k8s.io/v1", 34),
            since("resource.k8s.io/v1beta2", 33),
            since("resource.k8s.io/v1beta1", 32),
            between("resource.k8s.io/v1alpha3", 31, 34),
            between("resource.k8s.io/v1alpha2", 27, 31),
            between("resource.k8s.io/v1alpha1", 26, 27),
        ],
    ),
    kind_("ResourceClaimParameters", &[between("resource.k8s.io/v1alpha2", 30, 31)]),
    kind_(
        "ResourceClaimTemplate",
        &[
            since("resource.k8s.io/v1", 34),
            since("resource.k8s.io/v1beta2", 33),
            since("resource.k8s.io/v1beta1", 32),
            between("resource.k8s.io/v1alpha3", 31, 34),
            between("resource.k8s.io/v1alpha2", 27, 31),
            between("resource.k8s.io/v1alpha1", 26, 27),
        ],
    ),
    kind_("ResourceClass", &[between("resource.k8s.io/v1alpha2", 27, 31), between("resource.k8s.io/v1alpha1", 26, 27)]),
    kind_("ResourceClassParameters", &[between("resource.k8s.io/v1alpha2", 30, 31)]),
    kind_("ResourcePoolStatusRequest", &[since("resource.k8s.io/v1alpha3", 36)]),
    kind_("ResourceQuota", &[always("v1")]),
    kind_(
        "ResourceSlice",
        &[
            since("resource.k8s.io/v1", 34),
            since("resource.k8s.io/v1beta2", 33),
            since("resource.k8s.io/v1beta1", 32),
            between("resource.k8s.io/v1alpha3", 31, 34),
            between("resource.k8s.io/v1alpha2", 30, 31),
        ],
    ),
    kind_("Role", &[always("rbac.authorization.k8s.io/v1")]),
    kind_("RoleBinding", &[always("rbac.authorization.k8s.io/v1")]),
    kind_("RuntimeClass", &[always("node.k8s.io/v1")]),
    kind_("Scale", &[always("autoscaling/v1")]),
    kind_("Secret", &[always("v1")]),
    kind_("SelfSubjectAccessReview", &[always("authorization.k8s.io/v1")]),
    kind_(
        "SelfSubjectReview",
        &[
            since("authentication.k8s.io/v1", 28),
            between("authentication.k8s.io/v1beta1", 27, 33),
            between("authentication.k8s.io/v1alpha1", 26, 32),
        ],
    ),
    kind_("SelfSubjectRulesReview", &[always("authorization.k8s.io/v1")]),
    kind_("Service", &[always("v1")]),
    kind_("ServiceAccount", &[always("v1")]),
    kind_(
        "ServiceCIDR",
        &[
            since("networking.k8s.io/v1", 33),
            between("networking.k8s.io/v1beta1", 31, 37),
            between("networking.k8s.io/v1alpha1", 29, 31),
        ],
    ),
    kind_("StatefulSet", &[always("apps/v1")]),
    kind_("StorageClass", &[always("storage.k8s.io/v1")]),
    kind_("StorageVersion", &[always("internal.apiserver.k8s.io/v1alpha1")]),
    kind_(
        "StorageVersionMigration",
        &[
            since("storagemigration.k8s.io/v1", 37),
            since("storagemigration.k8s.io/v1beta1", 35),
            between("storagemigration.k8s.io/v1alpha1", 30, 35),
        ],
    ),
    kind_("SubjectAccessReview", &[always("authorization.k8s.io/v1")]),
    kind_("TokenRequest", &[always("authentication.k8s.io/v1")]),
    kind_("TokenReview", &[always("authentication.k8s.io/v1")]),
    kind_(
        "ValidatingAdmissionPolicy",
        &[
            since("admissionregistration.k8s.io/v1", 30),
            between("admissionregistration.k8s.io/v1beta1", 28, 34),
            between("admissionregistration.k8s.io/v1alpha1", 26, 32),
        ],
    ),
    kind_(
        "ValidatingAdmissionPolicyBinding",
        &[
            since("admissionregistration.k8s.io/v1", 30),
            between("admissionregistration.k8s.io/v1beta1", 28, 34),
            between("admissionregistration.k8s.io/v1alpha1", 26, 32),
        ],
    ),
    kind_("ValidatingWebhookConfiguration", &[always("admissionregistration.k8s.io/v1")]),
    kind_("VolumeAttachment", &[always("storage.k8s.io/v1")]),
    kind_(
        "VolumeAttributesClass",
        &[
            since("storage.k8s.io/v1", 34),
            between("storage.k8s.io/v1beta1", 31, 37),
            between("storage.k8s.io/v1alpha1", 29, 35),
        ],
    ),
    kind_(
        "Workload",
        &[
            since("scheduling.k8s.io/v1beta1", 37),
            since("scheduling.k8s.io/v1alpha3", 37),
            between("scheduling.k8s.io/v1alpha2", 36, 37),
            between("scheduling.k8s.io/v1alpha1", 35, 36),
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_versions_of_built_in_kinds_are_read_as_the_nearest_served_one() {
        let nearest = |api: &str, kind: &str| unserved(api, kind).map(|(_, v)| v.api_version);
        assert_eq!(nearest("app/v1", "Deployment"), Some("apps/v1"));
        assert_eq!(nearest("v1", "Deployment"), Some("apps/v1"));
        assert_eq!(nearest("apps/v2", "Deployment"), Some("apps/v1"));
        assert_eq!(nearest("apps/v1", "Service"), Some("v1"));
        assert_eq!(nearest("core/v1", "Pod"), Some("v1"));
        assert_eq!(nearest("v1", "HorizontalPodAutoscaler"), Some("autoscaling/v1"));
        assert_eq!(nearest("autoscaling/v3", "HorizontalPodAutoscaler"), Some("autoscaling/v2"));
        // Known pairs, removed ones included, and custom resources with a built-in kind's name.
        for (api, kind) in [
            ("apps/v1", "Deployment"),
            ("extensions/v1beta1", "Deployment"),
            ("resource.k8s.io/v1alpha2", "ResourceClaim"),
            ("serving.knative.dev/v1", "Service"),
            ("example.com/v1", "Deployment"),
            ("v1", "Widget"),
        ] {
            assert_eq!(nearest(api, kind), None, "{api} {kind}");
        }
    }

    #[test]
    fn windows_follow_the_releases() {
        let vac = kind("VolumeAttributesClass").unwrap();
        let at = |m| vac.served_at(KubeVersion::v1(m)).map(|v| v.api_version).collect::<Vec<_>>();
        assert_eq!(at(28), Vec::<&str>::new());
        assert_eq!(at(31), ["storage.k8s.io/v1beta1", "storage.k8s.io/v1alpha1"]);
        assert_eq!(at(37), ["storage.k8s.io/v1"]);
        assert!(is_builtin_group("") && is_builtin_group("apps") && is_builtin_group("extensions"));
        assert!(!is_builtin_group("app") && !is_builtin_group("serving.knative.dev"));
    }
}
