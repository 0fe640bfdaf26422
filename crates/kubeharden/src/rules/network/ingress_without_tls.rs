//! `ingress-without-tls`: an Ingress serves hosts without TLS.

use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "ingress-without-tls",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "An Ingress has no tls section, or serves a host its tls section does not cover.",
    docs: docs! {
        what: "Reports Ingresses (`networking.k8s.io`, and the legacy `extensions` group) without `spec.tls`, at \
               `spec`; and, when `tls` is present, each `rules[].host` that no `tls[].hosts` entry covers, at \
               the host (a `*.example.com` entry covers one label; a `tls` entry without `hosts` covers \
               every host).",
        why: "Without TLS, credentials, cookies and data cross the network in clear text, readable and \
              modifiable by anyone on the path. The NSA/CISA hardening guide asks to encrypt all traffic to \
              the cluster.",
        fail: r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
"#,
        pass: r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
"#,
        fix: "Add a `tls` entry listing the hosts and the Secret holding their certificate (cert-manager can \
              issue and renew it), and redirect HTTP to HTTPS in the ingress controller.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

fn covers(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => host.split_once('.').is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !(resource.is("networking.k8s.io", "Ingress") || resource.is("extensions", "Ingress")) {
        return;
    }
    let Some((spec_key, spec)) = resource.node.entry("spec") else { return };
    let tls: Vec<_> = spec.field("tls").map(|l| l.items().collect()).unwrap_or_default();
    if tls.is_empty() {
        sink.report(
            resource,
            spec.entry("tls").map_or(spec_key.span(), |(k, _)| k.span()),
            resource.path("spec.tls"),
            "Ingress has no tls section: its hosts are served over plain HTTP",
            "add spec.tls with the hosts and the Secret holding their certificate",
        );
        return;
    }
    if tls.iter().any(|t| t.field("hosts").is_none_or(|h| h.is_empty())) {
        return;
    }
    let patterns: Vec<&str> =
        tls.iter().filter_map(|t| t.field("hosts")).flat_map(|h| h.items()).filter_map(|h| h.str()).collect();
    let Some(rules) = spec.field("rules") else { return };
    for (i, rule) in rules.items().enumerate() {
        let Some(host) = rule.field("host") else { continue };
        let Some(name) = host.str() else { continue };
        if !patterns.iter().any(|p| covers(p, name)) {
            sink.report(
                resource,
                host.span(),
                resource.path(&format!("spec.rules[{i}].host")),
                format!("host {name:?} is not listed in any tls entry: it is served over plain HTTP"),
                "add the host to a spec.tls[].hosts entry with a certificate that covers it",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcard_hosts_cover_one_label() {
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(!covers("*.example.com", "a.shop.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(covers("shop.example.com", "shop.example.com"));
    }
}
