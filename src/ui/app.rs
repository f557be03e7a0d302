//! The eframe app: lays out the panels, gathers their commands and applies
//! them once per frame.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{CentralPanel, Panel};

use super::bookmarks::BookmarksPanel;
use super::database::DatabaseDialog;
use super::details::details_ui;
use super::event_list::EventList;
use super::export_dialog::{ExportDialog, ExportKind};
use super::facets::FacetsPanel;
use super::files::{BackgroundLoad, LoadedFiles, Poll, Recent, Watched};
use super::map_view::MapView;
use super::open_dialog::{OpenDialog, OpenRequest};
use super::overlay::{FrameStats, TOGGLE_KEY, overlay_ui};
use super::problems::problems_window;
use super::project::{SaveProjectDialog, restore_session, save_session};
use super::remote::RemotePanels;
use super::shortcuts::{self, Action};
use super::story::{Presenting, Step};
use super::timeline::{Timeline, keyboard};
use crate::atlas::Atlas;
use crate::load::{LoadOptions, Loaded, Report};
use crate::model::{Dataset, Day};
use crate::project::{self, Opened, Project};
use crate::scene::MapMode;
use crate::state::{BookmarkCommand, Command, RemoteCommand, RemoteState, View, ViewState};
use crate::time::{TimeCommand, WindowWidth};

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Start with the cursor on this day.
    pub date: Option<Day>,
    /// Start with this window width.
    pub window: Option<WindowWidth>,
    /// Start with the map in this mode.
    pub mode: Option<MapMode>,
    /// Start with the event of this id selected.
    pub select: Option<String>,
    /// The files `loaded` came from (watched for changes, reloaded with
    /// the same options).
    pub files: Vec<PathBuf>,
    /// How to read files where the content alone cannot say.
    pub load_options: LoadOptions,
    /// Save a PNG of the window here once the first frames have settled,
    /// then close.
    pub screenshot: Option<PathBuf>,
    /// `--timings`: the start-up clock, printed to stderr once the first
    /// frame is on screen.
    pub startup: Option<crate::timings::Startup>,
    /// Take up the last session from eframe's storage: the app was started
    /// without files, a project or a start view, and not `--fresh`.
    pub resume: bool,
}

/// Why Save project refuses while a database table is shown.
const TABLE_NOT_KEPT: &str = "A project keeps files and their view; a database table's view \
     is not kept in a project yet. Close the database (File) to save the files' project.";

/// The seed article's story, opened by Help > Tour.
const SEED_TOUR: &str = include_str!("../../data/seed-tour.chronomap");

/// Frames to wait before a `--screenshot`, so fonts, layout and the map's
/// fit have all settled.
const SCREENSHOT_AFTER_FRAMES: u64 = 12;

/// Outcome of a screenshot, filled in by the integration's callback.
type ScreenshotSlot = Arc<Mutex<Option<Result<PathBuf, String>>>>;

/// The chronomap window.
pub struct ChronomapApp {
    state: ViewState,
    atlas: &'static Atlas,
    map: MapView,
    timeline: Timeline,
    list: EventList,
    facets: FacetsPanel,
    /// Whether the facets panel is open beside the list.
    show_facets: bool,
    options: AppOptions,
    frames: u64,
    screenshot: Option<ScreenshotSlot>,
    show_about: bool,
    /// Whether the keyboard help is shown.
    show_keys: bool,
    /// The bookmarks window.
    bookmarks: BookmarksPanel,
    show_problems: bool,
    export: ExportDialog,
    /// The map's size in the last frame, so an export can match the screen.
    map_size: [f32; 2],
    /// One report per open file.
    reports: Vec<Report>,
    open_dialog: OpenDialog,
    loading: Option<BackgroundLoad>,
    load_error: Option<String>,
    /// The start options wait for the first background load.
    start_options_pending: bool,
    /// The dataset title the window is named after.
    window_title: Option<String>,
    watched: Watched,
    recent: Recent,
    /// Whether the frame-time overlay is shown (F12).
    show_frame_times: bool,
    /// What the last frame cost, for the overlay.
    stats: FrameStats,
    /// Where the map was drawn in the last frame, to place the overlay.
    map_rect: egui::Rect,
    /// A database table shown instead of the files, when one is open.
    remote: Option<RemotePanels>,
    /// File > Open database, and a table being opened.
    database: DatabaseDialog,
    /// The project file last opened or saved, where Save writes.
    project_path: Option<PathBuf>,
    /// A project's view, waiting for its files to load.
    pending_view: Option<View>,
    /// Present the story once the pending view is taken (Help > Tour).
    present_on_load: bool,
    /// What did not come back as it was when a project opened.
    project_warnings: Vec<String>,
    save_dialog: SaveProjectDialog,
    /// The story being presented.
    presenting: Option<Presenting>,
}

