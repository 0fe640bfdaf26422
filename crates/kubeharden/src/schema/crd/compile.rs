//! Reads the `openAPIV3Schema` of a CustomResourceDefinition version into a [`Schema`] the walk
//! checks custom resources against, and lists what makes the schema one the API server refuses
//! (a pattern that is not a regular expression, an unknown type, a list-map without keys).
//!
//! Only what validation of objects needs is kept: the structural part (types, properties,
//! additionalProperties, items, the `x-kubernetes-*` extensions) and the value validations of
//! each node. `allOf`, `anyOf`, `oneOf` and `not` are not evaluated (in a structural schema they
//! cannot add fields, so leaving them out never reports a field as unknown).

use std::collections::BTreeMap;

use crate::source::scalar::Scalar;
use crate::source::{ByteSpan, NodeRef};

/// Nesting of schemas read at most; deeper schemas are refused with a problem.
const MAX_DEPTH: usize = 128;

/// A schema node's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl Type {
    fn parse(text: &str) -> Option<Type> {
        Some(match text {
            "object" => Type::Object,
            "array" => Type::Array,
            "string" => Type::String,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            _ => return None,
        })
    }
}

/// `additionalProperties`: `false`/`true`, or the schema of every other value.
#[derive(Debug)]
pub enum Additional {
    Allowed(bool),
    Schema(Box<Schema>),
}

/// `x-kubernetes-list-type`.
#[derive(Debug, PartialEq, Eq)]
pub enum ListType {
    Atomic,
    Set,
    Map(Vec<String>),
}

/// An `enum` value.
#[derive(Debug, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// A list or mapping: compared by its text, never matched by a scalar.
    Other,
}

/// A bound (`minimum`, `maximum`) and whether it is exclusive.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

/// A compiled `pattern`.
#[derive(Debug)]
pub struct Pattern {
    pub source: String,
    pub regex: regex_lite::Regex,
}

/// One node of a structural schema.
#[derive(Debug, Default)]
pub struct Schema {
    pub ty: Option<Type>,
    pub properties: BTreeMap<String, Schema>,
    pub additional: Option<Additional>,
    pub items: Option<Box<Schema>>,
    pub required: Vec<String>,
    pub enumeration: Option<Vec<Literal>>,
    pub format: Option<String>,
    pub pattern: Option<Pattern>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub preserve_unknown: bool,
    pub int_or_string: bool,
    pub embedded: bool,
    pub list: Option<ListType>,
}

/// A problem of the schema itself, at the node of the CRD that has it.
#[derive(Debug)]
pub struct SchemaProblem {
    pub span: ByteSpan,
    /// Path inside the CRD object.
    pub path: String,
    pub message: String,
}

/// What reading a schema gives: the schema, its CEL rules (counted, not evaluated) and its
/// problems.
#[derive(Debug, Default)]
pub struct Compiled {
    pub schema: Schema,
    pub cel_rules: usize,
    pub problems: Vec<SchemaProblem>,
}

/// Reads the schema at `node`; `path` is where it is in the CRD (for the problems).
pub fn compile(node: NodeRef<'_>, path: &str) -> Compiled {
    let mut out = Compiled::default();
    let mut reader = Reader { cel_rules: 0, problems: Vec::new() };
    out.schema = reader.schema(node, At::Root(path), 0);
    out.cel_rules = reader.cel_rules;
    out.problems = reader.problems;
    out
}

/// Where a schema node is in the CRD: its keys from the schema's root, joined into a path only
/// for a problem (a CRD has thousands of nodes and, nearly always, no problem).
#[derive(Clone, Copy)]
enum At<'a> {
    Root(&'a str),
    Key(&'a At<'a>, &'a str),
}

impl At<'_> {
    fn render(self) -> String {
        match self {
            At::Root(path) => path.to_owned(),
            At::Key(parent, key) => {
                let mut path = parent.render();
                path.push('.');
                path.push_str(key);
                path
            }
        }
    }
}

struct Reader {
    cel_rules: usize,
    problems: Vec<SchemaProblem>,
}

impl Reader {
    fn problem(&mut self, node: NodeRef<'_>, path: At<'_>, message: String) {
        self.problems.push(SchemaProblem { span: node.span(), path: path.render(), message });
    }

