//! The editor's settings (`initializationOptions`, `workspace/configuration` section
//! `kubeharden`, or the `settings` of `workspace/didChangeConfiguration`). Like the CLI's flags,
//! the settings that are given override `.kubeharden.yaml`; those left unset keep its values.

use std::collections::BTreeMap;

use kubeharden::{Config, KubeVersion, Profile, RuleSetting, registry};
use serde_json::Value;

/// Which files get diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// The files open in the editor (other files still count for cross-file rules).
    #[default]
    OpenFiles,
    /// Every manifest of the workspace folders, as `kubeharden lint` on each folder reports.
    Workspace,
}

/// The default pause after the last edit before a document is linted again.
pub const DEFAULT_DEBOUNCE_MS: u64 = 150;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSettings {
    pub profile: Option<Profile>,
    pub kubernetes_version: Option<KubeVersion>,
    pub rules: BTreeMap<String, RuleSetting>,
    pub scope: Scope,
    pub debounce_ms: u64,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            profile: None,
            kubernetes_version: None,
            rules: BTreeMap::new(),
            scope: Scope::OpenFiles,
            debounce_ms: DEFAULT_DEBOUNCE_MS,
        }
    }
}

impl ClientSettings {
    /// Reads the settings object, leniently: a value that cannot be used is left out and named
    /// in the returned problems (shown to the user), the rest applies. Accepts the section
    /// itself or an object that holds it under `kubeharden`.
    pub fn from_json(value: &Value) -> (ClientSettings, Vec<String>) {
        let section = match value.get("kubeharden") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        let mut settings = ClientSettings::default();
        let mut problems = Vec::new();
        let text = |key: &str| section.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        // `config` (or nothing) means: as the configuration file says.
        if let Some(p) = text("profile").filter(|p| *p != "config") {
            match Profile::parse(p) {
                Ok(p) => settings.profile = Some(p),
                Err(e) => problems.push(format!("kubeharden.profile: {e}")),
            }
        }
        if let Some(v) = text("kubernetesVersion").filter(|v| *v != "config") {
            match KubeVersion::parse(v) {
                Ok(v) => settings.kubernetes_version = Some(v),
                Err(e) => problems.push(format!("kubeharden.kubernetesVersion: {e}")),
            }
        }
        if let Some(rules) = section.get("rules").and_then(Value::as_object) {
            for (id, value) in rules {
                let setting = match value {
                    Value::Bool(true) => Ok(RuleSetting::On),
                    Value::Bool(false) => Ok(RuleSetting::Off),
                    Value::String(s) => RuleSetting::parse(s.trim()),
                    other => Err(format!("expected off, on, info, warning or error, not {other}")),
                };
                match (registry::find(id), setting) {
                    (None, _) => problems.push(format!("kubeharden.rules: unknown rule `{id}`")),
                    (Some(_), Err(e)) => problems.push(format!("kubeharden.rules.{id}: {e}")),
                    (Some(_), Ok(s)) => {
                        settings.rules.insert(id.clone(), s);
                    }
                }
            }
        }
        match text("diagnostics") {
            None | Some("openFiles") => {}
            Some("workspace") => settings.scope = Scope::Workspace,
            Some(other) => {
                problems.push(format!("kubeharden.diagnostics: expected openFiles or workspace, not `{other}`"))
            }
        }
        if let Some(ms) = section.get("debounceMs").and_then(Value::as_u64) {
            settings.debounce_ms = ms.min(10_000);
        }
        (settings, problems)
    }

    /// Applies the settings over a configuration read from `.kubeharden.yaml`.
    pub fn apply(&self, config: &mut Config) {
        if let Some(profile) = self.profile {
            config.profile = profile;
        }
        if let Some(version) = self.kubernetes_version {
            config.kubernetes_version = version;
        }
        for (id, setting) in &self.rules {
            config.rules.insert(id.clone(), *setting);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_section_and_overrides_the_file() {
        let (settings, problems) = ClientSettings::from_json(&json!({
            "kubeharden": {
                "profile": "restricted",
                "kubernetesVersion": "v1.30",
                "rules": { "image-tag-latest": "error", "writable-root-filesystem": false },
                "diagnostics": "workspace",
                "debounceMs": 0
            }
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.scope, Scope::Workspace);
        assert_eq!(settings.debounce_ms, 0);
        let mut config = Config::from_yaml("profile: baseline\nrules:\n  pss-privileged: warning\n").unwrap();
        settings.apply(&mut config);
        assert_eq!(config.profile, Profile::Restricted);
        assert_eq!(config.kubernetes_version, KubeVersion::parse("1.30").unwrap());
        assert_eq!(config.rules.get("pss-privileged"), Some(&RuleSetting::Level(kubeharden::Severity::Warning)));
        assert_eq!(config.rules.get("writable-root-filesystem"), Some(&RuleSetting::Off));
    }

    #[test]
    fn unset_values_keep_the_file() {
        let (settings, problems) = ClientSettings::from_json(&json!({ "profile": "config", "kubernetesVersion": "" }));
        assert!(problems.is_empty());
        let mut config = Config::from_yaml("profile: baseline\n").unwrap();
        settings.apply(&mut config);
        assert_eq!(config.profile, Profile::Baseline);
        assert_eq!(ClientSettings::from_json(&Value::Null).0, ClientSettings::default());
    }

    #[test]
    fn bad_values_are_named_and_skipped() {
        let (settings, problems) = ClientSettings::from_json(&json!({
            "profile": "paranoid",
            "kubernetesVersion": "one",
            "rules": { "no-such-rule": "on", "image-tag-latest": "loud", "pss-privileged": "off" },
            "diagnostics": "everywhere"
        }));
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("no-such-rule")));
        assert_eq!(settings.profile, None);
        assert_eq!(settings.rules.len(), 1);
    }
}
