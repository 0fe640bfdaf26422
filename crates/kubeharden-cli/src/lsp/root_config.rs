//! The `.kubeharden.yaml` of a folder, read exactly as `kubeharden lint` run in that folder
//! reads it (the nearest one from the folder upwards). A file that cannot be used is shown as a
//! diagnostic on itself, and linting goes on with the last configuration that worked.

use std::path::{Path, PathBuf};

use kubeharden::Config;

use crate::glob::Pattern;
use crate::settings;

#[derive(Debug, Clone)]
pub struct RootConfig {
    /// The file the configuration came from.
    pub file: Option<PathBuf>,
    pub config: Config,
    pub ignores: Vec<Pattern>,
    pub problem: Option<ConfigProblem>,
}

/// Why a configuration file was not used, and where (1-based; 0 when the place is unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub file: PathBuf,
    pub message: String,
    pub line: u32,
    pub column: u32,
}

impl RootConfig {
    pub fn load(dir: &Path, previous: Option<&RootConfig>) -> RootConfig {
        let file = settings::discover(dir);
        match settings::load(dir, file.as_deref(), file.is_none()) {
            Ok(loaded) => {
                RootConfig { file: loaded.path, config: loaded.config, ignores: loaded.ignores, problem: None }
            }
            Err(message) => {
                let path =
                    file.unwrap_or_else(|| dir.join(settings::CONFIG_NAMES.first().copied().unwrap_or_default()));
                let (line, column) = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|text| Config::from_yaml(&text).err())
                    .map_or((0, 0), |e| (e.line.unwrap_or(0), e.column.unwrap_or(0)));
                let mut kept = previous.cloned().unwrap_or_else(|| RootConfig {
                    file: None,
                    config: Config::default(),
                    ignores: Vec::new(),
                    problem: None,
                });
                kept.problem = Some(ConfigProblem { file: path, message, line, column });
                kept
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeharden::Profile;

    #[test]
    fn keeps_the_last_good_configuration() {
        let dir = std::env::temp_dir().join(format!("kubeharden-lsp-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(".kubeharden.yaml");
        std::fs::write(&file, "profile: baseline\nignore: [old]\n").unwrap();
        let good = RootConfig::load(&dir, None);
        assert_eq!(good.config.profile, Profile::Baseline);
        assert_eq!(good.file.as_deref(), Some(file.as_path()));
        assert_eq!(good.ignores.len(), 1);
        assert!(good.problem.is_none());

        std::fs::write(&file, "profile: baseline\nrules:\n  no-such-rule: on\n").unwrap();
        let bad = RootConfig::load(&dir, Some(&good));
        assert_eq!(bad.config.profile, Profile::Baseline, "the last good configuration stays");
        let problem = bad.problem.unwrap();
        assert!(problem.message.contains("no-such-rule"), "{}", problem.message);

        std::fs::write(&file, "profile: [\n").unwrap();
        let problem = RootConfig::load(&dir, None).problem.unwrap();
        assert!(problem.line >= 1, "a syntax error has a line: {problem:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
