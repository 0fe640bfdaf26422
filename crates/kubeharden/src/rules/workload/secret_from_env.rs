//! `secret-from-env`: a Secret is passed to a container through environment variables.

use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "secret-from-env",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "A Secret reaches a container as environment variables (secretKeyRef, envFrom.secretRef) rather than as a mounted file.",
    docs: docs! {
        what: "Reports each `env[].valueFrom.secretKeyRef` and each `envFrom[].secretRef`, in every container \
               kind, at the reference.",
        why: "Environment variables leak more easily than files: they are inherited by every child \
              process, printed by crash reports, debug endpoints and `env` in a shell, visible in \
              `/proc/<pid>/environ`, and cannot be updated without a restart. Mounted Secret volumes \
              are files with permissions, live in memory (tmpfs), and are refreshed when the Secret \
              changes. The CIS Kubernetes Benchmark (5.4.1) prefers Secrets as files.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: app:1.0
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db, key: password}
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: app:1.0
    volumeMounts:
    - {name: db, mountPath: /run/secrets/db, readOnly: true}
  volumes:
  - name: db
    secret:
      secretName: db
"#,
        fix: "Mount the Secret as a volume (`volumes[].secret`, `readOnly: true`) and let the application \
              read the file; many images accept a `*_FILE` variable pointing at it.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        ],
    },
    aliases: &["CIS 5.4.1", "kube-linter:read-secret-from-env-var", "checkov:CKV_K8S_35"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let help = "mount the Secret as a read-only volume and read it from a file";
    for c in pod.containers() {
        if let Some(env) = c.node.field("env") {
            for (i, item) in env.items().enumerate() {
                let Some((key, reference)) = item.field("valueFrom").and_then(|v| v.entry("secretKeyRef")) else {
                    continue;
                };
                if reference.is_null() {
                    continue;
                }
                let name = item.field("name").and_then(|n| n.str()).unwrap_or("");
                let secret = reference.field("name").and_then(|n| n.str()).unwrap_or("");
                let secret_key = reference.field("key").and_then(|n| n.str()).unwrap_or("");
                sink.report(
                    resource,
                    key.span(),
                    c.field_path(&format!("env[{i}].valueFrom.secretKeyRef")),
                    format!("secret from env: {} reads key {secret_key:?} of Secret {secret:?} into {name}", c.label()),
                    help,
                );
            }
        }
        if let Some(env_from) = c.node.field("envFrom") {
            for (i, item) in env_from.items().enumerate() {
                let Some((key, reference)) = item.entry("secretRef") else { continue };
                if reference.is_null() {
                    continue;
                }
                let secret = reference.field("name").and_then(|n| n.str()).unwrap_or("");
                sink.report(
                    resource,
                    key.span(),
                    c.field_path(&format!("envFrom[{i}].secretRef")),
                    format!("secret from env: {} loads every key of Secret {secret:?} into its environment", c.label()),
                    help,
                );
            }
        }
    }
}
