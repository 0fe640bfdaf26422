//! Exemptions: `kubeharden.io/ignore` on an object, and `exemptions` in the config.
//!
//! An exempted finding is still reported, marked as suppressed (SARIF `suppressions`), so the
//! decision stays visible. An annotation that names a rule which found nothing on the object is
//! reported (`unused-exemption`), and one past its `ignore-until` date stops applying
//! (`expired-exemption`).

use super::Raw;
use crate::config::{Config, Exemption};
use crate::date::parse_date;
use crate::model::{Model, Resource};
use crate::report::{Severity, Suppression};
use crate::rules::{Check, Diagnostic, ExemptionProblem, RawFix, Rule};
use crate::source::NodeRef;

pub const IGNORE: &str = "kubeharden.io/ignore";
pub const IGNORE_REASON: &str = "kubeharden.io/ignore-reason";
pub const IGNORE_UNTIL: &str = "kubeharden.io/ignore-until";

/// Whether an exemption whose `kubeharden.io/ignore-until` is `until` no longer applies on
/// `today` (the config's date; without one, nothing expires).
pub fn expired(until: Option<&str>, today: Option<&str>) -> bool {
    match (until.and_then(parse_date), today.and_then(parse_date)) {
        (Some(until), Some(today)) => today > until,
        _ => false,
    }
}

/// The rule IDs (or `*`, `all`) a `kubeharden.io/ignore` value lists.
pub fn tokens(list: &str) -> impl Iterator<Item = &str> {
    list.split([',', ' ', '\t', '\n']).map(str::trim).filter(|t| !t.is_empty())
}

/// The object a finding is on, as config exemptions select it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Subject<'a> {
    pub kind: Option<&'a str>,
    pub namespace: Option<&'a str>,
    pub name: Option<&'a str>,
    pub source: Option<&'a str>,
}

/// The first config exemption that covers a finding on `subject`; `names_rule` says whether an
/// exemption's rule entry names the finding's rule (the core also accepts a renamed rule's old
/// ID; a layer without the registry compares IDs).
pub fn config_exemption<'c>(
    config: &'c Config,
    names_rule: impl Fn(&str) -> bool,
    subject: Subject<'_>,
) -> Option<&'c Exemption> {
    let field = |want: &Option<String>, have: Option<&str>| match want.as_deref() {
        None | Some("*") => true,
        Some(w) => have.is_some_and(|h| glob(w, h)),
    };
    config.exemptions.iter().find(|ex| {
        ex.rules.iter().any(|r| r == "*" || names_rule(r))
            && field(&ex.kind, subject.kind)
            && field(&ex.namespace, subject.namespace)
            && field(&ex.name, subject.name)
            && field(&ex.source, subject.source)
    })
}

pub(crate) fn apply(model: &Model<'_>, config: &Config, active: &[(&'static Rule, Severity)], raws: &mut Vec<Raw>) {
    apply_config(model, config, raws);
    let severity_of = |rule: &Rule| active.iter().find(|(r, _)| r.id == rule.id).map(|(_, s)| *s);
    // The rule that reports a problem, when it runs (the engine knows rules by what they check).
    let reporter = |problem: ExemptionProblem| {
        active.iter().find(|(r, _)| r.checks.iter().any(|v| matches!(v.check, Check::Exemption(p) if p == problem)))
    };
    let mut extra: Vec<Raw> = Vec::new();
    for resource in &model.resources {
        let Some(annotations) = resource.annotations() else {
            continue;
        };
        let Some((_, value)) = annotations.entry(IGNORE) else {
            continue;
        };
        let list = value.str().unwrap_or("");
        let reason = resource.annotation(IGNORE_REASON).map(str::to_owned);
        let until_node = annotations.field(IGNORE_UNTIL);
        let until = until_node.and_then(|u| u.str()).map(str::to_owned);
        let expired = expired(until.as_deref(), config.today.as_deref());
        let path = resource.path(&format!("metadata.annotations[{IGNORE:?}]"));
        let text = model.sources.get(resource.source).map_or("", |s| s.text.as_str());
        let mut report = |problem: ExemptionProblem, span, message: String, help: &str, fix: Option<RawFix>| {
            if let Some(&(rule, severity)) = reporter(problem) {
                let mut diagnostic = Diagnostic::new(
                    resource.source,
                    resource.document,
                    Some(resource.id),
                    span,
                    path.clone(),
                    message,
                    help.to_owned(),
                );
                diagnostic.fix = fix;
                extra.push(Raw { rule, severity, diagnostic, suppression: None });
            }
        };
        let tokens: Vec<&str> = tokens(list).collect();
        if expired {
            let at = until_node.map_or(value.span(), |n| n.span());
            report(
                ExemptionProblem::Expired,
                at,
                format!(
                    "exemption `{list}` expired on {}; its findings are reported again",
                    until.as_deref().unwrap_or("")
                ),
                "fix the findings, or extend kubeharden.io/ignore-until with a reason",
                remove_exemption(text, annotations).map(|edits| RawFix {
                    description: "remove the expired exemption".into(),
                    edits,
                    applicability: None,
                }),
            );
            continue;
        }
        for &token in &tokens {
            let all = token == "*" || token == "all";
            let known = crate::registry::find(token);
            if !all && known.is_none() {
                report(
                    ExemptionProblem::Unused,
                    value.span(),
                    format!("`{token}` in kubeharden.io/ignore is not a rule ID"),
                    "use rule IDs as listed by `kubeharden rules`, separated by commas",
                    without_token(text, annotations, value, &tokens, token),
                );
                continue;
            }
            let mut matched = 0usize;
            for raw in raws.iter_mut() {
                let same_object = raw.diagnostic.resource == Some(resource.id);
                if same_object
                    && raw.suppression.is_none()
                    && (all || known.is_some_and(|k| k.id == raw.rule.id))
                    && exemptable(raw.rule)
                {
                    raw.suppression =
                        Some(Suppression { kind: "annotation".into(), reason: reason.clone(), until: until.clone() });
                    matched += 1;
                }
            }
            // A rule of the CEL layer finds things the core cannot see: the layer applies the
            // exemption to its findings (kubeharden-policy `crd_rules`), so the core does not
            // call it unused.
            let cel = known.is_some_and(|r| r.checks.iter().any(|v| matches!(v.check, Check::Cel)));
            let rule_runs = all || (!cel && known.is_some_and(|r| severity_of(r).is_some()));
            if matched == 0 && rule_runs {
                report(
                    ExemptionProblem::Unused,
                    value.span(),
                    format!("kubeharden.io/ignore lists `{token}`, but it finds nothing on {}", display(resource)),
                    "remove the exemption so it cannot hide a future finding",
                    without_token(text, annotations, value, &tokens, token),
                );
            }
        }
    }
    raws.extend(extra);
}

