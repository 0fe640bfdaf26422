//! Linting a root without letting a bug in one rule take the server down: a panic while
//! linting the whole folder is caught, then each file is linted on its own so the others still
//! get their findings, and the file that crashes gets one diagnostic saying so.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use kubeharden::{Config, Finding, ParsedSource, Report};

/// The function that lints (the core's; tests pass one that panics).
pub type Linter = fn(&[ParsedSource], &Config) -> Report;

/// The core's lint, then the custom policies that sit among the workspace's files
/// (ConstraintTemplates and their Constraints apply as in a cluster; a template's errors show in
/// its own file), then the x-kubernetes-validations rules of the workspace's CRDs, as the CLI
/// evaluates them.
pub fn with_policies(sources: &[ParsedSource], config: &Config) -> Report {
    let mut report = kubeharden::lint_parsed(sources, config);
    kubeharden_policy::crd_rules::apply(&mut report, sources, &[], config);
    let engines = kubeharden_policy::Engines::built_in();
    let findings = kubeharden_policy::evaluate(sources, &[], &engines, &kubeharden_policy::Options::default());
    let order: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    kubeharden_policy::merge(&mut report, findings, &order);
    report
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings by source name, in the report's order.
    pub findings: HashMap<String, Vec<Finding>>,
    /// Sources whose lint panicked even on their own.
    pub crashed: Vec<String>,
}

pub fn lint(sources: &[ParsedSource], config: &Config, linter: Linter) -> Outcome {
    let mut outcome = Outcome::default();
    match catch_unwind(AssertUnwindSafe(|| linter(sources, config))) {
        Ok(report) => outcome.add(report),
        Err(_) => {
            for source in sources {
                match catch_unwind(AssertUnwindSafe(|| linter(std::slice::from_ref(source), config))) {
                    Ok(report) => outcome.add(report),
                    Err(_) => outcome.crashed.push(source.name.clone()),
                }
            }
        }
    }
    outcome
}

impl Outcome {
    fn add(&mut self, report: Report) {
        for finding in report.findings {
            self.findings.entry(finding.resource.source.clone()).or_default().push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeharden::{Limits, Source, parse};

    fn sources() -> Vec<ParsedSource> {
        [("a.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: nginx:1}]\n"),
         ("boom.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: boom}\nspec:\n  hostPID: true\n  containers: [{name: c, image: nginx:1}]\n")]
            .iter()
            .map(|(n, t)| parse(&Source::new(*n, *t), &Limits::default()))
            .collect()
    }

    fn panics_on_boom(sources: &[ParsedSource], config: &Config) -> Report {
        assert!(sources.iter().all(|s| s.name != "boom.yaml"), "a rule bug");
        kubeharden::lint_parsed(sources, config)
    }

    #[test]
    fn a_panic_costs_only_the_file_that_causes_it() {
        let outcome = lint(&sources(), &Config::default(), panics_on_boom);
        assert_eq!(outcome.crashed, vec!["boom.yaml".to_owned()]);
        assert!(outcome.findings.get("a.yaml").is_some_and(|f| f.iter().any(|f| f.rule == "pss-host-namespaces")));
        assert!(!outcome.findings.contains_key("boom.yaml"));
    }

    #[test]
    fn policies_in_the_workspace_apply() {
        let template = "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: k8snohostnet}\nspec:\n  crd: {spec: {names: {kind: K8sNoHostNet}}}\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: |\n      package k8snohostnet\n      violation[{\"msg\": \"host network\"}] { input.review.object.spec.hostNetwork }\n";
        let constraint =
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sNoHostNet\nmetadata: {name: no-host-net}\n";
        let mut all = sources();
        all.push(parse(&Source::new("template.yaml", template), &Limits::default()));
        all.push(parse(&Source::new("constraint.yaml", constraint), &Limits::default()));
        let outcome = lint(&all, &Config::default(), with_policies);
        let a = outcome.findings.get("a.yaml").unwrap();
        assert!(
            a.iter().any(|f| f.rule == "gatekeeper/K8sNoHostNet/no-host-net" && f.message == "host network"),
            "{a:?}"
        );
    }

    #[test]
    fn crd_validation_rules_in_the_workspace_are_evaluated() {
        let crd = include_str!("../../../kubeharden/tests/fixtures/violated-validation-rule/fail-message.yaml");
        let (crd, object) = crd.split_once("\n---\n").unwrap();
        let all = vec![
            parse(&Source::new("crd.yaml", crd), &Limits::default()),
            parse(&Source::new("widget.yaml", object), &Limits::default()),
        ];
        let outcome = lint(&all, &Config::default(), with_policies);
        let widget = outcome.findings.get("widget.yaml").unwrap();
        let rules: Vec<(&str, &str)> = widget.iter().map(|f| (f.rule.as_str(), f.message.as_str())).collect();
        assert!(
            rules.contains(&("violated-validation-rule", "spec: Invalid value: \"object\": min must not exceed max")),
            "{rules:?}"
        );
        assert!(!rules.iter().any(|(r, _)| *r == "unevaluated-validation-rule"), "{rules:?}");
    }

    #[test]
    fn findings_are_grouped_by_file() {
        let outcome = lint(&sources(), &Config::default(), kubeharden::lint_parsed);
        assert!(outcome.crashed.is_empty());
        for name in ["a.yaml", "boom.yaml"] {
            let findings = outcome.findings.get(name).unwrap();
            assert!(findings.iter().all(|f| f.resource.source == name));
            assert!(findings.iter().any(|f| f.rule == "pss-host-namespaces"), "{name}");
        }
    }
}
