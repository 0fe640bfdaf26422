//! Exemptions, both ways a user can write one: the config's `exemptions` (every given field
//! must match; `*` and globs) and the `kubeharden.io/ignore` annotation on the object.

use kubeharden::report::{Finding, Report};
use kubeharden::{Config, lint_str};

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
";

fn config(yaml: &str) -> Config {
    Config::from_yaml(yaml).unwrap_or_else(|e| panic!("{yaml}: {e:?}"))
}

fn privileged(report: &Report) -> &Finding {
    let found: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == "pss-privileged").collect();
    assert_eq!(found.len(), 1, "{:?}", report.findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
    found[0]
}

/// Whether the config exemption written as `fields` (YAML flow-mapping entries) hides the
/// privileged finding of `POD`, read from `pod.yaml`.
fn exempts(fields: &str) -> bool {
    let report = lint_str("deploy/pod.yaml", POD, &config(&format!("exemptions:\n- {{{fields}}}\n")));
    let finding = privileged(&report);
    if let Some(s) = &finding.suppressed {
        assert_eq!(s.kind, "config");
    }
    finding.suppressed.is_some()
}

#[test]
fn a_config_exemption_needs_its_rule() {
    assert!(exempts("rules: [pss-privileged]"));
    assert!(exempts("rules: ['*']"));
    assert!(exempts("rules: [image-tag-latest, pss-privileged]"));
    // The other fields all match (absent), so only the rule list can refuse it.
    assert!(!exempts("rules: [image-tag-latest]"));
    assert!(!exempts("rules: []"));
}

#[test]
fn every_field_of_a_config_exemption_must_match() {
    let all = "rules: [pss-privileged], kind: Pod, namespace: shop, name: web, source: deploy/pod.yaml";
    assert!(exempts(all));
    for (field, wrong) in [
        ("kind: Pod", "kind: Deployment"),
        ("namespace: shop", "namespace: shop2"),
        ("name: web", "name: api"),
        ("source: deploy/pod.yaml", "source: other.yaml"),
    ] {
        let one_wrong = all.replace(field, wrong);
        assert!(!exempts(&one_wrong), "{one_wrong}");
        assert!(exempts(&format!("rules: [pss-privileged], {field}")), "{field}");
        assert!(!exempts(&format!("rules: [pss-privileged], {wrong}")), "{wrong}");
    }
}

#[test]
fn config_exemption_fields_take_globs_and_stars() {
    assert!(exempts("rules: [pss-privileged], kind: '*', namespace: '*', name: '*', source: '*'"));
    assert!(exempts("rules: [pss-privileged], namespace: 'sh*', name: '*b', source: 'deploy/*.yaml'"));
    assert!(!exempts("rules: [pss-privileged], namespace: 'kube-*'"));
    assert!(!exempts("rules: [pss-privileged], source: '*.json'"));
}

#[test]
fn an_object_without_namespace_is_exempted_as_in_default() {
    // kubectl puts it in `default`, so that is the namespace an exemption sees.
    let pod = POD.replace("  namespace: shop\n", "");
    let report = lint_str("pod.yaml", &pod, &config("exemptions:\n- {rules: [pss-privileged], namespace: default}\n"));
    assert!(privileged(&report).suppressed.is_some());
    let report = lint_str("pod.yaml", &pod, &config("exemptions:\n- {rules: [pss-privileged], namespace: shop}\n"));
    assert!(privileged(&report).suppressed.is_none());
}

#[test]
fn a_config_exemption_keeps_its_reason() {
    let report = lint_str("pod.yaml", POD, &config("exemptions:\n- {rules: [pss-privileged], reason: node agent}\n"));
    let suppressed = privileged(&report).suppressed.as_deref().cloned().unwrap();
    assert_eq!((suppressed.kind.as_str(), suppressed.reason.as_deref()), ("config", Some("node agent")));
}

fn annotated(ignore: &str) -> String {
    POD.replace(
        "  namespace: shop\n",
        &format!("  namespace: shop\n  annotations:\n    kubeharden.io/ignore: \"{ignore}\"\n"),
    )
}

fn rules_of(report: &Report, active: bool) -> Vec<&str> {
    report.findings.iter().filter(|f| f.suppressed.is_none() == active).map(|f| f.rule.as_str()).collect()
}

#[test]
fn the_annotation_takes_a_rule_id_or_all_or_a_star() {
    for list in ["pss-privileged", "all", "*", "image-tag-latest, pss-privileged"] {
        let report = lint_str("pod.yaml", &annotated(list), &Config::default());
        let finding = privileged(&report);
        assert_eq!(finding.suppressed.as_ref().map(|s| s.kind.as_str()), Some("annotation"), "{list}");
    }
    let report = lint_str("pod.yaml", &annotated("image-tag-latest"), &Config::default());
    assert!(privileged(&report).suppressed.is_none());
}

#[test]
fn a_listed_rule_that_is_turned_off_is_not_called_unused() {
    let off = config("rules:\n  pss-run-as-non-root: off\n");
    let report = lint_str("pod.yaml", &annotated("pss-run-as-non-root"), &off);
    assert!(!rules_of(&report, true).contains(&"unused-exemption"), "{:?}", rules_of(&report, true));
    // Turned on, the same rule has findings here, so the exemption is used.
    let report = lint_str("pod.yaml", &annotated("pss-run-as-non-root"), &Config::default());
    assert!(rules_of(&report, false).contains(&"pss-run-as-non-root"));
    assert!(!rules_of(&report, true).contains(&"unused-exemption"));
    // A rule that runs and finds nothing on the object: unused.
    let report = lint_str("pod.yaml", &annotated("pss-host-ports"), &Config::default());
    assert!(rules_of(&report, true).contains(&"unused-exemption"), "{:?}", rules_of(&report, true));
}

#[test]
fn findings_about_exemptions_cannot_be_exempted() {
    let everything = config("exemptions:\n- {rules: ['*']}\n");
    let report = lint_str("pod.yaml", &annotated("not-a-rule"), &everything);
    assert!(rules_of(&report, true).contains(&"unused-exemption"), "{:?}", rules_of(&report, true));
    assert!(privileged(&report).suppressed.is_some());
    let report = lint_str("pod.yaml", &annotated("*, not-a-rule"), &Config::default());
    assert!(rules_of(&report, true).contains(&"unused-exemption"), "{:?}", rules_of(&report, true));
}

#[test]
fn a_config_exemption_wins_over_the_annotation_when_both_match() {
    // The config is applied first; the annotation then finds the finding already exempted, so
    // it exempts nothing (removing it changes no result) and is called unused.
    let both = config("exemptions:\n- {rules: [pss-privileged], reason: from the config}\n");
    let report = lint_str("pod.yaml", &annotated("pss-privileged"), &both);
    let suppressed = privileged(&report).suppressed.as_deref().cloned().unwrap();
    assert_eq!((suppressed.kind.as_str(), suppressed.reason.as_deref()), ("config", Some("from the config")));
    assert!(rules_of(&report, true).contains(&"unused-exemption"), "{:?}", rules_of(&report, true));
}
