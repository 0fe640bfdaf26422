//! A set of compiled policies and bindings, and admission of one request through them as
//! the API server does it: each binding of a policy that matches gives that policy's
//! decision with the binding's params and actions.

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use serde_json::Value;

use crate::cluster::Cluster;
use crate::inputs::{Inputs, RequestValues};
use crate::matching::{LabelSelector, Target, namespace_object};
use crate::policy::{Binding, Policy, PolicyKind};
use crate::value::Value as Cel;
use crate::{Budget, CompileError, CompileOptions, Decision, EvalFailure, Outcome, Request};

/// Compiled policies and bindings.
#[derive(Debug, Default)]
pub struct PolicySet {
    options: CompileOptions,
    pub policies: Vec<Policy>,
    pub bindings: Vec<Binding>,
    /// For each policy (by position), the positions in `bindings` of the bindings that name
    /// it, in input order: every request asks for each policy's bindings.
    bindings_of: Vec<Vec<usize>>,
    /// Names of the ValidatingAdmissionPolicies that did not compile: their bindings name a
    /// policy of the input, whose own errors are reported.
    rejected: Vec<String>,
    /// Cost limits of each policy evaluation.
    pub budget: Budget,
}

/// Whether a document is one this engine compiles.
pub fn is_cel_policy(doc: &Value) -> bool {
    let api = doc["apiVersion"].as_str().unwrap_or_default();
    let kind = doc["kind"].as_str().unwrap_or_default();
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    matches!(
        (group, kind),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding")
            | ("policies.kyverno.io", "ValidatingPolicy")
    )
}

impl PolicySet {
    pub fn new(options: CompileOptions) -> Self {
        PolicySet { options, ..PolicySet::default() }
    }

    /// Compiles `doc` into the set: `None` when it is not a VAP, a binding or a Kyverno
    /// ValidatingPolicy.
    pub fn add(&mut self, doc: &Value) -> Option<Result<(), Vec<CompileError>>> {
        if !is_cel_policy(doc) {
            return None;
        }
        Some(if doc["kind"] == "ValidatingAdmissionPolicyBinding" {
            Binding::compile(doc).map(|b| {
                for (policy, bound) in self.policies.iter().zip(&mut self.bindings_of) {
                    if policy.name == b.policy_name {
                        bound.push(self.bindings.len());
                    }
                }
                self.bindings.push(b);
            })
        } else {
            let compiled = Policy::compile(doc, &self.options);
            if compiled.is_err() && doc["kind"] == "ValidatingAdmissionPolicy" {
                self.rejected.push(doc["metadata"]["name"].as_str().unwrap_or_default().to_string());
            }
            compiled.map(|p| {
                self.bindings_of.push(
                    self.bindings.iter().enumerate().filter(|(_, b)| b.policy_name == p.name).map(|(i, _)| i).collect(),
                );
                self.policies.push(p);
            })
        })
    }

    /// Bindings that name no policy of the set (a policy that did not compile still counts
    /// as named: its errors are its own findings).
    pub fn unbound(&self) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(|b| {
            !self.policies.iter().any(|p| p.kind == PolicyKind::ValidatingAdmissionPolicy && p.name == b.policy_name)
                && !self.rejected.contains(&b.policy_name)
        })
    }

    /// Every decision of the set's policies about `request`.
    pub fn admit(&self, request: &Request<'_>, cluster: &Cluster<'_>) -> Vec<Decision> {
        let mut out = Vec::new();
        let Some(object) = request.subject() else { return out };
        let target = Target::of(object, cluster);
        let namespace = if target.namespaced { Some(namespace_object(target.namespace, cluster)) } else { None };
        // Converted once here for every policy and binding below.
        let values = RequestValues::new(request, namespace.as_ref());
        for (policy, bound) in self.policies.iter().zip(&self.bindings_of) {
            match policy.kind {
                PolicyKind::ValidatingAdmissionPolicy => {
                    for binding in bound.iter().filter_map(|&i| self.bindings.get(i)) {
                        self.admit_binding(policy, binding, request, &target, &values, cluster, &mut out);
                    }
                }
                PolicyKind::ValidatingPolicy => {
                    crate::kyverno::admit(policy, request, &target, &values, &self.budget, &mut out);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn admit_binding(
        &self,
        policy: &Policy,
        binding: &Binding,
        request: &Request<'_>,
        target: &Target<'_>,
        values: &RequestValues,
        cluster: &Cluster<'_>,
        out: &mut Vec<Decision>,
    ) {
        if !policy.match_constraints.matches(target, request, true) {
            return;
        }
        if let Some(m) = &binding.match_resources
            && !m.matches(target, request, false)
        {
            return;
        }
        let decision = |outcome| Decision {
            policy: policy.name.clone(),
            kind: policy.kind.as_str().into(),
            binding: Some(binding.name.clone()),
            outcome,
        };
        // Params: none without paramKind; else each object the paramRef selects, the
        // policy evaluated once per params object.
        let params: Vec<Cel> = match (&policy.param_kind, &binding.param_ref) {
            (None, _) => vec![Cel::Null],
            (Some(_), None) => {
                out.push(decision(Outcome::Error(EvalFailure {
                    pointer: "/spec/paramRef".into(),
                    message: format!(
                        "failed to configure binding: no paramRef in binding {} of a policy with paramKind",
                        binding.name
                    ),
                    actions: binding.actions.clone(),
                })));
                return;
            }
            (Some((api_version, kind)), Some(param_ref)) => {
                let ns = param_ref.namespace.clone().unwrap_or_else(|| target.namespace.to_string());
                let selector = param_ref.selector.as_ref().map(LabelSelector::parse);
                let found: Vec<usize> = cluster
                    .positions_of_kind(api_version, kind)
                    .filter(|&i| {
                        let Some(o) = cluster.objects().get(i) else { return false };
                        let o_ns = o["metadata"]["namespace"].as_str().unwrap_or_default();
                        // A cluster-scoped params object has no namespace; a namespaced one
                        // is looked up in the paramRef's namespace, or the request's.
                        (o_ns.is_empty() || o_ns == ns || (param_ref.namespace.is_none() && !target.namespaced))
                            && param_ref.name.as_ref().is_none_or(|n| o["metadata"]["name"] == n.as_str())
                            && selector.as_ref().is_none_or(|s| s.matches(&o["metadata"]["labels"]))
                    })
                    .collect();
                if found.is_empty() {
                    if param_ref.deny_when_missing {
                        out.push(decision(Outcome::Error(EvalFailure {
                            pointer: "/spec/paramRef".into(),
                            message: format!(
                                "no params found for policy binding with `Deny` parameterNotFoundAction ({kind} {})",
                                param_ref.name.as_deref().unwrap_or("by selector")
                            ),
                            actions: binding.actions.clone(),
                        })));
                    }
                    return;
                }
                // Each params object is converted once per cluster, for every request.
                found.into_iter().map(|i| cluster.cel_value(i)).collect()
            }
        };
        for p in params {
            let inputs = Inputs::admission(values, p, false);
            for outcome in policy.cel.evaluate(&inputs, &binding.actions, &self.budget) {
                out.push(decision(outcome));
            }
        }
    }
}
