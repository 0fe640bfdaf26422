//! conftest policies: `.rego` files whose `deny`, `violation` and `warn` rules (and
//! `deny_<name>`, `violation_<name>`, `warn_<name>`) are evaluated over each object, in the
//! packages named by `--namespace` (default `main`), as conftest's engine does:
//!
//! - a rule's value is a set of strings (the messages) or of objects with a string `msg`
//!   (the other fields are metadata); any other value, or an empty message, is a pass;
//! - `exception` rules in the same package hold lists of rule names without their
//!   `deny_`/`violation_`/`warn_` prefix (`""` names the bare `deny`, `violation` and
//!   `warn`); when one lists a rule for this object, none of that rule's results counts;
//! - `data.conftest.file` holds the `name` and `dir` of the file being tested.
//!
//! conftest reads v1 syntax by default since OPA 1.0 (`--rego-version v0` for the old one).
//! A file that does not parse as v1 but does as v0 is read as v0, so policies written for
//! either keep working; a file that parses in neither is reported with its v1 errors.

use regorus::Value;

use crate::engine::Policy;
use crate::error::{EvalError, PolicyError};
use crate::json;
use crate::rewrite::outline;
use crate::{Budget, Module, RegoVersion};

/// One failing (or warning) result of a conftest rule for one object.
#[derive(Clone, Debug, PartialEq)]
pub struct ConftestResult {
    pub namespace: String,
    /// The rule's name (`deny`, `warn_latest_tag`, ...).
    pub rule: String,
    pub kind: ConftestRule,
    pub msg: String,
    /// The result object's other fields (`{}` for a string result).
    pub metadata: serde_json::Value,
}

/// What kind of rule produced a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConftestRule {
    /// `deny`, `violation` and their `_name` forms: a failure.
    Failure,
    /// `warn` and `warn_name`: a warning.
    Warning,
}

/// Compiled conftest policy files.
#[derive(Clone, Debug)]
pub struct Conftest {
    policy: Policy,
    /// (package, rule names in first-seen order) for every module's package.
    rules: Vec<(String, Vec<String>)>,
    /// Packages that define an `exception` rule.
    with_exceptions: Vec<String>,
    versions: Vec<RegoVersion>,
}

impl Conftest {
    /// Compiles the files together (rules of one package may span several files).
    /// `version` forces a syntax for every file; `None` reads each as v1, or v0 when it
    /// only parses as that.
    pub fn compile(modules: &[Module], version: Option<RegoVersion>) -> Result<Conftest, Vec<PolicyError>> {
        let versioned: Vec<(Module, RegoVersion)> = modules
            .iter()
            .map(|m| {
                let v = version.unwrap_or_else(|| {
                    if !Policy::parses(m, RegoVersion::V1) && Policy::parses(m, RegoVersion::V0) {
                        RegoVersion::V0
                    } else {
                        RegoVersion::V1
                    }
                });
                (m.clone(), v)
            })
            .collect();
        let policy = Policy::compile(&versioned)?;
        let mut rules: Vec<(String, Vec<String>)> = Vec::new();
        let mut with_exceptions = Vec::new();
        for m in modules {
            let (package, names) = outline(&m.text);
            if names.iter().any(|n| n == "exception") && !with_exceptions.contains(&package) {
                with_exceptions.push(package.clone());
            }
            let entry = match rules.iter().position(|(p, _)| *p == package) {
                Some(i) => rules.get_mut(i),
                None => {
                    rules.push((package, Vec::new()));
                    rules.last_mut()
                }
            };
            if let Some((_, list)) = entry {
                for n in names.into_iter().filter(|n| rule_kind(n).is_some()) {
                    if !list.contains(&n) {
                        list.push(n);
                    }
                }
            }
        }
        Ok(Conftest { policy, rules, with_exceptions, versions: versioned.iter().map(|(_, v)| *v).collect() })
    }

    /// The Rego version each file was read in.
    pub fn versions(&self) -> &[RegoVersion] {
        &self.versions
    }

    /// Every package the files define (conftest's `--all-namespaces`).
    pub fn namespaces(&self) -> Vec<String> {
        self.rules.iter().map(|(p, _)| p.clone()).collect()
    }

    /// Sets `data.conftest.file` for the file whose objects are evaluated next.
    pub fn set_file(&mut self, path: &str) -> Result<(), PolicyError> {
        let (dir, name) = match path.rfind('/') {
            Some(i) => (path.get(..i).unwrap_or(""), path.get(i + 1..).unwrap_or(path)),
            None => (".", path),
        };
        let data = serde_json::json!({"conftest": {"file": {"name": name, "dir": dir}}});
        self.policy.set_data(json::to_rego(&data))
    }