    fn schema(&mut self, node: NodeRef<'_>, path: At<'_>, depth: usize) -> Schema {
        let mut s = Schema::default();
        if !node.is_map() {
            // The built-in schema of the CRD kind reports the wrong type itself.
            return Schema { preserve_unknown: true, ..Schema::default() };
        }
        if depth > MAX_DEPTH {
            self.problem(node, path, format!("the schema nests deeper than {MAX_DEPTH} levels"));
            return Schema { preserve_unknown: true, ..Schema::default() };
        }
        for (k, v) in node.entries() {
            let key = k.key_str().unwrap_or("");
            let at = At::Key(&path, key);
            match key {
                "type" => {
                    if let Some(text) = v.str() {
                        match Type::parse(text) {
                        Some(t) => s.ty = Some(t),
                        None => self.problem(
                            v,
                            at,
                            format!(
                                "`type: {text}` is not a schema type: use object, array, string, integer, number or boolean"
                            ),
                        ),
                        }
                    }
                }
                "properties" => {
                    for (pk, pv) in v.entries() {
                        let name = pk.key_str().unwrap_or("");
                        let child = self.schema(pv, At::Key(&at, name), depth + 1);
                        s.properties.insert(name.to_owned(), child);
                    }
                }
                "additionalProperties" => {
                    s.additional = match v.bool() {
                        Some(b) => Some(Additional::Allowed(b)),
                        None if v.is_map() => Some(Additional::Schema(Box::new(self.schema(v, at, depth + 1)))),
                        None => None,
                    }
                }
                "items" => {
                    if v.is_map() {
                        s.items = Some(Box::new(self.schema(v, at, depth + 1)));
                    } else if v.is_seq() {
                        self.problem(
                            v,
                            at,
                            "`items` must be a single schema in a structural schema, not a list".into(),
                        );
                    }
                }
                "required" => s.required = v.items().filter_map(|i| i.str()).map(str::to_owned).collect(),
                "enum" => s.enumeration = Some(v.items().map(literal).collect()),
                "format" => s.format = v.str().filter(|f| !f.is_empty()).map(str::to_owned),
                "pattern" => {
                    if let Some(source) = v.str() {
                        s.pattern = self.pattern(v, at, source);
                    }
                }
                "minimum" => s.minimum = number(v).map(|value| Bound { value, exclusive: false }),
                "maximum" => s.maximum = number(v).map(|value| Bound { value, exclusive: false }),
                "minLength" => s.min_length = count(v),
                "maxLength" => s.max_length = count(v),
                "minItems" => s.min_items = count(v),
                "maxItems" => s.max_items = count(v),
                "minProperties" => s.min_properties = count(v),
                "maxProperties" => s.max_properties = count(v),
                "x-kubernetes-preserve-unknown-fields" => s.preserve_unknown = v.bool() == Some(true),
                "x-kubernetes-int-or-string" => s.int_or_string = v.bool() == Some(true),
                "x-kubernetes-embedded-resource" => s.embedded = v.bool() == Some(true),
                "x-kubernetes-validations" => self.cel_rules += v.len(),
                _ => {}
            }
        }
        // Flags that refer to each other, read once every key is known.
        let flag = |name: &str| node.field(name).and_then(|n| n.bool()) == Some(true);
        if let Some(b) = s.minimum.as_mut() {
            b.exclusive = flag("exclusiveMinimum");
        }
        if let Some(b) = s.maximum.as_mut() {
            b.exclusive = flag("exclusiveMaximum");
        }
        self.list_type(node, path, &mut s);
        self.structural(node, path, &s);
        s
    }

    fn list_type(&mut self, node: NodeRef<'_>, path: At<'_>, s: &mut Schema) {
        let Some(v) = node.field("x-kubernetes-list-type") else { return };
        let keys: Vec<String> = node
            .field("x-kubernetes-list-map-keys")
            .map(|k| k.items().filter_map(|i| i.str()).map(str::to_owned).collect())
            .unwrap_or_default();
        s.list = match v.str() {
            Some("atomic") => Some(ListType::Atomic),
            Some("set") => Some(ListType::Set),
            Some("map") if keys.is_empty() => {
                self.problem(
                    v,
                    At::Key(&path, "x-kubernetes-list-type"),
                    "`x-kubernetes-list-type: map` needs `x-kubernetes-list-map-keys`".into(),
                );
                None
            }
            Some("map") => {
                let missing: Vec<&String> =
                    keys.iter().filter(|k| !s.items.as_ref().is_some_and(|i| i.properties.contains_key(*k))).collect();
                if let Some(key) = missing.first() {
                    self.problem(
                        v,
                        At::Key(&path, "x-kubernetes-list-map-keys"),
                        format!("the list-map key `{key}` is not a property of the items"),
                    );
                }
                Some(ListType::Map(keys))
            }
            Some(other) => {
                self.problem(
                    v,
                    At::Key(&path, "x-kubernetes-list-type"),
                    format!("`x-kubernetes-list-type: {other}` is not one of atomic, set, map"),
                );
                None
            }
            None => None,
        };
    }

