//! Name syntaxes of apimachinery (`pkg/api/validate/content`): DNS-1123 labels and subdomains,
//! DNS-1035 labels, path segments, label keys (qualified names) and label values, and which one
//! each built-in kind's `metadata.name` must follow.
//!
//! Each check returns `None` when the text is valid, or the reason as the API server words it.

use crate::model::KubeVersion;

const LABEL_MAX: usize = 63;
const SUBDOMAIN_MAX: usize = 253;

fn alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn is_label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) => {
            alnum_lower(first) && alnum_lower(last) && b.iter().all(|&c| alnum_lower(c) || c == b'-')
        }
        _ => false,
    }
}

fn is_subdomain_shape(s: &str) -> bool {
    s.split('.').all(is_label_shape)
}

fn too_long(s: &str, max: usize) -> Option<String> {
    (s.len() > max).then(|| format!("must be no more than {max} characters"))
}

/// RFC 1123 label (namespaces, container and volume names).
pub fn dns1123_label(s: &str) -> Option<String> {
    too_long(s, LABEL_MAX).or_else(|| {
        (!is_label_shape(s)).then(|| {
            if is_subdomain_shape(s) {
                "must not contain dots".to_owned()
            } else {
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')".to_owned()
            }
        })
    })
}

/// RFC 1123 subdomain (most object names).
pub fn dns1123_subdomain(s: &str) -> Option<String> {
    too_long(s, SUBDOMAIN_MAX).or_else(|| {
        (!is_subdomain_shape(s)).then(|| "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')".to_owned())
    })
}

/// RFC 1035 label (Service names): like an RFC 1123 label, but starting with a letter.
pub fn dns1035_label(s: &str) -> Option<String> {
    too_long(s, LABEL_MAX).or_else(|| {
        let starts_with_letter = s.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
        (!(is_label_shape(s) && starts_with_letter)).then(|| "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123')".to_owned())
    })
}

/// A name that can be a URL path segment (RBAC objects): not `.` or `..`, no `/` or `%`.
pub fn path_segment(s: &str) -> Option<String> {
    if s == "." || s == ".." {
        return Some(format!("may not be '{s}'"));
    }
    let bad: Vec<&str> = ["/", "%"].into_iter().filter(|c| s.contains(c)).collect();
    (!bad.is_empty()).then(|| bad.iter().map(|c| format!("may not contain '{c}'")).collect::<Vec<_>>().join(", "))
}

fn key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_key_name_shape(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) => {
            key_char(first) && key_char(last) && b.iter().all(|&c| key_char(c) || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// A label key or qualified name: an optional DNS subdomain prefix and `/`, then a name of at
/// most 63 characters.
pub fn label_key(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('/').collect();
    let mut errors = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_owned());
            } else if let Some(why) = dns1123_subdomain(prefix) {
                errors.push(format!("prefix part {why}"));
            }
            *name
        }
        _ => {
            return Some("a qualified name has at most one '/' (an optional DNS subdomain prefix, then the name, e.g. 'example.com/MyName')".to_owned());
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_owned());
    } else {
        if name.len() > LABEL_MAX {
            errors.push(format!("name part must be no more than {LABEL_MAX} characters"));
        }
        if !is_key_name_shape(name) {
            errors.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character".to_owned());
        }
    }
    (!errors.is_empty()).then(|| errors.join("; "))
}

/// A label value: empty, or a name of at most 63 characters.
pub fn label_value(s: &str) -> Option<String> {
    too_long(s, LABEL_MAX).or_else(|| {
        (!s.is_empty() && !is_key_name_shape(s)).then(|| "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character".to_owned())
    })
}

/// The syntax a kind's `metadata.name` follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    PathSegment,
}

impl NameRule {
    pub fn check(self, name: &str) -> Option<String> {
        match self {
            NameRule::Subdomain => dns1123_subdomain(name),
            NameRule::Label => dns1123_label(name),
            NameRule::Dns1035 => dns1035_label(name),
            NameRule::PathSegment => path_segment(name),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            NameRule::Subdomain => "a DNS-1123 subdomain",
            NameRule::Label => "a DNS-1123 label",
            NameRule::Dns1035 => "a DNS-1035 label",
            NameRule::PathSegment => "a path segment",
        }
    }

