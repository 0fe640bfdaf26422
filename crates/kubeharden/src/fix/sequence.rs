//! Edits of lists and of whole entries, in the style of the list: add an item, remove an item
//! or a `key: value` line, turn a mapping into a one-item list, append a document.

use super::Edits;
use super::text::{before_on_line, closing, line_end, line_start, newline_at_end, newline_near};
use crate::source::{ByteSpan, NodeRef};

/// Appends `item` to a sequence, in its own style: a new `- item` line under a block
/// sequence, `, item` before the `]` of a flow sequence. `None` when the layout is unusual.
pub fn append_item(text: &str, seq: NodeRef<'_>, item: &str) -> Option<Edits> {
    if !seq.is_seq() {
        return None;
    }
    let span = seq.span();
    let start = span.start as usize;
    if text.get(start..)?.starts_with('[') {
        return match seq.items().last() {
            None => Some(vec![(span, format!("[{item}]"))]),
            Some(_) => {
                let close = closing(text, start)?;
                Some(vec![(ByteSpan::new(close, close), format!(", {item}"))])
            }
        };
    }
    // Block sequence: every item is `<indent>- value` on its own line; copy the first one's
    // indentation and add a line after the last item.
    let first = seq.items().next()?;
    let last = seq.items().last()?;
    let indent = dash_indent(text, first)?;
    let end = last.span().end as usize;
    let line_end = line_end(text, end)?;
    let newline = newline_near(text, end);
    Some(vec![(ByteSpan::new(line_end, line_end), format!("{newline}{indent}- {item}"))])
}

/// Inserts `item` before the item at `index`, in the sequence's style: a `- item` line above it
/// in a block sequence, `item, ` before it in a flow sequence.
pub fn insert_item_before(text: &str, seq: NodeRef<'_>, index: usize, item: &str) -> Option<Edits> {
    let at = seq.items().nth(index)?;
    let start = at.span().start as usize;
    if text.get(seq.span().start as usize..)?.starts_with('[') {
        return Some(vec![(ByteSpan::new(start, start), format!("{item}, "))]);
    }
    let indent = dash_indent(text, at)?;
    let line = line_start(text, start)?;
    Some(vec![(ByteSpan::new(line, line), format!("{indent}- {item}{}", newline_near(text, start)))])
}

/// The spaces before the `- ` of a block sequence item whose dash starts its line.
fn dash_indent<'t>(text: &'t str, item: NodeRef<'_>) -> Option<&'t str> {
    let prefix = before_on_line(text, item.span().start as usize)?;
    let dash = prefix.find('-')?;
    let (indent, rest) = prefix.split_at(dash);
    (indent.bytes().all(|b| b == b' ') && rest.trim_end() == "-").then_some(indent)
}

/// Removes the item at `index` from a sequence. In a block sequence the item's lines go
/// (they must hold nothing else but a trailing comment); in a flow sequence the item and one
/// comma. The last item left becomes `[]`. `None` when the layout is unusual.
pub fn remove_item(text: &str, seq: NodeRef<'_>, index: usize) -> Option<Edits> {
    let items: Vec<NodeRef<'_>> = seq.items().collect();
    let item = *items.get(index)?;
    let (start, end) = (item.span().start as usize, item.span().end as usize);
    if text.get(seq.span().start as usize..)?.starts_with('[') {
        let edit = match (index.checked_sub(1).and_then(|i| items.get(i)), items.get(index + 1)) {
            (Some(prev), _) => ByteSpan::new(prev.span().end as usize, end),
            (None, Some(next)) => ByteSpan::new(start, next.span().start as usize),
            (None, None) => ByteSpan::new(start, end),
        };
        return Some(vec![(edit, String::new())]);
    }
    dash_indent(text, item)?;
    let dash_line = line_start(text, start)?;
    let after = text.get(end..line_end(text, end)?)?.trim();
    if !(after.is_empty() || after.starts_with('#')) || text.get(start..end)?.contains('#') {
        return None;
    }
    if items.len() == 1 {
        // `key:` then the item on the next line becomes `key: []` (a `[]` alone on the next
        // line would be read as a key when the item is not indented below its key).
        let key_end = text.get(..dash_line)?.trim_end_matches(['\n', '\r']).len();
        if !text.get(..key_end)?.ends_with(':') {
            return None;
        }
        return Some(vec![(ByteSpan::new(key_end, end), " []".to_owned())]);
    }
    Some(vec![(ByteSpan::new(dash_line, next_line(text, end)?), String::new())])
}

