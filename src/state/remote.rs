//! The view of a database table: the window, the filter, the camera and
//! the selection, changed only by [`RemoteCommand`]s, and what the server
//! answered for them ([`RemoteView`]). The events in view, when few enough
//! to fetch, are a small dataset with a [`ViewState`] of its own, so the
//! map draws them as it draws a file's.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use super::{Command, ViewState};
use crate::geometry::lon_lat_from_world;
use crate::model::{Dataset, Day, Facet};
use crate::remote::{RemoteView, Table, Wake, Want};
use crate::scene::{CELL_PX, Camera, Viewport};
use crate::time::{EventFilter, LonLatBox, TimeCommand, TimeControl, WindowWidth};

/// A change to a table's view.
#[derive(Clone, Debug, PartialEq)]
pub enum RemoteCommand {
    /// A change to the date cursor, window or playback.
    Time(TimeCommand),
    /// The search words.
    SetText(String),
    /// Hide a category, or show it again.
    ToggleCategory(String),
    /// Show every category.
    ShowAllCategories,
    /// Where the map looks, and the screen it fills.
    SetCamera(Camera, Viewport),
    /// Select an event by id (or none).
    Select(Option<String>),
    /// The list's rows on screen: first and count.
    ListRows(u64, u64),
    /// Keep only a facet's value (with `add`, keep it too); a second
    /// click lets it go.
    FacetClick {
        /// The facet.
        facet: Facet,
        /// The value.
        value: String,
        /// Whether it is added to the values kept.
        add: bool,
    },
    /// Leave a facet's value out, or let it back in.
    FacetDrop(Facet, String),
    /// Forget a value's choice.
    FacetForget(Facet, String),
    /// Forget the search and every choice.
    ClearFilters,
    /// Count the facets' values (while their panel shows), or stop.
    ShowFacets(bool),
}

/// A table's view.
pub struct RemoteState {
    view: RemoteView,
    time: TimeControl,
    filter: EventFilter,
    camera: Camera,
    viewport: Option<Viewport>,
    list: (u64, u64),
    selected: Option<String>,
    facets: bool,
    /// A view of the events in view, for the map.
    rows: Option<ViewState>,
    /// A view of newer rows, made on a thread of its own (its indexes
    /// take longer than a frame for thousands of events).
    building: Option<(Arc<Dataset>, Receiver<ViewState>)>,
    /// A view of the selected event, for the details panel.
    details: Option<ViewState>,
    wake: Wake,
}

impl RemoteState {
    /// A view of `table` at its last day, with a week's window; `wake` is
    /// called from another thread when an answer arrives.
    pub fn new(table: Arc<Table>, wake: Wake) -> Self {
        let (first, last) = table.summary.span.unwrap_or((Day(0), Day(0)));
        let mut time = TimeControl::new(first, last);
        time.apply(TimeCommand::SetCursor(last));
        time.apply(TimeCommand::SetWindow(WindowWidth::Days(7)));
        let mut state = Self {
            view: RemoteView::new(table, Arc::clone(&wake)),
            wake,
            time,
            filter: EventFilter::default(),
            camera: Camera::default(),
            viewport: None,
            list: (0, 50),
            selected: None,
            facets: true,
            rows: None,
            building: None,
            details: None,
        };
        state.update();
        state
    }

    /// Applies commands, then asks the server for what they changed.
    pub fn apply_all(&mut self, commands: impl IntoIterator<Item = RemoteCommand>) {
        for command in commands {
            self.apply(command);
        }
        self.update();
    }

    fn apply(&mut self, command: RemoteCommand) {
        match command {
            RemoteCommand::Time(t) => self.time.apply(t),
            RemoteCommand::SetText(text) => self.filter.text = text,
            RemoteCommand::ToggleCategory(name) => {
                self.filter.choices.toggle_drop(Facet::Category, &name);
            }
            RemoteCommand::ShowAllCategories => self.filter.choices.clear(Facet::Category),
            RemoteCommand::SetCamera(camera, viewport) => {
                self.camera = camera;
                self.viewport = Some(viewport);
            }
            RemoteCommand::Select(id) => self.selected = id,
            RemoteCommand::ListRows(first, n) => self.list = (first, n.max(1)),
            RemoteCommand::FacetClick { facet, value, add } => {
                self.filter.choices.click(facet, &value, add);
            }
            RemoteCommand::FacetDrop(facet, value) => {
                self.filter.choices.toggle_drop(facet, &value);
            }
            RemoteCommand::FacetForget(facet, value) => {
                self.filter.choices.forget(facet, &value);
            }
            RemoteCommand::ClearFilters => self.filter = EventFilter::default(),
            RemoteCommand::ShowFacets(shown) => self.facets = shown,
        }
    }

    /// Moves playback on by `dt_secs`; whether the window moved.
    pub fn tick(&mut self, dt_secs: f64) -> bool {
        let moved = self.time.tick(dt_secs);
        if moved {
            self.update();
        }
        moved
    }

    /// Takes the answers that arrived and asks for what is missing.
    pub fn update(&mut self) {
        let want = self.want();
        self.view.ask(&want);
        self.follow_answers();
    }

