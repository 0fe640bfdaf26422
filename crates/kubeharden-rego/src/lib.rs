//! kubeharden's Rego engine: Gatekeeper ConstraintTemplates and conftest policies evaluated
//! offline on [regorus](https://github.com/microsoft/regorus), bounded in work and memory.
//!
//! This crate knows Rego and what Gatekeeper and conftest put around it; it does not read
//! policy files or decide which object a Constraint matches (kubeharden-policy does both,
//! for every engine). Its inputs and outputs are JSON values:
//!
//! - [`Template::compile`] takes a template target's Rego and libs, and
//!   [`Template::violations`] evaluates `violation[{"msg", "details"}]` with
//!   `input = {review, parameters}` and `data.inventory` as Gatekeeper's sync builds it
//!   ([`inventory`]).
//! - [`Conftest::compile`] takes `.rego` files and [`Conftest::evaluate`] runs their
//!   `deny`, `violation` and `warn` rules over one object, with `exception` rules.
//!
//! Every problem is a value, never a panic: [`PolicyError`] for a policy that does not
//! compile (with the line and column in the module's own text), [`EvalError`] for one that
//! fails at run time, runs out of its [`Budget`], or needs what is not available offline.
//!
//! ```
//! use kubeharden_rego::{Budget, Module, Template, RegoVersion};
//! let rego = r#"package k8sdemo
//! violation[{"msg": msg}] {
//!   not input.review.object.metadata.labels.owner
//!   msg := sprintf("%v has no owner label", [input.review.object.metadata.name])
//! }"#;
//! let mut template = Template::compile(&Module::new("template.yaml", rego), &[], RegoVersion::V0).unwrap();
//! let input = serde_json::json!({"review": {"object": {"metadata": {"name": "web"}}}, "parameters": {}});
//! let found = template.violations(&input, &Budget::default()).unwrap();
//! assert_eq!(found[0].msg, "web has no owner label");
//! ```

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

pub mod budget;
mod conftest;
mod engine;
mod error;
mod extensions;
pub mod inventory;
mod json;
pub mod position;
mod rewrite;
mod template;

pub use budget::{Budget, Exhausted};
pub use conftest::{Conftest, ConftestResult, ConftestRule};
pub use error::{EvalError, PolicyError};
pub use extensions::time::set_clock;
pub use inventory::Inventory;
pub use json::Document;
pub use template::{Template, Violation};

/// One Rego source: the name it is reported under and its text.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub text: String,
}

impl Module {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Module { name: name.into(), text: text.into() }
    }
}

/// The Rego syntax a module is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegoVersion {
    /// OPA 0.x syntax (`p[x] { ... }`); `import rego.v1` or `future.keywords` opt a module in
    /// to the newer keywords. What Gatekeeper assumes for a template's `rego` field.
    V0,
    /// OPA 1.0 syntax (`p contains x if { ... }`).
    V1,
}
