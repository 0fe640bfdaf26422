//! "Exempt this object from rule X": the `kubeharden.io/ignore` annotation (the rule added to
//! the list when there is one) and a `kubeharden.io/ignore-reason` placeholder, written in the
//! file's style: block or flow mappings, its indentation, quoting and line breaks, JSON keys
//! quoted in JSON.

use kubeharden::ParsedSource;
use kubeharden::source::NodeRef;
use kubeharden::source::scalar::ScalarStyle;
use kubeharden::{Limits, Source};

pub const IGNORE: &str = "kubeharden.io/ignore";
pub const IGNORE_REASON: &str = "kubeharden.io/ignore-reason";
pub const REASON_PLACEHOLDER: &str = "TODO: say why this object may break the rule";

/// An object of a source: a document's root, or an item of a `kind: List` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectRef {
    /// Index into the source's documents.
    pub document: usize,
    pub item: Option<usize>,
}

/// The object holding byte `at` of document number `number` (1-based, as findings count).
pub fn object_at(parsed: &ParsedSource, number: u32, at: u32) -> Option<ObjectRef> {
    let document = parsed.documents.iter().position(|d| d.number == number)?;
    let root = parsed.tree.node(parsed.documents.get(document)?.root);
    let list = root.get("kind").and_then(|k| k.str()).is_some_and(|k| k.ends_with("List"));
    let item = match root.get("items").filter(|_| list) {
        Some(items) => items.items().position(|i| i.span().start <= at && at <= i.span().end),
        None => None,
    };
    Some(ObjectRef { document, item })
}

fn node<'t>(parsed: &'t ParsedSource, object: ObjectRef) -> Option<NodeRef<'t>> {
    let root = parsed.tree.node(parsed.documents.get(object.document)?.root);
    match object.item {
        Some(i) => root.get("items")?.items().nth(i),
        None => Some(root),
    }
    .filter(|n| n.is_map())
}

/// The text with `rule` exempted on the object, or `None` when the object's layout is too
/// unusual to edit safely (or the rule is already listed and a reason is given).
pub fn exempted_text(parsed: &ParsedSource, object: ObjectRef, rule: &str) -> Option<String> {
    let text = parsed.text.as_str();
    let first = add_rule(text, node(parsed, object)?, rule)?;
    // The reason goes in a second pass, against the text the first one produced.
    let reparsed = kubeharden::parse(&Source::new(parsed.name.clone(), first.clone()), &Limits::default());
    let annotations = node(&reparsed, object)?.get("metadata")?.get("annotations")?;
    if annotations.get(IGNORE_REASON).is_some() {
        return (first != text).then_some(first);
    }
    let (key, value) = quoted_pair(&first, annotations, IGNORE_REASON, REASON_PLACEHOLDER);
    Some(splice(&first, insert(&first, annotations, &[&key], &value)?))
}

/// The text with the rule in the object's ignore annotation (unchanged if it is there).
fn add_rule(text: &str, object: NodeRef<'_>, rule: &str) -> Option<String> {
    let metadata = object.get("metadata");
    let annotations = metadata.and_then(|m| m.get("annotations")).filter(|a| a.is_map());
    if let Some((_, value)) = annotations.and_then(|a| a.entry(IGNORE)) {
        let listed = value.str().unwrap_or("");
        if listed.split([',', ' ']).any(|t| t.trim() == rule) {
            return Some(text.to_owned());
        }
        let joined = if listed.trim().is_empty() { rule.to_owned() } else { format!("{}, {rule}", listed.trim_end()) };
        let replacement = match value.style() {
            Some(ScalarStyle::SingleQuoted) => format!("'{joined}'"),
            Some(ScalarStyle::Plain) if value.str().is_some() => joined,
            _ => format!("\"{joined}\""),
        };
        let span = value.span();
        return Some(splice(text, vec![(span.start as usize, span.end as usize, replacement)]));
    }
    let (target, path): (NodeRef<'_>, Vec<&str>) = match (metadata, annotations) {
        (_, Some(a)) => (a, vec![IGNORE]),
        (Some(m), None) if m.is_map() && m.get("annotations").is_none() => (m, vec!["annotations", IGNORE]),
        (None, _) => (object, vec!["metadata", "annotations", IGNORE]),
        _ => return None,
    };
    let json = keys_are_quoted(text, target);
    let keys: Vec<String> = path.iter().map(|k| if json { format!("\"{k}\"") } else { (*k).to_owned() }).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    Some(splice(text, insert(text, target, &keys, &format!("\"{rule}\""))?))
}

/// A key and value for a new entry of `map`, quoted like its keys.
fn quoted_pair(text: &str, map: NodeRef<'_>, key: &str, value: &str) -> (String, String) {
    let key = if keys_are_quoted(text, map) { format!("\"{key}\"") } else { key.to_owned() };
    (key, format!("\"{value}\""))
}

/// Whether a mapping writes its keys in double quotes (JSON, or YAML written like it).
fn keys_are_quoted(text: &str, map: NodeRef<'_>) -> bool {
    match map.entries().next() {
        Some((key, _)) => key.style() == Some(ScalarStyle::DoubleQuoted),
        None => text.trim_start().starts_with('{'),
    }
}

type Edits = Vec<(usize, usize, String)>;

