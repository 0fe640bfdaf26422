//! `missing-default-deny-ingress`: a namespace with workloads has no default-deny ingress policy.

use super::report_missing_default_deny;
use crate::fix::Applicability;
use crate::model::network::Direction;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "missing-default-deny-ingress",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A namespace with workloads in the input has no NetworkPolicy that isolates every pod for ingress.",
    docs: docs! {
        what: "For each namespace that has workloads in the input (other than `hostNetwork` pods, which \
               NetworkPolicies do not isolate), looks for a NetworkPolicy of that namespace \
               (accepted by the API server) that selects every pod (`podSelector: {}`) and applies to \
               ingress: `policyTypes` lists `Ingress`, or is unset (then every policy applies to ingress). \
               Such a policy may allow some traffic, as long as no policy selecting every pod admits all \
               ingress (a rule with no `from` and no `ports`). The finding points at the Namespace's \
               `metadata.name` when the input has the Namespace, else at the `metadata.namespace` of the \
               first workload of that namespace. Policies in other namespaces never count.",
        why: "Pods accept connections from any pod in the cluster, and from outside through Services, until a \
              NetworkPolicy selects them. A default-deny policy makes isolation the default for every pod, \
              including the ones added later; the NSA/CISA hardening guide recommends one per namespace, \
              with explicit policies for the traffic each workload needs.",
        fail: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
"#,
        pass: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
"#,
        fix: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` to the namespace, then \
              one policy per workload allowing the traffic it must receive. The automatic fix appends such a \
              policy to the file; apply it together with the allow policies, or traffic stops.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.3.2"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_missing_default_deny(cx, sink, Direction::Ingress);
}