impl ChronomapApp {
    /// An app showing `loaded`.
    pub fn new(loaded: Loaded, atlas: &'static Atlas, options: AppOptions) -> Self {
        let show_problems = !loaded.report.problems.is_empty();
        let dataset = Arc::new(loaded.dataset);
        let reports = vec![loaded.report];
        let mut state = ViewState::new(Arc::clone(&dataset));
        state.prepare_facets();
        let mut watched = Watched::default();
        watched.set(&options.files);
        state.apply_all(start_commands(&options, &dataset));
        Self {
            timeline: Timeline::new(&dataset),
            map: MapView::new(atlas),
            list: EventList::default(),
            facets: FacetsPanel::default(),
            show_facets: true,
            state,
            atlas,
            options,
            frames: 0,
            screenshot: None,
            show_about: false,
            show_keys: false,
            bookmarks: BookmarksPanel::default(),
            show_problems,
            export: ExportDialog::default(),
            map_size: [1000.0, 700.0],
            reports,
            open_dialog: OpenDialog::default(),
            loading: None,
            load_error: None,
            start_options_pending: false,
            window_title: None,
            watched,
            recent: Recent::default(),
            show_frame_times: false,
            stats: FrameStats::default(),
            map_rect: egui::Rect::NOTHING,
            remote: None,
            database: DatabaseDialog::default(),
            project_path: None,
            pending_view: None,
            present_on_load: false,
            project_warnings: Vec::new(),
            save_dialog: SaveProjectDialog::default(),
            presenting: None,
        }
    }

    /// Opens the project at `path`: its files load in the background and
    /// its view is taken when they are in. What cannot be read is said in
    /// a window, and what is open stays.
    pub fn open_project(&mut self, path: &std::path::Path) {
        match project::open(path) {
            Ok(opened) => {
                self.take_project(opened);
                self.project_path = Some(path.to_owned());
                self.recent.add(&[path.to_owned()]);
            }
            Err(e) => self.load_error = Some(e.to_string()),
        }
    }

    /// Opens the project at `path` as the window's first view: the start
    /// options (`--date`, `--window`, `--mode`, `--select`) apply over its
    /// view once its files are in.
    pub fn open_project_at_start(&mut self, path: &std::path::Path) {
        self.open_project(path);
        self.start_options_pending = self.pending_view.is_some();
    }

    /// Presents the story once the project being opened is in.
    pub fn present_when_open(&mut self) {
        self.present_on_load = self.pending_view.is_some();
    }

    /// Opens the seed article's story and presents it once loaded.
    pub fn open_tour(&mut self) {
        match project::from_json(SEED_TOUR, std::path::Path::new("seed-tour.chronomap"), None) {
            Ok(opened) => {
                self.take_project(opened);
                self.project_path = None;
                self.present_on_load = true;
            }
            Err(e) => self.load_error = Some(e.to_string()),
        }
    }

    fn take_project(&mut self, opened: Opened) {
        let Opened { project, warnings } = opened;
        self.project_warnings = warnings.iter().map(ToString::to_string).collect();
        self.options.load_options = project.load;
        self.pending_view = Some(project.view);
        self.present_on_load = false;
        self.presenting = None;
        self.remote = None;
        self.loading = Some(BackgroundLoad::start(
            project.files,
            self.options.load_options.clone(),
            self.atlas,
            false,
        ));
    }

    /// What is open and arranged, as a project (paths as they were opened).
    pub fn project(&self) -> Project {
        let files = match &self.loading {
            Some(load) => load.files.clone(),
            None => self.watched.files(),
        };
        Project {
            files,
            load: self.options.load_options.clone(),
            view: self
                .pending_view
                .clone()
                .unwrap_or_else(|| self.state.view()),
        }
    }

