//! Resources: the objects of the input with their identity.

use super::builtin_kinds::{self, Served, split};
use crate::source::{NodeRef, ParsedSource};

/// Index of a resource in [`crate::model::Model::resources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(pub usize);

/// One Kubernetes object (or configuration file such as a `KubeletConfiguration`).
#[derive(Debug, Clone)]
pub struct Resource<'s> {
    pub id: ResourceId,
    /// Index of the source in the lint input.
    pub source: usize,
    /// 1-based document number in the source.
    pub document: u32,
    /// The object's mapping.
    pub node: NodeRef<'s>,
    /// Path of the object from the document root: empty, or `items[3]` inside a `List`.
    pub prefix: String,
    /// `apiVersion` as written.
    pub api_version: Option<&'s str>,
    pub kind: Option<&'s str>,
    /// The API group and version the object is read as: its own, except for a built-in kind
    /// under a version that never served it (`app/v1` Deployment), which is read as the nearest
    /// served version (`apps/v1`) so that no rule skips it. Every rule sees these through
    /// [`Resource::group`] and [`Resource::version`].
    group: &'s str,
    version: &'s str,
    /// Set when the written `apiVersion` does not serve this built-in kind: the served version
    /// the object is read as (`unknown-api-version` reports it).
    pub read_as: Option<&'static Served>,
    pub name: Option<&'s str>,
    /// Effective namespace of a namespaced object (`default` when unset).
    pub namespace: Option<&'s str>,
    /// The namespace was not written and defaults to `default`, as kubectl would apply it.
    pub namespace_defaulted: bool,
}

impl<'s> Resource<'s> {
    pub fn kind(&self) -> &'s str {
        self.kind.unwrap_or("")
    }

    pub fn name(&self) -> &'s str {
        self.name.unwrap_or("")
    }

    pub fn namespace(&self) -> &'s str {
        self.namespace.unwrap_or("")
    }

    /// API group the object is read as (`""` for the core group); see [`Resource::read_as`].
    pub fn group(&self) -> &'s str {
        self.group
    }

    /// API version the object is read as, such as `v1beta1`.
    pub fn version(&self) -> &'s str {
        self.version
    }

    /// `kind` in one of the given groups.
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == Some(kind) && self.group() == group
    }

    pub fn metadata(&self) -> Option<NodeRef<'s>> {
        self.node.field("metadata")
    }

    pub fn labels(&self) -> Option<NodeRef<'s>> {
        self.metadata().and_then(|m| m.field("labels"))
    }

    pub fn annotations(&self) -> Option<NodeRef<'s>> {
        self.metadata().and_then(|m| m.field("annotations"))
    }

    pub fn annotation(&self, key: &str) -> Option<&'s str> {
        self.annotations().and_then(|a| a.field(key)).and_then(|v| v.str())
    }

    pub fn label(&self, key: &str) -> Option<&'s str> {
        self.labels().and_then(|a| a.field(key)).and_then(|v| v.str())
    }

    /// The path of a field of this object, from the document root.
    pub fn path(&self, rel: &str) -> String {
        join_path(&self.prefix, rel)
    }

    /// `Kind namespace/name` for messages.
    pub fn display(&self) -> String {
        match (self.namespace, self.name) {
            (Some(ns), Some(n)) => format!("{} {ns}/{n}", self.kind()),
            (None, Some(n)) => format!("{} {n}", self.kind()),
            _ => self.kind().to_owned(),
        }
    }
}

/// Joins two path parts with a dot (no dot before an index).
pub fn join_path(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_owned()
    } else if rel.is_empty() {
        prefix.to_owned()
    } else if rel.starts_with('[') {
        format!("{prefix}{rel}")
    } else {
        format!("{prefix}.{rel}")
    }
}

