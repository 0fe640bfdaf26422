//! What a policy evaluation sees: the request's values (`object`, `oldObject`, `request`,
//! `namespaceObject`) as CEL values, and the names bound for one policy.
//!
//! Converting JSON to CEL values is most of the cost of a cheap policy, and every policy
//! that evaluates a request sees the same values: [`RequestValues`] converts them once per
//! request, and each evaluation shares them (CEL values are reference-counted and never
//! changed in place).

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use std::rc::Rc;

use serde_json::Value;

use crate::Request;
use crate::compile::Program;
use crate::eval::Bindings;
use crate::value::Value as Cel;

/// Names declared in every environment that need the cluster.
const OFFLINE_UNAVAILABLE: &[&str] = &["authorizer"];

/// Kyverno's names that need the cluster or the network, with the API server's.
const KYVERNO_OFFLINE_UNAVAILABLE: &[&str] =
    &["authorizer", "resource", "http", "globalContext", "gctx", "imageData", "generator", "exceptions"];

/// One request's values, converted once for every policy that evaluates it.
pub(crate) struct RequestValues {
    pub object: Cel,
    pub old_object: Cel,
    pub request: Cel,
    pub namespace: Cel,
}

impl RequestValues {
    /// `namespace`: the `namespaceObject` the request sees (none for a cluster-scoped one).
    pub fn new(request: &Request<'_>, namespace: Option<&Value>) -> Self {
        let to_cel = |v: Option<&Value>| v.map_or(Cel::Null, Cel::from_json);
        RequestValues {
            object: to_cel(request.object),
            old_object: to_cel(request.old_object),
            request: request_value(request),
            namespace: to_cel(namespace),
        }
    }

    /// The request's subject as a value: `object`, or `oldObject` when there is no object
    /// (as [`Request::subject`] picks it).
    pub fn subject(&self) -> Cel {
        match &self.object {
            Cel::Null => self.old_object.clone(),
            object => object.clone(),
        }
    }
}

/// `request` as the API server fills it for an admission review.
fn request_value(request: &Request<'_>) -> Cel {
    let object = request.subject();
    let kind = object.map(|o| {
        let api_version = o["apiVersion"].as_str().unwrap_or_default();
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        serde_json::json!({"group": group, "version": version, "kind": o["kind"]})
    });
    let json = serde_json::json!({
        "kind": kind,
        "operation": request.operation.as_str(),
        "name": object.map(|o| o["metadata"]["name"].clone()),
        "namespace": object.map(|o| o["metadata"]["namespace"].clone()),
        "userInfo": request.user_info.cloned().unwrap_or_else(|| serde_json::json!({})),
        "dryRun": request.dry_run,
    });
    Cel::from_json(&json)
}

/// What one CEL policy evaluation sees besides its own variables.
pub(crate) struct Inputs<'a> {
    pub values: &'a RequestValues,
    /// `params` (null without one).
    pub params: Cel,
    /// Gatekeeper: `variables.params` and `variables.anyObject`.
    pub preset: Vec<(String, Cel)>,
    pub kyverno: bool,
    pub gatekeeper: bool,
}

impl<'a> Inputs<'a> {
    /// A VAP's or a Kyverno policy's inputs.
    pub fn admission(values: &'a RequestValues, params: Cel, kyverno: bool) -> Self {
        Inputs { values, params, preset: Vec::new(), kyverno, gatekeeper: false }
    }

    /// The names bound for a policy whose variables are `variables`.
    pub fn bindings<'b>(&'b self, variables: &'b [(String, Rc<Program>)]) -> Bindings<'b> {
        let v = self.values;
        let mut globals = vec![
            ("object", v.object.clone()),
            ("oldObject", v.old_object.clone()),
            ("request", v.request.clone()),
            ("namespaceObject", v.namespace.clone()),
        ];
        // Gatekeeper has `variables.params` and no `params`.
        if !self.gatekeeper {
            globals.push(("params", self.params.clone()));
        }
        Bindings {
            globals,
            variables,
            preset_variables: &self.preset,
            offline_unavailable: if self.kyverno { KYVERNO_OFFLINE_UNAVAILABLE } else { OFFLINE_UNAVAILABLE },
            lenient_or_value: self.kyverno,
        }
    }
}
