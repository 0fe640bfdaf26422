//! Semantic versions for the Kubernetes semver library (1.33+): strict `MAJOR.MINOR.PATCH`
//! with optional pre-release and build, or, with `normalize`, `v1.2` read as `1.2.0`.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Semver {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<String>,
    pub text: String,
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub fn parse(s: &str, normalize: bool) -> Option<Semver> {
    let mut text = s.to_string();
    if normalize {
        text = text.strip_prefix('v').unwrap_or(&text).to_string();
        let core_end = text.find(['-', '+']).unwrap_or(text.len());
        let (core, rest) = text.split_at(core_end);
        let mut parts: Vec<String> = core
            .split('.')
            .map(|p| p.trim_start_matches('0').to_string())
            .map(|p| if p.is_empty() { "0".into() } else { p })
            .collect();
        while parts.len() < 3 {
            parts.push("0".into());
        }
        text = format!("{}{rest}", parts.join("."));
    }
    let (main, _build) = text.split_once('+').map_or((text.as_str(), None), |(m, b)| (m, Some(b)));
    let (core, pre) = main.split_once('-').map_or((main, None), |(c, p)| (c, Some(p)));
    let mut it = core.split('.');
    let major = number(it.next()?)?;
    let minor = number(it.next()?)?;
    let patch = number(it.next()?)?;
    if it.next().is_some() {
        return None;
    }
    let pre: Vec<String> = match pre {
        Some(p) => {
            let ids: Vec<String> = p.split('.').map(String::from).collect();
            if ids.iter().any(|i| {
                i.is_empty()
                    || !i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    || (i.chars().all(|c| c.is_ascii_digit()) && i.len() > 1 && i.starts_with('0'))
            }) {
                return None;
            }
            ids
        }
        None => Vec::new(),
    };
    Some(Semver { major, minor, patch, pre, text })
}

impl Semver {
    pub fn cmp(&self, other: &Semver) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch)).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(other.pre.iter()) {
                        let o = match (a.parse::<u64>(), b.parse::<u64>()) {
                            (Ok(x), Ok(y)) => x.cmp(&y),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => a.cmp(b),
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                    self.pre.len().cmp(&other.pre.len())
                }
            }
        })
    }
}
