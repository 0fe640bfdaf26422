//! The model: resources with identity, pod spec views, and a cross-resource index built once
//! per lint.

pub mod builtin_kinds;
pub mod component;
pub mod credentials;
pub mod deprecations;
pub mod image;
pub mod network;
pub mod pod;
pub mod pod_security;
pub mod rbac;
pub mod resource;
pub mod schema;
pub mod selector;
pub mod version;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::source::ParsedSource;
pub use pod::{Container, ContainerKind, Effective, PodSpec};
pub use resource::{Resource, ResourceId, join_path};
pub use version::KubeVersion;

/// Everything rules read: the resources, their pod specs and the cross-resource index.
#[derive(Debug)]
pub struct Model<'s> {
    pub sources: &'s [ParsedSource],
    pub resources: Vec<Resource<'s>>,
    /// Pod spec of each resource that has one, by resource index.
    pub pods: Vec<Option<PodSpec<'s>>>,
    pub index: Index<'s>,
    /// Control-plane and node components with their flags, read once for every rule.
    pub components: Vec<component::Component<'s>>,
    /// RBAC graph, built on first use.
    rbac: OnceLock<rbac::Rbac<'s>>,
    /// NetworkPolicies, built on first use.
    network: OnceLock<network::Network<'s>>,
    /// Schema validation of the whole input, run on first use.
    schema: OnceLock<crate::schema::Outcome>,
    /// Objects of the extra CRD sources (`--crds`): read for their schemas, never linted.
    pub crd_resources: Vec<Resource<'s>>,
}

/// Lookups across the whole input.
#[derive(Debug, Default)]
pub struct Index<'s> {
    /// Namespace objects by name.
    pub namespaces: BTreeMap<&'s str, ResourceId>,
    /// ServiceAccounts by (namespace, name).
    pub service_accounts: BTreeMap<(&'s str, &'s str), ResourceId>,
    /// Resources by kind.
    pub by_kind: BTreeMap<&'s str, Vec<ResourceId>>,
}

impl<'s> Model<'s> {
    pub fn build(sources: &'s [ParsedSource]) -> Self {
        let resources = resource::collect(sources);
        let pods = resources.iter().map(pod::pod_spec).collect();
        let mut index = Index::default();
        for r in &resources {
            let kind = r.kind();
            index.by_kind.entry(kind).or_default().push(r.id);
            match kind {
                "Namespace" if r.group().is_empty() => {
                    if let Some(name) = r.name {
                        index.namespaces.entry(name).or_insert(r.id);
                    }
                }
                "ServiceAccount" if r.group().is_empty() => {
                    if let Some(name) = r.name {
                        index.service_accounts.entry((r.namespace(), name)).or_insert(r.id);
                    }
                }
                _ => {}
            }
        }
        let mut model = Model {
            sources,
            resources,
            pods,
            index,
            components: Vec::new(),
            rbac: OnceLock::new(),
            network: OnceLock::new(),
            schema: OnceLock::new(),
            crd_resources: Vec::new(),
        };
        model.components = component::find(&model);
        model
    }

    /// Adds the CustomResourceDefinitions of `crds`, sources read for their schemas only.
    pub fn with_crds(mut self, crds: &'s [ParsedSource]) -> Self {
        self.crd_resources = resource::collect(crds);
        self
    }

    /// Roles, bindings and aggregation of the input.
    pub fn rbac(&self) -> &rbac::Rbac<'s> {
        self.rbac.get_or_init(|| rbac::Rbac::build(&self.resources))
    }

    /// NetworkPolicies of the input, validated and indexed by namespace.
    pub fn network(&self) -> &network::Network<'s> {
        self.network.get_or_init(|| network::Network::build(self))
    }

    /// Schema validation of the input (see [`crate::schema::outcome`]).
    pub(crate) fn schema_outcome(&self, validate: impl FnOnce() -> crate::schema::Outcome) -> &crate::schema::Outcome {
        self.schema.get_or_init(validate)
    }

    pub fn resource(&self, id: ResourceId) -> Option<&Resource<'s>> {
        self.resources.get(id.0)
    }

    pub fn pod(&self, id: ResourceId) -> Option<&PodSpec<'s>> {
        self.pods.get(id.0).and_then(Option::as_ref)
    }

    /// Resources of one kind, in input order.
    pub fn of_kind<'m>(&'m self, kind: &str) -> impl Iterator<Item = &'m Resource<'s>> + 'm {
        self.index.by_kind.get(kind).map(Vec::as_slice).unwrap_or(&[]).iter().filter_map(|id| self.resource(*id))
    }

    /// Resources that carry a pod spec, with it.
    pub fn workloads<'m>(&'m self) -> impl Iterator<Item = (&'m Resource<'s>, &'m PodSpec<'s>)> + 'm {
        self.resources.iter().filter_map(|r| self.pod(r.id).map(|p| (r, p)))
    }
}
