//! Where a load's bytes come from (issue 16): gzip and zip opened by their
//! first bytes, pipes and FIFOs read without rewinding, and input that is
//! hostile (endless, binary, one enormous line) ended quickly with a
//! message, the good rows before it kept.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chronomap::atlas::Atlas;
use chronomap::load::{LoadError, Loaded, Loader, Source};

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,\
actor1,assoc_actor_1,actor2,country,admin1,location,latitude,longitude,notes,fatalities";

/// An ACLED export of `rows` events, one a day from 2024-01-01.
fn acled(rows: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..rows {
        let _ = writeln!(
            text,
            "PAK{i},2024-01-{:02},2024,1,Battles,Armed clash,Military Forces of Pakistan (2018-),,\
             Police Forces of Pakistan (2018-),Pakistan,Punjab,Lahore,31.5497,74.3436,Row {i},{}",
            1 + i % 28,
            i % 5
        );
    }
    text
}

/// A plain table of `rows` events.
fn table(rows: usize) -> String {
    let mut text = String::from("date,lat,lon,title\n");
    for i in 0..rows {
        let _ = writeln!(text, "2025-03-{:02},10.5,20.25,Event {i}", 1 + i % 28);
    }
    text
}

fn temp_dir() -> PathBuf {
    let dir = crate::common::scratch_root().join("sources");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = temp_dir().join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        if name.ends_with('/') {
            writer.add_directory(*name, options).expect("zips");
        } else {
            writer.start_file(*name, options).expect("zips");
            writer.write_all(bytes).expect("zips");
        }
    }
    writer.finish().expect("zips").into_inner()
}

fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    Loader::new(Atlas::embedded()).load(Source::path(path))
}

fn ids(loaded: &Loaded) -> Vec<String> {
    loaded
        .dataset
        .events
        .iter()
        .map(|e| e.id().to_string())
        .collect()
}

/// A reader that hands out a few bytes at a time and cannot seek, as a
/// pipe does.
struct Pipe<'a> {
    bytes: &'a [u8],
}

impl Read for Pipe<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.bytes.len()).min(4096);
        let (head, tail) = self.bytes.split_at(n);
        buf.get_mut(..n)
            .expect("room for n bytes")
            .copy_from_slice(head);
        self.bytes = tail;
        Ok(n)
    }
}

#[test]
fn gzip_loads_as_the_plain_file_whatever_its_name() {
    let text = acled(300);
    let plain = load_path(&temp_file("plain.csv", text.as_bytes())).expect("plain loads");
    // Two gzip members one after the other, as `cat a.gz b.gz` makes.
    let (first, second) = text.split_at(text.len() / 2);
    let mut packed = gzip(first.as_bytes());
    packed.extend(gzip(second.as_bytes()));
    let gz = load_path(&temp_file("events.dat", &packed)).expect("gzip loads");
    assert_eq!(gz.report.format, plain.report.format);
    assert_eq!(gz.report.events, 300);
    assert_eq!(ids(&gz), ids(&plain));
    let in_memory = Loader::new(Atlas::embedded())
        .load(Source::bytes("events.gz", &packed))
        .expect("gzip bytes load");
    assert_eq!(ids(&in_memory), ids(&plain));
}

#[test]
fn a_pipe_is_read_without_rewinding() {
    // The ACLED path read its head and rewound the file: a pipe failed
    // with "Illegal seek".
    let text = acled(2000);
    let loaded = Loader::new(Atlas::embedded())
        .load(Source::reader(
            "pipe",
            Pipe {
                bytes: text.as_bytes(),
            },
        ))
        .expect("a pipe loads");
    assert_eq!(loaded.report.events, 2000);
    assert_eq!(loaded.report.format, "ACLED CSV");
    let packed = gzip(text.as_bytes());
    let gz = Loader::new(Atlas::embedded())
        .load(Source::reader("pipe", Pipe { bytes: &packed }))
        .expect("gzip through a pipe loads");
    assert_eq!(ids(&gz), ids(&loaded));
}

