//! The entry point of the CEL language conformance test (tests/cel_spec.rs, the cel-spec
//! suite): one expression compiled and evaluated as a policy's expressions are (the same
//! parser options, name check, libraries and cost budget, at the newest Kubernetes version),
//! with the test's own variables in place of `object`, `params` and the others.
//!
//! Not an API: hidden from the docs, used by that test only.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::compile::{self, Program, Scope};
use crate::eval::{Bindings, Evaluator};
use crate::value::Value;
use crate::{Budget, KubernetesVersion};

/// Why an expression has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// It does not parse, or names what the environment does not declare.
    Compile(String),
    /// It fails when evaluated (or runs out of budget).
    Eval(String),
}

thread_local! {
    /// The scope and the bindings name variables with `&'static str` (policies' names are
    /// fixed); a test's names are leaked once each, a few hundred bytes for the whole suite.
    static NAMES: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
}

fn intern(name: &str) -> &'static str {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(n) = names.get(name) {
            return *n;
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        names.insert(leaked);
        leaked
    })
}

/// Evaluates `expr` with `bindings` as its variables. `declared` names variables that the
/// check accepts though they may have no value; `check: false` skips the name check (cel-spec's
/// `disable_check`), leaving unknown names to fail at run time.
pub fn evaluate(expr: &str, declared: &[String], bindings: &[(String, Value)], check: bool) -> Result<Value, Failure> {
    let mut names: Vec<&'static str> = declared.iter().map(|n| intern(n)).collect();
    names.extend(bindings.iter().map(|(n, _)| intern(n)));
    let scope = Scope { names, variables: Vec::new(), version: KubernetesVersion::default(), kyverno: false };
    let joined = |errors: Vec<compile::CompileError>| {
        Failure::Compile(errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; "))
    };
    let program = if check {
        compile::compile(expr, "", &scope).map_err(joined)?
    } else {
        let parsed = compile::parse(expr, "", &scope).map_err(joined)?;
        Program { source: expr.to_string(), expr: parsed }
    };
    let bindings =
        Bindings { globals: bindings.iter().map(|(n, v)| (intern(n), v.clone())).collect(), ..Bindings::default() };
    let mut evaluator = Evaluator::new(&bindings, scope.version, Budget::default());
    evaluator.run(&program).map_err(|e| Failure::Eval(e.message))
}
