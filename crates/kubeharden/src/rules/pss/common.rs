//! Helpers shared by the Pod Security Standards rules: the message shape, the values upstream
//! compares against, where a finding about a missing field points, and list-editing fixes.

use crate::model::{Container, PodSpec};
use crate::rules::Message;
use crate::source::{ByteSpan, NodeRef};

/// Every `pss-*` message is `<reason>: <detail>`: upstream's stable forbidden reason (the text
/// the API server prints before the parenthesis), then what exactly is wrong and where.
pub fn message(reason: &str, detail: impl std::fmt::Display) -> Message {
    Message::new(reason, detail)
}

/// Go's `%q` for the plain names and values these messages quote.
pub fn quote(text: &str) -> String {
    format!("{text:?}")
}

/// `spec.os.name: windows` (case-sensitive, as upstream compares it).
pub fn is_windows(pod: &PodSpec<'_>) -> bool {
    pod.os_name() == Some("windows")
}

/// The span of the key of the deepest entry of `path` that exists below `node` (the nearest
/// parent of a missing field), or `None` when even the first key is missing.
pub fn nearest_key(node: NodeRef<'_>, path: &[&str]) -> Option<ByteSpan> {
    let mut current = node;
    let mut found = None;
    for key in path {
        let Some((k, v)) = current.entry(key) else {
            break;
        };
        found = Some(k.span());
        if !v.is_map() {
            break;
        }
        current = v;
    }
    found
}

/// Where a finding about a field missing from a container's securityContext points: the
/// deepest key of `path` (below the container) that is written, else the container's anchor.
pub fn container_anchor(c: &Container<'_>, path: &[&str]) -> ByteSpan {
    nearest_key(c.node, path).unwrap_or_else(|| c.anchor())
}

/// A boolean field as upstream reads it: `Some(true|false)` when set, `Some(false)` is also
/// what a wrong type counts as for "must be true" checks (the API server rejects the object
/// anyway, and `invalid-resource` reports it).
pub fn is_true(node: Option<NodeRef<'_>>) -> bool {
    node.and_then(|n| n.bool()) == Some(true)
}

/// The string value of a map entry as Go decodes it into a `map[string]string`: an explicit
/// null is the empty string.
pub fn str_or_empty<'s>(node: NodeRef<'s>) -> &'s str {
    node.str().unwrap_or("")
}

/// Appends `item` to a sequence, in its own style: a new `- item` line under a block
/// sequence, `, item` before the `]` of a flow sequence. `None` when the layout is unusual.
pub fn append_item(text: &str, seq: NodeRef<'_>, item: &str) -> Option<Vec<(ByteSpan, String)>> {
    if !seq.is_seq() {
        return None;
    }
    let span = seq.span();
    let start = span.start as usize;
    if text.get(start..)?.starts_with('[') {
        return match seq.items().last() {
            None => Some(vec![(span, format!("[{item}]"))]),
            Some(last) => {
                let after = last.span().end as usize;
                let close = after + text.get(after..)?.find(']')?;
                Some(vec![(ByteSpan::new(close, close), format!(", {item}"))])
            }
        };
    }
    // Block sequence: every item is `<indent>- value` on its own line; copy the first one's
    // indentation and add a line after the last item.
    let first = seq.items().next()?;
    let last = seq.items().last()?;
    let first_start = first.span().start as usize;
    let line_start = text.get(..first_start)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = text.get(line_start..first_start)?;
    let dash = prefix.find('-')?;
    let (indent, rest) = prefix.split_at(dash);
    if !indent.bytes().all(|b| b == b' ') || rest.trim_end() != "-" {
        return None;
    }
    let end = last.span().end as usize;
    let line_end = text.get(end..)?.find(['\n', '\r']).map_or(text.len(), |i| end + i);
    let newline = crate::rules::fix::newline_near(text, end);
    Some(vec![(ByteSpan::new(line_end, line_end), format!("{newline}{indent}- {item}"))])
}

/// Deletes a `key: value` entry of a block mapping when it stands alone on its line (only
/// spaces before the key, nothing but a comment after the value). `None` otherwise.
pub fn remove_entry_line(text: &str, key: NodeRef<'_>, value: NodeRef<'_>) -> Option<Vec<(ByteSpan, String)>> {
    let (start, end) = (key.span().start as usize, value.span().end as usize);
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    if !text.get(line_start..start)?.bytes().all(|b| b == b' ') {
        return None;
    }
    let line_end = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i + 1);
    let tail = text.get(end..line_end)?.trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    Some(vec![(ByteSpan::new(line_start, line_end), String::new())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Limits, Source, parse};

    fn append(text: &str, path: &[&str], item: &str) -> Option<String> {
        let parsed = parse(&Source::new("t.yaml", text), &Limits::default());
        let root = parsed.tree.node(parsed.documents.first()?.root);
        let edits = append_item(text, root.at(path)?, item)?;
        let mut out = text.to_owned();
        for (span, snippet) in edits.iter().rev() {
            out.replace_range(span.start as usize..span.end as usize, snippet);
        }
        Some(out)
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
}
