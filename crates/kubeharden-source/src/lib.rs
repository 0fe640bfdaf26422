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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 * 1024 * 1024,
            max_documents: 1_000_000,
            max_depth: 200,
            max_alias_expansion: 1_000_000,
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
}

#[derive(Clone, Debug)]
pub struct Document {
    /// 1-based number among the non-empty documents of the source.
    pub number: u32,
    pub root: NodeId,
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
}

impl ParsedSource {
    pub fn position(&self, byte: u32) -> Position {
        self.lines.position(&self.text, byte)
    }
}

/// Parses a source into documents. Never fails: problems become issues.
pub fn parse(source: &Source, limits: &Limits) -> ParsedSource {
    let text = source.text.as_str();
    let lines = LineIndex::new(text);
    let mut parsed = ParsedSource {
        name: source.name.clone(),
        text: String::new(),
        lines,
        tree: Tree::default(),
        documents: Vec::new(),
        issues: Vec::new(),
    };
    if text.len() > limits.max_input_bytes {
        parsed.issues.push(Issue {
            kind: IssueKind::LimitExceeded,
            span: ByteSpan::new(0, 0),
            document: 0,
            message: format!(
                "input is {} bytes, above the limit of {} bytes; it was not linted",
                text.len(),
                limits.max_input_bytes
            ),
            help: "split the input, or raise limits.maxInputBytes".into(),
        });
        parsed.text = source.text.clone();
        return parsed;
    }
    let split = split::split_documents(text);
    for bad in &split.bad_separators {
        parsed.issues.push(Issue {
            kind: IssueKind::InvalidYaml,
            span: bad.span,
            document: 0,
            message: "only a comment may follow the document separator `---`; kubectl rejects this stream".into(),
            help: "put the content on the next line".into(),
        });
    }
    let mut builder = build::Builder::new(&mut parsed.tree, &parsed.lines, limits, &mut parsed.issues);
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
            message: format!("more than {} documents; the rest of the input was not linted", limits.max_documents),
            help: "split the input, or raise limits.maxDocuments".into(),
        });
    }
    parsed.documents = documents;
    parsed.text = source.text.clone();
    parsed
}
