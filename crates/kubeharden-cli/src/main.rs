//! `kubeharden`: lint Kubernetes manifests from files, directories or stdin.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use kubeharden::{Config, Source};

#[derive(Parser)]
#[command(name = "kubeharden", version, about = "Kubernetes manifest hardening linter")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files, directories (recursively) or stdin (`-`).
    Lint {
        paths: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lint { paths, format } => {
            let mut sources = Vec::new();
            for path in &paths {
                if path == "-" {
                    let mut text = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                        eprintln!("kubeharden: cannot read stdin: {e}");
                        return ExitCode::from(2);
                    }
                    sources.push(Source::new("<stdin>", text));
                } else {
                    match std::fs::read_to_string(path) {
                        Ok(text) => sources.push(Source::new(path.clone(), text)),
                        Err(e) => {
                            eprintln!("kubeharden: cannot read {path}: {e}");
                            return ExitCode::from(2);
                        }
                    }
                }
            }
            let config = Config { today: Some(today_utc()), ..Config::default() };
            let report = kubeharden::lint(&sources, &config);
            match format {
                Format::Json => println!("{}", report.to_json()),
                Format::Text => {
                    for f in report.active() {
                        println!(
                            "{}:{}:{}: {} [{}] {}",
                            f.resource.source,
                            f.span.start.line,
                            f.span.start.column,
                            f.severity.as_str(),
                            f.rule,
                            f.message
                        );
                    }
                }
            }
            if report.active().next().is_some() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
    }
}

/// Today's date in UTC (`YYYY-MM-DD`), as the JS package computes it.
fn today_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
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
