//! "Did you mean …": the closest rule IDs to a mistyped one, and lookup by alias.

use kubeharden::rules::{self, Rule};

/// The rule whose alias (upstream check ID, other linters' IDs, CIS/NSA section) is `text`,
/// compared case-insensitively.
pub fn by_alias(text: &str) -> Option<&'static Rule> {
    rules::all().find(|r| r.aliases.iter().any(|a| a.eq_ignore_ascii_case(text)))
}

/// Up to three rule IDs close to `text`: small edit distance, or containing it.
pub fn closest(text: &str) -> Vec<&'static str> {
    let needle = text.to_ascii_lowercase();
    let limit = (needle.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'static str)> = rules::all()
        .filter_map(|r| {
            // Also against the ID without its leading words (`privileged` for `pss-privileged`).
            let tails = r.id.match_indices('-').filter_map(|(i, _)| r.id.get(i + 1..));
            let distance = std::iter::once(r.id)
                .chain(tails)
                .map(|candidate| levenshtein(&needle, candidate))
                .min()
                .unwrap_or(usize::MAX);
            let contains = needle.len() >= 3 && (r.id.contains(&needle) || needle.contains(r.id));
            (distance <= limit || contains).then_some((if contains { distance.min(limit) } else { distance }, r.id))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// The hint appended to an unknown-rule message (starts with a newline when not empty).
pub fn did_you_mean(text: &str) -> String {
    let close = closest(text);
    let mut out = String::new();
    if !close.is_empty() {
        let list: Vec<String> = close.iter().map(|id| format!("`{id}`")).collect();
        out.push_str(&format!("\n  did you mean {}?", list.join(", ")));
    }
    out.push_str("\n  `kubeharden rules` lists every rule");
    out
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            current.push(substitution.min(insertion).min(deletion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn typos_find_the_rule() {
        assert_eq!(closest("pss-privilegd").first(), Some(&"pss-privileged"));
        assert_eq!(closest("PSS-PRIVILEGED").first(), Some(&"pss-privileged"));
        assert!(closest("privileged").contains(&"pss-privileged"));
        assert_eq!(closest("privilegd").first(), Some(&"pss-privileged"));
        assert!(closest("zzzzzzzzzzzzzzzzzzzz").is_empty());
    }
}
