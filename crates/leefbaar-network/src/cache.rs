//! The prepared network on disk, so a second run does not parse the PBF again.
//!
//! A small versioned little-endian binary format, written and read by hand (no serde: the
//! model types are not a wire format, and the layout is simple arrays):
//!
//! ```text
//! magic      8 bytes  "LEEFNET\0"
//! version    u32      FORMAT_VERSION
//! profile    u8       0 car, 1 bicycle, 2 foot
//! source     u64 + u64  byte length and FNV-1a 64 hash of the PBF it was built from
//! nodes      u64 n, then n × (lon f64, lat f64)
//! streets    u64 n, then n × (from, to, length_cm, forward_time_ms, backward_time_ms) as u32,
//!            u32::MAX for a direction the profile may not travel
//! geometry   u64 n, then n × u32 start offsets; u64 m, then m × (lon f64, lat f64)
//! checksum   u64      FNV-1a 64 of every byte before it
//! ```
//!
//! The graph, its reversed view and the R-tree are rebuilt from the streets on load (cheap and
//! deterministic), which keeps the file small. Any damage (wrong magic, other version,
//! checksum mismatch, truncation, indices out of range) is a [`NetworkError::BadCache`]
//! naming the file. The same PBF always gives the same bytes.

use std::path::Path;

use crate::error::NetworkError;
use crate::geo::Wgs84Point;
use crate::network::{Network, Street};
use crate::osm::{ImportReport, OsmExtract};
use crate::profile::Profile;

const MAGIC: &[u8; 8] = b"LEEFNET\0";
/// Version of the cache layout; bump it whenever the layout or the import rules change.
///
/// 2: nodes numbered along a Hilbert curve instead of in OSM order (same layout, but a
/// version-1 file would load as a valid network in the slower order).
pub const FORMAT_VERSION: u32 = 2;

