//! Reading event files into a [`Dataset`], with a [`Report`] of every row
//! that could not be read. This is the only module that does file IO.

mod acled;
mod cells;
mod columns;
mod common;
pub mod dates;
pub mod detect;
mod gdelt;
mod geojson;
mod id_table;
mod json_stream;
mod lists;
mod native;
mod options;
mod outcome;
mod parts;
mod pipeline;
mod places;
mod progress;
mod recurring;
mod report;
mod shapes;
mod slots;
mod source;
mod table;
mod tabular;
mod text;
mod timelinejs;

use std::fs::File;
use std::io::{Read, Seek, Write};

pub use columns::{ColumnMapping, Roles};
pub(crate) use gdelt::CAMEO_ROOTS;
pub use native::{NativeError, parse_native};
pub use options::LoadOptions;
pub use outcome::{LoadError, Loaded};
pub use places::AtlasWhenNeeded;
pub use places::resolve_place;
pub use progress::Progress;
pub use report::{KEEP_PER_KIND, KeepProblems, Problem, ProblemKind, Report, Totals};
pub use source::{STDIN_NAME, Source, is_stdin};
pub use tabular::name_list;
pub use tabular::{is_null, thousands};

use detect::Format;
use pipeline::Sizing;

use crate::atlas::Atlas;
use crate::model::Dataset;
use outcome::{format_error, io_error};
use source::{Counted, HEAD_BYTES, Input, NulCut, Packing, StopAtNul, Whole};

/// The embedded default dataset, as shipped in `data/`.
pub const EMBEDDED_JSON: &str = include_str!("../../data/seed-events.json");
/// The name the embedded dataset is reported under.
pub const EMBEDDED_NAME: &str = "data/seed-events.json (embedded)";

/// Loads the embedded default dataset.
///
/// # Errors
/// Only if the shipped file were broken, which the tests rule out.
pub fn embedded(atlas: &Atlas) -> Result<Loaded, LoadError> {
    Loader::new(atlas).load(Source::text(EMBEDDED_NAME, EMBEDDED_JSON))
}

/// Loads event files: from a path, standard input, any reader, bytes or
/// text, with the user's options, reporting how far it has got and
/// stopping when that is cancelled.
///
/// gzip and zip are opened as they come, told by their first bytes: a zip
/// of several event files loads each as a layer of its own
/// ([`Loader::load_layers`]). Nothing is ever rewound, so a pipe or FIFO
/// loads as a file does. The delimited formats (ACLED, GDELT, plain
/// tables, TimelineJS sheets), the ones files of a million rows come in,
/// stream: only their events are kept in memory. The JSON formats are read
/// whole, then parsed.
///
/// ```no_run
/// # use chronomap::{atlas::Atlas, load::{Loader, Source}};
/// let path = std::path::Path::new("events.csv.gz");
/// let loaded = Loader::new(Atlas::embedded()).load(Source::path(path));
/// ```
#[derive(Clone)]
pub struct Loader<'a> {
    atlas: AtlasWhenNeeded<'a>,
    options: LoadOptions,
    progress: Option<&'a Progress>,
}

/// How many times over a source may be packed (a `.csv.gz` inside a zip
/// is two).
const MAX_PACKING: u8 = 3;

impl<'a> Loader<'a> {
    /// A loader with the default options, resolving place names with
    /// `atlas` (which may be fetched only when first needed).
    pub fn new(atlas: impl Into<AtlasWhenNeeded<'a>>) -> Self {
        Self {
            atlas: atlas.into(),
            options: LoadOptions::default(),
            progress: None,
        }
    }

    /// The same loader with the user's options.
    #[must_use]
    pub fn options(mut self, options: LoadOptions) -> Self {
        self.options = options;
        self
    }

