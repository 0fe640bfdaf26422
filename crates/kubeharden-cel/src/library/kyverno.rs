//! Kyverno's CEL libraries (github.com/kyverno/sdk, as Kyverno's ValidatingPolicy compiler
//! adds them): the offline ones are evaluated here (`image()` reference parsing); those
//! that need a cluster or the network (`resource.*`, `http.*`, `globalContext.*`,
//! `imageData.*`) are declared, so policies using them compile, and report "not
//! evaluable offline" when reached.

use std::rc::Rc;

use crate::eval::{EvalError, Evaluator, Result};
use crate::library::ext::Ext;
use crate::value::Value;

/// A parsed image reference, as go-containerregistry's `name.ParseReference` reads it:
/// Docker Hub is `index.docker.io`, single-segment repositories live under `library/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub text: String,
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

pub fn parse_image(s: &str) -> Option<Image> {
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return None;
    }
    let (name, digest) = match s.split_once('@') {
        Some((n, d)) => {
            let (algo, hex) = d.split_once(':')?;
            if algo.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            (n, Some(d.to_string()))
        }
        None => (s, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repo_part, tag) = match name.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(i) => {
            let at = last_slash + i;
            (name.get(..at)?, Some(name.get(at + 1..)?.to_string()))
        }
        None => (name, None),
    };
    if tag.as_ref().is_some_and(|t| {
        t.is_empty() || t.len() > 128 || !t.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    }) {
        return None;
    }
    let (registry, repository) = match repo_part.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            (first.to_string(), rest.to_string())
        }
        _ => ("index.docker.io".to_string(), repo_part.to_string()),
    };
    let registry = if registry == "docker.io" { "index.docker.io".to_string() } else { registry };
    let repository = if registry == "index.docker.io" && !repository.contains('/') {
        format!("library/{repository}")
    } else {
        repository
    };
    if repository.is_empty()
        || !repository.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c))
    {
        return None;
    }
    let tag = if tag.is_none() && digest.is_none() { Some("latest".to_string()) } else { tag };
    Some(Image { text: s.to_string(), registry, repository, tag, digest })
}

pub fn image_call(image: &Image, name: &str, other: Option<&Value>) -> Result<Option<Value>> {
    if other.is_some() {
        return Ok(None);
    }
    Ok(Some(match name {
        "registry" => Value::string(&image.registry),
        "repository" => Value::string(&image.repository),
        "identifier" => Value::string(image.digest.as_deref().or(image.tag.as_deref()).unwrap_or_default()),
        "tag" => Value::string(image.tag.as_deref().unwrap_or_default()),
        "digest" => Value::string(image.digest.as_deref().unwrap_or_default()),
        "containsDigest" => Value::Bool(image.digest.is_some()),
        _ => return Ok(None),
    }))
}

pub fn call(ev: &mut Evaluator<'_>, name: &str, member: bool, args: &[Value]) -> Result<Option<Value>> {
    let _ = ev;
    match (name, member, args) {
        ("image", false, [Value::String(s)]) => {
            let image = parse_image(s).ok_or_else(|| EvalError::runtime(format!("could not parse reference: {s}")))?;
            Ok(Some(Value::Ext(Rc::new(Ext::Image(image)))))
        }
        ("isImage", false, [Value::String(s)]) => Ok(Some(Value::Bool(parse_image(s).is_some()))),
        _ => Ok(None),
    }
}

/// Kyverno-only global and member functions beyond those of the FUNCTIONS table.
pub fn known(name: &str) -> bool {
    matches!(
        name,
        "get"
            | "list"
            | "post"
            | "apply"
            | "getResource"
            | "listResources"
            | "Get"
            | "Post"
            | "Client"
            | "parseImageReference"
    )
}

/// `resource.get(...)`, `http.get(...)`, `globalContext.get(...)`: declared (they compile)
/// but need the cluster.
pub fn namespaced_known(ns: &str, _name: &str) -> bool {
    matches!(
        ns,
        "resource"
            | "http"
            | "globalContext"
            | "gctx"
            | "imageData"
            | "json"
            | "yaml"
            | "math"
            | "hash"
            | "random"
            | "time"
            | "x509"
            | "user"
    )
}
