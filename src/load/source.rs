//! Where the bytes of a load come from: a file, a FIFO or pipe, standard
//! input, any reader, or bytes and text in memory. Everything here reads
//! forwards only, so that a pipe reads as a file does.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Problem, ProblemKind, Progress};

/// What a [`super::Loader`] reads.
pub enum Source<'a> {
    /// A file, a FIFO or a pipe such as bash's `<(zcat file.gz)`; `-` is
    /// standard input.
    Path(&'a Path),
    /// Any reader (a socket, a child's output), named for messages. It is
    /// read once, from where it stands, and never rewound.
    Reader {
        /// What the user calls it.
        name: String,
        /// The bytes.
        reader: Box<dyn Read + Send + 'a>,
    },
    /// Bytes in memory.
    Bytes {
        /// What the user calls them.
        name: &'a str,
        /// The bytes, compressed or not.
        bytes: &'a [u8],
    },
    /// Text in memory, decoded already.
    Text {
        /// What the user calls it.
        name: &'a str,
        /// The text.
        text: &'a str,
    },
}

impl<'a> Source<'a> {
    /// A file by its path (`-` for standard input).
    pub fn path(path: &'a Path) -> Self {
        Self::Path(path)
    }

    /// Any reader, called `name` in messages.
    pub fn reader(name: impl Into<String>, reader: impl Read + Send + 'a) -> Self {
        Self::Reader {
            name: name.into(),
            reader: Box::new(reader),
        }
    }

    /// Bytes in memory, called `name` in messages.
    pub fn bytes(name: &'a str, bytes: &'a [u8]) -> Self {
        Self::Bytes { name, bytes }
    }

    /// Text in memory, called `name` in messages.
    pub fn text(name: &'a str, text: &'a str) -> Self {
        Self::Text { name, text }
    }

    /// What messages call the source.
    pub fn name(&self) -> String {
        match self {
            Self::Path(path) if is_stdin(path) => STDIN_NAME.to_owned(),
            Self::Path(path) => path.display().to_string(),
            Self::Reader { name, .. } => name.clone(),
            Self::Bytes { name, .. } | Self::Text { name, .. } => (*name).to_owned(),
        }
    }
}

/// What messages call standard input.
pub const STDIN_NAME: &str = "standard input";

/// Whether a path given by the user means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A source opened for reading.
pub enum Input<'a> {
    /// A regular file, which can be rewound (a zip's directory is at its
    /// end), with its size.
    File(File, u64),
    /// Anything else, read once from the start.
    Stream(Box<dyn Read + Send + 'a>),
}

/// How long opening a FIFO may block before the user is told why.
const FIFO_NOTE_AFTER: Duration = Duration::from_secs(1);

/// Opens a path: `-` as standard input, a FIFO with a note on stderr when
/// no writer has opened it after a second (opening blocks until one does).
///
/// # Errors
/// When the OS cannot open it.
pub fn open_path(path: &Path) -> io::Result<Input<'static>> {
    if is_stdin(path) {
        return Ok(Input::Stream(Box::new(io::stdin())));
    }
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory",
        ));
    }
    if !meta.is_file() {
        return open_waiting(path).map(|file| Input::Stream(Box::new(file)));
    }
    let file = File::open(path)?;
    Ok(Input::File(file, meta.len()))
}

/// Opens a FIFO or device, telling the user when that is waiting for a
/// writer rather than leaving them before a silent terminal.
fn open_waiting(path: &Path) -> io::Result<File> {
    let opened = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let timer = scope.spawn(|| {
            let start = std::time::Instant::now();
            while !opened.load(Ordering::Relaxed) {
                let Some(left) = FIFO_NOTE_AFTER.checked_sub(start.elapsed()) else {
                    eprintln!(
                        "chronomap: waiting for a program to write to {} …",
                        path.display()
                    );
                    return;
                };
                std::thread::park_timeout(left);
            }
        });
        let file = File::open(path);
        opened.store(true, Ordering::Relaxed);
        timer.thread().unpark();
        file
    })
}

/// How much of a source is read to tell what it is before the rest.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Up to [`HEAD_BYTES`] from the start of `reader` (fewer only at its end).
///
/// # Errors
/// When reading fails.
pub fn read_head(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    reader.take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// What the first bytes of a source say it is packed in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Packing {
    /// gzip, perhaps several members one after another.
    Gzip,
    /// A zip archive.
    Zip,
}

/// The packing the magic bytes at the start of `head` name, if any.
pub fn packing(head: &[u8]) -> Option<Packing> {
    if head.starts_with(b"\x1f\x8b") {
        Some(Packing::Gzip)
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Packing::Zip)
    } else {
        None
    }
}

/// Whether an archive member may hold events: not a folder, nor the
/// metadata macOS and others add (`__MACOSX/`, `.DS_Store`).
pub fn is_member_to_load(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    !name.ends_with('/') && !name.starts_with("__MACOSX/") && !base.starts_with('.')
}

/// Whether an archive member shows the archive to be an Office document
/// (an `.xlsx` workbook is a zip of XML).
pub fn is_office_member(name: &str) -> bool {
    name == "[Content_Types].xml" || name.starts_with("xl/") || name.starts_with("word/")
}

/// The bytes a reader hands out counted into `progress`, and its end
/// once the load is cancelled, so that a load stuck reading a slow pipe
/// still stops.
pub struct Counted<'p, R> {
    inner: R,
    progress: Option<&'p Progress>,
}

