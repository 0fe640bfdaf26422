//! Walks an object against the built-in table and records every problem the API server's
//! decoding (strict field validation) and schema-level validation would report.

use super::table::{DefId, ListKind, Lookup, Names, Table, Ty, TypeId};
use super::{Problem, ProblemKind, Problems, names, quantity, suggest, value};
use crate::model::Resource;
use crate::model::schema::describe;
use crate::source::scalar::{Scalar, ScalarStyle};
use crate::source::{ByteSpan, NodeRef};

mod custom;

/// Nesting the walk follows at most (the parser's own limit is lower by default).
const MAX_DEPTH: usize = 512;

#[derive(Clone, Copy)]
enum Seg<'s> {
    Key(&'s str),
    Index(usize),
}

pub(crate) struct Walk<'r, 's> {
    table: &'static Table,
    minor: u16,
    resource: &'r Resource<'s>,
    out: &'r mut Problems,
    segs: Vec<Seg<'s>>,
    /// Only what the API server's decoding reports, below a `status` it resets before validation:
    /// a custom resource's (decoded into JSON and pruned: unknown fields) or a built-in kind's
    /// (decoded into its Go type: unknown fields, and values that do not decode into the type).
    /// No required field, enum, name, label or list-map key is checked there.
    decode_only: bool,
}

impl<'r, 's> Walk<'r, 's> {
    pub fn new(table: &'static Table, minor: u16, resource: &'r Resource<'s>, out: &'r mut Problems) -> Self {
        Walk { table, minor, resource, out, segs: Vec::new(), decode_only: false }
    }

    /// The path of the current location, from the document root.
    fn path(&self) -> String {
        let mut rel = String::new();
        for seg in &self.segs {
            match seg {
                Seg::Key(k) => {
                    if !rel.is_empty() {
                        rel.push('.');
                    }
                    rel.push_str(k);
                }
                Seg::Index(i) => rel.push_str(&format!("[{i}]")),
            }
        }
        self.resource.path(&rel)
    }

    fn child_path(&self, key: &str) -> String {
        crate::model::join_path(&self.path(), key)
    }