/// Kinds that are not namespaced (built-in and well-known add-ons), so they get no default
/// namespace.
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "StorageClass"
            | "CSIDriver"
            | "CSINode"
            | "VolumeAttachment"
            | "PriorityClass"
            | "RuntimeClass"
            | "IngressClass"
            | "PodSecurityPolicy"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "MutatingAdmissionPolicy"
            | "MutatingAdmissionPolicyBinding"
            | "APIService"
            | "CertificateSigningRequest"
            | "FlowSchema"
            | "PriorityLevelConfiguration"
            | "ComponentStatus"
            | "TokenReview"
            | "SelfSubjectReview"
            | "SelfSubjectAccessReview"
            | "SelfSubjectRulesReview"
            | "SubjectAccessReview"
            | "ClusterTrustBundle"
            | "DeviceClass"
            | "ResourceSlice"
            | "IPAddress"
            | "ServiceCIDR"
            | "StorageVersionMigration"
            | "VolumeAttributesClass"
            | "ClusterIssuer"
            | "ClusterPolicy"
            | "ClusterServingRuntime"
            | "ClusterTask"
            | "GatewayClass"
    )
}

/// Objects read from component configuration files rather than the API (kubelet, kubeadm,
/// audit, encryption and authentication configs, kubeconfig): they have no namespace.
pub fn is_config_object(api_version: &str, kind: &str) -> bool {
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    matches!(
        group,
        "kubelet.config.k8s.io"
            | "kubeadm.k8s.io"
            | "kubeproxy.config.k8s.io"
            | "kubescheduler.config.k8s.io"
            | "kubecontrollermanager.config.k8s.io"
            | "apiserver.config.k8s.io"
            | "apiserver.k8s.io"
            | "audit.k8s.io"
            | "eventratelimit.admission.k8s.io"
            | "pod-security.admission.config.k8s.io"
            | "kustomize.config.k8s.io"
    ) || (api_version == "v1" && kind == "Config")
}

/// Builds the resources of every document: the document itself, or each item of a `List`.
pub(crate) fn collect<'s>(sources: &'s [ParsedSource]) -> Vec<Resource<'s>> {
    let mut out = Vec::new();
    for (source, parsed) in sources.iter().enumerate() {
        for doc in &parsed.documents {
            let root = parsed.tree.node(doc.root);
            if !root.is_map() {
                continue;
            }
            let kind = root.field("kind").and_then(|k| k.str());
            let is_list = kind.is_some_and(|k| k == "List" || (k.ends_with("List") && root.field("items").is_some()))
                && root.field("items").is_some_and(|i| i.is_seq());
            if is_list {
                let items = root.field("items").map(|i| i.items().collect::<Vec<_>>()).unwrap_or_default();
                for (i, item) in items.into_iter().enumerate() {
                    if item.is_map() {
                        out.push(make(out.len(), source, doc.number, item, format!("items[{i}]")));
                    }
                }
            } else {
                out.push(make(out.len(), source, doc.number, root, String::new()));
            }
        }
    }
    out
}

fn make<'s>(id: usize, source: usize, document: u32, node: NodeRef<'s>, prefix: String) -> Resource<'s> {
    let kind = node.field("kind").and_then(|k| k.str());
    let meta = node.field("metadata");
    let name = meta.and_then(|m| m.field("name")).and_then(|n| n.str());
    let written_ns = meta.and_then(|m| m.field("namespace")).and_then(|n| n.str()).filter(|n| !n.is_empty());
    let api_version = node.field("apiVersion").and_then(|v| v.str());
    let namespaced = kind.is_some_and(|k| !is_cluster_scoped(k) && !is_config_object(api_version.unwrap_or(""), k));
    let read_as = kind.and_then(|k| builtin_kinds::unserved(api_version.unwrap_or(""), k)).map(|(_, served)| served);
    let (group, version) = match read_as {
        Some(served) => (served.group(), served.version()),
        None => split(api_version.unwrap_or("")),
    };
    let (namespace, defaulted) = match (namespaced, written_ns) {
        (false, _) => (None, false),
        (true, Some(ns)) => (Some(ns), false),
        (true, None) => (Some("default"), true),
    };
    Resource {
        id: ResourceId(id),
        source,
        document,
        node,
        prefix,
        api_version,
        kind,
        group,
        version,
        read_as,
        name,
        namespace,
        namespace_defaulted: defaulted,
    }
}
