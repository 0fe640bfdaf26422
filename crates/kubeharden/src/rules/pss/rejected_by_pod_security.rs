//! `rejected-by-pod-security`: an admission preview. For every workload whose Namespace is part
//! of the input, what Pod Security Admission would do with its pods under the namespace's
//! `enforce`, `warn` and `audit` labels; and Namespaces whose labels the API server refuses.

use super::admission;
use super::common::quote;
use crate::model::pod_security::{self, Level, LevelVersion, Mode, Policy, PolicyVersion};
use crate::model::{KubeVersion, PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rejected-by-pod-security",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "The namespace's Pod Security labels (in the same input) would reject this workload's pods, or are invalid.",
    docs: docs! {
        what: "An admission preview. When the input holds a Namespace with `pod-security.kubernetes.io/*` \
               labels, every pod and pod template of that namespace is evaluated as Pod Security \
               Admission would evaluate it, with the `pss-*` checks at the label's level and version: \
               an error when the `enforce` level rejects it (the API server refuses a Pod; for a \
               Deployment, Job or other controller it accepts the object but refuses every pod the \
               controller creates), otherwise a warning when the `warn` level would print a warning, \
               otherwise an info finding when the `audit` level would annotate the audit log. The \
               message names the level, the version and each violated check with its reason, as the API \
               server does; the finding points at the pod spec, and the individual `pss-*` findings point \
               at each field. Labels are read as upstream reads them: a missing level is `privileged`, \
               a missing version is `latest`, `latest` and newer versions mean the policy of the \
               configured `kubernetesVersion`, an invalid `enforce` level is evaluated as `restricted` \
               and invalid `warn`/`audit` levels as `privileged`. Invalid label values are reported on \
               the Namespace itself, because the API server rejects such a Namespace.",
        why: "A manifest that passes review can still fail at apply time, or worse, apply cleanly and then \
              never start: a Deployment in a namespace enforcing `restricted` is accepted, but its \
              ReplicaSet cannot create a single pod. Seeing the rejection before applying, with the \
              exact checks the API server will name, saves a failed rollout and shows which namespace \
              policy is in force.",
        fail: r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
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
        pass: r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
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
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop: [ALL]
"#,
        fix: "Fix the fields the `pss-*` findings point at, so the pods meet the namespace's level. If the \
              workload really needs more privileges, move it to a namespace with a less strict \
              `pod-security.kubernetes.io/enforce` label rather than weakening a shared namespace. Give \
              invalid labels one of the levels `privileged`, `baseline`, `restricted` and a version \
              `latest` or `v1.<minor>`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        ],
    },
    aliases: &["PodSecurity"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for namespace in cx.model.of_kind("Namespace").filter(|r| r.group().is_empty()) {
        for error in pod_security::policy(namespace).errors {
            sink.report(
                namespace,
                error.node.span(),
                namespace.path(&format!("metadata.labels[{}]", quote(error.label))),
                format!(
                    "invalid Pod Security label {}={}: the API server rejects this Namespace",
                    error.label,
                    quote(&error.value)
                ),
                format!("set {} to {}", error.label, error.expected),
            );
        }
    }
    for (resource, pod) in cx.model.workloads() {
        let Some(namespace) =
            resource.namespace.and_then(|ns| cx.model.index.namespaces.get(ns)).and_then(|id| cx.model.resource(*id))
        else {
            continue;
        };
        preview(cx, resource, pod, namespace, &pod_security::policy(namespace), sink);
    }
}

/// Reports the most severe outcome: rejection, else a warning, else an audit annotation.
fn preview(
    cx: &Cx<'_, '_>,
    resource: &Resource<'_>,
    pod: &PodSpec<'_>,
    namespace: &Resource<'_>,
    policy: &Policy<'_>,
    sink: &mut Sink,
) {
    let is_pod = resource.kind() == "Pod" && resource.group().is_empty();
    for mode in Mode::ALL {
        let lv = policy.mode(mode);
        if lv.level == Level::Privileged {
            continue;
        }
        let version = lv.version.effective(cx.version);
        let violations = admission::evaluate(cx, resource, pod, lv.level, version);
        if violations.is_empty() {
            continue;
        }
        let rules: Vec<&str> = violations.iter().map(|v| v.rule.id).collect();
        let kind = resource.kind();
        let (outcome, severity) = match (mode, is_pod) {
            (Mode::Enforce, true) => ("this Pod would be rejected: violates".to_owned(), Severity::Error),
            (Mode::Enforce, false) => {
                (format!("the pods of this {kind} would be rejected: they violate"), Severity::Error)
            }
            (Mode::Warn, _) => {
                (format!("this {kind} would be admitted with a warning: it would violate"), Severity::Warning)
            }
            (Mode::Audit, _) => {
                (format!("this {kind} would be admitted with an audit annotation: it would violate"), Severity::Info)
            }
        };
        sink.report(
            resource,
            pod.spec_key.span(),
            pod.spec_path.clone(),
            format!(
                "{outcome} PodSecurity {} ({}): {}",
                quote(&lv.to_string()),
                source_of(mode, lv, version, namespace),
                admission::forbidden_detail(&violations)
            ),
            format!(
                "make the pod spec meet the {} level (fix the findings of {}), or run it in a namespace with a less strict level",
                lv.level.as_str(),
                rules.join(", ")
            ),
        )
        .severity(severity);
        return;
    }
}

/// Which label of which namespace set the level, for messages; notes a level read from an
/// invalid value and a pinned version newer than the cluster's policy.
fn source_of(mode: Mode, lv: LevelVersion, version: KubeVersion, namespace: &Resource<'_>) -> String {
    let mut out = format!("{} label of namespace {}", mode.as_str(), quote(namespace.name()));
    if lv.invalid_level {
        out.push_str(", whose invalid value counts as restricted");
    }
    if matches!(lv.version, PolicyVersion::Minor(m) if m > u64::from(version.minor())) {
        out.push_str(&format!(", evaluated at {version}, the newest policy of the cluster"));
    }
    out
}
