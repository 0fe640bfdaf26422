//! `missing-default-deny-egress`: a namespace with workloads has no default-deny egress policy.

use super::report_missing_default_deny;
use crate::fix::Applicability;
use crate::model::network::Direction;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "missing-default-deny-egress",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A namespace with workloads in the input has no NetworkPolicy that isolates every pod for egress.",
    docs: docs! {
        what: "For each namespace that has workloads in the input (other than `hostNetwork` pods, which \
               NetworkPolicies do not isolate), looks for a NetworkPolicy of that namespace \
               (accepted by the API server) that selects every pod (`podSelector: {}`) and applies to egress: \
               `policyTypes` lists `Egress`, or is unset and the policy has at least one `egress` rule (an \
               unset `policyTypes` never means egress otherwise). Such a policy may allow some traffic, as long \
               as no policy selecting every pod admits all egress (a rule with no `to` and no `ports`, or to \
               `0.0.0.0/0` on every port). The finding points at the Namespace's `metadata.name` when the input \
               has the Namespace, else at the `metadata.namespace` of the first workload of that namespace.",
        why: "Without egress isolation a compromised pod can reach every service in the cluster, the cloud \
              metadata endpoint and the internet, to move laterally and exfiltrate data. The NSA/CISA \
              hardening guide recommends default-deny egress with explicit allowances (DNS first).",
        fail: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
  - to:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: kube-system}
    ports:
    - {port: 53, protocol: UDP}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]` to the namespace, allow DNS \
              to kube-system, then allow what each workload must reach. The automatic fix appends the deny \
              policy to the file; apply it together with the allow policies, or name resolution stops.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.3.2"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    report_missing_default_deny(cx, sink, Direction::Egress);
}
