//! `sensitive-host-path`: a hostPath volume exposes a sensitive part of the node.

use super::helpers::{host_path_volumes, labels, mounts};
use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

/// A sensitive location of a node.
#[derive(Debug)]
pub struct Sensitive {
    pub path: &'static str,
    /// Everything below the path is sensitive too (else only the path itself, and its parents).
    pub subtree: bool,
    pub why: &'static str,
}

const fn s(path: &'static str, subtree: bool, why: &'static str) -> Sensitive {
    Sensitive { path, subtree, why }
}

const RUNTIME_SOCKET: &str = "a container runtime socket: full control of every container on the node";

/// Linux locations. `/var/run` is compared as `/run` (it is a link to it).
pub const LINUX: &[Sensitive] = &[
    s("/etc", true, "the node's configuration and credentials (/etc/shadow, kubelet and control-plane configuration)"),
    s("/proc", true, "every process of the node and its kernel settings"),
    s("/sys", true, "the node's kernel, device and cgroup settings"),
    s("/boot", true, "the node's kernel and boot loader"),
    s("/root", true, "the root user's home (SSH keys, cloud and kubectl credentials)"),
    s("/dev", false, "every device of the node"),
    s(
        "/var/lib/kubelet",
        true,
        "kubelet state: every pod's volumes, Secrets and tokens, and the kubelet's credentials",
    ),
    s("/var/lib/etcd", true, "the etcd database: every object of the cluster, Secrets included"),
    s("/var/lib/docker", true, "Docker's storage: every container's filesystem and logs"),
    s("/var/lib/containerd", true, "containerd's storage: every container's filesystem"),
    s("/var/lib/containers", true, "CRI-O and Podman storage: every container's filesystem"),
    s("/var/lib/minikube", true, "minikube's cluster certificates, keys and etcd data"),
    s("/var/lib/rancher", true, "k3s and RKE2 server state: cluster tokens, certificates and keys"),
    s("/run/docker.sock", true, RUNTIME_SOCKET),
    s("/run/cri-dockerd.sock", true, RUNTIME_SOCKET),
    s("/run/containerd", true, RUNTIME_SOCKET),
    s("/run/crio", true, RUNTIME_SOCKET),
    s("/run/podman", true, RUNTIME_SOCKET),
    s("/run/k3s", true, RUNTIME_SOCKET),
    s("/opt/cni/bin", true, "CNI plugins, which the node runs as root for every pod"),
    s("/usr/libexec/kubernetes/kubelet-plugins", true, "FlexVolume drivers, which the kubelet runs as root"),
];

/// Windows locations, relative to a drive, lower-cased with `/` separators.
pub const WINDOWS: &[Sensitive] = &[
    s("/windows", true, "the Windows system directory"),
    s("/var/lib/kubelet", true, "kubelet state: every pod's volumes, Secrets and tokens"),
    s("/etc/kubernetes", true, "kubelet and cluster configuration and credentials"),
    s("/k", true, "kubelet configuration and credentials"),
    s("/programdata/docker", true, "Docker's data and configuration"),
    s("/programdata/containerd", true, "containerd's data and configuration"),
];

/// Public, read-only data under sensitive directories: not reported when every mount is
/// read-only.
pub const HARMLESS_READ_ONLY: &[&str] = &[
    "/etc/localtime",
    "/etc/timezone",
    "/etc/machine-id",
    "/etc/os-release",
    "/etc/ssl/certs",
    "/etc/ca-certificates",
    "/etc/pki/ca-trust",
    "/etc/pki/tls/certs",
];

