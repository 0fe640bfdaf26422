//! URLs for the Kubernetes URL library: absolute URIs or absolute paths as Go's
//! `url.ParseRequestURI` accepts them, with its getters.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub text: String,
    pub scheme: String,
    /// `host[:port]` as written (IPv6 in brackets).
    pub host: String,
    pub path: String,
    pub query: String,
}

pub fn parse(s: &str) -> Option<Url> {
    if s.is_empty() || s.chars().any(|c| c.is_control() || c == ' ') {
        return None;
    }
    let without_fragment = s.split_once('#').map_or(s, |(a, _)| a);
    let (rest, query) = without_fragment.split_once('?').map_or((without_fragment, ""), |(a, q)| (a, q));
    if rest.starts_with('/') {
        return Some(Url {
            text: s.into(),
            scheme: String::new(),
            host: String::new(),
            path: rest.into(),
            query: query.into(),
        });
    }
    let (scheme, after) = rest.split_once(':')?;
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let (host, path) = match after.strip_prefix("//") {
        Some(authority_and_path) => {
            let (authority, path) = match authority_and_path.find('/') {
                Some(i) => authority_and_path.split_at(i),
                None => (authority_and_path, ""),
            };
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            if host.starts_with('[') && !host.contains(']') {
                return None;
            }
            (host.to_string(), path.to_string())
        }
        None => {
            if !after.starts_with('/') && !after.is_empty() {
                // Opaque URIs (`mailto:x`) have no host or path.
                return Some(Url {
                    text: s.into(),
                    scheme: scheme.into(),
                    host: String::new(),
                    path: String::new(),
                    query: query.into(),
                });
            }
            (String::new(), after.to_string())
        }
    };
    Some(Url { text: s.into(), scheme: scheme.into(), host, path, query: query.into() })
}

impl Url {
    pub fn hostname(&self) -> String {
        if let Some(rest) = self.host.strip_prefix('[') {
            return rest.split_once(']').map_or(rest, |(h, _)| h).to_string();
        }
        self.host.rsplit_once(':').map_or(self.host.as_str(), |(h, _)| h).to_string()
    }

    pub fn port(&self) -> String {
        if self.host.starts_with('[') {
            return self.host.rsplit_once("]:").map_or(String::new(), |(_, p)| p.to_string());
        }
        self.host.rsplit_once(':').map_or(String::new(), |(_, p)| p.to_string())
    }

    /// `key=value&...`, decoded, values in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(h) => {
                        out.push(h);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
