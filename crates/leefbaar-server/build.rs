//! Embeds the built dashboard (`web/dist/`) into the binary, so `cargo run` needs no npm step
//! and the server fetches nothing at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // Embedding an empty or half-written dist (web/build.sh running at the same moment) would
    // give a binary whose dashboard answers 404, and cargo would not notice the files arriving
    // afterwards; stop instead.
    for needed in ["index.html", "app.js", "app.css"] {
        assert!(
            files.iter().any(|path| path.ends_with(needed)),
            "{} has no {needed}: run web/build.sh (the committed web/dist is what cargo embeds)",
            dist.display()
        );
    }
    let mut code = String::from(
        "/// Files of `web/dist`, by name.\npub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let absolute = path.canonicalize().unwrap();
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            absolute.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("assets.rs");
    fs_err::write(out, code).unwrap();
}
