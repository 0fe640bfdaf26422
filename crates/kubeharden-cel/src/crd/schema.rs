//! The structural schema of a CRD version as the rules see it (k8s.io/apiextensions-apiserver
//! `schema.Structural`): types, formats, properties, additionalProperties, items, the
//! `x-kubernetes-*` extensions, and the `x-kubernetes-validations` of each node with the JSON
//! pointer where it is written in the CRD.

use std::collections::BTreeMap;

use serde_json::Value as Json;

/// Nesting read at most (the core refuses deeper schemas with a problem of its own).
const MAX_DEPTH: usize = 128;

/// One `x-kubernetes-validations` entry.
#[derive(Clone, Debug, Default)]
pub struct RuleSpec {
    pub rule: String,
    pub message: Option<String>,
    pub message_expression: Option<String>,
    pub reason: Option<String>,
    pub field_path: Option<String>,
    pub optional_old_self: bool,
    /// JSON pointer of the entry in the CRD (`.../x-kubernetes-validations/0`).
    pub pointer: String,
}

/// `x-kubernetes-list-type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListType {
    Atomic,
    Set,
    Map(Vec<String>),
}

/// One node of a structural schema.
#[derive(Clone, Debug, Default)]
pub struct Node {
    pub ty: String,
    pub format: String,
    pub properties: BTreeMap<String, Node>,
    pub additional: Option<Box<Node>>,
    pub items: Option<Box<Node>>,
    pub int_or_string: bool,
    pub preserve_unknown: bool,
    pub embedded: bool,
    pub nullable: bool,
    pub list: Option<ListType>,
    pub rules: Vec<RuleSpec>,
    /// JSON pointer of the node in the CRD.
    pub pointer: String,
    /// Whether this node or one below has rules (computed once: the walk asks it per value).
    below: bool,
}

impl Node {
    /// Reads the schema at `json`, written at `pointer` in the CRD.
    pub fn read(json: &Json, pointer: &str) -> Node {
        read(json, pointer, 0)
    }

    /// Whether this node or one below has rules.
    pub fn has_rules(&self) -> bool {
        self.below
    }

    /// The number of rules in this node and below.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
            + self.properties.values().map(Node::rule_count).sum::<usize>()
            + self.additional.as_deref().map_or(0, Node::rule_count)
            + self.items.as_deref().map_or(0, Node::rule_count)
    }
}

fn text(json: &Json, key: &str) -> String {
    json.get(key).and_then(Json::as_str).unwrap_or("").to_string()
}

fn flag(json: &Json, key: &str) -> bool {
    json.get(key).and_then(Json::as_bool) == Some(true)
}

/// `~` and `/` escaped in a pointer segment.
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn read(json: &Json, pointer: &str, depth: usize) -> Node {
    let mut node = Node {
        ty: text(json, "type"),
        format: text(json, "format"),
        int_or_string: flag(json, "x-kubernetes-int-or-string"),
        preserve_unknown: flag(json, "x-kubernetes-preserve-unknown-fields"),
        embedded: flag(json, "x-kubernetes-embedded-resource"),
        nullable: flag(json, "nullable"),
        pointer: pointer.to_string(),
        ..Node::default()
    };
    if depth > MAX_DEPTH {
        return node;
    }
    if let Some(props) = json.get("properties").and_then(Json::as_object) {
        for (name, schema) in props {
            let at = format!("{pointer}/properties/{}", pointer_segment(name));
            node.properties.insert(name.clone(), read(schema, &at, depth + 1));
        }
    }
    if let Some(schema) = json.get("additionalProperties").filter(|s| s.is_object()) {
        node.additional = Some(Box::new(read(schema, &format!("{pointer}/additionalProperties"), depth + 1)));
    }
    if let Some(schema) = json.get("items").filter(|s| s.is_object()) {
        node.items = Some(Box::new(read(schema, &format!("{pointer}/items"), depth + 1)));
    }
    node.list = match json.get("x-kubernetes-list-type").and_then(Json::as_str) {
        Some("set") => Some(ListType::Set),
        Some("map") => Some(ListType::Map(
            json.get("x-kubernetes-list-map-keys")
                .and_then(Json::as_array)
                .map(|keys| keys.iter().filter_map(Json::as_str).map(String::from).collect())
                .unwrap_or_default(),
        )),
        Some("atomic") => Some(ListType::Atomic),
        _ => None,
    };
    if let Some(rules) = json.get("x-kubernetes-validations").and_then(Json::as_array) {
        for (i, r) in rules.iter().enumerate() {
            let opt = |k: &str| r.get(k).and_then(Json::as_str).map(String::from);
            node.rules.push(RuleSpec {
                rule: text(r, "rule"),
                message: opt("message").filter(|m| !m.is_empty()),
                message_expression: opt("messageExpression").filter(|m| !m.is_empty()),
                reason: opt("reason").filter(|m| !m.is_empty()),
                field_path: opt("fieldPath").filter(|m| !m.is_empty()),
                optional_old_self: flag(r, "optionalOldSelf"),
                pointer: format!("{pointer}/x-kubernetes-validations/{i}"),
            });
        }
    }
    node.below = !node.rules.is_empty()
        || node.properties.values().any(Node::has_rules)
        || node.additional.as_deref().is_some_and(Node::has_rules)
        || node.items.as_deref().is_some_and(Node::has_rules);
    node
}
