//! Opening files from the app: a background load that keeps the window
//! responsive, the files now open (watched for changes on disk), and the
//! list of recently opened files.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime};

use crate::load::{self, AtlasWhenNeeded, LoadOptions, Progress, Report};
use crate::model::Dataset;
use crate::state::ViewState;

use super::timeline::Timeline;

/// What a finished background load produced.
pub struct LoadedFiles {
    /// The files, each a layer.
    pub files: Vec<PathBuf>,
    /// One report per file.
    pub reports: Vec<Report>,
    /// The view of all their events, merged, and the timeline's lanes,
    /// made on the loading thread: the indexes of a large dataset would
    /// otherwise hold the window when the load is done.
    pub view: ViewState,
    pub timeline: Timeline,
}

/// A load running on its own thread.
pub struct BackgroundLoad {
    rx: Receiver<Result<LoadedFiles, String>>,
    started: Instant,
    /// How far each file has got; shared with the loading thread.
    progress: Vec<Arc<Progress>>,
    /// What is being loaded, for the progress line.
    pub label: String,
    /// The files being loaded.
    pub files: Vec<PathBuf>,
    /// Whether the current view (date, selection) should be kept.
    pub keep_view: bool,
    /// The window to wake when the load is done, once it is known.
    waker: Arc<OnceLock<egui::Context>>,
}

/// The state of a background load when polled.
pub enum Poll {
    /// Still working.
    Pending,
    /// Done (or failed with a message naming the file).
    Done(Box<Result<LoadedFiles, String>>),
}

impl BackgroundLoad {
    /// Starts loading `files` (merged as layers) on a new thread. With
    /// the atlas [`AtlasWhenNeeded::Later`], a load started before the
    /// window runs beside the basemap's decoding and waits for it only if
    /// its places need it.
    pub fn start(
        files: Vec<PathBuf>,
        options: LoadOptions,
        atlas: impl Into<AtlasWhenNeeded<'static>>,
        keep_view: bool,
    ) -> Self {
        let atlas = atlas.into();
        let (tx, rx) = std::sync::mpsc::channel();
        let label = if files.is_empty() {
            "the embedded events".to_owned()
        } else {
            files
                .iter()
                .map(|f| file_name(f))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let list = files.clone();
        let progress: Vec<Arc<Progress>> = files.iter().map(|_| Arc::default()).collect();
        let shared = progress.clone();
        let waker: Arc<OnceLock<egui::Context>> = Arc::default();
        let wake = Arc::clone(&waker);
        std::thread::spawn(move || {
            // The receiver is gone when the user cancelled: nothing to do.
            let _ = tx.send(load_files(files, &options, atlas, &shared));
            if let Some(ctx) = wake.get() {
                ctx.request_repaint();
            }
        });
        Self {
            rx,
            started: Instant::now(),
            progress,
            label,
            files: list,
            keep_view,
            waker,
        }
    }

    /// Has the load wake `ctx`'s window when it is done, rather than wait
    /// for the window's next look.
    pub fn wake(&self, ctx: &egui::Context) {
        if self.waker.get().is_none() {
            let _ = self.waker.set(ctx.clone());
        }
    }

    /// Seconds since the load started.
    pub fn elapsed_secs(&self) -> f32 {
        self.started.elapsed().as_secs_f32()
    }

    /// The fraction of all the files' bytes read so far, once known.
    pub fn fraction(&self) -> Option<f32> {
        let mut known = self.progress.iter().filter_map(|p| p.fraction()).peekable();
        known.peek()?;
        Some(known.sum::<f32>() / self.progress.len().max(1) as f32)
    }

    /// Stops the load: the loading thread ends at its next check and its
    /// result, if any, is dropped.
    pub fn cancel(&self) {
        for p in &self.progress {
            p.cancel();
        }
    }

    /// Checks for the result without blocking.
    pub fn poll(&self) -> Poll {
        match self.rx.try_recv() {
            Ok(result) => Poll::Done(Box::new(result)),
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Done(Box::new(Err(
                "the loading thread stopped unexpectedly".into(),
            ))),
        }
    }
}

/// Loads every file, or fails with the first that has nothing readable;
/// no files is the embedded dataset (a project made on it).
fn load_files(
    files: Vec<PathBuf>,
    options: &LoadOptions,
    atlas: AtlasWhenNeeded<'static>,
    progress: &[Arc<Progress>],
) -> Result<LoadedFiles, String> {
    // The loader asks for the atlas and the progress with one lifetime.
    let fetch = || atlas.get();
    let atlas = AtlasWhenNeeded::Later(&fetch);
    let mut datasets = Vec::with_capacity(files.len());
    let mut reports = Vec::with_capacity(files.len());
    if files.is_empty() {
        let loaded = load::embedded(atlas.get()).map_err(|e| e.to_string())?;
        datasets.push(loaded.dataset);
        reports.push(loaded.report);
    }
    for (i, path) in files.iter().enumerate() {
        let loader = load::Loader::new(atlas)
            .options(options.clone())
            .progress(progress.get(i).map(|p| &**p));
        let layers = loader
            .load_layers(load::Source::path(path))
            .map_err(|e| e.to_string())?;
        for loaded in layers {
            datasets.push(loaded.dataset);
            reports.push(loaded.report);
        }
    }
    let dataset = Dataset::merge(datasets);
    let view = ViewState::new(Arc::new(dataset));
    view.prepare_facets();
    Ok(LoadedFiles {
        files,
        timeline: Timeline::new(view.dataset()),
        view,
        reports,
    })
}

/// The last component of a path, for display.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Open files and their modification times, to notice edits on disk.
#[derive(Default)]
pub struct Watched {
    files: Vec<(PathBuf, Option<SystemTime>)>,
    last_check: Option<Instant>,
}

impl Watched {
    /// Watches `files` from now on.
    pub fn set(&mut self, files: &[PathBuf]) {
        self.files = files.iter().map(|f| (f.clone(), modified(f))).collect();
    }