    /// What the view asks of the server now.
    pub fn want(&self) -> Want {
        Want {
            window: self.time.window(),
            filter: self.filter.clone(),
            map: self.viewport.map(|v| map_box(&self.camera, &v)),
            list: self.list,
            selected: self.selected.clone(),
            facets: self.facets,
        }
    }

    /// Remakes the small views when new rows or details arrived.
    fn follow_answers(&mut self) {
        let is = |state: Option<&ViewState>, rows: &Arc<Dataset>| {
            state.is_some_and(|s| Arc::ptr_eq(s.shared_dataset(), rows))
        };
        match self.view.rows() {
            Some(rows)
                if !is(self.rows.as_ref(), rows)
                    && self
                        .building
                        .as_ref()
                        .is_none_or(|(r, _)| !Arc::ptr_eq(r, rows)) =>
            {
                let (send, receive) = channel();
                let beside = Arc::clone(rows);
                let wake = Arc::clone(&self.wake);
                let built = std::thread::Builder::new()
                    .name("chronomap-rows-view".to_owned())
                    .spawn(move || {
                        if send.send(view_of(beside)).is_ok() {
                            wake();
                        }
                    });
                match built {
                    Ok(_) => self.building = Some((Arc::clone(rows), receive)),
                    // Without a thread, made here.
                    Err(_) => self.rows = Some(view_of(Arc::clone(rows))),
                }
            }
            None => {
                self.rows = None;
                self.building = None;
            }
            _ => {}
        }
        if let Some((_, receive)) = &self.building
            && let Ok(state) = receive.try_recv()
        {
            self.rows = Some(state);
            self.building = None;
        }
        if let Some(state) = &mut self.rows
            && state.camera() != &self.camera
        {
            state.apply_all([Command::SetCamera(self.camera)]);
        }
        match self.view.details() {
            Some(one) if !is(self.details.as_ref(), one) => {
                let mut state = view_of(Arc::clone(one));
                state.apply_all([Command::Select(Some(0))]);
                self.details = Some(state);
            }
            None => self.details = None,
            _ => {}
        }
    }

    /// Takes answers without asking again (each frame, before drawing).
    pub fn poll(&mut self) {
        self.view.poll();
        self.follow_answers();
    }

    /// Whether the facets' values are counted (their panel shows).
    pub fn shows_facets(&self) -> bool {
        self.facets
    }

    /// Queries running, and views of their answers being made.
    pub fn pending(&self) -> usize {
        self.view.pending() + usize::from(self.building.is_some())
    }

    /// The server's answers.
    pub fn view(&self) -> &RemoteView {
        &self.view
    }

    /// The server's answers, to wait on (command line, tests).
    pub fn view_mut(&mut self) -> &mut RemoteView {
        &mut self.view
    }

    /// The table.
    pub fn table(&self) -> &Arc<Table> {
        self.view.table()
    }

    /// Date cursor, window and playback.
    pub fn time(&self) -> &TimeControl {
        &self.time
    }

    /// The filter.
    pub fn filter(&self) -> &EventFilter {
        &self.filter
    }

    /// Where the map looks.
    pub fn camera(&self) -> &Camera {
        &self.camera
    }

    /// The selected event's id.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// The events in the map's view, with their own view (when the server
    /// sent them: few enough).
    pub fn rows(&self) -> Option<&ViewState> {
        self.rows.as_ref()
    }

    /// The selected event in a view of its own, for the details panel.
    pub fn details(&self) -> Option<&ViewState> {
        self.details.as_ref()
    }
}

/// The box the map shows, widened to whole cells of a grid whose cell is
/// about [`CELL_PX`] on screen (a power of two of world units, so cells
/// hold still while the map pans, and a small pan asks nothing new), and
/// that cell's size in world units.
pub fn map_box(camera: &Camera, viewport: &Viewport) -> (LonLatBox, f64) {
    let wanted = CELL_PX * camera.world_per_px();
    let cell = 2f64.powi(wanted.log2().round().clamp(-40.0, 0.0) as i32);
    let (min, max) = camera.visible_world(viewport);
    let snap = |v: f64, up: bool| {
        let n = v / cell;
        (if up { n.ceil() } else { n.floor() } * cell).clamp(0.0, 1.0)
    };
    let [west, north] = lon_lat_from_world([snap(min[0], false), snap(min[1], false)]);
    let [east, south] = lon_lat_from_world([snap(max[0], true), snap(max[1], true)]);
    let world = LonLatBox {
        west: -180.0,
        south: -90.0,
        east: 180.0,
        north: 90.0,
    };
    let area = LonLatBox::new(
        west.clamp(-180.0, 180.0),
        south.clamp(-90.0, 90.0),
        east.clamp(-180.0, 180.0),
        north.clamp(-90.0, 90.0),
    )
    .unwrap_or(world);
    (area, cell)
}

/// A view of fetched events, all of them in its window (they are the
/// window's already).
fn view_of(rows: Arc<Dataset>) -> ViewState {
    let mut state = ViewState::new(rows);
    state.apply_all([Command::Time(TimeCommand::SetWindow(WindowWidth::All))]);
    state
}
