//! JSON values as regorus values, converted directly.
//!
//! regorus's own `From<serde_json::Value>` takes the value by move and goes through serde's
//! deserializer, so every review first deep-copied the object (to hand it over) and then
//! deserialized the copy: most of a policy lint's time, since the same objects are handed
//! over once per matching Constraint and the inventory once per template. This builds the
//! same value (numbers as the deserializer reads them: unsigned, then signed, then float)
//! from a reference in one pass.

use std::collections::BTreeMap;

use regorus::Value;

/// A JSON document converted for Rego once, to be handed to many evaluations (the inventory
/// for every template, an object's review for every Constraint). Cloning is cheap: regorus
/// shares the converted value.
#[derive(Clone, Debug)]
pub struct Document(pub(crate) Value);

impl Document {
    pub fn from_json(value: &serde_json::Value) -> Self {
        Document(to_rego(value))
    }
}

/// `value` as regorus reads a JSON document.
pub fn to_rego(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => Value::from(items.iter().map(to_rego).collect::<Vec<_>>()),
        serde_json::Value::Object(fields) => object(fields.iter().map(|(k, v)| (k.as_str(), to_rego(v)))),
    }
}

/// An object of the given fields.
pub fn object<'k>(fields: impl IntoIterator<Item = (&'k str, Value)>) -> Value {
    Value::from(fields.into_iter().map(|(k, v)| (Value::from(k), v)).collect::<BTreeMap<_, _>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The same value regorus's deserializer builds, for every kind of JSON value.
    #[test]
    fn equals_what_regorus_deserializes() {
        let doc = json!({
            "null": null, "t": true, "f": false, "u": 18446744073709551615u64, "i": -9223372036854775807i64,
            "x": 1.5, "e": 1e300, "zero": 0, "s": "ünï", "empty": {}, "list": [1, "a", [], {"k": [null]}],
            "nested": {"b": {"c": {"d": [1, 2, 3]}}}
        });
        assert_eq!(to_rego(&doc), Value::from(doc.clone()));
        for v in doc.as_object().unwrap().values() {
            assert_eq!(to_rego(v), Value::from(v.clone()), "{v}");
        }
    }
}
