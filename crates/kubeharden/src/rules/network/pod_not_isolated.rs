//! `pod-not-isolated`: no NetworkPolicy of its namespace selects a workload's pods.

use crate::model::pod::{pod_labels, runs_pods};
use crate::model::selector::Tri;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pod-not-isolated",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "No NetworkPolicy in the workload's namespace selects its pods, so they accept and open any connection.",
    docs: docs! {
        what: "Reports each workload (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, ...) whose pod \
               labels no NetworkPolicy of the same namespace in the input selects, at the pod template's \
               `labels` (or `metadata`). Selection follows Kubernetes: `podSelector: {}` selects every pod, \
               `matchLabels` and `matchExpressions` are evaluated on the template labels, and labels a \
               controller adds (`pod-template-hash`, `job-name`, ...) are treated as unknown, never as a \
               mismatch. Policies the API server would reject and policies of other namespaces do not \
               count. Pods with `hostNetwork: true` are skipped: NetworkPolicies do not apply to them.",
        why: "A pod that no policy selects is not isolated in either direction: any pod of the cluster can \
              connect to it and it can connect anywhere. The NSA/CISA hardening guide asks for network \
              policies that isolate each workload.",
        fail: r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
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
    matchExpressions:
    - {key: app, operator: In, values: [web, api]}
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
        fix: "Add a default-deny policy (`podSelector: {}`) to the namespace, or a policy whose `podSelector` \
              matches the pods' labels and allows only the traffic they need.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["kube-linter:non-isolated-pod", "kube-score:pod-networkpolicy"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let net = cx.model.network();
    for (resource, pod) in cx.model.workloads() {
        if !runs_pods(resource) || pod.field("hostNetwork").and_then(|v| v.bool()) == Some(true) {
            continue;
        }
        let ns = resource.namespace();
        let labels = pod_labels(resource, pod);
        if net.selected(ns, &labels) != Tri::No {
            continue;
        }
        let others = net.valid_in(ns).count();
        let detail = match others {
            0 => format!("namespace {ns} has no NetworkPolicy in the input"),
            1 => format!("the NetworkPolicy of namespace {ns} selects other pods"),
            n => format!("the {n} NetworkPolicies of namespace {ns} select other pods"),
        };
        let (span, path) = match pod.metadata.and_then(|m| m.entry("labels")) {
            Some((key, _)) => (key.span(), format!("{}.labels", pod.metadata_path)),
            None => match resource.node.entry("metadata").filter(|_| pod.metadata_path == resource.path("metadata")) {
                Some((key, _)) => (key.span(), pod.metadata_path.clone()),
                None => (pod.spec_key.span(), pod.metadata_path.clone()),
            },
        };
        sink.report(
            resource,
            span,
            path,
            format!(
                "no NetworkPolicy selects the pods of {}: they accept connections from anywhere and can connect anywhere ({detail})",
                resource.display()
            ),
            "add a NetworkPolicy whose podSelector matches these pods' labels, or a default-deny policy with podSelector: {}",
        );
    }
}
