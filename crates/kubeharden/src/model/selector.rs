//! Label selectors, evaluated as k8s.io/apimachinery does (`LabelSelectorAsSelector`).
//!
//! - `matchLabels` and `matchExpressions` are ANDed; `In`, `NotIn`, `Exists`, `DoesNotExist`.
//! - An empty selector (`{}`, no requirement) selects everything.
//! - An absent selector means *nothing* for pointer fields (a peer's `podSelector`, a
//!   ClusterRole's `aggregationRule`), and *everything* for value fields (a NetworkPolicy's
//!   `spec.podSelector`): the caller says which with [`Absent`].
//! - `NotIn` and `DoesNotExist` match objects that lack the label.
//!
//! The input does not always tell the whole truth about labels: a namespace that is not in the
//! input still has `kubernetes.io/metadata.name`, and controllers add labels to the pods they
//! create (`pod-template-hash`, `job-name`, ...). A [`LabelSet`] can therefore answer
//! [`LabelValue::Unknown`], and matching answers [`Tri::Maybe`]; rules treat `Maybe` as "don't
//! claim anything".

use crate::source::NodeRef;

/// What an absent (or null) selector means for the field being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Absent {
    /// A pointer field: unset selects nothing.
    Nothing,
    /// A value field: unset is the empty selector, which selects everything.
    Everything,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl Op {
    pub fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "In" => Op::In,
            "NotIn" => Op::NotIn,
            "Exists" => Op::Exists,
            "DoesNotExist" => Op::DoesNotExist,
            _ => return None,
        })
    }
}

/// One requirement of a selector (`matchLabels` entries are `In` with one value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement<'s> {
    pub key: &'s str,
    pub op: Op,
    pub values: Vec<&'s str>,
}

/// A parsed label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector<'s> {
    /// Selects nothing (an absent pointer selector).
    Nothing,
    /// Selects what every requirement accepts; no requirement selects everything.
    Match(Vec<Requirement<'s>>),
}

/// A structural problem the API server rejects, at the offending node.
#[derive(Clone, Debug)]
pub struct SelectorError<'s> {
    pub node: NodeRef<'s>,
    /// Path relative to the selector (`matchExpressions[0].values`).
    pub rel: String,
    pub message: String,
}

/// Three-valued match: the input may not say enough to decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Maybe,
}

impl Tri {
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Maybe,
        }
    }

    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Maybe,
        }
    }

    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }
}

/// The value of one label on an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelValue<'a> {
    Absent,
    Value(&'a str),
    /// The object may carry this label with a value the input does not show.
    Unknown,
}

/// An object's labels as far as the input knows them.
pub trait LabelSet {
    fn value(&self, key: &str) -> LabelValue<'_>;
}

/// Labels read from a `labels` mapping, plus labels known from elsewhere.
#[derive(Clone, Debug, Default)]
pub struct Labels<'s> {
    /// The written `labels` mapping, if any.
    pub map: Option<NodeRef<'s>>,
    /// Labels the API server or a controller sets with a known value (they win over `map`).
    pub fixed: Vec<(&'s str, &'s str)>,
    /// Labels a controller may set with a value the input does not show.
    pub unknown: &'static [&'static str],
    /// Any label not written may exist (an object the input does not contain).
    pub open: bool,
}

impl LabelSet for Labels<'_> {
    fn value(&self, key: &str) -> LabelValue<'_> {
        if let Some((_, v)) = self.fixed.iter().find(|(k, _)| *k == key) {
            return LabelValue::Value(v);
        }
        if let Some(v) = self.map.and_then(|m| m.get(key)) {
            // A null label value decodes as the empty string.
            if v.is_null() {
                return LabelValue::Value("");
            }
            if let Some(text) = v.str() {
                return LabelValue::Value(text);
            }
        }
        if self.open || self.unknown.contains(&key) {
            return LabelValue::Unknown;
        }
        LabelValue::Absent
    }
}

/// Labels given as pairs (tests, built-in objects).
impl LabelSet for [(&str, &str)] {
    fn value(&self, key: &str) -> LabelValue<'_> {
        self.iter().find(|(k, _)| *k == key).map_or(LabelValue::Absent, |(_, v)| LabelValue::Value(v))
    }
}

/// The label every namespace carries with its own name (Kubernetes 1.21+).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

