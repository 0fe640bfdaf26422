//! `host-aliases`: a pod overrides name resolution with `hostAliases`.

use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "host-aliases",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "The pod sets hostAliases, writing /etc/hosts entries that override DNS inside the pod.",
    docs: docs! {
        what: "Reports a non-empty `hostAliases` on a pod or pod template, at the key, naming the host \
               names it overrides.",
        why: "hostAliases entries go into every container's /etc/hosts and win over DNS. They silently \
              send traffic for a name (an internal API, a registry, a cloud metadata endpoint) to a fixed \
              address that nobody re-checks when it changes, bypass the cluster's DNS and its logging, \
              and are a quiet way to redirect a trusted name. Prefer DNS, which is reviewed and \
              observable.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostAliases:
  - ip: 10.0.0.7
    hostnames: [api.internal]
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
"#,
        fix: "Remove `hostAliases` and publish the name in DNS: a Service (ExternalName, or a Service with \
              manual Endpoints) or the cluster's DNS configuration.",
        references: &["https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some((key, list)) = pod.spec.entry("hostAliases") else { return };
    if list.is_empty() {
        return;
    }
    let names: Vec<String> = list
        .items()
        .flat_map(|alias| {
            let ip = alias.field("ip").and_then(|i| i.str()).unwrap_or("?");
            alias
                .field("hostnames")
                .map(|h| h.items().filter_map(|n| n.str()).map(|n| format!("{n} → {ip}")).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect();
    let detail = if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) };
    let reported = sink.report(
        resource,
        key.span(),
        pod.path("hostAliases"),
        format!("host aliases: the pod overrides name resolution in /etc/hosts{detail}"),
        "remove hostAliases and publish the names in DNS (a Service or the cluster DNS)",
    );
    if let Some(edits) = crate::fix::remove_entry_line(cx.text(resource), key, list) {
        reported.fix("remove hostAliases", edits);
    }
}
