//! Gatekeeper Constraint `spec.match`, as Gatekeeper's `pkg/mutation/match` decides it (the
//! one implementation every engine uses): kinds, scope, namespaces, excludedNamespaces,
//! labelSelector, namespaceSelector, name, source. Every part must agree; an absent part
//! agrees. A review matches when its object or its oldObject matches (`matchAny`).

use serde_json::Value;

/// A match that cannot be decided (Gatekeeper answers with an error and reviews nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchError(pub String);

/// Does `spec.match` select the object? `namespace` is the review's namespace object, looked
/// up by the object's namespace when not given.
pub fn matches<'v>(
    m: &Value,
    object: &Value,
    namespaces: &dyn Fn(&str) -> Option<&'v Value>,
) -> Result<bool, MatchError> {
    if m.is_null() {
        return Ok(true);
    }
    let ns_name = object.pointer("/metadata/namespace").and_then(Value::as_str).filter(|n| !n.is_empty());
    let namespace = ns_name.and_then(namespaces);
    Ok(kinds(m, object)
        && scope(m, object, ns_name, namespace)
        && namespaces_match(m, object, ns_name, namespace)
        && excluded_namespaces(m, object, ns_name, namespace)
        && label_selector(m.get("labelSelector"), labels(object))?
        && namespace_selector(m, object, ns_name, namespace)?
        && name(m, object)
        && source(m)?)
}

fn group_kind(object: &Value) -> (&str, &str) {
    let api = object.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    (group, object.get("kind").and_then(Value::as_str).unwrap_or(""))
}

fn is_namespace(object: &Value) -> bool {
    group_kind(object) == ("", "Namespace")
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn kinds(m: &Value, object: &Value) -> bool {
    let Some(list) = m.get("kinds").and_then(Value::as_array).filter(|l| !l.is_empty()) else { return true };
    let (group, kind) = group_kind(object);
    list.iter().any(|k| {
        let kinds = strings(k.get("kinds"));
        let groups = strings(k.get("apiGroups"));
        (kinds.is_empty() || kinds.contains(&"*") || kinds.contains(&kind))
            && (groups.is_empty() || groups.contains(&"*") || groups.contains(&group))
    })
}

fn scope(m: &Value, object: &Value, ns_name: Option<&str>, namespace: Option<&Value>) -> bool {
    let has_namespace = ns_name.is_some() || namespace.is_some();
    match m.get("scope").and_then(Value::as_str) {
        Some("Cluster") => is_namespace(object) || !has_namespace,
        Some("Namespaced") => !is_namespace(object) && has_namespace,
        // Anything else, typos included, is "*".
        _ => true,
    }
}

/// The namespace name the namespace criteria compare: a Namespace's own name, else the
/// object's namespace; `None` for cluster-scoped objects (they cannot be disqualified).
fn namespace_of<'a>(object: &'a Value, ns_name: Option<&'a str>, namespace: Option<&'a Value>) -> Option<&'a str> {
    if is_namespace(object) {
        return object.pointer("/metadata/name").and_then(Value::as_str);
    }
    namespace.and_then(|n| n.pointer("/metadata/name").and_then(Value::as_str)).or(ns_name)
}

fn namespaces_match(m: &Value, object: &Value, ns_name: Option<&str>, namespace: Option<&Value>) -> bool {
    let list = strings(m.get("namespaces"));
    if list.is_empty() {
        return true;
    }
    match namespace_of(object, ns_name, namespace) {
        Some(ns) => list.iter().any(|w| wildcard(w, ns)),
        None => true,
    }
}

fn excluded_namespaces(m: &Value, object: &Value, ns_name: Option<&str>, namespace: Option<&Value>) -> bool {
    let list = strings(m.get("excludedNamespaces"));
    if list.is_empty() {
        return true;
    }
    match namespace_of(object, ns_name, namespace) {
        Some(ns) => !list.iter().any(|w| wildcard(w, ns)),
        None => true,
    }
}

fn namespace_selector(
    m: &Value,
    object: &Value,
    ns_name: Option<&str>,
    namespace: Option<&Value>,
) -> Result<bool, MatchError> {
    let Some(selector) = m.get("namespaceSelector").filter(|s| !s.is_null()) else { return Ok(true) };
    if !is_namespace(object) && namespace.is_none() && ns_name.is_none() {
        // Cluster-scoped objects other than Namespaces always match.
        return Ok(true);
    }
    if is_namespace(object) {
        return label_selector(Some(selector), labels(object));
    }
    match namespace {
        Some(ns) => label_selector(Some(selector), namespace_labels(ns)),
        None => Err(MatchError(format!(
            "the Constraint selects namespaces by label, and Namespace {} is not among the input",
            ns_name.unwrap_or("")
        ))),
    }
}

/// A Namespace's labels, with the `kubernetes.io/metadata.name` label the API server adds.
fn namespace_labels(ns: &Value) -> Vec<(String, String)> {
    let mut out = labels(ns);
    if let Some(name) = ns.pointer("/metadata/name").and_then(Value::as_str)
        && !out.iter().any(|(k, _)| k == "kubernetes.io/metadata.name")
    {
        out.push(("kubernetes.io/metadata.name".into(), name.into()));
    }
    out
}

fn labels(object: &Value) -> Vec<(String, String)> {
    object
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), String::from))).collect())
        .unwrap_or_default()
}

