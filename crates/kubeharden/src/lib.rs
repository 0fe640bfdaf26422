//! kubeharden: a Kubernetes manifest hardening linter.
//!
//! The core reads manifests (YAML or JSON, many documents) into a position-carrying tree with
//! the API server's scalar semantics, builds a model of the resources, runs the rules of the
//! catalogue and returns a [`Report`] whose findings point at exact lines and columns. It does
//! no I/O: the CLI, the wasm package and the web page all call [`lint`].
//!
//! ```
//! let report = kubeharden::lint_str("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  containers: [{name: app, image: nginx:1.27}]\n", &kubeharden::Config::default());
//! assert!(report.findings.iter().any(|f| f.rule == "pss-host-namespaces" && f.span.start.line == 5));
//! ```

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

// Before the modules that use it (macro_rules scope is textual).
#[macro_use]
mod docs_macro;

pub mod config;
pub mod date;
pub mod engine;
pub mod fix;
pub mod model;
pub mod profile;
pub mod registry;
pub mod report;
pub mod rules;
pub mod sarif;
pub mod schema;
/// The source layer (its own crate so the hot path can be optimised for speed and the rules for size).
pub use kubeharden_source as source;

pub use config::{Config, ConfigError, Profile, RuleSetting};
pub use model::KubeVersion;
pub use report::{Finding, Report, Severity, Span};
pub use source::{Limits, ParsedSource, Source, parse, parse_owned};

/// The version of kubeharden (crates and npm package share it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Lints sources together: cross-resource rules see every object of every source.
pub fn lint(sources: &[Source], config: &Config) -> Report {
    let parsed: Vec<ParsedSource> = sources.iter().map(|s| parse(s, &config.limits)).collect();
    engine::run(&parsed, config)
}

/// Lints sources it may keep: their texts are not copied (front ends that build the sources
/// for one lint, such as the wasm package, save the input's size in memory).
pub fn lint_owned(sources: Vec<Source>, config: &Config) -> Report {
    let parsed: Vec<ParsedSource> = sources.into_iter().map(|s| parse_owned(s, &config.limits)).collect();
    engine::run(&parsed, config)
}

/// Lints already parsed sources (front ends parse files in parallel, then lint them together).
pub fn lint_parsed(sources: &[ParsedSource], config: &Config) -> Report {
    engine::run(sources, config)
}

/// Lints sources with extra sources read only for their CustomResourceDefinitions (the schemas
/// of the custom resources among `sources`; they are not linted).
pub fn lint_with_crds(sources: &[Source], crds: &[Source], config: &Config) -> Report {
    let parsed: Vec<ParsedSource> = sources.iter().map(|s| parse(s, &config.limits)).collect();
    let crds: Vec<ParsedSource> = crds.iter().map(|s| parse(s, &config.limits)).collect();
    engine::run_with_crds(&parsed, &crds, config)
}

/// Lints already parsed sources with parsed CRD sources (see [`lint_with_crds`]).
pub fn lint_parsed_with_crds(sources: &[ParsedSource], crds: &[ParsedSource], config: &Config) -> Report {
    engine::run_with_crds(sources, crds, config)
}

/// Lints one text.
pub fn lint_str(name: &str, text: &str, config: &Config) -> Report {
    lint_owned(vec![Source::new(name, text)], config)
}
