//! Hover on a key: the field's schema documentation. The field is found here (object kind and
//! path from the tree); the documentation comes from a [`FieldDocs`] source: in the server, the
//! schema data ([`super::schema_docs::SchemaFieldDocs`]); `NoFieldDocs` is for tests.

use kubeharden::ParsedSource;
use kubeharden::source::NodeRef;

/// One step of a field path: a mapping key, or any item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Item,
}

/// The field under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub api_version: String,
    pub kind: String,
    pub path: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDoc {
    pub description: String,
    /// The schema type (`string`, `integer`, `[]Container`, …).
    pub type_name: String,
    /// The Kubernetes release that added the field, when it is newer than the oldest known.
    pub since: Option<String>,
}

pub trait FieldDocs {
    fn lookup(&self, field: &Field) -> Option<FieldDoc>;
}

/// No field documentation (tests of the server without the schema data).
#[cfg(test)]
#[derive(Debug, Default)]
pub struct NoFieldDocs;

#[cfg(test)]
impl FieldDocs for NoFieldDocs {
    fn lookup(&self, _: &Field) -> Option<FieldDoc> {
        None
    }
}

/// The field whose key or value holds byte `at`, in the object (a document root, or an item of
/// a `List`) around it.
pub fn field_at(parsed: &ParsedSource, at: u32) -> Option<Field> {
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
    Some(Field {
        api_version: object.get("apiVersion").and_then(|v| v.str())?.to_owned(),
        kind: object.get("kind").and_then(|v| v.str())?.to_owned(),
        path,
    })
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

/// The hover text of a field's documentation (Markdown).
pub fn render(field: &Field, doc: &FieldDoc) -> String {
    let path: Vec<String> = field
        .path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Item => "[]".into(),
        })
        .collect();
    let mut out = format!(
        "**{}** `{}` · {} {}\n\n{}",
        path.join(".").replace(".[]", "[]"),
        doc.type_name,
        field.kind,
        field.api_version,
        doc.description
    );
    if let Some(since) = &doc.since {
        out.push_str(&format!("\n\nSince Kubernetes {since}."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeharden::{Limits, Source, parse};

    /// A stand-in for the schema data: documents one field.
    struct OneField;
    impl FieldDocs for OneField {
        fn lookup(&self, field: &Field) -> Option<FieldDoc> {
            let want =
                [Step::Key("spec".into()), Step::Key("containers".into()), Step::Item, Step::Key("image".into())];
            (field.kind == "Pod" && field.path == want).then(|| FieldDoc {
                description: "Container image name.".into(),
                type_name: "string".into(),
                since: None,
            })
        }
    }

    #[test]
    fn finds_the_field_under_the_cursor() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx\n";
        let parsed = parse(&Source::new("p.yaml", text), &Limits::default());
        let on_key = text.find("image").unwrap() as u32 + 2;
        let field = field_at(&parsed, on_key).unwrap();
        assert_eq!((field.api_version.as_str(), field.kind.as_str()), ("v1", "Pod"));
        let doc = OneField.lookup(&field).unwrap();
        assert_eq!(render(&field, &doc), "**spec.containers[].image** `string` · Pod v1\n\nContainer image name.");
        // The value is the same field; another key is another field.
        let on_value = text.find("nginx").unwrap() as u32;
        assert_eq!(field_at(&parsed, on_value), Some(field));
        let name = field_at(&parsed, text.find("name").unwrap() as u32).unwrap();
        assert!(OneField.lookup(&name).is_none());
        assert!(NoFieldDocs.lookup(&name).is_none());
    }

    #[test]
    fn list_items_are_objects() {
        let text =
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  spec: {replicas: 2}\n";
        let parsed = parse(&Source::new("l.yaml", text), &Limits::default());
        let field = field_at(&parsed, text.find("replicas").unwrap() as u32).unwrap();
        assert_eq!(field.kind, "Deployment");
        assert_eq!(field.path, vec![Step::Key("spec".into()), Step::Key("replicas".into())]);
    }
}
