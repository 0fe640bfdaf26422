//! The API server's CEL cost limits.
//!
//! Every evaluation step, and every byte a string or list function touches, costs as
//! cel-go's runtime cost tracker counts it (one unit per node visited, a tenth of a unit per
//! byte scanned or built). An expression that spends more than `per_expression` stops with
//! the API server's message, as does a policy whose expressions together spend more than
//! `per_policy`: a hostile policy ends in bounded time and memory on every front end.

/// Cost limits of one policy evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// `PerCallLimit` of k8s.io/apiserver/pkg/apis/cel: one expression's runtime cost.
    pub per_expression: u64,
    /// `RuntimeCELCostBudget`: all the expressions of one policy for one request.
    pub per_policy: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { per_expression: 1_000_000, per_policy: 10_000_000 }
    }
}
