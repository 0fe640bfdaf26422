//! `deprecated-api`: an object whose API version the target release deprecates.

use crate::fix::Applicability;
use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "deprecated-api",
    family: Family::Api,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "The object's apiVersion is deprecated at the target Kubernetes release and will be removed.",
    docs: docs! {
        what: "Reports an object whose `apiVersion` and `kind` are deprecated but still served at the \
               configured `kubernetesVersion` (for example `extensions/v1beta1` Ingress from v1.14 to v1.21, or core \
               `v1` Endpoints from v1.33), naming the replacement and the release that removes it.",
        why: "A deprecated API disappears within a few releases (the deprecation policy allows a beta to \
              be removed three releases after deprecation): manifests that use it break on upgrade. Moving \
              now costs a review instead of an outage.",
        fail: r#"apiVersion: v1
kind: Endpoints
metadata:
  name: legacy-db
subsets:
- addresses:
  - ip: 10.0.0.12
  ports:
  - port: 5432
"#,
        pass: r#"apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-db-1
  labels:
    kubernetes.io/service-name: legacy-db
addressType: IPv4
endpoints:
- addresses: [10.0.0.12]
ports:
- port: 5432
"#,
        fix: "Change `apiVersion` to the replacement and apply the schema changes the migration guide lists.",
        references: &[
            "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
            "https://kubernetes.io/docs/reference/using-api/deprecation-policy/",
        ],
    },
    aliases: &["pluto:deprecated"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    super::report(cx, resource, sink, super::Status::Deprecated);
}
