//! Gatekeeper ConstraintTemplates whose code is `K8sNativeValidation`.

use serde_json::Value;

use crate::policy::CelPolicy;
use crate::{Budget, CompileError, CompileOptions, Outcome, Request};

/// A template's CEL code, compiled. Constraint matching is the policy layer's; it calls
/// [`GatekeeperTemplate::evaluate`] for each object a Constraint matches.
#[derive(Debug)]
pub struct GatekeeperTemplate {
    /// The Constraint kind the template defines (`spec.crd.spec.names.kind`).
    pub kind: String,
    /// `metadata.name` of the template.
    pub name: String,
    pub(crate) policy: CelPolicy,
}

impl GatekeeperTemplate {
    /// Compiles the `K8sNativeValidation` source of a ConstraintTemplate; `None` when the
    /// template has no such code (a Rego-only template).
    pub fn compile(doc: &Value, options: &CompileOptions) -> Option<Result<GatekeeperTemplate, Vec<CompileError>>> {
        crate::policy::compile_gatekeeper(doc, options)
    }

    /// Evaluates the template for one object, with the Constraint's `spec.parameters` as
    /// `variables.params`. Violations carry the Constraint's actions (`enforcementAction`)
    /// as the caller gives them.
    pub fn evaluate(
        &self,
        request: &Request<'_>,
        parameters: Option<&Value>,
        namespace: Option<&Value>,
        budget: &Budget,
    ) -> Vec<Outcome> {
        crate::policy::evaluate_gatekeeper(self, request, parameters, namespace, budget)
    }
}
