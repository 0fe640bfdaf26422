//! A rule's `fieldPath` (apiextensions `ValidFieldPath`): `.spec.replicas`, `.labels['a.b']`,
//! a JSON path of field and map accesses from the node the rule sits on, checked against its
//! schema. The path the API server prints is the normalized form: fields joined by `.`, map
//! keys in brackets (`spec.labels[a.b]`).

use super::Seg;
use super::schema::Node;

/// The steps of `path` below `node`, or why it is not valid.
pub fn parse(path: &str, node: &Node) -> Result<Vec<Seg>, String> {
    let mut out = Vec::new();
    let mut schema = node;
    let mut rest = path;
    while !rest.is_empty() {
        let name = if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let (name, tail) = after.split_at(end);
            rest = tail;
            name.to_string()
        } else if let Some(after) = rest.strip_prefix("['") {
            let (name, tail) = quoted(after)?;
            rest = tail.strip_prefix(']').ok_or_else(|| "expected ] after the quoted key".to_string())?;
            name
        } else if rest.starts_with('[') {
            return Err(format!("expected single quoted string but got {}", rest.trim_start_matches('[')));
        } else {
            return Err(format!("expected [ or . but got: {rest}"));
        };
        if !schema.properties.is_empty() {
            schema = schema.properties.get(&name).ok_or_else(|| "does not refer to a valid field".to_string())?;
            out.push(Seg::Field(name));
        } else if let Some(values) = schema.additional.as_deref() {
            schema = values;
            out.push(Seg::Key(name));
        } else {
            return Err("does not refer to a valid field".into());
        }
    }
    Ok(out)
}

/// A single-quoted key up to its closing quote, with `\\'` and `\\\\` escapes.
fn quoted(text: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return Ok((out, text.get(i + 1..).unwrap_or(""))),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('\'') => out.push('\''),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => return Err(format!("invalid string literal: invalid escape char \\{other}")),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err("unexpected end of JSON path".into())
}

/// The normalized path the API server prints (`field.Path.String()` of the parsed steps).
pub fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Field(f) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(f);
            }
            Seg::Key(k) => out.push_str(&format!("[{k}]")),
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
