//! The npm package's split (one module per engine): evaluating each engine of the [`plan`] with
//! its share, the first as the lead, gives exactly the findings of one evaluation with every
//! engine, each once, under every preference; the plan names only the engines needed.

use kubeharden::{Limits, Source};
use kubeharden_policy::{EngineKind, Engines, Options, Preference, Share, evaluate, plan};
use kubeharden_source::ParsedSource;

const TEMPLATE_BOTH: &str = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sreplicas}
spec:
  crd:
    spec:
      names: {kind: K8sReplicas}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package k8sreplicas
      violation[{"msg": "too many (rego)"}] { input.review.object.spec.replicas > 5 }
    code:
    - engine: K8sNativeValidation
      source:
        validations:
        - expression: "object.spec.replicas <= 5"
          message: "too many (cel)"
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sReplicas
metadata: {name: replicas}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sMissing
metadata: {name: orphan}
"#;

const VAP: &str = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: named}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
  - expression: "object.metadata.name != 'web'"
    message: no web
  - expression: "object.metadata.name !="
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: named}
spec: {policyName: named, validationActions: [Warn]}
"#;

const CONFTEST: &str = "package main\ndeny contains \"conftest\" if { input.kind == \"Deployment\" }\n";
const BROKEN_CONFTEST: &str = "package other\ndeny contains msg if {\n";

const DEPLOYMENT: &str =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 9\n";

fn parse(name: &str, text: &str) -> ParsedSource {
    kubeharden::parse_owned(Source { name: name.into(), text: text.into() }, &Limits::default())
}

fn json(findings: &[kubeharden::Finding]) -> Vec<String> {
    let mut out: Vec<String> = findings.iter().map(|f| serde_json::to_string(f).expect("json")).collect();
    out.sort();
    out
}

#[test]
fn the_shares_of_the_plan_add_up_to_one_evaluation_with_every_engine() {
    let manifests = vec![parse("deploy.yaml", DEPLOYMENT)];
    let all_policies = [
        ("template.yaml", TEMPLATE_BOTH),
        ("vap.yaml", VAP),
        ("policy.rego", CONFTEST),
        ("broken.rego", BROKEN_CONFTEST),
    ];
    let engines = Engines::built_in();
    // Every subset of the policies, under every preference.
    for mask in 1..(1 << all_policies.len()) {
        let policies: Vec<ParsedSource> = all_policies
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, (n, t))| parse(n, t))
            .collect();
        for preference in
            [Preference::Gatekeeper, Preference::Only(EngineKind::Rego), Preference::Only(EngineKind::Cel)]
        {
            let options = Options { preference, ..Options::default() };
            let whole = evaluate(&manifests, &policies, &engines, &options);
            let planned = plan(&manifests, &policies, preference);
            let mut split = Vec::new();
            for (i, kind) in planned.iter().enumerate() {
                let share = Share::Engine { kind: *kind, lead: i == 0 };
                split.extend(evaluate(&manifests, &policies, &engines, &Options { share, ..options.clone() }));
            }
            assert_eq!(json(&split), json(&whole), "policies {mask:b}, {preference:?}, plan {planned:?}");
        }
    }
}

#[test]
fn the_plan_names_only_the_engines_the_policies_need() {
    let manifests = vec![parse("deploy.yaml", DEPLOYMENT)];
    let p = |list: &[(&str, &str)], preference| {
        let policies: Vec<ParsedSource> = list.iter().map(|(n, t)| parse(n, t)).collect();
        plan(&manifests, &policies, preference)
    };
    use EngineKind::{Cel, Rego};
    assert_eq!(p(&[], Preference::Gatekeeper), Vec::<EngineKind>::new());
    assert_eq!(p(&[("policy.rego", CONFTEST)], Preference::Gatekeeper), vec![Rego]);
    assert_eq!(p(&[("vap.yaml", VAP)], Preference::Gatekeeper), vec![Cel]);
    // A template with both codes: auto is Gatekeeper's order, CEL first.
    assert_eq!(p(&[("template.yaml", TEMPLATE_BOTH)], Preference::Gatekeeper), vec![Cel]);
    assert_eq!(p(&[("template.yaml", TEMPLATE_BOTH)], Preference::Only(Rego)), vec![Rego]);
    assert_eq!(
        p(&[("template.yaml", TEMPLATE_BOTH), ("policy.rego", CONFTEST)], Preference::Gatekeeper),
        vec![Rego, Cel]
    );
    // Only a Constraint without its template: one engine still reports it.
    let orphan = "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sMissing\nmetadata: {name: orphan}\n";
    assert_eq!(p(&[("c.yaml", orphan)], Preference::Gatekeeper), vec![Cel]);
    assert_eq!(p(&[("c.yaml", orphan)], Preference::Only(Rego)), vec![Rego]);
    // A policy document among the manifests counts without policy files.
    let with_vap = vec![parse("deploy.yaml", DEPLOYMENT), parse("vap.yaml", VAP)];
    assert_eq!(plan(&with_vap, &[], Preference::Gatekeeper), vec![Cel]);
}
