//! The Kubernetes library types that are not plain CEL values (quantity, URL, IP, CIDR,
//! semver, named formats) and their functions.

use std::cmp::Ordering;
use std::net::IpAddr;
use std::rc::Rc;

use crate::eval::{EvalError, Evaluator, Result};
use crate::library::net::{self, Cidr};
use crate::library::quantity::Quantity;
use crate::library::semver::{self, Semver};
use crate::library::url::{self, Url};
use crate::value::{Key, Map, Value};

#[derive(Debug)]
pub enum Ext {
    Quantity(Quantity),
    Url(Url),
    Ip(IpAddr),
    Cidr(Cidr),
    Semver(Semver),
    Format(Format),
    /// Kyverno's `image()`.
    Image(crate::library::kyverno::Image),
}

impl Ext {
    pub fn type_name(&self) -> &'static str {
        match self {
            Ext::Quantity(_) => "kubernetes.Quantity",
            Ext::Url(_) => "kubernetes.URL",
            Ext::Ip(_) => "net.IP",
            Ext::Cidr(_) => "net.CIDR",
            Ext::Semver(_) => "kubernetes.Semver",
            Ext::Format(_) => "kubernetes.NamedFormat",
            Ext::Image(_) => "kyverno.Image",
        }
    }

    pub fn equals(&self, other: &Ext) -> bool {
        match (self, other) {
            (Ext::Quantity(a), Ext::Quantity(b)) => a.cmp(*b) == Ordering::Equal,
            (Ext::Url(a), Ext::Url(b)) => a == b,
            (Ext::Ip(a), Ext::Ip(b)) => a == b,
            (Ext::Cidr(a), Ext::Cidr(b)) => a == b,
            (Ext::Semver(a), Ext::Semver(b)) => a.cmp(b) == Ordering::Equal,
            (Ext::Format(a), Ext::Format(b)) => a == b,
            (Ext::Image(a), Ext::Image(b)) => a == b,
            _ => false,
        }
    }
}

impl std::fmt::Display for Ext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ext::Quantity(q) => write!(f, "{q}"),
            Ext::Url(u) => write!(f, "{}", u.text),
            Ext::Ip(ip) => write!(f, "{ip}"),
            Ext::Cidr(c) => write!(f, "{c}"),
            Ext::Semver(s) => write!(f, "{}", s.text),
            Ext::Format(n) => write!(f, "{}", n.0),
            Ext::Image(i) => write!(f, "{}", i.text),
        }
    }
}

pub fn select(ext: &Rc<Ext>, field: &str) -> Result<Value> {
    Err(EvalError::runtime(format!("type '{}' does not support field selection ({field})", ext.type_name())))
}

pub fn compare_op(name: &str, a: &Rc<Ext>, b: &Rc<Ext>) -> Result<Value> {
    Err(EvalError::no_overload(name, &[Value::Ext(a.clone()), Value::Ext(b.clone())]))
}

fn ext(e: Ext) -> Value {
    Value::Ext(Rc::new(e))
}

fn invalid(kind: &str, s: &str) -> EvalError {
    EvalError::runtime(format!("{kind} parse error: {s}"))
}

