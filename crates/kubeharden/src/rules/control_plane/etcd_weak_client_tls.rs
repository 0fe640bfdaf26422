//! `etcd-weak-client-tls`: etcd does not require (or verify) client certificates.

use crate::fix::Applicability;
use crate::model::component::{ComponentKind, Setting};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "etcd-weak-client-tls",
    family: Family::ControlPlane,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "etcd serves clients without TLS client certificate authentication, or with self-signed auto TLS.",
    docs: docs! {
        what: "Reports an etcd (static Pod command or `ETCD_*` environment, or kubeadm `etcd.local.extraArgs`) \
               that does not set `--client-cert-auth=true` (default false), that sets `--auto-tls=true`, that \
               has no `--cert-file`/`--key-file` (clients then talk plain HTTP), or that listens for clients on \
               an `http://` URL. kubeadm sets the certificates and client certificate authentication.",
        why: "etcd holds every object of the cluster, Secrets included. Any client that reaches it without a \
              certificate signed by the trusted CA can read or rewrite the whole cluster state, bypassing \
              authentication, authorization, admission and audit. Auto TLS certificates are self-signed and \
              verify nothing. CIS Kubernetes Benchmark 2.1 to 2.3.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.21-0
    command:
    - etcd
    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --key-file=/etc/kubernetes/pki/etcd/server.key
    - --auto-tls=true
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.21-0
    command:
    - etcd
    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --key-file=/etc/kubernetes/pki/etcd/server.key
    - --client-cert-auth=true
    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    - --listen-client-urls=https://127.0.0.1:2379
"#,
        fix: "Set `--cert-file`, `--key-file`, `--trusted-ca-file` and `--client-cert-auth=true`, listen on \
              `https://` URLs only, and remove `--auto-tls`. Give the API server a client certificate \
              (`--etcd-certfile`, `--etcd-keyfile`, `--etcd-cafile`).",
        references: &[
            "https://etcd.io/docs/v3.5/op-guide/security/",
            "https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 2.1", "CIS 2.2", "CIS 2.3", "kube-bench:2.2"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(Applicability::Unsafe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    super::each_component(cx, ComponentKind::Etcd, |resource, comp| {
        let auth = comp.setting("client-cert-auth");
        if auth.bool_or(false) != Some(true) {
            let detail = super::describe(comp, "client-cert-auth", "false");
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "client-cert-auth",
                (
                    format!("etcd accepts clients without a certificate: {detail}"),
                    format!(
                        "set {} and --trusted-ca-file in {}",
                        comp.spell("client-cert-auth", "true"),
                        comp.where_flags()
                    ),
                ),
                Some("true"),
            );
        }
        if let Setting::Flag(f) = comp.setting("auto-tls")
            && f.bool() == Some(true)
        {
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                "auto-tls",
                (
                    format!("etcd serves clients a self-signed certificate: {} sets {}", comp.label(), f.display()),
                    "remove --auto-tls and set --cert-file and --key-file to a certificate signed by the etcd CA"
                        .to_owned(),
                ),
                None,
            );
        }
        let auto_tls = comp.setting("auto-tls").bool_or(false) == Some(true);
        let missing: Vec<&str> = ["cert-file", "key-file"].into_iter().filter(|n| !comp.is_set(n)).collect();
        if let Some(first) = missing.first()
            && !auto_tls
        {
            let flags: Vec<String> = missing.iter().map(|n| format!("--{n}")).collect();
            super::report_flag(
                cx,
                sink,
                resource,
                comp,
                first,
                (
                    format!("etcd has no serving certificate: {} does not set {}", comp.label(), flags.join(" or ")),
                    format!("set --cert-file and --key-file in {} and listen on https:// URLs", comp.where_flags()),
                ),
                None,
            );
        }
        if let Setting::Flag(f) = comp.setting("listen-client-urls")
            && f.value().split(',').any(|u| u.trim().starts_with("http://"))
        {
            sink.report(
                resource,
                f.span,
                f.path.clone(),
                format!("etcd listens for clients over plain HTTP: {} sets {}", comp.label(), f.display()),
                "use https:// in --listen-client-urls (and --advertise-client-urls)",
            );
        }
    });
}
