//! `encryption-provider-weak`: Secrets are written in clear, or with a weak provider.

use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::source::NodeRef;

pub static RULE: Rule = Rule {
    id: "encryption-provider-weak",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "An EncryptionConfiguration writes Secrets in clear (identity first, or secrets not covered) or with a weak provider.",
    docs: docs! {
        what: "Reads each `EncryptionConfiguration` (apiserver.config.k8s.io) and finds the entry of \
               `resources` that applies to Secrets: the first one listing `secrets`, `*.` (every core \
               resource) or `*.*`. The first provider of that entry encrypts every write. Reports: no entry \
               for Secrets (stored in clear); `identity` first (writes in clear, error); `aescbc` first \
               (vulnerable to padding-oracle attacks, warning); `aesgcm` first (safe only with automated key \
               rotation, info); a `kms` provider without `apiVersion: v2` (KMS v1, deprecated since 1.28, \
               info).",
        why: "The API server decrypts with any listed provider but encrypts with the first one only: an \
              `identity` provider first means the configuration exists and nothing is encrypted. The \
              Kubernetes documentation ranks KMS v2 strongest, then secretbox; CIS Kubernetes Benchmark 1.2.28 \
              and the NSA/CISA hardening guide ask for a strong provider.",
        fail: r#"apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - identity: {}
  - aescbc:
      keys:
      - name: key1
        secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==
"#,
        pass: r#"apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - kms:
      apiVersion: v2
      name: vault
      endpoint: unix:///var/run/kms/socket.sock
  - identity: {}
"#,
        fix: "Put a `kms` provider with `apiVersion: v2` (or `secretbox`) first for `secrets`, keep the old \
              provider after it so existing data can still be read, restart the API server, then rewrite \
              every Secret (`kubectl get secrets -A -o json | kubectl replace -f -`).",
        references: &[
            "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers",
            "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 1.2.28", "kube-bench:1.2.28"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for config in cx.model.resources.iter().filter(|r| {
        (r.group() == "apiserver.config.k8s.io" && r.kind() == "EncryptionConfiguration")
            || (r.api_version == Some("v1") && r.kind() == "EncryptionConfig")
    }) {
        check_config(sink, config);
    }
}

/// Whether a `resources` entry applies to Secrets.
fn covers_secrets(entry: NodeRef<'_>) -> bool {
    entry.field("resources").is_some_and(|list| {
        list.items().filter_map(|r| r.str()).any(|r| matches!(r, "secrets" | "secrets." | "*." | "*.*"))
    })
}

fn check_config(sink: &mut Sink, config: &Resource<'_>) {
    let Some((key, entries)) = config.node.entry("resources") else {
        return;
    };
    let covering = entries.items().enumerate().find(|(_, e)| covers_secrets(*e));
    let Some((index, entry)) = covering else {
        sink.report(
            config,
            key.span(),
            config.path("resources"),
            "Secrets are stored unencrypted: no entry of the EncryptionConfiguration covers secrets",
            "add an entry for resources [secrets] whose first provider is kms (apiVersion v2) or secretbox",
        );
        return;
    };
    let Some(first) = entry.field("providers").and_then(|p| p.items().next()) else {
        return;
    };
    let Some((name_key, body)) = first.entries().next() else {
        return;
    };
    let name = name_key.key_str().unwrap_or("");
    let path = config.path(&format!("resources[{index}].providers[0].{name}"));
    let (severity, message, help) = match name {
        "identity" => (
            None,
            "Secrets are written unencrypted: the first provider for secrets is identity".to_owned(),
            "move a kms (apiVersion v2) or secretbox provider before identity; the first provider encrypts every write",
        ),
        "aescbc" => (
            Some(Severity::Warning),
            "Secrets are encrypted with a weak provider: aescbc is vulnerable to padding-oracle attacks".to_owned(),
            "use kms with apiVersion v2, or secretbox, as the first provider for secrets",
        ),
        "aesgcm" => (
            Some(Severity::Info),
            "Secrets are encrypted with aesgcm, which is only safe with automated key rotation (at most 200,000 writes per key)".to_owned(),
            "prefer kms with apiVersion v2 or secretbox, or rotate the aesgcm key automatically",
        ),
        "kms" if body.field("apiVersion").and_then(|v| v.str()) != Some("v2") => (
            Some(Severity::Info),
            "Secrets are encrypted with KMS v1, deprecated since Kubernetes 1.28 and disabled by default since 1.29".to_owned(),
            "migrate the provider to KMS v2 (apiVersion: v2)",
        ),
        _ => return,
    };
    let reported = sink.report(config, name_key.span(), path, message, help);
    if let Some(severity) = severity {
        reported.severity(severity);
    }
}
