//! Where in the reviewed object a Rego violation points. Rego returns no field paths, so
//! this reads what the violation says about itself:
//!
//! 1. `details` naming a field (`path`, `field`, `fieldPath`: `spec.containers[0].image` or
//!    `/spec/containers/0/image`) that exists in the object;
//! 2. `details` naming a container (`container`, `containerName`, `name`);
//! 3. a name quoted in the message (`<app>`, `"app"`, `'app'`, `` `app` ``, `(app)`) that is a
//!    container, volume or port name of the object; when another quoted value of the message
//!    equals a field of that container (its image, say), the path goes down to that field;
//! 4. a value quoted in the message that is a string field of the object (a host name, a
//!    storage class), or else a word of the message that is the value of exactly one field;
//!
//! and otherwise the object's `metadata.name`.

use serde_json::Value;

use crate::Violation;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// How a location was found (the measure of precision).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// A field named by `details`.
    DetailsPath,
    /// A container named by `details`.
    DetailsContainer,
    /// A field of a container named in the message.
    MessageField,
    /// A container, volume or port named in the message.
    MessageName,
    /// A field whose value the message quotes (or names, when only one field has it).
    MessageValue,
    /// `metadata.name` (nothing more precise was found).
    Name,
}

/// The path a violation points at in `object`, and how it was found.
pub fn locate(object: &Value, violation: &Violation) -> (Vec<Segment>, Precision) {
    if let Some(path) = details_path(object, &violation.details) {
        return (path, Precision::DetailsPath);
    }
    let named = named_things(object);
    if let Some(name) = details_container(&violation.details)
        && let Some((path, _)) = named.iter().find(|(p, n)| n.as_str() == name && is_container(p))
    {
        return (path.clone(), Precision::DetailsContainer);
    }
    let quoted = quoted(&violation.msg);
    for q in &quoted {
        if let Some((path, _)) = named.iter().find(|(_, n)| n == q) {
            if is_container(path)
                && let Some(field) = field_with_value(object, path, &quoted, q)
            {
                return (field, Precision::MessageField);
            }
            return (path.clone(), Precision::MessageName);
        }
    }
    let mut leaves = Vec::new();
    string_leaves(object, &mut Vec::new(), &mut leaves);
    // The object's identity is what a message names anyway: pointing there is no more precise.
    let is_name = |p: &[Segment]| match p {
        [Segment::Key(k)] => k == "kind",
        [Segment::Key(m), Segment::Key(n)] => m == "metadata" && (n == "name" || n == "namespace"),
        _ => false,
    };
    for q in &quoted {
        if let Some((path, _)) = leaves.iter().find(|(p, v)| v == q && !is_name(p)) {
            return (path.clone(), Precision::MessageValue);
        }
    }
    for word in
        violation.msg.split(|c: char| c.is_whitespace() || ",;()[]{}<>\"'`".contains(c)).filter(|w| w.len() >= 4)
    {
        let mut hits = leaves.iter().filter(|(_, v)| v == word);
        if let (Some((path, _)), None) = (hits.next(), hits.next())
            && !is_name(path)
        {
            return (path.clone(), Precision::MessageValue);
        }
    }
    (vec![Segment::Key("metadata".into()), Segment::Key("name".into())], Precision::Name)
}

fn is_container(path: &[Segment]) -> bool {
    matches!(path.iter().rev().nth(1), Some(Segment::Key(k)) if k.ends_with("ontainers"))
}

fn details_path(object: &Value, details: &Value) -> Option<Vec<Segment>> {
    let text = ["path", "field", "fieldPath"].iter().find_map(|k| details.get(*k).and_then(Value::as_str))?;
    let path = parse_path(text)?;
    get(object, &path).is_some().then_some(path)
}

fn details_container(details: &Value) -> Option<&str> {
    ["container", "containerName", "name"].iter().find_map(|k| details.get(*k).and_then(Value::as_str))
}

/// `spec.containers[0].image`, `.spec.x`, or a JSON pointer `/spec/containers/0/image`.
pub fn parse_path(text: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    if let Some(pointer) = text.strip_prefix('/') {
        for part in pointer.split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            out.push(part.parse::<usize>().map_or(Segment::Key(part), Segment::Index));
        }
        return Some(out);
    }
    for piece in text.trim_start_matches('.').split('.') {
        let (key, mut rest) = piece.split_once('[').map_or((piece, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_string()));
        }
        while !rest.is_empty() {
            let (index, after) = rest.split_once(']')?;
            out.push(Segment::Index(index.parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    (!out.is_empty()).then_some(out)
}

pub fn get<'a>(object: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    path.iter().try_fold(object, |v, s| match s {
        Segment::Key(k) => v.get(k),
        Segment::Index(i) => v.get(*i),
    })
}

/// The pod specs of an object: a Pod's `spec`, a template's `spec.template.spec`, a CronJob's
/// `spec.jobTemplate.spec.template.spec`.
fn pod_specs(object: &Value) -> Vec<Vec<Segment>> {
    let k = |s: &str| Segment::Key(s.into());
    [
        vec![k("spec")],
        vec![k("spec"), k("template"), k("spec")],
        vec![k("spec"), k("jobTemplate"), k("spec"), k("template"), k("spec")],
    ]
    .into_iter()
    .filter(|p| get(object, p).and_then(|s| s.get("containers")).is_some())
    .collect()
}

