//! "Did you mean …?": the known names closest to a misspelled one.

/// Edit distance with adjacent transpositions (optimal string alignment), ignoring ASCII case,
/// capped: anything above `cap` is reported as `cap + 1`.
fn distance(a: &str, b: &str, cap: usize) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    let width = b.len() + 1;
    let mut prev2: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut row: Vec<usize> = vec![0; width];
    for (i, &ca) in a.iter().enumerate() {
        let mut best = usize::MAX;
        for j in 0..width {
            let value = if j == 0 {
                i + 1
            } else {
                let cb = b.get(j - 1).copied().unwrap_or(0);
                let cost = usize::from(ca != cb);
                let sub = prev.get(j - 1).copied().unwrap_or(usize::MAX).saturating_add(cost);
                let del = prev.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
                let ins = row.get(j - 1).copied().unwrap_or(usize::MAX).saturating_add(1);
                let mut v = sub.min(del).min(ins);
                let transposed = i > 0 && j > 1 && a.get(i - 1) == Some(&cb) && b.get(j - 2) == Some(&ca);
                if transposed {
                    v = v.min(prev2.get(j - 2).copied().unwrap_or(usize::MAX).saturating_add(1));
                }
                v
            };
            if let Some(slot) = row.get_mut(j) {
                *slot = value;
            }
            best = best.min(value);
        }
        if best > cap {
            return cap + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev.get(b.len()).copied().unwrap_or(cap + 1).min(cap + 1)
}

/// How far a name may be from a suggestion: one edit for short names, up to three for long ones.
fn budget(name: &str) -> usize {
    match name.len() {
        0..=4 => 1,
        5..=9 => 2,
        _ => 3,
    }
}

/// The candidates closest to `name` within its budget (ties kept, in candidate order). A
/// candidate equal but for case always wins.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let cap = budget(name);
    let mut best = cap + 1;
    let mut out: Vec<&'a str> = Vec::new();
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let d = if candidate.eq_ignore_ascii_case(name) { 0 } else { distance(name, candidate, cap) };
        if d < best {
            best = d;
            out.clear();
        }
        if d == best && d <= cap && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("securityContex", "securityContext", 3), 1);
        assert_eq!(distance("contianers", "containers", 3), 1);
        assert_eq!(distance("abc", "xyz", 1), 2);
        assert_eq!(distance("ImagePullPolicy", "imagePullPolicy", 3), 0);
    }

    #[test]
    fn picks_the_closest() {
        let fields = ["securityContext", "serviceAccountName", "containers", "initContainers"];
        assert_eq!(closest("securityContex", fields.into_iter()), ["securityContext"]);
        assert_eq!(closest("contaners", fields.into_iter()), ["containers"]);
        assert!(closest("zzz", fields.into_iter()).is_empty());
        assert_eq!(closest("limts", ["limits", "claims", "requests"].into_iter()), ["limits"]);
    }
}
