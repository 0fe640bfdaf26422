//! `apiserver-kubelet-tls-unverified`: the API server does not verify (or authenticate to) kubelets.

use crate::model::component::ComponentKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-kubelet-tls-unverified",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "kube-apiserver does not verify the kubelets' serving certificates (no --kubelet-certificate-authority).",
    docs: docs! {
        what: "Reports a kube-apiserver without `--kubelet-certificate-authority` (kubeadm does not set it), and \
               one without a client certificate for the kubelets (`--kubelet-client-certificate` and \
               `--kubelet-client-key`, which kubeadm sets).",
        why: "The API server connects to kubelets for `exec`, `logs`, `attach` and `port-forward`. Without a CA \
              to check the kubelet's certificate, anyone who can redirect that traffic (ARP or DNS spoofing, a \
              rogue node) receives the commands and their output. Without a client certificate the kubelet \
              cannot authenticate the API server. CIS Kubernetes Benchmark 1.2.4 and 1.2.5.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt
"#,
        fix: "Have kubelets serve certificates signed by the cluster CA (`serverTLSBootstrap: true` and approved \
              CSRs), then set `--kubelet-certificate-authority` to that CA. Keep \
              `--kubelet-client-certificate` and `--kubelet-client-key`.",
        references: &[
            "https://kubernetes.io/docs/concepts/architecture/control-plane-node-communication/#api-server-to-kubelet",
            "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 1.2.4", "CIS 1.2.5", "kube-bench:1.2.5"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        if !comp.is_set("kubelet-certificate-authority") {
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "kubelet-certificate-authority",
                (
                    format!(
                        "kubelet certificates are not verified: {} does not set --kubelet-certificate-authority",
                        comp.label()
                    ),
                    format!(
                        "set --kubelet-certificate-authority in {} to the CA that signs the kubelets' serving certificates (serverTLSBootstrap)",
                        comp.where_flags()
                    ),
                ),
                None,
            );
        }
        let missing: Vec<&str> =
            ["kubelet-client-certificate", "kubelet-client-key"].into_iter().filter(|n| !comp.is_set(n)).collect();
        if let Some(first) = missing.first() {
            let flags: Vec<String> = missing.iter().map(|n| format!("--{n}")).collect();
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                first,
                (
                    format!(
                        "kube-apiserver does not authenticate to kubelets: {} does not set {}",
                        comp.label(),
                        flags.join(" or ")
                    ),
                    format!("set --kubelet-client-certificate and --kubelet-client-key in {}", comp.where_flags()),
                ),
                None,
            );
        }
    });
}