/// The fix for a token of kubeharden.io/ignore that does nothing: the list without it, or the
/// whole exemption removed when it was the only one.
fn without_token(
    text: &str,
    annotations: NodeRef<'_>,
    value: NodeRef<'_>,
    tokens: &[&str],
    token: &str,
) -> Option<RawFix> {
    let rest: Vec<&str> = tokens.iter().copied().filter(|t| *t != token).collect();
    let edits = if rest.is_empty() {
        remove_exemption(text, annotations)?
    } else {
        crate::fix::replace(value, &format!("{:?}", rest.join(", ")))
    };
    Some(RawFix { description: format!("remove `{token}` from kubeharden.io/ignore"), edits, applicability: None })
}

/// Removes the exemption annotations (the list, its reason and its date), each on its own line.
fn remove_exemption(text: &str, annotations: NodeRef<'_>) -> Option<crate::fix::Edits> {
    let mut edits = Vec::new();
    for key in [IGNORE, IGNORE_REASON, IGNORE_UNTIL] {
        if let Some((k, v)) = annotations.entry(key) {
            edits.extend(crate::fix::remove_entry_line(text, k, v)?);
        }
    }
    Some(edits)
}

/// Findings about the exemption mechanism itself cannot be exempted.
fn exemptable(rule: &Rule) -> bool {
    !rule.checks.iter().any(|v| matches!(v.check, Check::Exemption(_)))
}

fn display(resource: &Resource<'_>) -> String {
    resource.display()
}

/// The config's exemptions, over the rules' own findings: it runs first, so none is suppressed
/// yet, and the findings about exemptions (which cannot be exempted) do not exist yet.
fn apply_config(model: &Model<'_>, config: &Config, raws: &mut [Raw]) {
    if config.exemptions.is_empty() {
        return;
    }
    for raw in raws.iter_mut() {
        let resource = raw.diagnostic.resource.and_then(|id| model.resource(id));
        let source = model.sources.get(raw.diagnostic.source).map(|s| s.name.as_str());
        let subject = Subject {
            kind: resource.and_then(|r| r.kind),
            namespace: resource.and_then(|r| r.namespace),
            name: resource.and_then(|r| r.name),
            source,
        };
        if let Some(ex) = config_exemption(config, |r| crate::registry::names(r, raw.rule), subject) {
            raw.suppression = Some(Suppression { kind: "config".into(), reason: ex.reason.clone(), until: None });
        }
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if t.get(ti) == Some(&c) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("kube-*", "kube-system"));
        assert!(glob("*", ""));
        assert!(glob("a*c*e", "abcde"));
        assert!(!glob("a*c", "abd"));
        // A star that starts at the text's first character, then gives it back: the retry
        // moves forward from where the star began, never before it.
        assert!(glob("*b", "ab"));
        assert!(glob("*-api", "web-api"));
        assert!(!glob("*b", "ba"));
        assert!(glob("web", "web"));
        assert!(!glob("web", "web2"));
    }
}
