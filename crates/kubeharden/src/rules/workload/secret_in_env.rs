//! `secret-in-env`: a container's environment holds a literal credential.

use crate::model::credentials;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "secret-in-env",
    family: Family::Workload,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A container environment variable holds a literal credential: a password, token or key written into the manifest.",
    docs: docs! {
        what: "Reports `env[].value` literals, in every container kind, that are credentials: a value under a \
               credential-like name (`PASSWORD`, `DB_PASS`, `API_KEY`, `client_secret`, \
               `AWS_SECRET_ACCESS_KEY`, … but not `PASSWORD_FILE`, `SECRET_NAME` or `TOKEN_TTL`; a \
               `<VENDOR>_KEY` counts when its value looks like a generated key), or a \
               value shaped like a credential whatever its name: PEM private keys, GCP service-account \
               JSON, AWS access key IDs, GitHub, GitLab, Slack, Stripe and npm tokens, Google API keys, \
               JWTs, URLs with a password. Not reported: `valueFrom` references, empty values, template \
               placeholders (`${VAR}`, `$(VAR)`, `<…>`, `{{ … }}`), masks (`****`), documentation \
               examples and encrypted values. A weak literal such as `changeme` is reported. Messages \
               never show the value: it is masked.",
        why: "A credential in a manifest is readable by everyone who can read the repository, the CI logs, \
              the Deployment object (`get` on deployments is rarely treated as sensitive) and `kubectl \
              describe pod`; it ends up in backups and cannot be rotated without a code change. The \
              NSA/CISA hardening guide and the CIS Kubernetes Benchmark (5.4) ask to keep credentials in \
              Secrets (ideally an external secret store) and out of pod specs.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: mysql
    image: mysql:8.4
    env:
    - name: MYSQL_ROOT_PASSWORD
      value: changeme
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: mysql
    image: mysql:8.4
    env:
    - name: MYSQL_ROOT_PASSWORD_FILE
      value: /run/secrets/mysql/root-password
    volumeMounts:
    - {name: mysql, mountPath: /run/secrets/mysql, readOnly: true}
  volumes:
  - name: mysql
    secret:
      secretName: mysql
"#,
        fix: "Rotate the exposed credential, store the new one in a Secret (or an external secret store) \
              and mount it as a file, or reference it with `valueFrom.secretKeyRef`.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/secret/",
            "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.4.1", "kube-linter:env-var-secret", "polaris:sensitiveContainerEnvVar"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let text = cx.text(resource);
    for c in pod.containers() {
        let Some(env) = c.node.field("env") else { continue };
        for (i, item) in env.items().enumerate() {
            let Some(node) = item.field("value") else { continue };
            let Some(value) = node.str() else { continue };
            let name = item.field("name").and_then(|n| n.str()).unwrap_or("");
            let Some(hit) = credentials::scan_named(name, value) else { continue };
            sink.report(
                resource,
                credentials::span(text, node, value, &hit),
                c.field_path(&format!("env[{i}].value")),
                format!("secret in env: {} sets {name} to {}", c.label(), hit.describe(value)),
                "rotate it, keep it in a Secret and mount it as a file or use valueFrom.secretKeyRef",
            );
        }
    }
}
