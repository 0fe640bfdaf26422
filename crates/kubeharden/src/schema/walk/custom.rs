//! Walks a custom resource against the schema of its CRD version, as the API server does:
//! pruning with strict field validation (unknown fields), then the OpenAPI validation of every
//! value (type, enum, format, pattern, bounds, lengths, sizes, list types, required fields).
//! Null values are skipped: the API server prunes them, or the schema allows them.

use super::{Seg, Walk, clip};
use crate::schema::ProblemKind;
use crate::schema::crd::compile::{Additional, Bound, ListType, Literal, Schema, Type, number};
use crate::schema::crd::format;
use crate::schema::table::DefId;
use crate::source::NodeRef;
use crate::source::scalar::Scalar;

/// The fields every object (and every embedded resource) has besides its schema's.
const OBJECT_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

impl<'s> Walk<'_, 's> {
    /// Checks a custom resource: `meta` is the built-in ObjectMeta, which checks `metadata`;
    /// `skip_status` when the status subresource makes the API server reset it.
    pub fn custom_root(&mut self, node: NodeRef<'s>, schema: &Schema, meta: Option<DefId>, skip_status: bool) {
        self.custom_object(node, schema, None, true, meta, skip_status);
    }

    fn custom(&mut self, node: NodeRef<'s>, s: &Schema, anchor: Option<NodeRef<'s>>, meta: Option<DefId>) {
        if node.is_null() || self.segs.len() > super::MAX_DEPTH {
            return;
        }
        if self.decode_only {
            if node.is_map() && s.ty.is_none_or(|t| t == Type::Object) {
                self.custom_object(node, s, anchor, s.embedded, None, false);
            } else if node.is_seq()
                && let Some(item) = s.items.as_deref()
            {
                for (i, v) in node.items().enumerate() {
                    self.segs.push(Seg::Index(i));
                    self.custom(v, item, None, None);
                    self.segs.pop();
                }
            }
            return;
        }
        if s.int_or_string {
            if !(is_string(node) || integral(node).is_some()) {
                self.wrong_type(node, "an integer or a string");
                return;
            }
        } else if let Some(ty) = s.ty
            && !self.custom_type(node, ty)
        {
            return;
        }
        self.enumerated(node, s);
        if let Some(text) = node.string() {
            self.string_checks(node, s, text);
        }
        if let Some(n) = number(node) {
            self.bounds(node, s, n);
        }
        if node.is_seq() {
            self.custom_list(node, s);
        } else if node.is_map() {
            self.custom_object(node, s, anchor, s.embedded, meta, false);
        }
    }

    /// Whether the value has the schema's type (reported when not).
    fn custom_type(&mut self, node: NodeRef<'s>, ty: Type) -> bool {
        let (ok, expected) = match ty {
            Type::Object => (node.is_map(), "a mapping"),
            Type::Array => (node.is_seq(), "a list"),
            Type::String => (is_string(node), "a string"),
            Type::Integer => (integral(node).is_some(), "an integer (unquoted)"),
            Type::Number => (number(node).is_some(), "a number (unquoted)"),
            Type::Boolean => (node.bool().is_some(), "a boolean (true or false, unquoted)"),
        };
        if !ok {
            self.wrong_type(node, expected);
        }
        ok
    }

    fn custom_object(
        &mut self,
        node: NodeRef<'s>,
        s: &Schema,
        anchor: Option<NodeRef<'s>>,
        resource: bool,
        meta: Option<DefId>,
        skip_status: bool,
    ) {
        for (k, v) in node.entries() {
            let name = k.key_str().unwrap_or("");
            if resource && OBJECT_FIELDS.contains(&name) {
                if name == "metadata"
                    && let Some(def) = meta
                {
                    self.segs.push(Seg::Key(name));
                    self.object(v, def, Some(k));
                    self.segs.pop();
                } else if name != "metadata" && !is_string(v) && !v.is_null() {
                    self.segs.push(Seg::Key(name));
                    self.wrong_type(v, "a string");
                    self.segs.pop();
                }
                continue;
            }
            if skip_status && name == "status" {
                // The status subresource: the API server prunes `status` on decoding (strict
                // field validation reports what it prunes), then resets it before validation.
                if let Some(child) = s.properties.get(name) {
                    self.decode_only = true;
                    self.segs.push(Seg::Key(name));
                    self.custom(v, child, Some(k), meta);
                    self.segs.pop();
                    self.decode_only = false;
                }
                continue;
            }
            let child = match (s.properties.get(name), &s.additional) {
                (Some(child), _) => Some(child),
                (None, Some(Additional::Schema(child))) => Some(&**child),
                (None, Some(Additional::Allowed(true))) => None,
                (None, _) if s.preserve_unknown => None,
                (None, _) => {
                    self.custom_unknown(node, k, name, s, resource);
                    continue;
                }
            };
            if let Some(child) = child {
                self.segs.push(Seg::Key(name));
                self.custom(v, child, Some(k), meta);
                self.segs.pop();
            }
        }
        if self.decode_only {
            return;
        }
        let here_anchor = || anchor.or_else(|| node.entries().next().map(|(k, _)| k)).unwrap_or(node);
        let mut required: Vec<&str> = s.required.iter().map(String::as_str).collect();
        if resource && !self.segs.is_empty() {
            // An embedded resource needs its kind and apiVersion.
            required.extend(["apiVersion", "kind"]);
        }
        for field in required {
            if node.field(field).is_none() {
                let message = match self.segs.last() {
                    None => format!("{} has no `{field}`, a required field", self.resource.kind()),
                    Some(_) => format!("`{}` has no `{field}`, a required field", self.here()),
                };
                let path = self.child_path(field);
                let at = here_anchor();
                self.report(
                    ProblemKind::MissingRequired,
                    at.span(),
                    path,
                    message,
                    "add the field: the CustomResourceDefinition's schema requires it",
                );
            }
        }
        let size = node.len() as u64;
        if let Some(min) = s.min_properties.filter(|&m| size < m) {
            let message = format!("`{}` has {size} fields, fewer than the {min} the schema requires", self.here());
            self.invalid(ProblemKind::InvalidValue, node, message, "add the missing fields");
        }
        if let Some(max) = s.max_properties.filter(|&m| size > m) {
            let message = format!("`{}` has {size} fields, more than the {max} the schema allows", self.here());
            self.invalid(ProblemKind::InvalidValue, node, message, "remove fields");
        }
    }

    fn custom_unknown(&mut self, object: NodeRef<'s>, key: NodeRef<'s>, name: &str, s: &Schema, resource: bool) {
        let mut candidates: Vec<&str> = s.properties.keys().map(String::as_str).collect();
        if resource {
            candidates.extend(OBJECT_FIELDS);
        }
        self.unknown_with(object, key, name, &candidates, "the CustomResourceDefinition's schema does not have it");
    }

    fn custom_list(&mut self, node: NodeRef<'s>, s: &Schema) {
        if let Some(item) = s.items.as_deref() {
            for (i, v) in node.items().enumerate() {
                self.segs.push(Seg::Index(i));
                self.custom(v, item, None, None);
                self.segs.pop();
            }
        }
        let size = node.len() as u64;
        if let Some(min) = s.min_items.filter(|&m| size < m) {
            let message = format!("`{}` has {size} items, fewer than the {min} the schema requires", self.here());
            self.invalid(ProblemKind::InvalidValue, node, message, "add items");
        }
        if let Some(max) = s.max_items.filter(|&m| size > m) {
            let message = format!("`{}` has {size} items, more than the {max} the schema allows", self.here());
            self.invalid(ProblemKind::InvalidValue, node, message, "remove items");
        }
        match &s.list {
            Some(ListType::Set) => self.duplicate_values(node),
            Some(ListType::Map(keys)) => {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                self.duplicate_by(node, &keys);
            }
            _ => {}
        }
    }

    fn enumerated(&mut self, node: NodeRef<'s>, s: &Schema) {
        let Some(values) = &s.enumeration else { return };
        if values.is_empty() || values.iter().any(|v| matches(v, node)) || !node.is_scalar() {
            return;
        }
        let shown: Vec<String> = values
            .iter()
            .filter_map(|v| match v {
                Literal::String(t) => Some(format!("`{t}`")),
                Literal::Number(n) => Some(format!("`{n}`")),
                Literal::Bool(b) => Some(format!("`{b}`")),
                Literal::Null => Some("`null`".into()),
                Literal::Other => None,
            })
            .collect();
        let text = node.text().unwrap_or("");
        let strings = values.iter().filter_map(|v| if let Literal::String(t) = v { Some(t.as_str()) } else { None });
        let close = crate::schema::suggest::closest(text, strings);
        let message = match close.as_slice() {
            [one] => format!(
                "`{}` must be one of {}, not `{}`; did you mean `{one}`?",
                self.here(),
                shown.join(", "),
                clip(text)
            ),
            _ => format!("`{}` must be one of {}, not `{}`", self.here(), shown.join(", "), clip(text)),
        };
        self.invalid(
            ProblemKind::InvalidEnum,
            node,
            message,
            "use one of the values the CustomResourceDefinition allows (they are case-sensitive)",
        );
    }

    fn string_checks(&mut self, node: NodeRef<'s>, s: &Schema, text: &str) {
        let chars = text.chars().count() as u64;
        if let Some(max) = s.max_length.filter(|&m| chars > m) {
            let message =
                format!("`{}` is {chars} characters long, more than the {max} the schema allows", self.here());
            self.invalid(ProblemKind::InvalidValue, node, message, "shorten the value");
        }
        if let Some(min) = s.min_length.filter(|&m| chars < m) {
            let message =
                format!("`{}` is {chars} characters long, fewer than the {min} the schema requires", self.here());
            self.invalid(ProblemKind::InvalidValue, node, message, "lengthen the value");
        }
        if let Some(p) = &s.pattern
            && !p.regex.is_match(text)
        {
            let message = format!(
                "`{}` is `{}`, which does not match the pattern `{}`",
                self.here(),
                clip(text),
                clip(&p.source)
            );
            self.invalid(
                ProblemKind::InvalidValue,
                node,
                message,
                "write a value the CustomResourceDefinition's pattern accepts",
            );
        }
        if let Some(f) = &s.format
            && let Some(expected) = format::check(f, text)
        {
            let message = format!("`{}` must be {expected} (format {f}), not `{}`", self.here(), clip(text));
            self.invalid(ProblemKind::InvalidValue, node, message, "write the value in the format the schema gives");
        }
    }

    fn bounds(&mut self, node: NodeRef<'s>, s: &Schema, n: f64) {
        let below = |b: Bound| if b.exclusive { n <= b.value } else { n < b.value };
        let above = |b: Bound| if b.exclusive { n >= b.value } else { n > b.value };
        if let Some(b) = s.minimum.filter(|&b| below(b)) {
            let relation = if b.exclusive { "greater than" } else { "at least" };
            let message = format!("`{}` is {n}; it must be {relation} {}", self.here(), b.value);
            self.invalid(ProblemKind::InvalidValue, node, message, "use a value within the schema's bounds");
        }
        if let Some(b) = s.maximum.filter(|&b| above(b)) {
            let relation = if b.exclusive { "less than" } else { "at most" };
            let message = format!("`{}` is {n}; it must be {relation} {}", self.here(), b.value);
            self.invalid(ProblemKind::InvalidValue, node, message, "use a value within the schema's bounds");
        }
    }
}

/// A string in JSON (quoted or plain strings, and unquoted dates).
fn is_string(node: NodeRef<'_>) -> bool {
    matches!(node.scalar(), Some(Scalar::Str | Scalar::Timestamp))
}

/// An integer in JSON: YAML integers, and floats with no fraction (`1.0` becomes `1`).
fn integral(node: NodeRef<'_>) -> Option<f64> {
    match node.scalar()? {
        Scalar::Int(_) | Scalar::UInt(_) => number(node),
        Scalar::Float(f) if f.is_finite() && f.fract() == 0.0 => Some(f),
        _ => None,
    }
}

fn matches(literal: &Literal, node: NodeRef<'_>) -> bool {
    match literal {
        Literal::Null => node.is_null(),
        Literal::Bool(b) => node.bool() == Some(*b) && !is_string(node),
        Literal::Number(n) => number(node) == Some(*n),
        Literal::String(t) => is_string(node) && node.text() == Some(t.as_str()),
        Literal::Other => false,
    }
}
