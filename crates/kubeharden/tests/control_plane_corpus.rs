//! The control-plane and kubelet files of the shared corpus give exactly the control-plane
//! findings their provenance explains (see each folder's SOURCES.md):
//!
//! - kubescape_regolibrary: kubeadm (minikube) static Pods of a v1.24.1 control plane. kubeadm
//!   leaves anonymous authentication on, sets no audit policy, no encryption configuration, no
//!   kubelet CA and keeps profiling on; v1.24 is out of support at the latest target. The etcd
//!   Pod was edited by its test authors: it lacks `--cert-file` and `--client-cert-auth`, which
//!   kubeadm writes.
//! - awslabs_amazon-eks-ami: hardened KubeletConfigurations rendered by EKS nodeadm: clean.
//! - Elsewhere, arguments that merely mention a component (prometheus-operator's
//!   `--kubelet-service=kube-system/kubelet`) do not make a component.

use std::fs;
use std::path::Path;

use kubeharden::rules::Family;
use kubeharden::{Config, KubeVersion, lint_str};

fn control_plane_findings(relative: &str, config: &Config) -> Vec<(String, u32)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real").join(relative);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = lint_str(relative, &text, config);
    let mut out: Vec<(String, u32)> = report
        .findings
        .iter()
        .filter(|f| {
            kubeharden::registry::find(&f.rule).is_some_and(|r| matches!(r.family, Family::ControlPlane | Family::Api))
        })
        .map(|f| (f.rule.clone(), f.span.start.line))
        .collect();
    out.sort();
    out
}

fn expect(relative: &str, config: &Config, expected: &[(&str, u32)]) {
    let got = control_plane_findings(relative, config);
    let expected: Vec<(String, u32)> = expected.iter().map(|(r, l)| ((*r).to_owned(), *l)).collect();
    assert_eq!(got, expected, "{relative}");
}

#[test]
fn kubeadm_static_pods() {
    let latest = Config::default();
    expect(
        "kubescape_regolibrary/static-pod-kube-apiserver.yaml",
        &latest,
        &[
            ("apiserver-anonymous-auth-enabled", 27),
            ("apiserver-audit-log-disabled", 27),
            ("apiserver-audit-log-disabled", 27),
            ("apiserver-kubelet-tls-unverified", 27),
            ("apiserver-no-encryption-at-rest", 27),
            ("apiserver-profiling-enabled", 27),
            ("control-plane-version-unsupported", 61),
        ],
    );
    expect(
        "kubescape_regolibrary/static-pod-kube-controller-manager.yaml",
        &latest,
        &[("control-plane-version-unsupported", 31)],
    );
    expect(
        "kubescape_regolibrary/static-pod-kube-scheduler.yaml",
        &latest,
        &[("control-plane-version-unsupported", 19)],
    );
    expect(
        "kubescape_regolibrary/static-pod-etcd.yaml",
        &latest,
        &[("etcd-weak-client-tls", 14), ("etcd-weak-client-tls", 14)],
    );
    // At the version the cluster ran, the release is supported.
    let v124 = Config { kubernetes_version: KubeVersion::v1(24), ..Config::default() };
    expect("kubescape_regolibrary/static-pod-kube-scheduler.yaml", &v124, &[]);
}

#[test]
fn eks_kubelet_configurations_are_clean() {
    for case in ["kubelet-config-dir", "kubelet-config-set-empty", "custom-max-pods-expression"] {
        expect(
            &format!("awslabs_amazon-eks-ami/nodeadm/test/e2e/cases/{case}/expected-kubelet-config.json"),
            &Config::default(),
            &[],
        );
    }
}

#[test]
fn flags_that_name_a_component_are_not_a_component() {
    expect("prometheus-operator_kube-prometheus/manifests/prometheusOperator-deployment.yaml", &Config::default(), &[]);
}
