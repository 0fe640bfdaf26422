//! Renamed rules: every former ID still means its rule wherever a user can write one (the
//! config's `rules` and `exemptions`, the `kubeharden.io/ignore` annotation, `explain`), and
//! reports use the current ID.

use kubeharden::registry::{self, renamed::RENAMED};
use kubeharden::{Config, lint_str};

const APISERVER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  annotations: {}
spec:
  hostNetwork: true
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.36.2
    command:
    - kube-apiserver
    - --anonymous-auth=false
";

fn rules_found(text: &str, config: &Config) -> Vec<String> {
    lint_str("apiserver.yaml", text, config).active().map(|f| f.rule.clone()).collect()
}

#[test]
fn every_former_id_finds_its_rule_and_no_current_rule() {
    for (old, new) in RENAMED {
        assert_eq!(registry::find(old).map(|r| r.id), Some(*new), "{old}");
        assert!(registry::all().all(|r| r.id != *old), "{old} is both former and current");
        assert!(registry::names(old, registry::find(new).unwrap()));
    }
}

#[test]
fn reports_use_the_current_id() {
    let found = rules_found(APISERVER, &Config::default());
    assert!(found.iter().any(|r| r == "apiserver-profiling-enabled"), "{found:?}");
    assert!(!found.iter().any(|r| r == "apiserver-profiling"), "{found:?}");
}

#[test]
fn a_config_setting_with_a_former_id_applies() {
    let config = Config::from_yaml("rules:\n  apiserver-profiling: off\n").unwrap();
    assert!(!rules_found(APISERVER, &config).iter().any(|r| r == "apiserver-profiling-enabled"));
    // A setting under the current ID wins over one under the former ID.
    let both = Config::from_yaml("rules:\n  apiserver-profiling: off\n  apiserver-profiling-enabled: on\n").unwrap();
    assert!(rules_found(APISERVER, &both).iter().any(|r| r == "apiserver-profiling-enabled"));
}

#[test]
fn a_config_exemption_with_a_former_id_applies() {
    let config =
        Config::from_yaml("exemptions:\n- rules: [apiserver-profiling]\n  kind: Pod\n  reason: profiled on purpose\n")
            .unwrap();
    let report = lint_str("apiserver.yaml", APISERVER, &config);
    let profiling: Vec<_> = report.findings.iter().filter(|f| f.rule == "apiserver-profiling-enabled").collect();
    assert_eq!(profiling.len(), 1);
    assert!(profiling[0].suppressed.is_some(), "{profiling:?}");
}

#[test]
fn an_annotation_with_a_former_id_exempts() {
    let text = APISERVER.replace(
        "annotations: {}",
        "annotations:\n    kubeharden.io/ignore: apiserver-profiling\n    kubeharden.io/ignore-reason: profiled on purpose",
    );
    let report = lint_str("apiserver.yaml", &text, &Config::default());
    let profiling: Vec<_> = report.findings.iter().filter(|f| f.rule == "apiserver-profiling-enabled").collect();
    assert_eq!(profiling.len(), 1);
    assert!(profiling[0].suppressed.is_some(), "{profiling:?}");
    assert!(!report.findings.iter().any(|f| f.rule == "unused-exemption"), "{:?}", report.findings);
}

#[test]
fn explain_and_rule_metadata_name_the_former_id() {
    let rule = registry::find("apiserver-profiling-enabled").unwrap();
    assert!(registry::explain(rule).contains("- Formerly: `apiserver-profiling` (still accepted)"));
    let meta = registry::meta(rule);
    assert_eq!(meta.former_ids, vec!["apiserver-profiling"]);
    assert!(registry::meta(registry::find("pss-privileged").unwrap()).former_ids.is_empty());
}