#[test]
fn a_zip_with_one_event_file_loads_it() {
    let text = table(20);
    let packed = zip(&[
        ("events/", b""),
        ("events/march.csv", text.as_bytes()),
        ("__MACOSX/events/._march.csv", b"\0\x05\x16\x07junk"),
        ("events/.DS_Store", b"\0\0\0\x01Bud1"),
    ]);
    let loaded = load_path(&temp_file("march.zip", &packed)).expect("zip loads");
    assert_eq!(
        loaded.report.file,
        temp_dir()
            .join("march.zip:events/march.csv")
            .display()
            .to_string()
    );
    assert_eq!(loaded.report.events, 20);
    assert!(
        loaded.report.problems.is_empty(),
        "{:?}",
        loaded.report.problems
    );
    // The same archive through a pipe.
    let piped = Loader::new(Atlas::embedded())
        .load(Source::reader("march.zip", Pipe { bytes: &packed }))
        .expect("a zip through a pipe loads");
    assert_eq!(ids(&piped), ids(&loaded));
    assert_eq!(piped.report.file, "march.zip:events/march.csv");
}

/// A zip that a streaming tool wrote (`zip -` in a pipeline, a web
/// server's on-the-fly export) gives its members' sizes after their data;
/// through a pipe it loads all the same. Cut short, it has no directory
/// and no member says its size: an error that names it.
#[test]
fn a_zip_written_as_a_stream_loads_through_a_pipe() {
    let (april, may) = (table(15), table(7));
    let mut writer = zip::ZipWriter::new_stream(Vec::new());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [("april.csv", &april), ("may.csv", &may)] {
        writer.start_file(name, options).expect("zips");
        writer.write_all(text.as_bytes()).expect("zips");
    }
    let packed = writer.finish().expect("zips").into_inner();
    let layers = Loader::new(Atlas::embedded())
        .load_layers(Source::reader("spring.zip", Pipe { bytes: &packed }))
        .expect("a streamed zip through a pipe loads");
    let events: Vec<usize> = layers.iter().map(|l| l.report.events).collect();
    assert_eq!(events, [15, 7]);
    assert_eq!(layers[1].report.file, "spring.zip:may.csv");
    let cut = &packed[..packed.len() * 3 / 4];
    let error = Loader::new(Atlas::embedded())
        .load_layers(Source::reader("cut.zip", Pipe { bytes: cut }))
        .expect_err("a cut streamed zip has neither a directory nor sizes");
    assert!(error.to_string().contains("cut.zip"), "{error}");
}

#[test]
fn a_zip_with_several_event_files_loads_each_as_a_layer() {
    let (a, b) = (table(5), acled(7));
    let packed = zip(&[
        ("a.csv", a.as_bytes()),
        ("README.txt", b"Downloaded from somewhere. Terms apply."),
        ("b.csv", b.as_bytes()),
    ]);
    let layers = Loader::new(Atlas::embedded())
        .load_layers(Source::bytes("both.zip", &packed))
        .expect("the archive loads");
    let files: Vec<&str> = layers.iter().map(|l| l.report.file.as_str()).collect();
    assert_eq!(files, ["both.zip:a.csv", "both.zip:b.csv"]);
    let events: Vec<usize> = layers.iter().map(|l| l.report.events).collect();
    assert_eq!(events, [5, 7]);
    let note = layers
        .first()
        .and_then(|l| l.report.problems.last())
        .map(|p| p.message.clone())
        .unwrap_or_default();
    assert!(
        note.starts_with("not loaded from the archive: both.zip:README.txt: "),
        "{note}"
    );
    let merged = Loader::new(Atlas::embedded())
        .load(Source::bytes("both.zip", &packed))
        .expect("the archive loads");
    assert_eq!(merged.dataset.events.len(), 12);
    assert_eq!(merged.dataset.layers.len(), 2);
    assert_eq!(merged.report.format, "zip archive (plain CSV, ACLED CSV)");
}

