//! Field selection (`a.b`, `has(a.b)`) and indexing (`a[k]`), recording the field of `object`
//! read last.

use std::rc::Rc;

use super::origin::child;
use super::{EvalError, Evaluator, Origin, Result};
use crate::PathSegment;
use crate::library;
use crate::value::{Key, Value};

impl<'a> Evaluator<'a> {
    pub fn select(&mut self, operand: Value, origin: &Origin, field: &str, test: bool) -> Result<(Value, Origin)> {
        match operand {
            Value::Map(map) => {
                let found = map.get_str(field).cloned();
                let origin = child(origin, || PathSegment::Key(field.to_string()));
                if test {
                    if found.is_none() && origin.is_some() {
                        self.last_read = origin.as_ref().and_then(|o| o.parent.clone());
                    }
                    return Ok((Value::Bool(found.is_some()), None));
                }
                match found {
                    Some(v) => {
                        if origin.is_some() {
                            self.last_read = origin.clone();
                        }
                        Ok((v, origin))
                    }
                    None => Err(EvalError::runtime(format!("no such key: {field}"))),
                }
            }
            Value::Optional(None) => Ok((Value::Optional(None), None)),
            Value::Optional(Some(inner)) => {
                let (v, o) = self.select((*inner).clone(), origin, field, test)?;
                Ok((Value::Optional(Some(Rc::new(v))), o))
            }
            Value::Ext(ext) => library::ext::select(&ext, field).map(|v| (v, None)),
            other => Err(EvalError::runtime(format!("type '{}' does not support field selection", other.type_name()))),
        }
    }

    pub fn index(&mut self, container: Value, origin: &Origin, key: Value) -> Result<(Value, Origin)> {
        match &container {
            Value::List(items) => {
                let i = match &key {
                    Value::Int(i) => *i,
                    Value::Uint(u) => i64::try_from(*u).unwrap_or(i64::MAX),
                    Value::Double(d) if d.fract() == 0.0 => *d as i64,
                    _ => return Err(EvalError::no_overload("_[_]", &[container.clone(), key])),
                };
                let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) else {
                    return Err(EvalError::runtime(format!("index out of bounds: {i}")));
                };
                let origin = child(origin, || PathSegment::Index(i as usize));
                if origin.is_some() {
                    self.last_read = origin.clone();
                }
                Ok((v.clone(), origin))
            }
            Value::Map(map) => {
                let Some(k) = Key::from_value(&key) else {
                    return Err(EvalError::runtime(format!("unsupported key type: {}", key.type_name())));
                };
                match map.get(&k) {
                    Some(v) => {
                        let origin = match &k {
                            Key::String(s) => child(origin, || PathSegment::Key(s.to_string())),
                            _ => None,
                        };
                        if origin.is_some() {
                            self.last_read = origin.clone();
                        }
                        Ok((v.clone(), origin))
                    }
                    None => Err(EvalError::runtime(format!("no such key: {}", library::stdlib::display(&key)))),
                }
            }
            Value::Optional(None) => Ok((Value::Optional(None), None)),
            Value::Optional(Some(inner)) => {
                let (v, o) = self.index((**inner).clone(), origin, key)?;
                Ok((Value::Optional(Some(Rc::new(v))), o))
            }
            _ => Err(EvalError::no_overload("_[_]", &[container, key])),
        }
    }
}