    /// The same loader reporting to `progress`, and stopping with
    /// [`LoadError::Cancelled`] once that is cancelled.
    #[must_use]
    pub fn progress(mut self, progress: Option<&'a Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Loads one dataset: an archive of several event files as their
    /// layers merged, with one report for all.
    ///
    /// # Errors
    /// When the source cannot be read or holds no dataset we can read.
    pub fn load(&self, source: Source<'_>) -> Result<Loaded, LoadError> {
        let name = source.name();
        self.load_layers(source)
            .map(|layers| merge_layers(&name, layers))
    }

    /// Loads each event file of the source as a layer of its own: one for
    /// a file, one per event file in a zip archive (members that are not
    /// event files are named in the first layer's report).
    ///
    /// # Errors
    /// When the source cannot be read or holds no dataset we can read.
    pub fn load_layers(&self, source: Source<'_>) -> Result<Vec<Loaded>, LoadError> {
        let name = source.name();
        let layers = match source {
            Source::Text { text, .. } => self.text(&name, text).map(|l| vec![l]),
            Source::Bytes { bytes, .. } => self.bytes(&name, bytes),
            Source::Reader { reader, .. } => self.stream(&name, self.counted(reader), None, 0),
            Source::Path(path) => match source::open_path(path).map_err(io_error(&name))? {
                Input::File(file, size) => self.file(&name, &file, size),
                Input::Stream(reader) => self.stream(&name, self.counted(reader), None, 0),
            },
        };
        if self.cancelled() {
            return Err(LoadError::Cancelled { file: name });
        }
        if let Some(progress) = self.progress {
            progress.set_done(progress.total());
        }
        layers
    }

    fn cancelled(&self) -> bool {
        self.progress.is_some_and(Progress::is_cancelled)
    }

    /// A reader whose bytes count as the source's, for the progress bar.
    fn counted<'r>(&self, reader: impl Read + Send + 'r) -> Box<dyn Read + Send + 'r>
    where
        'a: 'r,
    {
        Box::new(Counted::new(reader, self.progress))
    }

    /// A file on disk: its size is known, and a zip's directory can be
    /// read from its end.
    fn file(&self, name: &str, file: &File, size: u64) -> Result<Vec<Loaded>, LoadError> {
        if let Some(progress) = self.progress {
            progress.set_size(size);
        }
        let mut reader = self.counted(file);
        let head = source::read_head(&mut reader).map_err(io_error(name))?;
        match source::packing(&head) {
            Some(Packing::Zip) => {
                let mut file = file;
                file.rewind().map_err(io_error(name))?;
                let seekable = Counted::new(std::io::BufReader::new(file), self.progress);
                let archive = zip::ZipArchive::new(seekable).map_err(zip_error(name))?;
                self.archive(name, archive, 1)
            }
            Some(Packing::Gzip) => self.gzip(name, head, reader, 0),
            None => {
                if let Some(progress) = self.progress {
                    progress.set_total(size);
                }
                self.plain(name, head, reader, Some(size), Some(file))
                    .map(|l| vec![l])
            }
        }
    }

    /// Bytes read once from the start, packed or not, whose size is
    /// `size` where known.
    fn stream(
        &self,
        name: &str,
        mut reader: Box<dyn Read + Send + '_>,
        size: Option<u64>,
        depth: u8,
    ) -> Result<Vec<Loaded>, LoadError> {
        let head = source::read_head(&mut reader).map_err(io_error(name))?;
        match source::packing(&head) {
            Some(Packing::Gzip) => self.gzip(name, head, reader, depth),
            Some(Packing::Zip) => {
                let whole = std::io::Cursor::new(head).chain(reader);
                self.zip_spooled(name, whole, depth + 1)
            }
            None => self.plain(name, head, reader, size, None).map(|l| vec![l]),
        }
    }

    /// gzip (one member or several, as `cat a.gz b.gz` makes), decompressed
    /// as it is read.
    fn gzip(
        &self,
        name: &str,
        head: Vec<u8>,
        rest: Box<dyn Read + Send + '_>,
        depth: u8,
    ) -> Result<Vec<Loaded>, LoadError> {
        if depth >= MAX_PACKING {
            return Err(format_error(name, too_deep()));
        }
        let whole = std::io::Cursor::new(head).chain(rest);
        let text = flate2::read::MultiGzDecoder::new(whole);
        self.stream(name, Box::new(text), None, depth + 1)
    }

