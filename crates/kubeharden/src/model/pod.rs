//! Pod spec views: where each workload kind keeps its pod template, one container visitor over
//! every container kind, and security-context inheritance resolved in one place.

use super::Model;
use super::resource::{Resource, join_path};
use super::selector::{Labels, NAMESPACE_NAME_LABEL};
use crate::source::{ByteSpan, NodeRef};

/// A pod spec found in a resource (a Pod, or the template of a controller).
#[derive(Debug, Clone)]
pub struct PodSpec<'s> {
    /// The `spec` mapping of the pod (or template).
    pub spec: NodeRef<'s>,
    /// The `spec` key itself, where findings about missing pod fields point.
    pub spec_key: NodeRef<'s>,
    /// Path of `spec` from the document root, such as `spec.template.spec`.
    pub spec_path: String,
    /// The pod's (or template's) `metadata`, which carries PSA's annotation forms.
    pub metadata: Option<NodeRef<'s>>,
    /// Path of `metadata`, such as `spec.template.metadata`.
    pub metadata_path: String,
    /// [`PodSpec::containers`], read once: some thirty rules ask for them on every pod.
    containers: std::sync::OnceLock<Vec<Container<'s>>>,
}

/// Where the pod template lives, by kind. `None` when the kind has no pod template.
pub fn template_path(resource: &Resource<'_>) -> Option<&'static [&'static str]> {
    let group = resource.group();
    Some(match resource.kind() {
        "Pod" if group.is_empty() => &[],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" if matches!(group, "apps" | "extensions") => {
            &["spec", "template"]
        }
        "ReplicationController" if group.is_empty() => &["spec", "template"],
        "Job" if group == "batch" => &["spec", "template"],
        "CronJob" if group == "batch" => &["spec", "jobTemplate", "spec", "template"],
        "PodTemplate" if group.is_empty() => &["template"],
        // Well-known custom resources whose template path is fixed.
        "DeploymentConfig" if group == "apps.openshift.io" || group.is_empty() => &["spec", "template"],
        "Rollout" if group == "argoproj.io" => &["spec", "template"],
        "Service" if group == "serving.knative.dev" => &["spec", "template"],
        "Configuration" if group == "serving.knative.dev" => &["spec", "template"],
        _ => return None,
    })
}

/// The pod spec of a resource, if its kind has one and it is written.
pub fn pod_spec<'s>(resource: &Resource<'s>) -> Option<PodSpec<'s>> {
    let path = template_path(resource)?;
    let template = resource.node.at(path)?;
    let (spec_key, spec) = template.entry("spec").filter(|(_, s)| s.is_map())?;
    let base = path.join(".");
    Some(PodSpec {
        spec,
        spec_key,
        spec_path: resource.path(&join_path(&base, "spec")),
        metadata: template.field("metadata"),
        metadata_path: resource.path(&join_path(&base, "metadata")),
        containers: std::sync::OnceLock::new(),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    pub const ALL: [ContainerKind; 3] = [ContainerKind::Init, ContainerKind::Regular, ContainerKind::Ephemeral];

    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// How messages name it: `container "app"`, `init container "setup"`.
    pub fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of a pod spec.
#[derive(Debug, Clone)]
pub struct Container<'s> {
    pub kind: ContainerKind,
    pub index: usize,
    pub node: NodeRef<'s>,
    /// Path from the document root, such as `spec.template.spec.containers[0]`.
    pub path: String,
    pub name: &'s str,
}

impl<'s> Container<'s> {
    pub fn security_context(&self) -> Option<NodeRef<'s>> {
        self.node.field("securityContext")
    }

    /// A field of the container's own securityContext (no inheritance).
    pub fn sc(&self, path: &[&str]) -> Option<NodeRef<'s>> {
        self.security_context().and_then(|sc| sc.at(path))
    }

    pub fn sc_path(&self, rel: &str) -> String {
        join_path(&self.path, &join_path("securityContext", rel))
    }

    pub fn field_path(&self, rel: &str) -> String {
        join_path(&self.path, rel)
    }

    /// `container "app"` for messages.
    pub fn label(&self) -> String {
        format!("{} {:?}", self.kind.noun(), self.name)
    }

    pub fn image(&self) -> Option<&'s str> {
        self.node.field("image").and_then(|i| i.str())
    }
}

