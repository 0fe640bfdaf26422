//! Which open documents are linted: YAML or JSON that holds Kubernetes objects. Helm chart
//! files and Go templates are not manifests until rendered, and other YAML (CI configs, values
//! files, `package.json`) is not ours: they get no diagnostics at all.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use kubeharden::ParsedSource;
use kubeharden::source::{IssueKind, NodeRef};

/// Why a document gets no diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not YAML or JSON (by the client's language ID).
    Language,
    /// Inside a Helm chart (this folder has the `Chart.yaml`).
    HelmChart(PathBuf),
    /// Go template actions (`{{ ... }}`) where YAML would have a value.
    Template,
    /// No object with `apiVersion` or `kind`.
    NotManifest,
    /// Matched by an `ignore` pattern of the configuration.
    Ignored,
}

/// YAML and JSON, including the dotted variants some editors use (`yaml.docker-compose`).
pub fn language_is_lintable(language_id: &str) -> bool {
    matches!(language_id, "yaml" | "json") || language_id.starts_with("yaml.")
}

/// The Helm chart a file belongs to: the nearest folder above it with a `Chart.yaml`. Folders
/// found walking the workspace are skipped by the CLI's discovery the same way.
pub fn helm_chart_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| dir.join("Chart.yaml").is_file() || dir.join("Chart.yml").is_file())
        .map(Path::to_path_buf)
}

/// Whether the text is a Go template (Helm, or any `{{ }}` templating) rather than YAML: a
/// `{{` that is neither inside a scalar nor in a comment. `{{` inside strings is ordinary
/// Kubernetes content (Prometheus rules, Argo workflows, Alertmanager templates in a
/// ConfigMap); where a value or a line starts, it is a template action.
pub fn is_go_template(parsed: &ParsedSource) -> bool {
    let text = parsed.text.as_str();
    if !text.contains("{{") {
        return false;
    }
    if parsed.issues.iter().any(|i| i.kind == IssueKind::InvalidYaml) {
        // Template actions rarely leave valid YAML behind; YAML that fails to parse and has
        // `{{` outside comments is a template.
        return occurrences(text).any(|at| !in_comment(text, at));
    }
    let mut scalars: Vec<(u32, u32)> = Vec::new();
    for document in &parsed.documents {
        collect_scalars(parsed.tree.node(document.root), &mut scalars);
    }
    scalars.sort_unstable();
    occurrences(text).any(|at| {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        let i = scalars.partition_point(|&(start, _)| start <= at);
        let inside = i > 0 && scalars.get(i - 1).is_some_and(|&(_, end)| at < end);
        !inside && !in_comment(text, at as usize)
    })
}

fn occurrences(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices("{{").map(|(i, _)| i)
}

/// A `#` that starts a comment before `at` on its line (outside quotes, roughly: comments in
/// manifests follow whitespace).
fn in_comment(text: &str, at: usize) -> bool {
    let line_start = text.get(..at).and_then(|t| t.rfind(['\n', '\r'])).map_or(0, |i| i + 1);
    let line = text.get(line_start..at).unwrap_or("");
    line.trim_start().starts_with('#') || line.contains(" #") || line.contains("\t#")
}

/// The spans of every scalar under `node` (keys included). Aliased nodes are visited once.
fn collect_scalars(node: NodeRef<'_>, out: &mut Vec<(u32, u32)>) {
    let mut seen = HashSet::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if !seen.insert(node.id()) {
            continue;
        }
        if node.is_scalar() {
            let span = node.span();
            out.push((span.start, span.end));
        } else if node.is_map() {
            for (key, value) in node.entries() {
                stack.push(key);
                stack.push(value);
            }
        } else {
            stack.extend(node.items());
        }
    }
}

/// Whether an open document holds Kubernetes objects. Like the CLI's test for files found in
/// folders, except that text which does not parse counts only when it names `apiVersion` or
/// `kind` (a manifest being typed), not when it is any broken YAML.
pub fn holds_objects(parsed: &ParsedSource) -> bool {
    if parsed.documents.iter().any(|d| {
        let root = parsed.tree.node(d.root);
        root.get("apiVersion").is_some() || root.get("kind").is_some()
    }) {
        return true;
    }
    let broken = parsed.issues.iter().any(|i| matches!(i.kind, IssueKind::InvalidYaml | IssueKind::LimitExceeded));
    broken && (parsed.text.contains("apiVersion") || parsed.text.contains("kind"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeharden::{Limits, Source, parse};

    fn parsed(text: &str) -> ParsedSource {
        parse(&Source::new("t.yaml", text), &Limits::default())
    }

    #[test]
    fn languages() {
        assert!(language_is_lintable("yaml"));
        assert!(language_is_lintable("json"));
        assert!(language_is_lintable("yaml.docker-compose"));
        assert!(!language_is_lintable("helm"));
        assert!(!language_is_lintable("plaintext"));
    }

    #[test]
    fn helm_templates_are_recognised() {
        for text in [
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
            "{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n",
            "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        {{- include \"c\" . | nindent 8 }}\n",
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {{ toJson .Values.meta }}}\n",
        ] {
            assert!(is_go_template(&parsed(text)), "{text}");
        }
    }

    #[test]
    fn braces_inside_strings_are_content() {
        for text in [
            // Prometheus rule: quoted and plain.
            "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - rules:\n    - annotations:\n        summary: \"{{ $labels.instance }} down\"\n        description: Instance {{ $labels.instance }} is down\n",
            // Alertmanager template lines in a block scalar.
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  t.tmpl: |\n    {{ define \"x\" }}\n    {{- range .Alerts }}{{ .Labels }}{{ end }}\n    {{ end }}\n",
            // Argo workflow parameter.
            "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates:\n  - container:\n      args: [\"{{inputs.parameters.message}}\"]\n",
            // A comment.
            "apiVersion: v1\nkind: Pod # see {{ docs }}\n",
            "apiVersion: v1\nkind: Pod\n",
        ] {
            assert!(!is_go_template(&parsed(text)), "{text}");
        }
    }

    #[test]
    fn kubernetes_objects_only() {
        assert!(holds_objects(&parsed("apiVersion: v1\nkind: Pod\n")));
        assert!(holds_objects(&parsed("kind: List\nitems: []\n")));
        assert!(!holds_objects(&parsed("name: ci\non: [push]\njobs: {}\n")));
        assert!(!holds_objects(&parsed("")));
        // Broken YAML: only when it looks like a manifest being written.
        assert!(holds_objects(&parsed("apiVersion: v1\nkind: Pod\nmetadata: [\n")));
        assert!(!holds_objects(&parsed("jobs:\n  build: [\n")));
    }

    #[test]
    fn charts_are_found_by_their_chart_file() {
        let dir = std::env::temp_dir().join(format!("kubeharden-lsp-chart-{}", std::process::id()));
        let templates = dir.join("chart/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(dir.join("chart/Chart.yaml"), "apiVersion: v2\nname: c\n").unwrap();
        assert_eq!(helm_chart_of(&templates.join("deploy.yaml")), Some(dir.join("chart")));
        assert_eq!(helm_chart_of(&dir.join("other.yaml")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
