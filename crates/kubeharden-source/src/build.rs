//! Builds the arena tree of one document from saphyr-parser events.
//!
//! The builder never recurses: nesting lives on an explicit stack, so depth is bounded by the
//! configured limit instead of the (1 MiB in wasm) machine stack. Aliases point at the anchored
//! node; each node's expanded size is tracked so an alias bomb stops at the budget.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span, StrInput, Tag};

use super::lines::LineIndex;
use super::scalar::{ScalarStyle, TagHint, resolve, yaml11_ambiguity};
use super::tree::{ByteSpan, Entry, NodeId, Tree};
use super::{IssueKind, Issues, Limits};

/// Converts saphyr's character indexes into byte offsets of the source.
struct Offsets<'a> {
    text: &'a str,
    base: usize,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        Offsets { text, base, ascii: text.is_ascii(), char_pos: 0, byte_pos: 0 }
    }

    /// Byte offset (in the whole source) of a character index in this chunk. Markers arrive
    /// nearly in order, so walking from the previous answer is cheap.
    fn byte(&mut self, char_idx: usize) -> usize {
        if self.ascii {
            return self.base + char_idx.min(self.text.len());
        }
        while self.char_pos < char_idx {
            let Some(c) = self.text.get(self.byte_pos..).and_then(|s| s.chars().next()) else {
                break;
            };
            self.byte_pos += c.len_utf8();
            self.char_pos += 1;
        }
        while self.char_pos > char_idx {
            let Some(c) = self.text.get(..self.byte_pos).and_then(|s| s.chars().next_back()) else {
                break;
            };
            self.byte_pos -= c.len_utf8();
            self.char_pos -= 1;
        }
        self.base + self.byte_pos
    }

    fn span(&mut self, span: &Span) -> ByteSpan {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        ByteSpan::new(start, end)
    }
}

/// Hashes a node id by one multiplication (Fibonacci hashing). The weights map gets an entry
/// per collection of the input; SipHash, the default, cost more than the rest of its lookups,
/// most of all in wasm. Ids are handed out in order, not chosen by the input, so there is no
/// flooding to resist.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, id: u32) {
        self.write_u64(u64::from(id));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// One parse event, with the scalar style and tag already in the source layer's terms.
pub(crate) enum Ev<'t> {
    DocumentStart,
    DocumentEnd,
    Alias(usize),
    /// Value, style, anchor id (0: none), tag.
    Scalar(Cow<'t, str>, ScalarStyle, usize, TagHint),
    SequenceStart(usize),
    SequenceEnd,
    MappingStart(usize),
    MappingEnd,
}

/// Whether the reader goes on after an event: a chunk's second document is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Go,
    Stop,
}

/// The state of one document's reading: open collections, their children so far, anchors.
#[derive(Default)]
pub(crate) struct Reading {
    stack: Vec<Frame>,
    items: Vec<NodeId>,
    pairs: Vec<(NodeId, NodeId)>,
    anchors: Vec<Option<NodeId>>,
    expanded: u64,
    root: Option<NodeId>,
    in_document: bool,
}

enum Frame {
    Seq { start: u32, scratch: usize, anchor: usize },
    Map { start: u32, scratch: usize, anchor: usize, key: Option<NodeId> },
}

/// Why building stopped early; the document is then dropped with one issue.
pub(crate) struct Abort {
    kind: IssueKind,
    span: ByteSpan,
    message: String,
    help: String,
}

pub(crate) struct DocumentResult {
    pub root: Option<NodeId>,
    /// The chunk held something other than comments and blanks (or failed to parse).
    pub present: bool,
}

pub(crate) struct Builder<'a> {
    tree: &'a mut Tree,
    lines: &'a LineIndex,
    limits: &'a Limits,
    /// Expanded size of each collection (a scalar weighs 1), by node id: kept only for
    /// collections, which are few next to scalars.
    weights: HashMap<NodeId, u64, BuildHasherDefault<IdHasher>>,
    issues: Issues<'a>,
    /// 1-based number of the document being built, for the issues it raises.
    document: u32,
    /// Quoted scalars read by `flow_scalar` (their span and value), for the placeholders
    /// saphyr parses in their place.
    overrides: Vec<(ByteSpan, String)>,
    /// Whether documents are first tried with the quick reader (`false`: saphyr reads all, for
    /// the tests that compare the two).
    #[cfg_attr(not(feature = "quick"), allow(dead_code))]
    quick: bool,
}