/// Where an effective security-context value comes from.
#[derive(Debug, Clone)]
pub struct Effective<'s> {
    pub value: NodeRef<'s>,
    pub path: String,
    pub from_pod: bool,
}

impl<'s> PodSpec<'s> {
    /// Every container, in order: init containers, containers, ephemeral containers.
    pub fn containers(&self) -> &[Container<'s>] {
        self.containers.get_or_init(|| self.read_containers())
    }

    fn read_containers(&self) -> Vec<Container<'s>> {
        let mut out = Vec::new();
        for kind in ContainerKind::ALL {
            let Some(list) = self.spec.field(kind.field()) else {
                continue;
            };
            for (index, node) in list.items().enumerate() {
                if !node.is_map() {
                    continue;
                }
                out.push(Container {
                    kind,
                    index,
                    node,
                    path: format!("{}.{}[{index}]", self.spec_path, kind.field()),
                    name: node.field("name").and_then(|n| n.str()).unwrap_or(""),
                });
            }
        }
        out
    }

    pub fn field(&self, key: &str) -> Option<NodeRef<'s>> {
        self.spec.field(key)
    }

    pub fn path(&self, rel: &str) -> String {
        join_path(&self.spec_path, rel)
    }

    pub fn security_context(&self) -> Option<NodeRef<'s>> {
        self.spec.field("securityContext")
    }

    /// A field of the pod-level securityContext.
    pub fn sc(&self, path: &[&str]) -> Option<NodeRef<'s>> {
        self.security_context().and_then(|sc| sc.at(path))
    }

    pub fn sc_path(&self, rel: &str) -> String {
        self.path(&join_path("securityContext", rel))
    }

    /// The value a container runs with for a field both the pod and the container
    /// securityContext carry (`runAsUser`, `runAsGroup`, `runAsNonRoot`, `seLinuxOptions`,
    /// `seccompProfile`, `appArmorProfile`, `windowsOptions.*`): the container's when set,
    /// else the pod's. This is the kubelet's rule, and the only place it is written.
    pub fn effective(&self, container: &Container<'s>, path: &[&str]) -> Option<Effective<'s>> {
        let rel = path.join(".");
        if let Some(value) = container.sc(path) {
            return Some(Effective { value, path: container.sc_path(&rel), from_pod: false });
        }
        self.sc(path).map(|value| Effective { value, path: self.sc_path(&rel), from_pod: true })
    }

    pub fn annotation(&self, key: &str) -> Option<NodeRef<'s>> {
        self.metadata.and_then(|m| m.field("annotations")).and_then(|a| a.field(key))
    }

    /// Every seccomp and AppArmor profile written on the pod or its containers, with its path.
    pub fn profiles(&self) -> Vec<(NodeRef<'s>, String)> {
        let mut out = Vec::new();
        for field in ["seccompProfile", "appArmorProfile"] {
            if let Some(p) = self.sc(&[field]) {
                out.push((p, self.sc_path(field)));
            }
            for c in self.containers() {
                if let Some(p) = c.sc(&[field]) {
                    out.push((p, c.sc_path(field)));
                }
            }
        }
        out
    }

    /// `spec.os.name`, lower-cased comparisons are the caller's business.
    pub fn os_name(&self) -> Option<&'s str> {
        self.spec.at(&["os", "name"]).and_then(|n| n.str())
    }

    /// `spec.hostUsers: false` (a user namespace).
    pub fn host_users_disabled(&self) -> bool {
        self.spec.field("hostUsers").and_then(|v| v.bool()) == Some(false)
    }

    /// The ServiceAccount the pod runs as: `serviceAccountName`, else the deprecated
    /// `serviceAccount`, else `default`.
    pub fn service_account(&self) -> &'s str {
        self.spec
            .field("serviceAccountName")
            .or_else(|| self.spec.field("serviceAccount"))
            .and_then(|v| v.str())
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
    }

    /// The pod's labels (template metadata).
    pub fn labels(&self) -> Option<NodeRef<'s>> {
        self.metadata.and_then(|m| m.field("labels"))
    }

    /// Where a finding about a missing pod-level security field points: the pod's
    /// `securityContext` key when written, else the `spec` key.
    pub fn anchor(&self) -> ByteSpan {
        self.spec.entry("securityContext").map_or(self.spec_key.span(), |(k, _)| k.span())
    }
}

