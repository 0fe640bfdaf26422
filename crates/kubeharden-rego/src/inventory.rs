//! `data.inventory` as Gatekeeper's sync builds it: objects without a namespace under
//! `cluster[<groupVersion>][<kind>][<name>]`, the others under
//! `namespace[<namespace>][<groupVersion>][<kind>][<name>]`. Gatekeeper keys by the
//! object's `metadata.namespace`; callers that default the namespace of a namespaced object
//! (as `kubectl apply` would) pass the namespace it gets.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// groupVersion -> kind -> name -> object.
type ByKind = BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>;

/// The synced objects a Gatekeeper policy can read.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    cluster: ByKind,
    namespace: BTreeMap<String, ByKind>,
}

impl Inventory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an object; one without `apiVersion`, `kind` or `metadata.name` is not synced
    /// (Gatekeeper cannot key it) and is skipped. A later object with the same key replaces
    /// an earlier one, as a later apply would.
    pub fn add(&mut self, object: &Value, namespace: Option<&str>) {
        let (Some(api_version), Some(kind), Some(name)) = (
            object.get("apiVersion").and_then(Value::as_str),
            object.get("kind").and_then(Value::as_str),
            object.pointer("/metadata/name").and_then(Value::as_str),
        ) else {
            return;
        };
        let namespace = namespace.or_else(|| object.pointer("/metadata/namespace").and_then(Value::as_str));
        let root = match namespace.filter(|ns| !ns.is_empty()) {
            Some(ns) => self.namespace.entry(ns.to_string()).or_default(),
            None => &mut self.cluster,
        };
        root.entry(api_version.to_string())
            .or_default()
            .entry(kind.to_string())
            .or_default()
            .insert(name.to_string(), object.clone());
    }

    /// `{"cluster": {...}, "namespace": {...}}`.
    pub fn to_json(&self) -> Value {
        let mut root = Map::new();
        root.insert("cluster".into(), by_kind(&self.cluster));
        let namespaces = self.namespace.iter().map(|(ns, objects)| (ns.clone(), by_kind(objects))).collect();
        root.insert("namespace".into(), Value::Object(namespaces));
        Value::Object(root)
    }
}

fn by_kind(objects: &ByKind) -> Value {
    let groups = objects
        .iter()
        .map(|(gv, kinds)| {
            let kinds = kinds
                .iter()
                .map(|(kind, names)| {
                    let names = names.iter().map(|(n, o)| (n.clone(), o.clone())).collect();
                    (kind.clone(), Value::Object(names))
                })
                .collect();
            (gv.clone(), Value::Object(kinds))
        })
        .collect();
    Value::Object(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_objects_as_gatekeeper_sync() {
        let mut inv = Inventory::new();
        inv.add(&json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}), None);
        inv.add(&json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "shop"}}), None);
        inv.add(&json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc"}}), Some("default"));
        inv.add(&json!({"kind": "NoVersion", "metadata": {"name": "x"}}), None);
        let v = inv.to_json();
        assert!(v.pointer("/cluster/v1/Namespace/shop").is_some());
        assert!(v.pointer("/namespace/shop/networking.k8s.io~1v1/Ingress/web").is_some());
        assert!(v.pointer("/namespace/default/v1/Service/svc").is_some());
        assert_eq!(v.pointer("/cluster").and_then(Value::as_object).map(Map::len), Some(1));
    }
}
