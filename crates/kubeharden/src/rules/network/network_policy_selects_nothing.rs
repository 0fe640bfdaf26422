//! `network-policy-selects-nothing`: a NetworkPolicy's podSelector matches no pod of its namespace.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::network::head;
use crate::model::pod::{may_run_unseen_pods, pod_labels, runs_pods};
use crate::model::selector::Tri;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "network-policy-selects-nothing",
    family: Family::Network,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "A NetworkPolicy's podSelector matches none of the pods its namespace has in the input.",
    docs: docs! {
        what: "Reports the `podSelector` of a NetworkPolicy that matches none of the workloads of its namespace \
               in the input. It only speaks when the input shows the namespace's pods: the namespace has at \
               least one workload in the input and no custom resource that may run pods of its own (such as a \
               Prometheus or Alertmanager of the Prometheus Operator). Labels a controller adds to pods are \
               treated as unknown, so a selector on them is never called empty.",
        why: "A policy that selects nothing protects nothing, and usually means a typo in a label or a \
              selector that fell behind a relabelling: the pods it was written for are not isolated.",
        fail: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: wbe}
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
        pass: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
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
        fix: "Make the selector match the pod template labels of the workload it is meant for, or remove the \
              policy.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let net = cx.model.network();
    if net.policies.is_empty() {
        return;
    }
    // Per namespace: whether it may run pods the input does not show, and its workloads.
    let mut unseen: BTreeSet<&str> = BTreeSet::new();
    for r in cx.model.resources.iter().filter(|r| may_run_unseen_pods(r)) {
        if let Some(ns) = r.namespace {
            unseen.insert(ns);
        }
    }
    let mut workloads: BTreeMap<&str, Vec<(&Resource<'_>, &PodSpec<'_>)>> = BTreeMap::new();
    for (r, p) in cx.model.workloads().filter(|(r, _)| runs_pods(r)) {
        workloads.entry(r.namespace()).or_default().push((r, p));
    }
    for policy in net.policies.iter().filter(|p| p.is_valid() && !p.pod_selector.is_everything()) {
        let Some(resource) = cx.model.resource(policy.resource) else { continue };
        let ns = policy.namespace;
        let Some(workloads) = workloads.get(ns).filter(|_| !unseen.contains(ns)) else { continue };
        if workloads.iter().any(|(r, p)| policy.pod_selector.matches(&pod_labels(r, p)) != Tri::No) {
            continue;
        }
        let names: Vec<String> = workloads.iter().take(3).map(|(r, _)| r.display()).collect();
        let more = if workloads.len() > 3 { format!(" and {} more", workloads.len() - 3) } else { String::new() };
        sink.report(
            resource,
            head(policy.pod_selector_anchor).span(),
            format!("{}.podSelector", policy.spec_path),
            format!(
                "podSelector matches the pods of no workload of namespace {ns} in the input ({}{more}): the policy isolates nothing",
                names.join(", ")
            ),
            "make podSelector match the pod template labels of the workload it is meant for",
        );
    }
}
