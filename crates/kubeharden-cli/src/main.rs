//! `kubeharden`: lint Kubernetes manifests from files, folders or standard input, for terminals
//! and CI pipelines.
//!
//! Exit codes: 0 when nothing is at or above `--fail-on`, 1 when something is, 2 on a usage
//! error, an unreadable input or configuration, or an internal error.

mod autofix;
mod files;
mod glob;
mod load;
mod lsp;
mod policy;
mod render;
mod settings;
mod suggest;

use std::io::{IsTerminal, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kubeharden::fix::Applicability;
use kubeharden::{KubeVersion, Profile, Severity, registry};

use crate::files::Input;
use crate::glob::Pattern;
use crate::render::RunInfo;

/// mimalloc instead of the system allocator: the YAML reader allocates a string per scalar, and
/// glibc's malloc serialised the threads reading one large file (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// The name standard input goes by in reports unless `--stdin-filename` says otherwise.
const STDIN_NAME: &str = "<stdin>";

#[derive(Parser)]
#[command(
    name = "kubeharden",
    version,
    about = "Kubernetes manifest hardening linter: Pod Security Standards, workload hardening, RBAC, network policies, control plane",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint manifests: files, folders (recursively) or standard input (`-`).
    #[command(after_help = LINT_AFTER_HELP)]
    Lint(Box<LintArgs>),
    /// List the rules: ID, default severity, profiles, summary.
    Rules(RulesArgs),
    /// Show the documentation of a rule (by ID or by an alias such as an upstream check ID).
    Explain(ExplainArgs),
    /// Run the language server (Language Server Protocol over stdin/stdout) for editors.
    #[command(after_help = LSP_AFTER_HELP)]
    Lsp(LspArgs),
    /// Custom policies: run Gatekeeper `gator verify` suites and Kyverno `kyverno test` files.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Run Gatekeeper suites (`kind: Suite` files, as `gator verify` reads them): every case,
    /// exit 1 when one fails.
    Verify(VerifyArgs),
    /// Run Kyverno test files (`kyverno-test.yaml`, `kind: Test`, as `kyverno test` reads
    /// them) for ValidatingPolicies: every result, exit 1 when one fails or cannot be
    /// evaluated offline.
    Test(TestArgs),
}

#[derive(Args)]
struct TestArgs {
    /// Test files, or folders searched for `kyverno-test.yaml` files (`.kyverno-test/`
    /// folders included). Default: the current folder.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print every case, not only the failing ones.
    #[arg(short, long)]
    verbose: bool,
    /// Output format: `json` lists every case with its outcome.
    #[arg(short, long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
}

#[derive(Args)]
struct VerifyArgs {
    /// Suite files, or folders searched for them. Default: the current folder.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Engine for templates with both Rego and CEL code.
    #[arg(long, value_enum, default_value_t = policy::EngineArg::Auto)]
    policy_engine: policy::EngineArg,
    /// Print every case, not only the failing ones.
    #[arg(short, long)]
    verbose: bool,
    /// Output format: `json` lists every case with its outcome and files.
    #[arg(short, long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum VerifyFormat {
    Text,
    Json,
}

const LSP_AFTER_HELP: &str = "\
Editors start it and talk to it over stdin/stdout: diagnostics as you type, quick fixes, rule
documentation on hover. Each workspace folder is linted like `kubeharden lint` run in it (its
.kubeharden.yaml, cross-file rules over all its manifests). See the README's Editors section.";

#[derive(Args)]
struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because editors pass it).
    #[arg(long)]
    stdio: bool,
}

const LINT_AFTER_HELP: &str = "\
Folders are searched recursively for *.yaml, *.yml and *.json files that hold Kubernetes objects;
hidden folders, node_modules, vendor and Helm charts (folders with a Chart.yaml) are skipped.
Files named on the command line are always linted.

Configuration: --config FILE, else the nearest .kubeharden.yaml from the current folder upwards;
flags override it.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on;
2 usage error, unreadable file or configuration.";

#[derive(Args)]
struct LintArgs {
    /// Files or folders to lint; `-` reads standard input. Default: the current folder.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text, help_heading = "Output")]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Warning, help_heading = "Output")]
    fail_on: FailOn,
    /// Print only the findings at or above --fail-on, and no summary or notes.
    #[arg(short, long, help_heading = "Output")]
    quiet: bool,
    /// Colours in the text format (auto: when writing to a terminal and NO_COLOR is not set).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto, help_heading = "Output")]
    color: Color,
    /// Also list findings suppressed by exemptions (text format).
    #[arg(long, help_heading = "Output")]
    show_suppressed: bool,

