//! End-to-end: the real `leefbaar` binary builds the demo store, serves it on port 0, and is
//! driven over HTTP, the way a user and the browser tests use it.

use std::process::{Child, Command, Stdio};

#[path = "support/http.rs"]
mod http;
use http::{bound_address, get};

struct Server {
    child: Child,
    address: String,
    data_dir: tempfile::TempDir,
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

/// The demo on a free port; its stderr (not a terminal, so JSON logs) goes to `server.err` in
/// the data directory.
fn start_demo() -> Server {
    let data_dir = tempfile::tempdir().unwrap();
    let stderr =
        std::fs::File::from(fs_err::File::create(data_dir.path().join("server.err")).unwrap());
    let mut child = leefbaar()
        .args(["demo", "--port", "0", "--no-progress", "--data-dir"])
        .arg(data_dir.path())
        .env_remove("LEEFBAAR_LOG_FORMAT")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let address = bound_address(&mut child);
    Server {
        child,
        address,
        data_dir,
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

    // Security headers and the probes, over a real socket.
    let (status, head, _) = get(&server.address, "/readyz");
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    // An unknown parameter is refused, and its value must not reach the log.
    let (status, _, _) = get(&server.address, "/api/v1/areas/GM0114?token=secret");
    assert_eq!(status, 400);
    stops_on_sigterm_and_logged_each_request_as_json(server);
}

/// SIGTERM ends the server cleanly, and its log has one JSON line per request with the route
/// template, never the client's address or the query string.
fn stops_on_sigterm_and_logged_each_request_as_json(mut server: Server) {
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let log = fs_err::read_to_string(server.data_dir.path().join("server.err")).unwrap();
    let requests: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["message"] == "request")
        .collect();
    assert!(
        requests
            .iter()
            .any(|line| line["route"] == "/api/v1/areas/{code}" && line["status"] == 400),
        "{log}"
    );
    assert!(
        requests.iter().all(|line| line["latency_ms"].is_number()),
        "{log}"
    );
    for line in log.lines().filter(|line| line.contains("\"request\"")) {
        assert!(
            !line.contains("secret") && !line.contains("127.0.0.1"),
            "{line}"
        );
    }
    assert!(log.contains("shutting down"), "{log}");
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