impl<'a> Builder<'a> {
    pub fn new(tree: &'a mut Tree, lines: &'a LineIndex, limits: &'a Limits, issues: Issues<'a>, quick: bool) -> Self {
        Builder { tree, lines, limits, weights: HashMap::default(), issues, document: 0, overrides: Vec::new(), quick }
    }

    /// Parses one chunk (one kubectl document). Issues are pushed with `document` set.
    pub fn document(&mut self, source_text: &str, chunk: ByteSpan, document: u32) -> DocumentResult {
        let original = source_text.get(chunk.start as usize..chunk.end as usize).unwrap_or("");
        let mark = self.issues.mark();
        let tree_mark = self.tree.mark();
        self.document = document;
        self.overrides.clear();
        #[cfg(feature = "quick")]
        if self.quick {
            let mut reading = Reading::default();
            if super::quick::read(self, &mut reading, original, chunk.start as usize).is_ok() {
                let root = self.finish(&reading);
                return DocumentResult { present: root.is_some(), root };
            }
            // Outside the quick reader's subset: what it built is dropped, saphyr reads it all.
            self.issues.rollback(mark);
            self.tree.rollback(tree_mark);
            self.weights.retain(|id, _| (id.0 as usize) < self.tree.len());
        }
        let mut patched: Option<String> = None;
        let result = loop {
            let text = patched.as_deref().unwrap_or(original);
            let mut offsets = Offsets::new(text, chunk.start as usize);
            match self.run(text, &mut offsets) {
                Err(abort)
                    if abort.message.ends_with("invalid indentation in quoted scalar") && self.overrides.len() < 64 =>
                {
                    // A quoted scalar continued at its key's indentation: go-yaml reads it.
                    let at = (abort.span.start as usize).saturating_sub(chunk.start as usize);
                    let Some((end, value)) = super::flow_scalar::read(text, at) else { break Err(abort) };
                    let span = ByteSpan::new(at + chunk.start as usize, end + chunk.start as usize);
                    self.overrides.push((span, value));
                    patched = Some(super::flow_scalar::placeholder(text, at, end));
                    // Read again from the start: what the failed pass built is dropped.
                    self.issues.rollback(mark);
                    self.tree.rollback(tree_mark);
                    self.weights.retain(|id, _| (id.0 as usize) < self.tree.len());
                }
                other => break other,
            }
        };
        match result {
            Ok(root) => DocumentResult { present: root.is_some(), root },
            Err(abort) => {
                // Issues found before the abort (duplicates, ambiguous values) would point into a
                // document we drop; the abort is the one thing worth saying.
                self.issues.rollback(mark);
                self.issues.push(abort.kind, document, abort.span, || (abort.message, abort.help));
                DocumentResult { root: None, present: true }
            }
        }
    }