    /// Rule profile [default: hardened, or the configuration's].
    #[arg(long, value_enum, help_heading = "Rules")]
    profile: Option<ProfileArg>,
    /// Kubernetes version whose behaviour the checks follow: `latest`, `v1.30`, `1.30`.
    #[arg(long, value_name = "VERSION", value_parser = KubeVersion::parse, help_heading = "Rules")]
    kubernetes_version: Option<KubeVersion>,
    /// Turn a rule on, at its default severity (repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',', help_heading = "Rules")]
    enable: Vec<String>,
    /// Turn a rule off (repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',', help_heading = "Rules")]
    disable: Vec<String>,
    /// Turn schema validation off (the `schema` rule family: unknown fields, wrong types, …).
    #[arg(long, help_heading = "Rules")]
    no_schema: bool,
    /// Configuration file [default: the nearest .kubeharden.yaml upwards].
    #[arg(short, long, value_name = "FILE", help_heading = "Rules")]
    config: Option<PathBuf>,
    /// Do not look for a configuration file.
    #[arg(long, conflicts_with = "config", help_heading = "Rules")]
    no_config: bool,

    /// Skip files and folders matching GLOB (repeatable): `vendor`, `*.tmpl.yaml`, `deploy/old/**`.
    #[arg(long, value_name = "GLOB", help_heading = "Files")]
    ignore: Vec<String>,
    /// Read CustomResourceDefinitions from PATH (a file or a folder, repeatable): their schemas
    /// validate the custom resources linted; these files are not linted themselves.
    #[arg(long, value_name = "PATH", help_heading = "Files")]
    crds: Vec<PathBuf>,
    /// The file name standard input stands for in the report.
    #[arg(long, value_name = "NAME", help_heading = "Files")]
    stdin_filename: Option<String>,

    /// Custom policies (repeatable): Gatekeeper ConstraintTemplates and Constraints, conftest
    /// `.rego` files, or folders of them. Other objects in these files (Namespaces, a suite's
    /// inventory) are seen by the policies and not linted.
    #[arg(long, value_name = "PATH", help_heading = "Policies")]
    policy: Vec<PathBuf>,
    /// Engine for Gatekeeper templates with both Rego and CEL code [default: as Gatekeeper].
    #[arg(long, value_enum, value_name = "ENGINE", default_value_t = policy::EngineArg::Auto, help_heading = "Policies")]
    policy_engine: policy::EngineArg,
    /// conftest packages whose rules apply (repeatable) [default: main].
    #[arg(long, value_name = "PACKAGE", help_heading = "Policies")]
    policy_namespace: Vec<String>,
    /// Apply the safe and hardening fixes in place (standard input: print the fixed text), then
    /// report what remains.
    #[arg(long, help_heading = "Fixes")]
    fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too (they may break a workload: review them).
    #[arg(long, help_heading = "Fixes")]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (with --unsafe-fixes: those too).
    #[arg(long, help_heading = "Fixes")]
    diff: bool,
}