/// FNV-1a, 64 bit: small, dependency-free and good enough to detect damage (not tampering).
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_continue(FNV_OFFSET, bytes)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a64_continue(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Where the network came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared {
    /// Read from a valid cache built from the same PBF.
    FromCache,
    /// Parsed from the PBF (and the cache written).
    Parsed(ImportReport),
}

/// The network of `profile` for `pbf`, from the cache file `cache` when it is valid and was
/// built from the same PBF (same length and hash), else parsed and written to `cache`.
pub fn prepare(
    pbf: &Path,
    profile: Profile,
    cache: &Path,
) -> Result<(Network, Prepared), NetworkError> {
    let source = fs_err::read(pbf).map_err(|source| NetworkError::Io {
        path: pbf.to_owned(),
        source,
    })?;
    let fingerprint = (source.len() as u64, fnv1a64(&source));
    drop(source);
    if cache.exists()
        && let Ok((network, cached_fingerprint)) = load_with_source(cache)
        && cached_fingerprint == fingerprint
        && network.profile() == profile
    {
        return Ok((network, Prepared::FromCache));
    }
    let (network, report) = OsmExtract::read(pbf)?.network(profile)?;
    let bytes = to_bytes(&network, fingerprint);
    let partial = cache.with_extension("partial");
    fs_err::write(&partial, &bytes).map_err(|source| NetworkError::Io {
        path: partial.clone(),
        source,
    })?;
    fs_err::rename(&partial, cache).map_err(|source| NetworkError::Io {
        path: cache.to_owned(),
        source,
    })?;
    Ok((network, Prepared::Parsed(report)))
}

/// Byte length and FNV-1a 64 hash of a file, read in 1 MiB chunks (a country extract does not
/// need to fit in memory).
pub fn fingerprint(path: &Path) -> Result<(u64, u64), NetworkError> {
    use std::io::Read as _;
    let io = |source| NetworkError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = fs_err::File::open(path).map_err(io)?;
    let mut buffer = vec![0u8; 1 << 20];
    let (mut length, mut hash) = (0u64, FNV_OFFSET);
    loop {
        let n = file.read(&mut buffer).map_err(io)?;
        if n == 0 {
            return Ok((length, hash));
        }
        length += n as u64;
        hash = fnv1a64_continue(hash, &buffer[..n]);
    }
}

/// Writes `network` to `path`, recording the PBF it came from by length and hash.
pub fn save(network: &Network, source: (u64, u64), path: &Path) -> Result<(), NetworkError> {
    fs_err::write(path, to_bytes(network, source)).map_err(|source| NetworkError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Reads a network written by [`save`] or [`prepare`].
pub fn load(path: &Path) -> Result<Network, NetworkError> {
    load_with_source(path).map(|(network, _)| network)
}

fn load_with_source(path: &Path) -> Result<(Network, (u64, u64)), NetworkError> {
    let bytes = fs_err::read(path).map_err(|source| NetworkError::Io {
        path: path.to_owned(),
        source,
    })?;
    from_bytes(&bytes).map_err(|reason| NetworkError::BadCache {
        path: path.to_owned(),
        reason,
    })
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_points(out: &mut Vec<u8>, points: &[Wgs84Point]) {
    put_u64(out, points.len() as u64);
    for p in points {
        out.extend_from_slice(&p.lon.to_le_bytes());
        out.extend_from_slice(&p.lat.to_le_bytes());
    }
}

/// The cache bytes of a network.
pub fn to_bytes(network: &Network, source: (u64, u64)) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + network.heap_bytes());
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, FORMAT_VERSION);
    out.push(network.profile().code());
    put_u64(&mut out, source.0);
    put_u64(&mut out, source.1);
    put_points(&mut out, &network.nodes);
    put_u64(&mut out, network.streets.len() as u64);
    for s in &network.streets {
        for v in [
            s.from,
            s.to,
            s.length_cm,
            s.forward_time_ms.unwrap_or(u32::MAX),
            s.backward_time_ms.unwrap_or(u32::MAX),
        ] {
            put_u32(&mut out, v);
        }
    }
    put_u64(&mut out, network.geometry_start.len() as u64);
    for &g in &network.geometry_start {
        put_u32(&mut out, g);
    }
    put_points(&mut out, &network.geometry);
    let checksum = fnv1a64(&out);
    put_u64(&mut out, checksum);
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn len(&mut self, item_bytes: usize) -> Result<usize, String> {
        let n = usize::try_from(self.u64()?).map_err(|_| "length too large".to_owned())?;
        if n.saturating_mul(item_bytes) > self.bytes.len() - self.at {
            return Err(format!(
                "length {n} at byte {} runs past the end",
                self.at - 8
            ));
        }
        Ok(n)
    }
    fn points(&mut self) -> Result<Vec<Wgs84Point>, String> {
        let n = self.len(16)?;
        (0..n)
            .map(|_| Ok(Wgs84Point::new(self.f64()?, self.f64()?)))
            .collect()
    }
}

/// Parses cache bytes; the error says what is wrong.
pub(crate) fn from_bytes(bytes: &[u8]) -> Result<(Network, (u64, u64)), String> {
    if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
        return Err("not a Leefbaar network cache (bad magic bytes)".to_owned());
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    let stored = u64::from_le_bytes(tail.try_into().expect("8 bytes"));
    let mut r = Reader {
        bytes: body,
        at: MAGIC.len(),
    };
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(format!(
            "format version {version}, this build reads {FORMAT_VERSION}"
        ));
    }
    if fnv1a64(body) != stored {
        return Err("checksum mismatch (the file is damaged)".to_owned());
    }
    let profile = Profile::from_code(r.take(1)?[0]).ok_or("unknown profile code")?;
    let source = (r.u64()?, r.u64()?);
    let nodes = r.points()?;
    let n_streets = r.len(20)?;
    let mut streets = Vec::with_capacity(n_streets);
    let optional = |v: u32| (v != u32::MAX).then_some(v);
    for _ in 0..n_streets {
        let (from, to, length_cm) = (r.u32()?, r.u32()?, r.u32()?);
        let (forward, backward) = (r.u32()?, r.u32()?);
        if from as usize >= nodes.len() || to as usize >= nodes.len() {
            return Err(format!(
                "street {} names a node out of range",
                streets.len()
            ));
        }
        streets.push(Street {
            from,
            to,
            length_cm,
            forward_time_ms: optional(forward),
            backward_time_ms: optional(backward),
        });
    }
    let n_starts = r.len(4)?;
    let geometry_start: Vec<u32> = (0..n_starts).map(|_| r.u32()).collect::<Result<_, _>>()?;
    let geometry = r.points()?;
    if r.at != body.len() {
        return Err(format!(
            "{} unexpected bytes before the checksum",
            body.len() - r.at
        ));
    }
    let starts_ok = geometry_start.len() == streets.len() + 1
        && geometry_start.first() == Some(&0)
        && geometry_start.windows(2).all(|w| w[1] >= w[0] + 2)
        && geometry_start
            .last()
            .is_some_and(|&g| g as usize == geometry.len());
    if !starts_ok {
        return Err("street geometry offsets are inconsistent".to_owned());
    }
    Ok((
        Network::assemble(profile, nodes, streets, geometry_start, geometry),
        source,
    ))
}

#[cfg(test)]
mod tests;