/// A metav1.LabelSelector: every `matchLabels` pair and every `matchExpressions` requirement.
pub fn label_selector(selector: Option<&Value>, labels: Vec<(String, String)>) -> Result<bool, MatchError> {
    let Some(selector) = selector.filter(|s| !s.is_null()) else { return Ok(true) };
    let get = |k: &str| labels.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    if let Some(ml) = selector.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in ml {
            let want = v.as_str().map_or_else(|| v.to_string(), String::from);
            if get(k) != Some(want.as_str()) {
                return Ok(false);
            }
        }
    }
    for req in selector.get("matchExpressions").and_then(Value::as_array).into_iter().flatten() {
        let key = req.get("key").and_then(Value::as_str).unwrap_or("");
        let values = strings(req.get("values"));
        let op = req.get("operator").and_then(Value::as_str).unwrap_or("");
        let ok = match op {
            "In" | "NotIn" if values.is_empty() => {
                return Err(MatchError(format!("label selector: operator {op} for key {key} needs values")));
            }
            "In" => get(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => get(key).is_none_or(|v| !values.contains(&v)),
            "Exists" | "DoesNotExist" if !values.is_empty() => {
                return Err(MatchError(format!("label selector: operator {op} for key {key} takes no values")));
            }
            "Exists" => get(key).is_some(),
            "DoesNotExist" => get(key).is_none(),
            other => return Err(MatchError(format!("label selector: {other:?} is not a valid operator"))),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn name(m: &Value, object: &Value) -> bool {
    let Some(pattern) = m.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) else { return true };
    let name = object.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    let generate = object.pointer("/metadata/generateName").and_then(Value::as_str).unwrap_or("");
    wildcard(pattern, name) || wildcard_generate_name(pattern, generate)
}

/// `source`: `All` (default), `Original` or `Generated`. What is linted is what was written,
/// so `Original` and `All` match; `Generated` (objects Gatekeeper expands) does not.
fn source(m: &Value) -> Result<bool, MatchError> {
    match m.get("source").and_then(Value::as_str).unwrap_or("") {
        "" | "All" | "Original" => Ok(true),
        "Generated" => Ok(false),
        other => Err(MatchError(format!("invalid source field {other:?}"))),
    }
}

/// Gatekeeper's `Wildcard.Matches`: a glob only at the front and/or the end.
pub fn wildcard(pattern: &str, candidate: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(_), Some(_)) if pattern.len() >= 2 => candidate.contains(&pattern[1..pattern.len() - 1]),
        (Some(rest), _) => candidate.ends_with(rest),
        (None, Some(rest)) => candidate.starts_with(rest),
        (None, None) => pattern == candidate,
    }
}

fn wildcard_generate_name(pattern: &str, candidate: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(_), Some(_)) if pattern.len() >= 2 => candidate.contains(&pattern[1..pattern.len() - 1]),
        (None, Some(rest)) => candidate.starts_with(rest),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn none(_: &str) -> Option<&'static Value> {
        None
    }

    #[test]
    fn wildcards_as_gatekeeper() {
        assert!(wildcard("kube-*", "kube-system"));
        assert!(wildcard("*-system", "kube-system"));
        assert!(wildcard("*sys*", "kube-system"));
        assert!(!wildcard("kube", "kube-system"));
        assert!(wildcard("*", "anything"));
        assert!(wildcard_generate_name("web-*", "web-"));
        assert!(!wildcard_generate_name("*-web", "x-web"));
    }

    #[test]
    fn kinds_scope_and_namespaces() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop", "labels": {"app": "web"}}});
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}});
        let m = json!({"kinds": [{"apiGroups": [""], "kinds": ["Pod"]}]});
        assert_eq!(matches(&m, &pod, &none), Ok(true));
        let m = json!({"kinds": [{"apiGroups": ["apps"], "kinds": ["Pod"]}]});
        assert_eq!(matches(&m, &pod, &none), Ok(false));
        assert_eq!(matches(&json!({"scope": "Cluster"}), &pod, &none), Ok(false));
        assert_eq!(matches(&json!({"scope": "Cluster"}), &ns, &none), Ok(true));
        assert_eq!(matches(&json!({"scope": "Namespaced"}), &ns, &none), Ok(false));
        assert_eq!(matches(&json!({"namespaces": ["sh*"]}), &pod, &none), Ok(true));
        assert_eq!(matches(&json!({"excludedNamespaces": ["kube-*"]}), &ns, &none), Ok(false));
        assert_eq!(matches(&json!({"name": "p"}), &pod, &none), Ok(true));
        assert_eq!(matches(&json!({"name": "q*"}), &pod, &none), Ok(false));
    }

    #[test]
    fn selectors() {
        let pod = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p", "namespace": "shop", "labels": {"app": "web"}}});
        let m =
            json!({"labelSelector": {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}});
        assert_eq!(matches(&m, &pod, &none), Ok(true));
        let m = json!({"labelSelector": {"matchLabels": {"app": "db"}}});
        assert_eq!(matches(&m, &pod, &none), Ok(false));
        let m = json!({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}});
        assert!(matches(&m, &pod, &none).is_err());
        let shop = json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "shop"}});
        let lookup = |n: &str| (n == "shop").then_some(&shop);
        assert_eq!(matches(&m, &pod, &lookup), Ok(true));
        let m = json!({"labelSelector": {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}});
        assert!(matches(&m, &pod, &none).is_err());
    }
}
