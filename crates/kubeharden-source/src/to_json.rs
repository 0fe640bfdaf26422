//! A tree as JSON, the way sigs.k8s.io/yaml converts YAML before decoding (used for the
//! configuration file and by tests).

use serde_json::{Map, Number, Value};

use super::scalar::Scalar;
use super::{IssueKind, Limits, NodeRef, Source, parse};

/// Converts one YAML (or JSON) document to a JSON value. Errors carry a 1-based line and column.
pub fn yaml_to_json(text: &str) -> Result<Value, (String, u32, u32)> {
    let parsed = parse(&Source::new("config", text), &Limits::default());
    if let Some(issue) = parsed.issues.iter().find(|i| i.kind != IssueKind::AmbiguousValue) {
        let pos = parsed.position(issue.span.start);
        return Err((issue.message.clone(), pos.line, pos.column));
    }
    match parsed.documents.as_slice() {
        [] => Ok(Value::Null),
        [doc] => Ok(node_to_json(parsed.tree.node(doc.root))),
        [_, second, ..] => {
            let pos = parsed.position(parsed.tree.node(second.root).span().start);
            Err(("expected one YAML document".into(), pos.line, pos.column))
        }
    }
}

/// The JSON value of a node. Depth is bounded by the parser's depth limit.
pub fn node_to_json(node: NodeRef<'_>) -> Value {
    if node.is_map() {
        let mut map = Map::new();
        for (k, v) in node.entries() {
            map.insert(k.key_str().unwrap_or_default().to_owned(), node_to_json(v));
        }
        return Value::Object(map);
    }
    if node.is_seq() {
        return Value::Array(node.items().map(node_to_json).collect());
    }
    match node.scalar() {
        None | Some(Scalar::Null) => Value::Null,
        Some(Scalar::Bool(b)) => Value::Bool(b),
        Some(Scalar::Int(i)) => Value::Number(i.into()),
        Some(Scalar::UInt(u)) => Value::Number(u.into()),
        Some(Scalar::Float(f)) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        Some(Scalar::Str | Scalar::Timestamp) => Value::String(node.text().unwrap_or_default().to_owned()),
    }
}