    /// Writes the project to `path` (atomically) and saves there from now on.
    ///
    /// # Errors
    /// The message to show when the file cannot be written.
    pub fn save_project(&mut self, path: &std::path::Path) -> Result<(), String> {
        if self.remote.is_some() {
            return Err(TABLE_NOT_KEPT.to_owned());
        }
        project::save(path, &self.project()).map_err(|e| e.to_string())?;
        self.project_path = Some(path.to_owned());
        self.recent.add(&[path.to_owned()]);
        Ok(())
    }

    /// Saves where the project was last saved or opened, else asks where.
    fn save_or_ask(&mut self) {
        match self.project_path.clone() {
            Some(path) => {
                if let Err(e) = self.save_project(&path) {
                    self.load_error = Some(e);
                }
            }
            None => self.ask_where_to_save(),
        }
    }

    fn ask_where_to_save(&mut self) {
        if self.remote.is_some() {
            self.load_error = Some(TABLE_NOT_KEPT.to_owned());
            return;
        }
        let suggested = self.project_path.clone().unwrap_or_else(|| {
            let folder = self
                .watched
                .files()
                .first()
                .and_then(|f| f.parent().map(std::path::Path::to_owned))
                .or_else(|| std::env::current_dir().ok())
                .unwrap_or_default();
            folder.join("view.chronomap")
        });
        self.save_dialog.show(&suggested);
    }

    /// Whether the story is being presented (for tests).
    pub fn presenting(&self) -> Option<usize> {
        self.presenting.map(|p| p.slide)
    }

    /// Opens a database table (`clickhouse://…`) on a thread of its own;
    /// it replaces the files once open. The password comes from the
    /// environment, else the dialog asks for it when the server does.
    pub fn open_table(&mut self, address: &str) {
        self.database
            .start(address, None, &self.options.load_options);
    }

    /// The table's panels, once a table is open (for tests).
    pub fn remote(&self) -> Option<&RemotePanels> {
        self.remote.as_ref()
    }

    /// The table's panels, to wait on the server's answers (for tests).
    pub fn remote_mut(&mut self) -> Option<&mut RemotePanels> {
        self.remote.as_mut()
    }

    /// Shows these reports (one per file opened) in the Problems window.
    #[must_use]
    pub fn with_reports(mut self, reports: Vec<Report>) -> Self {
        self.show_problems = reports.iter().any(|r| !r.problems.is_empty());
        self.reports = reports;
        self
    }

    /// Opens the window at once and loads `files` in the background, with
    /// the progress bar: for files big enough that the user would otherwise
    /// wait for a window. The start options (date, window, selection) apply
    /// when the load is done.
    pub fn load_in_background(&mut self, files: Vec<PathBuf>) {
        self.start_options_pending = true;
        self.start_load(files, false);
    }

    /// Shows `load`, started before the window was (so that the window's
    /// opening and the basemap's decoding run beside it), as
    /// [`ChronomapApp::load_in_background`] would show its own.
    pub fn continue_load(&mut self, load: BackgroundLoad) {
        self.start_options_pending = true;
        self.loading = Some(load);
    }

    /// Takes up what the app keeps between runs (the recent files) from
    /// eframe's storage; [`super::run_native`] passes the window's. Without
    /// it (as in tests) the app starts with none and keeps nothing.
    pub fn restore(&mut self, storage: Option<&dyn eframe::Storage>) {
        self.recent = Recent::restore(storage);
        if self.options.resume
            && let Some(opened) = storage.and_then(restore_session)
        {
            self.take_project(opened);
        }
    }

    /// Prints the start-up timings once the first frame is on screen.
    pub fn set_startup(&mut self, startup: crate::timings::Startup) {
        self.options.startup = Some(startup);
    }

    /// The view state (for tests and tools).
    pub fn state(&self) -> &ViewState {
        &self.state
    }

    /// The timeline panel (for tests: the days its plot shows).
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The scene drawn in the last frame (for tests).
    pub fn last_scene(&self) -> &crate::scene::Scene {
        &self.map.last_scene
    }

    /// Where the map was drawn in the last frame (for tests and benches).
    pub fn map_rect(&self) -> egui::Rect {
        self.map_rect
    }

