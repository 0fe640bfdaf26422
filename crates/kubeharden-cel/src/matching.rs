//! `matchConstraints` / `matchResources` as the API server applies them: resource rules by
//! group, version, plural resource and operation, exclusions, namespace and object label
//! selectors.

// Indexing here reads JSON documents (`doc["metadata"]["name"]`): serde_json's `Index`
// gives `Null` for a missing key or a non-object, never a panic.
#![allow(clippy::indexing_slicing)]

use serde_json::Value;

use crate::cluster::Cluster;
use crate::{Operation, Request};

/// A label selector (`matchLabels` and `matchExpressions`).
#[derive(Clone, Debug, Default)]
pub struct LabelSelector {
    labels: Vec<(String, String)>,
    expressions: Vec<(String, String, Vec<String>)>,
    /// A selector whose JSON could not be read matches nothing (the API server would have
    /// rejected the object).
    invalid: bool,
}

impl LabelSelector {
    pub fn parse(json: &Value) -> LabelSelector {
        let mut s = LabelSelector::default();
        if json.is_null() {
            return s;
        }
        if let Some(labels) = json.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in labels {
                match v.as_str() {
                    Some(v) => s.labels.push((k.clone(), v.to_string())),
                    None => s.invalid = true,
                }
            }
        }
        if let Some(exprs) = json.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e["key"].as_str().unwrap_or_default().to_string();
                let op = e["operator"].as_str().unwrap_or_default().to_string();
                let values = e["values"]
                    .as_array()
                    .map(|v| v.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                    .unwrap_or_default();
                s.expressions.push((key, op, values));
            }
        }
        s
    }

    pub fn matches(&self, labels: &Value) -> bool {
        if self.invalid {
            return false;
        }
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        self.labels.iter().all(|(k, v)| get(k) == Some(v))
            && self.expressions.iter().all(|(k, op, values)| match op.as_str() {
                "In" => get(k).is_some_and(|v| values.iter().any(|x| x == v)),
                "NotIn" => get(k).is_none_or(|v| !values.iter().any(|x| x == v)),
                "Exists" => get(k).is_some(),
                "DoesNotExist" => get(k).is_none(),
                _ => false,
            })
    }
}

/// One `resourceRules` entry.
#[derive(Clone, Debug, Default)]
pub struct ResourceRule {
    groups: Vec<String>,
    versions: Vec<String>,
    /// The main resources named (subresource entries such as `pods/status` are left out:
    /// only main resources are admitted offline).
    resources: Vec<String>,
    /// `*` or `*/*` is among the resources.
    all_resources: bool,
    operations: Vec<String>,
    names: Vec<String>,
    scope: String,
}

impl ResourceRule {
    fn parse(json: &Value) -> ResourceRule {
        let list = |k: &str| {
            json[k]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let resources: Vec<String> = list("resources");
        ResourceRule {
            groups: list("apiGroups"),
            versions: list("apiVersions"),
            all_resources: resources.iter().any(|r| r == "*" || r == "*/*"),
            resources: resources.into_iter().filter(|r| !r.contains('/')).collect(),
            operations: list("operations"),
            names: list("resourceNames"),
            scope: json["scope"].as_str().unwrap_or("*").to_string(),
        }
    }

    fn matches(&self, target: &Target<'_>, operation: Operation) -> bool {
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        let resource_ok = self.all_resources || self.resources.contains(&target.resource);
        let scope_ok = match self.scope.as_str() {
            "Cluster" => !target.namespaced,
            "Namespaced" => target.namespaced,
            _ => true,
        };
        any(&self.groups, target.group)
            && any(&self.versions, target.version)
            && resource_ok
            && any(&self.operations, operation.as_str())
            && (self.names.is_empty() || self.names.iter().any(|n| n == target.name))
            && scope_ok
    }
}

/// `matchConstraints` (policy) or `matchResources` (binding).
#[derive(Clone, Debug, Default)]
pub struct MatchResources {
    namespace_selector: LabelSelector,
    object_selector: LabelSelector,
    rules: Vec<ResourceRule>,
    excluded: Vec<ResourceRule>,
    /// `matchResources` of a binding without `resourceRules` matches what the policy does.
    rules_given: bool,
}

impl MatchResources {
    pub fn parse(json: &Value) -> MatchResources {
        MatchResources {
            namespace_selector: LabelSelector::parse(&json["namespaceSelector"]),
            object_selector: LabelSelector::parse(&json["objectSelector"]),
            rules: json["resourceRules"]
                .as_array()
                .map(|a| a.iter().map(ResourceRule::parse).collect())
                .unwrap_or_default(),
            excluded: json["excludeResourceRules"]
                .as_array()
                .map(|a| a.iter().map(ResourceRule::parse).collect())
                .unwrap_or_default(),
            rules_given: json.get("resourceRules").is_some(),
        }
    }

    /// Whether the request's object is matched. `require_rules`: a policy's constraints
    /// match nothing without rules; a binding's match everything its policy does.
    pub fn matches(&self, target: &Target<'_>, request: &Request<'_>, require_rules: bool) -> bool {
        if (require_rules || self.rules_given) && !self.rules.iter().any(|r| r.matches(target, request.operation)) {
            return false;
        }
        if self.excluded.iter().any(|r| r.matches(target, request.operation)) {
            return false;
        }
        // objectSelector is tested against both the new and the old object: either match.
        let object_ok = [request.object, request.old_object]
            .iter()
            .flatten()
            .filter(|o| !o.is_null())
            .any(|o| self.object_selector.matches(&o["metadata"]["labels"]));
        if !(object_ok || request.object.is_none() && request.old_object.is_none()) {
            return false;
        }
        match &target.namespace_labels {
            Some(labels) => self.namespace_selector.matches(labels),
            None => true,
        }
    }
}

/// The labels of a namespace as the API server sees them: the object's, when the input
/// has it, plus the automatic `kubernetes.io/metadata.name`.
pub fn namespace_labels(name: &str, cluster: &Cluster<'_>) -> Value {
    let mut labels =
        cluster.namespace(name).and_then(|n| n["metadata"]["labels"].as_object().cloned()).unwrap_or_default();
    labels.insert("kubernetes.io/metadata.name".into(), Value::String(name.to_string()));
    Value::Object(labels)
}

/// The Namespace object a request in `name` sees as `namespaceObject`.
pub fn namespace_object(name: &str, cluster: &Cluster<'_>) -> Value {
    let mut ns = cluster
        .namespace(name)
        .cloned()
        .unwrap_or_else(|| serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}));
    if let Some(meta) = ns.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("labels".into(), namespace_labels(name, cluster));
    }
    ns
}

