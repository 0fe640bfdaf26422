//! Source layer: text in, a position-carrying tree per document out, with Kubernetes' scalar
//! semantics and hard limits. Nothing here panics on any input.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

mod build;
mod flow_scalar;
pub mod lines;
pub mod scalar;
mod scan;
pub mod split;
pub mod to_json;
pub mod tree;

use serde::{Deserialize, Serialize};

pub use lines::{LineIndex, Position};
pub use tree::{ByteSpan, NodeId, NodeRef, Tree};

/// One input file (or stdin, or a pasted buffer).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source { name: name.into(), text: text.into() }
    }
}

/// Limits that turn hostile input into a finding instead of a crash or a hang.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Largest source accepted, in bytes.
    pub max_input_bytes: usize,
    /// Most documents read from one source.
    pub max_documents: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Largest size of a document once its aliases are expanded, in nodes.
    pub max_alias_expansion: u64,
    /// Most findings one rule reports for one object (or one document, outside objects); the
    /// rest are counted in a single finding, so that one runaway mistake (a key repeated
    /// 100,000 times) cannot flood the report or the memory.
    pub max_findings_per_rule: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 * 1024 * 1024,
            max_documents: 1_000_000,
            max_depth: 200,
            max_alias_expansion: 1_000_000,
            max_findings_per_rule: 100,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    InvalidYaml,
    DuplicateKey,
    AmbiguousValue,
    LimitExceeded,
}

/// Something the source layer found while reading: it becomes a finding of the matching
/// structure rule.
#[derive(Clone, Debug)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: ByteSpan,
    /// 1-based document number, or 0 for the source as a whole.
    pub document: u32,
    pub message: String,
    pub help: String,
    /// Another place the issue is about: for a repeated key, the earlier entry (from its key
    /// to the end of its value), which a fix removes.
    pub related: Option<ByteSpan>,
}

#[derive(Clone, Debug)]
pub struct Document {
    /// 1-based number among the non-empty documents of the source.
    pub number: u32,
    pub root: NodeId,
}

/// Issues of one kind in one document past [`Limits::max_findings_per_rule`]: counted, not kept.
#[derive(Clone, Debug)]
pub struct Omitted {
    pub kind: IssueKind,
    pub document: u32,
    /// Where the first omitted issue is.
    pub span: ByteSpan,
    pub count: usize,
}

/// A source after parsing: the tree, its documents and what the reader found.
#[derive(Debug)]
pub struct ParsedSource {
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
    pub tree: Tree,
    pub documents: Vec<Document>,
    pub issues: Vec<Issue>,
    /// Issues left out by the per-document cap, by kind and document.
    pub omitted: Vec<Omitted>,
}

/// Collects issues with the per-kind, per-document cap: past it, an issue is only counted (its
/// message is never even formatted).
#[derive(Debug)]
pub(crate) struct Issues<'a> {
    list: &'a mut Vec<Issue>,
    omitted: &'a mut Vec<Omitted>,
    cap: usize,
    /// The document issues are counted for, and how many of each kind it kept.
    document: u32,
    kept: [usize; 4],
}

impl IssueKind {
    fn index(self) -> usize {
        match self {
            IssueKind::InvalidYaml => 0,
            IssueKind::DuplicateKey => 1,
            IssueKind::AmbiguousValue => 2,
            IssueKind::LimitExceeded => 3,
        }
    }
}

/// Where a document's issues start, to roll them back.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    list: usize,
    omitted: usize,
    document: u32,
    kept: [usize; 4],
}

impl<'a> Issues<'a> {
    pub(crate) fn new(list: &'a mut Vec<Issue>, omitted: &'a mut Vec<Omitted>, cap: usize) -> Self {
        Issues { list, omitted, cap, document: 0, kept: [0; 4] }
    }

