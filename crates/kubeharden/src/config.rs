//! Configuration: the same object from `.kubeharden.yaml`, the CLI flags and the JS API.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::KubeVersion;
pub use crate::profile::Profile;
use crate::report::Severity;
use crate::rules;
use crate::source::Limits;

/// A per-rule override: turn it off, on (at its default severity), or on at a severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    On,
    Level(Severity),
}

impl RuleSetting {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "off" | "false" => Ok(RuleSetting::Off),
            "on" | "true" => Ok(RuleSetting::On),
            "info" => Ok(RuleSetting::Level(Severity::Info)),
            "warning" | "warn" => Ok(RuleSetting::Level(Severity::Warning)),
            "error" => Ok(RuleSetting::Level(Severity::Error)),
            _ => Err(format!("unknown rule setting `{text}` (expected off, on, info, warning or error)")),
        }
    }
}

impl fmt::Display for RuleSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSetting::Off => f.write_str("off"),
            RuleSetting::On => f.write_str("on"),
            RuleSetting::Level(s) => f.write_str(s.as_str()),
        }
    }
}

impl Serialize for RuleSetting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(true) => Ok(RuleSetting::On),
            Raw::Bool(false) => Ok(RuleSetting::Off),
            Raw::Text(t) => RuleSetting::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}

/// An exemption written in the config rather than on the object. Every given field must
/// match; `*` in a field matches anything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Exemption {
    /// Rule IDs, or `*` for every rule.
    pub rules: Vec<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// Source name (file path) the exemption is limited to.
    pub source: Option<String>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Config {
    pub profile: Profile,
    /// The Kubernetes version whose behaviour the checks follow (default: the newest known).
    pub kubernetes_version: KubeVersion,
    /// Per-rule overrides by rule ID.
    pub rules: BTreeMap<String, RuleSetting>,
    pub exemptions: Vec<Exemption>,
    pub limits: Limits,
    /// Objects annotated `helm.sh/hook: test*` get no resource-limit findings.
    pub skip_helm_test_hooks: bool,
    /// RuntimeClass names that count as sandboxes for `missing-runtime-class`.
    pub sandbox_runtime_classes: Vec<String>,
    /// Today's date (`YYYY-MM-DD`), for `kubeharden.io/ignore-until`. The core has no clock:
    /// front ends fill it in. Without it, exemptions never expire.
    pub today: Option<String>,
    /// Schema validation (the `schema` rule family): on by default; `false` turns every rule of
    /// the family off.
    pub schema_validation: bool,
    /// Path globs of files not to lint. The core reads no files: front ends that walk
    /// directories (the CLI) apply them, relative to the configuration file's folder. Kept
    /// here so one `.kubeharden.yaml` is accepted by every front end.
    pub ignore: Vec<String>,
    /// Custom policy files and folders (Gatekeeper ConstraintTemplates and Constraints,
    /// conftest `.rego` files), relative to the configuration file's folder. The core
    /// evaluates no policies: the CLI loads these (kubeharden-policy); kept here so one
    /// `.kubeharden.yaml` is accepted by every front end.
    pub policies: Vec<String>,
    /// Files or folders of CustomResourceDefinitions whose schemas validate the custom
    /// resources of the input; they are read for their CRDs, not linted. Front ends that read
    /// files (the CLI) resolve them relative to the configuration file's folder; the npm
    /// package takes the CRD texts as its `crds` option instead.
    pub crds: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: Profile::Hardened,
            kubernetes_version: KubeVersion::LATEST,
            rules: BTreeMap::new(),
            exemptions: Vec::new(),
            limits: Limits::default(),
            skip_helm_test_hooks: false,
            sandbox_runtime_classes: vec![
                "gvisor".into(),
                "runsc".into(),
                "kata".into(),
                "kata-containers".into(),
                "kata-qemu".into(),
                "kata-fc".into(),
                "kata-clh".into(),
            ],
            today: None,
            schema_validation: true,
            ignore: Vec::new(),
            policies: Vec::new(),
            crds: Vec::new(),
        }
    }
}

/// A configuration that cannot be used, with where the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    /// 1-based line and column in the configuration text, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{l}:{c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses a JSON configuration and checks it.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let config: Config = serde_json::from_str(text).map_err(|e| ConfigError {
            message: e.to_string(),
            line: u32::try_from(e.line()).ok().filter(|&l| l > 0),
            column: u32::try_from(e.column()).ok().filter(|&c| c > 0),
        })?;
        config.validated()
    }

    /// Parses a YAML configuration (`.kubeharden.yaml`) and checks it. Empty text is the
    /// default configuration.
    pub fn from_yaml(text: &str) -> Result<Config, ConfigError> {
        let value = crate::source::to_json::yaml_to_json(text).map_err(|(message, line, column)| ConfigError {
            message,
            line: Some(line),
            column: Some(column),
        })?;
        let value = if value.is_null() { serde_json::Value::Object(Default::default()) } else { value };
        let config: Config = serde_json::from_value(value).map_err(|e| ConfigError {
            message: e.to_string(),
            line: None,
            column: None,
        })?;
        config.validated()
    }

    /// Rejects rule IDs that do not exist and a malformed `today`.
    pub fn validated(self) -> Result<Config, ConfigError> {
        for id in self.rules.keys() {
            if crate::registry::find(id).is_none() {
                return Err(ConfigError {
                    message: format!("unknown rule `{id}` in `rules` (see `kubeharden rules`)"),
                    line: None,
                    column: None,
                });
            }
        }
        for ex in &self.exemptions {
            for id in &ex.rules {
                if id != "*" && crate::registry::find(id).is_none() {
                    return Err(ConfigError {
                        message: format!("unknown rule `{id}` in `exemptions`"),
                        line: None,
                        column: None,
                    });
                }
            }
        }
        if let Some(today) = self.today.as_deref().filter(|t| crate::date::parse_date(t).is_none()) {
            return Err(ConfigError {
                message: format!("`today` must be a date like 2026-01-31, not `{today}`"),
                line: None,
                column: None,
            });
        }
        Ok(self)
    }

    /// The severity a rule runs at, or `None` when it is off.
    pub fn rule_severity(&self, rule: &rules::Rule) -> Option<Severity> {
        if !self.schema_validation && rule.family == rules::Family::Schema {
            return None;
        }
        // A setting written with a former ID applies unless one with the current ID exists.
        let setting = self
            .rules
            .get(rule.id)
            .or_else(|| crate::registry::renamed::former(rule.id).find_map(|old| self.rules.get(old)));
        match setting {
            Some(RuleSetting::Off) => None,
            Some(RuleSetting::On) => Some(rule.severity),
            Some(RuleSetting::Level(s)) => Some(*s),
            None => self.profile.includes(rule.tier).then_some(rule.severity),
        }
    }
}
