//! `mesh-mtls-not-strict`: Istio configuration that accepts or sends plain text.

use crate::fix::Applicability;
use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::source::NodeRef;

pub static RULE: Rule = Rule {
    id: "mesh-mtls-not-strict",
    family: Family::Network,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "An Istio PeerAuthentication allows plain text (PERMISSIVE or DISABLE), or a DestinationRule disables TLS.",
    docs: docs! {
        what: "Reports Istio `PeerAuthentication` (`security.istio.io`) whose `spec.mtls.mode` or a \
               `portLevelMtls` mode is `PERMISSIVE` or `DISABLE`, and `DestinationRule` \
               (`networking.istio.io`) whose `trafficPolicy.tls.mode` (also per port and per subset) is \
               `DISABLE`, at the mode value. `UNSET` inherits from the parent policy and is not reported; \
               `SIMPLE` and `MUTUAL` in a DestinationRule originate TLS (usually to services outside the mesh) \
               and are not reported.",
        why: "PERMISSIVE accepts plain-text connections next to mutual TLS, so any client that skips the \
              sidecar reaches the workload unauthenticated and unencrypted; DISABLE turns mTLS off. The \
              NSA/CISA hardening guide asks to encrypt and authenticate traffic between workloads; Istio's \
              own guidance is PERMISSIVE only while migrating.",
        fail: r#"apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: PERMISSIVE
"#,
        pass: r#"apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: STRICT
"#,
        fix: "Set PeerAuthentication modes to `STRICT` once every client has a sidecar, and let DestinationRules \
              use `ISTIO_MUTUAL` (or leave `tls` out to use automatic mTLS).",
        references: &[
            "https://istio.io/latest/docs/reference/config/security/peer_authentication/",
            "https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    let Some(spec) = resource.node.field("spec") else { return };
    if resource.is("security.istio.io", "PeerAuthentication") {
        if let Some(mode) = spec.at(&["mtls", "mode"]) {
            peer_mode(resource, sink, mode, "spec.mtls.mode".into(), "");
        }
        if let Some(ports) = spec.field("portLevelMtls") {
            for (port, settings) in ports.entries() {
                let port = port.key_str().unwrap_or_default();
                if let Some(mode) = settings.field("mode") {
                    peer_mode(
                        resource,
                        sink,
                        mode,
                        format!("spec.portLevelMtls.{port}.mode"),
                        &format!(" on port {port}"),
                    );
                }
            }
        }
    } else if resource.is("networking.istio.io", "DestinationRule") {
        if let Some(policy) = spec.field("trafficPolicy") {
            traffic_policy(resource, sink, policy, "spec.trafficPolicy", "");
        }
        if let Some(subsets) = spec.field("subsets") {
            for (i, subset) in subsets.items().enumerate() {
                let name = subset.field("name").and_then(|n| n.str()).unwrap_or_default();
                if let Some(policy) = subset.field("trafficPolicy") {
                    traffic_policy(
                        resource,
                        sink,
                        policy,
                        &format!("spec.subsets[{i}].trafficPolicy"),
                        &format!(" for subset {name:?}"),
                    );
                }
            }
        }
    }
}

fn peer_mode(resource: &Resource<'_>, sink: &mut Sink, mode: NodeRef<'_>, rel: String, scope: &str) {
    let value = mode.str().unwrap_or_default();
    let meaning = match value {
        "PERMISSIVE" => "accepts plain-text connections next to mTLS",
        "DISABLE" => "turns mutual TLS off",
        _ => return,
    };
    sink.report(
        resource,
        mode.span(),
        resource.path(&rel),
        format!("PeerAuthentication mode {value}{scope} {meaning}"),
        "set the mode to STRICT once every client of these workloads runs with a sidecar",
    )
    .fix("set the mode to STRICT", vec![(mode.span(), "STRICT".into())]);
}

fn traffic_policy(resource: &Resource<'_>, sink: &mut Sink, policy: NodeRef<'_>, rel: &str, scope: &str) {
    let mut modes = Vec::new();
    if let Some(mode) = policy.at(&["tls", "mode"]) {
        modes.push((mode, format!("{rel}.tls.mode"), String::new()));
    }
    if let Some(ports) = policy.field("portLevelSettings") {
        for (i, p) in ports.items().enumerate() {
            if let Some(mode) = p.at(&["tls", "mode"]) {
                let port = p.at(&["port", "number"]).and_then(|n| n.str()).unwrap_or("?");
                modes.push((mode, format!("{rel}.portLevelSettings[{i}].tls.mode"), format!(" on port {port}")));
            }
        }
    }
    for (mode, path, port) in modes {
        if mode.str() == Some("DISABLE") {
            sink.report(
                resource,
                mode.span(),
                resource.path(&path),
                format!("DestinationRule sends plain text (tls.mode DISABLE){port}{scope}"),
                "use ISTIO_MUTUAL, or remove tls to let Istio use mutual TLS automatically",
            )
            .fix("set tls.mode to ISTIO_MUTUAL", vec![(mode.span(), "ISTIO_MUTUAL".into())]);
        }
    }
}
