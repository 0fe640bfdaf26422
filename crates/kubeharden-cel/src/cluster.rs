//! What a policy can see of the cluster offline: the objects of the input (Namespaces,
//! params objects, CRDs for plural names), looked up by identity.

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use serde_json::Value;

/// The objects of the input that policies may look up.
#[derive(Clone, Debug, Default)]
pub struct Cluster<'a> {
    objects: Vec<&'a Value>,
}

impl<'a> Cluster<'a> {
    pub fn new(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        Cluster { objects: objects.into_iter().filter(|o| o.is_object()).collect() }
    }

    pub fn objects(&self) -> &[&'a Value] {
        &self.objects
    }

    /// The Namespace object named `name`, if the input has it.
    pub fn namespace(&self, name: &str) -> Option<&'a Value> {
        self.objects
            .iter()
            .copied()
            .find(|o| o["kind"] == "Namespace" && o["apiVersion"] == "v1" && o["metadata"]["name"] == name)
    }

    /// Objects of `apiVersion`/`kind`.
    pub fn of_kind<'s>(&'s self, api_version: &'s str, kind: &'s str) -> impl Iterator<Item = &'a Value> + 's {
        self.objects.iter().copied().filter(move |o| o["apiVersion"] == api_version && o["kind"] == kind)
    }

    /// The plural resource name of `group`/`kind` declared by a CRD of the input.
    pub fn crd_plural(&self, group: &str, kind: &str) -> Option<&'a str> {
        self.objects
            .iter()
            .find(|o| {
                o["kind"] == "CustomResourceDefinition"
                    && o["spec"]["group"] == group
                    && o["spec"]["names"]["kind"] == kind
            })
            .and_then(|o| o["spec"]["names"]["plural"].as_str())
    }
}
