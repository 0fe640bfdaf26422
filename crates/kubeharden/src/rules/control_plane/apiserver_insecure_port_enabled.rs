//! `apiserver-insecure-port-enabled`: the API server serves HTTP without authentication.

use crate::fix::Applicability;
use crate::model::component::{ComponentKind, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "apiserver-insecure-port-enabled",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "kube-apiserver serves its insecure port: plain HTTP with no authentication and no authorization.",
    docs: docs! {
        what: "Before Kubernetes 1.20, reports a kube-apiserver without `--insecure-port=0` (the port \
               defaulted to 8080, on `--insecure-bind-address`, default 127.0.0.1), and an insecure bind \
               address that is not loopback. From 1.20 on, insecure serving is gone and the API server refuses \
               to start with a non-zero `--insecure-port` (the flag was removed in 1.24), so only a written \
               non-zero port is reported. `--port` and `--address` are the old names of the same flags.",
        why: "Requests to the insecure port skip authentication and authorization entirely: anyone who can \
              reach it, including every pod with host networking on a control-plane node when it is bound to \
              localhost, is cluster-admin. CIS Kubernetes Benchmark 1.2.19 and 1.2.20 (older releases).",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --insecure-port=8080
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.33.1
    command:
    - kube-apiserver
    - --secure-port=6443
"#,
        fix: "Set `--insecure-port=0` (before 1.20) or remove the flag (1.20 and later), and reach the API \
              server only on its secure port.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/controlling-access/#api-server-ports-and-ips",
            "https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/CHANGELOG-1.20.md",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 1.2.19", "CIS 1.2.20"],
    pss: None,
    checks: &[Versioned::always(Check::Global(legacy)), Versioned::since(20, Check::Global(current))],
    fix: Some(Applicability::Hardening),
};

/// The insecure port's flag name as written (`insecure-port`, or the older `port`).
fn port_flag(comp: &crate::model::component::Component<'_>) -> &'static str {
    if matches!(comp.setting("insecure-port"), Setting::Default) && matches!(comp.setting("port"), Setting::Flag(_)) {
        "port"
    } else {
        "insecure-port"
    }
}

fn is_loopback(address: &str) -> bool {
    address == "localhost" || address.starts_with("127.") || address == "::1"
}

/// Kubernetes before 1.20: the insecure port defaults to 8080 on 127.0.0.1.
fn legacy(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        let name = port_flag(comp);
        let setting = comp.setting(name);
        let port = setting.value().unwrap_or("8080").trim().to_owned();
        if port == "0" {
            return;
        }
        let bind_name =
            if matches!(comp.setting("address"), Setting::Flag(_)) { "address" } else { "insecure-bind-address" };
        let bind = comp.setting(bind_name).value().unwrap_or("127.0.0.1").to_owned();
        let exposure = if is_loopback(&bind) {
            format!("on {bind}:{port}, open to every process and host-network pod of the node")
        } else {
            format!("on {bind}:{port}, open to the network")
        };
        let detail = super::describe(comp, name, "8080");
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            name,
            (
                format!("the insecure port serves unauthenticated HTTP {exposure}: {detail}"),
                format!("set {} in {}", comp.spell(name, "0"), comp.where_flags()),
            ),
            Some("0"),
        );
    });
}

/// Kubernetes 1.20 and later: insecure serving is gone; a non-zero port stops the API server.
fn current(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::ApiServer, |resource, comp| {
        let name = port_flag(comp);
        let Setting::Flag(f) = comp.setting(name) else {
            return;
        };
        if f.value().trim() == "0" {
            return;
        }
        sink.report(
            resource,
            f.span,
            f.path.clone(),
            format!(
                "the insecure port is requested: {} sets {}, which kube-apiserver has refused since 1.20 (the flag is gone since 1.24)",
                comp.label(),
                f.display()
            ),
            format!("remove --{name} and use the secure port only"),
        );
    });
}
