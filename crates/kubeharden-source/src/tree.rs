//! A compact, position-carrying tree of one source.
//!
//! Nodes live in one arena per source and are addressed by [`NodeId`]. An alias is not copied:
//! the aliasing parent simply points at the anchored node again, so a billion-laughs document
//! costs no memory (its *expanded* size is bounded separately while building). Merge keys (`<<`)
//! are resolved when a mapping closes, so every reader sees the mapping the API server sees.

use super::scalar::{Scalar, ScalarStyle, TagHint, resolve};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub(crate) u32);

/// A byte range in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSpan {
    pub start: u32,
    pub end: u32,
}

impl ByteSpan {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        ByteSpan { start: clamp(start), end: clamp(end.max(start)) }
    }
}

/// What a node is. A scalar's value is its kind, except for numbers, whose value is read from
/// their text again when asked for (rules ask for few of them; storing every value would double
/// the size of each node).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null,
    True,
    False,
    Str,
    Timestamp,
    Number,
    Seq,
    Map,
}

/// One node, in 20 bytes: the tree holds one per scalar, sequence and mapping of the input, so
/// its size is most of the memory a lint takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    span: ByteSpan,
    /// A scalar's text start in [`Tree::strings`]; the first item or entry of a sequence or
    /// mapping.
    a: u32,
    /// A scalar's text length; the number of items or entries.
    b: u32,
    kind: Kind,
    style: ScalarStyle,
}

/// One mapping entry after merge-key resolution.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) key: NodeId,
    pub(crate) value: NodeId,
}

/// The nodes, in chunks of 4,096: past the first chunk (which grows as a vector does, so that a
/// small file costs little), growing never copies them, so a tree of a million nodes never
/// holds a second, half-size copy of itself while it grows (in wasm, memory taken for such a
/// copy stays in the module).
#[derive(Debug, Default)]
struct Nodes {
    chunks: Vec<Vec<Node>>,
    len: usize,
}

impl Nodes {
    const CHUNK: usize = 4096;

    fn push(&mut self, node: Node) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < Self::CHUNK => chunk.push(node),
            Some(_) => {
                let mut chunk = Vec::with_capacity(Self::CHUNK);
                chunk.push(node);
                self.chunks.push(chunk);
            }
            None => self.chunks.push(vec![node]),
        }
        self.len += 1;
    }

    fn get(&self, index: usize) -> Option<&Node> {
        self.chunks.get(index / Self::CHUNK)?.get(index % Self::CHUNK)
    }

    fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.chunks.truncate(len.div_ceil(Self::CHUNK));
        if let Some(last) = self.chunks.last_mut() {
            last.truncate(len - (len.div_ceil(Self::CHUNK) - 1) * Self::CHUNK);
        }
        self.len = len;
    }
}

/// The sizes of a [`Tree`]'s arenas at one moment, to drop what was added after it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TreeMark {
    nodes: usize,
    items: usize,
    entries: usize,
    strings: usize,
}

#[derive(Debug, Default)]
pub struct Tree {
    nodes: Nodes,
    pub(crate) items: Vec<NodeId>,
    pub(crate) entries: Vec<Entry>,
    /// Scalar texts, concatenated (escapes and folding already applied).
    pub(crate) strings: String,
}