impl Container<'_> {
    /// Where a finding about a missing container security field points: the container's
    /// `securityContext` key when written, else its `name`, else its first key.
    pub fn anchor(&self) -> ByteSpan {
        if let Some((key, _)) = self.node.entry("securityContext") {
            return key.span();
        }
        if let Some(name) = self.node.field("name") {
            return name.span();
        }
        self.node.entries().next().map_or(self.node.span(), |(k, _)| k.span())
    }
}

/// The labels a workload's pods carry: the template's, plus the ones the controller adds.
pub fn pod_labels<'s>(resource: &Resource<'s>, pod: &PodSpec<'s>) -> Labels<'s> {
    const DEPLOYMENT: &[&str] = &["pod-template-hash"];
    const STATEFULSET: &[&str] =
        &["controller-revision-hash", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"];
    const DAEMONSET: &[&str] = &["controller-revision-hash", "pod-template-generation"];
    const JOB: &[&str] = &[
        "controller-uid",
        "job-name",
        "batch.kubernetes.io/controller-uid",
        "batch.kubernetes.io/job-name",
        "batch.kubernetes.io/job-completion-index",
    ];
    let unknown: &'static [&'static str] = match resource.kind() {
        "Deployment" | "Rollout" => DEPLOYMENT,
        "StatefulSet" => STATEFULSET,
        "DaemonSet" => DAEMONSET,
        "Job" | "CronJob" => JOB,
        _ => &[],
    };
    Labels { map: pod.labels(), fixed: Vec::new(), unknown, open: false }
}

/// The labels of a namespace: the Namespace object's when the input has it (plus the
/// automatic name label), else only the name label with every other label unknown.
pub fn namespace_labels<'s>(model: &Model<'s>, ns: &'s str) -> Labels<'s> {
    let object = model.index.namespaces.get(ns).and_then(|id| model.resource(*id));
    Labels {
        map: object.and_then(|o| o.labels()),
        fixed: vec![(NAMESPACE_NAME_LABEL, ns)],
        unknown: &[],
        open: object.is_none(),
    }
}

/// Workloads whose pods run (not `PodTemplate`, which only stores a template).
pub fn runs_pods(resource: &Resource<'_>) -> bool {
    !resource.is("", "PodTemplate")
}

/// API groups whose kinds run no pods of their own beyond the workload kinds the model
/// knows, and well-known custom resources that run no pods: a namespace holding only these
/// shows all its pods in the input.
pub fn may_run_unseen_pods(resource: &Resource<'_>) -> bool {
    let group = resource.group();
    let builtin = group.is_empty()
        || !group.contains('.')
        || group.ends_with(".k8s.io")
        || group == "argoproj.io" && resource.kind() == "Rollout";
    if builtin {
        return false;
    }
    let kind = resource.kind();
    let passive = match group {
        "monitoring.coreos.com" => {
            matches!(
                kind,
                "ServiceMonitor" | "PodMonitor" | "Probe" | "PrometheusRule" | "AlertmanagerConfig" | "ScrapeConfig"
            )
        }
        "cert-manager.io" => matches!(kind, "Certificate" | "Issuer" | "ClusterIssuer" | "CertificateRequest"),
        "networking.istio.io" | "security.istio.io" | "telemetry.istio.io" => true,
        "gateway.networking.k8s.io" | "policy.linkerd.io" => true,
        "apiextensions.k8s.io" | "admissionregistration.k8s.io" => true,
        "argoproj.io" => matches!(kind, "AppProject" | "Application" | "ApplicationSet"),
        _ => false,
    };
    !passive
}