pub static RULE: Rule = Rule {
    id: "sensitive-host-path",
    family: Family::Workload,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A hostPath volume exposes a sensitive part of the node: /, /etc, /proc, /sys, /boot, /root, kubelet or etcd state, or a container runtime socket.",
    docs: docs! {
        what: "Reports `hostPath` volumes of pods and pod templates, and `hostPath`/`local` PersistentVolumes, \
               whose path is, is inside, or contains a sensitive location: `/` itself, `/etc`, `/proc`, \
               `/sys`, `/boot`, `/root`, `/dev`, `/var/lib/kubelet`, `/var/lib/etcd`, runtime storage \
               (`/var/lib/docker`, `/var/lib/containerd`, `/var/lib/containers`), k3s, RKE2 and minikube \
               state, the runtime sockets (`/var/run/docker.sock`, `/run/containerd/containerd.sock`, \
               `/var/run/crio/crio.sock`, cri-dockerd, Podman, k3s), CNI plugin binaries and FlexVolume \
               drivers, and their Windows counterparts (named pipes of Docker and containerd, the system \
               drive). Paths are compared after normalisation (`//`, `/./`, `..`, a trailing `/`, \
               `/var/run` = `/run`), so `/var/run//docker.sock/` is the Docker socket and `/var` contains \
               the kubelet's state. Public data mounted read-only (CA certificates, time zone, machine \
               ID) is not reported.",
        why: "A hostPath volume is a hole in the container boundary. Through the runtime socket a pod \
              starts privileged containers on the node; through /var/lib/kubelet it reads every other \
              pod's Secrets and tokens; /etc, /root and /proc hold the node's credentials and processes. \
              The NSA/CISA hardening guide and the CIS Kubernetes Benchmark (5.2.12) ask to avoid \
              hostPath volumes, and the Kubernetes documentation warns that they expose privileged \
              system credentials.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
  - name: agent
    image: agent:1.0
    volumeMounts:
    - {name: docker, mountPath: /var/run/docker.sock}
  volumes:
  - name: docker
    hostPath:
      path: /var/run/docker.sock
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
  - name: agent
    image: agent:1.0
    volumeMounts:
    - {name: certs, mountPath: /etc/ssl/certs, readOnly: true}
  volumes:
  - name: certs
    hostPath:
      path: /etc/ssl/certs
"#,
        fix: "Remove the volume. Use a ConfigMap, Secret, projected or emptyDir volume for data, the \
              Kubernetes API instead of the runtime socket, and a dedicated, audited node agent for what \
              really needs the node.",
        references: &[
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.2.12", "kube-linter:sensitive-host-mounts", "kube-linter:docker-sock", "checkov:CKV_K8S_27"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

/// How a host path relates to a sensitive location.
#[derive(Debug, PartialEq, Eq)]
pub enum Relation {
    /// The path is the location.
    Is,
    /// The path is inside the location.
    Inside,
    /// The path is a parent of the location (mounting it exposes the location).
    Contains,
    /// The whole filesystem of the node (or a Windows drive).
    Root,
}

/// Why a host path is sensitive.
#[derive(Debug)]
pub struct Exposure {
    pub relation: Relation,
    /// The sensitive location (none for the root of the filesystem).
    pub entry: Option<&'static Sensitive>,
}

impl Exposure {
    /// `what` names the path as written, such as `hostPath /var/run/docker.sock`.
    pub fn explain(&self, what: &str) -> String {
        match (&self.relation, self.entry) {
            (Relation::Root, _) => format!("{what} is the node's whole filesystem"),
            (Relation::Is, Some(e)) => format!("{what} is {}", e.why),
            (Relation::Inside, Some(e)) => format!("{what} is inside {}: {}", e.path, e.why),
            (Relation::Contains, Some(e)) => format!("{what} contains {}: {}", e.path, e.why),
            _ => format!("{what} is sensitive"),
        }
    }
}

/// Lexical normalisation of an absolute path: no empty or `.` segments, `..` resolved, no
/// trailing `/`. `None` for a relative path.
pub fn normalize(path: &str) -> Option<String> {
    let path = path.trim();
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

fn is_under(path: &str, dir: &str) -> bool {
    dir == "/" || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

fn classify(path: &str, table: &'static [Sensitive], harmless: &[&str], read_only: bool) -> Option<Exposure> {
    let found = |relation, entry| Some(Exposure { relation, entry });
    if path == "/" {
        return found(Relation::Root, None);
    }
    if read_only && harmless.iter().any(|h| path == *h || is_under(path, h)) {
        return None;
    }
    // The most specific location the path is, or is inside.
    let within =
        table.iter().filter(|e| path == e.path || (e.subtree && is_under(path, e.path))).max_by_key(|e| e.path.len());
    if let Some(e) = within {
        return found(if path == e.path { Relation::Is } else { Relation::Inside }, Some(e));
    }
    table.iter().find(|e| is_under(e.path, path)).and_then(|e| found(Relation::Contains, Some(e)))
}

/// Why a host path is sensitive, if it is. `read_only`: every mount of it is read-only.
pub fn sensitive(path: &str, read_only: bool) -> Option<Exposure> {
    let trimmed = path.trim();
    // Windows named pipes: \\.\pipe\docker_engine, \\.\pipe\containerd-containerd.
    let slashed = trimmed.replace('\\', "/");
    let lower = slashed.to_ascii_lowercase();
    if let Some(pipe) = lower.strip_prefix("//./pipe/") {
        return matches!(pipe.trim_end_matches('/'), "docker_engine" | "containerd-containerd")
            .then_some(Exposure { relation: Relation::Is, entry: Some(&PIPE) });
    }
    // Windows drive paths: C:\, C:\Windows, …
    let mut chars = lower.chars();
    if let (Some(drive), Some(':')) = (chars.next(), chars.next())
        && drive.is_ascii_alphabetic()
    {
        let rest = lower.get(2..).unwrap_or("");
        let rest = if rest.is_empty() { "/".to_owned() } else { normalize(rest)? };
        return classify(&rest, WINDOWS, &[], read_only);
    }
    let normalized = normalize(trimmed)?;
    let normalized = match normalized.strip_prefix("/var/run") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/run{rest}"),
        _ => normalized,
    };
    classify(&normalized, LINUX, HARMLESS_READ_ONLY, read_only)
}

static PIPE: Sensitive = s("//./pipe/docker_engine", true, RUNTIME_SOCKET);

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if let Some(pod) = cx.model.pod(resource.id) {
        let containers = pod.containers();
        for v in host_path_volumes(pod) {
            let mounts = mounts(containers, v.name);
            let read_only = mounts.iter().all(|m| m.read_only());
            let Some(found) = sensitive(v.path, read_only) else { continue };
            let users: Vec<_> = mounts.iter().map(|m| m.container.clone()).collect();
            let mounted = if users.is_empty() {
                String::new()
            } else {
                format!(", mounted {}into {}", if read_only { "read-only " } else { "" }, labels(&users))
            };
            sink.report(
                resource,
                v.path_node.span(),
                pod.path(&format!("volumes[{}].hostPath.path", v.index)),
                format!(
                    "sensitive host path: volume {:?}: {}{mounted}",
                    v.name,
                    found.explain(&format!("hostPath {}", v.path))
                ),
                "remove the hostPath volume; use a ConfigMap, Secret, projected or emptyDir volume, or the Kubernetes API",
            );
        }
        return;
    }
    if resource.is("", "PersistentVolume") {
        for source in ["hostPath", "local"] {
            let Some(node) = resource.node.at(&["spec", source, "path"]) else { continue };
            let Some(path) = node.str() else { continue };
            let Some(found) = sensitive(path, false) else { continue };
            let what = if source == "local" { format!("local path {path}") } else { format!("hostPath {path}") };
            sink.report(
                resource,
                node.span(),
                resource.path(&format!("spec.{source}.path")),
                format!("sensitive host path: PersistentVolume {}", found.explain(&what)),
                "point the PersistentVolume at a dedicated data directory or disk",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation(path: &str) -> Option<(Relation, &'static str)> {
        sensitive(path, false).map(|f| (f.relation, f.entry.map_or("/", |e| e.path)))
    }

    #[test]
    fn normalises_paths() {
        assert_eq!(normalize("/var/run//docker.sock/").as_deref(), Some("/var/run/docker.sock"));
        assert_eq!(normalize("/etc/./kubernetes/").as_deref(), Some("/etc/kubernetes"));
        assert_eq!(normalize("/var/lib/../../etc").as_deref(), Some("/etc"));
        assert_eq!(normalize("/../..").as_deref(), Some("/"));
        assert_eq!(normalize("//").as_deref(), Some("/"));
        assert_eq!(normalize("relative/path"), None);
    }

    #[test]
    fn sensitive_locations() {
        assert_eq!(relation("/"), Some((Relation::Root, "/")));
        assert_eq!(relation("//"), Some((Relation::Root, "/")));
        assert_eq!(relation("/etc"), Some((Relation::Is, "/etc")));
        assert_eq!(relation("/etc/"), Some((Relation::Is, "/etc")));
        assert_eq!(relation("/etc/kubernetes/pki"), Some((Relation::Inside, "/etc")));
        assert_eq!(relation("/proc/sys/kernel"), Some((Relation::Inside, "/proc")));
        assert_eq!(relation("/var/run/docker.sock"), Some((Relation::Is, "/run/docker.sock")));
        assert_eq!(relation("/run/docker.sock"), Some((Relation::Is, "/run/docker.sock")));
        assert_eq!(relation("/var/run//docker.sock/"), Some((Relation::Is, "/run/docker.sock")));
        assert_eq!(relation("/run/containerd/containerd.sock"), Some((Relation::Inside, "/run/containerd")));
        assert_eq!(relation("/var/run/crio/crio.sock"), Some((Relation::Inside, "/run/crio")));
        assert_eq!(relation("/var/lib/kubelet/pods"), Some((Relation::Inside, "/var/lib/kubelet")));
        assert_eq!(relation("/var"), Some((Relation::Contains, "/var/lib/kubelet")));
        assert_eq!(relation("/var/run"), Some((Relation::Contains, "/run/docker.sock")));
        assert_eq!(relation("/run"), Some((Relation::Contains, "/run/docker.sock")));
        assert_eq!(relation("/usr"), Some((Relation::Contains, "/usr/libexec/kubernetes/kubelet-plugins")));
        assert_eq!(relation("/dev"), Some((Relation::Is, "/dev")));
        assert_eq!(relation("/var/lib/../../etc/shadow"), Some((Relation::Inside, "/etc")));
    }

    #[test]
    fn ordinary_locations() {
        for path in [
            "/var/log",
            "/var/log/pods",
            "/dev/log",
            "/dev/fuse",
            "/lib/modules",
            "/run/xtables.lock",
            "/mnt/data",
            "/tmp",
            "/data/app",
            "/etcetera",
            "/variable",
            "/var/lib/kubeletx",
            "__CALICO_CNI_DIR__",
        ] {
            assert!(sensitive(path, false).is_none(), "{path}");
        }
    }

    #[test]
    fn public_data_read_only() {
        assert!(sensitive("/etc/ssl/certs", true).is_none());
        assert!(sensitive("/etc/ssl/certs/", true).is_none());
        assert!(sensitive("/etc/localtime", true).is_none());
        assert!(sensitive("/etc/ssl/certs", false).is_some());
        assert!(sensitive("/etc/ssl", true).is_some());
    }

    #[test]
    fn windows_paths() {
        assert!(sensitive(r"\\.\pipe\docker_engine", false).is_some());
        assert!(sensitive(r"\\.\pipe\containerd-containerd", false).is_some());
        assert!(sensitive(r"\\.\pipe\my-app", false).is_none());
        assert_eq!(relation(r"C:\"), Some((Relation::Root, "/")));
        assert_eq!(relation("C:"), Some((Relation::Root, "/")));
        assert_eq!(relation(r"C:\Windows\System32"), Some((Relation::Inside, "/windows")));
        assert_eq!(relation(r"C:\var\lib\kubelet"), Some((Relation::Is, "/var/lib/kubelet")));
        assert!(sensitive(r"D:\data", false).is_none());
    }
}