/// Adds `keys` (nested mappings, the last one set to `value`) to `map`: block mappings
/// through the core's fix module (indentation, line breaks), flow mappings here, on a new
/// line when the mapping spans lines.
fn insert(text: &str, map: NodeRef<'_>, keys: &[&str], value: &str) -> Option<Edits> {
    let span = map.span();
    let flow = text.get(span.start as usize..).is_some_and(|s| s.starts_with('{'));
    if !flow {
        let edits = kubeharden::fix::insert(text, map, keys, value)?;
        return Some(edits.into_iter().map(|(s, t)| (s.start as usize, s.end as usize, t)).collect());
    }
    let (first, rest) = keys.split_first()?;
    let mut nested = value.to_owned();
    for key in rest.iter().rev() {
        nested = format!("{{{key}: {nested}}}");
    }
    let Some((last_key, last_value)) = map.entries().last() else {
        return Some(vec![(span.start as usize, span.end as usize, format!("{{{first}: {nested}}}"))]);
    };
    let end = last_value.span().end as usize;
    let key_start = last_key.span().start as usize;
    let line_start = text.get(..key_start)?.rfind(['\n', '\r']).map(|i| i + 1);
    let snippet = match line_start.filter(|&ls| ls > span.start as usize) {
        Some(ls) => {
            let indent: String = text.get(ls..key_start)?.chars().take_while(|c| c.is_whitespace()).collect();
            format!(",{}{indent}{first}: {nested}", kubeharden::fix::newline_near(text, end))
        }
        None => format!(", {first}: {nested}"),
    };
    Some(vec![(end, end, snippet)])
}

fn splice(text: &str, mut edits: Edits) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, replacement) in edits {
        if start <= end && end <= out.len() && out.is_char_boundary(start) && out.is_char_boundary(end) {
            out.replace_range(start..end, &replacement);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exempt(text: &str, rule: &str) -> Option<String> {
        let parsed = kubeharden::parse(&Source::new("t.yaml", text), &Limits::default());
        exempted_text(&parsed, ObjectRef { document: 0, item: None }, rule)
    }

    #[test]
    fn block_style_without_annotations() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\nspec: {}\n";
        assert_eq!(
            exempt(text, "pss-privileged").unwrap(),
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\n    annotations:\n      kubeharden.io/ignore: \"pss-privileged\"\n      kubeharden.io/ignore-reason: \"{REASON_PLACEHOLDER}\"\nspec: {{}}\n"
            )
        );
    }

    #[test]
    fn existing_annotations_and_crlf() {
        let text = "kind: Pod\r\nmetadata:\r\n  name: p\r\n  annotations:\r\n    team: web\r\n";
        let out = exempt(text, "pss-privileged").unwrap();
        assert_eq!(
            out,
            format!(
                "kind: Pod\r\nmetadata:\r\n  name: p\r\n  annotations:\r\n    team: web\r\n    kubeharden.io/ignore: \"pss-privileged\"\r\n    kubeharden.io/ignore-reason: \"{REASON_PLACEHOLDER}\"\r\n"
            )
        );
    }

    #[test]
    fn an_existing_list_grows_and_keeps_its_quotes() {
        let text = "kind: Pod\nmetadata:\n  annotations:\n    kubeharden.io/ignore: 'image-tag-latest'\n    kubeharden.io/ignore-reason: legacy\n";
        assert_eq!(
            exempt(text, "pss-privileged").unwrap(),
            "kind: Pod\nmetadata:\n  annotations:\n    kubeharden.io/ignore: 'image-tag-latest, pss-privileged'\n    kubeharden.io/ignore-reason: legacy\n"
        );
        assert_eq!(exempt(text, "image-tag-latest"), None, "already exempt, reason given");
    }

    #[test]
    fn flow_mappings_and_json() {
        let text = "kind: Pod\nmetadata: {name: p}\n";
        assert_eq!(
            exempt(text, "x-rule").unwrap(),
            format!(
                "kind: Pod\nmetadata: {{name: p, annotations: {{kubeharden.io/ignore: \"x-rule\", kubeharden.io/ignore-reason: \"{REASON_PLACEHOLDER}\"}}}}\n"
            )
        );
        let json = "{\n  \"kind\": \"Pod\",\n  \"metadata\": {\n    \"name\": \"p\"\n  }\n}\n";
        let out = exempt(json, "x-rule").unwrap();
        assert_eq!(
            out,
            format!(
                "{{\n  \"kind\": \"Pod\",\n  \"metadata\": {{\n    \"name\": \"p\",\n    \"annotations\": {{\"kubeharden.io/ignore\": \"x-rule\", \"kubeharden.io/ignore-reason\": \"{REASON_PLACEHOLDER}\"}}\n  }}\n}}\n"
            )
        );
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }

    #[test]
    fn objects_of_a_list() {
        let text = "kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata:\n    name: b\n";
        let parsed = kubeharden::parse(&Source::new("t.yaml", text), &Limits::default());
        let at = text.find("name: b").unwrap() as u32;
        let object = object_at(&parsed, 1, at).unwrap();
        assert_eq!(object, ObjectRef { document: 0, item: Some(1) });
        let out = exempted_text(&parsed, object, "r").unwrap();
        assert!(out.ends_with(&format!("    name: b\n    annotations:\n      kubeharden.io/ignore: \"r\"\n      kubeharden.io/ignore-reason: \"{REASON_PLACEHOLDER}\"\n")), "{out}");
        assert!(out.contains("metadata: {name: a}\n"));
    }
}
