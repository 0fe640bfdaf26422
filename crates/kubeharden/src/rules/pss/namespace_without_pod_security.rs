//! `namespace-without-pod-security`: a Namespace that enforces no Pod Security level.

use crate::fix::Applicability;
use std::collections::BTreeMap;

use super::admission;
use super::common::quote;
use crate::fix;
use crate::model::pod_security::{ENFORCE, Level};
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "namespace-without-pod-security",
    family: Family::Pss,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A Namespace has no pod-security.kubernetes.io/enforce label, or enforces the privileged level.",
    docs: docs! {
        what: "Reports Namespace objects without the `pod-security.kubernetes.io/enforce` label (at its \
               `labels`, or `metadata`, key) and those labelled `enforce: privileged` (at the value). The \
               help and the fix propose the strictest level every workload of that namespace in the \
               input already meets (`restricted`, else `baseline`), evaluated at the configured \
               Kubernetes version; there is no fix when some workload fails even `baseline`. `warn` and \
               `audit` labels alone do not count: they never block a pod.",
        why: "Pod Security Admission only protects namespaces that ask for it: without an `enforce` label \
              (and with the API server's default configuration) any pod is admitted, including \
              privileged pods with host namespaces and host mounts. Labelling every namespace with at \
              least `baseline` is the Kubernetes documentation's recommendation, and the NSA/CISA guide \
              asks for pod security enforcement in every namespace.",
        fail: r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
"#,
        pass: r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.35
"#,
        fix: "Add `pod-security.kubernetes.io/enforce: restricted` (or `baseline` where workloads need it) \
              to the Namespace's labels, and pin `pod-security.kubernetes.io/enforce-version` so that a \
              cluster upgrade does not change the policy unannounced. Start with `warn` and `audit` \
              labels to find the pods that would be rejected. Namespaces for node agents that truly \
              need privileges keep `privileged`, with an exemption that says why.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.2.1"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    // The workloads of each namespace, gathered once.
    let mut workloads: BTreeMap<&str, Vec<(&Resource<'_>, &PodSpec<'_>)>> = BTreeMap::new();
    for (resource, pod) in cx.model.workloads() {
        if let Some(ns) = resource.namespace {
            workloads.entry(ns).or_default().push((resource, pod));
        }
    }
    for namespace in cx.model.of_kind("Namespace").filter(|r| r.group().is_empty()) {
        let members = workloads.get(namespace.name()).map(Vec::as_slice).unwrap_or_default();
        check_namespace(cx, namespace, members, sink);
    }
}

fn check_namespace(
    cx: &Cx<'_, '_>,
    resource: &Resource<'_>,
    members: &[(&Resource<'_>, &PodSpec<'_>)],
    sink: &mut Sink,
) {
    let name = resource.name();
    let suggestion = suggest(cx, members);
    let suggested = match suggestion {
        Some(level) if !members.is_empty() => {
            format!("label it {ENFORCE}: {} (every workload of this namespace in the input meets it)", level.as_str())
        }
        Some(level) => format!("label it {ENFORCE}: {}", level.as_str()),
        None => format!(
            "some workloads of this namespace fail even the baseline level (see rejected-by-pod-security after labelling it); fix them, then label it {ENFORCE}: baseline or restricted"
        ),
    };
    let path = resource.path(&format!("metadata.labels[{}]", quote(ENFORCE)));
    let labels = resource.labels();
    match labels.and_then(|l| l.entry(ENFORCE)) {
        Some((_, value)) if value.str() == Some("privileged") => {
            let reported = sink.report(
                resource,
                value.span(),
                path,
                format!("namespace {} enforces the privileged Pod Security level: any pod is admitted", quote(name)),
                suggested,
            );
            if let Some(level) = suggestion {
                reported.fix(format!("enforce {}", level.as_str()), vec![(value.span(), level.as_str().into())]);
            }
        }
        Some(_) => {}
        None => {
            let anchor = resource
                .metadata()
                .and_then(|m| m.entry("labels"))
                .or_else(|| resource.node.entry("metadata"))
                .map_or(resource.node.span(), |(k, _)| k.span());
            let reported = sink.report(
                resource,
                anchor,
                path,
                format!("namespace {} has no {ENFORCE} label: any pod is admitted", quote(name)),
                suggested,
            );
            if let (Some(level), Some(metadata)) = (suggestion, resource.metadata())
                && let Some(edits) = fix::insert(cx.text(resource), metadata, &["labels", ENFORCE], level.as_str())
            {
                reported.fix(format!("add {ENFORCE}: {}", level.as_str()), edits);
            }
        }
    }
}

/// The strictest level every workload of the namespace (in the input) meets at the configured
/// version: restricted, else baseline, else none.
fn suggest(cx: &Cx<'_, '_>, members: &[(&Resource<'_>, &PodSpec<'_>)]) -> Option<Level> {
    [Level::Restricted, Level::Baseline]
        .into_iter()
        .find(|&level| members.iter().all(|(r, pod)| admission::evaluate(cx, r, pod, level, cx.version).is_empty()))
}
