//! Schema validation across the whole input: the reviewed findings on the corpus of real
//! manifests (any new one is a false positive until reviewed), one finding per problem with
//! `invalid-resource`, the switch and the versions without a schema.

use kubeharden::{Config, Source, lint, lint_str, rules};

#[path = "support/corpus.rs"]
mod corpus_support;
use corpus_support::{corpus_files, corpus_root};

fn is_schema(rule: &str) -> bool {
    rules::all().any(|r| r.id == rule && r.family == rules::Family::Schema)
}

/// Every schema finding on `../shared/corpus/real`, linted together as the CLI does, with why it
/// is right. All of them are in `kubernetes/examples`' archived folder.
const CORPUS_FINDINGS: &[(&str, u32, &str)] = &[
    // Templates with `{{placeholders}}` for a templating tool: as YAML, `{{x}}` is a mapping,
    // so these files are not manifests the API server accepts until rendered.
    ("kubernetes_examples/_archived/newrelic/newrelic-config-template.yaml", 7, "wrong-field-type"),
    ("kubernetes_examples/_archived/newrelic-infrastructure/newrelic-config-template.yaml", 7, "wrong-field-type"),
    ("kubernetes_examples/_archived/storage/vitess/etcd-controller-template.yaml", 4, "invalid-object-name"),
    ("kubernetes_examples/_archived/storage/vitess/etcd-controller-template.yaml", 6, "wrong-field-type"),
    ("kubernetes_examples/_archived/storage/vitess/etcd-controller-template.yaml", 11, "wrong-field-type"),
    ("kubernetes_examples/_archived/storage/vitess/etcd-service-template.yaml", 4, "invalid-object-name"),
    ("kubernetes_examples/_archived/storage/vitess/etcd-service-template.yaml", 7, "wrong-field-type"),
    ("kubernetes_examples/_archived/storage/vitess/etcd-service-template.yaml", 14, "wrong-field-type"),
    ("kubernetes_examples/_archived/storage/vitess/vtgate-controller-template.yaml", 6, "wrong-field-type"),
    ("kubernetes_examples/_archived/storage/vitess/vttablet-pod-template.yaml", 4, "invalid-object-name"),
    ("kubernetes_examples/_archived/storage/vitess/vttablet-pod-template.yaml", 7, "invalid-label"),
    ("kubernetes_examples/_archived/storage/vitess/vttablet-pod-template.yaml", 8, "invalid-label"),
    ("kubernetes_examples/_archived/storage/vitess/vttablet-pod-template.yaml", 9, "invalid-label"),
    // `protocol: tcp`: validation compares protocols case-sensitively (TCP, UDP, SCTP).
    ("kubernetes_examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml", 12, "invalid-enum-value"),
    ("kubernetes_examples/_archived/volumes/cinder/cinder-web.yaml", 12, "invalid-enum-value"),
    // `lun: <ADD LUN ID Here>`: a placeholder where an integer goes.
    ("kubernetes_examples/_archived/volumes/fibre_channel/fc.yaml", 17, "wrong-field-type"),
    // `imageformat` and `imagefeatures` are parameters of the RBD StorageClass, not fields of
    // the rbd volume source.
    ("kubernetes_examples/_archived/volumes/rbd/rbd.yaml", 25, "unknown-field"),
    ("kubernetes_examples/_archived/volumes/rbd/rbd.yaml", 26, "unknown-field"),
    // `protectionDoamin`: a typo of `protectionDomain`.
    ("kubernetes_examples/_archived/volumes/scaleio/pod.yaml", 17, "unknown-field"),
    // `pool` is a StorageOS StorageClass parameter; the PV's source has `secretRef`, not
    // `secretName`.
    ("kubernetes_examples/_archived/volumes/storageos/storageos-pod.yaml", 35, "unknown-field"),
    ("kubernetes_examples/_archived/volumes/storageos/storageos-pv.yaml", 22, "unknown-field"),
    // Custom resources whose CustomResourceDefinition is not in the corpus (info, one per kind
    // and file): Istio's Gateway, VirtualService and ServiceEntry...
    ("GoogleCloudPlatform_microservices-demo/release/istio-manifests.yaml", 22, "unvalidated-custom-resource"),
    ("GoogleCloudPlatform_microservices-demo/release/istio-manifests.yaml", 36, "unvalidated-custom-resource"),
    ("GoogleCloudPlatform_microservices-demo/release/istio-manifests.yaml", 50, "unvalidated-custom-resource"),
    ("GoogleCloudPlatform_microservices-demo/release/istio-manifests.yaml", 65, "unvalidated-custom-resource"),
    // ... and the Prometheus operator's PrometheusRule, Alertmanager and Prometheus (the
    // corpus has its ServiceMonitor CRD, in manifests/setup, which validates every
    // ServiceMonitor of the corpus without a finding).
    ("kubernetes_examples/AI/vllm-deployment/hpa/prometheus-rule.yaml", 14, "unvalidated-custom-resource"),
    ("prometheus-operator_kube-prometheus/manifests/alertmanager-alertmanager.yaml", 2, "unvalidated-custom-resource"),
    (
        "prometheus-operator_kube-prometheus/manifests/alertmanager-prometheusRule.yaml",
        2,
        "unvalidated-custom-resource",
    ),
    ("prometheus-operator_kube-prometheus/manifests/grafana-prometheusRule.yaml", 2, "unvalidated-custom-resource"),
    (
        "prometheus-operator_kube-prometheus/manifests/kubePrometheus-prometheusRule.yaml",
        2,
        "unvalidated-custom-resource",
    ),
    (
        "prometheus-operator_kube-prometheus/manifests/kubeStateMetrics-prometheusRule.yaml",
        2,
        "unvalidated-custom-resource",
    ),
    (
        "prometheus-operator_kube-prometheus/manifests/kubernetesControlPlane-prometheusRule.yaml",
        2,
        "unvalidated-custom-resource",
    ),
    (
        "prometheus-operator_kube-prometheus/manifests/nodeExporter-prometheusRule.yaml",
        2,
        "unvalidated-custom-resource",
    ),
    ("prometheus-operator_kube-prometheus/manifests/prometheus-prometheus.yaml", 2, "unvalidated-custom-resource"),
    ("prometheus-operator_kube-prometheus/manifests/prometheus-prometheusRule.yaml", 2, "unvalidated-custom-resource"),
    (
        "prometheus-operator_kube-prometheus/manifests/prometheusOperator-prometheusRule.yaml",
        2,
        "unvalidated-custom-resource",
    ),
];