    /// The flight to the selected event's places, in the map as it was
    /// last laid out.
    fn fly_to_selection(&self) -> Option<Command> {
        let selected = self.state.selection()?;
        let rect = self.map_rect;
        let viewport = crate::scene::Viewport {
            min: [rect.min.x, rect.min.y],
            size: [rect.width(), rect.height()],
        };
        let camera =
            crate::scene::fit::fit_to_event(self.state.dataset(), self.atlas, selected, &viewport)?;
        Some(Command::FlyTo(camera))
    }

    /// Applies commands as a panel would (for tests and benches that set
    /// up a view without clicking their way there).
    pub fn apply(&mut self, commands: impl IntoIterator<Item = Command>) {
        self.state.apply_all(commands);
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open files or project\u{2026}").clicked() {
                    self.show_open_dialog();
                }
                ui.menu_button("Open recent", |ui| {
                    let mut pick = None;
                    for f in self.recent.files() {
                        if ui.button(f.display().to_string()).clicked() {
                            pick = Some(f.clone());
                        }
                    }
                    if self.recent.files().is_empty() {
                        ui.weak("No recent files");
                    }
                    if let Some(f) = pick {
                        self.remote = None;
                        self.open(OpenRequest {
                            files: vec![f],
                            add: false,
                        });
                    }
                });
                if ui.button("Save project").clicked() {
                    self.save_or_ask();
                }
                if ui.button("Save project as\u{2026}").clicked() {
                    self.ask_where_to_save();
                }
                if ui.button("Open database\u{2026}").clicked() {
                    self.database.open = true;
                }
                if self.remote.is_some() && ui.button("Close database").clicked() {
                    self.remote = None;
                }
                ui.separator();
                if ui.button("Export map image\u{2026}").clicked() {
                    self.export.open(ExportKind::Image, &self.state);
                }
                if ui.button("Export animation\u{2026}").clicked() {
                    self.export.open(ExportKind::Animation, &self.state);
                }
                if ui.button("Export events\u{2026}").clicked() {
                    self.export.open(ExportKind::Events, &self.state);
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Fit map to data").clicked() {
                    commands.push(Command::FitToData);
                }
                ui.horizontal(|ui| {
                    ui.label("Theme");
                    let mut theme = ui.ctx().options(|o| o.theme_preference);
                    for (choice, words) in [
                        (egui::ThemePreference::Light, "Light"),
                        (egui::ThemePreference::Dark, "Dark"),
                        (egui::ThemePreference::System, "Follow the system"),
                    ] {
                        ui.selectable_value(&mut theme, choice, words);
                    }
                    ui.ctx().set_theme(theme);
                });
                if ui.button("Problems\u{2026}").clicked() {
                    self.show_problems = true;
                }
                let label = format!("Frame times ({})", TOGGLE_KEY.name());
                ui.checkbox(&mut self.show_frame_times, label);
            });
            ui.menu_button("Help", |ui| {
                let keys = shortcuts::shortcut(Action::Help)
                    .map(|s| shortcuts::keys_text(ui.ctx(), s))
                    .unwrap_or_default();
                if ui.button(format!("Keyboard shortcuts ({keys})")).clicked() {
                    self.show_keys = true;
                }
                if ui
                    .button("Tour of the seed story")
                    .on_hover_text("The embedded events, presented slide by slide")
                    .clicked()
                {
                    self.open_tour();
                }
                if ui.button("About chronomap").clicked() {
                    self.show_about = true;
                }
            });
            ui.separator();
            ui.toggle_value(&mut self.show_facets, "Facets")
                .on_hover_text("Show or hide the facets: every field's values, with counts");
            ui.toggle_value(&mut self.bookmarks.open, "Bookmarks")
                .on_hover_text("Named views: a date, a window, the map and the filters");
            let slides = self.state.bookmarks().slide_count();
            if ui
                .add_enabled(slides > 0, egui::Button::new("Present"))
                .on_hover_text("Present the story: the bookmarks in it, with their captions (F5)")
                .on_disabled_hover_text("Keep bookmarks (Ctrl+B) to make a story")
                .clicked()
            {
                self.presenting = Presenting::start(&self.state, commands);
            }
            if let Some(remote) = &self.remote {
                ui.strong(remote.title());
                let table = remote.state().table();
                ui.weak(format!(
                    "{} events in the {}",
                    crate::remote::short_count(table.summary.rows),
                    table.schema.shape.name()
                ));
            } else {
                ui.strong(&self.state.dataset().title);
                ui.weak(format!("{} events", self.state.dataset().events.len()));
            }
            if let Some(address) = self.database.opening() {
                ui.spinner();
                ui.weak(format!("opening {address}\u{2026}"));
            }
            self.loading_status(ui);
        });
    }

    fn windows(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        shortcuts::help_window(ctx, &mut self.show_keys);
        self.bookmarks.ui(ctx, &self.state, commands);
        egui::Window::new("About chronomap")
            .open(&mut self.show_about)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label("chronomap: news and conflict events on a map, linked to a timeline.");
                ui.label(crate::scene::ATTRIBUTION);
                ui.label("Help > Keyboard shortcuts (F1) lists the keys.");
                ui.label(format!(
                    "{} shows or hides frame times (CPU per frame, scene build, shapes, fps).",
                    TOGGLE_KEY.name()
                ));
            });
        if let Some(id) = problems_window(ctx, &mut self.show_problems, &self.reports) {
            commands.push(Command::Select(self.state.dataset().find_event(&id)));
        }
        if let Some(e) = self.load_error.clone() {
            let mut open = true;
            egui::Window::new("Could not open")
                .open(&mut open)
                .show(ctx, |ui| {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                });
            if !open {
                self.load_error = None;
            }
        }
        if let Some(request) = self.open_dialog.ui(ctx, self.recent.files()) {
            self.open(request);
        }
        if let Some(path) = self.save_dialog.ui(ctx)
            && let Err(e) = self.save_project(&path)
        {
            self.save_dialog.error = Some(e);
            self.save_dialog.open = true;
        }
        if !self.project_warnings.is_empty() {
            let mut open = true;
            egui::Window::new("Project")
                .open(&mut open)
                .show(ctx, |ui| {
                    for w in &self.project_warnings {
                        ui.colored_label(ui.visuals().warn_fg_color, w);
                    }
                });
            if !open {
                self.project_warnings.clear();
            }
        }
        self.export
            .show(ctx, &self.state, self.atlas, self.map_size);
    }

    fn show_open_dialog(&mut self) {
        let files = self.watched.files();
        let folder = files.first().and_then(|f| f.parent());
        self.open_dialog.show_at(folder);
    }

    /// Opens files from the dialog: replacing what is open, or as layers;
    /// a project alone opens as a project.
    fn open(&mut self, request: OpenRequest) {
        if let [only] = request.files.as_slice()
            && project::is_project(only)
        {
            let path = only.clone();
            self.open_project(&path);
            return;
        }
        // Adding to a load under way adds to the files it is loading.
        let mut files = match (&self.loading, request.add) {
            (_, false) => Vec::new(),
            (Some(load), true) => load.files.clone(),
            (None, true) => self.watched.files(),
        };
        files.extend(request.files);
        self.start_load(files, false);
    }

    /// Starts loading `files` in the background (replacing a load under way).
    fn start_load(&mut self, files: Vec<PathBuf>, keep_view: bool) {
        if files.is_empty() {
            return;
        }
        let options = self.options.load_options.clone();
        self.loading = Some(BackgroundLoad::start(files, options, self.atlas, keep_view));
    }

    /// Each frame: files dropped on the window, a finished load, a file
    /// changed on disk.
    fn files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if !dropped.is_empty() {
            let add = !self.watched.files().is_empty() || self.loading.is_some();
            self.open(OpenRequest {
                files: dropped,
                add,
            });
        }
        if let Some(load) = &self.loading {
            load.wake(ctx);
            match load.poll() {
                Poll::Pending => ctx.request_repaint_after(Duration::from_millis(100)),
                Poll::Done(result) => {
                    let keep_view = load.keep_view;
                    self.loading = None;
                    if let Some(startup) = &mut self.options.startup {
                        startup.mark("load events, beside the window");
                    }
                    match *result {
                        Ok(files) => self.replace(files, keep_view),
                        Err(e) => {
                            self.load_error = Some(e);
                            self.start_options_pending = false;
                            self.pending_view = None;
                            self.present_on_load = false;
                        }
                    }
                }
            }
        } else if self.watched.changed() {
            self.start_load(self.watched.files(), true);
        }
        if !self.watched.files().is_empty() {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }

    /// Shows newly loaded files; a reload keeps the date, window, selection
    /// and map view.
    fn replace(&mut self, loaded: LoadedFiles, keep_view: bool) {
        let selected = self
            .state
            .selection()
            .and_then(|e| self.state.dataset().event(e))
            .map(|e| e.id().to_owned());
        let time = self.state.time();
        let keep = [
            Command::Time(TimeCommand::SetCursor(time.cursor())),
            Command::Time(TimeCommand::SetWindow(time.width())),
            Command::SetCamera(*self.state.camera()),
        ];
        let mut state = loaded.view;
        let dataset = Arc::clone(state.shared_dataset());
        let from_project = self.pending_view.is_some();
        if let Some(size) = self.state.map_px() {
            // A kept camera is fitted to the map as it is laid out.
            state.apply_all([Command::SetMapSize(size)]);
        }
        if let Some(view) = self.pending_view.take() {
            state.apply_all([Command::SetView(Box::new(view))]);
            if std::mem::take(&mut self.present_on_load) {
                let mut start = Vec::new();
                self.presenting = Presenting::start(&state, &mut start);
                state.apply_all(start);
            }
        }
        if std::mem::take(&mut self.start_options_pending) {
            state.apply_all(start_commands(&self.options, &dataset));
            if let Some(id) = &self.options.select
                && dataset.find_event(id).is_none()
            {
                self.load_error = Some(format!("--select: no event has the id '{id}'"));
            }
        }
        if keep_view {
            let select = Command::Select(selected.and_then(|id| dataset.find_event(&id)));
            state.apply_all(keep.into_iter().chain([select]));
        } else if !from_project {
            self.recent.add(&loaded.files);
            self.project_path = None;
        }
        self.show_problems = loaded.reports.iter().any(|r| !r.problems.is_empty());
        self.timeline = if keep_view {
            loaded.timeline.showing_as(&self.timeline)
        } else {
            loaded.timeline
        };
        self.state = state;
        self.reports = loaded.reports;
        self.watched.set(&loaded.files);
        self.options.files = loaded.files;
    }

    /// A progress line with a Cancel button while a load runs.
    fn loading_status(&mut self, ui: &mut egui::Ui) {
        let Some(load) = &self.loading else {
            return;
        };
        ui.separator();
        let text = format!(
            "Loading {}\u{2026} {:.1} s",
            load.label,
            load.elapsed_secs()
        );
        match load.fraction() {
            Some(fraction) => {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .show_percentage(),
                );
            }
            None => {
                ui.spinner();
            }
        }
        ui.label(text);
        if ui.button("Cancel").clicked() {
            // The loading thread stops at its next check; whatever it had
            // read is dropped with the receiver.
            load.cancel();
            self.loading = None;
            self.start_options_pending = false;
            self.pending_view = None;
            self.present_on_load = false;
        }
    }

    /// Drives `--screenshot`: asks for one after the first frames, saves
    /// it from the integration's callback, then closes the window.
    fn screenshot(&mut self, ctx: &egui::Context) {
        let Some(path) = self.options.screenshot.clone() else {
            return;
        };
        if let Some(slot) = &self.screenshot {
            let done = slot.lock().map(|mut s| s.take()).unwrap_or(None);
            match done {
                Some(Ok(path)) => {
                    eprintln!("chronomap: saved screenshot {}", path.display());
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(Err(e)) => {
                    eprintln!("chronomap: {e}");
                    std::process::exit(1);
                }
                None => ctx.request_repaint(),
            }
            return;
        }
        // Of the files, once loaded; of a table, once opened and answered.
        let waiting = self.database.opening().is_some()
            || self
                .remote
                .as_ref()
                .is_some_and(|r| r.state().pending() > 0);
        if self.loading.is_some() || waiting {
            self.frames = 0;
            return;
        }
        self.frames += 1;
        ctx.request_repaint();
        if self.frames < SCREENSHOT_AFTER_FRAMES {
            return;
        }
        let slot: ScreenshotSlot = Arc::default();
        let writer = Arc::clone(&slot);
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            let result = save_png(&path, &image);
            if let Ok(mut s) = writer.lock() {
                *s = Some(result);
            }
            repaint.request_repaint();
        });
        self.screenshot = Some(slot);
    }

    /// Keeps what this frame cost for the overlay of the next.
    fn record_frame(
        &mut self,
        frame: &eframe::Frame,
        app: Duration,
        map: Duration,
        timeline: Duration,
    ) {
        let scene = &self.map.last_scene;
        let stats = &mut self.stats;
        stats.frame_cpu = frame.info().cpu_usage.map(Duration::from_secs_f32);
        stats.app = app;
        stats.map = map;
        stats.timeline = timeline;
        stats.scene = self.map.last_build;
        stats.shapes = self.map.last_shapes;
        stats.markers = scene.markers.len();
        stats.clusters = scene.clusters.len();
    }
}