    /// A zip archive that comes as a stream (a pipe, standard input, a
    /// member of another archive): written to a temporary file (unnamed,
    /// gone when closed) so that its directory can be read from its end, as
    /// a zip written by a streaming tool needs (its members' sizes follow
    /// their data). A copy cut short, with no directory, is read member by
    /// member from its start, as far as it goes.
    fn zip_spooled(
        &self,
        name: &str,
        mut reader: impl Read + Send,
        depth: u8,
    ) -> Result<Vec<Loaded>, LoadError> {
        if depth > MAX_PACKING {
            return Err(format_error(name, too_deep()));
        }
        let mut spool = tempfile::tempfile().map_err(io_error(name))?;
        let mut buffer = vec![0; 1 << 20];
        loop {
            if self.cancelled() {
                return Ok(Vec::new());
            }
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(name)(e)),
            };
            spool
                .write_all(buffer.get(..n).unwrap_or_default())
                .map_err(io_error(name))?;
        }
        spool.rewind().map_err(io_error(name))?;
        match zip::ZipArchive::new(std::io::BufReader::new(&spool)) {
            Ok(archive) => self.archive(name, archive, depth),
            Err(_) => {
                spool.rewind().map_err(io_error(name))?;
                self.zip_stream(name, std::io::BufReader::new(spool), depth)
            }
        }
    }

    /// A zip archive read from its start, member after member (a member
    /// whose size its header leaves out cannot be); `depth` was checked by
    /// [`Loader::zip_spooled`].
    fn zip_stream(
        &self,
        name: &str,
        mut reader: impl Read + Send,
        depth: u8,
    ) -> Result<Vec<Loaded>, LoadError> {
        let mut layers = Layers::default();
        while !self.cancelled() {
            let member = match zip::read::read_zipfile_from_stream(&mut reader) {
                Ok(Some(member)) => member,
                Ok(None) => break,
                Err(e) if layers.is_empty() => return Err(zip_error(name)(e)),
                Err(e) => {
                    layers.note(format!("the rest of the archive cannot be read: {e}"));
                    break;
                }
            };
            self.member(name, member, &mut layers, depth)?;
        }
        layers.finish(name)
    }

    /// A zip archive whose directory can be read first.
    fn archive<R: Read + std::io::Seek + Send>(
        &self,
        name: &str,
        mut archive: zip::ZipArchive<R>,
        depth: u8,
    ) -> Result<Vec<Loaded>, LoadError> {
        let mut layers = Layers::default();
        for index in 0..archive.len() {
            if self.cancelled() {
                break;
            }
            let member = archive.by_index(index).map_err(zip_error(name))?;
            self.member(name, member, &mut layers, depth)?;
        }
        layers.finish(name)
    }

    /// One member of an archive, loaded into `layers` when it is an event
    /// file.
    fn member<R: Read + Send + ?Sized>(
        &self,
        name: &str,
        member: zip::read::ZipFile<'_, R>,
        layers: &mut Layers,
        depth: u8,
    ) -> Result<(), LoadError> {
        let path = member.name().map_err(zip_error(name))?.into_owned();
        if source::is_office_member(&path) {
            return Err(format_error(
                name,
                "an Office document (an Excel .xlsx workbook is a zip archive); export the \
                 sheet as CSV"
                    .into(),
            ));
        }
        if member.is_dir() || !source::is_member_to_load(&path) {
            return Ok(());
        }
        let label = format!("{name}:{path}");
        let size = member.size();
        let result = self.stream(&label, Box::new(member), Some(size), depth);
        layers.push(result);
        Ok(())
    }

    /// Bytes in memory, packed or not.
    fn bytes(&self, name: &str, bytes: &[u8]) -> Result<Vec<Loaded>, LoadError> {
        let head = bytes.get(..HEAD_BYTES).unwrap_or(bytes);
        match source::packing(head) {
            Some(Packing::Gzip) => {
                let text = flate2::read::MultiGzDecoder::new(bytes);
                self.stream(name, Box::new(text), None, 1)
            }
            Some(Packing::Zip) => {
                let archive =
                    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(zip_error(name))?;
                self.archive(name, archive, 1)
            }
            None => self.plain_bytes(name, bytes).map(|l| vec![l]),
        }
    }

    /// Unpacked bytes in memory: text up to its first NUL byte.
    fn plain_bytes(&self, name: &str, bytes: &[u8]) -> Result<Loaded, LoadError> {
        let head = bytes.get(..HEAD_BYTES).unwrap_or(bytes);
        text::check_head(head).map_err(|e| format_error(name, e.to_string()))?;
        let nul = (!text::is_utf16(head))
            .then(|| memchr::memchr(0, bytes))
            .flatten();
        let Some(at) = nul else {
            return load_bytes_progress(name, bytes, self.atlas, &self.options, self.progress);
        };
        let text = bytes.get(..at).unwrap_or_default();
        let line = memchr::memchr_iter(b'\n', text).count() + 1;
        let cut = NulCut::at(u32::try_from(line).unwrap_or(u32::MAX));
        let mut loaded = load_bytes_progress(name, text, self.atlas, &self.options, self.progress)?;
        if let Some(problem) = cut.problem() {
            loaded.report.push(problem);
            loaded.report.sort();
        }
        Ok(loaded)
    }

    /// Unpacked bytes: `head`, the first [`HEAD_BYTES`], then `rest`.
    /// Nothing but the head is read before the head shows text, and the
    /// text ends at its first NUL byte. Where they are a `file` on disk,
    /// a large one may be read in parts side by side.
    fn plain(
        &self,
        name: &str,
        head: Vec<u8>,
        mut rest: Box<dyn Read + Send + '_>,
        size: Option<u64>,
        file: Option<&File>,
    ) -> Result<Loaded, LoadError> {
        text::check_head(&head).map_err(|e| format_error(name, e.to_string()))?;
        if text::is_utf16(&head) {
            let mut bytes = head;
            rest.read_to_end(&mut bytes).map_err(io_error(name))?;
            return load_bytes_progress(name, &bytes, self.atlas, &self.options, self.progress);
        }
        let format = streamable(&head);
        let sizing = size.map_or_else(Sizing::unknown, |size| Sizing::of(&head, size));
        let cut = NulCut::default();
        let whole = file.zip(size).map(|(file, size)| Whole {
            file,
            size,
            cut: &cut,
        });
        let mut text = StopAtNul::new(std::io::Cursor::new(head).chain(rest), &cut);
        let mut loaded = match format {
            Some(format) => {
                let reader = std::io::BufReader::with_capacity(1 << 16, text);
                let streamed = Streamed {
                    file: name,
                    atlas: self.atlas,
                    options: &self.options,
                    progress: self.progress,
                    sizing,
                    whole,
                };
                nothing_loaded(name, streamed.parse(format, reader)?)?
            }
            None => {
                let mut bytes = Vec::new();
                text.read_to_end(&mut bytes).map_err(io_error(name))?;
                load_bytes_progress(name, &bytes, self.atlas, &self.options, self.progress)?
            }
        };
        if let Some(problem) = cut.problem() {
            loaded.report.push(problem);
            loaded.report.sort();
        }
        Ok(loaded)
    }

    /// Text in memory.
    fn text(&self, name: &str, text: &str) -> Result<Loaded, LoadError> {
        load_str_progress(name, text, self.atlas, &self.options, self.progress)
    }
}