/// The corpus's custom resources whose CRD is in the corpus are validated with it (and pass).
#[test]
fn the_corpus_servicemonitors_are_validated_with_their_crd() {
    let root = corpus_root();
    let dir = root.join("prometheus-operator_kube-prometheus/manifests");
    let crd = std::fs::read_to_string(dir.join("setup/0servicemonitorCustomResourceDefinition.yaml")).unwrap();
    let monitor = std::fs::read_to_string(dir.join("alertmanager-serviceMonitor.yaml")).unwrap();
    let config = Config::default();
    let with = lint(&[Source::new("crd.yaml", crd), Source::new("sm.yaml", monitor.clone())], &config);
    assert!(!with.findings.iter().any(|f| is_schema(&f.rule) && f.resource.source == "sm.yaml"), "{:?}", with.findings);
    // With a typo, the CRD's schema reports it.
    let typo = monitor.replacen("endpoints:", "endpoint:", 1);
    let crd = std::fs::read_to_string(dir.join("setup/0servicemonitorCustomResourceDefinition.yaml")).unwrap();
    let report = kubeharden::lint_with_crds(&[Source::new("sm.yaml", typo)], &[Source::new("crd.yaml", crd)], &config);
    let rules: Vec<&str> = report.findings.iter().filter(|f| is_schema(&f.rule)).map(|f| f.rule.as_str()).collect();
    // `endpoints` is required too, so its absence is reported as well.
    assert_eq!(rules, ["missing-required-field", "unknown-field"], "{:?}", report.findings);
}

