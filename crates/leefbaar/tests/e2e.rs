//! End-to-end: the real `leefbaar` binary builds the demo store, serves it on port 0, and is
//! driven over HTTP, the way a user and the browser tests use it.

use std::process::{Child, Command, Stdio};

#[path = "support/http.rs"]
mod http;
use http::{bound_address, get};

struct Server {
    child: Child,
    address: String,
    _data_dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn leefbaar() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leefbaar"));
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    command.env_remove("LEEFBAAR_DATA_DIR").env("NO_COLOR", "1");
    command
}

fn start_demo() -> Server {
    let data_dir = tempfile::tempdir().unwrap();
    let mut child = leefbaar()
        .args(["demo", "--port", "0", "--no-progress", "--data-dir"])
        .arg(data_dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = bound_address(&mut child);
    Server {
        child,
        address,
        _data_dir: data_dir,
    }
}

#[test]
fn the_demo_serves_the_dashboard_and_the_api_from_the_bundled_data() {
    let server = start_demo();

    let (status, head, page) = get(&server.address, "/");
    assert_eq!(status, 200, "{head}");
    assert!(page.contains("<html"), "the dashboard page: {page:.200}");

    let (status, _, body) = get(
        &server.address,
        "/api/v1/areas?level=municipality&parent=PV22",
    );
    assert_eq!(status, 200, "{body}");
    let areas: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(areas["data"].as_array().unwrap().len(), 12, "{body:.500}");

    let (status, _, body) = get(&server.address, "/api/v1/boundaries?level=district");
    assert_eq!(status, 200);
    let boundaries: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        boundaries["data"]["features"].as_array().unwrap().len(),
        189
    );

    let (status, head, csv) = get(
        &server.address,
        "/api/v1/observations?indicator=inhabitants&level=municipality&parent=PV22&year=2024&format=csv",
    );
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("text/csv"), "{head}");
    assert_eq!(csv.lines().count(), 1 + 12, "{csv}");

    // The demo includes the projection, summed to Drenthe like any count.
    let (status, _, body) = get(
        &server.address,
        "/api/v1/observations?indicator=projected_inhabitants&area=PV22&year=2020",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"value\":493682.0"), "{body}");

    let (status, _, body) = get(&server.address, "/api/v1/observations?year=20x4");
    assert_eq!(status, 400);
    assert!(body.contains("parameter `year`"), "{body}");
}

#[test]
fn help_explains_every_command() {
    let output = leefbaar().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["demo", "import", "serve", "indicators"] {
        assert!(help.contains(command), "--help lacks `{command}`:\n{help}");
    }
}
