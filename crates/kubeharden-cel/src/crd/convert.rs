//! A custom resource's value as the rules see it (k8s.io/apiserver/pkg/cel/common
//! `UnstructuredToVal`), typed by its schema: an object's declared properties under their
//! escaped names (undeclared and unescapable ones are not visible), a map's keys as written,
//! `number` always a double, `format: date-time` / `date` timestamps, `duration` durations,
//! `byte` bytes, int-or-string an int or a string, values kept by
//! x-kubernetes-preserve-unknown-fields as they are.
//!
//! A value that does not have its schema's type is an error: the API server does not run the
//! rules of an object with such errors (its "blocking" errors, which the core reports).

use std::rc::Rc;

use serde_json::Value as Json;

use super::escape::escape;
use super::schema::Node;
use crate::library::stdlib::{parse_duration, parse_timestamp};
use crate::value::{Key, Map, Value};

/// `json` typed by `node`; `resource` at the root of a resource or an embedded resource.
pub fn to_cel(json: &Json, node: &Node, resource: bool) -> Result<Value, String> {
    if json.is_null() {
        return Ok(Value::Null);
    }
    if node.int_or_string {
        return match json {
            Json::String(s) => Ok(Value::string(s)),
            Json::Number(n) if n.is_i64() => Ok(Value::Int(n.as_i64().unwrap_or(0))),
            _ => Err("expected XIntOrString value to be either a string or integer".into()),
        };
    }
    match node.ty.as_str() {
        "object" => object(json, node, resource),
        "array" => {
            let items = json.as_array().ok_or("expected an array for the provided schema with type=array")?;
            let Some(schema) = node.items.as_deref() else { return Ok(Value::from_json(json)) };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(to_cel(item, schema, schema.embedded)?);
            }
            Ok(Value::list(out))
        }
        "string" => {
            let s = json.as_str().ok_or("expected string")?;
            match node.format.as_str() {
                "duration" => parse_duration(s).map(Value::Duration).ok_or_else(|| format!("Invalid duration {s}")),
                "date" => parse_timestamp(&format!("{s}T00:00:00Z"))
                    .filter(|_| s.len() == 10)
                    .map(Value::Timestamp)
                    .ok_or_else(|| format!("Invalid date formatted string {s}")),
                "date-time" => {
                    date_time(s).map(Value::Timestamp).ok_or_else(|| format!("Invalid date-time formatted string {s}"))
                }
                "byte" => base64(s)
                    .map(|b| Value::Bytes(Rc::from(b)))
                    .ok_or_else(|| format!("Invalid byte formatted string {s}")),
                _ => Ok(Value::string(s)),
            }
        }
        "number" => json.as_f64().map(Value::Double).ok_or_else(|| "expected float".into()),
        "integer" => json.as_i64().map(Value::Int).ok_or_else(|| "expected int".into()),
        "boolean" => json.as_bool().map(Value::Bool).ok_or_else(|| "expected bool".into()),
        _ => Ok(Value::from_json(json)),
    }
}

fn object(json: &Json, node: &Node, resource: bool) -> Result<Value, String> {
    let map = json.as_object().ok_or("expected a map for the provided schema with type=object")?;
    let mut out = Map::new();
    if let Some(values) = node.additional.as_deref() {
        for (k, v) in map {
            out.insert(Key::String(Rc::from(k.as_str())), to_cel(v, values, values.embedded)?);
        }
        return Ok(Value::Map(Rc::new(out)));
    }
    for (k, v) in map {
        // The type and object meta of a resource are what the API server's schema of them
        // says (`WithTypeAndObjectMeta`), whatever the CRD declares.
        let value = match node.properties.get(k) {
            _ if resource && (k == "apiVersion" || k == "kind") => Value::from_json(v),
            _ if resource && k == "metadata" => meta(v),
            Some(schema) => to_cel(v, schema, schema.embedded)?,
            None => continue,
        };
        let Some(name) = escape(k) else { continue };
        out.insert(Key::String(Rc::from(name.as_str())), value);
    }
    Ok(Value::Map(Rc::new(out)))
}

/// `metadata` at the root of a resource: `name` and `generateName`.
fn meta(json: &Json) -> Value {
    let mut out = Map::new();
    for key in ["name", "generateName"] {
        if let Some(v) = json.get(key).filter(|v| v.is_string()) {
            out.insert(Key::String(Rc::from(key)), Value::from_json(v));
        }
    }
    Value::Map(Rc::new(out))
}

/// strfmt's date-time: RFC 3339, also without a time zone (UTC).
fn date_time(s: &str) -> Option<i128> {
    parse_timestamp(s).or_else(|| parse_timestamp(&format!("{s}Z")))
}

/// Standard base64 with padding, as strfmt.Base64 reads it.
fn base64(s: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let d = if i >= 4 - pad { 0 } else { digit(c)? };
            n = (n << 6) | d;
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.push(a);
        if pad < 2 {
            out.push(b);
        }
        if pad < 1 {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn reads_base64() {
        assert_eq!(base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64("").as_deref(), Some(&b""[..]));
        assert_eq!(base64("a!=="), None);
        assert_eq!(base64("abc"), None);
    }
}