impl ChronomapApp {
    /// The map in the space the panels leave; returns what it cost.
    fn map_panel(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) -> Duration {
        let started = Instant::now();
        self.map_rect = CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.map.ui(ui, &self.state, self.atlas, commands))
            .response
            .rect;
        started.elapsed()
    }

    /// This frame's shortcuts: the slides' keys while presenting, the
    /// explorer's otherwise, and those of every moment.
    fn keys(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if shortcuts::pressed(ctx, Action::Help) {
            self.show_keys = !self.show_keys;
        }
        if shortcuts::pressed(ctx, Action::FrameTimes) {
            self.show_frame_times = !self.show_frame_times;
        }
        if shortcuts::pressed(ctx, Action::AddBookmark) {
            commands.push(Command::Bookmark(BookmarkCommand::Add(String::new())));
            self.bookmarks.open = self.presenting.is_none();
        }
        if shortcuts::pressed(ctx, Action::SaveProject) {
            self.save_or_ask();
        }
        if shortcuts::pressed(ctx, Action::Open) {
            self.show_open_dialog();
        }
        if let Some(presenting) = self.presenting {
            let step = presenting.keys(ctx, &self.state);
            self.step_story(step, commands);
            return;
        }
        keyboard(ctx, commands);
        if shortcuts::pressed(ctx, Action::FitMap) {
            commands.push(Command::FitToData);
        }
        if shortcuts::pressed(ctx, Action::Present) {
            self.presenting = Presenting::start(&self.state, commands);
        }
    }

    fn step_story(&mut self, step: Step, commands: &mut Vec<Command>) {
        match step {
            Step::Stay => {}
            Step::Leave => self.presenting = None,
            Step::To(slide) => {
                if let Some(p) = &mut self.presenting {
                    p.go(slide, &self.state, commands);
                }
            }
        }
    }
}