/// Containers, volumes and ports that have a name, with their paths, in document order.
fn named_things(object: &Value) -> Vec<(Vec<Segment>, String)> {
    let mut out = Vec::new();
    for spec in pod_specs(object) {
        for list in ["initContainers", "containers", "ephemeralContainers", "volumes"] {
            let mut base = spec.clone();
            base.push(Segment::Key(list.into()));
            let Some(items) = get(object, &base).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                let mut path = base.clone();
                path.push(Segment::Index(i));
                if let Some(name) = item.get("name").and_then(Value::as_str) {
                    out.push((path.clone(), name.to_string()));
                }
                for (j, port) in item.get("ports").and_then(Value::as_array).into_iter().flatten().enumerate() {
                    if let Some(name) = port.get("name").and_then(Value::as_str) {
                        let mut p = path.clone();
                        p.extend([Segment::Key("ports".into()), Segment::Index(j)]);
                        out.push((p, name.to_string()));
                    }
                }
            }
        }
    }
    out
}

/// Values quoted in a message, in order: `<x>`, `"x"`, `'x'`, `` `x` ``.
fn quoted(msg: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('<', '>'), ('"', '"'), ('\'', '\''), ('`', '`'), ('(', ')')] {
        let mut rest = msg;
        while let Some(start) = rest.find(open) {
            let after = rest.get(start + open.len_utf8()..).unwrap_or("");
            let Some(end) = after.find(close) else { break };
            let inner = after.get(..end).unwrap_or("");
            if !inner.is_empty() && inner.len() <= 253 {
                out.push(inner.to_string());
            }
            rest = after.get(end + close.len_utf8()..).unwrap_or("");
        }
    }
    out
}

/// Every string value of the object with its path, in document order (bounded: objects are
/// limited by the reader's depth and size limits).
fn string_leaves(v: &Value, path: &mut Vec<Segment>, out: &mut Vec<(Vec<Segment>, String)>) {
    match v {
        Value::String(s) => out.push((path.clone(), s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                string_leaves(item, path, out);
                path.pop();
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                path.push(Segment::Key(k.clone()));
                string_leaves(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A string field of the container at `path` whose value is another quoted value.
fn field_with_value(object: &Value, path: &[Segment], quoted: &[String], name: &str) -> Option<Vec<Segment>> {
    let container = get(object, path)?.as_object()?;
    for q in quoted.iter().filter(|q| q.as_str() != name) {
        if let Some((key, _)) = container.iter().find(|(k, v)| k.as_str() != "name" && v.as_str() == Some(q.as_str())) {
            let mut p = path.to_vec();
            p.push(Segment::Key(key.clone()));
            return Some(p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(msg: &str, details: Value) -> Violation {
        Violation { msg: msg.into(), details }
    }

    fn deploy() -> Value {
        json!({"metadata": {"name": "web"}, "spec": {"template": {"spec": {
            "containers": [{"name": "app", "image": "nginx:latest", "ports": [{"name": "http", "containerPort": 80}]}],
            "volumes": [{"name": "data", "emptyDir": {}}]
        }}}})
    }

    fn keys(path: &[Segment]) -> String {
        path.iter()
            .map(|s| match s {
                Segment::Key(k) => format!(".{k}"),
                Segment::Index(i) => format!("[{i}]"),
            })
            .collect()
    }

    #[test]
    fn finds_the_most_precise_location() {
        let o = deploy();
        let (p, how) = locate(&o, &v("container <app> has an invalid image <nginx:latest>", Value::Null));
        assert_eq!((keys(&p), how), (".spec.template.spec.containers[0].image".into(), Precision::MessageField));
        let (p, how) = locate(&o, &v("volume \"data\" is not allowed", Value::Null));
        assert_eq!((keys(&p), how), (".spec.template.spec.volumes[0]".into(), Precision::MessageName));
        let (p, how) = locate(&o, &v("bad", json!({"path": "spec.template.spec.containers[0].ports[0]"})));
        assert_eq!((keys(&p), how), (".spec.template.spec.containers[0].ports[0]".into(), Precision::DetailsPath));
        let (p, how) = locate(&o, &v("bad", json!({"container": "app"})));
        assert_eq!((keys(&p), how), (".spec.template.spec.containers[0]".into(), Precision::DetailsContainer));
        let (p, how) = locate(&o, &v("containers with tty (app) are not allowed", Value::Null));
        assert_eq!((keys(&p), how), (".spec.template.spec.containers[0]".into(), Precision::MessageName));
        let (p, how) = locate(&o, &v("image nginx:latest uses the latest tag", Value::Null));
        assert_eq!((keys(&p), how), (".spec.template.spec.containers[0].image".into(), Precision::MessageValue));
        let (p, how) = locate(&o, &v("missing owner label", json!({"path": "spec.nothing"})));
        assert_eq!((keys(&p), how), (".metadata.name".into(), Precision::Name));
    }
}
