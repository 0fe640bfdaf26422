//! `control-plane-version-unsupported`: control-plane images older than the supported releases.

use crate::model::image::ImageRef;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "control-plane-version-unsupported",
    family: Family::ControlPlane,
    severity: Severity::Info,
    tier: Tier::Hardened,
    summary: "A control-plane component runs a Kubernetes minor release that no longer gets security fixes.",
    docs: docs! {
        what: "Reads the version of `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, \
               `kube-proxy` and `hyperkube` images (`registry.k8s.io/kube-apiserver:v1.29.4`, any registry) \
               in every pod spec, and `kubernetesVersion` of a kubeadm `ClusterConfiguration`, and reports \
               a minor release older than the oldest supported one. The Kubernetes project maintains the \
               three most recent minor releases (about 14 months of patches each), so with target version \
               v1.N (the `kubernetesVersion` setting, latest by default) the oldest supported minor is \
               v1.(N-2).",
        why: "Releases out of support receive no fixes for vulnerabilities, including those in the API server \
              and kubelet that the Kubernetes security committee announces. The NSA/CISA hardening guide asks \
              to upgrade promptly; the version skew policy also limits how far components may drift.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.24.1
    command: [kube-apiserver]
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.37.0
    command: [kube-apiserver]
"#,
        fix: "Upgrade the cluster one minor release at a time (`kubeadm upgrade plan`, `kubeadm upgrade apply`) \
              to a supported release, or set `kubernetesVersion` in the kubeharden configuration to the \
              release you target.",
        references: &[
            "https://kubernetes.io/releases/",
            "https://kubernetes.io/releases/version-skew-policy/",
            "https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

/// Minor releases maintained at once by the Kubernetes project.
pub const SUPPORTED_MINORS: u16 = 3;

/// Images whose tag is a Kubernetes release.
const COMPONENT_IMAGES: &[&str] =
    &["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy", "hyperkube"];

/// The minor of a `v1.29.4` (or `1.29`, `v1.29.4-eks-1`) version.
pub fn minor_of(version: &str) -> Option<u16> {
    let v = version.trim().trim_start_matches(['v', 'V']);
    let mut parts = v.splitn(3, '.');
    if parts.next()? != "1" {
        return None;
    }
    let minor: String = parts.next()?.chars().take_while(char::is_ascii_digit).collect();
    minor.parse().ok()
}

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    let oldest = cx.version.minor().saturating_sub(SUPPORTED_MINORS - 1);
    let help = format!(
        "upgrade to v1.{oldest} or newer, one minor release at a time; the project maintains the three newest minors (v1.{oldest} to {})",
        cx.version
    );
    for (resource, pod) in cx.model.workloads() {
        for c in pod.containers() {
            let Some(image) = c.node.field("image") else {
                continue;
            };
            let reference = ImageRef::parse(image.str().unwrap_or(""));
            let name = reference.name.rsplit('/').next().unwrap_or("");
            // Older images carry the architecture: `kube-apiserver-amd64`.
            let Some(base) = COMPONENT_IMAGES.iter().copied().find(|n| {
                name.strip_prefix(n)
                    .is_some_and(|rest| matches!(rest, "" | "-amd64" | "-arm64" | "-arm" | "-ppc64le" | "-s390x"))
            }) else {
                continue;
            };
            let Some(minor) = reference.tag.and_then(minor_of) else {
                continue;
            };
            if minor < oldest {
                sink.report(
                    resource,
                    image.span(),
                    c.field_path("image"),
                    format!(
                        "{base} v1.{minor} is out of support: {} runs {}, older than v1.{oldest}, the oldest minor supported when targeting {}",
                        c.label(),
                        reference.tag.unwrap_or(""),
                        cx.version
                    ),
                    help.clone(),
                );
            }
        }
    }
    for resource in cx.model.of_kind("ClusterConfiguration").filter(|r| r.group() == "kubeadm.k8s.io") {
        let Some(version) = resource.node.field("kubernetesVersion") else {
            continue;
        };
        let Some(minor) = version.str().and_then(minor_of) else {
            continue;
        };
        if minor < oldest {
            sink.report(
                resource,
                version.span(),
                resource.path("kubernetesVersion"),
                format!(
                    "Kubernetes v1.{minor} is out of support: the ClusterConfiguration sets kubernetesVersion: {}, older than v1.{oldest}, the oldest minor supported when targeting {}",
                    version.str().unwrap_or(""),
                    cx.version
                ),
                help.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::minor_of;

    #[test]
    fn reads_release_tags() {
        assert_eq!(minor_of("v1.24.1"), Some(24));
        assert_eq!(minor_of("1.30"), Some(30));
        assert_eq!(minor_of("v1.29.4-eks-a1"), Some(29));
        assert_eq!(minor_of("3.5.1-0"), None);
        assert_eq!(minor_of("latest"), None);
    }
}