#[derive(Args)]
struct RulesArgs {
    /// Output format; `markdown` is docs/rules.md.
    #[arg(short, long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    /// Rule ID (see `kubeharden rules`) or alias.
    #[arg(value_name = "RULE")]
    rule: String,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: location, message, the source line with a caret, help, a summary.
    Text,
    /// The JSON report (schemaVersion 1), as every kubeharden front end writes it.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDEs).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab Code Quality report (artifacts:reports:codequality).
    Gitlab,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    /// Pod Security Standards baseline.
    Baseline,
    /// Pod Security Standards restricted (includes baseline).
    Restricted,
    /// Every rule that is not opt-in.
    Hardened,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Baseline => Profile::Baseline,
            ProfileArg::Restricted => Profile::Restricted,
            ProfileArg::Hardened => Profile::Hardened,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lint(args) => lint(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain(args) => explain(&args),
        Command::Lsp(_) => return lsp::run(),
        Command::Policy(PolicyCommand::Verify(args)) => {
            policy::verify(&args.paths, args.policy_engine, args.verbose, args.format == VerifyFormat::Json)
                .map(|ok| if ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_FINDINGS) })
        }
        Command::Policy(PolicyCommand::Test(args)) => {
            policy::kyverno_test(&args.paths, args.verbose, args.format == VerifyFormat::Json)
                .map(|ok| if ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_FINDINGS) })
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("kubeharden: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn lint(args: &LintArgs) -> Result<ExitCode, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let settings::Loaded { mut config, path: config_path, mut ignores, crds: config_crds } =
        settings::load(&cwd, args.config.as_deref(), args.no_config)?;
    if let Some(profile) = args.profile {
        config.profile = profile.into();
    }
    if let Some(version) = args.kubernetes_version {
        config.kubernetes_version = version;
    }
    if args.no_schema {
        config.schema_validation = false;
    }
    settings::apply_rule_flags(&mut config, &args.enable, &args.disable)?;
    if config.today.is_none() {
        config.today = Some(today_utc());
    }
    for text in &args.ignore {
        ignores.push(Pattern::new(text, &cwd, "--ignore")?);
    }

    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut discovery = files::discover(&paths, &cwd, &ignores);
    // CRD files are read for their schemas only: left out of the files linted.
    let crd_paths: Vec<PathBuf> = config_crds.into_iter().chain(args.crds.iter().map(|p| cwd.join(p))).collect();
    let crd_discovery = files::discover(&crd_paths, &cwd, &[]);
    let crd_files: std::collections::HashSet<PathBuf> = crd_discovery
        .inputs
        .iter()
        .filter_map(|i| match i {
            Input::File { path, .. } => std::fs::canonicalize(path).ok(),
            Input::Stdin => None,
        })
        .collect();
    discovery.inputs.retain(|i| match i {
        Input::File { path, .. } => !std::fs::canonicalize(path).is_ok_and(|p| crd_files.contains(&p)),
        Input::Stdin => true,
    });
    let mut errors = discovery.errors;
    errors.extend(crd_discovery.errors.iter().map(|e| format!("{e} (--crds)")));
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| STDIN_NAME.to_owned());
    let stdin = if discovery.inputs.contains(&Input::Stdin) {
        let mut bytes = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => match load::decode(bytes) {
                Ok(text) => Some((stdin_name.clone(), text)),
                Err(reason) => {
                    errors.push(format!("cannot read standard input: {reason}"));
                    None
                }
            },
            Err(e) => {
                errors.push(format!("cannot read standard input: {e}"));
                None
            }
        }
    } else {
        None
    };
    let loaded = load::load(&discovery.inputs, stdin, &config.limits);
    errors.extend(loaded.errors);
    // Policies: the config's (relative to its folder), then --policy.
    let config_dir = config_path.as_deref().and_then(Path::parent).map_or_else(|| cwd.clone(), Path::to_path_buf);
    let policy_paths: Vec<PathBuf> = config
        .policies
        .iter()
        .map(|p| {
            let full = config_dir.join(p);
            full.strip_prefix(&cwd).map_or(full.clone(), Path::to_path_buf)
        })
        .chain(args.policy.iter().cloned())
        .collect();
    let (policy_sources, policy_errors) = policy::load(&policy_paths, &config.limits);
    errors.extend(policy_errors);
    let crds = load::load(&crd_discovery.inputs, None, &config.limits);
    errors.extend(crds.errors);

    if !args.quiet {
        for note in &discovery.notes {
            eprintln!("kubeharden: note: {note}");
        }
    }
    for error in &errors {
        eprintln!("kubeharden: error: {error}");
    }
    if loaded.sources.is_empty() && !errors.is_empty() {
        // Nothing could be read: the errors above are the whole story.
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    if loaded.sources.is_empty() && discovery.ignored > 0 && loaded.not_manifests == 0 {
        // Everything found was ignored on purpose: nothing to lint is not a mistake.
        if !args.quiet {
            eprintln!("kubeharden: note: nothing to lint: every file found is ignored");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if loaded.sources.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| format!("`{}`", files::display(p))).collect();
        let mut skipped = Vec::new();
        if loaded.not_manifests > 0 {
            skipped
                .push(format!("{} without Kubernetes objects", render::plural(loaded.not_manifests, "file", "files")));
        }
        if discovery.ignored > 0 {
            skipped.push(format!("{} ignored", render::plural(discovery.ignored, "file", "files")));
        }
        let skipped = if skipped.is_empty() { String::new() } else { format!("; skipped {}", skipped.join(", ")) };
        return Err(format!(
            "no Kubernetes manifests found in {} (looked for *.yaml, *.yml and *.json files with apiVersion and kind{skipped})",
            shown.join(", ")
        ));
    }

    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err("--unsafe-fixes applies fixes: use it with --fix or --diff".into());
    }
    let internal = || {
        "internal error while linting; please report it with the input (https://github.com/kubeharden/kubeharden/issues)"
            .to_owned()
    };
    let stdin_source = discovery.inputs.contains(&Input::Stdin).then_some(stdin_name.as_str());
    let (mut report, sources, fix_note) = if args.fix || args.diff {
        let applicability = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Hardening };
        let fixed = catch_unwind(AssertUnwindSafe(|| {
            autofix::run(
                &loaded.sources,
                &discovery.inputs,
                stdin_source,
                &config,
                applicability,
                args.fix && !args.diff,
            )
        }))
        .map_err(|_| internal())?;
        let note = autofix::summary(&fixed, applicability, args.fix && !args.diff);
        errors.extend(fixed.errors.iter().cloned());
        for error in &fixed.errors {
            eprintln!("kubeharden: error: {error}");
        }
        // The diff, or the fixed standard input, is what standard output carries.
        let mut stdout = std::io::stdout().lock();
        let printed = if args.diff { Some(fixed.diff.clone()) } else { fixed.stdin.clone() };
        if let Some(text) = printed {
            stdout.write_all(text.as_bytes()).map_err(|e| format!("cannot write to standard output: {e}"))?;
        }
        (fixed.report, fixed.sources, Some((note, args.diff || fixed.stdin.is_some())))
    } else {
        let report = catch_unwind(AssertUnwindSafe(|| {
            kubeharden::lint_parsed_with_crds(&loaded.sources, &crds.sources, &config)
        }))
        .map_err(|_| internal())?;
        (report, loaded.sources, None)
    };
    // Policies see the objects as linted: after --fix, the fixed ones.
    let options = policy::options(args.policy_engine, &args.policy_namespace);
    let engines = kubeharden_policy::Engines::built_in();
    kubeharden_policy::set_clock(now_ns);
    let findings =
        catch_unwind(AssertUnwindSafe(|| kubeharden_policy::evaluate(&sources, &policy_sources, &engines, &options)))
            .map_err(|_| "internal error while evaluating policies; please report it with the policies".to_owned())?;
    let order: Vec<&str> = sources.iter().chain(&policy_sources).map(|s| s.name.as_str()).collect();
    kubeharden_policy::merge(&mut report, findings, &order);
    drop(order);
    // The CRDs' x-kubernetes-validations rules, evaluated over the objects as linted.
    catch_unwind(AssertUnwindSafe(|| {
        kubeharden_policy::crd_rules::apply(&mut report, &sources, &crds.sources, &config)
    }))
    .map_err(|_| "internal error while evaluating CRD validation rules; please report it with the CRD".to_owned())?;
    let mut sources = sources;
    sources.extend(policy_sources);

    let fail_on = args.fail_on.severity();
    let run = RunInfo {
        root: render::location::work_tree_root(&cwd),
        cwd: cwd.clone(),
        stdin_name: args.stdin_filename.is_none().then(|| STDIN_NAME.to_owned()),
        config: config_path.as_deref().map(|p| settings::shown(&cwd, p)),
        unreadable: errors.len(),
        fail_on,
    };
    let min = if args.quiet { fail_on } else { None };
    // Standard output carries the diff or the fixed text: the report goes to standard error,
    // unless --output names a file.
    let report_to_stderr = matches!(fix_note, Some((_, true))) && args.output.is_none();
    let output = match args.format {
        // Written as it is serialised, never held whole: a report can be many times the size of
        // its input (3,000 Deployments of 0.4 MB give 24 MB of findings).
        Format::Json if !report_to_stderr => {
            write_json(args.output.as_deref(), &report)?;
            String::new()
        }
        Format::Text => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => args.output.is_none() && std::io::stdout().is_terminal() && colour_allowed_by_env(),
            };
            let options = render::text::Options { color, min, suppressed: args.show_suppressed, summary: !args.quiet };
            render::text::render(&report, &sources, &run, options)
        }
        // The newline pushed onto the report, not `format!`ed around it: a copy of a report of
        // tens of megabytes would double the peak memory of the run.
        Format::Json => with_newline(report.to_json()),
        Format::Sarif => with_newline(render::location::sarif(&report, &run)),
        Format::Github => render::github::render(&report, &run, min, !args.quiet),
        Format::Gitlab => render::gitlab::render(&report, &run),
    };
    if report_to_stderr {
        eprint!("{output}");
    } else if !matches!(args.format, Format::Json) {
        write_output(args.output.as_deref(), &output)?;
    }
    if let Some((note, _)) = &fix_note
        && !args.quiet
    {
        eprintln!("kubeharden: {note}");
    }

    Ok(if !errors.is_empty() {
        ExitCode::from(EXIT_ERROR)
    } else if render::fails(&report, fail_on) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

fn with_newline(mut text: String) -> String {
    text.push('\n');
    text
}

/// `NO_COLOR` (any non-empty value) and `TERM=dumb` turn colours off unless `--color always`.
fn colour_allowed_by_env() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

fn rules(args: &RulesArgs) -> Result<ExitCode, String> {
    let text = match args.format {
        RulesFormat::Text => rules_table(),
        RulesFormat::Json => {
            let mut json = serde_json::to_string_pretty(&registry::all_meta()).map_err(|e| e.to_string())?;
            json.push('\n');
            json
        }
        RulesFormat::Markdown => registry::rules_markdown(),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn rules_table() -> String {
    let rules = registry::all_meta();
    let profiles = |r: &registry::RuleMeta| if r.opt_in { "opt-in".to_owned() } else { r.profiles.join(", ") };
    let id_width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let profile_width = rules.iter().map(|r| profiles(r).len()).max().unwrap_or(8).max(8);
    let mut out = format!("{:id_width$}  {:8}  {:profile_width$}  SUMMARY\n", "ID", "SEVERITY", "PROFILES");
    for r in &rules {
        out.push_str(&format!(
            "{:id_width$}  {:8}  {:profile_width$}  {}\n",
            r.id,
            r.severity.as_str(),
            profiles(r),
            r.summary
        ));
    }
    out.push_str(&format!("\n{} rules; `kubeharden explain <RULE>` shows one in full.\n", rules.len()));
    out
}

fn explain(args: &ExplainArgs) -> Result<ExitCode, String> {
    let wanted = args.rule.trim();
    let (rule, alias) = match registry::find(&wanted.to_ascii_lowercase()) {
        Some(rule) => (rule, false),
        None => match suggest::by_alias(wanted) {
            Some(rule) => (rule, true),
            None => return Err(format!("unknown rule `{wanted}`{}", suggest::did_you_mean(wanted))),
        },
    };
    let mut text = String::new();
    if alias {
        text.push_str(&format!("`{wanted}` is an alias of `{}`.\n\n", rule.id));
    } else if rule.id != wanted.to_ascii_lowercase() {
        text.push_str(&format!("`{wanted}` was renamed to `{}`.\n\n", rule.id));
    }
    text.push_str(&registry::explain(rule));
    text.push_str(&format!("\nOnline: {}\n", registry::help_uri(rule.id)));
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The JSON report and a newline, serialised straight into the file or standard output: the
/// same bytes as [`kubeharden::Report::to_json`]. A closed pipe (`| head`) is not an error.
fn write_json(path: Option<&Path>, report: &kubeharden::Report) -> Result<(), String> {
    // Generic, not `dyn Write`: serde_json writes a report in thousands of small pieces, each a
    // copy into the buffer once inlined.
    fn write<W: Write>(mut out: std::io::BufWriter<W>, report: &kubeharden::Report) -> std::io::Result<()> {
        serde_json::to_writer(&mut out, report).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        out.flush()
    }
    const BUFFER: usize = 1 << 16;
    match path {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| write(std::io::BufWriter::with_capacity(BUFFER, file), report))
            .map_err(|e| format!("cannot write `{}`: {}", path.display(), io_reason(&e))),
        None => match write(std::io::BufWriter::with_capacity(BUFFER, std::io::stdout().lock()), report) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to standard output: {e}"))
            }
            _ => Ok(()),
        },
    }
}

/// Writes the output to a file or to standard output. A closed pipe (`| head`) is not an error.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<(), String> {
    match path {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {}", path.display(), io_reason(&e)))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write to standard output: {e}"))
                }
                _ => Ok(()),
            }
        }
    }
}

/// An I/O error in words, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or folder".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "it is a folder".into(),
        ErrorKind::InvalidData => "not valid UTF-8".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
                None => text,
            }
        }
    }
}

/// The wall clock for Rego's `time.now_ns`.
fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Today's date in UTC (`YYYY-MM-DD`), as the JS package computes it, so
/// `kubeharden.io/ignore-until` exemptions expire.
fn today_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
        assert_eq!(today_utc().len(), 10);
    }

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