impl Requirement<'_> {
    pub fn matches(&self, labels: &(impl LabelSet + ?Sized)) -> Tri {
        let value = labels.value(self.key);
        match (self.op, value) {
            (_, LabelValue::Unknown) => Tri::Maybe,
            (Op::In, LabelValue::Value(v)) => Tri::from_bool(self.values.contains(&v)),
            (Op::In, LabelValue::Absent) => Tri::No,
            (Op::NotIn, LabelValue::Value(v)) => Tri::from_bool(!self.values.contains(&v)),
            (Op::NotIn, LabelValue::Absent) => Tri::Yes,
            (Op::Exists, LabelValue::Value(_)) => Tri::Yes,
            (Op::Exists, LabelValue::Absent) => Tri::No,
            (Op::DoesNotExist, LabelValue::Value(_)) => Tri::No,
            (Op::DoesNotExist, LabelValue::Absent) => Tri::Yes,
        }
    }
}

impl<'s> Selector<'s> {
    pub fn everything() -> Self {
        Selector::Match(Vec::new())
    }

    /// Selects every possible object (the empty selector).
    pub fn is_everything(&self) -> bool {
        matches!(self, Selector::Match(r) if r.is_empty())
    }

    pub fn is_nothing(&self) -> bool {
        matches!(self, Selector::Nothing)
    }

    pub fn matches(&self, labels: &(impl LabelSet + ?Sized)) -> Tri {
        match self {
            Selector::Nothing => Tri::No,
            Selector::Match(reqs) => reqs.iter().fold(Tri::Yes, |acc, r| acc.and(r.matches(labels))),
        }
    }

    /// Selects every namespace, whatever its labels: empty, or only `Exists` on the label
    /// every namespace carries.
    pub fn selects_every_namespace(&self) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::Match(reqs) => reqs.iter().all(|r| r.key == NAMESPACE_NAME_LABEL && r.op == Op::Exists),
        }
    }

    /// Parses a selector field. Structural errors are returned with it; the selector then
    /// keeps only the requirements that could be read, and a selector with errors selects
    /// nothing (the API server rejects the object, or the controller ignores the selector).
    pub fn parse(node: Option<NodeRef<'s>>, absent: Absent) -> (Selector<'s>, Vec<SelectorError<'s>>) {
        let mut errors = Vec::new();
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return (
                match absent {
                    Absent::Nothing => Selector::Nothing,
                    Absent::Everything => Selector::everything(),
                },
                errors,
            );
        };
        if !node.is_map() {
            errors.push(SelectorError {
                node,
                rel: String::new(),
                message: "a label selector must be a mapping (`{}`, `matchLabels`, `matchExpressions`)".into(),
            });
            return (Selector::Nothing, errors);
        }
        let mut reqs = Vec::new();
        if let Some(labels) = node.field("matchLabels") {
            if labels.is_map() {
                for (k, v) in labels.entries() {
                    // A null value decodes as the empty string.
                    let value = if v.is_null() { Some("") } else { v.str() };
                    match (k.key_str(), value) {
                        (Some(key), Some(value)) => reqs.push(Requirement { key, op: Op::In, values: vec![value] }),
                        _ => errors.push(SelectorError {
                            node: v,
                            rel: format!("matchLabels.{}", k.key_str().unwrap_or_default()),
                            message: "a matchLabels value must be a string".into(),
                        }),
                    }
                }
            } else {
                errors.push(SelectorError {
                    node: labels,
                    rel: "matchLabels".into(),
                    message: "`matchLabels` must be a mapping of label keys to values".into(),
                });
            }
        }
        if let Some(exprs) = node.field("matchExpressions") {
            if exprs.is_seq() {
                for (i, e) in exprs.items().enumerate() {
                    parse_expression(e, i, &mut reqs, &mut errors);
                }
            } else {
                errors.push(SelectorError {
                    node: exprs,
                    rel: "matchExpressions".into(),
                    message: "`matchExpressions` must be a list of {key, operator, values}".into(),
                });
            }
        }
        if errors.is_empty() { (Selector::Match(reqs), errors) } else { (Selector::Nothing, errors) }
    }
}

