//! A JSON document that every template of a lint reads (the inventory; an object's review,
//! read by every Constraint that matches it), with a slot where an engine keeps its own form
//! of it: the Rego engine converts it to a regorus value once per lint instead of once per
//! template or Constraint, which was most of a policy lint's time.

use core::any::Any;
use core::cell::OnceCell;

use serde_json::Value;

pub struct Shared {
    json: Value,
    converted: OnceCell<Box<dyn Any>>,
}

impl Shared {
    pub fn new(json: Value) -> Self {
        Shared { json, converted: OnceCell::new() }
    }

    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The engine's form of the document: `convert` runs on the first call only. (One engine
    /// keeps a form; another engine's type is converted afresh each time.)
    pub fn converted<T: Clone + 'static>(&self, convert: impl Fn(&Value) -> T) -> T {
        let kept = self.converted.get_or_init(|| Box::new(convert(&self.json)));
        match kept.downcast_ref::<T>() {
            Some(t) => t.clone(),
            None => convert(&self.json),
        }
    }
}

impl core::fmt::Debug for Shared {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.json.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::Cell;

    #[test]
    fn converts_once_for_one_type_and_afresh_for_another() {
        let calls = Cell::new(0);
        let shared = Shared::new(serde_json::json!({"a": 1}));
        let count = |v: &Value| {
            calls.set(calls.get() + 1);
            v.to_string()
        };
        assert_eq!(shared.converted(count), r#"{"a":1}"#);
        assert_eq!(shared.converted(count), r#"{"a":1}"#);
        assert_eq!(calls.get(), 1);
        assert_eq!(shared.converted(|v| v.as_object().map_or(0, |o| o.len())), 1);
        assert_eq!(shared.converted(|v| v.as_object().map_or(0, |o| o.len())), 1);
    }
}
