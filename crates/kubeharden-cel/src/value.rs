//! CEL values, and JSON bound to them without renaming anything.
//!
//! A JSON object becomes a CEL map with the same string keys (`'app.kubernetes.io/name' in
//! object.metadata.labels` is a key lookup, nothing is rewritten), a JSON integer an `int`
//! (a `uint` above `i64::MAX`), any other number a `double`, as the API server's
//! unstructured values are typed when no schema says otherwise.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value as Json;

use crate::library::ext::Ext;

/// A CEL value.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Double(f64),
    String(Rc<str>),
    Bytes(Rc<[u8]>),
    List(Rc<Vec<Value>>),
    Map(Rc<Map>),
    /// A type value (`type(x)`, `int`, `string`): its name.
    Type(Rc<str>),
    Optional(Option<Rc<Value>>),
    /// Nanoseconds.
    Duration(i128),
    /// Nanoseconds since the Unix epoch, UTC.
    Timestamp(i128),
    /// The Kubernetes library types: quantity, semver, URL, IP, CIDR, format, ...
    Ext(Rc<Ext>),
}

/// A map key: CEL allows int, uint, bool and string keys.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Int(i64),
    Uint(u64),
    Bool(bool),
    String(Rc<str>),
}

impl Key {
    pub fn from_value(v: &Value) -> Option<Key> {
        match v {
            Value::Int(i) => Some(Key::Int(*i)),
            Value::Uint(u) => Some(Key::Uint(*u)),
            Value::Bool(b) => Some(Key::Bool(*b)),
            Value::String(s) => Some(Key::String(s.clone())),
            // A double with an integral value looks up the same entry as the int would
            // (heterogeneous equality).
            Value::Double(d) if d.fract() == 0.0 && d.abs() < 9.2e18 => Some(Key::Int(*d as i64)),
            _ => None,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Key::Int(i) => Value::Int(*i),
            Key::Uint(u) => Value::Uint(*u),
            Key::Bool(b) => Value::Bool(*b),
            Key::String(s) => Value::String(s.clone()),
        }
    }

    /// The same key spelled as the other numeric type (`1` and `1u` find each other).
    fn numeric_twin(&self) -> Option<Key> {
        match self {
            Key::Int(i) => u64::try_from(*i).ok().map(Key::Uint),
            Key::Uint(u) => i64::try_from(*u).ok().map(Key::Int),
            _ => None,
        }
    }
}

/// Maps keep their insertion order (JSON order) so results built from them are the same on
/// every run; large ones get a hash index so lookups stay constant-time.
#[derive(Clone, Debug, Default)]
pub struct Map {
    entries: Vec<(Key, Value)>,
    index: Option<HashMap<Key, usize>>,
}

const INDEX_FROM: usize = 12;

impl Map {
    pub fn new() -> Self {
        Map::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(Key, Value)> {
        self.entries.iter()
    }

    fn position(&self, key: &Key) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    pub fn get(&self, key: &Key) -> Option<&Value> {
        let at = self.position(key).or_else(|| key.numeric_twin().and_then(|k| self.position(&k)))?;
        self.entries.get(at).map(|(_, v)| v)
    }

    /// The entry at position `i`, in insertion order.
    pub fn entry_at(&self, i: usize) -> Option<(&Key, &Value)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }

    /// The entry whose key is the string `key`: the map's own key with its value.
    pub fn get_str_entry(&self, key: &str) -> Option<(&Key, &Value)> {
        let found = match &self.index {
            Some(_) => self.position(&Key::String(Rc::from(key))).and_then(|at| self.entries.get(at)),
            None => self.entries.iter().find(|(k, _)| matches!(k, Key::String(s) if &**s == key)),
        };
        found.map(|(k, v)| (k, v))
    }

    pub fn get_str(&self, key: &str) -> Option<&Value> {
        match &self.index {
            Some(_) => self.get(&Key::String(Rc::from(key))),
            None => self.entries.iter().find(|(k, _)| matches!(k, Key::String(s) if &**s == key)).map(|(_, v)| v),
        }
    }

