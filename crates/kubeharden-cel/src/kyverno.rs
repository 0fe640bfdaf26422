//! Kyverno `ValidatingPolicy` (policies.kyverno.io): the VAP shape with the policy's own
//! `validationActions`, Kyverno's libraries, and autogen for pod controllers.

use serde_json::Value;

use crate::cluster::Cluster;
use crate::matching::Target;
use crate::policy::{Inputs, Policy};
use crate::{Budget, Decision, Request};

pub(crate) fn admit(
    policy: &Policy,
    request: &Request<'_>,
    target: &Target<'_>,
    namespace: Option<&Value>,
    cluster: &Cluster<'_>,
    budget: &Budget,
    out: &mut Vec<Decision>,
) {
    if !policy.match_constraints.matches(target, request, cluster, true) {
        return;
    }
    let inputs = Inputs { request, params: None, namespace, preset: Vec::new(), kyverno: true, gatekeeper: false };
    for outcome in policy.cel.evaluate(&inputs, &policy.actions, budget) {
        out.push(Decision { policy: policy.name.clone(), kind: policy.kind.as_str().into(), binding: None, outcome });
    }
}
