//! `kubelet-certificate-rotation-disabled`: the kubelet's certificates are not rotated.

use super::kubelet::{self, nearest_key};
use crate::fix;
use crate::fix::Applicability;
use crate::model::Resource;
use crate::model::component::{ComponentKind, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "kubelet-certificate-rotation-disabled",
    family: Family::ControlPlane,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "The kubelet does not rotate its certificates (rotateCertificates false, or a self-signed serving certificate without serverTLSBootstrap).",
    docs: docs! {
        what: "Reports a kubelet (a `KubeletConfiguration`, or kubelet flags) that turns client certificate \
               rotation off explicitly (`rotateCertificates: false`, `--rotate-certificates=false`), that \
               serves a self-signed certificate (neither `serverTLSBootstrap: true` nor `tlsCertFile`, so \
               the kubelet generates its own certificate that nothing rotates and the API server cannot \
               verify), or that disables the `RotateKubeletServerCertificate` feature gate while \
               bootstrapping its serving certificate. An unset `rotateCertificates` is not reported: it \
               only matters for a kubelet that authenticates with a client certificate, which the \
               configuration does not show (EKS kubelets, for one, use tokens), and CIS 4.2.11 accepts it.",
        why: "Certificates that are never rotated stay valid for their whole lifetime after a key leaks, and \
              expire at once when they do. A serving certificate signed by the cluster CA \
              (`serverTLSBootstrap`) also lets the API server verify the kubelet \
              (`--kubelet-certificate-authority`) instead of trusting any endpoint. CIS Kubernetes Benchmark \
              4.2.11 and 4.2.12.",
        fail: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: false
serverTLSBootstrap: true
"#,
        pass: r#"apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: true
serverTLSBootstrap: true
"#,
        fix: "Set `rotateCertificates: true` and `serverTLSBootstrap: true` (then approve the kubelet serving \
              CSRs, with a controller or `kubectl certificate approve`), or provide `tlsCertFile` and \
              `tlsPrivateKeyFile` issued and renewed by your own tooling.",
        references: &[
            "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation",
            "https://kubernetes.io/docs/tasks/tls/certificate-rotation/",
            "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 4.2.11", "CIS 4.2.12", "kube-bench:4.2.11", "kube-bench:4.2.12"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Hardening),
};

const SERVING_HELP: &str =
    "set serverTLSBootstrap: true (and approve the kubelet serving CSRs), or provide tlsCertFile and tlsPrivateKeyFile";

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for resource in kubelet::kubelet_configs(cx) {
        check_config(cx, sink, resource);
    }
    super::each_component(cx, ComponentKind::Kubelet, |resource, comp| {
        let has_config = !matches!(comp.setting("config"), Setting::Default);
        if let Setting::Flag(f) = comp.setting("rotate-certificates")
            && f.bool() == Some(false)
        {
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "rotate-certificates",
                (
                    format!("client certificate rotation is off: {} sets {}", comp.label(), f.display()),
                    format!("set {} in {}", comp.spell("rotate-certificates", "true"), comp.where_flags()),
                ),
                Some("true"),
            );
        }
        let bootstrap = comp.setting("rotate-server-certificates");
        let own_cert = !matches!(comp.setting("tls-cert-file"), Setting::Default);
        let gate_off = feature_gate_off(comp.setting("feature-gates").value().unwrap_or(""));
        if let Setting::Flag(f) = &bootstrap
            && f.bool() == Some(true)
            && gate_off
        {
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "feature-gates",
                (
                    format!(
                        "serving certificate rotation is off: {} disables the RotateKubeletServerCertificate feature gate",
                        comp.label()
                    ),
                    "remove RotateKubeletServerCertificate=false from --feature-gates".to_owned(),
                ),
                None,
            );
        }
        // Without its own certificate the kubelet serves a self-signed one, unless it bootstraps
        // a signed one (the flag, or a --config file that may set serverTLSBootstrap).
        let self_signed = match &bootstrap {
            _ if own_cert => None,
            Setting::Flag(f) if f.bool() != Some(true) => Some(format!("{} sets {}", comp.label(), f.display())),
            Setting::Default if !has_config => {
                Some(format!("{} runs without --config, --tls-cert-file or --rotate-server-certificates", comp.label()))
            }
            _ => None,
        };
        if let Some(how) = self_signed {
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "rotate-server-certificates",
                (
                    format!("the kubelet serves a self-signed certificate: {how}"),
                    format!("set {} in {}", comp.spell("rotate-server-certificates", "true"), comp.where_flags()),
                ),
                Some("true"),
            );
        }
    });
}

/// `RotateKubeletServerCertificate=false` in a `--feature-gates` list.
fn feature_gate_off(gates: &str) -> bool {
    gates.split(',').any(|g| {
        g.split_once('=').is_some_and(|(k, v)| {
            k.trim() == "RotateKubeletServerCertificate"
                && crate::model::component::parse_go_bool(v.trim()) == Some(false)
        })
    })
}

fn check_config(cx: &Cx<'_, '_>, sink: &mut Sink, resource: &Resource<'_>) {
    let node = resource.node;
    if let Some(v) = node.field("rotateCertificates").filter(|v| v.bool() == Some(false)) {
        sink.report(
            resource,
            v.span(),
            resource.path("rotateCertificates"),
            "client certificate rotation is off: the KubeletConfiguration sets rotateCertificates: false",
            "set rotateCertificates: true so the kubelet renews its client certificate before it expires",
        )
        .fix("set rotateCertificates: true", fix::replace(v, "true"));
    }
    let bootstrap = node.field("serverTLSBootstrap");
    let own_cert = node.field("tlsCertFile").and_then(|v| v.str()).is_some_and(|s| !s.is_empty());
    match bootstrap.map(|v| (v, v.bool())) {
        Some((_, Some(true))) => {
            let gate = node.at(&["featureGates", "RotateKubeletServerCertificate"]);
            if let Some(g) = gate.filter(|g| g.bool() == Some(false)) {
                sink.report(
                    resource,
                    g.span(),
                    resource.path("featureGates.RotateKubeletServerCertificate"),
                    "serving certificate rotation is off: the KubeletConfiguration disables the RotateKubeletServerCertificate feature gate",
                    "remove featureGates.RotateKubeletServerCertificate: false",
                )
                .fix("set RotateKubeletServerCertificate: true", fix::replace(g, "true"));
            }
        }
        _ if own_cert => {}
        Some((v, _)) => {
            sink.report(
                resource,
                v.span(),
                resource.path("serverTLSBootstrap"),
                format!(
                    "the kubelet serves a self-signed certificate: the KubeletConfiguration sets serverTLSBootstrap: {} and no tlsCertFile",
                    v.str().unwrap_or("")
                ),
                SERVING_HELP,
            )
            .fix("set serverTLSBootstrap: true", fix::replace(v, "true"));
        }
        None => {
            let reported = sink.report(
                resource,
                nearest_key(resource, &["serverTLSBootstrap"]),
                resource.path("serverTLSBootstrap"),
                "the kubelet serves a self-signed certificate: the KubeletConfiguration sets neither serverTLSBootstrap (default false) nor tlsCertFile",
                SERVING_HELP,
            );
            if let Some(edits) = fix::insert(cx.text(resource), node, &["serverTLSBootstrap"], "true") {
                reported.fix("add serverTLSBootstrap: true", edits);
            }
        }
    }
}
