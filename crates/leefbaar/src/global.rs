//! The options every command takes (where the store lives, progress, logging); in a module of
//! their own so that the commands' modules and the command line both use them without importing
//! each other.

use std::path::PathBuf;

use clap::Args;

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where the store lives [default: $`LEEFBAAR_DATA_DIR`, else $`XDG_DATA_HOME/leefbaar`, else ~/.local/share/leefbaar]
    #[arg(long, global = true, value_name = "DIR", env = "LEEFBAAR_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep the store in PostgreSQL instead of the data directory's SQLite file, e.g. postgres://leefbaar@localhost/leefbaar (a password in the URL is never printed; prefer PGPASSWORD-style secrets in the environment variable)
    #[arg(long, global = true, value_name = "URL", env = "LEEFBAAR_DATABASE")]
    pub database: Option<String>,
    /// Show no progress bars (they are also hidden when stderr is not a terminal)
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// Log more (-v: info, -vv: debug); `LEEFBAAR_LOG` overrides, e.g. `LEEFBAAR_LOG=debug`
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}