impl<'p, R> Counted<'p, R> {
    /// Counts what `inner` hands out.
    pub fn new(inner: R, progress: Option<&'p Progress>) -> Self {
        Self { inner, progress }
    }
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(progress) = self.progress else {
            return self.inner.read(buf);
        };
        if progress.is_cancelled() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        progress.add_read(n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<'_, R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

/// A file whose text can be read from any offset, by several readers at
/// once: for an input read in parts side by side
/// ([`parts`](super::parts)). Its text ends at its first NUL byte, told to
/// `cut` by whichever reader meets it.
#[derive(Clone, Copy)]
pub struct Whole<'a> {
    /// The file.
    pub file: &'a File,
    /// Its size.
    pub size: u64,
    /// Where the text ends, once a NUL byte is met.
    pub cut: &'a NulCut,
}

impl<'a> Whole<'a> {
    /// The file's bytes from `offset` on.
    pub fn from(&self, offset: u64) -> ReadAt<'a> {
        ReadAt {
            file: self.file,
            at: offset,
        }
    }
}

/// A file's bytes from an offset, read by offset (`pread`) so that readers
/// of one file do not share its cursor.
pub struct ReadAt<'a> {
    file: &'a File,
    at: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<usize> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "reading a file by offset",
    ))
}

/// Where a NUL byte cut the text short: the line it is on.
#[derive(Debug, Default)]
pub struct NulCut {
    line: OnceLock<u32>,
}

impl NulCut {
    /// A cut known already, at `line`.
    pub fn at(line: u32) -> Self {
        Self {
            line: OnceLock::from(line),
        }
    }

    /// Tells where the text was cut, unless a cut was told before.
    pub fn set(&self, line: u32) {
        let _ = self.line.set(line);
    }

    /// The line the text was cut at, if it was.
    pub fn line(&self) -> Option<u32> {
        self.line.get().copied()
    }

    /// The problem to report, when the text was cut.
    pub fn problem(&self) -> Option<Problem> {
        self.line.get().map(|&line| {
            Problem::new(
                ProblemKind::Truncated,
                line,
                "",
                "the file holds binary data (NUL bytes) from this line on, not text; \
                 the rows before it were read, the rest of the file was not",
            )
        })
    }
}

/// Text that ends at its first NUL byte. No text format holds one, while
/// a disk image, a file cut off by a crash or an endless `/dev/zero` is
/// nothing but: what comes before is read, and the rest is not, however
/// long it is.
pub struct StopAtNul<'c, R> {
    inner: R,
    cut: &'c NulCut,
    /// Line breaks handed out so far, for the line of the cut.
    newlines: u64,
}

impl<'c, R> StopAtNul<'c, R> {
    /// `inner` up to its first NUL, where `cut` is told the line.
    pub fn new(inner: R, cut: &'c NulCut) -> Self {
        Self {
            inner,
            cut,
            newlines: 0,
        }
    }
}

impl<R: Read> Read for StopAtNul<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cut.line.get().is_some() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let got = buf.get(..n).unwrap_or_default();
        let kept = match memchr::memchr(0, got) {
            Some(at) => {
                let before = got.get(..at).unwrap_or_default();
                let line = self.newlines + memchr::memchr_iter(b'\n', before).count() as u64 + 1;
                let _ = self.cut.line.set(u32::try_from(line).unwrap_or(u32::MAX));
                at
            }
            None => n,
        };
        let kept_bytes = got.get(..kept).unwrap_or_default();
        self.newlines += memchr::memchr_iter(b'\n', kept_bytes).count() as u64;
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_from_magic_bytes() {
        assert_eq!(packing(b"\x1f\x8b\x08\0"), Some(Packing::Gzip));
        assert_eq!(packing(b"PK\x03\x04\x14\0"), Some(Packing::Zip));
        assert_eq!(packing(b"PK\x05\x06"), Some(Packing::Zip));
        assert_eq!(packing(b"event_id_cnty,event_date"), None);
        assert_eq!(packing(b""), None);
    }

    #[test]
    fn archive_members_worth_loading() {
        assert!(is_member_to_load("events/acled.csv"));
        assert!(!is_member_to_load("events/"));
        assert!(!is_member_to_load("__MACOSX/events/._acled.csv"));
        assert!(!is_member_to_load("events/.DS_Store"));
        assert!(is_office_member("xl/workbook.xml"));
        assert!(!is_office_member("events.csv"));
    }

    #[test]
    fn text_stops_at_its_first_nul_and_names_the_line() {
        let cut = NulCut::default();
        let input: &[u8] = b"a,b\n1,2\n3,\0\0\0\n4,5\n";
        let mut text = Vec::new();
        let mut reader = StopAtNul::new(input.chain(&b"more"[..]), &cut);
        reader.read_to_end(&mut text).expect("reads");
        assert_eq!(text, b"a,b\n1,2\n3,");
        assert_eq!(cut.problem().map(|p| p.line), Some(3));
    }

    #[test]
    fn text_without_nul_is_untouched() {
        let cut = NulCut::default();
        let mut text = Vec::new();
        StopAtNul::new(&b"a\nb\n"[..], &cut)
            .read_to_end(&mut text)
            .expect("reads");
        assert_eq!(text, b"a\nb\n");
        assert!(cut.problem().is_none());
    }

    #[test]
    fn counted_bytes_and_cancel() {
        let progress = Progress::new();
        let mut reader = Counted::new(&b"0123456789"[..], Some(&progress));
        let mut buf = [0_u8; 4];
        assert_eq!(reader.read(&mut buf).expect("reads"), 4);
        assert_eq!(progress.read(), 4);
        progress.cancel();
        assert_eq!(reader.read(&mut buf).expect("reads"), 0);
    }

    #[test]
    fn stdin_and_directories() {
        assert!(is_stdin(Path::new("-")));
        assert!(!is_stdin(Path::new("./-")));
        assert_eq!(Source::path(Path::new("-")).name(), STDIN_NAME);
        let dir = std::env::temp_dir();
        assert!(open_path(&dir).is_err());
    }
}