#[test]
fn a_workbook_is_named_and_a_broken_zip_is_an_error() {
    let xlsx = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    let error = Loader::new(Atlas::embedded())
        .load(Source::bytes("sheet.xlsx", &xlsx))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("Excel .xlsx workbook"), "{error}");
    let empty = zip(&[]);
    let error = Loader::new(Atlas::embedded())
        .load(Source::bytes("empty.zip", &empty))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("empty.zip: a zip archive with no files in it")
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_as_its_writer_writes() {
    let path = temp_dir().join("events.fifo");
    let _ = std::fs::remove_file(&path);
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let text = acled(500);
    let writer = {
        let path = path.clone();
        let bytes = gzip(text.as_bytes());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            let mut fifo = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .expect("the FIFO opens for writing");
            fifo.write_all(&bytes).expect("written");
        })
    };
    let loaded = load_path(&path).expect("the FIFO loads");
    writer.join().expect("the writer ends");
    assert_eq!(loaded.report.events, 500);
}

/// The time and the message of a load that must fail quickly.
fn fails_quickly(path: &Path) -> String {
    let started = Instant::now();
    let error = load_path(path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(started.elapsed() < Duration::from_secs(10), "{error}");
    error
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_rejected_by_its_head() {
    let error = fails_quickly(Path::new("/dev/zero"));
    assert!(error.contains("a binary file, not text"), "{error}");
}

#[test]
fn a_sparse_file_of_zeros_is_rejected_before_it_is_read() {
    let path = temp_dir().join("zeros.csv");
    let file = std::fs::File::create(&path).expect("created");
    // A hole costs no disk, and reads as zeros.
    file.set_len(2 << 30).expect("a 2 GiB hole");
    let error = fails_quickly(&path);
    let _ = std::fs::remove_file(&path);
    assert!(error.contains("a binary file, not text"), "{error}");
}

#[test]
fn rows_before_a_hole_of_zeros_load_and_the_hole_is_named() {
    for (name, text) in [
        ("acled-hole.csv", acled(600)),
        ("table-hole.csv", table(600)),
    ] {
        let path = temp_dir().join(name);
        std::fs::write(&path, text.as_bytes()).expect("written");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("opened");
        file.set_len(text.len() as u64 + (2 << 30))
            .expect("a 2 GiB hole");
        let started = Instant::now();
        let loaded = load_path(&path);
        let took = started.elapsed();
        let _ = std::fs::remove_file(&path);
        let loaded = loaded.expect("the rows before the hole load");
        assert!(took < Duration::from_secs(10), "{name}: {took:?}");
        assert_eq!(loaded.report.events, 600, "{name}");
        let last = loaded.report.problems.last().expect("the hole is reported");
        assert_eq!(last.line, 602, "{name}: the line after the last row");
        assert!(last.message.contains("NUL bytes"), "{}", last.message);
    }
}

#[test]
fn a_line_of_a_million_commas_is_no_table() {
    let path = temp_file("commas.csv", "x,".repeat(4_000_000).as_bytes());
    let error = fails_quickly(&path);
    assert!(
        error.contains("its first line has 4,000,001 fields"),
        "{error}"
    );
}

#[test]
fn a_wide_header_is_read_quickly_and_named_in_a_line() {
    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let path = temp_file("wide.csv", format!("{}\n", header.join(",")).as_bytes());
    let error = fails_quickly(&path);
    assert!(
        error.contains(
            "its 100,000 columns are: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … and 99,990 more"
        ),
        "{error}"
    );
    assert!(error.len() < 500, "{} bytes", error.len());
}

#[test]
fn a_huge_last_line_after_good_rows_takes_time_in_step_with_it() {
    let mut text = acled(200);
    text.push_str("PAK-long,2024-01-01,");
    text.push_str(&"x".repeat(100 << 20));
    text.push('\n');
    let path = temp_file("long-line.csv", text.as_bytes());
    drop(text);
    let started = Instant::now();
    let loaded = load_path(&path).expect("the good rows load");
    let took = started.elapsed();
    let _ = std::fs::remove_file(&path);
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(loaded.report.events, 200);
    assert!(loaded.report.problems.iter().any(|p| p.line == 202));
}
