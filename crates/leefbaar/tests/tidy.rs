//! Tidy checks that keep the repository's shape honest: the code map names every crate, every
//! source file says what it is for, and CI runs the README's test command.

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    fs_err::read_to_string(path).unwrap()
}

#[test]
fn every_crate_is_in_the_architecture_code_map() {
    let root = repo_root();
    let architecture = read(&root.join("ARCHITECTURE.md"));
    let mut missing = Vec::new();
    for entry in fs_err::read_dir(root.join("crates")).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().join("Cargo.toml").exists() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if !architecture.contains(&format!("### `crates/{name}`")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md has no `### `crates/NAME`` section for: {missing:?}"
    );
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs_err::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_source_file_starts_with_a_module_doc_comment() {
    let root = repo_root();
    let mut files = Vec::new();
    for entry in fs_err::read_dir(root.join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 20, "found only {} source files", files.len());
    let undocumented: Vec<_> = files
        .iter()
        .filter(|path| !read(path).trim_start().starts_with("//!"))
        .map(|path| {
            path.strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "these files do not start with a `//!` comment saying what they are for: {undocumented:?}"
    );
}

#[test]
fn ci_runs_the_test_command_the_readme_gives() {
    let root = repo_root();
    let readme = read(&root.join("README.md"));
    let ci = read(&root.join(".ci/run"));
    let first_lines: String = readme.lines().take(12).collect::<Vec<_>>().join("\n");
    let test_command = first_lines
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("cargo test"))
        .map(|line| line.split('#').next().unwrap().trim().to_owned())
        .expect("the README's first lines give a `cargo test ...` command");
    assert!(
        ci.lines().any(|line| line.trim() == test_command),
        "`.ci/run` does not run the README's test command `{test_command}`"
    );
}

/// The dependency rule of ARCHITECTURE.md: engines ← monitor ← server ← binary. The monitor
/// crate never depends on the HTTP crate, and importing never goes through it.
#[test]
fn the_monitor_crate_does_not_depend_on_the_server() {
    let manifest = read(&repo_root().join("crates/leefbaar-monitor/Cargo.toml"));
    assert!(
        !manifest.contains("leefbaar-server"),
        "crates/leefbaar-monitor/Cargo.toml names leefbaar-server"
    );
    for engine in [
        "leefbaar-aed",
        "leefbaar-indicators",
        "leefbaar-network",
        "leefbaar-projection",
        "leefbaar-survey",
    ] {
        let manifest = read(&repo_root().join(format!("crates/{engine}/Cargo.toml")));
        for surface in ["leefbaar-monitor", "leefbaar-server", "leefbaar-store"] {
            assert!(
                !manifest
                    .lines()
                    .any(|line| line.trim_start().starts_with(surface)),
                "crates/{engine}/Cargo.toml depends on {surface}"
            );
        }
    }
}
