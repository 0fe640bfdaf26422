//! What changed between two texts, by lines (Myers' O(ND) difference): as a few small edits
//! (so that an editor's "fix all" does not replace the whole file, which would move the cursor
//! and the folds), and as a unified diff (`lint --diff`, the page's preview, npm `fix()`).

use std::ops::Range;

/// Above this many steps of work the difference is sent as one replacement of the changed
/// middle (still correct, only coarser).
const WORK_BUDGET: usize = 4_000_000;

/// Changed line ranges (old lines, new lines), in order; lines keep their line breaks.
fn hunks<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Range<usize>, Range<usize>)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix =
        a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count().min(a.len().min(b.len()) - prefix);
    let a_mid = a.get(prefix..a.len() - suffix).unwrap_or_default();
    let b_mid = b.get(prefix..b.len() - suffix).unwrap_or_default();
    if a_mid.is_empty() && b_mid.is_empty() {
        return Vec::new();
    }
    let found = myers(a_mid, b_mid).unwrap_or_else(|| vec![(0..a_mid.len(), 0..b_mid.len())]);
    found.into_iter().map(|(ra, rb)| (prefix + ra.start..prefix + ra.end, prefix + rb.start..prefix + rb.end)).collect()
}

/// Byte ranges of `old` and the text that replaces each, in order, not overlapping.
pub fn line_edits(old: &str, new: &str) -> Vec<(Range<usize>, String)> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let starts = line_starts(&a);
    let byte = |line: usize| starts.get(line).copied().unwrap_or(old.len());
    hunks(&a, &b)
        .into_iter()
        .map(|(ra, rb)| (byte(ra.start)..byte(ra.end), b.get(rb).unwrap_or_default().concat()))
        .collect()
}

/// Lines of context around each change in a unified diff.
const CONTEXT: usize = 3;

/// A unified diff (`---`/`+++` headers, `@@` hunks with three lines of context) from `old` to
/// `new`, both named `name` (`a/` and `b/` prefixes, as git writes them). Empty when the texts
/// are equal.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let changes = hunks(&a, &b);
    if changes.is_empty() {
        return String::new();
    }
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    // Group changes whose context would touch.
    let mut groups: Vec<Vec<(Range<usize>, Range<usize>)>> = Vec::new();
    for change in changes {
        match groups.last_mut() {
            Some(group) if group.last().is_some_and(|(ra, _)| change.0.start <= ra.end + 2 * CONTEXT) => {
                group.push(change)
            }
            _ => groups.push(vec![change]),
        }
    }
    for group in groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let a_start = first.0.start.saturating_sub(CONTEXT);
        let b_start = first.1.start - (first.0.start - a_start);
        let a_end = (last.0.end + CONTEXT).min(a.len());
        let b_end = last.1.end + (a_end - last.0.end);
        let range = |start: usize, end: usize| {
            let count = end - start;
            let first_line = if count == 0 { start } else { start + 1 };
            if count == 1 { format!("{first_line}") } else { format!("{first_line},{count}") }
        };
        out.push_str(&format!("@@ -{} +{} @@\n", range(a_start, a_end), range(b_start, b_end)));
        let mut at = a_start;
        for (ra, rb) in &group {
            for line in a.get(at..ra.start).unwrap_or_default() {
                push_line(&mut out, ' ', line);
            }
            for line in a.get(ra.clone()).unwrap_or_default() {
                push_line(&mut out, '-', line);
            }
            for line in b.get(rb.clone()).unwrap_or_default() {
                push_line(&mut out, '+', line);
            }
            at = ra.end;
        }
        for line in a.get(at..a_end).unwrap_or_default() {
            push_line(&mut out, ' ', line);
        }
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

fn line_starts(lines: &[&str]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    for line in lines {
        starts.push(at);
        at += line.len();
    }
    starts.push(at);
    starts
}

/// Hunks (old line range, new line range) of a shortest edit script, or `None` past the budget.
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<(Range<usize>, Range<usize>)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let width = 2 * max + 3;
    let mut v = vec![0isize; width];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |k: isize| (k + offset) as usize;
    'search: for d in 0..=max as isize {
        if trace.len().saturating_mul(width) > WORK_BUDGET {
            return None;
        }
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v.get(at(k - 1)) < v.get(at(k + 1)));
            let mut x = if down { *v.get(at(k + 1))? } else { *v.get(at(k - 1))? + 1 };
            let mut y = x - k;
            while x < n && y < m && a.get(x as usize) == b.get(y as usize) {
                x += 1;
                y += 1;
            }
            *v.get_mut(at(k))? = x;
            if x >= n && y >= m {
                break 'search;
            }
            k += 2;
        }
    }
    // Walk back from the end, collecting the non-diagonal steps as hunks.
    let (mut x, mut y) = (n, m);
    let mut hunks: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let k = x - y;
        let down = k == -d || (k != d && v.get(at(k - 1)) < v.get(at(k + 1)));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = *v.get(at(prev_k))?;
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            let (ra, rb) = if down {
                (x as usize..x as usize, prev_y as usize..y as usize)
            } else {
                (prev_x as usize..x as usize, y as usize..y as usize)
            };
            match hunks.last_mut() {
                Some((la, lb)) if la.start == ra.end && lb.start == rb.end => {
                    la.start = ra.start;
                    lb.start = rb.start;
                }
                _ => hunks.push((ra, rb)),
            }
        }
        x = prev_x;
        y = prev_y;
    }
    hunks.reverse();
    Some(hunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, edits: &[(Range<usize>, String)]) -> String {
        let mut out = old.to_owned();
        for (range, text) in edits.iter().rev() {
            out.replace_range(range.clone(), text);
        }
        out
    }

    #[test]
    fn edits_turn_old_into_new() {
        let cases = [
            ("a\nb\nc\n", "a\nb\nc\n"),
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\nc\n", "a\nb\nc\nd\n"),
            ("a\nb\nc\n", "x\na\nb\nc\n"),
            ("a\nb\nc\nd\ne\n", "a\nc\nd\nX\ne\nf\n"),
            ("", "a\n"),
            ("a\n", ""),
            ("a\r\nb\r\n", "a\r\n  x\r\nb\r\n"),
            ("no newline", "no newline at all"),
        ];
        for (old, new) in cases {
            let edits = line_edits(old, new);
            assert_eq!(apply(old, &edits), new, "{old:?} -> {new:?}: {edits:?}");
        }
    }

    #[test]
    fn unified_diffs_have_headers_hunks_and_context() {
        let old: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let new = old.replace("l5\n", "l5\n  added\n").replace("l18\n", "L18\n");
        assert_eq!(
            unified("p.yaml", &old, &new),
            "--- a/p.yaml\n+++ b/p.yaml\n@@ -3,6 +3,7 @@\n l3\n l4\n l5\n+  added\n l6\n l7\n l8\n@@ -15,6 +16,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n"
        );
        assert_eq!(unified("p", "a\n", "a\n"), "");
        assert_eq!(
            unified("p", "a", "b"),
            "--- a/p\n+++ b/p\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("p", "", "a\n"), "--- a/p\n+++ b/p\n@@ -0,0 +1 @@\n+a\n");
    }

    #[test]
    fn separate_changes_stay_separate_edits() {
        let old: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "line 10\n  inserted\n").replace("line 150\n", "line 150 changed\n");
        let edits = line_edits(&old, &new);
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(edits[0].1, "  inserted\n");
        assert_eq!(apply(&old, &edits), new);
    }
}