    /// How messages name the current location: its key, with the indexes that follow it.
    fn here(&self) -> String {
        let start = self.segs.iter().rposition(|s| matches!(s, Seg::Key(_))).unwrap_or(0);
        let mut out = String::new();
        for seg in self.segs.get(start..).unwrap_or(&[]) {
            match seg {
                Seg::Key(k) => out.push_str(k),
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() { self.resource.kind().to_owned() } else { out }
    }

    fn report(&mut self, kind: ProblemKind, span: ByteSpan, path: String, message: String, help: &str) {
        self.out.push(Problem {
            kind,
            resource: self.resource.id,
            span,
            path,
            message,
            help: help.to_owned(),
            fix: None,
        });
    }

    /// Attaches a fix to the problem reported last.
    fn with_fix(&mut self, description: String, edits: Vec<(ByteSpan, String)>) {
        if let Some(p) = self.out.last_mut() {
            p.fix = Some((description, edits));
        }
    }

    fn wrong_type(&mut self, node: NodeRef<'s>, expected: &str) {
        let help = if expected.contains(" or a string") {
            "write a number (unquoted) or a name"
        } else if expected.starts_with("a boolean") {
            "write true or false without quotes"
        } else if expected.starts_with("an integer") || expected.starts_with("a number") {
            "write the number without quotes"
        } else if expected.starts_with("a string") && node.is_scalar() {
            "quote the value so that it stays a string"
        } else if expected == "a list" {
            "write a YAML list (items starting with `- `)"
        } else {
            "use the type the Kubernetes API reference gives for this field"
        };
        let message =
            format!("`{}` must be {expected}, not {}: the API server rejects this object", self.here(), describe(node));
        let path = self.path();
        self.report(ProblemKind::WrongType, node.span(), path, message, help);
        if let Some((description, text)) = retype(node, expected) {
            self.with_fix(description, vec![(node.span(), text)]);
        }
    }

    fn invalid(&mut self, kind: ProblemKind, node: NodeRef<'s>, message: String, help: &str) {
        let path = self.path();
        self.report(kind, node.span(), path, message, help);
    }

    /// Checks a whole object against its kind's definition.
    pub fn root(&mut self, node: NodeRef<'s>, def: DefId) {
        self.object(node, def, None);
    }

    /// Checks a value against a type. `anchor` is the key that holds the value, where findings
    /// about what the value lacks point.
    pub fn value(&mut self, node: NodeRef<'s>, ty: TypeId, anchor: Option<NodeRef<'s>>) {
        if node.is_null() || self.segs.len() > MAX_DEPTH {
            return;
        }
        match self.table.ty(ty) {
            Ty::Any => {}
            Ty::String => {
                self.string(node);
            }
            Ty::Bool => {
                if node.bool().is_none() {
                    self.wrong_type(node, "a boolean (true or false, unquoted)");
                }
            }
            Ty::Int32 => self.integer(node, i64::from(i32::MIN), i64::from(i32::MAX)),
            Ty::Int64 => self.integer(node, i64::MIN, i64::MAX),
            Ty::Number => match node.scalar() {
                Some(Scalar::Int(_) | Scalar::UInt(_)) => {}
                Some(Scalar::Float(f)) if f.is_finite() => {}
                _ => self.wrong_type(node, "a number (unquoted)"),
            },
            Ty::Bytes => {
                if let Some(text) = self.string(node).filter(|t| !value::is_base64(t)) {
                    let message =
                        format!("`{}` must be base64-encoded: `{}` is not valid base64", self.here(), clip(text));
                    self.invalid(
                        ProblemKind::InvalidValue,
                        node,
                        message,
                        "encode the value with base64 (or put the plain text under `stringData`)",
                    );
                }
            }
            Ty::DateTime => {
                if let Some(text) = self.string(node).filter(|t| !value::is_rfc3339(t)) {
                    let message = format!(
                        "`{}` must be an RFC 3339 time such as 2024-01-31T10:00:00Z, not `{}`",
                        self.here(),
                        clip(text)
                    );
                    self.invalid(
                        ProblemKind::InvalidValue,
                        node,
                        message,
                        "write the time as YYYY-MM-DDThh:mm:ssZ, or remove it",
                    );
                }
            }
            Ty::Quantity => self.quantity(node),
            Ty::IntOrString => match node.scalar() {
                Some(Scalar::Str | Scalar::Timestamp) => {}
                Some(_) if node.int().is_some_and(|i| i32::try_from(i).is_ok()) => {}
                _ => self.wrong_type(node, "an integer (int32) or a string"),
            },
            Ty::Object(def) => self.object(node, def, anchor),
            Ty::Map(item) => {
                if !node.is_map() {
                    return self.wrong_type(node, "a mapping");
                }
                for (k, v) in node.entries() {
                    self.segs.push(Seg::Key(k.key_str().unwrap_or("")));
                    self.value(v, item, Some(k));
                    self.segs.pop();
                }
            }
            Ty::List { item, kind, keys } => self.list(node, item, kind, keys),
            // Decoding takes any string for an enum (a Go string type); validation checks the set.
            Ty::Enum(_) if self.decode_only => {
                self.string(node);
            }
            Ty::Enum(values) => self.enumeration(node, values),
            Ty::SchemaOrArray(def) => {
                if node.is_seq() {
                    self.items(node, |w, item| w.object(item, def, None));
                } else {
                    self.object(node, def, anchor);
                }
            }
            Ty::SchemaOrBool(def) => {
                if node.bool().is_none() {
                    if node.is_map() {
                        self.object(node, def, anchor);
                    } else {
                        self.wrong_type(node, "a schema (mapping) or a boolean");
                    }
                }
            }
            Ty::SchemaOrStringArray(def) => {
                if node.is_seq() {
                    self.items(node, |w, item| {
                        w.string(item);
                    });
                } else {
                    self.object(node, def, anchor);
                }
            }
            Ty::Labels | Ty::Annotations if self.decode_only => self.string_map(node),
            Ty::Labels => self.labels(node),
            Ty::Annotations => self.annotations(node),
            Ty::LabelKey if self.decode_only => {
                self.string(node);
            }
            Ty::LabelKey => {
                if let Some(key) = self.string(node)
                    && let Some(why) = names::label_key(key)
                {
                    let message = format!("`{key}` is not a valid label key: {why}");
                    self.invalid(
                        ProblemKind::InvalidLabel,
                        node,
                        message,
                        "use a label key such as `app` or `app.kubernetes.io/name`",
                    );
                }
            }
            Ty::DecodeOnly(inner) => {
                let outer = self.decode_only;
                self.decode_only = true;
                self.value(node, inner, anchor);
                self.decode_only = outer;
            }
        }
    }

    /// A `map[string]string` as decoding reads it: a mapping of strings (null values decode).
    fn string_map(&mut self, node: NodeRef<'s>) {
        if !node.is_map() {
            return self.wrong_type(node, "a mapping");
        }
        for (k, v) in node.entries() {
            if v.is_null() {
                continue;
            }
            self.segs.push(Seg::Key(k.key_str().unwrap_or("")));
            self.string(v);
            self.segs.pop();
        }
    }

    /// A string value (strings and unquoted dates); anything else is a type error.
    fn string(&mut self, node: NodeRef<'s>) -> Option<&'s str> {
        match node.scalar() {
            Some(Scalar::Str | Scalar::Timestamp) => node.text(),
            _ => {
                self.wrong_type(node, "a string");
                None
            }
        }
    }

    fn integer(&mut self, node: NodeRef<'s>, min: i64, max: i64) {
        match node.int() {
            Some(i) if (min..=max).contains(&i) => {}
            Some(_) => {
                let message = format!("`{}` is out of range: it must be between {min} and {max}", self.here());
                self.invalid(ProblemKind::WrongType, node, message, "use a smaller number");
            }
            None => {
                let expected =
                    if min == i64::from(i32::MIN) { "an integer (int32, unquoted)" } else { "an integer (unquoted)" };
                self.wrong_type(node, expected);
            }
        }
    }

    fn quantity(&mut self, node: NodeRef<'s>) {
        match node.scalar() {
            Some(Scalar::Int(_) | Scalar::UInt(_)) => {}
            Some(Scalar::Float(f)) if f.is_finite() => {}
            Some(Scalar::Str | Scalar::Timestamp) => {
                let text = node.text().unwrap_or("");
                if !quantity::is_valid(text) {
                    let message = format!("`{}` is not a valid quantity: `{}`", self.here(), clip(text));
                    self.invalid(
                        ProblemKind::InvalidQuantity,
                        node,
                        message,
                        "write a number with an optional suffix, such as 500m, 0.5, 2Gi or 1e3",
                    );
                    let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    if joined != text && quantity::is_valid(&joined) {
                        self.with_fix(format!("write `{joined}`"), vec![(node.span(), joined)]);
                    }
                }
            }
            _ => self.wrong_type(node, "a quantity (a number or a string such as 500m or 2Gi)"),
        }
    }

    fn items(&mut self, node: NodeRef<'s>, mut each: impl FnMut(&mut Self, NodeRef<'s>)) {
        for (i, item) in node.items().enumerate() {
            self.segs.push(Seg::Index(i));
            if !item.is_null() {
                each(self, item);
            }
            self.segs.pop();
        }
    }

    fn object(&mut self, node: NodeRef<'s>, def: DefId, anchor: Option<NodeRef<'s>>) {
        if !node.is_map() {
            return self.wrong_type(node, "a mapping");
        }
        for (k, v) in node.entries() {
            let name = k.key_str().unwrap_or("");
            match self.table.field(def, name, self.minor) {
                Lookup::Found(ty) => {
                    self.segs.push(Seg::Key(name));
                    self.value(v, ty, Some(k));
                    self.segs.pop();
                }
                Lookup::OtherVersions(mask) => self.unknown_field(node, k, name, def, Some(mask)),
                Lookup::Unknown => self.unknown_field(node, k, name, def, None),
            }
        }
        if self.decode_only {
            // Required fields are validation's: a missing one decodes as the zero value.
            return;
        }
        for required in self.table.required(def, self.minor) {
            if node.field(required).is_none() {
                let at = anchor.or_else(|| node.entries().next().map(|(k, _)| k)).unwrap_or(node);
                let message = match self.segs.last() {
                    None => format!("{} has no `{required}`, a required field", self.resource.kind()),
                    Some(_) => format!("`{}` has no `{required}`, a required field", self.here()),
                };
                let path = self.child_path(required);
                self.report(
                    ProblemKind::MissingRequired,
                    at.span(),
                    path,
                    message,
                    "add the field: the API server rejects the object without it",
                );
            }
        }
    }

    fn unknown_field(&mut self, object: NodeRef<'s>, key: NodeRef<'s>, name: &str, def: DefId, mask: Option<u16>) {
        let path = self.child_path(name);
        let target = self.minor;
        if let Some(mask) = mask {
            let later = self.table.minors_of(mask).find(|&m| m > target);
            let (message, help) = match later {
                Some(m) => (
                    format!(
                        "unknown field `{name}`: it was added in Kubernetes v1.{m}, and the target version is v1.{target}"
                    ),
                    format!(
                        "remove it, or lint for the version the cluster runs (--kubernetes-version v1.{m} or later)"
                    ),
                ),
                None => {
                    let last = self.table.minors_of(mask).last().unwrap_or(target);
                    (
                        format!(
                            "unknown field `{name}`: Kubernetes v1.{} removed it (the target version is v1.{target})",
                            last + 1
                        ),
                        "remove the field".to_owned(),
                    )
                }
            };
            self.report(ProblemKind::UnknownField, key.span(), path, message, &help);
            return;
        }
        let candidates: Vec<&'static str> = self.table.fields(def, target).map(|(n, _)| n).collect();
        self.unknown_with(
            object,
            key,
            name,
            &candidates,
            "the API server rejects it (strict field validation) or drops it",
        );
    }

    /// Reports an unknown key of `object`, with the closest of `candidates` as a suggestion
    /// (and a rename fix when exactly one is close).
    fn unknown_with(&mut self, object: NodeRef<'s>, key: NodeRef<'s>, name: &str, candidates: &[&str], why: &str) {
        let path = self.child_path(name);
        let close: Vec<String> =
            suggest::closest(name, candidates.iter().copied()).into_iter().map(str::to_owned).collect();
        let message = match close.as_slice() {
            [] => format!("unknown field `{name}`: {why}"),
            [one] => format!("unknown field `{name}`; did you mean `{one}`?"),
            many => format!(
                "unknown field `{name}`; did you mean {}?",
                many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" or ")
            ),
        };
        let help = match close.as_slice() {
            [one] => format!("rename the key to `{one}`; with the misspelled key the setting has no effect"),
            _ => "remove the field, or check its spelling in the Kubernetes API reference".to_owned(),
        };
        let fix = match close.as_slice() {
            [one] if object.get(one).is_none() => Some((one.clone(), rename(key, one))),
            _ => None,
        };
        self.report(ProblemKind::UnknownField, key.span(), path, message, &help);
        if let Some((one, edit)) = fix {
            self.with_fix(format!("rename `{name}` to `{one}`"), vec![(key.span(), edit)]);
        }
    }

    fn list(&mut self, node: NodeRef<'s>, item: TypeId, kind: ListKind, keys: Option<Names>) {
        if !node.is_seq() {
            return self.wrong_type(node, "a list");
        }
        self.items(node, |w, v| w.value(v, item, None));
        if self.decode_only {
            // Repeated keys decode; validation (or server-side apply) rejects them.
            return;
        }
        match (kind, keys) {
            (ListKind::Map, Some(keys)) => self.duplicate_keys(node, keys),
            (ListKind::Set, _) => self.duplicate_values(node),
            _ => {}
        }
    }

    /// Items of a list-map must be unique by their keys (`x-kubernetes-list-map-keys`).
    fn duplicate_keys(&mut self, node: NodeRef<'s>, keys: Names) {
        let keys: Vec<&'static str> = self.table.names(keys).collect();
        self.duplicate_by(node, &keys);
    }

    /// Items must be unique by the values of `keys`.
    fn duplicate_by(&mut self, node: NodeRef<'s>, keys: &[&str]) {
        let mut seen: std::collections::BTreeMap<Vec<&'s str>, usize> = std::collections::BTreeMap::new();
        for (i, item) in node.items().enumerate() {
            let mut tuple = Vec::with_capacity(keys.len());
            for key in keys {
                match item.field(key).and_then(|v| v.str()) {
                    Some(v) => tuple.push(v),
                    // Defaulting fills a missing protocol in before the comparison.
                    None if *key == "protocol" => tuple.push("TCP"),
                    None => break,
                }
            }
            if tuple.len() != keys.len() {
                continue;
            }
            if let Some(&first) = seen.get(&tuple) {
                let shown: Vec<String> = keys.iter().zip(&tuple).map(|(k, v)| format!("{k}: {v}")).collect();
                let at = keys.first().and_then(|k| item.get(k)).unwrap_or(item);
                let list = self.here();
                let message = format!(
                    "`{list}[{i}]` repeats `{}` of `{list}[{first}]`; items are keyed by {}",
                    shown.join(", "),
                    keys.join(" and ")
                );
                self.segs.push(Seg::Index(i));
                let path = self.path();
                self.segs.pop();
                self.report(
                    ProblemKind::DuplicateListKey,
                    at.span(),
                    path,
                    message,
                    "give each item a unique key: the API server or server-side apply rejects duplicates",
                );
            } else {
                seen.insert(tuple, i);
            }
        }
    }

    /// Items of a set must be unique.
    fn duplicate_values(&mut self, node: NodeRef<'s>) {
        let mut seen: std::collections::BTreeMap<&'s str, usize> = std::collections::BTreeMap::new();
        for (i, item) in node.items().enumerate() {
            let Some(v) = item.str() else { continue };
            if let Some(&first) = seen.get(v) {
                let list = self.here();
                let message = format!("`{list}[{i}]` repeats `{v}` of `{list}[{first}]`; the list is a set");
                self.segs.push(Seg::Index(i));
                let path = self.path();
                self.segs.pop();
                self.report(ProblemKind::DuplicateListKey, item.span(), path, message, "remove the repeated value");
            } else {
                seen.insert(v, i);
            }
        }
    }

    fn enumeration(&mut self, node: NodeRef<'s>, values: Names) {
        let Some(text) = self.string(node) else { return };
        if text.is_empty() || self.table.names(values).any(|v| v == text) {
            return;
        }
        let allowed: Vec<&'static str> = self.table.names(values).collect();
        let same_but_case = allowed.iter().find(|v| v.eq_ignore_ascii_case(text));
        let close = same_but_case.map(|v| vec![*v]).unwrap_or_else(|| suggest::closest(text, allowed.iter().copied()));
        let list = allowed.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        let message = match close.as_slice() {
            [one] => format!("`{}` must be one of {list}, not `{text}`; did you mean `{one}`?", self.here()),
            _ => format!("`{}` must be one of {list}, not `{}`", self.here(), clip(text)),
        };
        let path = self.path();
        self.report(
            ProblemKind::InvalidEnum,
            node.span(),
            path,
            message,
            "use one of the values the API server supports (they are case-sensitive)",
        );
        if let [one] = close.as_slice() {
            self.with_fix(format!("replace `{text}` with `{one}`"), vec![(node.span(), rename(node, one))]);
        }
    }

    fn labels(&mut self, node: NodeRef<'s>) {
        if !node.is_map() {
            return self.wrong_type(node, "a mapping of labels");
        }
        for (k, v) in node.entries() {
            let key = k.key_str().unwrap_or("");
            if let Some(why) = names::label_key(key) {
                self.segs.push(Seg::Key(key));
                let message = format!("`{key}` is not a valid label key: {why}");
                self.invalid(
                    ProblemKind::InvalidLabel,
                    k,
                    message,
                    "use a label key such as `app` or `app.kubernetes.io/name`",
                );
                if let Some(new) = respell_key(key).filter(|n| names::label_key(n).is_none()) {
                    self.with_fix(format!("rename the label `{key}` to `{new}`"), vec![(k.span(), requote(k, &new))]);
                }
                self.segs.pop();
            }
            if v.is_null() {
                continue;
            }
            self.segs.push(Seg::Key(key));
            if let Some(text) = self.string(v)
                && let Some(why) = names::label_value(text)
            {
                let message = format!("label `{key}` has an invalid value `{}`: {why}", clip(text));
                self.invalid(ProblemKind::InvalidLabel, v, message, "label values are at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
                let new = slug(text, 63);
                if !new.is_empty() && names::label_value(&new).is_none() {
                    self.with_fix(format!("write the label value as `{new}`"), vec![(v.span(), requote(v, &new))]);
                }
            }
            self.segs.pop();
        }
    }

    fn annotations(&mut self, node: NodeRef<'s>) {
        if !node.is_map() {
            return self.wrong_type(node, "a mapping of annotations");
        }
        let mut size = 0usize;
        for (k, v) in node.entries() {
            let key = k.key_str().unwrap_or("");
            size += key.len();
            self.segs.push(Seg::Key(key));
            if let Some(why) = names::label_key(&key.to_ascii_lowercase()) {
                let message = format!("`{key}` is not a valid annotation key: {why}");
                self.invalid(ProblemKind::InvalidAnnotation, k, message, "use a key such as `example.com/owner`");
                if let Some(new) = respell_key(key).filter(|n| names::label_key(&n.to_ascii_lowercase()).is_none()) {
                    self.with_fix(
                        format!("rename the annotation `{key}` to `{new}`"),
                        vec![(k.span(), requote(k, &new))],
                    );
                }
            }
            if !v.is_null() {
                size += self.string(v).map_or(0, str::len);
            }
            self.segs.pop();
        }
        const LIMIT: usize = 256 * 1024;
        if size > LIMIT {
            let message = format!("annotations take {size} bytes, above the API server's limit of {LIMIT} bytes");
            self.invalid(ProblemKind::InvalidAnnotation, node, message, "move large data into a ConfigMap");
        }
    }
}

/// The replacement text for a key or value, written in the node's quoting style.
fn rename(node: NodeRef<'_>, to: &str) -> String {
    match node.style() {
        Some(ScalarStyle::DoubleQuoted) => format!("\"{to}\""),
        Some(ScalarStyle::SingleQuoted) => format!("'{to}'"),
        _ => to.to_owned(),
    }
}

/// A value shortened for a message.
fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The value written in the type the field wants, when that is a matter of quoting: a plain
/// number or boolean quoted for a string field, a quoted `true`/`false` or integer unquoted
/// for a boolean or integer field (the object was rejected; the value is the one written).
fn retype(node: NodeRef<'_>, expected: &str) -> Option<(String, String)> {
    use crate::source::scalar::ScalarStyle;
    let style = node.style()?;
    let text = node.text()?;
    if expected.starts_with("a string") && style == ScalarStyle::Plain && node.string().is_none() && !node.is_null() {
        let quoted = format!("{text:?}");
        return Some((format!("quote {text}"), quoted));
    }
    let value = node.str().filter(|_| matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted))?;
    let unquoted = if expected.starts_with("a boolean") {
        matches!(value, "true" | "false").then(|| value.to_owned())
    } else if expected.starts_with("an integer") && !expected.contains(" or a string") {
        value.parse::<i64>().ok().map(|n| n.to_string())
    } else {
        None
    }?;
    Some((format!("write {unquoted} without quotes"), unquoted))
}

/// `text` with every character a label value may not hold turned into `-`, runs of them
/// collapsed, the ends trimmed to letters or digits and the length cut to `max`.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let trimmed: String = out.trim_matches(|c: char| !c.is_ascii_alphanumeric()).chars().take(max).collect();
    trimmed.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_owned()
}

/// A label or annotation key respelled: the prefix (a DNS subdomain) in lower case, one `/`,
/// and the name part slugged. `None` when nothing would change.
fn respell_key(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p.to_ascii_lowercase()), n.replace('/', "-")),
        None => (None, key.to_owned()),
    };
    let name = slug(&name, 63);
    let new = match prefix {
        Some(p) => format!("{p}/{name}"),
        None => name,
    };
    (new != key && !new.is_empty()).then_some(new)
}

/// `text` written in place of a scalar, quoted the way the scalar was.
fn requote(node: NodeRef<'_>, text: &str) -> String {
    use crate::source::scalar::ScalarStyle;
    match node.style() {
        Some(ScalarStyle::DoubleQuoted) => format!("{text:?}"),
        Some(ScalarStyle::SingleQuoted) => format!("'{text}'"),
        _ => text.to_owned(),
    }
}