impl Tree {
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { tree: self, id }
    }

    pub fn len(&self) -> usize {
        self.nodes.len
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len == 0
    }

    pub(crate) fn mark(&self) -> TreeMark {
        TreeMark {
            nodes: self.nodes.len,
            items: self.items.len(),
            entries: self.entries.len(),
            strings: self.strings.len(),
        }
    }

    /// Drops every node added since `mark` (a document read again from the start).
    pub(crate) fn rollback(&mut self, mark: TreeMark) {
        self.nodes.truncate(mark.nodes);
        self.items.truncate(mark.items);
        self.entries.truncate(mark.entries);
        self.strings.truncate(mark.strings);
    }

    /// Adds the nodes of `other` after this tree's, as if they had been read into it: their
    /// ids, children and texts move up by this tree's sizes. Returns the id of `other`'s first
    /// node here. Into an empty tree, `other` is moved, not copied.
    pub(crate) fn append(&mut self, other: Tree) -> u32 {
        if self.nodes.len == 0 && self.items.is_empty() && self.entries.is_empty() && self.strings.is_empty() {
            *self = other;
            return 0;
        }
        let offset = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        let (base, items, entries, strings) =
            (offset(self.nodes.len), offset(self.items.len()), offset(self.entries.len()), offset(self.strings.len()));
        let shift = |id: NodeId| NodeId(id.0.saturating_add(base));
        self.items.extend(other.items.iter().map(|&id| shift(id)));
        self.entries.extend(other.entries.iter().map(|e| Entry { key: shift(e.key), value: shift(e.value) }));
        self.strings.push_str(&other.strings);
        for node in other.nodes.chunks.iter().flatten() {
            let moved = match node.kind {
                Kind::Seq => items,
                Kind::Map => entries,
                _ => strings,
            };
            self.nodes.push(Node { a: node.a.saturating_add(moved), ..*node });
        }
        base
    }

    fn raw(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0 as usize)
    }

    fn push(&mut self, node: Node) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len).unwrap_or(u32::MAX));
        self.nodes.push(node);
        id
    }

    /// Adds a scalar with its text (after unescaping) and typed value.
    pub(crate) fn push_scalar(&mut self, span: ByteSpan, text: &str, style: ScalarStyle, value: Scalar) -> NodeId {
        // Only plain scalars resolve to numbers, so `text` is all a number needs.
        let start = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        self.strings.push_str(text);
        let kind = match value {
            Scalar::Null => Kind::Null,
            Scalar::Bool(true) => Kind::True,
            Scalar::Bool(false) => Kind::False,
            Scalar::Str => Kind::Str,
            Scalar::Timestamp => Kind::Timestamp,
            Scalar::Int(_) | Scalar::UInt(_) | Scalar::Float(_) => Kind::Number,
        };
        self.push(Node { span, a: start, b: len, kind, style })
    }

    /// Adds a sequence of the items `first..first + len` of [`Tree::items`].
    pub(crate) fn push_seq(&mut self, span: ByteSpan, first: u32, len: u32) -> NodeId {
        self.push(Node { span, a: first, b: len, kind: Kind::Seq, style: ScalarStyle::Plain })
    }

    /// Adds a mapping of the entries `first..first + len` of [`Tree::entries`].
    pub(crate) fn push_map(&mut self, span: ByteSpan, first: u32, len: u32) -> NodeId {
        self.push(Node { span, a: first, b: len, kind: Kind::Map, style: ScalarStyle::Plain })
    }

    /// The `(first, len)` range of a collection node's children.
    fn children(&self, id: NodeId, kind: Kind) -> std::ops::Range<usize> {
        match self.raw(id) {
            Some(n) if n.kind == kind => n.a as usize..(n.a as usize).saturating_add(n.b as usize),
            _ => 0..0,
        }
    }
}

/// A read-only handle to a node. Every accessor is total: a missing key, a wrong shape or a
/// wrong scalar type gives `None`, never a panic. Type errors are reported once, by the
/// `invalid-resource` rule, so individual rules can read optimistically.
#[derive(Clone, Copy)]
pub struct NodeRef<'t> {
    tree: &'t Tree,
    id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node#{}@{:?}", self.id.0, self.span())
    }
}

impl<'t> NodeRef<'t> {
    pub fn id(self) -> NodeId {
        self.id
    }