/// The offset just after the line break ending `at`'s line (the end of the text on the last).
fn next_line(text: &str, at: usize) -> Option<usize> {
    let end = line_end(text, at)?;
    Some(match text.get(end..)? {
        t if t.starts_with("\r\n") => end + 2,
        t if t.starts_with(['\n', '\r']) => end + 1,
        _ => end,
    })
}

/// Deletes a `key: value` entry of a block mapping when it stands alone on its lines (only
/// spaces before the key, nothing but a comment after the value). `None` otherwise.
pub fn remove_entry_line(text: &str, key: NodeRef<'_>, value: NodeRef<'_>) -> Option<Edits> {
    remove_lines(text, key.span().start as usize, value.span().end as usize)
}

/// Deletes the lines from `start` to `end` when nothing else is on them (only spaces before
/// `start`, nothing but a comment after `end`). `None` otherwise.
pub fn remove_lines(text: &str, start: usize, end: usize) -> Option<Edits> {
    let line_start = line_start(text, start)?;
    if !text.get(line_start..start)?.bytes().all(|b| b == b' ') {
        return None;
    }
    let tail = text.get(end..line_end(text, end)?)?.trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    Some(vec![(ByteSpan::new(line_start, next_line(text, end)?), String::new())])
}

/// Turns a mapping into a one-item list: `{a: 1}` becomes `[{a: 1}]`; a block mapping gets a
/// `- ` before its first key and two more spaces before each of its following lines.
pub fn wrap_in_list(text: &str, map: NodeRef<'_>) -> Option<Edits> {
    let span = map.span();
    let start = span.start as usize;
    if text.get(start..)?.starts_with('{') {
        let close = closing(text, start)? + 1;
        return Some(vec![(ByteSpan::new(start, start), "[".into()), (ByteSpan::new(close, close), "]".into())]);
    }
    let (first_key, _) = map.entries().next()?;
    let key_start = first_key.span().start as usize;
    let end = map.entries().last()?.1.span().end as usize;
    let mut edits = vec![(ByteSpan::new(key_start, key_start), "- ".to_owned())];
    let body = text.get(key_start..end)?;
    let mut offset = key_start;
    for line in body.split_inclusive('\n') {
        let next = offset + line.len();
        if next < end && text.get(next..)?.lines().next().is_some_and(|l| !l.trim().is_empty()) {
            edits.push((ByteSpan::new(next, next), "  ".to_owned()));
        }
        offset = next;
    }
    Some(edits)
}