/// The resource a request is for, as the API server names it.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub resource: String,
    pub namespaced: bool,
    pub namespace: &'a str,
    pub name: &'a str,
    /// The labels a `namespaceSelector` is matched against ([`namespace_labels`]): the
    /// request's namespace's, or the Namespace's own for a Namespace; none for other
    /// cluster-scoped objects. Computed once per request for all the policies.
    pub namespace_labels: Option<Value>,
}

impl<'a> Target<'a> {
    pub fn of(object: &'a Value, cluster: &Cluster<'a>) -> Target<'a> {
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let kind = object["kind"].as_str().unwrap_or_default();
        let builtin = builtin(group, kind);
        let resource = match builtin {
            Some((plural, _)) => plural.to_string(),
            None => cluster.crd_plural(group, kind).map(String::from).unwrap_or_else(|| guess_plural(kind)),
        };
        let namespaced = match builtin {
            Some((_, namespaced)) => namespaced,
            None => cluster.crd(group, kind).is_none_or(|crd| crd["spec"]["scope"] != "Cluster"),
        };
        let namespace = if namespaced { object["metadata"]["namespace"].as_str().unwrap_or("default") } else { "" };
        let name = object["metadata"]["name"].as_str().unwrap_or_default();
        let namespace_labels = if resource == "namespaces" {
            Some(namespace_labels(name, cluster))
        } else if namespaced {
            Some(namespace_labels(namespace, cluster))
        } else {
            None
        };
        Target { group, version, resource, namespaced, namespace, name, namespace_labels }
    }
}

/// Lower-case plural as the API server derives it for kinds it does not know.
fn guess_plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower.ends_with('s') || lower.ends_with("ch") || lower.ends_with("sh") || lower.ends_with('x') {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{lower}s")
    }
}

/// Built-in kinds: plural resource and whether namespaced.
fn builtin(group: &str, kind: &str) -> Option<(&'static str, bool)> {
    const KINDS: &[(&str, &str, &str, bool)] = &[
        ("", "Pod", "pods", true),
        ("", "Service", "services", true),
        ("", "ConfigMap", "configmaps", true),
        ("", "Secret", "secrets", true),
        ("", "ServiceAccount", "serviceaccounts", true),
        ("", "Endpoints", "endpoints", true),
        ("", "PersistentVolumeClaim", "persistentvolumeclaims", true),
        ("", "PersistentVolume", "persistentvolumes", false),
        ("", "Namespace", "namespaces", false),
        ("", "Node", "nodes", false),
        ("", "ReplicationController", "replicationcontrollers", true),
        ("", "PodTemplate", "podtemplates", true),
        ("", "LimitRange", "limitranges", true),
        ("", "ResourceQuota", "resourcequotas", true),
        ("", "Event", "events", true),
        ("apps", "Deployment", "deployments", true),
        ("apps", "StatefulSet", "statefulsets", true),
        ("apps", "DaemonSet", "daemonsets", true),
        ("apps", "ReplicaSet", "replicasets", true),
        ("apps", "ControllerRevision", "controllerrevisions", true),
        ("batch", "Job", "jobs", true),
        ("batch", "CronJob", "cronjobs", true),
        ("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true),
        ("policy", "PodDisruptionBudget", "poddisruptionbudgets", true),
        ("networking.k8s.io", "Ingress", "ingresses", true),
        ("networking.k8s.io", "IngressClass", "ingressclasses", false),
        ("networking.k8s.io", "NetworkPolicy", "networkpolicies", true),
        ("discovery.k8s.io", "EndpointSlice", "endpointslices", true),
        ("rbac.authorization.k8s.io", "Role", "roles", true),
        ("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true),
        ("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false),
        ("storage.k8s.io", "StorageClass", "storageclasses", false),
        ("storage.k8s.io", "CSIStorageCapacity", "csistoragecapacities", true),
        ("storage.k8s.io", "CSIDriver", "csidrivers", false),
        ("storage.k8s.io", "CSINode", "csinodes", false),
        ("storage.k8s.io", "VolumeAttachment", "volumeattachments", false),
        ("coordination.k8s.io", "Lease", "leases", true),
        ("scheduling.k8s.io", "PriorityClass", "priorityclasses", false),
        ("node.k8s.io", "RuntimeClass", "runtimeclasses", false),
        ("certificates.k8s.io", "CertificateSigningRequest", "certificatesigningrequests", false),
        ("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", false),
        (
            "admissionregistration.k8s.io",
            "ValidatingAdmissionPolicyBinding",
            "validatingadmissionpolicybindings",
            false,
        ),
        ("apiregistration.k8s.io", "APIService", "apiservices", false),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema", "flowschemas", false),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "prioritylevelconfigurations", false),
    ];
    KINDS.iter().find(|(g, k, _, _)| *g == group && *k == kind).map(|(_, _, plural, namespaced)| (*plural, *namespaced))
}
