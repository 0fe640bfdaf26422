//! A Gatekeeper ConstraintTemplate target in Rego: `violation[{"msg": msg, "details": d}]`
//! evaluated with `input = {"review": ..., "parameters": ...}` and `data.inventory`.

use regorus::Value;

use crate::engine::Policy;
use crate::error::{EvalError, PolicyError};
use crate::json::{self, Document};
use crate::{Budget, Module, RegoVersion};

/// One result of a template's `violation` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub msg: String,
    /// `details` as the rule gave it (`null` when absent).
    pub details: serde_json::Value,
}

/// A compiled template: compile once per lint, then evaluate each reviewed object.
#[derive(Clone, Debug)]
pub struct Template {
    policy: Policy,
    rule: String,
}

impl Template {
    /// Compiles a template target's `rego` (module 0 in errors) with its `libs` (modules
    /// 1..). Gatekeeper reads a template's Rego as v0 unless its `code` source asks for v1.
    pub fn compile(rego: &Module, libs: &[Module], version: RegoVersion) -> Result<Template, Vec<PolicyError>> {
        let mut modules = Vec::with_capacity(libs.len() + 1);
        modules.push((rego.clone(), version));
        modules.extend(libs.iter().map(|l| (l.clone(), version)));
        let policy = Policy::compile(&modules)?;
        let package = policy.packages.first().cloned().unwrap_or_default();
        let rule = format!("{}.violation", qualified(&package));
        Ok(Template { policy, rule })
    }

    /// Sets `data.inventory` for the evaluations that follow (see [`crate::inventory`]).
    pub fn set_inventory(&mut self, inventory: &serde_json::Value) -> Result<(), PolicyError> {
        self.set_inventory_document(&Document::from_json(inventory))
    }

    /// [`Template::set_inventory`] with the inventory converted once for every template.
    pub fn set_inventory_document(&mut self, inventory: &Document) -> Result<(), PolicyError> {
        self.policy.set_data(json::object([("inventory", inventory.0.clone())]))
    }

    /// The violations for one review. `input` is `{"review": ..., "parameters": ...}`.
    pub fn violations(&mut self, input: &serde_json::Value, budget: &Budget) -> Result<Vec<Violation>, EvalError> {
        self.violations_of_value(json::to_rego(input), budget)
    }

    /// [`Template::violations`] with `input = {"review": review, "parameters": parameters}`
    /// built from the parts: the review is converted once for every Constraint (reviews of
    /// large objects against many Constraints are most of a lint's policy time).
    pub fn review(
        &mut self,
        review: &Document,
        parameters: &serde_json::Value,
        budget: &Budget,
    ) -> Result<Vec<Violation>, EvalError> {
        let input = json::object([("review", review.0.clone()), ("parameters", json::to_rego(parameters))]);
        self.violations_of_value(input, budget)
    }

    fn violations_of_value(&mut self, input: Value, budget: &Budget) -> Result<Vec<Violation>, EvalError> {
        let value = self.policy.eval_rule(&self.rule, input, budget)?;
        let mut out = Vec::new();
        match value {
            Value::Undefined | Value::Null => {}
            Value::Set(items) => {
                for item in items.iter() {
                    out.push(violation_of(item)?);
                }
            }
            Value::Array(items) => {
                for item in items.iter() {
                    out.push(violation_of(item)?);
                }
            }
            other => return Err(not_a_set(&other)),
        }
        Ok(out)
    }
}

fn qualified(package: &str) -> String {
    if package.starts_with("data.") || package == "data" { package.to_string() } else { format!("data.{package}") }
}

fn violation_of(item: &Value) -> Result<Violation, EvalError> {
    let msg = match &item["msg"] {
        Value::String(s) => s.to_string(),
        Value::Undefined => return Err(runtime("a violation has no \"msg\" (expected violation[{\"msg\": msg}])")),
        other => return Err(runtime(&format!("a violation's \"msg\" must be a string, not {other}"))),
    };
    let details = match &item["details"] {
        Value::Undefined => serde_json::Value::Null,
        d => serde_json::to_value(d).unwrap_or(serde_json::Value::Null),
    };
    Ok(Violation { msg, details })
}

fn not_a_set(v: &Value) -> EvalError {
    runtime(&format!("`violation` must be a set of objects, not {v}"))
}

fn runtime(message: &str) -> EvalError {
    EvalError::Runtime(PolicyError { module: 0, line: 1, column: 1, offset: 0, message: message.to_string() })
}
