//! `unknown-api-version`: a built-in kind under an `apiVersion` that does not serve it.

use crate::fix::Applicability;
use crate::model::builtin_kinds::{self, Served};
use crate::model::{KubeVersion, Resource, deprecations};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "unknown-api-version",
    family: Family::Api,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A built-in kind is written under an apiVersion that does not serve it, so the API server rejects the object.",
    docs: docs! {
        what: "Reports the `apiVersion` of an object whose kind is a built-in Kubernetes kind (Deployment, \
               Pod, Service, Role, …) when that version does not serve the kind at the configured \
               `kubernetesVersion`: a typo such as `app/v1` or `core/v1`, a version that never existed such \
               as `apps/v2`, the core `v1` for a kind of a named group, or an alpha or beta version outside \
               the releases that served it. The message names the versions that do serve the kind, and the \
               object is still linted as the nearest of them would read it (an `app/v1` Deployment as \
               `apps/v1`), so its pod template gets every other finding. Versions that were removed are \
               left to `removed-api`, and a kind of a group with a dot that Kubernetes does not serve is a \
               custom resource, not a mistake.",
        why: "The API server refuses such an object outright (`no matches for kind \"Deployment\" in \
              version \"app/v1\"`), so the deploy fails; worse, a tool that only recognises the right \
              version skips the object and reports no problem at all, even when its pods would run \
              privileged.",
        fail: r#"apiVersion: app/v1
kind: Deployment
metadata:
  name: web
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
        pass: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
        fix: "Write the `apiVersion` the message names (`kubectl api-resources` lists the versions a cluster \
              serves). For a version that never served the kind, the fix sets the nearest served one.",
        references: &[
            "https://kubernetes.io/docs/reference/using-api/#api-groups",
            "https://kubernetes.io/docs/reference/kubernetes-api/",
        ],
    },
    aliases: &["kubeconform:could-not-find-schema", "kubectl-validate:no-matches-for-kind"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: Some(Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    let Some(kind) = resource.kind.and_then(builtin_kinds::kind) else { return };
    let Some((_, value)) = resource.node.entry("apiVersion") else { return };
    let Some(written) = value.str().filter(|v| !v.is_empty()) else { return };
    let served: Vec<&Served> = kind.served_at(cx.version).collect();
    let problem = match resource.read_as {
        Some(_) => format!("{written} does not serve kind {}", kind.name),
        None => {
            // Known to have served the kind: only a release window can make it wrong here.
            let Some(entry) = kind.version(written) else { return };
            let (group, version) = builtin_kinds::split(written);
            if entry.at(cx.version) || deprecations::lookup(group, version, kind.name).is_some() {
                return;
            }
            format!("{written} {} is not served by Kubernetes {} ({})", kind.name, cx.version, window(entry))
        }
    };
    let instead = served_instead(kind, written, &served, cx.version);
    let lint_note = match resource.read_as {
        Some(read_as) => format!("; it is linted as {}", read_as.api_version),
        None => String::new(),
    };
    let reported = sink.report(
        resource,
        value.span(),
        resource.path("apiVersion"),
        format!("{problem}: the API server rejects this object{lint_note}"),
        match &instead {
            Some(v) => format!("use apiVersion: {}{}", v.api_version, others(&served, v)),
            None => format!("no version of Kubernetes {} serves {}; target a release that does", cx.version, kind.name),
        },
    );
    // A typo has one meaning; a version of another release may differ in schema.
    if let (Some(v), Some(_)) = (instead, resource.read_as) {
        reported.fix(format!("set apiVersion: {}", v.api_version), vec![(value.span(), v.api_version.to_owned())]);
    }
}

/// The served version to write instead: the nearest one the target release serves.
fn served_instead(
    kind: &'static builtin_kinds::Kind,
    written: &str,
    served: &[&'static Served],
    version: KubeVersion,
) -> Option<&'static Served> {
    kind.nearest(written).filter(|v| v.at(version)).or_else(|| served.first().copied())
}

/// ` (also served: a, b)` for the other versions the release serves.
fn others(served: &[&Served], chosen: &Served) -> String {
    let rest: Vec<&str> =
        served.iter().filter(|v| v.api_version != chosen.api_version).map(|v| v.api_version).collect();
    if rest.is_empty() { String::new() } else { format!(" (also served: {})", rest.join(", ")) }
}

/// `served from v1.27 until v1.31`.
fn window(entry: &Served) -> String {
    match (entry.since, entry.until) {
        (0, Some(until)) => format!("served until v1.{}", until.saturating_sub(1)),
        (since, Some(until)) => format!("served from v1.{since} to v1.{}", until.saturating_sub(1)),
        (since, None) => format!("served from v1.{since}"),
    }
}
