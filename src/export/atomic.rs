//! The one way chronomap writes an output file (the CLI, the app's export
//! window and its screenshots all come here): into a hidden temporary file
//! beside the target, synced and renamed into place, so a failed or
//! interrupted write never leaves a half-written file or destroys the old
//! one.
//!
//! A temporary file is named `.NAME.chronomap-PID-N.tmp`, so the process
//! that made it can be told from its name. A process killed mid-write
//! (`kill -9`, a power cut) leaves one behind; the next write into that
//! folder removes those whose process is gone, and nothing else.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// What marks a temporary file or folder as chronomap's.
const TEMP_MARK: &str = ".chronomap-";
const TEMP_SUFFIX: &str = ".tmp";

/// Where a process's liveness cannot be asked (no `/proc`), a temporary
/// file this old is taken to be left over: no write takes an hour.
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Why a streamed write failed: the file system, or the content's producer.
#[derive(Debug, thiserror::Error)]
pub enum WriteError<E> {
    /// Creating, writing, syncing or renaming the file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The producer of the content gave up.
    #[error(transparent)]
    Content(E),
}

/// Writes `bytes` to `path` atomically (see the module's doc).
///
/// # Errors
/// When the folder does not exist or cannot be written; the temporary file
/// is removed again.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes)).map_err(|e| match e {
        WriteError::Io(e) | WriteError::Content(e) => e,
    })
}

/// Writes to `path` atomically what `write` produces, streamed, so a large
/// output (an animation) never has to be held in memory. A write error the
/// producer did not see (one an encoder's `Drop` swallowed) still fails the
/// whole write.
///
/// # Errors
/// The file system's error, or the producer's; either way the temporary
/// file is removed and `path` is as it was.
pub fn write_atomic_with<T, E>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, WriteError<E>> {
    remove_stale_temps(folder_of(path));
    let tmp = temp_path(path);
    let result = File::create_new(&tmp)
        .map_err(WriteError::Io)
        .and_then(|file| {
            let mut out = Watched::new(file);
            let value = write(&mut out).map_err(WriteError::Content)?;
            out.finish()?;
            std::fs::rename(&tmp, path)?;
            Ok(value)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The folder `path` is in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `dir/.name.chronomap-PID-N.tmp`: hidden, in the same folder (so the
/// rename is atomic), unique per process and per write within it.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id();
    path.with_file_name(format!(".{name}{TEMP_MARK}{pid}-{n}{TEMP_SUFFIX}"))
}

/// The process id in a name of [`temp_path`]'s making; `None` for any
/// other name, so that nobody else's files are ever taken for ours.
fn temp_pid(file_name: &str) -> Option<u32> {
    let inner = file_name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let (name, tail) = inner.rsplit_once(TEMP_MARK)?;
    let (pid, n) = tail.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!name.is_empty() && digits(pid) && digits(n))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Removes the temporary files (and frame folders) in `dir` that a process
/// of ours left behind and that no process is still writing: on Linux those
/// whose process is gone, elsewhere those older than [`STALE_AFTER`].
/// Returns what was removed, sorted. Failures are ignored: cleaning up is a
/// courtesy, never a reason for the write at hand to fail.
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let pid = name.to_str().and_then(temp_pid);
            pid.is_some_and(|pid| is_stale(pid, entry))
        })
        .map(|entry| entry.path())
        .filter(|path| remove_temp(path))
        .collect();
    removed.sort();
    removed
}

/// Whether the temporary `entry` of process `pid` is left over.
fn is_stale(pid: u32, entry: &std::fs::DirEntry) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    entry
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|at| SystemTime::now().duration_since(at).unwrap_or_default() > STALE_AFTER)
}

/// Removes a temporary file, or a temporary frames folder with the frames
/// in it; a folder holding anything else is left as it is.
fn remove_temp(path: &Path) -> bool {
    if !path.is_dir() {
        return std::fs::remove_file(path).is_ok();
    }
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.filter_map(Result::ok) {
            let ours = entry
                .file_name()
                .to_str()
                .is_some_and(super::frames::is_frame_name);
            if ours {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    std::fs::remove_dir(path).is_ok()
}

/// A buffered file that remembers its first write error, so one that a
/// writer's user ignored is still reported when the file is finished.
struct Watched {
    out: BufWriter<File>,
    error: Option<std::io::Error>,
}

impl Watched {
    fn new(file: File) -> Self {
        Self {
            out: BufWriter::new(file),
            error: None,
        }
    }

    /// The first error seen, else flushed and synced to disk.
    fn finish(mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        self.out.get_ref().sync_all()
    }

    fn keep<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result
            && self.error.is_none()
        {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
        result
    }
}

impl Write for Watched {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.out.write(buf);
        self.keep(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.out.flush();
        self.keep(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = crate::export::scratch("atomic", "whole");
        let path = dir.join("a.csv");
        assert!(write_atomic(&path, b"one").is_ok());
        assert!(write_atomic(&path, b"two").is_ok());
        assert_eq!(std::fs::read(&path).ok().as_deref(), Some(&b"two"[..]));
        let missing = dir.join("no/such/folder/a.csv");
        assert!(write_atomic(&missing, b"x").is_err());
        assert_eq!(
            crate::export::sorted_names(&dir),
            ["a.csv"],
            "no temporary file left"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_producer_leaves_the_old_file_alone() {
        let dir = crate::export::scratch("atomic", "producer");
        let path = dir.join("a.gif");
        assert!(write_atomic(&path, b"old").is_ok());
        let failed = write_atomic_with(&path, |out| {
            out.write_all(b"half")
                .map_err(|e| e.to_string())
                .and_then(|()| Err::<(), _>("no more frames".to_owned()))
        });
        assert!(matches!(failed, Err(WriteError::Content(m)) if m == "no more frames"));
        assert_eq!(std::fs::read(&path).ok().as_deref(), Some(&b"old"[..]));
        assert_eq!(crate::export::sorted_names(&dir), ["a.gif"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_swallowed_write_error_still_fails_the_write() {
        let dir = crate::export::scratch("atomic", "swallowed");
        let path = dir.join("a.bin");
        let mut out = Watched::new(File::create(&path).unwrap_or_else(|e| panic!("{e}")));
        let failed: std::io::Result<()> = Err(std::io::ErrorKind::StorageFull.into());
        let _ = out.keep(failed);
        assert!(out.write_all(b"more").is_ok());
        let finished = out.finish().map_err(|e| e.kind());
        assert_eq!(finished, Err(std::io::ErrorKind::StorageFull));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_our_temporary_names_carry_a_pid() {
        assert_eq!(temp_pid(".a.csv.chronomap-4242-0.tmp"), Some(4242));
        assert_eq!(temp_pid(".frames.chronomap-7-12.tmp"), Some(7));
        let made = temp_path(Path::new("x/b.png"));
        let made = made.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert_eq!(temp_pid(made), Some(std::process::id()));
        for other in [
            ".a.csv.tmp-4242",
            "a.csv.chronomap-4242-0.tmp",
            ".chronomap-4242-0.tmp",
            ".a.chronomap-42x-0.tmp",
            ".a.chronomap-42-.tmp",
            ".a.chronomap-42-0.tmp.bak",
            "notes.txt",
        ] {
            assert_eq!(temp_pid(other), None, "{other}");
        }
    }
}