    pub fn tree(self) -> &'t Tree {
        self.tree
    }

    pub fn span(self) -> ByteSpan {
        self.tree.raw(self.id).map(|n| n.span).unwrap_or_default()
    }

    fn kind(self) -> Option<Kind> {
        self.tree.raw(self.id).map(|n| n.kind)
    }

    pub fn is_map(self) -> bool {
        self.kind() == Some(Kind::Map)
    }

    pub fn is_seq(self) -> bool {
        self.kind() == Some(Kind::Seq)
    }

    pub fn is_scalar(self) -> bool {
        self.kind().is_some_and(|k| !matches!(k, Kind::Seq | Kind::Map))
    }

    /// An explicit or implied null (`key:` with no value, `~`, `null`).
    pub fn is_null(self) -> bool {
        self.kind() == Some(Kind::Null)
    }

    pub fn scalar(self) -> Option<Scalar> {
        let node = self.tree.raw(self.id)?;
        Some(match node.kind {
            Kind::Null => Scalar::Null,
            Kind::True => Scalar::Bool(true),
            Kind::False => Scalar::Bool(false),
            Kind::Str => Scalar::Str,
            Kind::Timestamp => Scalar::Timestamp,
            // A plain scalar that resolved to a number resolves to the same number again (the
            // tag only decides timestamps, which numbers are not).
            Kind::Number => resolve(self.text()?, ScalarStyle::Plain, TagHint::Core),
            Kind::Seq | Kind::Map => return None,
        })
    }

    pub fn style(self) -> Option<ScalarStyle> {
        self.tree.raw(self.id).filter(|_| self.is_scalar()).map(|n| n.style)
    }

    /// The scalar's text as written (after unescaping), whatever its type.
    pub fn text(self) -> Option<&'t str> {
        let node = self.tree.raw(self.id).filter(|n| !matches!(n.kind, Kind::Seq | Kind::Map))?;
        self.tree.strings.get(node.a as usize..(node.a as usize).saturating_add(node.b as usize))
    }

    /// The value as a string field reads it: strings, and the string form of numbers, booleans
    /// and timestamps. `None` for null, mappings and sequences.
    pub fn str(self) -> Option<&'t str> {
        // By the node's kind, not through `scalar()`: a number's string form is its text, so
        // it need not be resolved again (this runs for every key a lookup compares).
        match self.tree.raw(self.id)?.kind {
            Kind::Null | Kind::Seq | Kind::Map => None,
            Kind::True => Some("true"),
            Kind::False => Some("false"),
            Kind::Str | Kind::Timestamp | Kind::Number => self.text(),
        }
    }

    /// A real string (not a number or boolean that a string field would accept).
    pub fn string(self) -> Option<&'t str> {
        match self.scalar()? {
            Scalar::Str | Scalar::Timestamp => self.text(),
            _ => None,
        }
    }

    pub fn bool(self) -> Option<bool> {
        match self.scalar()? {
            Scalar::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// An integer field's value. A float with no fraction is accepted, as JSON decoding does.
    pub fn int(self) -> Option<i64> {
        match self.scalar()? {
            Scalar::Int(i) => Some(i),
            Scalar::UInt(u) => i64::try_from(u).ok(),
            Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// Sequence items; empty for anything that is not a sequence.
    pub fn items(self) -> impl DoubleEndedIterator<Item = NodeRef<'t>> + ExactSizeIterator + 't {
        let tree = self.tree;
        let range = tree.children(self.id, Kind::Seq);
        tree.items.get(range).unwrap_or(&[]).iter().map(move |&id| NodeRef { tree, id })
    }

    /// Number of items (sequence) or entries (mapping).
    pub fn len(self) -> usize {
        match self.tree.raw(self.id) {
            Some(n) if matches!(n.kind, Kind::Seq | Kind::Map) => n.b as usize,
            _ => 0,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Mapping entries (key, value) after merge keys; empty for anything else.
    pub fn entries(self) -> impl DoubleEndedIterator<Item = (NodeRef<'t>, NodeRef<'t>)> + ExactSizeIterator + 't {
        let tree = self.tree;
        let range = tree.children(self.id, Kind::Map);
        tree.entries
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(move |e| (NodeRef { tree, id: e.key }, NodeRef { tree, id: e.value }))
    }

    /// The entry for `key` (its key node and value node).
    pub fn entry(self, key: &str) -> Option<(NodeRef<'t>, NodeRef<'t>)> {
        self.entries().find(|(k, _)| k.key_str() == Some(key))
    }

    /// The value at `key`.
    pub fn get(self, key: &str) -> Option<NodeRef<'t>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The value at `key`, ignoring an explicit null (`key:` or `key: null` means unset).
    pub fn field(self, key: &str) -> Option<NodeRef<'t>> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// Follows a dotted path of mapping keys.
    pub fn at(self, path: &[&str]) -> Option<NodeRef<'t>> {
        path.iter().try_fold(self, |node, key| node.field(key))
    }

    /// The field path (`spec.containers[0].image`) from this node down to the innermost key or
    /// value whose text contains `byte`. Empty when `byte` is this node itself.
    pub fn path_to(self, byte: u32) -> String {
        let inside = |n: NodeRef<'_>| {
            let s = n.span();
            s.start <= byte && byte < s.end.max(s.start + 1)
        };
        let mut path = String::new();
        let mut node = self;
        // Bounded by the depth of the tree; an alias pointing back up cannot loop because a
        // child's span is strictly inside its parent's or the walk stops.
        for _ in 0..self.tree.nodes.len.min(10_000) {
            let next = if node.is_map() {
                node.entries().find(|(k, v)| inside(*k) || inside(*v)).map(|(k, v)| {
                    let key = k.key_str().unwrap_or("?");
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    if inside(k) { None } else { Some(v) }
                })
            } else if node.is_seq() {
                node.items().enumerate().find(|(_, v)| inside(*v)).map(|(i, v)| {
                    path.push_str(&format!("[{i}]"));
                    Some(v)
                })
            } else {
                None
            };
            match next {
                Some(Some(child)) if child.id != node.id => node = child,
                _ => break,
            }
        }
        path
    }

    /// How a mapping key compares: its string form, as JSON conversion would make it.
    pub fn key_str(self) -> Option<&'t str> {
        match self.tree.raw(self.id)?.kind {
            Kind::Null => Some("null"),
            _ => self.str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Limits, Source, parse};

    #[test]
    fn nodes_are_small() {
        // Most of a lint's memory is nodes: keep them at 20 bytes.
        assert_eq!(std::mem::size_of::<super::Node>(), 20);
    }

    #[test]
    fn path_to_names_keys_values_and_items() {
        let text = "spec:\n  containers:\n  - name: a\n    image: nginx\n  hostPID: yes\n";
        let parsed = parse(&Source::new("t.yaml", text), &Limits::default());
        let root = parsed.tree.node(parsed.documents[0].root);
        let at = |needle: &str| text.find(needle).unwrap() as u32;
        assert_eq!(root.path_to(at("nginx")), "spec.containers[0].image");
        assert_eq!(root.path_to(at("image")), "spec.containers[0].image");
        assert_eq!(root.path_to(at("yes")), "spec.hostPID");
        assert_eq!(root.path_to(0), "spec");
    }
}
