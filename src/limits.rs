//! Every limit on what lungang reads and is asked to do, in one place, and the one reader
//! of user files that enforces the sizes. Each limit is far above any real county (the
//! largest Chinese county has some 20,000 teachers) and low enough that a hostile input is
//! refused in well under 200 MB and a second; docs/reliability.md says why each is what
//! it is.

use std::io::Read;
use std::path::Path;

/// Bytes of one dataset file (a CSV file or the workbook).
pub const MAX_FILE_BYTES: u64 = 32 << 20;
/// Bytes of a policy.toml or a scenarios file.
pub const MAX_TEXT_BYTES: u64 = 1 << 20;
/// Bytes a workbook may unpack to, all its parts together.
pub const MAX_UNPACKED_BYTES: u64 = 32 << 20;
/// Data rows of one file or sheet.
pub const MAX_ROWS: usize = 100_000;
/// Cells of one row (columns of a sheet).
pub const MAX_CELLS: usize = 256;
/// Cells of one file kept in memory, under its header: 100,000 rows of 20 columns. Each
/// costs 24 bytes even when empty (56 with a short text): this keeps a file's table under
/// about 110 MB.
pub const MAX_TABLE_CELLS: usize = 2_000_000;
/// Problems shown per file; the rest are counted in one last line.
pub const PROBLEMS_SHOWN: usize = 100;

/// Periods a week of one demand row (a school of 200 classes needs about 6,000).
pub const MAX_PERIODS: i64 = 10_000;
/// Housing places at one school.
pub const MAX_HOUSING: i64 = 10_000;
/// One leg between two schools of a county.
pub const MAX_KM: f64 = 1_000.0;
pub const MAX_MINUTES: f64 = 1_440.0;
/// The oldest teacher in the plan year (retirement is at 60 at most, re-hires included).
pub const MAX_TEACHER_AGE: i64 = 75;

/// A weight of the objective. HiGHS takes 1e20 for infinity and loses its tolerances long
/// before: 1e7 × the largest multiplier keeps every coefficient within 1e9 (measured: the
/// bundled counties plan alike at unmet = 1e8; at 1e15 HiGHS ends with "Unknown").
pub const MAX_WEIGHT: f64 = 1e7;
/// A subject's multiplier of the unmet weight.
pub const MAX_MULTIPLIER: f64 = 100.0;
/// travel.road_factor: a road at most ten times the great circle.
pub const MAX_ROAD_FACTOR: f64 = 10.0;
/// travel.speed_kmh.
pub const MAX_SPEED_KMH: f64 = 200.0;

/// Scenarios in one what-if file: each is a whole dataset planned at once.
pub const MAX_SCENARIOS: usize = 100;
/// Teachers added or removed by one change.
pub const MAX_CHANGE_COUNT: i64 = 10_000;
/// `generate`: schools and teachers of a synthetic county.
pub const MAX_GENERATE_SCHOOLS: usize = 5_000;
pub const MAX_GENERATE_TEACHERS: usize = MAX_ROWS;
/// `--time-limit`: seconds (a year).
pub const MAX_TIME_LIMIT: f64 = 31_536_000.0;

/// Why a user file could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    /// A folder, a device (`/dev/zero`), a pipe: only regular files are read.
    NotRegular,
    /// Larger than the limit (its size in bytes, as far as read).
    TooLarge(u64),
    Io(std::io::Error),
}

impl ReadError {
    /// What is wrong, as a sentence's start: "file not found", "… is larger than …".
    pub fn describe(&self, limit: u64) -> String {
        match self {
            ReadError::NotFound => "file not found".into(),
            ReadError::NotRegular => "not a regular file (a folder, device or pipe)".into(),
            ReadError::TooLarge(n) => format!(
                "the file is {}, more than the {} lungang reads",
                bytes(*n),
                bytes(limit)
            ),
            ReadError::Io(e) => format!("cannot read the file: {e}"),
        }
    }
}

/// A size for people: "32 MiB", "1.5 MiB", "812 bytes".
pub fn bytes(n: u64) -> String {
    if n < 1 << 10 {
        format!("{n} bytes")
    } else if n < 1 << 20 {
        format!("{:.0} KiB", n as f64 / 1024.0)
    } else {
        let mib = n as f64 / (1u64 << 20) as f64;
        let s = format!("{mib:.1}");
        format!("{} MiB", s.trim_end_matches(".0"))
    }
}

/// The size of a regular file of at most `limit` bytes (links are followed; a link to
/// `/dev/zero` is not a regular file).
pub fn file_size(path: &Path, limit: u64) -> Result<u64, ReadError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        Err(e) => return Err(ReadError::Io(e)),
    };
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    Ok(meta.len())
}

/// Reads a regular file of at most `limit` bytes. The size is checked before and while
/// reading, so a file that grows meanwhile stops at the limit too.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let size = file_size(path, limit)?;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_regular_files_within_the_limit() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.csv");
        std::fs::write(&f, "12345").unwrap();
        assert_eq!(read_file(&f, 5).unwrap(), b"12345");
        assert!(matches!(read_file(&f, 4), Err(ReadError::TooLarge(5))));
        assert!(matches!(
            read_file(tmp.path(), 100),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(
            read_file(&tmp.path().join("no"), 100),
            Err(ReadError::NotFound)
        ));
        if Path::new("/dev/zero").exists() {
            assert!(matches!(
                read_file(Path::new("/dev/zero"), 100),
                Err(ReadError::NotRegular)
            ));
        }
        assert_eq!(bytes(32 << 20), "32 MiB");
        assert_eq!(bytes(1536 << 10), "1.5 MiB");
        assert_eq!(bytes(812), "812 bytes");
    }
}
