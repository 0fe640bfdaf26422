//! Which field of which schema definition a position of a manifest is on: what a hover on a key
//! shows documentation for. The documentation itself (descriptions, type names, releases) is
//! not in the core: it is `web/field-docs.json`, whose `definitions` are indexed like the
//! table's definitions, so a [`Located`] definition id and field name find it there.

use super::table::{self, DefId, Lookup, Table, Ty};
use crate::source::{NodeRef, ParsedSource};

/// One step of a field path: a mapping key, or an item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Item,
}

/// The field under a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub api_version: String,
    pub kind: String,
    /// Steps from the object down to the key.
    pub path: Vec<Step>,
    /// The definition that has the field, and the field's name in it (when the schema has it).
    pub field: Option<(DefId, String)>,
}

/// The field whose key or value holds byte `at` of a parsed source, with its definition.
pub fn at(parsed: &ParsedSource, at: u32, minor: u16) -> Option<Located> {
    let document = parsed.documents.iter().find(|d| {
        let span = parsed.tree.node(d.root).span();
        span.start <= at && at <= span.end
    })?;
    let mut object = parsed.tree.node(document.root);
    let mut path = walk(object, at);
    // `kind: List`: the object is the item, its path starts below `items[i]`.
    if object.get("kind").and_then(|k| k.str()).is_some_and(|k| k.ends_with("List"))
        && path.first() == Some(&Step::Key("items".into()))
        && path.get(1) == Some(&Step::Item)
        && let Some(item) = object.get("items").and_then(|items| items.items().find(|i| inside(*i, at)))
    {
        object = item;
        path = walk(object, at);
    }
    if path.is_empty() {
        return None;
    }
    let api_version = object.get("apiVersion").and_then(|v| v.str())?.to_owned();
    let kind = object.get("kind").and_then(|v| v.str())?.to_owned();
    let field = definition(&api_version, &kind, &path, minor);
    Some(Located { api_version, kind, path, field })
}

/// The definition holding the last key of `path` in a built-in kind, read at `minor` (or, for a
/// field that release lacks, at the newest release).
pub fn definition(api_version: &str, kind: &str, path: &[Step], minor: u16) -> Option<(DefId, String)> {
    let t = table::builtin();
    let (_, newest) = t.minors();
    resolve(t, api_version, kind, path, minor).or_else(|| resolve(t, api_version, kind, path, newest))
}

fn resolve(t: &Table, api_version: &str, kind: &str, path: &[Step], minor: u16) -> Option<(DefId, String)> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let root = t.kind(kind).find(|r| r.group == group && r.version == version)?.def;
    let mut ty = Ty::Object(root);
    let last = path.len().checked_sub(1)?;
    for (i, step) in path.iter().enumerate() {
        // A status documents like any other field.
        if let Ty::DecodeOnly(inner) = ty {
            ty = t.ty(inner);
        }
        let def = match ty {
            Ty::Object(d) | Ty::SchemaOrArray(d) | Ty::SchemaOrBool(d) | Ty::SchemaOrStringArray(d) => Some(d),
            _ => None,
        };
        ty = match (step, ty, def) {
            (Step::Key(name), _, Some(def)) => {
                if i == last {
                    return matches!(t.field(def, name, minor), Lookup::Found(_)).then(|| (def, name.clone()));
                }
                match t.field(def, name, minor) {
                    Lookup::Found(id) => t.ty(id),
                    _ => return None,
                }
            }
            (Step::Key(_), Ty::Map(item), None) => t.ty(item),
            (Step::Item, Ty::List { item, .. }, None) => t.ty(item),
            (Step::Item, Ty::SchemaOrArray(_) | Ty::SchemaOrStringArray(_), Some(_)) => ty,
            _ => return None,
        };
    }
    None
}

fn inside(node: NodeRef<'_>, at: u32) -> bool {
    let span = node.span();
    span.start <= at && at < span.end.max(span.start + 1)
}

/// The steps from `node` down to the innermost key or value holding `at`.
fn walk(node: NodeRef<'_>, at: u32) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut node = node;
    // Bounded by the nesting limit; an alias cannot loop since each step goes strictly inwards.
    for _ in 0..1_000 {
        let next = if node.is_map() {
            node.entries().find(|(k, v)| inside(*k, at) || inside(*v, at)).map(|(k, v)| {
                steps.push(Step::Key(k.key_str().unwrap_or_default().to_owned()));
                (!inside(k, at)).then_some(v)
            })
        } else if node.is_seq() {
            node.items().find(|v| inside(*v, at)).map(|v| {
                steps.push(Step::Item);
                Some(v)
            })
        } else {
            None
        };
        match next {
            Some(Some(child)) if child.id() != node.id() => node = child,
            _ => break,
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Limits, Source, parse};

    fn located(text: &str, needle: &str) -> Option<Located> {
        let parsed = parse(&Source::new("x.yaml", text), &Limits::default());
        let byte = u32::try_from(text.find(needle).unwrap()).unwrap();
        at(&parsed, byte, 37)
    }

    #[test]
    fn keys_find_their_definition() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {app: web}\nspec:\n  containers:\n  - name: app\n    securityContext:\n      runAsNonRoot: true\n";
        let t = table::builtin();
        let field = located(pod, "runAsNonRoot").unwrap().field.unwrap();
        assert_eq!(field.1, "runAsNonRoot");
        assert!(t.all_fields(field.0).any(|(n, _)| n == "allowPrivilegeEscalation"));
        assert_eq!(located(pod, "containers").unwrap().field.unwrap().1, "containers");
        // A label key is a map key, not a field; an unknown kind has no definition.
        assert_eq!(located(pod, "app:").unwrap().field, None);
        assert_eq!(located("apiVersion: example.com/v1\nkind: W\nspec: {a: 1}\n", "a: 1").unwrap().field, None);
        // Fields of a status are documented too.
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nstatus:\n  readyReplicas: 1\n";
        assert_eq!(located(deployment, "readyReplicas").unwrap().field.unwrap().1, "readyReplicas");
    }
}
