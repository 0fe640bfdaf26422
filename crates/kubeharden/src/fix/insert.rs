//! Edits of mappings that respect the document's own layout: replace a scalar, or add a
//! missing field (and the mappings leading to it) in block or flow style, with the indentation
//! and line endings already in use.

use super::Edits;
use super::text::{closing, line_end, line_start, newline_near};
use crate::source::{ByteSpan, NodeRef};

/// Replaces a value's text.
pub fn replace(node: NodeRef<'_>, text: &str) -> Edits {
    vec![(node.span(), text.to_owned())]
}

/// Sets `path` (keys below `map`) to `value`, creating the mappings that are missing. Returns
/// `None` when the layout is too unusual to edit safely (an explicit null on the way, a
/// non-mapping, a key already present).
pub fn insert(text: &str, map: NodeRef<'_>, path: &[&str], value: &str) -> Option<Edits> {
    let mut current = map;
    let mut rest = path;
    while let Some((first, tail)) = rest.split_first() {
        match current.get(first) {
            Some(child) if child.is_map() && !tail.is_empty() => {
                current = child;
                rest = tail;
            }
            Some(_) => return None,
            None => break,
        }
    }
    if rest.is_empty() || !current.is_map() {
        return None;
    }
    let newline = newline_near(text, current.span().start as usize);
    let span = current.span();
    let starts_flow = text.get(span.start as usize..).is_some_and(|s| s.starts_with('{'));
    if starts_flow {
        return insert_flow(text, current, rest, value);
    }
    // Block mapping: a new line after the last entry, at the indentation of the first key.
    let (first_key, _) = current.entries().next()?;
    let key_start = first_key.span().start as usize;
    let indent = text.get(line_start(text, key_start)?..key_start)?;
    if !indent.bytes().all(|b| b == b' ') {
        // A key after `- ` on a sequence item: indent like it, with spaces.
        return insert_block(text, current, rest, value, &" ".repeat(indent.chars().count()), newline);
    }
    insert_block(text, current, rest, value, indent, newline)
}

fn insert_block(
    text: &str,
    map: NodeRef<'_>,
    keys: &[&str],
    value: &str,
    indent: &str,
    newline: &str,
) -> Option<Edits> {
    let (_, last_value) = map.entries().last()?;
    let end = last_value.span().end as usize;
    let line_end = line_end(text, end)?;
    let mut snippet = String::new();
    let mut pad = indent.to_owned();
    for (i, key) in keys.iter().enumerate() {
        snippet.push_str(newline);
        snippet.push_str(&pad);
        snippet.push_str(key);
        snippet.push(':');
        if i + 1 == keys.len() {
            snippet.push(' ');
            snippet.push_str(value);
        }
        pad.push_str("  ");
    }
    Some(vec![(ByteSpan::new(line_end, line_end), snippet)])
}

fn insert_flow(text: &str, map: NodeRef<'_>, keys: &[&str], value: &str) -> Option<Edits> {
    let mut nested = value.to_owned();
    for key in keys.iter().skip(1).rev() {
        nested = format!("{{{key}: {nested}}}");
    }
    let first = keys.first()?;
    let span = map.span();
    if map.is_empty() {
        // `{}`: fill it.
        return Some(vec![(span, format!("{{{first}: {nested}}}"))]);
    }
    let close = closing(text, span.start as usize)?;
    Some(vec![(ByteSpan::new(close, close), format!(", {first}: {nested}"))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Limits, Source, parse};

    fn apply(text: &str, path: &[&str], parent: &[&str], value: &str) -> Option<String> {
        let parsed = parse(&Source::new("t.yaml", text), &Limits::default());
        let root = parsed.tree.node(parsed.documents.first()?.root);
        let map = root.at(parent)?;
        let edits = insert(text, map, path, value)?;
        let mut out = text.to_owned();
        for (span, snippet) in edits.iter().rev() {
            out.replace_range(span.start as usize..span.end as usize, snippet);
        }
        Some(out)
    }

    #[test]
    fn adds_a_field_to_a_block_mapping() {
        let text = "spec:\n  containers: []\n  securityContext:\n    runAsUser: 1000\nstatus: {}\n";
        let out = apply(text, &["runAsNonRoot"], &["spec", "securityContext"], "true").unwrap();
        assert_eq!(
            out,
            "spec:\n  containers: []\n  securityContext:\n    runAsUser: 1000\n    runAsNonRoot: true\nstatus: {}\n"
        );
    }

    #[test]
    fn creates_missing_mappings() {
        let text = "spec:\n  hostNetwork: false\n";
        let out = apply(text, &["securityContext", "runAsNonRoot"], &["spec"], "true").unwrap();
        assert_eq!(out, "spec:\n  hostNetwork: false\n  securityContext:\n    runAsNonRoot: true\n");
    }

    #[test]
    fn flow_mappings_stay_flow() {
        let text = "spec: {a: 1}\n";
        assert_eq!(apply(text, &["b", "c"], &["spec"], "true").unwrap(), "spec: {a: 1, b: {c: true}}\n");
        let text = "spec: {a: {}}\n";
        assert_eq!(apply(text, &["c"], &["spec", "a"], "true").unwrap(), "spec: {a: {c: true}}\n");
    }

    #[test]
    fn sequence_items_keep_their_indentation() {
        let text = "containers:\n- name: app\n  image: nginx\n";
        let parsed = parse(&Source::new("t.yaml", text), &Limits::default());
        let root = parsed.tree.node(parsed.documents[0].root);
        let container = root.get("containers").unwrap().items().next().unwrap();
        let edits = insert(text, container, &["securityContext", "privileged"], "false").unwrap();
        let mut out = text.to_owned();
        out.replace_range(edits[0].0.start as usize..edits[0].0.end as usize, &edits[0].1);
        assert_eq!(out, "containers:\n- name: app\n  image: nginx\n  securityContext:\n    privileged: false\n");
    }

    #[test]
    fn keeps_crlf_line_breaks() {
        let text = "spec:\r\n  hostNetwork: false\r\n";
        let out = apply(text, &["securityContext", "runAsNonRoot"], &["spec"], "true").unwrap();
        assert_eq!(out, "spec:\r\n  hostNetwork: false\r\n  securityContext:\r\n    runAsNonRoot: true\r\n");
    }

    #[test]
    fn refuses_unusual_layouts() {
        assert!(apply("spec:\n  securityContext:\n", &["securityContext", "x"], &["spec"], "1").is_none());
        assert!(apply("spec:\n  a: 1\n", &["a"], &["spec"], "2").is_none());
    }
}
