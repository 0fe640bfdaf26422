//! What checks read of the configuration: the few settings that change what a rule reports,
//! taken out of [`crate::Config`] once per lint by the engine, so that rules depend neither
//! on the config's format nor on its rule table.

use crate::Config;

use super::Family;

#[derive(Clone, Copy, Debug)]
pub struct Settings<'c> {
    /// RuntimeClass names (or handlers) that count as sandboxes (`missing-runtime-class`);
    /// empty: any RuntimeClass does.
    pub sandbox_runtime_classes: &'c [String],
    /// Helm test hooks get no resource findings.
    pub skip_helm_test_hooks: bool,
    /// Findings kept per rule and object before the rest are counted.
    pub max_findings_per_rule: usize,
    /// Whether schema validation runs: some rule of the schema family is on.
    pub schema: bool,
}

impl<'c> Settings<'c> {
    pub fn of(config: &'c Config) -> Self {
        Settings {
            sandbox_runtime_classes: &config.sandbox_runtime_classes,
            skip_helm_test_hooks: config.skip_helm_test_hooks,
            max_findings_per_rule: config.limits.max_findings_per_rule,
            schema: crate::rules::all()
                .filter(|r| r.family == Family::Schema)
                .any(|r| config.rule_severity(r).is_some()),
        }
    }
}
