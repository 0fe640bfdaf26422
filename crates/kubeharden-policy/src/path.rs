//! Field paths in objects and where they are in the source: the position of a violation is
//! the most specific field the engine names, else the object's `metadata.name`, else the
//! document.

use kubeharden_source::{ByteSpan, NodeRef};

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    pub fn key(k: &str) -> Segment {
        Segment::Key(k.to_string())
    }
}

/// A JSON pointer (`/spec/validations/0/expression`, RFC 6901 escapes) as a field path.
pub fn from_pointer(pointer: &str) -> Vec<Segment> {
    pointer
        .split('/')
        .skip(1)
        .map(|p| {
            let p = p.replace("~1", "/").replace("~0", "~");
            match p.parse::<usize>() {
                Ok(i) => Segment::Index(i),
                Err(_) => Segment::Key(p),
            }
        })
        .collect()
}

/// `spec.template.spec.containers[0].image`, as the core writes paths.
pub fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The node at `path` below `root`, and the span a finding about it gets: a mapping value is
/// shown by its key (`securityContext:`, `image:`) unless it is a scalar (the value itself),
/// a list item by its first line. Returns the deepest prefix of `path` that exists and its
/// span: a path that goes past the source (a default the engine filled in) stops at the last
/// field that is written.
pub fn locate(root: NodeRef<'_>, path: &[Segment], text: &str) -> (Vec<Segment>, ByteSpan) {
    let mut node = root;
    let mut span = first_line(root.span(), text);
    let mut found = Vec::new();
    for segment in path {
        let next = match segment {
            Segment::Key(k) if node.is_map() => node.entry(k).map(|(key, value)| {
                let shown = if value.is_scalar() && !value.is_null() {
                    value.span()
                } else {
                    ByteSpan { start: key.span().start, end: key.span().end }
                };
                (value, shown)
            }),
            Segment::Index(i) if node.is_seq() => {
                node.items().nth(*i).map(|item| (item, first_line(item.span(), text)))
            }
            _ => None,
        };
        let Some((child, shown)) = next else { break };
        node = child;
        span = shown;
        found.push(segment.clone());
    }
    (found, span)
}

/// A span cut at the end of its first line (a whole list item or mapping would cover the
/// screen).
fn first_line(span: ByteSpan, text: &str) -> ByteSpan {
    let start = span.start as usize;
    let end = span.end as usize;
    let Some(slice) = text.get(start..end.max(start)) else { return span };
    match slice.find('\n') {
        Some(nl) => {
            let line = slice.get(..nl).unwrap_or("").trim_end();
            ByteSpan::new(start, start + line.len().max(1).min(nl.max(1)))
        }
        None => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_paths_as_the_core() {
        let p = [Segment::key("spec"), Segment::key("containers"), Segment::Index(0), Segment::key("image")];
        assert_eq!(render(&p), "spec.containers[0].image");
    }

    #[test]
    fn locates_the_deepest_written_field() {
        let text = "kind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
        let parsed = kubeharden_source::parse(&kubeharden_source::Source::new("p.yaml", text), &Default::default());
        let root = parsed.tree.node(parsed.documents[0].root);
        let path = [Segment::key("spec"), Segment::key("containers"), Segment::Index(0), Segment::key("image")];
        let (found, span) = locate(root, &path, text);
        assert_eq!(found.len(), 4);
        assert_eq!(&text[span.start as usize..span.end as usize], "nginx");
        let path =
            [Segment::key("spec"), Segment::key("containers"), Segment::Index(0), Segment::key("securityContext")];
        let (found, span) = locate(root, &path, text);
        assert_eq!(found.len(), 3);
        assert_eq!(&text[span.start as usize..span.end as usize], "name: app");
        let (_, span) = locate(root, &[Segment::key("spec")], text);
        assert_eq!(&text[span.start as usize..span.end as usize], "spec");
    }
}
