//! The bundle manifest reader (`leefbaar_ingest::read_bundle_spec`: the `[bundle]` and monitor
//! sections of `manifest.toml` and the files it names) on arbitrary bytes. The reader takes a
//! path, so each input is written to a file of this process's own in the temporary directory.
//! Never a panic; `Ok` and `Err` are both fine.
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code;
// this target also writes its input with `std::fs::write`.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::sync::OnceLock;

use leefbaar_ingest::read_bundle_spec;
use libfuzzer_sys::fuzz_target;

fn manifest_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("leefbaar-fuzz-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        dir.join("manifest.toml")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = manifest_path();
    std::fs::write(path, data).expect("the input written");
    match read_bundle_spec(path) {
        Ok((_spec, files)) => {
            // Every named file is resolved against the manifest's directory.
            let dir = path.parent().expect("a directory");
            for file in &files {
                assert!(
                    file.starts_with(dir) || file.is_absolute(),
                    "{}",
                    file.display()
                );
            }
        }
        Err(error) => drop(error.to_string()),
    }
});
