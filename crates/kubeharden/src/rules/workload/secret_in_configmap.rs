//! `secret-in-configmap`: a ConfigMap holds a credential.

use crate::model::Resource;
use crate::model::credentials;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "secret-in-configmap",
    family: Family::Workload,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A ConfigMap holds a credential: a credential-named key with a literal value, a key or token, or a configuration file with a password in it.",
    docs: docs! {
        what: "Reports ConfigMap `data` entries that hold a credential: a literal under a credential-like key \
               (`password`, `api_key`, `client-secret`, …), a value shaped like a credential (PEM private \
               key, GCP service-account JSON, AWS access key ID, GitHub/GitLab/Slack/Stripe/npm token, \
               Google API key, JWT, URL with a password), or a configuration file whose lines assign a \
               literal to a credential-like name (`spring.datasource.password=…`, `\"token\": \"…\"`, \
               `password: …`). References and placeholders (`${VAR}`, `$(VAR)`, `$var`, `<…>`, \
               `{{ … }}`), masks, file paths, comments and encrypted values are not reported. One \
               finding per key, pointing at the credential; the value is masked in the message.",
        why: "ConfigMaps are not meant for confidential data: they are readable by far more roles than \
              Secrets (many `view`-style roles include them), are not encrypted at rest by \
              EncryptionConfiguration setups that only cover Secrets, and show up in plain text in \
              `kubectl describe`, dashboards and logs. The Kubernetes documentation says to use a Secret \
              for confidential data; the NSA/CISA hardening guide recommends Secrets with encryption at \
              rest.",
        fail: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=hunter22
"#,
        pass: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=${DB_PASSWORD}
"#,
        fix: "Rotate the credential and move it into a Secret (or an external secret store); keep only \
              references in the ConfigMap, such as `${DB_PASSWORD}` expanded from an env var fed by \
              the Secret, or a path to a mounted Secret file.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/configmap/",
            "https://kubernetes.io/docs/concepts/configuration/secret/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["polaris:sensitiveConfigmapContent"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "ConfigMap") {
        return;
    }
    let Some(data) = resource.node.field("data") else { return };
    let text = cx.text(resource);
    for (key_node, node) in data.entries() {
        let Some(key) = key_node.key_str() else { continue };
        let Some(value) = node.str() else { continue };
        let hit = if value.trim().contains('\n') {
            credentials::scan_text(value)
        } else {
            credentials::scan_named(key, value)
        };
        let Some(hit) = hit else { continue };
        sink.report(
            resource,
            credentials::span(text, node, value, &hit),
            resource.path(&format!("data[{key:?}]")),
            format!(
                "secret in ConfigMap: key {key:?} of ConfigMap {:?} holds {}",
                resource.name(),
                hit.describe(value)
            ),
            "rotate it and move it into a Secret; keep only a reference in the ConfigMap",
        );
    }
}
