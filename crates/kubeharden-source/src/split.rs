//! Splitting a stream into documents the way kubectl does (`k8s.io/apimachinery` `YAMLReader`):
//! a line that starts with `---` ends the current document, so one broken document never hides
//! the others. Only spaces or a comment may follow the marker; kubectl rejects anything else.

use super::tree::ByteSpan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Bytes of the document, without its separator line.
    pub span: ByteSpan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSeparator {
    /// The text after `---` that kubectl refuses.
    pub span: ByteSpan,
}

#[derive(Debug, Default)]
pub struct Split {
    pub chunks: Vec<Chunk>,
    pub bad_separators: Vec<BadSeparator>,
}

/// Splits `text` into document chunks. A JSON stream (first non-blank character `{` or `[`) is
/// one chunk, as kubectl decodes it with a JSON decoder instead.
pub fn split_documents(text: &str) -> Split {
    let mut split = Split::default();
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(body_start..).unwrap_or("");
    if body.trim_start().starts_with(['{', '[']) {
        split.chunks.push(Chunk { span: ByteSpan::new(body_start, text.len()) });
        return split;
    }
    let mut chunk_start = body_start;
    let mut line_start = body_start;
    let bytes = text.as_bytes();
    while line_start < text.len() {
        let line_end = crate::scan::next_newline(bytes, line_start).map_or(text.len(), |i| i + 1);
        let line = text.get(line_start..line_end).unwrap_or("");
        if let Some(after) = line.strip_prefix("---") {
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                let lead = after.len() - after.trim_start().len();
                let start = line_start + 3 + lead;
                split.bad_separators.push(BadSeparator { span: ByteSpan::new(start, start + trimmed.len()) });
            }
            push_chunk(&mut split, chunk_start, line_start);
            chunk_start = line_end;
        }
        line_start = line_end;
    }
    push_chunk(&mut split, chunk_start, text.len());
    split
}

/// `chunks` cut into at most `parts` runs of consecutive chunks, of about the same size in bytes
/// (to be read on that many threads). Never an empty run, unless there are no chunks at all.
#[cfg(feature = "parallel")]
pub fn balanced_runs(chunks: &[Chunk], parts: usize) -> Vec<&[Chunk]> {
    let size = |c: &Chunk| u64::from(c.span.end.saturating_sub(c.span.start));
    let total: u64 = chunks.iter().map(size).sum();
    let target = total.div_ceil(parts.max(1) as u64);
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, chunk) in chunks.iter().enumerate() {
        bytes += size(chunk);
        if bytes >= target && runs.len() + 1 < parts {
            runs.extend(chunks.get(start..=i));
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < chunks.len() || runs.is_empty() {
        runs.extend(chunks.get(start..));
    }
    runs
}

fn push_chunk(split: &mut Split, start: usize, end: usize) {
    if end > start {
        split.chunks.push(Chunk { span: ByteSpan::new(start, end) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, split: &Split) -> Vec<&'a str> {
        split.chunks.iter().map(|c| &text[c.span.start as usize..c.span.end as usize]).collect()
    }

    #[test]
    fn splits_on_marker_lines_only() {
        let text = "a: 1\n---\nb: 2\n--- # comment\nc: |\n  ---x\n";
        let split = split_documents(text);
        assert_eq!(texts(text, &split), vec!["a: 1\n", "b: 2\n", "c: |\n  ---x\n"]);
        assert!(split.bad_separators.is_empty());
    }

    #[test]
    fn leading_marker_and_trailing_marker_give_no_empty_chunks() {
        let text = "---\na: 1\n---\n";
        assert_eq!(texts(text, &split_documents(text)), vec!["a: 1\n"]);
    }

    #[test]
    fn content_after_marker_is_reported() {
        let text = "--- !tag\na: 1\n";
        let split = split_documents(text);
        assert_eq!(split.bad_separators.len(), 1);
        assert_eq!(texts(text, &split), vec!["a: 1\n"]);
    }

    #[test]
    fn json_is_one_chunk() {
        let text = "  {\"a\": \"---\"}\n";
        assert_eq!(split_documents(text).chunks.len(), 1);
    }
}