    /// `generateName` is checked as a prefix: apimachinery's `maskTrailingDash` replaces the
    /// last two characters of a name ending in `-` by `a` before checking it.
    pub fn check_prefix(self, prefix: &str) -> Option<String> {
        if self == NameRule::PathSegment {
            let bad: Vec<&str> = ["/", "%"].into_iter().filter(|c| prefix.contains(c)).collect();
            return (!bad.is_empty())
                .then(|| bad.iter().map(|c| format!("may not contain '{c}'")).collect::<Vec<_>>().join(", "));
        }
        if prefix.len() > 1 && prefix.ends_with('-') {
            let masked = format!("{}a", prefix.get(..prefix.len() - 2).unwrap_or(""));
            return self.check(&masked);
        }
        self.check(prefix)
    }
}

/// How a built-in kind's name is validated (the `ValidateObjectMeta` name function of its
/// validation code), and an extra length limit. Kinds not listed are not checked.
pub fn name_rule(group: &str, kind: &str, version: KubeVersion) -> Option<(NameRule, Option<usize>)> {
    use NameRule::*;
    let rule = match (group, kind) {
        ("", "Namespace") => Label,
        ("", "Service") => Dns1035,
        (
            "",
            "Pod"
            | "ReplicationController"
            | "Node"
            | "LimitRange"
            | "ResourceQuota"
            | "Secret"
            | "ConfigMap"
            | "ServiceAccount"
            | "Endpoints"
            | "PersistentVolume"
            | "PersistentVolumeClaim"
            | "PodTemplate",
        ) => Subdomain,
        // ValidateStatefulSetName became NameIsDNSLabel in v1.27 (kubernetes#114172): the name
        // ends up in each pod's hostname.
        ("apps", "StatefulSet") if version >= KubeVersion::v1(27) => Label,
        ("apps", "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "ControllerRevision") => Subdomain,
        // The CronJob controller appends an 11-character suffix to name its Jobs.
        ("batch", "CronJob") => return Some((Subdomain, Some(52))),
        ("batch", "Job") => Subdomain,
        ("networking.k8s.io", "NetworkPolicy" | "Ingress" | "IngressClass") => Subdomain,
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding") => PathSegment,
        ("policy", "PodDisruptionBudget") => Subdomain,
        ("scheduling.k8s.io", "PriorityClass") => Subdomain,
        ("storage.k8s.io", "StorageClass" | "VolumeAttachment") => Subdomain,
        ("autoscaling", "HorizontalPodAutoscaler") => Subdomain,
        (
            "admissionregistration.k8s.io",
            "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding",
        ) => Subdomain,
        ("coordination.k8s.io", "Lease") => Subdomain,
        ("node.k8s.io", "RuntimeClass") => Subdomain,
        ("discovery.k8s.io", "EndpointSlice") => Subdomain,
        _ => return None,
    };
    Some((rule, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        assert!(dns1123_label("web-1").is_none());
        assert_eq!(dns1123_label("web.1").as_deref(), Some("must not contain dots"));
        assert!(dns1123_label("Web").is_some());
        assert!(dns1123_label("-web").is_some());
        assert!(dns1123_label(&"a".repeat(64)).is_some());
        assert!(dns1123_subdomain("a.b-c.d").is_none());
        assert!(dns1123_subdomain("a..b").is_some());
        assert!(dns1123_subdomain("").is_some());
        assert!(dns1035_label("web").is_none());
        assert!(dns1035_label("1web").is_some());
        assert!(path_segment("system:controller:x").is_none());
        assert!(path_segment("a/b").is_some());
        assert!(path_segment("..").is_some());
    }

    #[test]
    fn labels() {
        for ok in ["app", "app.kubernetes.io/name", "A_b.c-d", "example.com/MyName"] {
            assert!(label_key(ok).is_none(), "{ok}");
        }
        for bad in ["", "/name", "a/b/c", "-app", "app-", "Example.com/x", "x/", &"a".repeat(64)] {
            assert!(label_key(bad).is_some(), "{bad}");
        }
        assert!(label_value("").is_none());
        assert!(label_value("v1.2_3").is_none());
        assert!(label_value("a b").is_some());
        assert!(label_value(&"a".repeat(64)).is_some());
    }

    #[test]
    fn generate_name_prefixes() {
        assert!(NameRule::Subdomain.check_prefix("web-").is_none());
        assert!(NameRule::Dns1035.check_prefix("web-").is_none());
        assert!(NameRule::Subdomain.check_prefix("Web-").is_some());
        assert!(NameRule::PathSegment.check_prefix("..").is_none());
    }
}
