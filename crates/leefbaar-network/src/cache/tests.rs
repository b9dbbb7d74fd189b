//! The cache round-trips, is byte-identical across runs, and refuses damaged files.

use std::path::PathBuf;

use super::*;

fn amsterdam() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/amsterdam_tiny.osm.pbf")
}

#[test]
fn preparing_twice_gives_byte_identical_cache_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.net"), dir.path().join("b.net"));
    prepare(&amsterdam(), Profile::Bicycle, &a).unwrap();
    prepare(&amsterdam(), Profile::Bicycle, &b).unwrap();
    assert_eq!(fs_err::read(&a).unwrap(), fs_err::read(&b).unwrap());
}

#[test]
fn a_second_prepare_reads_the_cache_and_gives_the_same_network() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("car.net");
    let (parsed, how) = prepare(&amsterdam(), Profile::Car, &cache).unwrap();
    assert!(matches!(how, Prepared::Parsed(_)));
    let (cached, how) = prepare(&amsterdam(), Profile::Car, &cache).unwrap();
    assert_eq!(how, Prepared::FromCache);
    assert_eq!(parsed.graph(), cached.graph());
    assert_eq!(parsed.streets(), cached.streets());
    assert_eq!(parsed.nodes(), cached.nodes());
    assert_eq!(
        parsed.snap(parsed.nodes()[3]),
        cached.snap(cached.nodes()[3])
    );
}

#[test]
fn a_cache_for_another_profile_is_rebuilt_not_reused() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("x.net");
    prepare(&amsterdam(), Profile::Car, &cache).unwrap();
    let (foot, how) = prepare(&amsterdam(), Profile::Foot, &cache).unwrap();
    assert!(matches!(how, Prepared::Parsed(_)));
    assert_eq!(foot.profile(), Profile::Foot);
}

#[test]
fn a_damaged_cache_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("foot.net");
    prepare(&amsterdam(), Profile::Foot, &cache).unwrap();
    let mut bytes = fs_err::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    fs_err::write(&cache, &bytes).unwrap();
    let message = load(&cache).unwrap_err().to_string();
    assert!(
        message.contains("foot.net: not a usable network cache: checksum mismatch"),
        "{message}"
    );

    fs_err::write(&cache, &bytes[..middle]).unwrap();
    let message = load(&cache).unwrap_err().to_string();
    assert!(
        message.contains("foot.net: not a usable network cache"),
        "{message}"
    );

    fs_err::write(&cache, b"hello").unwrap();
    let message = load(&cache).unwrap_err().to_string();
    assert!(message.contains("bad magic bytes"), "{message}");
}

#[test]
fn a_damaged_cache_is_rebuilt_by_prepare() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("car.net");
    fs_err::write(&cache, b"LEEFNET\0garbage garbage").unwrap();
    let (_, how) = prepare(&amsterdam(), Profile::Car, &cache).unwrap();
    assert!(matches!(how, Prepared::Parsed(_)));
    assert!(load(&cache).is_ok());
}