fn corpus_report(version: &str) -> Vec<(String, u32, String)> {
    let root = corpus_root();
    let sources: Vec<Source> = corpus_files()
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap_or(&p).to_string_lossy().into_owned();
            Source::new(name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    let config = Config { kubernetes_version: kubeharden::KubeVersion::parse(version).unwrap(), ..Config::default() };
    let report = lint(&sources, &config);
    let mut out: Vec<(String, u32, String)> = report
        .findings
        .iter()
        .filter(|f| is_schema(&f.rule))
        .map(|f| (f.resource.source.clone(), f.span.start.line, f.rule.clone()))
        .collect();
    out.sort();
    out
}

#[test]
fn the_corpus_has_only_the_reviewed_schema_findings() {
    let mut expected: Vec<(String, u32, String)> =
        CORPUS_FINDINGS.iter().map(|&(f, l, r)| (f.to_owned(), l, r.to_owned())).collect();
    expected.sort();
    // The oldest and newest schema: real manifests use no field a v1.25 cluster lacks.
    for version in ["v1.25", "latest"] {
        assert_eq!(corpus_report(version), expected, "schema findings on the corpus at {version}");
    }
}

const QUOTED_BOOL: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  hostNetwork: \"true\"\n  containers: [{name: app, image: nginx:1.27}]\n";

#[test]
fn a_wrong_type_is_one_finding() {
    let at_line_5 = |config: &Config| {
        lint_str("pod.yaml", QUOTED_BOOL, config)
            .findings
            .into_iter()
            .filter(|f| f.span.start.line == 5)
            .map(|f| f.rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(at_line_5(&Config::default()), ["wrong-field-type"]);
    // Without schema validation, invalid-resource still reports it.
    let off = Config { schema_validation: false, ..Config::default() };
    assert_eq!(at_line_5(&off), ["invalid-resource"]);
    // Before v1.25 there is no schema: invalid-resource reports it.
    let old = Config { kubernetes_version: kubeharden::KubeVersion::v1(24), ..Config::default() };
    assert_eq!(at_line_5(&old), ["invalid-resource"]);
}

#[test]
fn the_switch_turns_the_whole_family_off() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: Web_1}\nspec:\n  containers: [{name: app, imagePullPolicy: always, securityContex: {}}]\n";
    let on = lint_str("pod.yaml", text, &Config::default());
    let rules_on: std::collections::BTreeSet<&str> =
        on.findings.iter().filter(|f| is_schema(&f.rule)).map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules_on.into_iter().collect::<Vec<_>>(),
        ["invalid-enum-value", "invalid-object-name", "missing-required-field", "unknown-field"]
    );
    let off = Config { schema_validation: false, ..Config::default() };
    let config = Config::from_json(r#"{"schemaValidation": false}"#).unwrap();
    assert_eq!(config, Config { today: None, ..off.clone() });
    assert!(lint_str("pod.yaml", text, &off).findings.iter().all(|f| !is_schema(&f.rule)));
}

/// `status` is checked as far as the API server's decoding goes (before the strategy resets it):
/// what `kubectl get -o yaml` writes passes every schema rule, and the decoding errors of the
/// fixtures are found through the same core.
#[test]
fn a_status_is_checked_decode_only() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |path: &str| std::fs::read_to_string(fixtures.join(path)).unwrap();
    let kubectl_output = read("unknown-field/pass-status-kubectl-output.yaml");
    let schema_findings = |version: &str| -> Vec<(String, String)> {
        let config =
            Config { kubernetes_version: kubeharden::KubeVersion::parse(version).unwrap(), ..Config::default() };
        let report = lint_str("get.yaml", &kubectl_output, &config);
        report.findings.into_iter().filter(|f| is_schema(&f.rule)).map(|f| (f.path, f.message)).collect()
    };
    assert_eq!(schema_findings("latest"), []);
    // A v1.25 API server's strict decoding does not know the status fields later releases added.
    let old: Vec<String> = schema_findings("v1.25").into_iter().map(|(path, _)| path).collect();
    assert_eq!(old, ["status.hostIPs", "status.loadBalancer.ingress[0].ipMode", "status.terminating"]);
    let findings = |path: &str| -> Vec<(String, String)> {
        lint_str(path, &read(path), &Config::default())
            .findings
            .into_iter()
            .filter(|f| is_schema(&f.rule))
            .map(|f| (f.rule, f.path))
            .collect()
    };
    let unknown = findings("unknown-field/fail-status.yaml");
    assert!(unknown.contains(&("unknown-field".into(), "status.replicaz".into())), "{unknown:?}");
    let wrong = findings("wrong-field-type/fail-status.yaml");
    assert!(wrong.contains(&("wrong-field-type".into(), "status.replicas".into())), "{wrong:?}");
    assert!(wrong.contains(&("wrong-field-type".into(), "status.conditions".into())), "{wrong:?}");
    // Validation-level checks stay off in a status, even where the definition is shared with
    // spec fields that have them (a label selector's operator enum, labels, list-map keys).
    for pass in [
        "missing-required-field/pass-status.yaml",
        "invalid-enum-value/pass-status.yaml",
        "invalid-label/pass-status.yaml",
        "duplicate-list-key/pass-status.yaml",
    ] {
        assert_eq!(findings(pass), [], "{pass}");
    }
}