/// Appends a YAML document (given as lines, without `---`) at the end of the text, with the
/// text's line break.
pub fn append_document(text: &str, lines: &[&str]) -> Edits {
    let newline = newline_at_end(text);
    let lead = if text.is_empty() || text.ends_with('\n') { "" } else { newline };
    let mut doc = String::from(lead);
    doc.push_str("---");
    for line in lines {
        doc.push_str(newline);
        doc.push_str(line);
    }
    doc.push_str(newline);
    vec![(ByteSpan::new(text.len(), text.len()), doc)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_bytes;
    use crate::source::{Limits, Source, parse};

    fn edit_at(text: &str, path: &[&str], f: impl Fn(&str, NodeRef<'_>) -> Option<Edits>) -> Option<String> {
        let parsed = parse(&Source::new("t.yaml", text), &Limits::default());
        let root = parsed.tree.node(parsed.documents.first()?.root);
        apply_bytes(text, &f(text, root.at(path)?)?)
    }

    fn append(text: &str, path: &[&str], item: &str) -> Option<String> {
        edit_at(text, path, |t, n| append_item(t, n, item))
    }

    fn remove(text: &str, path: &[&str], index: usize) -> Option<String> {
        edit_at(text, path, |t, n| remove_item(t, n, index))
    }

    #[test]
    fn appends_to_block_and_flow_sequences() {
        assert_eq!(
            append("drop:\n- NET_RAW\nadd: []\n", &["drop"], "ALL").unwrap(),
            "drop:\n- NET_RAW\n- ALL\nadd: []\n"
        );
        assert_eq!(
            append("c:\n  drop:\n    - NET_RAW\n    - CHOWN\n", &["c", "drop"], "ALL").unwrap(),
            "c:\n  drop:\n    - NET_RAW\n    - CHOWN\n    - ALL\n"
        );
        assert_eq!(append("drop: [NET_RAW]\n", &["drop"], "ALL").unwrap(), "drop: [NET_RAW, ALL]\n");
        assert_eq!(append("drop: []\n", &["drop"], "ALL").unwrap(), "drop: [ALL]\n");
        assert_eq!(append("{\"drop\": [\"X\"]}", &["drop"], "\"ALL\"").unwrap(), "{\"drop\": [\"X\", \"ALL\"]}");
    }

    #[test]
    fn removes_items_in_their_style() {
        assert_eq!(remove("add: [A, B, C]\n", &["add"], 1).unwrap(), "add: [A, C]\n");
        assert_eq!(remove("add: [A, B]\n", &["add"], 0).unwrap(), "add: [B]\n");
        assert_eq!(remove("add: [A]\n", &["add"], 0).unwrap(), "add: []\n");
        assert_eq!(remove("add:\n- A # why\n- B\nx: 1\n", &["add"], 0).unwrap(), "add:\n- B\nx: 1\n");
        assert_eq!(remove("add:\r\n  - A\r\n  - B\r\n", &["add"], 1).unwrap(), "add:\r\n  - A\r\n");
        assert_eq!(remove("add:\n  - A\nx: 1\n", &["add"], 0).unwrap(), "add: []\nx: 1\n");
        assert_eq!(remove("c:\n  add:\n  - A\n  x: 1\n", &["c", "add"], 0).unwrap(), "c:\n  add: []\n  x: 1\n");
        assert_eq!(
            remove("s:\n- name: a\n  value: \"1\"\n- name: b\n  value: \"2\"\n", &["s"], 0).unwrap(),
            "s:\n- name: b\n  value: \"2\"\n"
        );
        // A comment inside the item would go with it: left alone.
        assert!(remove("s:\n- name: a # why\n  value: b\n- name: c\n", &["s"], 0).is_none());
    }

    #[test]
    fn inserts_items_before_others() {
        let before = |text: &str, i| edit_at(text, &["r"], |t, n| insert_item_before(t, n, i, "{a: 1}"));
        assert_eq!(before("r:\n- x\n- y\n", 1).unwrap(), "r:\n- x\n- {a: 1}\n- y\n");
        assert_eq!(before("r:\r\n  - x\r\n", 0).unwrap(), "r:\r\n  - {a: 1}\r\n  - x\r\n");
        assert_eq!(before("r: [x, y]\n", 1).unwrap(), "r: [x, {a: 1}, y]\n");
    }

    #[test]
    fn removes_entry_lines() {
        let text = "a:\r\n  hostPort: 80 # web\r\n  b: 1\r\n";
        let out = edit_at(text, &["a"], |t, n| {
            let (k, v) = n.entry("hostPort")?;
            remove_entry_line(t, k, v)
        });
        assert_eq!(out.unwrap(), "a:\r\n  b: 1\r\n");
    }

    #[test]
    fn appends_documents_with_the_text_line_break() {
        let text = "a: 1\r\n";
        assert_eq!(apply_bytes(text, &append_document(text, &["b: 2"])).unwrap(), "a: 1\r\n---\r\nb: 2\r\n");
        let text = "a: 1";
        assert_eq!(apply_bytes(text, &append_document(text, &["b: 2"])).unwrap(), "a: 1\n---\nb: 2\n");
    }
}
