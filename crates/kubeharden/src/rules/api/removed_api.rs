//! `removed-api`: an object whose API version the target release no longer serves.

use crate::fix::Applicability;
use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "removed-api",
    family: Family::Api,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "The object's apiVersion is no longer served by the target Kubernetes release.",
    docs: docs! {
        what: "Reports an object whose `apiVersion` and `kind` the configured `kubernetesVersion` no longer \
               serves (for example `extensions/v1beta1` Ingress from v1.22, `batch/v1beta1` CronJob from \
               v1.25), naming the replacement. The data covers every API served by default that was removed \
               from v1.16 to v1.37. When the replacement has the same schema, the fix changes `apiVersion`.",
        why: "The API server rejects such objects, so a deploy fails at the worst moment (often right after \
              an upgrade), and tooling that still writes them is out of date on other points too. Migrating \
              ahead of upgrades is the Kubernetes deprecation policy's whole point.",
        fail: r#"apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: web
spec:
  backend:
    serviceName: web
    servicePort: 80
"#,
        pass: r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
"#,
        fix: "Change `apiVersion` to the replacement and apply the schema changes the migration guide lists \
              (`kubectl convert` can help).",
        references: &[
            "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
            "https://kubernetes.io/docs/reference/using-api/deprecation-policy/",
        ],
    },
    aliases: &["kube-linter:no-extensions-v1beta", "pluto:removed"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    super::report(cx, resource, sink, super::Status::Removed);
}