/// The layers of an archive as its members load, and what did not.
#[derive(Default)]
struct Layers {
    loaded: Vec<Loaded>,
    failed: Vec<LoadError>,
    notes: Vec<String>,
}

impl Layers {
    fn is_empty(&self) -> bool {
        self.loaded.is_empty() && self.failed.is_empty()
    }

    fn push(&mut self, result: Result<Vec<Loaded>, LoadError>) {
        match result {
            Ok(layers) => self.loaded.extend(layers),
            Err(e) => self.failed.push(e),
        }
    }

    fn note(&mut self, message: String) {
        self.notes.push(message);
    }

    /// The layers, with what was not loaded told in the first one's
    /// report; the first failure when nothing loaded.
    fn finish(self, archive: &str) -> Result<Vec<Loaded>, LoadError> {
        let mut loaded = self.loaded;
        let mut failed = self.failed.into_iter();
        let Some(first) = loaded.first_mut() else {
            return Err(failed.next().unwrap_or_else(|| {
                format_error(archive, "a zip archive with no files in it".into())
            }));
        };
        let skipped = failed.map(|e| format!("not loaded from the archive: {e}"));
        for message in skipped.chain(self.notes) {
            first
                .report
                .push(Problem::new(ProblemKind::Note, 0, "", message));
        }
        Ok(loaded)
    }
}

