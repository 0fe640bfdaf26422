//! What a policy can see of the cluster offline: the objects of the input (Namespaces,
//! params objects, CRDs for plural names), looked up by identity.
//!
//! Every request of a lint looks up its Namespace, its CRD (for a kind that is not built
//! in) and its policies' params among the same objects, so they are indexed once, when the
//! cluster is built, and a params object is converted to a CEL value at most once.

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use std::cell::OnceCell;
use std::collections::HashMap;

use serde_json::Value;

use crate::value::Value as Cel;

/// The objects of the input that policies may look up.
#[derive(Clone, Debug, Default)]
pub struct Cluster<'a> {
    objects: Vec<&'a Value>,
    /// Positions in `objects` by `apiVersion` then `kind`, in input order. (Maps keyed by
    /// one `&str` each, so that a lookup borrows the name only for the lookup.)
    by_kind: HashMap<&'a str, HashMap<&'a str, Vec<usize>>>,
    /// The first `v1` Namespace of each name.
    namespaces: HashMap<&'a str, &'a Value>,
    /// The first CustomResourceDefinition of each `spec.group` then `spec.names.kind`.
    crds: HashMap<&'a str, HashMap<&'a str, &'a Value>>,
    /// Each object as a CEL value, converted when a policy first needs it (params).
    converted: Vec<OnceCell<Cel>>,
}

impl<'a> Cluster<'a> {
    pub fn new(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        let objects: Vec<&'a Value> = objects.into_iter().filter(|o| o.is_object()).collect();
        let mut cluster = Cluster { converted: vec![OnceCell::new(); objects.len()], ..Cluster::default() };
        for (i, o) in objects.iter().copied().enumerate() {
            let kind = o["kind"].as_str().unwrap_or_default();
            // A CRD is found by group and kind whatever its apiVersion.
            if kind == "CustomResourceDefinition"
                && let (Some(group), Some(crd_kind)) =
                    (o["spec"]["group"].as_str(), o["spec"]["names"]["kind"].as_str())
            {
                cluster.crds.entry(group).or_default().entry(crd_kind).or_insert(o);
            }
            let Some(api_version) = o["apiVersion"].as_str() else { continue };
            if o["kind"].is_string() {
                cluster.by_kind.entry(api_version).or_default().entry(kind).or_default().push(i);
            }
            if kind == "Namespace"
                && api_version == "v1"
                && let Some(name) = o["metadata"]["name"].as_str()
            {
                cluster.namespaces.entry(name).or_insert(o);
            }
        }
        cluster.objects = objects;
        cluster
    }

    pub fn objects(&self) -> &[&'a Value] {
        &self.objects
    }

    /// The Namespace object named `name`, if the input has it.
    pub fn namespace(&self, name: &str) -> Option<&'a Value> {
        self.namespaces.get(name).copied()
    }

    /// Objects of `apiVersion`/`kind`, in input order.
    pub fn of_kind<'s>(&'s self, api_version: &'s str, kind: &'s str) -> impl Iterator<Item = &'a Value> + 's {
        self.positions_of_kind(api_version, kind).filter_map(|i| self.objects.get(i).copied())
    }

    /// Positions in [`Cluster::objects`] of the objects of `apiVersion`/`kind`.
    pub(crate) fn positions_of_kind(&self, api_version: &str, kind: &str) -> impl Iterator<Item = usize> + '_ {
        self.by_kind.get(api_version).and_then(|k| k.get(kind)).into_iter().flatten().copied()
    }

    /// The object at `position` as a CEL value, converted once per cluster.
    pub(crate) fn cel_value(&self, position: usize) -> Cel {
        match (self.converted.get(position), self.objects.get(position)) {
            (Some(cell), Some(object)) => cell.get_or_init(|| Cel::from_json(object)).clone(),
            _ => Cel::Null,
        }
    }

    /// The CustomResourceDefinition of `group`/`kind` in the input (the first, if several).
    pub fn crd(&self, group: &str, kind: &str) -> Option<&'a Value> {
        self.crds.get(group).and_then(|k| k.get(kind)).copied()
    }

    /// The plural resource name of `group`/`kind` declared by a CRD of the input.
    pub fn crd_plural(&self, group: &str, kind: &str) -> Option<&'a str> {
        self.crd(group, kind).and_then(|o| o["spec"]["names"]["plural"].as_str())
    }
}
