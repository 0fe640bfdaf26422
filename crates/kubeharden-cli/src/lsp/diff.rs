//! The edits that turn one text into another, by lines (Myers' O(ND) difference), so that a
//! "fix all" or an exemption reaches the editor as a few small edits rather than one that
//! replaces the file (which would move the cursor and the folds).

use std::ops::Range;

/// Above this many steps of work the difference is sent as one replacement of the changed
/// middle (still correct, only coarser).
const WORK_BUDGET: usize = 4_000_000;

/// Byte ranges of `old` and the text that replaces each, in order, not overlapping.
pub fn line_edits(old: &str, new: &str) -> Vec<(Range<usize>, String)> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix =
        a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count().min(a.len().min(b.len()) - prefix);
    let starts = line_starts(&a);
    let byte = |line: usize| starts.get(line).copied().unwrap_or(old.len());
    let a_mid = a.get(prefix..a.len() - suffix).unwrap_or_default();
    let b_mid = b.get(prefix..b.len() - suffix).unwrap_or_default();
    if a_mid.is_empty() && b_mid.is_empty() {
        return Vec::new();
    }
    let hunks = myers(a_mid, b_mid).unwrap_or_else(|| vec![(0..a_mid.len(), 0..b_mid.len())]);
    hunks
        .into_iter()
        .map(|(ra, rb)| {
            let text: String = b_mid.get(rb).unwrap_or_default().concat();
            (byte(prefix + ra.start)..byte(prefix + ra.end), text)
        })
        .collect()
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
    fn separate_changes_stay_separate_edits() {
        let old: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "line 10\n  inserted\n").replace("line 150\n", "line 150 changed\n");
        let edits = line_edits(&old, &new);
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(edits[0].1, "  inserted\n");
        assert_eq!(apply(&old, &edits), new);
    }
}
