//! The Kubernetes library types that are not plain CEL values.

use std::rc::Rc;

use crate::eval::{EvalError, Evaluator, Result};
use crate::value::Value;

#[derive(Debug)]
pub enum Ext {
    Format(Format),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format(&'static str);

impl Format {
    pub fn named(name: &str) -> Option<Format> {
        const NAMES: &[&str] = &["dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix", "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date", "datetime"];
        NAMES.iter().find(|n| **n == name).map(|n| Format(n))
    }
}

impl Ext {
    pub fn type_name(&self) -> &'static str {
        match self {
            Ext::Format(_) => "kubernetes.NamedFormat",
        }
    }

    pub fn equals(&self, other: &Ext) -> bool {
        match (self, other) {
            (Ext::Format(a), Ext::Format(b)) => a == b,
        }
    }
}

impl std::fmt::Display for Ext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ext::Format(n) => write!(f, "{}", n.0),
        }
    }
}

pub fn select(ext: &Rc<Ext>, field: &str) -> Result<Value> {
    Err(EvalError::runtime(format!("type '{}' does not support field selection ({field})", ext.type_name())))
}

pub fn compare_op(name: &str, a: &Rc<Ext>, b: &Rc<Ext>) -> Result<Value> {
    Err(EvalError::no_overload(name, &[Value::Ext(a.clone()), Value::Ext(b.clone())]))
}

pub fn call(_ev: &mut Evaluator<'_>, _name: &str, _member: bool, _args: &[Value]) -> Result<Option<Value>> {
    Ok(None)
}