fn parse_expression<'s>(
    e: NodeRef<'s>,
    i: usize,
    reqs: &mut Vec<Requirement<'s>>,
    errors: &mut Vec<SelectorError<'s>>,
) {
    let rel = format!("matchExpressions[{i}]");
    if !e.is_map() {
        errors.push(SelectorError {
            node: e,
            rel,
            message: "a match expression must be a mapping with key, operator and values".into(),
        });
        return;
    }
    let Some(key) = e.field("key").and_then(|k| k.str()).filter(|k| !k.is_empty()) else {
        errors.push(SelectorError {
            node: e,
            rel: format!("{rel}.key"),
            message: "a match expression needs a `key`".into(),
        });
        return;
    };
    let op_node = e.field("operator");
    let Some(op) = op_node.and_then(|o| o.str()).and_then(Op::parse) else {
        errors.push(SelectorError {
            node: op_node.unwrap_or(e),
            rel: format!("{rel}.operator"),
            message: "`operator` must be In, NotIn, Exists or DoesNotExist".into(),
        });
        return;
    };
    let values_node = e.field("values");
    let mut values = Vec::new();
    if let Some(v) = values_node {
        if !v.is_seq() {
            errors.push(SelectorError {
                node: v,
                rel: format!("{rel}.values"),
                message: "`values` must be a list of strings".into(),
            });
            return;
        }
        values = v.items().filter_map(|x| x.str()).collect();
    }
    match op {
        Op::In | Op::NotIn if values.is_empty() => errors.push(SelectorError {
            node: values_node.unwrap_or(e),
            rel: format!("{rel}.values"),
            message: format!("operator {key:?} {} needs at least one value", if op == Op::In { "In" } else { "NotIn" }),
        }),
        Op::Exists | Op::DoesNotExist if !values.is_empty() => errors.push(SelectorError {
            node: values_node.unwrap_or(e),
            rel: format!("{rel}.values"),
            message: "operators Exists and DoesNotExist take no values".into(),
        }),
        _ => reqs.push(Requirement { key, op, values }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Limits, ParsedSource, Source, parse};

    fn doc(text: &str) -> ParsedSource {
        parse(&Source::new("t.yaml", text), &Limits::default())
    }

    fn sel<'s>(p: &'s ParsedSource, absent: Absent) -> (Selector<'s>, Vec<SelectorError<'s>>) {
        let root = p.tree.node(p.documents[0].root);
        Selector::parse(root.get("s"), absent)
    }

    const APP_WEB: &[(&str, &str)] = &[("app", "web"), ("tier", "front")];

    #[test]
    fn empty_selects_everything_absent_depends_on_the_field() {
        let p = doc("s: {}\n");
        let (s, e) = sel(&p, Absent::Nothing);
        assert!(e.is_empty() && s.is_everything());
        assert_eq!(s.matches(APP_WEB), Tri::Yes);
        assert_eq!(s.matches(&[][..]), Tri::Yes);
        let p = doc("other: 1\n");
        assert_eq!(sel(&p, Absent::Nothing).0.matches(APP_WEB), Tri::No);
        assert_eq!(sel(&p, Absent::Everything).0.matches(APP_WEB), Tri::Yes);
        // An explicit null is unset.
        let p = doc("s:\n");
        assert!(sel(&p, Absent::Nothing).0.is_nothing());
        // No requirement in either list is still the empty selector.
        let p = doc("s: {matchLabels: {}, matchExpressions: []}\n");
        assert!(sel(&p, Absent::Nothing).0.is_everything());
    }

    #[test]
    fn match_labels_are_anded() {
        let p = doc("s:\n  matchLabels: {app: web, tier: front}\n");
        assert_eq!(sel(&p, Absent::Nothing).0.matches(APP_WEB), Tri::Yes);
        let p = doc("s:\n  matchLabels: {app: web, tier: back}\n");
        assert_eq!(sel(&p, Absent::Nothing).0.matches(APP_WEB), Tri::No);
        let p = doc("s:\n  matchLabels: {app: web, zone: a}\n");
        assert_eq!(sel(&p, Absent::Nothing).0.matches(APP_WEB), Tri::No);
    }

    #[test]
    fn each_operator() {
        let cases = [
            ("{key: app, operator: In, values: [web, api]}", Tri::Yes, Tri::No),
            ("{key: app, operator: NotIn, values: [db]}", Tri::Yes, Tri::Yes),
            ("{key: app, operator: NotIn, values: [web]}", Tri::No, Tri::Yes),
            ("{key: app, operator: Exists}", Tri::Yes, Tri::No),
            ("{key: app, operator: DoesNotExist}", Tri::No, Tri::Yes),
            ("{key: app, operator: Exists, values: []}", Tri::Yes, Tri::No),
        ];
        for (expr, with_label, without_label) in cases {
            let text = format!("s:\n  matchExpressions:\n  - {expr}\n");
            let p = doc(&text);
            let (s, e) = sel(&p, Absent::Nothing);
            assert!(e.is_empty(), "{expr}: {e:?}");
            assert_eq!(s.matches(APP_WEB), with_label, "{expr}");
            assert_eq!(s.matches(&[("tier", "front")][..]), without_label, "{expr}");
        }
    }

    #[test]
    fn labels_and_expressions_combine() {
        let p = doc(
            "s:\n  matchLabels: {tier: front}\n  matchExpressions:\n  - {key: app, operator: NotIn, values: [db]}\n",
        );
        assert_eq!(sel(&p, Absent::Nothing).0.matches(APP_WEB), Tri::Yes);
        assert_eq!(sel(&p, Absent::Nothing).0.matches(&[("tier", "front"), ("app", "db")][..]), Tri::No);
    }

    #[test]
    fn invalid_selectors_are_errors_and_select_nothing() {
        for bad in [
            "s: [a]\n",
            "s: {matchLabels: [a]}\n",
            "s: {matchExpressions: {key: a}}\n",
            "s: {matchExpressions: [{key: a, operator: Equals, values: [b]}]}\n",
            "s: {matchExpressions: [{key: a, operator: In}]}\n",
            "s: {matchExpressions: [{key: a, operator: NotIn, values: []}]}\n",
            "s: {matchExpressions: [{key: a, operator: Exists, values: [b]}]}\n",
            "s: {matchExpressions: [{operator: Exists}]}\n",
        ] {
            let p = doc(bad);
            let (s, e) = sel(&p, Absent::Everything);
            assert!(!e.is_empty(), "{bad}");
            assert!(s.is_nothing(), "{bad}");
        }
    }

    #[test]
    fn yaml_scalars_compare_as_strings() {
        let p = doc("s: {matchLabels: {enabled: yes, v: 1}}\n");
        let (s, _) = sel(&p, Absent::Nothing);
        assert_eq!(s.matches(&[("enabled", "true"), ("v", "1")][..]), Tri::Yes);
        // A null value is the empty string.
        let p = doc("s:\n  matchLabels:\n    canary:\n");
        let (s, e) = sel(&p, Absent::Nothing);
        assert!(e.is_empty());
        assert_eq!(s.matches(&[("canary", "")][..]), Tri::Yes);
        assert_eq!(s.matches(&[("canary", "x")][..]), Tri::No);
    }

    #[test]
    fn unknown_labels_give_maybe() {
        let p = doc("s:\n  matchLabels: {team: a}\n");
        let (s, _) = sel(&p, Absent::Nothing);
        let ns = Labels { fixed: vec![(NAMESPACE_NAME_LABEL, "shop")], open: true, ..Labels::default() };
        assert_eq!(s.matches(&ns), Tri::Maybe);
        let p = doc("s:\n  matchLabels: {kubernetes.io/metadata.name: shop}\n");
        assert_eq!(sel(&p, Absent::Nothing).0.matches(&ns), Tri::Yes);
        let p = doc("s:\n  matchLabels: {kubernetes.io/metadata.name: other}\n");
        assert_eq!(sel(&p, Absent::Nothing).0.matches(&ns), Tri::No);
        let p = doc("s:\n  matchExpressions: [{key: job-name, operator: DoesNotExist}]\n");
        let pod = Labels { unknown: &["job-name"], ..Labels::default() };
        assert_eq!(sel(&p, Absent::Nothing).0.matches(&pod), Tri::Maybe);
    }

    #[test]
    fn namespace_name_label_is_automatic() {
        let p = doc("s:\n  matchExpressions: [{key: kubernetes.io/metadata.name, operator: Exists}]\n");
        let (s, _) = sel(&p, Absent::Nothing);
        assert!(s.selects_every_namespace());
        let p = doc("s:\n  matchLabels: {kubernetes.io/metadata.name: a}\n");
        assert!(!sel(&p, Absent::Nothing).0.selects_every_namespace());
        let p = doc("ns:\n  metadata: {name: shop, labels: {team: a, kubernetes.io/metadata.name: spoofed}}\n");
        let root = p.tree.node(p.documents[0].root);
        let labels = Labels {
            map: root.at(&["ns", "metadata", "labels"]),
            fixed: vec![(NAMESPACE_NAME_LABEL, "shop")],
            ..Labels::default()
        };
        // The API server overwrites the label with the real name.
        assert_eq!(labels.value(NAMESPACE_NAME_LABEL), LabelValue::Value("shop"));
        assert_eq!(labels.value("team"), LabelValue::Value("a"));
        assert_eq!(labels.value("zone"), LabelValue::Absent);
    }

    #[test]
    fn tri_logic() {
        assert_eq!(Tri::Yes.and(Tri::Maybe), Tri::Maybe);
        assert_eq!(Tri::No.and(Tri::Maybe), Tri::No);
        assert_eq!(Tri::Yes.or(Tri::Maybe), Tri::Yes);
        assert_eq!(Tri::No.or(Tri::Maybe), Tri::Maybe);
    }
}