    /// Records an issue; `text` gives its message and help, and is called only when it is kept.
    /// Issues come in document order.
    pub(crate) fn push(
        &mut self,
        kind: IssueKind,
        document: u32,
        span: ByteSpan,
        text: impl FnOnce() -> (String, String),
    ) {
        if document != self.document {
            self.document = document;
            self.kept = [0; 4];
        }
        let Some(kept) = self.kept.get_mut(kind.index()) else { return };
        if *kept < self.cap {
            *kept += 1;
            let (message, help) = text();
            self.list.push(Issue { kind, span, document, message, help, related: None });
            return;
        }
        match self.omitted.iter_mut().rev().take_while(|o| o.document == document).find(|o| o.kind == kind) {
            Some(o) => o.count += 1,
            None => self.omitted.push(Omitted { kind, document, span, count: 1 }),
        }
    }

    /// Relates the issue just pushed at `span` (when it was kept) to another place.
    pub(crate) fn relate_last(&mut self, span: ByteSpan, related: ByteSpan) {
        if let Some(last) = self.list.last_mut().filter(|i| i.span == span) {
            last.related = Some(related);
        }
    }

    /// Where the issues of the document being read start.
    pub(crate) fn mark(&self) -> Mark {
        Mark { list: self.list.len(), omitted: self.omitted.len(), document: self.document, kept: self.kept }
    }

    /// Drops what was recorded since `mark` (a document that is dropped as a whole).
    pub(crate) fn rollback(&mut self, mark: Mark) {
        self.list.truncate(mark.list);
        self.omitted.truncate(mark.omitted);
        self.document = mark.document;
        self.kept = mark.kept;
    }
}

impl ParsedSource {
    pub fn position(&self, byte: u32) -> Position {
        self.lines.position(&self.text, byte)
    }
}

/// Parses a source into documents. Never fails: problems become issues.
pub fn parse(source: &Source, limits: &Limits) -> ParsedSource {
    parse_owned(source.clone(), limits)
}

/// [`parse`], keeping the source's text instead of a copy of it (the text is the one thing a
/// lint holds as large as its input).
pub fn parse_owned(source: Source, limits: &Limits) -> ParsedSource {
    let Source { name, text: owned } = source;
    let text = owned.as_str();
    let lines = LineIndex::new(text);
    let mut parsed = ParsedSource {
        name,
        text: String::new(),
        lines,
        tree: Tree::default(),
        documents: Vec::new(),
        issues: Vec::new(),
        omitted: Vec::new(),
    };
    if text.len() > limits.max_input_bytes {
        parsed.issues.push(Issue {
            kind: IssueKind::LimitExceeded,
            span: ByteSpan::new(0, 0),
            document: 0,
            related: None,
            message: format!(
                "input is {} bytes, above the limit of {} bytes; it was not linted",
                text.len(),
                limits.max_input_bytes
            ),
            help: "split the input, or raise limits.maxInputBytes".into(),
        });
        parsed.text = owned;
        return parsed;
    }
    let split = split::split_documents(text);
    let mut issues = Issues::new(&mut parsed.issues, &mut parsed.omitted, limits.max_findings_per_rule);
    for bad in &split.bad_separators {
        issues.push(IssueKind::InvalidYaml, 0, bad.span, || {
            (
                "only a comment may follow the document separator `---`; kubectl rejects this stream".into(),
                "put the content on the next line".into(),
            )
        });
    }
    let mut builder = build::Builder::new(&mut parsed.tree, &parsed.lines, limits, issues);
    let mut number = 1u32;
    let mut documents = Vec::new();
    let mut overflow = None;
    // Chunks are counted, not just documents, so a stream of empty documents is bounded too.
    for (read, chunk) in split.chunks.iter().enumerate() {
        if read >= limits.max_documents {
            overflow = Some(chunk.span);
            break;
        }
        let result = builder.document(text, chunk.span, number);
        if let Some(root) = result.root {
            documents.push(Document { number, root });
        }
        if result.present {
            number += 1;
        }
    }
    drop(builder);
    if let Some(span) = overflow {
        parsed.issues.push(Issue {
            kind: IssueKind::LimitExceeded,
            span: ByteSpan::new(span.start as usize, span.start as usize),
            document: 0,
            related: None,
            message: format!("more than {} documents; the rest of the input was not linted", limits.max_documents),
            help: "split the input, or raise limits.maxDocuments".into(),
        });
    }
    parsed.documents = documents;
    drop(split);
    parsed.text = owned;
    parsed
}