    /// Reads `text` with saphyr-parser (all of YAML), feeding its events to [`Builder::event`].
    fn run(&mut self, text: &str, offsets: &mut Offsets<'_>) -> Result<Option<NodeId>, Abort> {
        let mut parser = Parser::new(StrInput::new(text));
        let mut reading = Reading::default();
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| {
                let at = offsets.byte(e.marker().index());
                // One character wide, so editors can underline it.
                let width = text
                    .get(at.saturating_sub(offsets.base)..)
                    .and_then(|s| s.chars().next())
                    .map_or(0, |c| if c == '\n' || c == '\r' { 0 } else { c.len_utf8() });
                Abort {
                    kind: IssueKind::InvalidYaml,
                    span: ByteSpan::new(at, at + width),
                    message: format!("YAML syntax error: {}", e.info()),
                    help: "fix the YAML syntax; this document was not linted".into(),
                }
            })?;
            let at = offsets.span(&span);
            let event = match event {
                Event::StreamStart | Event::Nothing => continue,
                Event::StreamEnd => break,
                Event::DocumentStart(_) => Ev::DocumentStart,
                Event::DocumentEnd => Ev::DocumentEnd,
                Event::Alias(anchor) => Ev::Alias(anchor),
                Event::Scalar(value, style, anchor, tag) => {
                    Ev::Scalar(value, our_style(style), anchor, tag_hint(tag.as_deref()))
                }
                Event::SequenceStart(anchor, _) => Ev::SequenceStart(anchor),
                Event::MappingStart(anchor, _) => Ev::MappingStart(anchor),
                Event::SequenceEnd => Ev::SequenceEnd,
                Event::MappingEnd => Ev::MappingEnd,
            };
            if self.event(&mut reading, event, at)? == Step::Stop {
                break;
            }
        }
        Ok(self.finish(&reading))
    }

    /// The document's root once its events are read. An empty document (only comments) gives a
    /// null scalar root: it is skipped like kubectl skips it.
    pub(crate) fn finish(&self, reading: &Reading) -> Option<NodeId> {
        reading.root.filter(|&r| !self.tree.node(r).is_null())
    }

    /// Takes one event of the document being read (spans in bytes of the whole source).
    pub(crate) fn event(&mut self, r: &mut Reading, event: Ev<'_>, span: ByteSpan) -> Result<Step, Abort> {
        let node = match event {
            Ev::DocumentStart => {
                if r.root.is_some() {
                    // go-yaml decodes the first document of a chunk and ignores the rest.
                    return Ok(Step::Stop);
                }
                r.in_document = true;
                return Ok(Step::Go);
            }
            Ev::DocumentEnd => {
                r.in_document = false;
                return Ok(if r.root.is_some() { Step::Stop } else { Step::Go });
            }
            Ev::Alias(anchor) => {
                let target = r.anchors.get(anchor).copied().flatten().ok_or_else(|| Abort {
                    kind: IssueKind::InvalidYaml,
                    span,
                    message: "alias refers to an anchor that is not defined before it".into(),
                    help: "define the anchor (&name) before using the alias (*name)".into(),
                })?;
                let weight = self.weight(target);
                r.expanded = r.expanded.saturating_add(weight);
                if r.expanded > self.limits.max_alias_expansion {
                    return Err(Abort {
                        kind: IssueKind::LimitExceeded,
                        span,
                        message: format!(
                            "aliases expand this document beyond {} nodes (an alias bomb?)",
                            self.limits.max_alias_expansion
                        ),
                        help: "use fewer nested aliases, or raise limits.maxAliasExpansion".into(),
                    });
                }
                target
            }
            Ev::Scalar(value, style, anchor, hint) => {
                let value = match self.overrides.iter().find(|(s, _)| *s == span) {
                    Some((_, v)) => Cow::Owned(v.clone()),
                    None => value,
                };
                let node = self.scalar(value, style, hint, span);
                r.expanded = r.expanded.saturating_add(1);
                remember_anchor(&mut r.anchors, anchor, node);
                node
            }
            Ev::SequenceStart(anchor) | Ev::MappingStart(anchor) => {
                if r.stack.len() >= self.limits.max_depth {
                    return Err(Abort {
                        kind: IssueKind::LimitExceeded,
                        span,
                        message: format!(
                            "nesting deeper than {} levels (line {})",
                            self.limits.max_depth,
                            self.lines.line_of(span.start)
                        ),
                        help: "flatten the document, or raise limits.maxDepth".into(),
                    });
                }
                let start = span.start;
                r.stack.push(if matches!(event, Ev::SequenceStart(..)) {
                    Frame::Seq { start, scratch: r.items.len(), anchor }
                } else {
                    Frame::Map { start, scratch: r.pairs.len(), anchor, key: None }
                });
                r.expanded = r.expanded.saturating_add(1);
                return Ok(Step::Go);
            }
            Ev::SequenceEnd => {
                let Some(Frame::Seq { start, scratch, anchor }) = r.stack.pop() else {
                    return Err(internal(span));
                };
                let node = self.close_seq(start, span.end as usize, &mut r.items, scratch);
                remember_anchor(&mut r.anchors, anchor, node);
                node
            }
            Ev::MappingEnd => {
                let Some(Frame::Map { start, scratch, anchor, key }) = r.stack.pop() else {
                    return Err(internal(span));
                };
                if key.is_some() {
                    return Err(internal(span));
                }
                let node = self.close_map(start, span.end as usize, &mut r.pairs, scratch)?;
                remember_anchor(&mut r.anchors, anchor, node);
                node
            }
        };
        match r.stack.last_mut() {
            None => {
                if r.in_document || r.root.is_none() {
                    r.root = Some(node);
                }
            }
            Some(Frame::Seq { .. }) => r.items.push(node),
            Some(Frame::Map { key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => r.pairs.push((k, node)),
            },
        }
        Ok(Step::Go)
    }

    fn weight(&self, id: NodeId) -> u64 {
        // A scalar weighs 1 and has no entry: most children are scalars, and asking the kind
        // spares them a hash lookup.
        if self.tree.node(id).is_scalar() {
            return 1;
        }
        self.weights.get(&id).copied().unwrap_or(1)
    }

    fn scalar(&mut self, value: Cow<'_, str>, style: ScalarStyle, hint: TagHint, span: ByteSpan) -> NodeId {
        let resolved = resolve(&value, style, hint);
        if let Some(why) = yaml11_ambiguity(&value, resolved).filter(|_| style.is_plain() && hint == TagHint::None) {
            self.issues.push(IssueKind::AmbiguousValue, self.document, span, || {
                (
                    format!("`{value}` is {why}"),
                    "quote the value if you mean a string, or write it unambiguously (true/false, 0o644 or decimal)"
                        .into(),
                )
            });
        }
        self.tree.push_scalar(span, &value, style, resolved)
    }

    fn close_seq(&mut self, start: u32, end: usize, items: &mut Vec<NodeId>, scratch: usize) -> NodeId {
        let first = u32::try_from(self.tree.items.len()).unwrap_or(u32::MAX);
        let children = items.get(scratch..).unwrap_or(&[]);
        let weight = children.iter().fold(1u64, |acc, &c| acc.saturating_add(self.weight(c)));
        let end = children.last().map_or(end, |&c| self.tree.node(c).span().end as usize);
        self.tree.items.extend_from_slice(children);
        let len = u32::try_from(children.len()).unwrap_or(u32::MAX);
        items.truncate(scratch);
        let id = self.tree.push_seq(ByteSpan::new(start as usize, end), first, len);
        self.weights.insert(id, weight);
        id
    }

    fn close_map(
        &mut self,
        start: u32,
        end: usize,
        pairs: &mut Vec<(NodeId, NodeId)>,
        scratch: usize,
    ) -> Result<NodeId, Abort> {
        let closed = self.resolve_map(start, end, pairs.get(scratch..).unwrap_or(&[]));
        pairs.truncate(scratch);
        closed
    }

    /// Builds a mapping from its explicit `(key, value)` pairs, resolving merge keys and
    /// repeated keys, without copying the pairs (a mapping may have 100,000 of them).
    fn resolve_map(&mut self, start: u32, end: usize, explicit: &[(NodeId, NodeId)]) -> Result<NodeId, Abort> {
        let has_duplicates = self.report_duplicates(explicit);
        let has_merge = explicit.iter().any(|&(k, _)| self.is_merge_key(k));
        let first = u32::try_from(self.tree.entries.len()).unwrap_or(u32::MAX);
        if has_duplicates || has_merge {
            let mut merged = MergedMap::default();
            for &(key, value) in explicit {
                if self.is_merge_key(key) {
                    self.merge_into(&mut merged, value)?;
                } else {
                    merged.set(self.tree, Entry { key, value });
                }
            }
            self.tree.entries.extend(merged.entries);
        } else {
            // The common case: every key once, no merge key.
            self.tree.entries.extend(explicit.iter().map(|&(key, value)| Entry { key, value }));
        }
        let weight = explicit
            .iter()
            .fold(1u64, |acc, &(k, v)| acc.saturating_add(self.weight(k)).saturating_add(self.weight(v)));
        let end = explicit.last().map_or(end, |&(_, v)| self.tree.node(v).span().end as usize);
        let len = u32::try_from(self.tree.entries.len()).unwrap_or(u32::MAX).saturating_sub(first);
        let id = self.tree.push_map(ByteSpan::new(start as usize, end), first, len);
        self.weights.insert(id, weight);
        Ok(id)
    }

    fn is_merge_key(&self, key: NodeId) -> bool {
        is_merge_key(self.tree, key)
    }

    /// go-yaml v2 merge semantics: a merged mapping sets its keys in order of appearance (a
    /// later explicit key overrides it); in a list of mappings, earlier ones take precedence.
    fn merge_into(&mut self, merged: &mut MergedMap, value: NodeId) -> Result<(), Abort> {
        let v = self.tree.node(value);
        let sources: Vec<NodeId> = if v.is_map() {
            vec![value]
        } else if v.is_seq() && v.items().all(|i| i.is_map()) {
            v.items().map(|i| i.id()).rev().collect()
        } else {
            return Err(Abort {
                kind: IssueKind::InvalidYaml,
                span: v.span(),
                message: "merge key `<<` needs a mapping or a list of mappings".into(),
                help: "merge an anchored mapping: `<<: *name` or `<<: [*a, *b]`".into(),
            });
        };
        for src in sources {
            let entries: Vec<(NodeId, NodeId)> = self.tree.node(src).entries().map(|(k, v)| (k.id(), v.id())).collect();
            for (key, value) in entries {
                merged.set(self.tree, Entry { key, value });
            }
        }
        Ok(())
    }

    /// Reports keys repeated among the explicit keys of a mapping; returns whether there were any.
    fn report_duplicates(&mut self, explicit: &[(NodeId, NodeId)]) -> bool {
        let tree: &Tree = self.tree;
        let name = |i: usize| explicit.get(i).and_then(|&(key, _)| key_name(tree, key));
        // Which keys repeat an earlier one, in input order.
        let repeated: Vec<usize> = if explicit.len() <= 32 {
            // Small mappings (nearly all of them): comparing pairs beats sorting.
            (0..explicit.len()).filter(|&i| name(i).is_some_and(|n| (0..i).any(|j| name(j) == Some(n)))).collect()
        } else {
            // Large ones: sort the positions by name (4 bytes a key; a mapping may have 100,000
            // keys), so equal names are neighbours, the first in input order leading; mark the
            // others in a bit set.
            let mut order: Vec<u32> = Vec::with_capacity(explicit.len());
            order.extend((0..explicit.len()).filter(|&i| name(i).is_some()).filter_map(|i| u32::try_from(i).ok()));
            heap_sort(&mut order, |a, b| (name(a as usize), a) < (name(b as usize), b));
            let mut marked: Vec<u64> = Vec::new();
            for pair in order.windows(2) {
                let &[a, b] = pair else { continue };
                if name(a as usize) == name(b as usize) {
                    marked.resize(explicit.len().div_ceil(64), 0);
                    if let Some(word) = marked.get_mut(b as usize / 64) {
                        *word |= 1 << (b % 64);
                    }
                }
            }
            drop(order);
            return self.report_marked(explicit, &marked);
        };
        let any = !repeated.is_empty();
        for i in repeated {
            self.report_duplicate(explicit, i);
        }
        any
    }

    /// Reports the keys whose bit is set in `marked`, in input order.
    fn report_marked(&mut self, explicit: &[(NodeId, NodeId)], marked: &[u64]) -> bool {
        let mut any = false;
        for (w, &word) in marked.iter().enumerate() {
            for bit in (0..64).filter(|b| word & (1 << b) != 0) {
                any = true;
                self.report_duplicate(explicit, w * 64 + bit);
            }
        }
        any
    }

    /// Reports the key at `i`, which repeats an earlier one. The earlier one is looked for only
    /// when the issue is kept (see [`Issues::push`]).
    fn report_duplicate(&mut self, explicit: &[(NodeId, NodeId)], i: usize) {
        let Some(&(dup, _)) = explicit.get(i) else { return };
        let (tree, lines) = (&*self.tree, self.lines);
        self.issues.push(IssueKind::DuplicateKey, self.document, tree.node(dup).span(), || {
            let name = key_name(tree, dup).unwrap_or_default();
            let first = explicit.iter().take(i).find(|&&(k, _)| key_name(tree, k) == Some(name));
            let first_line = first.map_or(0, |&(k, _)| lines.line_of(tree.node(k).span().start));
            (
                format!(
                    "key `{name}` repeats the one on line {first_line}; the API server's strict field validation rejects the object, other clients keep the last value"
                ),
                format!("keep one `{name}` key (the last value is the one linted)"),
            )
        });
        // The entry just before this one with the same key: what a fix removes.
        let name = key_name(tree, dup);
        if let Some(&(k, v)) = explicit.iter().take(i).rev().find(|&&(k, _)| key_name(tree, k) == name) {
            let related = ByteSpan::new(tree.node(k).span().start as usize, tree.node(v).span().end as usize);
            self.issues.relate_last(tree.node(dup).span(), related);
        }
    }
}