/// Layers as one dataset: their events merged ([`Dataset::merge`]), their
/// problems in one report, each prefixed with its layer's name.
fn merge_layers(name: &str, layers: Vec<Loaded>) -> Loaded {
    if layers.len() == 1 {
        return layers.into_iter().next().unwrap_or_default();
    }
    let mut report = Report::new(name, "", KeepProblems::default());
    let mut formats = Vec::new();
    let mut datasets = Vec::new();
    let mut timings = None;
    for layer in layers {
        formats.push(layer.report.format.clone());
        report.absorb(&layer.report);
        datasets.push(layer.dataset);
        timings.get_or_insert(layer.timings);
    }
    formats.dedup();
    report.format = format!("zip archive ({})", formats.join(", "));
    Loaded {
        dataset: Dataset::merge(datasets),
        report,
        timings: timings.unwrap_or_default(),
    }
}

fn too_deep() -> String {
    format!("compressed more than {MAX_PACKING} times over; decompress it first")
}

/// A zip error on `file` as a [`LoadError`].
fn zip_error(file: &str) -> impl Fn(zip::result::ZipError) -> LoadError + '_ {
    move |e| match e {
        zip::result::ZipError::Io(source) => LoadError::Io {
            file: file.to_owned(),
            source,
        },
        other => format_error(file, format!("a zip archive that cannot be read: {other}")),
    }
}

/// The format of a file that streams (every format but a single GeoJSON
/// Feature), from its head; `None` for anything to be read whole, or when
/// the head does not tell (the whole text then decides). Called on a head
/// that `text::check_head` let through and that is not UTF-16.
fn streamable(head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(head);
    if text.trim_start().starts_with('{') {
        // A single GeoJSON Feature is read whole (it is small, and its one
        // object is not a list to stream).
        return match detect::detect(&text) {
            Ok(format @ (Format::Native | Format::TimelineJson)) => Some(format),
            Ok(Format::GeoJson) if text.contains("\"FeatureCollection\"") => Some(Format::GeoJson),
            _ => None,
        };
    }
    let line_end = head.iter().position(|&b| b == b'\n')?;
    let line = String::from_utf8_lossy(head.get(..line_end)?);
    match detect::detect(&line) {
        Ok(
            format @ (Format::Acled { .. }
            | Format::Gdelt
            | Format::Table { .. }
            | Format::TimelineSheet { .. }),
        ) => Some(format),
        _ => None,
    }
}

/// A file being parsed as it streams in.
struct Streamed<'f, 'a> {
    file: &'f str,
    atlas: AtlasWhenNeeded<'a>,
    options: &'f LoadOptions,
    progress: Option<&'f Progress>,
    sizing: Sizing,
    /// The file on disk the input is, from its start, where it is one.
    whole: Option<Whole<'f>>,
}