    /// The failures and warnings of one object (conftest's input is the object itself) in
    /// `namespaces` (`main` when empty), in rule order.
    pub fn evaluate(
        &mut self,
        object: &serde_json::Value,
        namespaces: &[String],
        budget: &Budget,
    ) -> Result<Vec<ConftestResult>, EvalError> {
        let main = [String::from("main")];
        let namespaces = if namespaces.is_empty() { &main[..] } else { namespaces };
        let input = json::to_rego(object);
        let mut out = Vec::new();
        for ns in namespaces {
            let Some((_, rules)) = self.rules.iter().find(|(p, _)| p == ns).cloned() else { continue };
            let exceptions = self.exceptions(ns, &input, budget)?;
            for rule in rules {
                let Some(kind) = rule_kind(&rule) else { continue };
                if exceptions.iter().any(|e| *e == unprefixed(&rule)) {
                    continue;
                }
                let value = self.policy.eval_rule(&format!("data.{ns}.{rule}"), input.clone(), budget)?;
                for item in elements(&value) {
                    if let Some((msg, metadata)) = result_of(item)? {
                        out.push(ConftestResult { namespace: ns.clone(), rule: rule.clone(), kind, msg, metadata });
                    }
                }
            }
        }
        Ok(out)
    }

    /// The rule names `exception` lists for this input (conftest queries
    /// `data.<ns>.exception[_][_] == <name>`).
    fn exceptions(&mut self, ns: &str, input: &Value, budget: &Budget) -> Result<Vec<String>, EvalError> {
        if !self.with_exceptions.iter().any(|p| p == ns) {
            return Ok(Vec::new());
        }
        let value = self.policy.eval_rule(&format!("data.{ns}.exception"), input.clone(), budget)?;
        let mut names = Vec::new();
        for list in elements(&value) {
            for name in elements(list) {
                if let Value::String(s) = name {
                    names.push(s.to_string());
                }
            }
        }
        Ok(names)
    }
}

fn elements(v: &Value) -> Vec<&Value> {
    match v {
        Value::Set(s) => s.iter().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => Vec::new(),
    }
}

fn result_of(item: &Value) -> Result<Option<(String, serde_json::Value)>, EvalError> {
    match item {
        Value::String(s) if !s.is_empty() => Ok(Some((s.to_string(), serde_json::json!({})))),
        Value::Object(fields) => {
            let Some(Value::String(msg)) = fields.get(&Value::from("msg")) else {
                return Err(EvalError::Runtime(PolicyError {
                    module: 0,
                    line: 1,
                    column: 1,
                    offset: 0,
                    message: "a result object must have a string \"msg\" field".into(),
                }));
            };
            if msg.is_empty() {
                return Ok(None);
            }
            let mut metadata = serde_json::Map::new();
            for (k, v) in fields.iter() {
                if let Value::String(k) = k
                    && &**k != "msg"
                {
                    metadata.insert(k.to_string(), serde_json::to_value(v).unwrap_or(serde_json::Value::Null));
                }
            }
            Ok(Some((msg.to_string(), serde_json::Value::Object(metadata))))
        }
        _ => Ok(None),
    }
}

/// conftest's rule name patterns: `^(deny|violation)(_[a-zA-Z0-9]+)*$` and `^warn(_[a-zA-Z0-9]+)*$`.
fn rule_kind(name: &str) -> Option<ConftestRule> {
    let suffix_ok = |rest: &str| {
        rest.is_empty()
            || (rest.starts_with('_')
                && rest.split('_').skip(1).all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric())))
    };
    for (prefix, kind) in
        [("deny", ConftestRule::Failure), ("violation", ConftestRule::Failure), ("warn", ConftestRule::Warning)]
    {
        if let Some(rest) = name.strip_prefix(prefix)
            && suffix_ok(rest)
        {
            return Some(kind);
        }
    }
    None
}

/// The name an `exception` uses for a rule: without its prefix, `""` for the bare names.
fn unprefixed(rule: &str) -> &str {
    if matches!(rule, "deny" | "violation" | "warn") {
        return "";
    }
    let rule = rule.strip_prefix("violation_").unwrap_or(rule);
    let rule = rule.strip_prefix("deny_").unwrap_or(rule);
    rule.strip_prefix("warn_").unwrap_or(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_follow_conftest() {
        assert_eq!(rule_kind("deny"), Some(ConftestRule::Failure));
        assert_eq!(rule_kind("violation_no_root"), Some(ConftestRule::Failure));
        assert_eq!(rule_kind("deny_latest_tag"), Some(ConftestRule::Failure));
        assert_eq!(rule_kind("warn_x1"), Some(ConftestRule::Warning));
        assert_eq!(rule_kind("denyx"), None);
        assert_eq!(rule_kind("deny_"), None);
        assert_eq!(unprefixed("deny_latest_tag"), "latest_tag");
        assert_eq!(unprefixed("warn"), "");
    }
}
