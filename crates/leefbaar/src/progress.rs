//! Progress bars on a terminal, silence in pipes and CI.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner-with-message for a multi-step job; hidden unless stderr is a terminal.
pub fn steps(total: u64, no_progress: bool) -> ProgressBar {
    let visible =
        !no_progress && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar
}