    /// The rules of structural schemas the API server enforces on every node.
    fn structural(&mut self, node: NodeRef<'_>, path: At<'_>, s: &Schema) {
        if s.ty.is_none() && !s.preserve_unknown && !s.int_or_string && node.field("type").is_none() {
            self.problem(
                node,
                path,
                "the schema has no `type`: a structural schema needs one at every level (or \
                 x-kubernetes-preserve-unknown-fields / x-kubernetes-int-or-string)"
                    .into(),
            );
        }
        if !s.properties.is_empty()
            && matches!(s.additional, Some(Additional::Schema(_)) | Some(Additional::Allowed(false)))
        {
            self.problem(
                node,
                path,
                "`properties` and `additionalProperties` (a schema, or false) cannot both be given".into(),
            );
        }
        if node.field("uniqueItems").and_then(|v| v.bool()) == Some(true) {
            self.problem(
                node,
                path,
                "`uniqueItems: true` is forbidden (its runtime cost is quadratic); use `x-kubernetes-list-type: set`"
                    .into(),
            );
        }
        if node.field("x-kubernetes-preserve-unknown-fields").and_then(|v| v.bool()) == Some(false) {
            self.problem(node, path, "`x-kubernetes-preserve-unknown-fields` must be true or left out".into());
        }
        if node.field("x-kubernetes-list-type").is_some() && s.ty != Some(Type::Array) {
            self.problem(node, path, "`x-kubernetes-list-type` needs `type: array`".into());
        }
        if s.ty == Some(Type::Array) && s.items.is_none() && node.field("items").is_none() {
            self.problem(node, path, "`type: array` needs `items`".into());
        }
    }

    fn pattern(&mut self, node: NodeRef<'_>, path: At<'_>, source: &str) -> Option<Pattern> {
        match regex_lite::Regex::new(source) {
            // Go's syntax refuses repetition counts above 1000, the matcher does not.
            Ok(_) if repeat_above_1000(source) => {
                self.problem(
                    node,
                    path,
                    "`pattern` is not a valid regular expression: a repetition count is above 1000".into(),
                );
                None
            }
            Ok(regex) => Some(Pattern { source: source.to_owned(), regex }),
            // Unicode classes are valid in Go's syntax but not supported by the matcher: the
            // pattern is left unchecked rather than called invalid.
            Err(_) if source.contains("\\p") || source.contains("\\P") => None,
            Err(e) => {
                let why = e.to_string();
                let why = why.lines().last().unwrap_or("").trim().to_owned();
                self.problem(node, path, format!("`pattern` is not a valid regular expression: {why}"));
                None
            }
        }
    }
}

fn literal(node: NodeRef<'_>) -> Literal {
    match node.scalar() {
        Some(Scalar::Null) => Literal::Null,
        Some(Scalar::Bool(b)) => Literal::Bool(b),
        Some(Scalar::Str | Scalar::Timestamp) => Literal::String(node.text().unwrap_or("").to_owned()),
        Some(_) => number(node).map_or(Literal::Other, Literal::Number),
        None => Literal::Other,
    }
}

/// A number value (integers and floats).
pub fn number(node: NodeRef<'_>) -> Option<f64> {
    match node.scalar()? {
        Scalar::Int(i) => Some(i as f64),
        Scalar::UInt(u) => Some(u as f64),
        Scalar::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn count(node: NodeRef<'_>) -> Option<u64> {
    node.int().and_then(|i| u64::try_from(i).ok())
}

/// Whether a pattern has a `{n}`, `{n,}` or `{n,m}` with a count above 1000.
fn repeat_above_1000(source: &str) -> bool {
    let b = source.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'\\') => i += 2,
            Some(b'{') => {
                let rest = b.get(i + 1..).unwrap_or(&[]);
                let end = rest.iter().position(|&c| c == b'}');
                if let Some(body) = end.and_then(|e| rest.get(..e))
                    && !body.is_empty()
                    && body.iter().all(|c| c.is_ascii_digit() || *c == b',')
                    && body.split(|&c| c == b',').any(|n| {
                        n.len() > 4
                            || std::str::from_utf8(n).ok().and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n > 1000)
                    })
                {
                    return true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    false
}
