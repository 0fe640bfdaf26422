//! Why an expression has no value: a runtime error, the budget, or what needs the cluster.

use crate::value::Value;

/// Why an expression has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// A CEL runtime error (no such key, no matching overload, division by zero...).
    Runtime,
    /// The cost budget ran out: not absorbable, ends the evaluation.
    Budget,
    /// Needs the cluster or the network: not evaluable offline.
    NotEvaluable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub message: String,
}

impl EvalError {
    pub fn runtime(message: impl Into<String>) -> Self {
        EvalError { kind: ErrorKind::Runtime, message: message.into() }
    }

    pub fn not_evaluable(message: impl Into<String>) -> Self {
        EvalError { kind: ErrorKind::NotEvaluable, message: message.into() }
    }

    pub fn no_overload(function: &str, args: &[Value]) -> Self {
        let types: Vec<&str> = args.iter().map(Value::type_name).collect();
        EvalError::runtime(format!("no such overload: {function}({})", types.join(", ")))
    }
}

pub type Result<T> = std::result::Result<T, EvalError>;
