//! Builds the arena tree of one document from saphyr-parser events.
//!
//! The builder never recurses: nesting lives on an explicit stack, so depth is bounded by the
//! configured limit instead of the (1 MiB in wasm) machine stack. Aliases point at the anchored
//! node; each node's expanded size is tracked so an alias bomb stops at the budget.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span, StrInput, Tag};

use super::lines::LineIndex;
use super::scalar::{ScalarStyle, TagHint, resolve, yaml11_ambiguity};
use super::tree::{ByteSpan, Entry, Node, NodeId, NodeKind, Tree};
use super::{Issue, IssueKind, Limits};

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

enum Frame {
    Seq { start: u32, scratch: usize, anchor: usize },
    Map { start: u32, scratch: usize, anchor: usize, key: Option<NodeId> },
}

/// Why building stopped early; the document is then dropped with one issue.
struct Abort {
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
    /// Expanded size of each node of the tree, indexed by node id.
    weights: Vec<u64>,
    issues: &'a mut Vec<Issue>,
    /// 1-based number of the document being built, for the issues it raises.
    document: u32,
    /// Quoted scalars read by `flow_scalar` (their span and value), for the placeholders
    /// saphyr parses in their place.
    overrides: Vec<(ByteSpan, String)>,
}

impl<'a> Builder<'a> {
    pub fn new(tree: &'a mut Tree, lines: &'a LineIndex, limits: &'a Limits, issues: &'a mut Vec<Issue>) -> Self {
        Builder { tree, lines, limits, weights: Vec::new(), issues, document: 0, overrides: Vec::new() }
    }

