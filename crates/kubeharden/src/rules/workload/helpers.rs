//! Small helpers the workload rules share: securityContext values grouped by the containers
//! that run with them, hostPath volumes and their mounts, pod kinds that some rules skip.

use crate::model::{Container, PodSpec, Resource};
use crate::source::NodeRef;

/// One written value of a securityContext field and the containers that run with it: a
/// container's own value, or the pod-level value for every container that does not override it.
/// Reporting per value (not per container) gives one finding per line to change.
#[derive(Debug)]
pub struct Setting<'s> {
    pub value: NodeRef<'s>,
    pub path: String,
    pub from_pod: bool,
    pub containers: Vec<Container<'s>>,
}

impl Setting<'_> {
    /// Who the value belongs to, for messages: `container "app"`, or `the pod securityContext`.
    pub fn owner(&self) -> String {
        match (self.from_pod, self.containers.first()) {
            (false, Some(c)) => c.label(),
            _ => "the pod securityContext".to_owned(),
        }
    }

    /// ` (used by container "app", init container "init")` for pod-level values, else empty.
    pub fn users(&self) -> String {
        if self.from_pod { format!(" (used by {})", labels(&self.containers)) } else { String::new() }
    }
}

/// The values of `path` the containers of a pod run with, as [`PodSpec::effective`] resolves
/// them: the pod-level value first (when at least one container inherits it), then each
/// container's own value, in container order.
pub fn settings<'s>(pod: &PodSpec<'s>, path: &[&str]) -> Vec<Setting<'s>> {
    let mut inherited: Option<Setting<'s>> = None;
    let mut own = Vec::new();
    for c in pod.containers() {
        let Some(e) = pod.effective(c, path) else { continue };
        if e.from_pod {
            match inherited.as_mut() {
                Some(s) => s.containers.push(c.clone()),
                None => {
                    inherited =
                        Some(Setting { value: e.value, path: e.path, from_pod: true, containers: vec![c.clone()] })
                }
            }
        } else {
            own.push(Setting { value: e.value, path: e.path, from_pod: false, containers: vec![c.clone()] });
        }
    }
    inherited.into_iter().chain(own).collect()
}

/// `container "app", init container "init"`.
pub fn labels(containers: &[Container<'_>]) -> String {
    containers.iter().map(Container::label).collect::<Vec<_>>().join(", ")
}

/// `spec.os.name: windows`: Linux-only fields (readOnlyRootFilesystem, capabilities, UIDs) are
/// rejected on such pods, so rules about them do not apply.
pub fn is_windows(pod: &PodSpec<'_>) -> bool {
    pod.os_name() == Some("windows")
}

/// A static pod: run by the kubelet from a manifest file and only mirrored in the API. It
/// cannot refer to a ServiceAccount and gets no API token, so ServiceAccount rules do not apply.
/// Recognised by the kubelet's mirror annotations, a Node owner, or the labels kubeadm gives the
/// control-plane static pods.
pub fn is_static_pod(resource: &Resource<'_>) -> bool {
    if !resource.is("", "Pod") {
        return false;
    }
    if resource.annotation("kubernetes.io/config.source") == Some("file")
        || resource.annotation("kubernetes.io/config.mirror").is_some()
    {
        return true;
    }
    let owned_by_node = resource
        .metadata()
        .and_then(|m| m.field("ownerReferences"))
        .is_some_and(|refs| refs.items().any(|r| r.field("kind").and_then(|k| k.str()) == Some("Node")));
    owned_by_node
        || (resource.namespace() == "kube-system"
            && resource.label("tier") == Some("control-plane")
            && matches!(
                resource.label("component"),
                Some("kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "etcd")
            ))
}

/// Whether an `image` value is an image reference at all, rather than an unrendered template
/// or a documentation placeholder (`<image_url>`, `{{ .Values.image }}`, `${IMAGE}`): a
/// reference only uses letters, digits and `._-/:@`.
pub fn is_image_reference(image: &str) -> bool {
    let image = image.trim();
    !image.is_empty()
        && image.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@'))
}

/// A `hostPath` volume of a pod.
#[derive(Debug, Clone)]
pub struct HostPathVolume<'s> {
    pub index: usize,
    pub name: &'s str,
    /// The `path` value.
    pub path_node: NodeRef<'s>,
    pub path: &'s str,
    /// `hostPath.type` (`Socket`, `DirectoryOrCreate`, …) when set.
    pub kind: Option<&'s str>,
}

pub fn host_path_volumes<'s>(pod: &PodSpec<'s>) -> Vec<HostPathVolume<'s>> {
    let Some(volumes) = pod.field("volumes") else {
        return Vec::new();
    };
    volumes
        .items()
        .enumerate()
        .filter_map(|(index, v)| {
            let path_node = v.at(&["hostPath", "path"])?;
            Some(HostPathVolume {
                index,
                name: v.field("name").and_then(|n| n.str()).unwrap_or(""),
                path_node,
                path: path_node.str()?,
                kind: v.at(&["hostPath", "type"]).and_then(|t| t.str()),
            })
        })
        .collect()
}

/// A container's `volumeMounts` entry.
#[derive(Debug, Clone)]
pub struct Mount<'s> {
    pub container: Container<'s>,
    pub index: usize,
    pub node: NodeRef<'s>,
}

impl<'s> Mount<'s> {
    pub fn read_only(&self) -> bool {
        self.node.field("readOnly").and_then(|v| v.bool()) == Some(true)
    }

    pub fn path(&self, rel: &str) -> String {
        let base = format!("volumeMounts[{}]", self.index);
        self.container.field_path(&crate::model::join_path(&base, rel))
    }

    pub fn mount_path(&self) -> &'s str {
        self.node.field("mountPath").and_then(|p| p.str()).unwrap_or("")
    }
}

/// The mounts of volume `name` in the given containers, in container order.
pub fn mounts<'s>(containers: &[Container<'s>], name: &str) -> Vec<Mount<'s>> {
    let mut out = Vec::new();
    for c in containers {
        let Some(list) = c.node.field("volumeMounts") else { continue };
        for (index, node) in list.items().enumerate() {
            if node.field("name").and_then(|n| n.str()) == Some(name) {
                out.push(Mount { container: c.clone(), index, node });
            }
        }
    }
    out
}
