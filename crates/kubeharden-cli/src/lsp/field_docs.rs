//! Hover on a key: the field's schema documentation. The field is found here (object kind and
//! path from the tree); the documentation comes from a [`FieldDocs`] source: in the server, the
//! schema data ([`super::schema_docs::SchemaFieldDocs`]); `NoFieldDocs` is for tests.

use kubeharden::ParsedSource;

/// One step of a field path: a mapping key, or any item of a list (the core's, which finds
/// the field).
pub use kubeharden::schema::locate::Step;

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
/// a `List`) around it: the core's schema locator finds it.
pub fn field_at(parsed: &ParsedSource, at: u32) -> Option<Field> {
    let newest = kubeharden::schema::table::builtin().minors().1;
    let located = kubeharden::schema::locate::at(parsed, at, newest)?;
    Some(Field { api_version: located.api_version, kind: located.kind, path: located.path })
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
