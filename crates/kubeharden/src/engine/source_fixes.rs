//! Fixes for what the source reader finds: an ambiguous YAML 1.1 value written the way
//! Kubernetes already reads it (`no` becomes `false`, `0644` becomes `420`), and a duplicate key
//! whose earlier entry, which no client uses, is removed. Both are safe: what the API server
//! (or any client that accepts the object) decodes stays the same.

use crate::fix::Edits;
use crate::source::scalar::Scalar;
use crate::source::{ByteSpan, Issue, IssueKind, NodeRef, ParsedSource};

/// The fix for a source issue at `span` of document `document`, if it has one.
pub fn fix(source: &ParsedSource, issue: &Issue) -> Option<(String, Edits)> {
    let (kind, document, span, related) = (issue.kind, issue.document, issue.span, issue.related);
    let doc = source.documents.iter().find(|d| d.number == document)?;
    let root = source.tree.node(doc.root);
    match kind {
        IssueKind::AmbiguousValue => {
            let node = scalar_at(root, span)?;
            let text = node.text()?;
            let written = match node.scalar()? {
                Scalar::Bool(b) => b.to_string(),
                Scalar::Int(_) | Scalar::UInt(_) => node.int()?.to_string(),
                Scalar::Float(_) => text.replace('_', ""),
                _ => return None,
            };
            Some((format!("write `{text}` as `{written}`, as Kubernetes reads it"), vec![(span, written)]))
        }
        IssueKind::DuplicateKey => {
            let earlier = related?;
            let name = source.text.get(span.start as usize..span.end as usize)?;
            let edits = crate::fix::sequence::remove_lines(&source.text, earlier.start as usize, earlier.end as usize)?;
            Some((format!("remove the earlier `{name}` (the last one is kept)"), edits))
        }
        _ => None,
    }
}

fn contains(outer: ByteSpan, inner: ByteSpan) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The scalar whose span is `span`.
fn scalar_at(node: NodeRef<'_>, span: ByteSpan) -> Option<NodeRef<'_>> {
    if node.is_scalar() {
        return (node.span() == span).then_some(node);
    }
    let children = node.entries().flat_map(|(k, v)| [k, v]).chain(node.items());
    children.filter(|c| contains(c.span(), span)).find_map(|c| scalar_at(c, span))
}
