//! Kyverno `ValidatingPolicy` (policies.kyverno.io): the VAP shape with the policy's own
//! `validationActions`, Kyverno's libraries, and autogen for pod controllers.

use crate::cluster::Cluster;
use crate::inputs::{Inputs, RequestValues};
use crate::matching::Target;
use crate::policy::Policy;
use crate::value::Value as Cel;
use crate::{Budget, Decision, Request};

pub(crate) fn admit(
    policy: &Policy,
    request: &Request<'_>,
    target: &Target<'_>,
    values: &RequestValues,
    budget: &Budget,
    out: &mut Vec<Decision>,
) {
    let inputs = Inputs::admission(values, Cel::Null, true);
    let rules =
        std::iter::once((&policy.match_constraints, &policy.cel)).chain(policy.autogen.iter().map(|(m, c)| (m, c)));
    for (constraints, cel) in rules {
        if !constraints.matches(target, request, true) {
            continue;
        }
        for outcome in cel.evaluate(&inputs, &policy.actions, budget) {
            out.push(Decision {
                policy: policy.name.clone(),
                kind: policy.kind.as_str().into(),
                binding: None,
                outcome,
            });
        }
    }
}

/// Whether a Kyverno policy (or one of its autogen rules) matches the request, match
/// conditions included: `kyverno test` reports `skip` otherwise.
pub fn applies(policy: &Policy, request: &Request<'_>, cluster: &Cluster<'_>) -> bool {
    let Some(object) = request.subject() else { return false };
    let target = Target::of(object, cluster);
    let rules =
        std::iter::once((&policy.match_constraints, &policy.cel)).chain(policy.autogen.iter().map(|(m, c)| (m, c)));
    let namespace =
        if target.namespaced { Some(crate::matching::namespace_object(target.namespace, cluster)) } else { None };
    let values = RequestValues::new(request, namespace.as_ref());
    let inputs = Inputs::admission(&values, Cel::Null, true);
    rules.into_iter().any(|(m, cel)| m.matches(&target, request, true) && cel.conditions_hold(&inputs))
}
