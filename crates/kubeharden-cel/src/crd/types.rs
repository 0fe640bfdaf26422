//! The CEL type of a schema node (k8s.io/apiserver/pkg/cel/common `SchemaDeclType`), which
//! decides what `self` has: an object's fields are its properties under their escaped names
//! (and, at the root of a resource or an embedded resource, `apiVersion`, `kind`,
//! `metadata.name` and `metadata.generateName`); a map is a schema with
//! `additionalProperties`; `format: byte` is `bytes`, `duration` a duration, `date` and
//! `date-time` timestamps; int-or-string is `dyn`. A node without a type (only
//! x-kubernetes-preserve-unknown-fields) has none: rules cannot sit on it, and it is not a
//! field of its parent.

use super::escape::escape;
use super::schema::Node;

#[derive(Clone, Debug)]
pub enum Ty<'a> {
    Dyn,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    Timestamp,
    Duration,
    List(Box<Ty<'a>>),
    Map(Box<Ty<'a>>),
    /// An object of a schema node; `true` at the root of a resource.
    Object(&'a Node, bool),
    /// `metadata` at the root of a resource: `name` and `generateName`.
    Meta,
}

impl<'a> Ty<'a> {
    /// The type of `node`; `None` when the schema does not expose it.
    pub fn of(node: &'a Node, resource: bool) -> Option<Ty<'a>> {
        if node.int_or_string {
            return Some(Ty::Dyn);
        }
        Some(match node.ty.as_str() {
            "array" => {
                let items = node.items.as_deref()?;
                Ty::List(Box::new(Ty::of(items, items.embedded)?))
            }
            "object" => match node.additional.as_deref() {
                Some(values) => Ty::Map(Box::new(Ty::of(values, values.embedded)?)),
                None => Ty::Object(node, resource),
            },
            "string" => match node.format.as_str() {
                "byte" => Ty::Bytes,
                "duration" => Ty::Duration,
                "date" | "date-time" => Ty::Timestamp,
                _ => Ty::String,
            },
            "boolean" => Ty::Bool,
            "number" => Ty::Double,
            "integer" => Ty::Int,
            _ => return None,
        })
    }

    /// The field `name` (a CEL name) of an object type: `Err(())` when it has no such field,
    /// `Ok(Dyn)` when the type is not known.
    pub fn field(&self, name: &str) -> Result<Ty<'a>, ()> {
        match self {
            Ty::Object(node, resource) => {
                match name {
                    "apiVersion" | "kind" if *resource => return Ok(Ty::String),
                    "metadata" if *resource => return Ok(Ty::Meta),
                    _ => {}
                }
                for (prop, schema) in &node.properties {
                    if escape(prop).as_deref() == Some(name) {
                        return Ty::of(schema, schema.embedded).ok_or(());
                    }
                }
                Err(())
            }
            Ty::Meta => match name {
                "name" | "generateName" => Ok(Ty::String),
                _ => Err(()),
            },
            Ty::Map(values) => Ok((**values).clone()),
            _ => Ok(Ty::Dyn),
        }
    }

    /// The type of an element when iterating (`all`, `exists`, `map`...): a list's items, a
    /// map's keys.
    pub fn element(&self) -> Ty<'a> {
        match self {
            Ty::List(items) => (**items).clone(),
            Ty::Map(_) | Ty::Object(..) | Ty::Meta => Ty::String,
            _ => Ty::Dyn,
        }
    }

    fn same_kind(&self, other: &Ty<'_>) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    /// `a` when both sides agree on a simple type, else `dyn`.
    pub fn join(a: Ty<'a>, b: &Ty<'_>) -> Ty<'a> {
        match (&a, b) {
            (Ty::List(_) | Ty::Map(_) | Ty::Object(..) | Ty::Meta, _) => Ty::Dyn,
            _ if a.same_kind(b) => a,
            _ => Ty::Dyn,
        }
    }
}
