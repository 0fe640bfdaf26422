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

use std::cell::OnceCell;
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

/// One request's values, converted once for every policy that evaluates it, and only when a
/// policy first does: most objects of a lint match no policy, and for those nothing is
/// converted.
pub(crate) struct RequestValues<'r> {
    request: &'r Request<'r>,
    namespace_json: Option<&'r Value>,
    object: OnceCell<Cel>,
    old_object: OnceCell<Cel>,
    request_value: OnceCell<Cel>,
    namespace: OnceCell<Cel>,
}

fn to_cel(v: Option<&Value>) -> Cel {
    v.map_or(Cel::Null, Cel::from_json)
}

impl<'r> RequestValues<'r> {
    /// `namespace`: the `namespaceObject` the request sees (none for a cluster-scoped one).
    pub fn new(request: &'r Request<'r>, namespace: Option<&'r Value>) -> Self {
        RequestValues {
            request,
            namespace_json: namespace,
            object: OnceCell::new(),
            old_object: OnceCell::new(),
            request_value: OnceCell::new(),
            namespace: OnceCell::new(),
        }
    }

    pub fn object(&self) -> Cel {
        self.object.get_or_init(|| to_cel(self.request.object)).clone()
    }

    pub fn old_object(&self) -> Cel {
        self.old_object.get_or_init(|| to_cel(self.request.old_object)).clone()
    }

    pub fn request(&self) -> Cel {
        self.request_value.get_or_init(|| request_value(self.request)).clone()
    }

    pub fn namespace(&self) -> Cel {
        self.namespace.get_or_init(|| to_cel(self.namespace_json)).clone()
    }

    /// The request's subject as a value: `object`, or `oldObject` when there is no object
    /// (as [`Request::subject`] picks it).
    pub fn subject(&self) -> Cel {
        if self.request.object.is_some_and(|o| !o.is_null()) { self.object() } else { self.old_object() }
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
    pub values: &'a RequestValues<'a>,
    /// `params` (null without one).
    pub params: Cel,
    /// Gatekeeper: `variables.params` and `variables.anyObject`.
    pub preset: Vec<(String, Cel)>,
    pub kyverno: bool,
    pub gatekeeper: bool,
}

impl<'a> Inputs<'a> {
    /// A VAP's or a Kyverno policy's inputs.
    pub fn admission(values: &'a RequestValues<'a>, params: Cel, kyverno: bool) -> Self {
        Inputs { values, params, preset: Vec::new(), kyverno, gatekeeper: false }
    }

    /// The names bound for a policy whose variables are `variables`.
    pub fn bindings<'b>(&'b self, variables: &'b [(String, Rc<Program>)]) -> Bindings<'b> {
        let v = self.values;
        let mut globals = vec![
            ("object", v.object()),
            ("oldObject", v.old_object()),
            ("request", v.request()),
            ("namespaceObject", v.namespace()),
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
