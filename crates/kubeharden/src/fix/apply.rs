//! Applying edits to a text, and choosing which fixes go together into one pass: edits never
//! overlap, identical edits count once, and insertions at the same place in block style are
//! composed (three fields missing from one securityContext become one `securityContext:`
//! block). What cannot go into this pass waits for the next one, after the text is linted
//! again.

use super::{Applicability, Edits};
use crate::report::{Edit, Finding, Fix};
use crate::source::ByteSpan;

/// Applies byte edits to `text`. `None` when two edits overlap (two insertions at the same
/// offset count as overlapping: their order would be a guess), an edit is out of range or
/// splits a character.
pub fn apply_bytes(text: &str, edits: &[(ByteSpan, String)]) -> Option<String> {
    let mut sorted: Vec<&(ByteSpan, String)> = edits.iter().collect();
    sorted.sort_by_key(|(s, _)| (s.start, s.end));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|(_, t)| t.len()).sum::<usize>());
    let mut at = 0usize;
    let mut last_insert: Option<usize> = None;
    for (span, replacement) in sorted {
        let (start, end) = (span.start as usize, span.end as usize);
        if start < at || (start == end && last_insert == Some(start)) {
            return None;
        }
        out.push_str(text.get(at..start)?);
        text.get(start..end)?;
        out.push_str(replacement);
        last_insert = (start == end).then_some(start);
        at = end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Applies edits in the report's UTF-16 offsets to `text`.
pub fn apply_utf16(text: &str, edits: &[Edit]) -> Option<String> {
    apply_bytes(text, &to_bytes(text, edits)?)
}

/// The report's UTF-16 edits as byte edits of `text`.
pub fn to_bytes(text: &str, edits: &[Edit]) -> Option<Edits> {
    let mut wanted: Vec<u32> = edits.iter().flat_map(|e| [e.start, e.end]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut map = std::collections::BTreeMap::new();
    let mut units = 0u32;
    let mut chars = text.char_indices().peekable();
    for w in wanted {
        while units < w {
            let (_, c) = chars.next()?;
            units += c.len_utf16() as u32;
        }
        if units != w {
            return None; // inside a surrogate pair
        }
        map.insert(w, chars.peek().map_or(text.len(), |(i, _)| *i));
    }
    edits.iter().map(|e| Some((ByteSpan::new(*map.get(&e.start)?, *map.get(&e.end)?), e.text.clone()))).collect()
}

impl Fix {
    /// The text with this fix applied; `None` when its edits do not fit the text.
    pub fn apply(&self, text: &str) -> Option<String> {
        apply_utf16(text, &self.edits)
    }
}

/// Edits chosen for one pass over one text.
#[derive(Debug, Default)]
pub struct Plan {
    edits: Edits,
    /// The edits of the fixes added, as they came (an identical edit counts once).
    seen: Edits,
}

impl Plan {
    /// Adds a fix's edits if they fit with those already chosen: `true` when they were added
    /// (or were already there, or were composed into an insertion at the same place).
    pub fn add(&mut self, fix: &[(ByteSpan, String)]) -> bool {
        let mut next = self.edits.clone();
        for (span, text) in fix {
            if self.seen.iter().chain(&next).any(|(s, t)| s == span && t == text) {
                continue;
            }
            let same_point = |s: &ByteSpan| s.start == s.end && span.start == span.end && s.start == span.start;
            if let Some(i) = next.iter().position(|(s, _)| same_point(s)) {
                let Some(merged) = next.get(i).and_then(|(_, t)| compose(t, text)) else {
                    return false;
                };
                if let Some(slot) = next.get_mut(i) {
                    slot.1 = merged;
                }
                continue;
            }
            if next.iter().any(|(s, _)| overlaps(*s, *span)) {
                return false;
            }
            next.push((*span, text.clone()));
        }
        self.edits = next;
        self.seen.extend(fix.iter().cloned());
        true
    }

    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    pub fn apply(&self, text: &str) -> Option<String> {
        apply_bytes(text, &self.edits)
    }
}

/// The fixes of `findings` (not suppressed, at most `up_to`) that fit together in one pass
/// over `text`, in report order: the fixed text and the findings whose fixes were applied.
/// Fixes that touch one already chosen wait for the next pass.
pub fn apply_findings<'f>(
    text: &str,
    findings: impl IntoIterator<Item = &'f Finding>,
    up_to: Applicability,
) -> (String, Vec<&'f Finding>) {
    let mut plan = Plan::default();
    let mut applied = Vec::new();
    for finding in findings {
        let Some(fix) = finding.fix.as_ref().filter(|f| f.applicability <= up_to && finding.suppressed.is_none())
        else {
            continue;
        };
        if to_bytes(text, &fix.edits).is_some_and(|edits| plan.add(&edits)) {
            applied.push(finding);
        }
    }
    match plan.apply(text) {
        Some(fixed) => (fixed, applied),
        None => (text.to_owned(), Vec::new()),
    }
}

/// Whether two edits touch the same text (a replacement and an insertion inside it, or two
/// replacements sharing bytes). An insertion at either end of a replacement does not overlap.
fn overlaps(a: ByteSpan, b: ByteSpan) -> bool {
    a.start < b.end && b.start < a.end
}

/// Two block-style insertions at the same offset as one: the new lines they share (mapping
/// keys that open a block, like `securityContext:`) once, then the rest of each. Both must
/// start a new line at the same indentation; `None` otherwise (flow style, different
/// parents), and the second waits for the next pass.
fn compose(first: &str, second: &str) -> Option<String> {
    let newline = if first.starts_with("\r\n") { "\r\n" } else { "\n" };
    let a: Vec<&str> = first.strip_prefix(newline)?.split(newline).collect();
    let b: Vec<&str> = second.strip_prefix(newline)?.split(newline).collect();
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let (a0, b0) = (a.first()?, b.first()?);
    if indent(a0) != indent(b0) || a0.trim().is_empty() || b0.trim().is_empty() {
        return None;
    }
    let shared = a.iter().zip(&b).take_while(|(x, y)| x == y && x.ends_with(':')).count();
    let rest = b.get(shared..)?;
    let head = rest.first()?;
    // The same key twice at the same level would be a duplicate key: leave it to the next pass.
    let key = |line: &str| line.split_once(':').map(|(k, _)| k.to_owned());
    if a.get(shared..)?.iter().any(|line| indent(line) == indent(head) && key(line) == key(head)) {
        return None;
    }
    let mut out = first.to_owned();
    for line in rest {
        out.push_str(newline);
        out.push_str(line);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> (ByteSpan, String) {
        (ByteSpan::new(start, end), text.to_owned())
    }

    #[test]
    fn applies_and_refuses_overlaps() {
        assert_eq!(apply_bytes("abcdef", &[edit(4, 5, "E"), edit(0, 1, "A")]).unwrap(), "AbcdEf");
        assert_eq!(apply_bytes("abc", &[edit(1, 1, "x"), edit(1, 2, "B")]).unwrap(), "axBc");
        assert!(apply_bytes("abc", &[edit(0, 2, "x"), edit(1, 3, "y")]).is_none());
        assert!(apply_bytes("abc", &[edit(1, 1, "x"), edit(1, 1, "y")]).is_none());
        assert!(apply_bytes("abc", &[edit(2, 9, "x")]).is_none());
        assert!(apply_bytes("é", &[edit(1, 1, "x")]).is_none());
    }

    #[test]
    fn converts_utf16_offsets() {
        let text = "a: \u{1F600}\nb: 1\n";
        let edits = [Edit { start: 9, end: 10, text: "2".into() }];
        assert_eq!(apply_utf16(text, &edits).unwrap(), "a: \u{1F600}\nb: 2\n");
        assert!(apply_utf16(text, &[Edit { start: 4, end: 4, text: "x".into() }]).is_none());
    }

    #[test]
    fn composes_insertions_into_one_block() {
        let mut plan = Plan::default();
        assert!(plan.add(&[edit(5, 5, "\n  securityContext:\n    runAsNonRoot: true")]));
        assert!(plan.add(&[edit(5, 5, "\n  securityContext:\n    allowPrivilegeEscalation: false")]));
        assert!(plan.add(&[edit(5, 5, "\n  securityContext:\n    capabilities:\n      drop: [ALL]")]));
        // The same edit twice (one node reached twice) counts once.
        assert!(plan.add(&[edit(5, 5, "\n  securityContext:\n    runAsNonRoot: true")]));
        assert_eq!(
            plan.apply("a: b\nc\n").unwrap(),
            "a: b\n\n  securityContext:\n    runAsNonRoot: true\n    allowPrivilegeEscalation: false\n    capabilities:\n      drop: [ALL]c\n"
        );
    }

    #[test]
    fn keeps_crlf_when_composing() {
        let merged = compose("\r\n  sc:\r\n    a: 1", "\r\n  sc:\r\n    b: 2").unwrap();
        assert_eq!(merged, "\r\n  sc:\r\n    a: 1\r\n    b: 2");
    }

    #[test]
    fn refuses_what_would_not_compose() {
        // Different parents (indentation), flow style, the same key twice.
        assert!(compose("\n  a: 1", "\n    b: 2").is_none());
        assert!(compose(", a: 1", ", b: 2").is_none());
        assert!(compose("\n  sc:\n    a: 1", "\n  sc:\n    a: 2").is_none());
        let mut plan = Plan::default();
        assert!(plan.add(&[edit(0, 3, "x")]));
        assert!(!plan.add(&[edit(2, 4, "y")]));
        assert!(plan.add(&[edit(3, 4, "z")]));
    }
}
