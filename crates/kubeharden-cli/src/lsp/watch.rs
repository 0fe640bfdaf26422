//! Files changing on disk (`workspace/didChangeWatchedFiles`, registered at run time): a
//! manifest is read again, created and deleted files change what the folder holds, a
//! `.kubeharden.yaml` reloads the configuration, and a `Chart.yaml` turns a folder into a Helm
//! chart (or back). Open documents keep the editor's text.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::server::Server;
use crate::settings::CONFIG_NAMES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Changed,
    Deleted,
}

/// The registration of the watchers: manifests, configuration files, chart files.
pub fn registration() -> Value {
    json!({ "registrations": [{
        "id": "kubeharden-files",
        "method": "workspace/didChangeWatchedFiles",
        "registerOptions": { "watchers": [
            { "globPattern": "**/*.{yaml,yml,json}" },
            { "globPattern": "**/.kubeharden.{yaml,yml}" },
            // Deletions of anything: a deleted or renamed folder is one event for the folder.
            { "globPattern": "**/*", "kind": 4 }
        ]}
    }]})
}

pub fn did_change_watched_files(server: &mut Server, params: &Value) {
    let Some(changes) = params.get("changes").and_then(Value::as_array) else { return };
    for change in changes {
        let Some(path) = change.get("uri").and_then(Value::as_str).and_then(super::uri::to_path) else { continue };
        let kind = match change.get("type").and_then(Value::as_u64) {
            Some(1) => Change::Created,
            Some(3) => Change::Deleted,
            _ => Change::Changed,
        };
        file_changed(server, &path, kind);
    }
}

pub fn file_changed(server: &mut Server, path: &Path, change: Change) {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = path.parent().unwrap_or(path);
    if CONFIG_NAMES.contains(&name.as_str()) {
        // The configuration of every root at or below the file's folder may change (a new
        // file nearer than the old one, the one in use edited or deleted).
        for root in &mut server.workspace.roots {
            if root.config.file.as_deref() == Some(path) || root.dir.starts_with(dir) {
                root.reload();
                root.dirty = true;
            }
        }
        server.lint_everything();
        return;
    }
    let folders = server.workspace.folders_containing(path);
    let chart = name == "Chart.yaml" || name == "Chart.yml";
    let manifest = crate::files::has_manifest_extension(path);
    if !manifest && path.extension().is_some() {
        return; // Another kind of file (a README, a script): nothing to lint.
    }
    for &i in &folders {
        let Some(root) = server.workspace.roots.get_mut(i) else { continue };
        if !root.is_loaded() {
            continue;
        }
        if server.documents.by_path(path).is_some() && change == Change::Changed {
            continue; // The editor's text wins over the disk's.
        }
        if manifest && change == Change::Changed && !chart {
            root.refresh_disk(path);
        } else {
            root.rediscover(&server.documents);
        }
        root.dirty = true;
    }
    if chart {
        // Open documents below the chart's folder start or stop being chart files.
        let open: Vec<String> = server
            .documents
            .iter()
            .filter(|d| d.path.as_deref().is_some_and(|p| p.starts_with(dir)))
            .map(|d| d.uri.clone())
            .collect();
        server.mark_pending(open);
    }
    let wait = Duration::from_millis(server.settings.debounce_ms);
    server.deadline = Some(server.deadline.map_or(Instant::now() + wait, |d| d.min(Instant::now() + wait)));
}