impl Streamed<'_, '_> {
    /// Parses `input` as `format`, one of those [`streamable`] gives.
    fn parse(&self, format: Format, input: impl Read + Send) -> Result<Loaded, LoadError> {
        let how = |delimiter| options::Delimited {
            delimiter,
            options: self.options,
            sizing: self.sizing,
            whole: self.whole,
        };
        let (file, atlas, progress) = (self.file, self.atlas, self.progress);
        match format {
            Format::Acled { delimiter } => {
                acled::parse_stream(file, input, &how(delimiter), atlas, progress)
            }
            Format::Gdelt => gdelt::parse_stream(file, input, &how(b'\t'), atlas, progress),
            Format::Table { delimiter } => {
                table::parse_stream(file, input, &how(delimiter), atlas, progress)
            }
            Format::TimelineSheet { delimiter } => {
                timelinejs::parse_sheet_stream(file, input, &how(delimiter), atlas, progress)
            }
            Format::GeoJson => geojson::parse_stream(file, input, self.options, atlas, None),
            Format::TimelineJson => timelinejs::parse_json(file, input, self.options, atlas),
            Format::Native => {
                let keep = self.options.keep_problems;
                native::parse_native_stream(file, input, atlas, keep, progress)
                    .map_err(|e| format_error(file, e.to_string()))
            }
        }
    }
}

fn load_bytes_progress(
    file: &str,
    bytes: &[u8],
    atlas: AtlasWhenNeeded<'_>,
    options: &LoadOptions,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    let (text, note) = text::decode(bytes).map_err(|e| format_error(file, e.to_string()))?;
    let mut loaded = load_str_progress(file, &text, atlas, options, progress)?;
    if let Some(note) = note {
        loaded
            .report
            .push(Problem::new(ProblemKind::Encoding, 0, "", note));
        loaded.report.sort();
    }
    Ok(loaded)
}

/// Text from a file being loaded, perhaps with a progress bar:
/// the delimited formats report the bytes they have parsed.
fn load_str_progress(
    file: &str,
    text: &str,
    atlas: AtlasWhenNeeded<'_>,
    options: &LoadOptions,
    progress: Option<&Progress>,
) -> Result<Loaded, LoadError> {
    if let Some(progress) = progress {
        progress.set_total(text.len() as u64);
    }
    let format = detect::detect(text).map_err(|e| format_error(file, e.to_string()))?;
    let loaded = match format {
        Format::Native => parse_native(file, text, atlas, options.keep_problems)
            .map_err(|e| format_error(file, e.to_string()))?,
        Format::GeoJson => geojson::parse(file, text, options, atlas)?,
        Format::TimelineJson => timelinejs::parse_json(file, text.as_bytes(), options, atlas)?,
        // The delimited formats read text in memory as they read a file.
        delimited => Streamed {
            file,
            atlas,
            options,
            progress,
            sizing: Sizing::of(text.as_bytes(), text.len() as u64),
            whole: None,
        }
        .parse(delimited, text.as_bytes())?,
    };
    nothing_loaded(file, loaded)
}