fn ordering(o: Ordering) -> i64 {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

pub fn call(ev: &mut Evaluator<'_>, name: &str, member: bool, args: &[Value]) -> Result<Option<Value>> {
    let v = ev.version();
    // Constructors and tests on strings.
    if let (false, Some(Value::String(s))) = (member, args.first()) {
        let s: &str = s;
        let normalize = matches!(args.get(1), Some(Value::Bool(true)));
        let out = match name {
            "quantity" if v.at_least(28) => ext(Ext::Quantity(Quantity::parse(s).ok_or_else(|| {
                EvalError::runtime(
                    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                )
            })?)),
            "isQuantity" if v.at_least(28) => Value::Bool(Quantity::parse(s).is_some()),
            "url" => ext(Ext::Url(url::parse(s).ok_or_else(|| invalid("URL", s))?)),
            "isURL" => Value::Bool(url::parse(s).is_some()),
            "ip" if v.at_least(30) => ext(Ext::Ip(net::parse_ip(s).ok_or_else(|| invalid("IP Address", s))?)),
            "isIP" if v.at_least(30) => Value::Bool(net::parse_ip(s).is_some()),
            "cidr" if v.at_least(30) => {
                ext(Ext::Cidr(net::parse_cidr(s).ok_or_else(|| invalid("network address", s))?))
            }
            "isCIDR" if v.at_least(30) => Value::Bool(net::parse_cidr(s).is_some()),
            "semver" if v.at_least(33) => {
                ext(Ext::Semver(semver::parse(s, normalize).ok_or_else(|| invalid("semver", s))?))
            }
            "isSemver" if v.at_least(33) => Value::Bool(semver::parse(s, normalize).is_some()),
            _ => return Ok(None),
        };
        return Ok(Some(out));
    }
    if !member {
        return Ok(None);
    }
    let Some(Value::Ext(this)) = args.first() else { return Ok(None) };
    let other = args.get(1);
    let out = match (&**this, name, other) {
        (Ext::Quantity(q), _, _) => {
            let other_q = |o: Option<&Value>| -> Result<Quantity> {
                match o {
                    Some(Value::Ext(e)) => match &**e {
                        Ext::Quantity(x) => Ok(*x),
                        _ => Err(EvalError::no_overload(name, args)),
                    },
                    Some(Value::Int(i)) if matches!(name, "add" | "sub") => Ok(Quantity::from_int(*i)),
                    _ => Err(EvalError::no_overload(name, args)),
                }
            };
            match name {
                "sign" => Value::Int(q.sign()),
                "isInteger" => Value::Bool(q.is_integer()),
                "asInteger" => {
                    Value::Int(q.as_integer().ok_or_else(|| EvalError::runtime("cannot convert value to integer"))?)
                }
                "asApproximateFloat" => Value::Double(q.as_f64()),
                "isGreaterThan" => Value::Bool(q.cmp(other_q(other)?) == Ordering::Greater),
                "isLessThan" => Value::Bool(q.cmp(other_q(other)?) == Ordering::Less),
                "compareTo" => Value::Int(ordering(q.cmp(other_q(other)?))),
                "add" => {
                    ext(Ext::Quantity(q.add(other_q(other)?).ok_or_else(|| EvalError::runtime("quantity overflow"))?))
                }
                "sub" => ext(Ext::Quantity(
                    q.add(other_q(other)?.neg()).ok_or_else(|| EvalError::runtime("quantity overflow"))?,
                )),
                _ => return Ok(None),
            }
        }
        (Ext::Url(u), "getScheme", None) => Value::string(&u.scheme),
        (Ext::Url(u), "getHost", None) => Value::string(&u.host),
        (Ext::Url(u), "getHostname", None) => Value::string(&u.hostname()),
        (Ext::Url(u), "getPort", None) => Value::string(&u.port()),
        (Ext::Url(u), "getEscapedPath", None) => Value::string(&u.path),
        (Ext::Url(u), "getQuery", None) => {
            let mut map = Map::new();
            for (k, val) in u.query_pairs() {
                let key = Key::String(Rc::from(k.as_str()));
                let mut items = match map.get(&key) {
                    Some(Value::List(l)) => (**l).clone(),
                    _ => Vec::new(),
                };
                items.push(Value::string(&val));
                map.insert(key, Value::list(items));
            }
            Value::Map(Rc::new(map))
        }
        (Ext::Ip(ip), _, None) => match name {
            "family" => Value::Int(if ip.is_ipv4() { 4 } else { 6 }),
            "isUnspecified" => Value::Bool(ip.is_unspecified()),
            "isLoopback" => Value::Bool(ip.is_loopback()),
            "isLinkLocalMulticast" => Value::Bool(net::is_link_local_multicast(*ip)),
            "isLinkLocalUnicast" => Value::Bool(net::is_link_local_unicast(*ip)),
            "isGlobalUnicast" => Value::Bool(net::is_global_unicast(*ip)),
            _ => return Ok(None),
        },
        (Ext::Cidr(c), "containsIP", Some(o)) => {
            let ip = match o {
                Value::String(s) => net::parse_ip(s).ok_or_else(|| invalid("IP Address", s))?,
                Value::Ext(e) => match &**e {
                    Ext::Ip(ip) => *ip,
                    _ => return Err(EvalError::no_overload(name, args)),
                },
                _ => return Err(EvalError::no_overload(name, args)),
            };
            Value::Bool(c.contains_ip(ip))
        }
        (Ext::Cidr(c), "containsCIDR", Some(o)) => {
            let other = match o {
                Value::String(s) => net::parse_cidr(s).ok_or_else(|| invalid("network address", s))?,
                Value::Ext(e) => match &**e {
                    Ext::Cidr(x) => *x,
                    _ => return Err(EvalError::no_overload(name, args)),
                },
                _ => return Err(EvalError::no_overload(name, args)),
            };
            Value::Bool(c.contains_cidr(&other))
        }
        (Ext::Cidr(c), "ip", None) => ext(Ext::Ip(c.ip)),
        (Ext::Cidr(c), "masked", None) => ext(Ext::Cidr(c.masked())),
        (Ext::Cidr(c), "prefixLength", None) => Value::Int(i64::from(c.prefix)),
        (Ext::Semver(s), _, _) => {
            let other_s = |o: Option<&Value>| -> Result<Semver> {
                match o {
                    Some(Value::Ext(e)) => match &**e {
                        Ext::Semver(x) => Ok(x.clone()),
                        _ => Err(EvalError::no_overload(name, args)),
                    },
                    _ => Err(EvalError::no_overload(name, args)),
                }
            };
            match name {
                "major" => Value::Int(s.major as i64),
                "minor" => Value::Int(s.minor as i64),
                "patch" => Value::Int(s.patch as i64),
                "isGreaterThan" => Value::Bool(s.cmp(&other_s(other)?) == Ordering::Greater),
                "isLessThan" => Value::Bool(s.cmp(&other_s(other)?) == Ordering::Less),
                "compareTo" => Value::Int(ordering(s.cmp(&other_s(other)?))),
                _ => return Ok(None),
            }
        }
        (Ext::Format(f), "validate", Some(Value::String(s))) => {
            ev.charge_bytes(s.len())?;
            match f.validate(s) {
                None => Value::Optional(None),
                Some(errors) => {
                    Value::Optional(Some(Rc::new(Value::list(errors.into_iter().map(|e| Value::string(&e)).collect()))))
                }
            }
        }
        (Ext::Image(i), _, _) => return crate::library::kyverno::image_call(i, name, other),
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// A named format of the format library (`format.dns1123Label()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format(pub &'static str);

const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn is_label(s: &str, first_alpha: bool, prefix: bool) -> bool {
    let b = s.as_bytes();
    let ok_inner = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            (if first_alpha { f.is_ascii_lowercase() } else { f.is_ascii_lowercase() || f.is_ascii_digit() })
                && (prefix || l.is_ascii_lowercase() || l.is_ascii_digit())
                && b.iter().all(ok_inner)
        }
        _ => false,
    }
}

fn max_len(s: &str, n: usize) -> Option<String> {
    (s.len() > n).then(|| format!("must be no more than {n} characters"))
}

impl Format {
    pub fn named(name: &str) -> Option<Format> {
        const NAMES: &[&str] = &[
            "dns1123Label",
            "dns1123Subdomain",
            "dns1035Label",
            "qualifiedName",
            "dns1123LabelPrefix",
            "dns1123SubdomainPrefix",
            "dns1035LabelPrefix",
            "labelValue",
            "uri",
            "uuid",
            "byte",
            "date",
            "datetime",
        ];
        NAMES.iter().find(|n| **n == name).map(|n| Format(n))
    }

    /// The validation errors of `s`, `None` when it is valid.
    pub fn validate(&self, s: &str) -> Option<Vec<String>> {
        let mut errors = Vec::new();
        let subdomain = |s: &str, prefix: bool| {
            let labels: Vec<&str> = s.split('.').collect();
            let n = labels.len();
            labels.iter().enumerate().all(|(i, l)| is_label(l, false, prefix && i + 1 == n))
        };
        match self.0 {
            "dns1123Label" | "dns1123LabelPrefix" => {
                errors.extend(max_len(s, 63));
                if !is_label(s, false, self.0.ends_with("Prefix")) {
                    errors.push(DNS1123_LABEL.into());
                }
            }
            "dns1035Label" | "dns1035LabelPrefix" => {
                errors.extend(max_len(s, 63));
                if !is_label(s, true, self.0.ends_with("Prefix")) {
                    errors.push(DNS1035_LABEL.into());
                }
            }
            "dns1123Subdomain" | "dns1123SubdomainPrefix" => {
                errors.extend(max_len(s, 253));
                if !subdomain(s, self.0.ends_with("Prefix")) {
                    errors.push(DNS1123_SUBDOMAIN.into());
                }
            }
            "qualifiedName" => {
                let (prefix, name) = match s.split_once('/') {
                    Some((p, n)) => (Some(p), n),
                    None => (None, s),
                };
                if let Some(p) = prefix {
                    if p.is_empty() {
                        errors.push("prefix part must be non-empty".into());
                    } else if !subdomain(p, false) || p.len() > 253 {
                        errors.push(format!("prefix part {DNS1123_SUBDOMAIN}"));
                    }
                }
                if name.is_empty() {
                    errors.push("name part must be non-empty".into());
                } else {
                    if name.len() > 63 {
                        errors.push("name part must be no more than 63 characters".into());
                    }
                    let b = name.as_bytes();
                    let ok = b.first().is_some_and(u8::is_ascii_alphanumeric)
                        && b.last().is_some_and(u8::is_ascii_alphanumeric)
                        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c));
                    if !ok {
                        errors.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".into());
                    }
                }
            }
            "labelValue" => {
                errors.extend(max_len(s, 63));
                let b = s.as_bytes();
                let ok = b.is_empty()
                    || (b.first().is_some_and(u8::is_ascii_alphanumeric)
                        && b.last().is_some_and(u8::is_ascii_alphanumeric)
                        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c)));
                if !ok {
                    errors.push(LABEL_VALUE.into());
                }
            }
            "uri" => {
                if url::parse(s).is_none() {
                    errors.push("invalid URI".into());
                }
            }
            "uuid" => {
                let b = s.as_bytes();
                let ok = b.len() == 36
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() });
                if !ok {
                    errors.push("does not match the UUID format".into());
                }
            }
            "byte" => {
                let ok = s.len().is_multiple_of(4)
                    && s.trim_end_matches('=').bytes().all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
                    && s.len() - s.trim_end_matches('=').len() <= 2;
                if !ok {
                    errors.push("invalid base64".into());
                }
            }
            "date" => {
                if crate::library::stdlib::parse_timestamp(&format!("{s}T00:00:00Z")).is_none() || s.len() != 10 {
                    errors.push("invalid date".into());
                }
            }
            _ => {
                if crate::library::stdlib::parse_timestamp(s).is_none() {
                    errors.push("invalid datetime".into());
                }
            }
        }
        if errors.is_empty() { None } else { Some(errors) }
    }
}