/// Writes an egui image as PNG, through the one atomic writer, so that a
/// failed write leaves nothing half-written.
fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<PathBuf, String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let (Ok(w), Ok(h)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err("screenshot too large".into());
    };
    let buffer = image::RgbaImage::from_raw(w, h, bytes)
        .ok_or_else(|| "screenshot has an unexpected size".to_owned())?;
    let png = crate::render::encode_png(&buffer).map_err(|e| e.to_string())?;
    crate::export::write_atomic(path, &png)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path.to_owned())
}

/// The commands that put the view where the start options say.
fn start_commands(options: &AppOptions, dataset: &Dataset) -> Vec<Command> {
    let mut start = Vec::new();
    if let Some(day) = options.date {
        start.push(Command::Time(TimeCommand::SetCursor(day)));
    }
    if let Some(w) = options.window {
        start.push(Command::Time(TimeCommand::SetWindow(w)));
    }
    if let Some(id) = &options.select {
        start.push(Command::Select(dataset.find_event(id)));
    }
    if let Some(mode) = options.mode {
        start.push(Command::SetMapMode(mode));
    }
    start
}

impl eframe::App for ChronomapApp {
    /// Keeps the recent files; a `--screenshot` run leaves the user's
    /// storage as it found it.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.options.screenshot.is_some() {
            return;
        }
        self.recent.save(storage);
        // A table's view is the server's: the files' session stays.
        if self.remote.is_none() {
            save_session(storage, &self.project());
        }
    }

    /// Panel sizes and the theme are kept with the session, except by a
    /// `--screenshot` run, which starts clean and leaves them as they were.
    fn persist_egui_memory(&self) -> bool {
        self.options.screenshot.is_none()
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let title = match &self.remote {
            Some(remote) => &remote.title(),
            None => &self.state.dataset().title,
        };
        if self.window_title.as_ref() != Some(title) {
            self.window_title = Some(title.clone());
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(format!(
                "chronomap \u{2014} {title}"
            )));
        }
        // With files loading in the background, the start-up ends with
        // the first frame that shows them.
        if let Some(startup) = self
            .options
            .startup
            .as_mut()
            .filter(|_| self.loading.is_none())
        {
            match startup.on_frame() {
                Some(report) => {
                    eprint!("{report}");
                    self.options.startup = None;
                }
                // A second frame is needed to know the first was painted.
                None => ctx.request_repaint(),
            }
        }
        let dt = f64::from(ctx.input(|i| i.stable_dt));
        self.state.tick(dt);
        if self.state.time().is_playing() || self.state.is_flying() {
            ctx.request_repaint();
        }
        if self.state.is_searching() {
            // Each frame looks for the search's result.
            ctx.request_repaint_after(Duration::from_millis(15));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let started = Instant::now();
        self.stats.frame_started(started);
        let mut commands = Vec::new();
        self.keys(ui.ctx(), &mut commands);
        if self.presenting.is_none() {
            Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &mut commands));
        }
        self.database
            .ui(&ui.ctx().clone(), &self.options.load_options);
        if let Some(table) = self.database.poll() {
            let ctx = ui.ctx().clone();
            let mut state = RemoteState::new(table, Arc::new(move || ctx.request_repaint()));
            let start = [
                self.options.date.map(TimeCommand::SetCursor),
                self.options.window.map(TimeCommand::SetWindow),
            ];
            state.apply_all(start.into_iter().flatten().map(RemoteCommand::Time));
            self.remote = Some(RemotePanels::new(state, self.atlas));
        }
        if self.database.opening().is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        }
        if let Some(remote) = &mut self.remote {
            remote.ui(ui, self.atlas, self.show_facets);
            self.windows(&ui.ctx().clone(), &mut commands);
            self.screenshot(&ui.ctx().clone());
            self.record_frame(frame, started.elapsed(), Duration::ZERO, Duration::ZERO);
            return;
        }
        let timeline_started = Instant::now();
        Panel::bottom("timeline")
            .resizable(true)
            .default_size(240.0)
            .min_size(160.0)
            .show(ui, |ui| self.timeline.ui(ui, &self.state, &mut commands));
        let timeline = timeline_started.elapsed();
        if let Some(presenting) = self.presenting {
            let map = self.map_panel(ui, &mut commands);
            let step = presenting.card(ui.ctx(), self.map_rect, &self.state);
            self.step_story(step, &mut commands);
            self.files(&ui.ctx().clone());
            self.state.apply_all(commands);
            self.screenshot(&ui.ctx().clone());
            self.record_frame(frame, started.elapsed(), map, timeline);
            return;
        }
        Panel::left("events")
            .default_size(300.0)
            .show(ui, |ui| self.list.ui(ui, &self.state, &mut commands));
        if self.show_facets {
            Panel::left("facets")
                .resizable(true)
                .default_size(250.0)
                .min_size(220.0)
                .show(ui, |ui| {
                    self.facets.ui(ui, &self.state, self.atlas, &mut commands);
                });
        }
        let mut zoom_to = shortcuts::pressed(ui.ctx(), Action::ZoomToSelection);
        Panel::right("details").default_size(320.0).show(ui, |ui| {
            details_ui(ui, &self.state, &mut commands, Some(&mut zoom_to));
        });
        if zoom_to {
            commands.extend(self.fly_to_selection());
        }
        let map = self.map_panel(ui, &mut commands);
        if self.show_frame_times {
            overlay_ui(ui.ctx(), &self.stats, self.map_rect.left_top());
        }
        self.windows(&ui.ctx().clone(), &mut commands);
        self.files(&ui.ctx().clone());
        self.state.apply_all(commands);
        self.screenshot(&ui.ctx().clone());
        self.record_frame(frame, started.elapsed(), map, timeline);
    }
}
