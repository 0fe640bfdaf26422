//! `missing-resource-limits`: a container without CPU or memory limits.

use super::resources::{self, Kind};
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "missing-resource-limits",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A container has no CPU or memory limit, so it can starve the node and its neighbours.",
    docs: docs! {
        what: "Reports init and regular containers without `resources.limits.cpu` or \
               `resources.limits.memory`, one finding per container naming what is missing. A limit also \
               counts when a LimitRange of the namespace in the input defaults it (`default`, or `max`), \
               and from Kubernetes 1.34 when the pod sets it at pod level (`spec.resources.limits`). With \
               `skipHelmTestHooks: true` in the config, objects annotated `helm.sh/hook: test…` are \
               skipped.",
        why: "Without limits a single container (a memory leak, a fork bomb, a crypto miner after a \
              compromise) can consume the node's memory and CPU, get other pods evicted or slow the \
              kubelet itself: a denial of service from inside the cluster. The NSA/CISA hardening guide \
              asks for resource limits on every container (with LimitRanges and ResourceQuotas as the \
              namespace-wide safety net).",
        fail: r#"apiVersion: v1
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
      limits: {cpu: 500m, memory: 256Mi}
"#,
        fix: "Set `resources.limits.memory` and `resources.limits.cpu` on every container, from observed \
              usage plus headroom; or give the namespace a LimitRange with `default` limits.",
        references: &[
            "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "https://kubernetes.io/docs/concepts/policy/limit-range/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[
        "kube-linter:unset-cpu-requirements",
        "kube-linter:unset-memory-requirements",
        "kube-score:container-resources",
        "polaris:cpuLimitsMissing",
        "polaris:memoryLimitsMissing",
        "checkov:CKV_K8S_11",
        "checkov:CKV_K8S_13",
    ],
    pss: None,
    checks: &[Versioned::always(Check::Pod(before_pod_level)), Versioned::since(34, Check::Pod(with_pod_level))],
    fix: None,
};

fn before_pod_level(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    resources::check(cx, resource, pod, sink, Kind::Limits, false);
}

fn with_pod_level(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    resources::check(cx, resource, pod, sink, Kind::Limits, true);
}
