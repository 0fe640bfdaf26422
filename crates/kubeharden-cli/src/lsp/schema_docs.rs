//! Field documentation from the schema: the descriptions, type names and releases of every
//! field of every built-in kind (`web/field-docs.json`, generated with the core's schema table
//! by `scripts/schema/generate.mjs`, the file the web page loads on hover). The binary embeds
//! it (about 1.1 MB, a small share of the CLI) and parses it on the first hover on a key.

use std::sync::OnceLock;

use kubeharden::schema::locate;
use serde_json::Value;

use super::field_docs::{Field, FieldDoc, FieldDocs};

static DATA: &str = include_str!("../../../../web/field-docs.json");

/// The documentation of the schema's fields, parsed on first use.
#[derive(Debug, Default)]
pub struct SchemaFieldDocs {
    parsed: OnceLock<Option<Value>>,
}

impl SchemaFieldDocs {
    fn data(&self) -> Option<&Value> {
        self.parsed.get_or_init(|| serde_json::from_str(DATA).ok()).as_ref()
    }
}

impl FieldDocs for SchemaFieldDocs {
    fn lookup(&self, field: &Field) -> Option<FieldDoc> {
        let newest = kubeharden::schema::table::builtin().minors().1;
        let (def, name) = locate::definition(&field.api_version, &field.kind, &field.path, newest)?;
        let data = self.data()?;
        let first = data.get("firstMinor").and_then(Value::as_u64).unwrap_or(0);
        let entry = data.get("definitions")?.get(usize::from(def.0))?.get("fields")?.get(&name)?;
        let type_name = entry.get(0)?.as_str()?.to_owned();
        let since = entry.get(1).and_then(Value::as_u64).filter(|&m| m > first).map(|m| format!("v1.{m}"));
        let description = entry.get(2).and_then(Value::as_str).unwrap_or("").to_owned();
        Some(FieldDoc { description, type_name, since })
    }
}

#[cfg(test)]
mod tests {
    use super::super::field_docs::Step;
    use super::*;

    fn field(api_version: &str, kind: &str, path: &[&str]) -> Field {
        Field {
            api_version: api_version.into(),
            kind: kind.into(),
            path: path.iter().map(|p| if *p == "[]" { Step::Item } else { Step::Key((*p).into()) }).collect(),
        }
    }

    #[test]
    fn documents_built_in_fields_with_their_release() {
        let docs = SchemaFieldDocs::default();
        let image = docs.lookup(&field("v1", "Pod", &["spec", "containers", "[]", "image"])).unwrap();
        assert_eq!(image.type_name, "string");
        assert!(image.description.starts_with("Container image name."), "{}", image.description);
        assert_eq!(image.since, None);
        let apparmor = docs.lookup(&field(
            "apps/v1",
            "Deployment",
            &["spec", "template", "spec", "securityContext", "appArmorProfile"],
        ));
        assert_eq!(apparmor.map(|d| d.since), Some(Some("v1.30".into())));
        assert!(docs.lookup(&field("v1", "Pod", &["spec", "nope"])).is_none());
        assert!(docs.lookup(&field("example.com/v1", "Widget", &["spec"])).is_none());
    }
}
