//! What `missing-resource-limits` and `missing-resource-requests` share: which CPU and memory
//! values a container runs with once Kubernetes has applied its defaults.
//!
//! A container is covered for a resource when it sets it, when a LimitRange of its namespace
//! (in the input) defaults it, or — from Kubernetes 1.34, where pod-level resources are on by
//! default — when the pod sets it in `spec.resources`. Requests also default to the container's
//! own limits.

use crate::model::{Container, ContainerKind, PodSpec, Resource};
use crate::rules::{Cx, Sink};
use crate::source::NodeRef;

/// The resources both rules require.
pub const NAMES: [&str; 2] = ["cpu", "memory"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Limits,
    Requests,
}

impl Kind {
    pub fn field(self) -> &'static str {
        match self {
            Kind::Limits => "limits",
            Kind::Requests => "requests",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Limits => "limit",
            Kind::Requests => "request",
        }
    }

    /// LimitRange fields (type Container) whose values become this kind's defaults, after the
    /// API's own defaulting (`default` ← `max`, `defaultRequest` ← `default` ← `min`).
    fn limit_range_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Limits => &["default", "max"],
            Kind::Requests => &["defaultRequest", "default", "max", "min"],
        }
    }
}

/// `helm.sh/hook: test` (or `test-success`, `test-failure`, in a comma-separated list).
pub fn is_helm_test_hook(resource: &Resource<'_>) -> bool {
    resource.annotation("helm.sh/hook").is_some_and(|hooks| hooks.split(',').any(|h| h.trim().starts_with("test")))
}

fn sets(map: Option<NodeRef<'_>>, name: &str) -> bool {
    map.and_then(|m| m.field(name)).is_some()
}

/// Resources the LimitRanges of `namespace` in the input give containers by default.
fn limit_range_defaults(cx: &Cx<'_, '_>, namespace: &str, kind: Kind) -> Vec<&'static str> {
    let mut out = Vec::new();
    for lr in cx.model.of_kind("LimitRange").filter(|r| r.group().is_empty() && r.namespace() == namespace) {
        let Some(items) = lr.node.at(&["spec", "limits"]) else { continue };
        for item in items.items().filter(|i| i.field("type").and_then(|t| t.str()) == Some("Container")) {
            for name in NAMES {
                if kind.limit_range_fields().iter().any(|f| sets(item.field(f), name)) && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// Reports the containers of a pod that have no `kind` for cpu or memory.
pub fn check(
    cx: &Cx<'_, '_>,
    resource: &Resource<'_>,
    pod: &PodSpec<'_>,
    sink: &mut Sink,
    kind: Kind,
    pod_level: bool,
) {
    if cx.settings.skip_helm_test_hooks && is_helm_test_hook(resource) {
        return;
    }
    let mut covered = limit_range_defaults(cx, resource.namespace(), kind);
    if pod_level {
        let pod_resources = pod.field("resources");
        for name in NAMES {
            // Pod-level requests default to pod-level limits too.
            let set = sets(pod_resources.and_then(|r| r.field(kind.field())), name)
                || (kind == Kind::Requests && sets(pod_resources.and_then(|r| r.field("limits")), name));
            if set && !covered.contains(&name) {
                covered.push(name);
            }
        }
    }
    for c in pod.containers() {
        // Ephemeral containers may not set resources; they use the pod's.
        if c.kind == ContainerKind::Ephemeral {
            continue;
        }
        report(resource, c, &covered, sink, kind);
    }
}

/// A written value that is not a mapping: `invalid-resource` reports it, and the API server
/// rejects the object, so nothing is missing on top of it.
fn is_malformed(node: Option<NodeRef<'_>>) -> bool {
    node.is_some_and(|n| !n.is_map())
}

fn report(resource: &Resource<'_>, c: &Container<'_>, covered: &[&str], sink: &mut Sink, kind: Kind) {
    let resources = c.node.field("resources");
    let own = resources.and_then(|r| r.field(kind.field()));
    let limits = resources.and_then(|r| r.field("limits"));
    if is_malformed(resources) || is_malformed(own) || (kind == Kind::Requests && is_malformed(limits)) {
        return;
    }
    let missing: Vec<&str> = NAMES
        .into_iter()
        .filter(|name| !covered.contains(name))
        .filter(|name| !(sets(own, name) || (kind == Kind::Requests && sets(limits, name))))
        .collect();
    if missing.is_empty() {
        return;
    }
    let field = kind.field();
    // Point at `resources.<kind>`, else `resources`, else the container's name.
    let at = resources
        .and_then(|r| r.entry(field))
        .or_else(|| c.node.entry("resources"))
        .map(|(k, _)| k.span())
        .or_else(|| c.node.get("name").map(|n| n.span()))
        .unwrap_or_else(|| c.node.span());
    let (path, what) = match missing.as_slice() {
        [one] => (c.field_path(&format!("resources.{field}.{one}")), format!("no {one} {}", kind.noun())),
        _ => (c.field_path(&format!("resources.{field}")), format!("no cpu or memory {}", kind.noun())),
    };
    let set: Vec<String> = missing.iter().map(|m| format!("resources.{field}.{m}")).collect();
    sink.report(
        resource,
        at,
        path,
        format!("missing resource {field}: {} has {what}", c.label()),
        format!("set {} (or give the namespace a LimitRange with defaults)", set.join(" and ")),
    );
}
