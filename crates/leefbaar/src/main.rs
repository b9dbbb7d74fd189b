//! `leefbaar`, the command-line program: the glue that wires ingest, indicators, store and
//! server together. It owns the clock, the terminal and the exit code; the libraries own the
//! logic and report typed errors, to which this binary adds context.

mod aed;
mod bundle;
mod check;
mod cli;
mod clock;
mod demo;
mod factsheet;
mod global;
mod hospitals;
mod import;
mod indicators;
mod paths;
mod progress;
mod project;
mod reach;
mod records;
mod release;
mod schools;
mod serve;
mod survey;
mod typology;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let serves = match &cli.command {
        cli::Command::Serve(_) => true,
        cli::Command::Demo(args) => !args.no_serve,
        _ => false,
    };
    init_logging(cli.global.verbose, serves);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // A reader that closed the pipe (`leefbaar indicators list | head`) is not a failure.
            if error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {error:#}");
            if let Some(hint) = hint_for(&error) {
                let _ = writeln!(stderr, "hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Demo(args) => demo::run(&cli.global, &args),
        cli::Command::Import(args) => import::run(&cli.global, &args),
        cli::Command::Check(args) => check::run(&args),
        cli::Command::Serve(args) => serve::run(&cli.global, &args),
        cli::Command::Indicators(args) => indicators::run(&args),
        cli::Command::Project(args) => project::command(&cli.global, &args),
        cli::Command::Typology(args) => typology::command(&cli.global, &args),
        cli::Command::Survey(args) => survey::run(&cli.global, &args),
        cli::Command::Reach(args) => reach::run(&cli.global, &args),
        cli::Command::Hospitals(args) => hospitals::run(&cli.global, &args),
        cli::Command::Schools(args) => schools::run(&cli.global, &args),
        cli::Command::Factsheet(args) => factsheet::run(&cli.global, &args),
        cli::Command::Aed(args) => aed::run(&cli.global, &args),
        cli::Command::Release(args) => release::run(&cli.global, &args),
        cli::Command::Records(args) => records::command(&cli.global, &args),
    }
}

fn hint_for(error: &anyhow::Error) -> Option<&'static str> {
    let text = format!("{error:#}");
    if text.contains("Address already in use") {
        Some(
            "another program uses that port; pass --port with another number, or --port 0 for any free port",
        )
    } else if text.contains("holds no indicators")
        || text.contains("unable to open database")
        || text.contains("the krimpcheck needs the projection")
    {
        Some("run `leefbaar demo` or `leefbaar import data/drenthe/manifest.toml` first")
    } else if text.contains("no hospital `") {
        Some(
            "the ids are in the bundle's facilities/hospital.csv; `leefbaar hospitals --json` lists them with their names",
        )
    } else {
        None
    }
}

/// Logs go to stderr: readable text on a terminal; one JSON object per line when a server's
/// stderr goes to a file or a collector (`LEEFBAAR_LOG_FORMAT=text` or `json` decides instead).
/// The other commands keep text, which their users read.
fn init_logging(verbose: u8, serves: bool) {
    let default = match verbose {
        0 => "warn,leefbaar=info,leefbaar_server=info",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LEEFBAAR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let json = match std::env::var("LEEFBAAR_LOG_FORMAT").as_deref() {
        Ok("json") => true,
        Ok("text") => false,
        _ => serves && !terminal,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder
            .with_ansi(std::env::var_os("NO_COLOR").is_none() && terminal)
            .init();
    }
}