/// A file with records of which none could be read is an error, not an
/// empty dataset: the user must hear why. So is a file broken or cut off
/// before its first record: it is not an empty list.
fn nothing_loaded(file: &str, loaded: Loaded) -> Result<Loaded, LoadError> {
    let cut_off = loaded.report.totals.get(ProblemKind::Truncated) > 0;
    if !loaded.dataset.events.is_empty() || (loaded.report.rows == 0 && !cut_off) {
        return Ok(loaded);
    }
    let first = loaded
        .report
        .problems
        .iter()
        .find(|p| p.line > 0)
        .or(loaded.report.problems.first())
        .map(ToString::to_string)
        .unwrap_or_default();
    let message = if loaded.report.rows == 0 {
        format!("no record could be read: {first}")
    } else {
        format!(
            "none of its {} records could be read ({} problems; first: {first})",
            loaded.report.rows,
            loaded.report.problem_count()
        )
    };
    Err(LoadError::Format {
        file: file.to_owned(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `text` from a file on disk (large enough, the crate's tests
    /// read it in four parts side by side) and from memory (read from
    /// start to end by one reader), and checks both give the same report,
    /// events, places and categories.
    fn same_in_parts_and_at_once(name: &str, text: &[u8]) -> Loaded {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(text))
            .expect("written");
        let atlas = Atlas::embedded();
        let from_disk = Loader::new(atlas).load(Source::Path(&path)).expect("loads");
        let shown = path.display().to_string();
        let from_memory = Loader::new(atlas)
            .load(Source::Bytes {
                name: &shown,
                bytes: text,
            })
            .expect("loads");
        let phases: Vec<&str> = from_disk.timings.phases().iter().map(|p| p.0).collect();
        assert!(phases.contains(&"join the parts"), "{name}: {phases:?}");
        assert_eq!(from_disk.report, from_memory.report, "{name}");
        let (a, b) = (&from_disk.dataset, &from_memory.dataset);
        assert_eq!(a.categories, b.categories, "{name}");
        let places = |d: &Dataset| d.places.iter().map(|p| p.to_place()).collect::<Vec<_>>();
        assert_eq!(places(a), places(b), "{name}");
        assert_eq!(a.events.len(), b.events.len(), "{name}");
        for (x, y) in a.events.iter().zip(b.events.iter()) {
            assert_eq!(x.to_event(), y.to_event(), "{name}");
        }
        from_disk
    }

    /// A plain table whose rows repeat and make up what a real file does:
    /// ids and titles left out (made from the row's line), bad dates and
    /// coordinates (problems at their lines), points shared by rows far
    /// apart and points of a row's own, notes over several lines,
    /// categories written in two cases, columns no role reads.
    #[test]
    fn a_table_read_in_parts_loads_as_one_reading_does() {
        let mut text =
            String::from("id,date,latitude,longitude,place,category,title,actors,notes,code\n");
        for i in 0..12_000 {
            let id = if i % 10 == 0 {
                String::new()
            } else {
                format!("E{i}")
            };
            // The first row's date says slashed dates are day-first, so
            // that the rows after it are not held back to settle that.
            let date = match i {
                1 => "13/01/2024".to_owned(),
                _ if i % 97 == 0 => "soon".to_owned(),
                _ => format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            };
            let (lat, lon) = if i % 3 == 0 {
                (
                    format!("{:.4}", 10.0 + f64::from(i) / 1000.0),
                    "20.5".to_owned(),
                )
            } else if i % 89 == 0 {
                ("91".to_owned(), "20".to_owned())
            } else {
                (format!("{}", 30 + i % 50), "40.25".to_owned())
            };
            let category =
                ["Battles", "battles", "Protests", "Riots", "Explosions"][i as usize % 5];
            let title = if i % 7 == 0 {
                String::new()
            } else {
                format!("Title {}", i % 200)
            };
            let notes = if i % 11 == 0 {
                format!("\"line one\nline two, {i}\"")
            } else {
                format!("note {i}")
            };
            text.push_str(&format!(
                "{id},{date},{lat},{lon},Place {},{category},{title},A{}; B{},{notes},c{}\n",
                i % 50,
                i % 13,
                i % 17,
                i % 4,
            ));
        }
        let loaded = same_in_parts_and_at_once("events.csv", text.as_bytes());
        assert_eq!(loaded.report.rows, 12_000);
        assert!(loaded.report.totals.get(ProblemKind::BadDate) > 0);
        assert!(loaded.report.totals.get(ProblemKind::BadCoordinate) > 0);
        // Binary data two thirds of the way in: the text ends there, in
        // whichever part meets it, and the parts after it read nothing.
        let cut_at = text.len() * 2 / 3;
        let mut binary = text.into_bytes();
        binary.splice(cut_at..cut_at, *b"\0\0\0");
        let loaded = same_in_parts_and_at_once("binary.csv", &binary);
        assert_eq!(loaded.report.totals.get(ProblemKind::Truncated), 1);
        assert!(loaded.report.rows < 8_100);
    }

    /// ACLED rows (past the first rows, which are read before the parts):
    /// one event a row, or in a `monadic` export one a run of rows with
    /// the same id, one actor each; bad dates and coordinates, notes over
    /// several lines, places shared and of their own. `again` rows repeat
    /// an earlier row's id, at `(row, earlier row)`.
    fn acled_rows(monadic: bool, again: &[(usize, usize)]) -> String {
        let mut text = String::from("event_id_cnty,event_date,event_type,sub_event_type,actor1,");
        if !monadic {
            text.push_str("actor2,");
        }
        text.push_str("country,admin1,location,latitude,longitude,source,notes,fatalities\n");
        let mut id = 0;
        for i in 0..9_000_usize {
            // A monadic export lists an event once per actor: one to three rows.
            if !monadic || i % 3 != 1 || i % 7 == 0 {
                id += 1;
            }
            let id = match again.iter().find(|(row, _)| *row == i) {
                Some((_, earlier)) => format!("AFG{}", earlier + 1),
                None => format!("AFG{id}"),
            };
            // The first date settles that slashed dates are day-first.
            let date = match i {
                0 => "13/01/2024".to_owned(),
                _ if i % 97 == 5 => "when".to_owned(),
                _ => format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            };
            let (lat, lon) = match i % 89 {
                7 => ("91".to_owned(), "69.9".to_owned()),
                _ if i % 3 == 0 => (
                    format!("{:.4}", 31.0 + i as f64 / 10_000.0),
                    "65.7".to_owned(),
                ),
                _ => (format!("{}", 30 + i % 40), "69.25".to_owned()),
            };
            let notes = if i % 11 == 0 {
                format!("\"Shelling;\nover two lines, {i}\"")
            } else {
                format!("Note {i}")
            };
            let kind = [
                "Battles,Armed clash",
                "Protests,Peaceful protest",
                "Riots,Mob violence",
            ][i % 3];
            text.push_str(&format!("{id},{date},{kind},Actor {},", i % 23));
            if !monadic {
                text.push_str(&format!("Actor {},", i % 19));
            }
            text.push_str(&format!(
                "Afghanistan,Province {},Place {},{lat},{lon},Source {},{notes},{}\n",
                i % 9,
                i % 40,
                i % 5,
                i % 4,
            ));
        }
        text
    }

    /// ACLED read in parts loads as one reading does: with ids repeated
    /// only within a part, and with an id repeated across parts, which
    /// has the parts from there read again.
    #[test]
    fn acled_read_in_parts_loads_as_one_reading_does() {
        for (case, again) in [
            ("repeats within a part", &[(6_101, 6_100)][..]),
            (
                "repeats the first part's",
                &[(6_101, 6_100), (8_990, 4_400)][..],
            ),
            ("repeats a joined part's", &[(8_800, 6_000)][..]),
        ] {
            let loaded =
                same_in_parts_and_at_once("acled.csv", acled_rows(false, again).as_bytes());
            let duplicates = loaded.report.totals.get(ProblemKind::Duplicate);
            assert_eq!(duplicates, again.len(), "{case}");
        }
    }

    /// A monadic ACLED export read in parts loads as one reading does: an
    /// event whose rows a cut falls between gets every row's actor.
    #[test]
    fn monadic_acled_read_in_parts_loads_as_one_reading_does() {
        let loaded = same_in_parts_and_at_once("monadic.csv", acled_rows(true, &[]).as_bytes());
        assert!(loaded.dataset.events.len() < 9_000);
        assert!(loaded.dataset.events.iter().any(|e| e.actors().len() > 1));
    }

    /// A GDELT 2.0 file read in parts loads as one reading does.
    #[test]
    fn a_gdelt_file_read_in_parts_loads_as_one_reading_does() {
        let sample = include_str!("../../tests/fixtures/gdelt/20250807220000.export.CSV");
        let templates: Vec<&str> = sample.lines().collect();
        let mut text = String::new();
        for i in 0..2_000_usize {
            let Some(template) = templates.get(i % templates.len()) else {
                continue;
            };
            let mut cells: Vec<String> = template.split('\t').map(str::to_owned).collect();
            if let Some(id) = cells.first_mut() {
                *id = format!("{}", 1_000_000 + i);
            }
            let line = cells.join("\t");
            let line = line.replace("-4.32972", &format!("{:.5}", -4.3 - (i % 40) as f64 * 0.01));
            text.push_str(&line);
            text.push('\n');
        }
        let loaded = same_in_parts_and_at_once("20250807220000.export.CSV", text.as_bytes());
        assert_eq!(loaded.report.rows, 2_000);
    }
}
