//! `kubeharden_cel_bg.wasm`: kubeharden's policy layer with the CEL engine (kubeharden-cel), a
//! module of its own so that a lint loads it only when its policies need CEL.
//!
//! The facade is kubeharden-policy-wasm's, built here with its `cel` feature instead of `rego`
//! (see that crate for how the package splits a lint's policies between the two modules: each
//! policy is evaluated by exactly one engine, assigned as if both were present, and
//! policy-document errors are reported once, by the plan's first engine). It also evaluates the
//! x-kubernetes-validations rules of CRDs (`applyCrdRules`), which the core wasm cannot: it
//! has no CEL engine.

pub use kubeharden_policy_wasm::{apply_crd_rules, apply_policies, trap_for_testing};
