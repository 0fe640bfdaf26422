//! `apiserver-no-encryption-at-rest`: Secrets are stored in etcd as written.

use crate::model::component::ComponentKind;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-no-encryption-at-rest",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "kube-apiserver does not encrypt resources at rest (no --encryption-provider-config).",
    docs: docs! {
        what: "Reports a kube-apiserver without `--encryption-provider-config`. What the configuration file \
               does is checked by `encryption-provider-weak` when the `EncryptionConfiguration` is part of \
               the input.",
        why: "Without an encryption configuration, Secrets are stored in etcd in clear (base64 is an \
              encoding): anyone with a copy of etcd's data directory or a backup reads every credential of \
              the cluster. The NSA/CISA hardening guide and CIS Kubernetes Benchmark 1.2.27/1.2.28 ask for \
              encryption at rest, ideally through a KMS v2 provider.",
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
    - --etcd-servers=https://127.0.0.1:2379
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
    - --etcd-servers=https://127.0.0.1:2379
    - --encryption-provider-config=/etc/kubernetes/enc/encryption.yaml
"#,
        fix: "Write an `EncryptionConfiguration` whose first provider for `secrets` is `kms` (apiVersion v2) or \
              `secretbox`, mount it, set `--encryption-provider-config`, then rewrite existing Secrets \
              (`kubectl get secrets -A -o json | kubectl replace -f -`).",
        references: &[
            "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",
            "https://www.cisecurity.org/benchmark/kubernetes",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 1.2.27", "CIS 1.2.28", "kube-bench:1.2.27"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        if comp.is_set("encryption-provider-config") {
            return;
        }
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            "encryption-provider-config",
            (
                format!(
                    "Secrets are stored in etcd unencrypted: {} does not set --encryption-provider-config",
                    comp.label()
                ),
                format!(
                    "set --encryption-provider-config in {} to an EncryptionConfiguration whose first provider for secrets is kms (v2) or secretbox",
                    comp.where_flags()
                ),
            ),
            None,
        );
    });
}
