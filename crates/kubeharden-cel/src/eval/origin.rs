//! Which field of `object` a value came from: a path shared by the values read from it, so
//! that a failed validation can point at the field it read last.

use std::rc::Rc;

use crate::PathSegment;
use crate::value::{Key, Value};

/// A path inside `object`, shared by the values read from it.
#[derive(Debug)]
pub struct PathNode {
    pub(super) parent: Origin,
    segment: PathSegment,
}

pub type Origin = Option<Rc<PathNode>>;

/// The path one step below `origin`; `segment` is only built for a value that has a path (the
/// values read from `object`), so that other values cost no allocation.
pub(super) fn child(origin: &Origin, segment: impl FnOnce() -> PathSegment) -> Origin {
    origin.as_ref().map(|parent| Rc::new(PathNode { parent: Some(parent.clone()), segment: segment() }))
}

/// What a comprehension iterates over: (index or key, value, origin) of each element of a
/// list or entry of a map; `None` for anything else.
pub(super) fn entries(range: &Value, origin: &Origin) -> Option<Vec<(Value, Value, Origin)>> {
    Some(match range {
        Value::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::Int(i as i64), v.clone(), child(origin, || PathSegment::Index(i))))
            .collect(),
        Value::Map(map) => map
            .iter()
            .map(|(k, v)| {
                let o = match k {
                    Key::String(s) => child(origin, || PathSegment::Key(s.to_string())),
                    _ => None,
                };
                (k.to_value(), v.clone(), o)
            })
            .collect(),
        _ => return None,
    })
}

/// The root of `object`'s paths: a node whose own segment is not part of the path.
pub(super) fn root() -> Origin {
    Some(Rc::new(PathNode { parent: None, segment: PathSegment::Key(String::new()) }))
}

pub fn path_of(origin: &Origin) -> Vec<PathSegment> {
    let mut out = Vec::new();
    let mut at = origin.clone();
    while let Some(node) = at {
        if node.parent.is_some() {
            out.push(node.segment.clone());
        }
        at = node.parent.clone();
    }
    out.reverse();
    out
}
