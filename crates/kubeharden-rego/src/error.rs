//! Errors of a policy, with positions in the module's own text.

use crate::budget::Exhausted;
use crate::engine::Compiled;

/// A problem that keeps a policy from compiling: a syntax error, an unsafe variable, a
/// conflicting rule. `module` indexes the modules given to `compile` (for a template: 0 is
/// its `rego`, 1.. its `libs`); `line` and `column` are 1-based, the column counts
/// characters of that line; `offset` is the byte offset in the module's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub module: usize,
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub message: String,
}

/// Why an evaluation gave no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// The policy failed at run time (a conflict between rule values, a function that
    /// does not exist, a wrong argument with strict errors, ...).
    Runtime(PolicyError),
    /// The policy needs something that only exists in a cluster: `http.send`, Gatekeeper's
    /// external data providers.
    NotOffline { what: String, at: Option<PolicyError> },
    /// The policy ran out of its budget.
    Exhausted(Exhausted),
}

impl core::fmt::Display for EvalError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            EvalError::Runtime(e) => f.write_str(&e.message),
            EvalError::NotOffline { what, .. } => {
                write!(f, "{what} is not available offline: the policy needs a cluster to be evaluated")
            }
            EvalError::Exhausted(e) => e.fmt(f),
        }
    }
}

/// Reads regorus' rendering of an error (`--> FILE:LINE:COL`, the source line, a caret,
/// `error: MESSAGE`). Modules are registered under their index as file name, so the index
/// comes back here; the position is in the rewritten text regorus compiled and is taken back
/// to the module's own text. Errors without a position (rare: internal ones) are put at 1:1
/// of module 0. The column regorus gives counts characters.
pub(crate) fn from_regorus(err: &anyhow::Error, modules: &[Compiled]) -> PolicyError {
    let rendered = format!("{err:#}");
    let message = message_of(&rendered);
    let Some((index, line, column)) = location_of(&rendered) else {
        return PolicyError { module: 0, line: 1, column: 1, offset: 0, message };
    };
    let Some(module) = modules.get(index) else {
        return PolicyError { module: 0, line: 1, column: 1, offset: 0, message };
    };
    let rewritten_offset = offset_of(&module.rewritten.text, line, column);
    let offset = module.rewritten.original_offset(rewritten_offset).min(module.original.len());
    let (line, column) = line_column(&module.original, offset);
    PolicyError { module: index, line, column, offset, message }
}

fn location_of(rendered: &str) -> Option<(usize, u32, u32)> {
    let start = rendered.find("--> ")? + 4;
    let rest = rendered.get(start..)?;
    let end = rest.find('\n').unwrap_or(rest.len());
    let loc = rest.get(..end)?;
    let mut parts = loc.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    let module = parts.next()?.trim().parse().ok()?;
    Some((module, line, column))
}

fn message_of(rendered: &str) -> String {
    // The last `error: ` line carries the message; anything after it belongs to it.
    if let Some(at) = rendered.rfind("error: ") {
        let msg = rendered.get(at + 7..).unwrap_or("").trim();
        // A nested rendering (an error raised while evaluating a call) repeats the location
        // block: keep the first line of the innermost message.
        return msg.lines().next().unwrap_or(msg).trim().to_string();
    }
    rendered.trim().lines().next().unwrap_or("").trim().to_string()
}

/// Byte offset of a 1-based line and character column.
pub(crate) fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0usize;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line as usize {
            let col = column.saturating_sub(1) as usize;
            let within = l.char_indices().nth(col).map_or(l.trim_end_matches('\n').len(), |(i, _)| i);
            return offset + within;
        }
        offset += l.len();
    }
    offset.min(text.len())
}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regorus_locations() {
        let rendered = "\n--> 1:3:7\n  |\n3 | x := y\n  |       ^\nerror: var y is unsafe";
        assert_eq!(location_of(rendered), Some((1, 3, 7)));
        assert_eq!(message_of(rendered), "var y is unsafe");
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "ab\nçd\nef";
        let off = offset_of(text, 2, 2);
        assert_eq!(&text[off..off + 1], "d");
        assert_eq!(line_column(text, off), (2, 2));
    }
}