/// Sorts in place by `less`: a heap sort, with no allocation and a few hundred bytes of code (a
/// library sort specialised for this comparison costs the wasm module over 10 KB).
fn heap_sort(v: &mut [u32], less: impl Fn(u32, u32) -> bool) {
    let at = |v: &[u32], i: usize| v.get(i).copied().unwrap_or(0);
    let sift_down = |v: &mut [u32], mut root: usize, end: usize| {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                break;
            }
            if child + 1 < end && less(at(v, child), at(v, child + 1)) {
                child += 1;
            }
            if !less(at(v, root), at(v, child)) {
                break;
            }
            v.swap(root, child);
            root = child;
        }
    };
    for start in (0..v.len() / 2).rev() {
        sift_down(v, start, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// The name a key is compared by for duplicates; `None` for a merge key (`<<`), which may repeat.
fn key_name(tree: &Tree, key: NodeId) -> Option<&str> {
    if is_merge_key(tree, key) { None } else { tree.node(key).key_str() }
}

/// A plain `<<` key.
fn is_merge_key(tree: &Tree, key: NodeId) -> bool {
    let k = tree.node(key);
    k.style() == Some(ScalarStyle::Plain) && k.text() == Some("<<")
}

/// A mapping under construction with "set" semantics (replace in place, else append).
#[derive(Default)]
struct MergedMap {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl MergedMap {
    fn set(&mut self, tree: &Tree, entry: Entry) {
        let Some(name) = tree.node(entry.key).key_str() else {
            self.entries.push(entry);
            return;
        };
        if let Some(&i) = self.index.get(name) {
            if let Some(slot) = self.entries.get_mut(i) {
                *slot = entry;
            }
        } else {
            self.index.insert(name.to_owned(), self.entries.len());
            self.entries.push(entry);
        }
    }
}

fn remember_anchor(anchors: &mut Vec<Option<NodeId>>, anchor: usize, node: NodeId) {
    if anchor == 0 {
        return;
    }
    if anchors.len() <= anchor {
        anchors.resize(anchor + 1, None);
    }
    if let Some(slot) = anchors.get_mut(anchor) {
        *slot = Some(node);
    }
}

fn our_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

fn tag_hint(tag: Option<&Tag>) -> TagHint {
    match tag {
        None => TagHint::None,
        Some(t) if t.is_yaml_core_schema() && matches!(t.suffix.as_str(), "str" | "binary") => TagHint::Str,
        Some(t) if t.is_yaml_core_schema() => TagHint::Core,
        Some(_) => TagHint::Other,
    }
}

fn internal(span: ByteSpan) -> Abort {
    Abort {
        kind: IssueKind::InvalidYaml,
        span,
        message: "unbalanced YAML structure".into(),
        help: "fix the YAML structure; this document was not linted".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::heap_sort;

    #[test]
    fn heap_sort_sorts() {
        let mut v: Vec<u32> = vec![5, 3, 9, 1, 1, 0, 7, 2, 8, 6, 4];
        heap_sort(&mut v, |a, b| a < b);
        assert_eq!(v, [0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let mut empty: Vec<u32> = Vec::new();
        heap_sort(&mut empty, |a, b| a < b);
        let mut desc: Vec<u32> = (0..100).collect();
        heap_sort(&mut desc, |a, b| a > b);
        assert_eq!(desc, (0..100).rev().collect::<Vec<_>>());
    }
}