    /// Inserts or replaces; returns false when the key was already there.
    pub fn insert(&mut self, key: Key, value: Value) -> bool {
        if let Some(at) = self.position(&key) {
            if let Some(slot) = self.entries.get_mut(at) {
                slot.1 = value;
            }
            return false;
        }
        self.entries.push((key.clone(), value));
        let len = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(key, len - 1);
        } else if len > INDEX_FROM {
            self.index = Some(self.entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect());
        }
        true
    }
}

impl Value {
    pub fn string(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    /// The name `type()` gives it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null_type",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Uint(_) => "uint",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Type(_) => "type",
            Value::Optional(_) => "optional_type",
            Value::Duration(_) => "google.protobuf.Duration",
            Value::Timestamp(_) => "google.protobuf.Timestamp",
            Value::Ext(e) => e.type_name(),
        }
    }

    /// A JSON document as a CEL value. Deep documents are bounded by the JSON reader's own
    /// depth limit; this walk uses an explicit stack so it never overflows.
    pub fn from_json(json: &Json) -> Value {
        enum Frame<'a> {
            List(std::slice::Iter<'a, Json>, Vec<Value>),
            Map(serde_json::map::Iter<'a>, Map, Option<Rc<str>>),
        }
        fn scalar(json: &Json) -> Option<Value> {
            Some(match json {
                Json::Null => Value::Null,
                Json::Bool(b) => Value::Bool(*b),
                Json::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        Value::Int(i)
                    } else if let Some(u) = n.as_u64() {
                        Value::Uint(u)
                    } else {
                        Value::Double(n.as_f64().unwrap_or(f64::NAN))
                    }
                }
                Json::String(s) => Value::string(s),
                Json::Array(_) | Json::Object(_) => return None,
            })
        }
        fn open(json: &Json) -> Result<Frame<'_>, Value> {
            match json {
                Json::Array(items) => Ok(Frame::List(items.iter(), Vec::with_capacity(items.len()))),
                Json::Object(map) => Ok(Frame::Map(map.iter(), Map::new(), None)),
                other => Err(scalar(other).unwrap_or(Value::Null)),
            }
        }
        let mut stack = match open(json) {
            Ok(frame) => vec![frame],
            Err(value) => return value,
        };
        loop {
            let Some(top) = stack.last_mut() else { return Value::Null };
            let next = match top {
                Frame::List(iter, _) => iter.next(),
                Frame::Map(iter, _, pending) => iter.next().map(|(k, v)| {
                    *pending = Some(Rc::from(k.as_str()));
                    v
                }),
            };
            let done = match next {
                Some(child) => match open(child) {
                    Ok(frame) => {
                        stack.push(frame);
                        continue;
                    }
                    Err(value) => value,
                },
                None => {
                    let Some(frame) = stack.pop() else { return Value::Null };
                    let value = match frame {
                        Frame::List(_, items) => Value::List(Rc::new(items)),
                        Frame::Map(_, map, _) => Value::Map(Rc::new(map)),
                    };
                    if stack.is_empty() {
                        return value;
                    }
                    value
                }
            };
            match stack.last_mut() {
                Some(Frame::List(_, items)) => items.push(done),
                Some(Frame::Map(_, map, pending)) => {
                    if let Some(k) = pending.take() {
                        map.insert(Key::String(k), done);
                    }
                }
                None => return done,
            }
        }
    }

    /// The value as JSON (for `messageExpression` results, audit annotations, tests).
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Uint(u) => Json::from(*u),
            Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
            Value::String(s) => Json::String(s.to_string()),
            Value::List(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Key::String(s) => s.to_string(),
                            Key::Int(i) => i.to_string(),
                            Key::Uint(u) => u.to_string(),
                            Key::Bool(b) => b.to_string(),
                        };
                        (key, v.to_json())
                    })
                    .collect(),
            ),
            Value::Optional(Some(v)) => v.to_json(),
            Value::Optional(None) => Json::Null,
            other => Json::String(crate::library::stdlib::to_string(other).unwrap_or_default()),
        }
    }
}
