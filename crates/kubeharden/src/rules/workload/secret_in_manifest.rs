//! `secret-in-manifest`: a Secret object carries its values in the manifest.

use crate::model::Resource;
use crate::model::credentials::{decode_base64, is_placeholder, scan_text};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "secret-in-manifest",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A Secret carries its values in `data` or `stringData`: base64 is an encoding, not encryption, so the manifest holds the secret.",
    docs: docs! {
        what: "Reports Secrets whose `data` or `stringData` holds at least one value, at the \
               `data`/`stringData` key, naming the keys (never the values). Not counted: empty values, \
               template placeholders such as `${VAR}`, and multi-line configuration files (after base64 \
               decoding for `data`) that contain no credential, since the Secret then only carries \
               configuration (the credential detector of `secret-in-configmap` decides). Secrets \
               declared without values (filled later by a controller or an operator) are not reported.",
        why: "Whoever can read the manifest — the repository, its forks and history, CI logs, a Helm \
              release — can read the Secret: `data` is only base64. Committed credentials are the most \
              common leak, and they outlive rotation in the git history. The NSA/CISA hardening guide \
              and the CIS Kubernetes Benchmark (5.4.2) recommend external secret storage; the \
              Kubernetes good-practices guide recommends not keeping Secret values in source control.",
        fail: r#"apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  password: hunter2
"#,
        pass: r#"apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
"#,
        fix: "Keep values out of the manifest: create the Secret from a secret manager (External Secrets \
              Operator, Secrets Store CSI driver), or commit it encrypted (Sealed Secrets, SOPS) and \
              decrypt it in the cluster.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
            "https://kubernetes.io/docs/concepts/configuration/secret/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.4.2"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

/// At most this many key names in a message.
const SHOWN: usize = 5;

/// Whether a `data` (base64) or `stringData` value may hold something secret: not empty, not
/// a template placeholder, and not a configuration file without any credential in it (a
/// Secret is sometimes only the delivery vehicle for configuration, such as a Grafana or
/// Alertmanager file; if a credential is added to it later, it is reported).
fn holds_secret(field: &str, value: &str) -> bool {
    if value.trim().is_empty() {
        return false;
    }
    let plain = if field == "data" {
        match decode_base64(value).and_then(|b| String::from_utf8(b).ok()) {
            Some(text) => text,
            // Binary (a keystore, a keytab): opaque, so presumed secret.
            None => return true,
        }
    } else {
        value.to_owned()
    };
    let plain = plain.trim();
    if plain.contains('\n') { scan_text(plain).is_some() } else { !plain.is_empty() && !is_placeholder(plain) }
}

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "Secret") {
        return;
    }
    for field in ["data", "stringData"] {
        let Some((key, map)) = resource.node.entry(field) else { continue };
        let names: Vec<&str> = map
            .entries()
            .filter(|(_, v)| v.str().is_some_and(|s| holds_secret(field, s)))
            .filter_map(|(k, _)| k.key_str())
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut shown: Vec<String> = names.iter().take(SHOWN).map(|n| format!("{n:?}")).collect();
        if names.len() > SHOWN {
            shown.push(format!("and {} more", names.len() - SHOWN));
        }
        let count = if names.len() == 1 { "1 value".to_owned() } else { format!("{} values", names.len()) };
        let encoding = if field == "data" { " (base64 is an encoding, not encryption)" } else { " in clear text" };
        sink.report(
            resource,
            key.span(),
            resource.path(field),
            format!(
                "secret in manifest: Secret {:?} carries {count} in {field}{encoding}: {}",
                resource.name(),
                shown.join(", ")
            ),
            "create the Secret from a secret manager, or commit it encrypted (Sealed Secrets, SOPS)",
        );
    }
}
