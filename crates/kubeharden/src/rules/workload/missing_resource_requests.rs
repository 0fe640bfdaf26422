//! `missing-resource-requests`: a container without CPU or memory requests.

use super::resources::{self, Kind};
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "missing-resource-requests",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "A container has no CPU or memory request, so the scheduler cannot reserve what it needs.",
    docs: docs! {
        what: "Reports init and regular containers without `resources.requests.cpu` or \
               `resources.requests.memory`, one finding per container naming what is missing. A request \
               also counts when it defaults: from the container's own limit, from a LimitRange of the \
               namespace in the input (`defaultRequest`, `default`, `max`, `min`), and from Kubernetes \
               1.34 from pod-level `spec.resources`. With `skipHelmTestHooks: true` in the config, \
               objects annotated `helm.sh/hook: test…` are skipped.",
        why: "Requests are what the scheduler reserves. A pod without them is placed on nodes that may \
              have no room for it, is the first to be evicted under pressure (BestEffort quality of \
              service), and makes ResourceQuotas on requests reject it. The NSA/CISA hardening guide's \
              resource-policy advice covers requests as well as limits.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests: {cpu: 100m, memory: 128Mi}
"#,
        fix: "Set `resources.requests.cpu` and `resources.requests.memory` on every container from \
              observed usage, or give the namespace a LimitRange with `defaultRequest` values.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/",
            "https://kubernetes.io/docs/concepts/policy/limit-range/",
        ],
    },
    aliases: &[
        "kube-linter:unset-cpu-requirements",
        "kube-linter:unset-memory-requirements",
        "kube-score:container-resources",
        "polaris:cpuRequestsMissing",
        "polaris:memoryRequestsMissing",
        "checkov:CKV_K8S_10",
        "checkov:CKV_K8S_12",
    ],
    pss: None,
    checks: &[Versioned::always(Check::Pod(before_pod_level)), Versioned::since(34, Check::Pod(with_pod_level))],
    fix: None,
};

fn before_pod_level(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    resources::check(cx, resource, pod, sink, Kind::Requests, false);
}

fn with_pod_level(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    resources::check(cx, resource, pod, sink, Kind::Requests, true);
}
