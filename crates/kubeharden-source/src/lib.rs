//! Source layer: text in, a position-carrying tree per document out, with Kubernetes' scalar
//! semantics and hard limits. Nothing here panics on any input.
//!
//! Each document is read by `quick` (the common subset of YAML, straight from the bytes; the
//! `quick` feature, native builds) or, when it holds anything else, by saphyr-parser; both
//! feed the same builder (`build`), which makes the tree, resolves scalars, merge keys and
//! repeated keys, and enforces the limits.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]

mod build;
mod flow_scalar;
pub mod lines;
#[cfg(feature = "quick")]
mod quick;
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
    parse_with(source, limits, |text, lines, chunks| vec![read_part(text, lines, limits, chunks, true)])
}

/// [`parse_owned`] with every document read by saphyr-parser, none by the quick reader: the
/// reference the quick reader is compared with, node for node, by the tests.
#[doc(hidden)]
pub fn parse_owned_full_reader(source: Source, limits: &Limits) -> ParsedSource {
    parse_with(source, limits, |text, lines, chunks| vec![read_part(text, lines, limits, chunks, false)])
}

/// [`parse_owned`] with the documents of a large stream read on up to `threads` threads (the
/// CLI, for one big file: the YAML reader is most of a lint's time). Each thread reads a run of
/// whole documents into a tree of its own; the trees are then joined in order, so the result
/// is the one [`parse_owned`] gives, node for node.
#[cfg(feature = "parallel")]
pub fn parse_owned_parallel(source: Source, limits: &Limits, threads: usize) -> ParsedSource {
    parse_with(source, limits, |text, lines, chunks| {
        let runs = split::balanced_runs(chunks, threads.max(1));
        std::thread::scope(|scope| {
            let handles: Vec<_> =
                runs.iter().skip(1).map(|run| scope.spawn(move || read_part(text, lines, limits, run, true))).collect();
            let mut parts = vec![read_part(text, lines, limits, runs.first().map_or(&[], |r| r), true)];
            for handle in handles {
                match handle.join() {
                    Ok(part) => parts.push(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            parts
        })
    })
}

/// The documents of a run of chunks, numbered from 1, in a tree of their own.
#[derive(Default)]
struct Part {
    tree: Tree,
    documents: Vec<Document>,
    issues: Vec<Issue>,
    omitted: Vec<Omitted>,
    /// How many documents the run holds (the next run's numbers start after them).
    present: u32,
}

fn read_part(text: &str, lines: &LineIndex, limits: &Limits, chunks: &[split::Chunk], quick: bool) -> Part {
    let mut part = Part::default();
    let issues = Issues::new(&mut part.issues, &mut part.omitted, limits.max_findings_per_rule);
    let mut builder = build::Builder::new(&mut part.tree, lines, limits, issues, quick);
    let mut number = 1u32;
    for chunk in chunks {
        let result = builder.document(text, chunk.span, number);
        if let Some(root) = result.root {
            part.documents.push(Document { number, root });
        }
        if result.present {
            number += 1;
        }
    }
    drop(builder);
    part.present = number - 1;
    part
}

/// Everything of a parse but reading the documents, which `read` does for the chunks (in
/// parts, in order).
fn parse_with(
    source: Source,
    limits: &Limits,
    read: impl FnOnce(&str, &LineIndex, &[split::Chunk]) -> Vec<Part>,
) -> ParsedSource {
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
    // Chunks are counted, not just documents, so a stream of empty documents is bounded too.
    let read_chunks = split.chunks.get(..limits.max_documents).unwrap_or(&split.chunks);
    let overflow = split.chunks.get(limits.max_documents).map(|c| c.span);
    let mut before = 0u32;
    for part in read(text, &parsed.lines, read_chunks) {
        before += parsed.append(part, before);
    }
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
    drop(split);
    parsed.text = owned;
    parsed
}

impl ParsedSource {
    /// Adds a part read after `before` documents; returns how many documents it holds.
    fn append(&mut self, part: Part, before: u32) -> u32 {
        let Part { tree, documents, issues, omitted, present } = part;
        let base = self.tree.append(tree);
        self.documents.extend(
            documents.into_iter().map(|d| Document { number: d.number + before, root: NodeId(d.root.0 + base) }),
        );
        self.issues.extend(issues.into_iter().map(|i| Issue { document: i.document + before, ..i }));
        self.omitted.extend(omitted.into_iter().map(|o| Omitted { document: o.document + before, ..o }));
        present
    }
}

#[cfg(all(test, feature = "parallel"))]
mod parallel_tests {
    use super::*;

    /// Every YAML and JSON file of the shared corpus of real manifests.
    fn corpus() -> Vec<(String, String)> {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real");
        let mut out = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
                    out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default()));
                }
            }
        }
        out
    }

    /// Streams with something in each document for the reader to report: duplicate keys past
    /// the cap, YAML 1.1 values, syntax errors, bad separators, aliases, empty documents.
    fn streams() -> Vec<(String, String)> {
        let doc = |i: usize| match i % 7 {
            0 => {
                format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata:\n{}", "  k: v\n".repeat(120))
            }
            1 => format!("a: yes\nb: 0755\nc: &x [1, 2]\nd: *x\ne: {i}\n"),
            2 => "a: [unclosed\n".to_string(),
            3 => "# only a comment\n".to_string(),
            4 => format!("k: \"quoted\n  continued at the key's indentation {i}\"\n"),
            5 => format!("--- trailing text {i}\nx: 1\n"),
            _ => format!("{{\"json\": {i}}}\n"),
        };
        [1, 2, 3, 7, 40, 301]
            .iter()
            .map(|&n| (format!("stream of {n}"), (0..n).map(|i| format!("---\n{}", doc(i))).collect()))
            .collect()
    }

    #[test]
    fn reading_on_threads_gives_the_same_source_node_for_node() {
        let low = Limits { max_documents: 25, max_findings_per_rule: 3, ..Limits::default() };
        for (name, text) in corpus().into_iter().chain(streams()) {
            for limits in [Limits::default(), low.clone()] {
                let source = Source::new(name.clone(), text.clone());
                let one = format!("{:?}", parse_owned(source.clone(), &limits));
                for threads in [1, 2, 3, 8] {
                    let many = format!("{:?}", parse_owned_parallel(source.clone(), &limits, threads));
                    assert!(one == many, "{name}, {threads} threads, {limits:?}: the parses differ");
                }
            }
        }
    }

    #[test]
    fn runs_are_balanced_whole_and_in_order() {
        let chunks: Vec<split::Chunk> = (0..10u32)
            .map(|i| split::Chunk { span: ByteSpan::new((i * 10) as usize, (i * 10 + 10) as usize) })
            .collect();
        for parts in 1..=12 {
            let runs = split::balanced_runs(&chunks, parts);
            assert!(!runs.is_empty() && runs.len() <= parts.min(10), "{parts}: {} runs", runs.len());
            assert!(runs.iter().all(|r| !r.is_empty()));
            let joined: Vec<_> = runs.concat();
            assert_eq!(joined, chunks);
        }
        assert_eq!(split::balanced_runs(&chunks, 2).iter().map(|r| r.len()).collect::<Vec<_>>(), vec![5, 5]);
        assert_eq!(split::balanced_runs(&[], 4), vec![&[] as &[split::Chunk]]);
    }
}
