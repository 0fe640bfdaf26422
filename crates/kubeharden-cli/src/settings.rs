//! The configuration a run uses: `.kubeharden.yaml` (given, or the nearest one from the current
//! folder upwards), then the command-line flags on top.

use std::path::{Path, PathBuf};

use kubeharden::{Config, RuleSetting, registry};

use crate::glob::{self, Pattern};
use crate::suggest;

/// File names looked for, in this order, in each folder from the current one upwards.
pub const CONFIG_NAMES: &[&str] = &[".kubeharden.yaml", ".kubeharden.yml"];

#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    /// The file the configuration came from, if any.
    pub path: Option<PathBuf>,
    pub ignores: Vec<Pattern>,
    /// `crds:` of the file, relative to its folder.
    pub crds: Vec<PathBuf>,
}

/// The nearest configuration file from `start` upwards.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().flat_map(|dir| CONFIG_NAMES.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// Reads the configuration: `explicit` (from `--config`), else the discovered one unless
/// `no_config`. Errors name the file and, when known, the line and column.
pub fn load(cwd: &Path, explicit: Option<&Path>, no_config: bool) -> Result<Loaded, String> {
    let path = match explicit {
        Some(p) => Some(glob::absolute(cwd, p)),
        None if no_config => None,
        None => discover(cwd),
    };
    let Some(path) = path else {
        return Ok(Loaded { config: Config::default(), path: None, ignores: Vec::new(), crds: Vec::new() });
    };
    let shown = shown(cwd, &path);
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("cannot read the configuration `{shown}`: {}", crate::io_reason(&e)))?;
    let text = crate::load::decode(bytes).map_err(|e| format!("cannot read the configuration `{shown}`: {e}"))?;
    let config = Config::from_yaml(&text).map_err(|e| match (e.line, e.column) {
        (Some(line), Some(column)) => format!("invalid configuration `{shown}:{line}:{column}`: {}", e.message),
        _ => format!("invalid configuration `{shown}`: {}", e.message),
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
    let origin = format!("`ignore` in {shown}");
    let ignores = config
        .ignore
        .iter()
        .map(|p| Pattern::new(p, &base, &origin).map_err(|e| format!("invalid configuration `{shown}`: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let crds = config.crds.iter().map(|p| base.join(p)).collect();
    Ok(Loaded { config, path: Some(path), ignores, crds })
}

/// A path for messages: relative to the current folder when it is inside it.
pub fn shown(cwd: &Path, path: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => path.to_string_lossy().into_owned(),
    }
}

/// `--enable`/`--disable`: every ID must exist (with the closest IDs when it does not).
pub fn apply_rule_flags(config: &mut Config, enable: &[String], disable: &[String]) -> Result<(), String> {
    for (flag, ids, setting) in [("--enable", enable, RuleSetting::On), ("--disable", disable, RuleSetting::Off)] {
        for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if registry::find(id).is_none() {
                return Err(format!("{}{}", unknown_rule(id, flag), suggest::did_you_mean(id)));
            }
            config.rules.insert(id.to_owned(), setting);
        }
    }
    Ok(())
}

fn unknown_rule(id: &str, flag: &str) -> String {
    format!("unknown rule `{id}` in {flag}")
}