    /// Parses one chunk (one kubectl document). Issues are pushed with `document` set.
    pub fn document(&mut self, source_text: &str, chunk: ByteSpan, document: u32) -> DocumentResult {
        let original = source_text.get(chunk.start as usize..chunk.end as usize).unwrap_or("");
        let first_issue = self.issues.len();
        self.document = document;
        self.overrides.clear();
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
                    self.issues.truncate(first_issue);
                }
                other => break other,
            }
        };
        match result {
            Ok(root) => DocumentResult { present: root.is_some(), root },
            Err(abort) => {
                // Issues found before the abort (duplicates, ambiguous values) would point into a
                // document we drop; the abort is the one thing worth saying.
                self.issues.truncate(first_issue);
                self.issues.push(Issue {
                    kind: abort.kind,
                    span: abort.span,
                    document,
                    message: abort.message,
                    help: abort.help,
                });
                DocumentResult { root: None, present: true }
            }
        }
    }

    fn run(&mut self, text: &str, offsets: &mut Offsets<'_>) -> Result<Option<NodeId>, Abort> {
        let mut parser = Parser::new(StrInput::new(text));
        let mut stack: Vec<Frame> = Vec::new();
        let mut items: Vec<NodeId> = Vec::new();
        let mut pairs: Vec<(NodeId, NodeId)> = Vec::new();
        let mut anchors: Vec<Option<NodeId>> = Vec::new();
        let mut expanded: u64 = 0;
        let mut root: Option<NodeId> = None;
        let mut in_document = false;

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
            let node = match event {
                Event::StreamStart | Event::Nothing => continue,
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    if root.is_some() {
                        // go-yaml decodes the first document of a chunk and ignores the rest.
                        break;
                    }
                    in_document = true;
                    continue;
                }
                Event::DocumentEnd => {
                    in_document = false;
                    if root.is_some() {
                        break;
                    }
                    continue;
                }
                Event::Alias(anchor) => {
                    let target = anchors.get(anchor).copied().flatten().ok_or_else(|| Abort {
                        kind: IssueKind::InvalidYaml,
                        span: offsets.span(&span),
                        message: "alias refers to an anchor that is not defined before it".into(),
                        help: "define the anchor (&name) before using the alias (*name)".into(),
                    })?;
                    let weight = self.weight(target);
                    expanded = expanded.saturating_add(weight);
                    if expanded > self.limits.max_alias_expansion {
                        return Err(Abort {
                            kind: IssueKind::LimitExceeded,
                            span: offsets.span(&span),
                            message: format!(
                                "aliases expand this document beyond {} nodes (an alias bomb?)",
                                self.limits.max_alias_expansion
                            ),
                            help: "use fewer nested aliases, or raise limits.maxAliasExpansion".into(),
                        });
                    }
                    target
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let at = offsets.span(&span);
                    let value = match self.overrides.iter().find(|(s, _)| *s == at) {
                        Some((_, v)) => Cow::Owned(v.clone()),
                        None => value,
                    };
                    let node = self.scalar(value, style, tag.as_deref(), at);
                    expanded = expanded.saturating_add(1);
                    remember_anchor(&mut anchors, anchor, node);
                    node
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if stack.len() >= self.limits.max_depth {
                        let at = offsets.span(&span);
                        return Err(Abort {
                            kind: IssueKind::LimitExceeded,
                            span: at,
                            message: format!(
                                "nesting deeper than {} levels (line {})",
                                self.limits.max_depth,
                                self.lines.line_of(at.start)
                            ),
                            help: "flatten the document, or raise limits.maxDepth".into(),
                        });
                    }
                    let start = offsets.byte(span.start.index()) as u32;
                    stack.push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq { start, scratch: items.len(), anchor }
                    } else {
                        Frame::Map { start, scratch: pairs.len(), anchor, key: None }
                    });
                    expanded = expanded.saturating_add(1);
                    continue;
                }
                Event::SequenceEnd => {
                    let Some(Frame::Seq { start, scratch, anchor }) = stack.pop() else {
                        return Err(internal(offsets.span(&span)));
                    };
                    let node = self.close_seq(start, offsets.byte(span.end.index()), &mut items, scratch);
                    remember_anchor(&mut anchors, anchor, node);
                    node
                }
                Event::MappingEnd => {
                    let Some(Frame::Map { start, scratch, anchor, key }) = stack.pop() else {
                        return Err(internal(offsets.span(&span)));
                    };
                    if key.is_some() {
                        return Err(internal(offsets.span(&span)));
                    }
                    let end = offsets.byte(span.end.index());
                    let node = self.close_map(start, end, &mut pairs, scratch)?;
                    remember_anchor(&mut anchors, anchor, node);
                    node
                }
            };
            match stack.last_mut() {
                None => {
                    if in_document || root.is_none() {
                        root = Some(node);
                    }
                }
                Some(Frame::Seq { .. }) => items.push(node),
                Some(Frame::Map { key, .. }) => match key.take() {
                    None => *key = Some(node),
                    Some(k) => pairs.push((k, node)),
                },
            }
        }
        // An empty document (only comments) gives a null scalar root: skip it like kubectl.
        Ok(root.filter(|&r| !self.tree.node(r).is_null()))
    }

    fn weight(&self, id: NodeId) -> u64 {
        self.weights.get(id.0 as usize).copied().unwrap_or(1)
    }

    fn add(&mut self, node: Node, weight: u64) -> NodeId {
        let id = self.tree.push(node);
        self.weights.resize(self.tree.nodes.len(), 1);
        if let Some(w) = self.weights.get_mut(id.0 as usize) {
            *w = weight;
        }
        id
    }

    fn scalar(&mut self, value: Cow<'_, str>, style: SaphyrStyle, tag: Option<&Tag>, span: ByteSpan) -> NodeId {
        let style = match style {
            SaphyrStyle::Plain => ScalarStyle::Plain,
            SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            SaphyrStyle::Literal => ScalarStyle::Literal,
            SaphyrStyle::Folded => ScalarStyle::Folded,
        };
        let hint = match tag {
            None => TagHint::None,
            Some(t) if t.is_yaml_core_schema() && matches!(t.suffix.as_str(), "str" | "binary") => TagHint::Str,
            Some(t) if t.is_yaml_core_schema() => TagHint::Core,
            Some(_) => TagHint::Other,
        };
        let resolved = resolve(&value, style, hint);
        if let Some(why) = yaml11_ambiguity(&value, resolved).filter(|_| style.is_plain() && hint == TagHint::None) {
            self.issues.push(Issue {
                kind: IssueKind::AmbiguousValue,
                span,
                document: self.document,
                message: format!("`{value}` is {why}"),
                help: "quote the value if you mean a string, or write it unambiguously (true/false, 0o644 or decimal)"
                    .into(),
            });
        }
        let (text_start, text_len) = self.tree.push_text(&value);
        self.add(Node { span, kind: NodeKind::Scalar { text_start, text_len, style, value: resolved } }, 1)
    }

    fn close_seq(&mut self, start: u32, end: usize, items: &mut Vec<NodeId>, scratch: usize) -> NodeId {
        let first = u32::try_from(self.tree.items.len()).unwrap_or(u32::MAX);
        let children = items.get(scratch..).unwrap_or(&[]);
        let weight = children.iter().fold(1u64, |acc, &c| acc.saturating_add(self.weight(c)));
        let end = children.last().map_or(end, |&c| self.tree.node(c).span().end as usize);
        self.tree.items.extend_from_slice(children);
        let len = u32::try_from(children.len()).unwrap_or(u32::MAX);
        items.truncate(scratch);
        let span = ByteSpan::new(start as usize, end);
        self.add(Node { span, kind: NodeKind::Seq { first, len } }, weight)
    }

    fn close_map(
        &mut self,
        start: u32,
        end: usize,
        pairs: &mut Vec<(NodeId, NodeId)>,
        scratch: usize,
    ) -> Result<NodeId, Abort> {
        let explicit: Vec<(NodeId, NodeId)> = pairs.get(scratch..).unwrap_or(&[]).to_vec();
        pairs.truncate(scratch);
        let has_duplicates = self.report_duplicates(&explicit);
        let has_merge = explicit.iter().any(|&(k, _)| self.is_merge_key(k));
        let resolved: Vec<Entry> = if has_duplicates || has_merge {
            let mut merged = MergedMap::default();
            for &(key, value) in &explicit {
                if self.is_merge_key(key) {
                    self.merge_into(&mut merged, value)?;
                } else {
                    merged.set(self.tree, Entry { key, value });
                }
            }
            merged.entries
        } else {
            // The common case: every key once, no merge key.
            explicit.iter().map(|&(key, value)| Entry { key, value }).collect()
        };
        let weight = explicit
            .iter()
            .fold(1u64, |acc, &(k, v)| acc.saturating_add(self.weight(k)).saturating_add(self.weight(v)));
        let end = explicit.last().map_or(end, |&(_, v)| self.tree.node(v).span().end as usize);
        let first = u32::try_from(self.tree.entries.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(resolved.len()).unwrap_or(u32::MAX);
        self.tree.entries.extend(resolved);
        let span = ByteSpan::new(start as usize, end);
        Ok(self.add(Node { span, kind: NodeKind::Map { first, len } }, weight))
    }

    fn is_merge_key(&self, key: NodeId) -> bool {
        let k = self.tree.node(key);
        k.style() == Some(ScalarStyle::Plain) && k.text() == Some("<<")
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
        let names: Vec<Option<&str>> = explicit
            .iter()
            .map(|&(key, _)| if self.is_merge_key(key) { None } else { self.tree.node(key).key_str() })
            .collect();
        let mut found: Vec<(NodeId, NodeId)> = Vec::new();
        if names.len() <= 32 {
            // Small mappings (nearly all of them): comparing pairs beats hashing.
            for (i, name) in names.iter().enumerate() {
                let Some(name) = name else { continue };
                let first = names.get(..i).and_then(|before| before.iter().position(|n| n.as_ref() == Some(name)));
                if let (Some(&(orig, _)), Some(&(dup, _))) = (first.and_then(|j| explicit.get(j)), explicit.get(i)) {
                    found.push((orig, dup));
                }
            }
        } else {
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(names.len());
            for (name, &(key, _)) in names.iter().zip(explicit) {
                let Some(name) = name else { continue };
                match seen.get(name) {
                    Some(&first) => found.push((first, key)),
                    None => {
                        seen.insert(name, key);
                    }
                }
            }
        }
        let any = !found.is_empty();
        for (first, dup) in found {
            let first_line = self.lines.line_of(self.tree.node(first).span().start);
            let name = self.tree.node(dup).key_str().unwrap_or_default().to_owned();
            self.issues.push(Issue {
                kind: IssueKind::DuplicateKey,
                span: self.tree.node(dup).span(),
                document: self.document,
                message: format!(
                    "key `{name}` repeats the one on line {first_line}; the API server's strict field validation rejects the object, other clients keep the last value"
                ),
                help: format!("keep one `{name}` key (the last value is the one linted)"),
            });
        }
        any
    }
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

fn internal(span: ByteSpan) -> Abort {
    Abort {
        kind: IssueKind::InvalidYaml,
        span,
        message: "unbalanced YAML structure".into(),
        help: "fix the YAML structure; this document was not linted".into(),
    }
}
