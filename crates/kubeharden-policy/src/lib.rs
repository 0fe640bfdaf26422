//! kubeharden's policy layer: custom policies, the same in every front end and for every
//! engine.
//!
//! - Where policies come from is the front end's business (`--policy`, `policies:` in the
//!   config, the npm `policies` option, the LSP workspace); they arrive here as parsed
//!   sources, beside the linted manifests.
//! - [`document`] reads policy documents with positions: Gatekeeper ConstraintTemplates (Rego
//!   and/or CEL code) and Constraints, conftest `.rego` files, and the admission policies the
//!   CEL engine evaluates. Policy documents among the linted manifests apply too, as they
//!   would in a cluster.
//! - [`matching`] is Gatekeeper's Constraint `match`, the one implementation.
//! - [`engine`] is the seam a policy language plugs into ([`rego`] with the `rego` feature;
//!   kubeharden-cel for CEL).
//! - [`run::evaluate`] reviews every object and gives findings (a `policy` object on each,
//!   severity from the enforcement action, a position at the field the violation names);
//!   [`merge`] adds them to the core's report; [`verify`] runs Gatekeeper `gator verify`
//!   suites.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

#[cfg(feature = "cel")]
pub mod cel;
#[cfg(feature = "cel")]
pub mod crd_rules;
pub mod document;
pub mod engine;
pub mod finding;
pub mod matching;
pub mod path;
#[cfg(feature = "rego")]
pub mod rego;
pub mod run;
pub mod shared;
pub mod verify;

use kubeharden::Finding;
use kubeharden::report::Report;

pub use engine::{EngineKind, Engines, Preference};
pub use run::{Options, Share, evaluate, plan};

/// Adds policy findings to a report, in the report's order (source, document, position, rule,
/// message), and counts them in its summary. `order` is the order of the sources (linted
/// files first, then policy files); a finding in a source not listed goes last.
pub fn merge(report: &mut Report, findings: Vec<Finding>, order: &[&str]) {
    if findings.is_empty() {
        return;
    }
    report.findings.extend(findings);
    let rank = |f: &Finding| order.iter().position(|s| *s == f.resource.source).unwrap_or(order.len());
    report.findings.sort_by(|a, b| {
        (rank(a), a.resource.document, a.span.start.offset, a.span.end.offset, &a.rule, &a.message, &a.path).cmp(&(
            rank(b),
            b.resource.document,
            b.span.start.offset,
            b.span.end.offset,
            &b.rule,
            &b.message,
            &b.path,
        ))
    });
    report.summary.count(&report.findings);
}

/// Installs the wall clock Rego's `time.now_ns` reads (nanoseconds since the Unix epoch).
#[cfg(feature = "rego")]
pub fn set_clock(clock: fn() -> i64) {
    kubeharden_rego::set_clock(clock);
}