    /// The files watched.
    pub fn files(&self) -> Vec<PathBuf> {
        self.files.iter().map(|(f, _)| f.clone()).collect()
    }

    /// Whether any file changed since the last look (checked once a second).
    pub fn changed(&mut self) -> bool {
        if self.files.is_empty()
            || self
                .last_check
                .is_some_and(|t| t.elapsed().as_secs_f32() < 1.0)
        {
            return false;
        }
        self.last_check = Some(Instant::now());
        let mut changed = false;
        for (path, seen) in &mut self.files {
            let now = modified(path);
            if now.is_some() && now != *seen {
                *seen = now;
                changed = true;
            }
        }
        changed
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Recently opened files, most recent first. Kept in eframe's storage for
/// the app (its data folder, never next to the user's data); the app reads
/// it at start and eframe writes it back with the app's state.
#[derive(Default)]
pub struct Recent {
    files: Vec<PathBuf>,
}

const MAX_RECENT: usize = 10;

/// The key of the list in eframe's storage.
const STORAGE_KEY: &str = "recent_files";

impl Recent {
    /// The list kept in `storage` (empty when there is none, as in tests).
    pub fn restore(storage: Option<&dyn eframe::Storage>) -> Self {
        let mut files: Vec<PathBuf> = storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        files.truncate(MAX_RECENT);
        Self { files }
    }

    /// Writes the list into `storage` (eframe flushes it to disk).
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.files);
    }

    /// The files, most recent first.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Puts files at the top, keeping the ten latest.
    pub fn add(&mut self, files: &[PathBuf]) {
        for f in files.iter().rev() {
            let f = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
            self.files.retain(|g| *g != f);
            self.files.insert(0, f);
        }
        self.files.truncate(MAX_RECENT);
    }
}
