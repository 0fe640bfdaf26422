//! Helpers shared by the Pod Security Standards rules: the message shape, the values upstream
//! compares against, and where a finding about a missing field points.

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

/// The string value of a map entry as Go decodes it into a `map[string]string`: an explicit
/// null is the empty string.
pub fn str_or_empty<'s>(node: NodeRef<'s>) -> &'s str {
    node.str().unwrap_or("")
}
