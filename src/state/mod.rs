//! What the user is looking at, owned in one place and changed only by
//! [`Command`]s applied once per frame. Panels read it and push commands; no
//! egui here, so the linking of timeline, map, list and details is tested
//! without a window.

mod bookmarks;
pub mod caption;
#[cfg(test)]
mod facet_tests;
mod listing;
mod remote;

pub use crate::model::Notes;
pub use bookmarks::{Bookmark, BookmarkCommand, Bookmarks};
pub use remote::{RemoteCommand, RemoteState, map_box};

use std::sync::Arc;

use crate::atlas::Atlas;
use crate::model::{CategoryIdx, Dataset, Day, EventIdx, Facet, PlaceIdx, PlaceRegions};
use crate::scene::{
    Camera, Choropleth, Hit, MapMode, PlaceIndex, PlaceState, PlaceTally, RegionMetric, SceneInput,
    Style, Viewport, active_counts, place_states, use_basemap,
};
use crate::time::{
    Certainty, DayHistogram, DensityMode, EventFilter, FacetCounts, LonLatBox, Range, TimeCommand,
    TimeControl, TimeIndex, WindowRule, WindowWidth,
};
use listing::Listing;

/// A change to the view, emitted by panels and applied by [`ViewState::apply_all`].
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A change to the date cursor, window or playback.
    Time(TimeCommand),
    /// Select an event (or clear the selection). The cursor moves to the
    /// event when it is outside the window, so it shows highlighted.
    Select(Option<EventIdx>),
    /// Select a place on the map: its first event in the window, else its
    /// first event.
    SelectPlace(PlaceIdx),
    /// Set the event list's text search.
    SetFilterText(String),
    /// Show or hide a category.
    ToggleCategory(CategoryIdx),
    /// Show every category again.
    ShowAllCategories,
    /// Show or hide a layer (one file's events).
    ToggleLayer(u16),
    /// A click on a facet's value: keep only it (with `add`, keep it too);
    /// a second click lets it go.
    FacetClick {
        /// The facet.
        facet: Facet,
        /// The value's name.
        value: String,
        /// Whether it is added to the values kept (Ctrl-click).
        add: bool,
    },
    /// Leave a facet's value out ("not" it), or let it back in.
    FacetDrop(Facet, String),
    /// Forget a value's choice, kept or dropped (its chip's ×).
    FacetForget(Facet, String),
    /// Forget every choice in a facet.
    ClearFacet(Facet),
    /// Keep only events whose fatalities lie in the range (`None`: all).
    SetFatalities(Option<Range>),
    /// Keep only events whose place lies in the box (`None`: anywhere).
    SetArea(Option<LonLatBox>),
    /// Keep only what the map shows (the map then sends
    /// [`Command::SetMapArea`] as it moves), or stop.
    FollowMap(bool),
    /// The box the map shows, while following it.
    SetMapArea(Option<LonLatBox>),
    /// Forget every filter: the search, the choices, the hidden categories.
    ClearFilters,
    /// Take another view's filter whole.
    SetFilter(EventFilter),
    /// Show the places, or fill provinces or countries by their events.
    SetMapMode(MapMode),
    /// What the regions' fill measures.
    SetRegionMetric(RegionMetric),
    /// The regions of the dataset's places, found beside the window (see
    /// [`crate::scene::find_place_regions`]) the first time a regions mode is shown.
    SetPlaceRegions(SharedRegions),
    /// Move the map (this also settles a pending fit).
    SetCamera(Camera),
    /// Ask the map to fit the data on its next frame.
    FitToData,
    /// Keep, edit or go to a named view.
    Bookmark(BookmarkCommand),
    /// Move the map to a camera over about half a second, eased
    /// ([`ViewState::tick`] moves it; a [`Command::SetCamera`] ends it).
    FlyTo(Camera),
    /// How the timeline's density counts an event of several possible days.
    SetDensityMode(DensityMode),
    /// The map's size in pixels, as laid out (a kept camera is fitted to
    /// it when the view comes back).
    SetMapSize([f32; 2]),
    /// Write a note on an event (a blank one removes it).
    SetNote(EventIdx, String),
    /// Take a whole view (a project's, or the one the app kept): the
    /// date, window, camera, mode, filters, selection, bookmarks and notes.
    SetView(Box<View>),
}

/// Everything a user arranged in a view, as it is kept in a project and
/// between runs: event ids, not indexes, so that it outlives a reload.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// The date cursor.
    pub date: Day,
    /// The window's width.
    pub window: WindowWidth,
    /// Which events the window holds.
    pub rule: WindowRule,
    /// Playback speed.
    pub speed_days_per_sec: f64,
    /// Where the map looks.
    pub camera: Camera,
    /// The map's size in pixels when the view was kept (see
    /// [`Camera::for_map`]).
    pub map_px: Option<[f32; 2]>,
    /// Places or regions.
    pub map_mode: MapMode,
    /// What a region's fill measures.
    pub metric: RegionMetric,
    /// How the timeline counts an event of several possible days.
    pub density: DensityMode,
    /// The search and the facets' choices.
    pub filter: EventFilter,
    /// The selected event's id.
    pub selection: Option<String>,
    /// The named views and the story.
    pub bookmarks: Bookmarks,
    /// The user's notes on events.
    pub notes: Notes,
}

/// How long the map takes to fly to a camera, in seconds.
pub const FLIGHT_SECS: f64 = 0.5;

/// The map on its way from one camera to another.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Flight {
    from: Camera,
    to: Camera,
    /// The date's first and last day, when it moves along.
    days: Option<(Day, Day)>,
    elapsed: f64,
}

/// Slow, fast, slow: a move that starts and lands softly.
fn ease_in_out(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The regions of a dataset's places, shared; two are equal when they are
/// the same.
#[derive(Clone, Debug)]
pub struct SharedRegions(pub Arc<PlaceRegions>);

impl PartialEq for SharedRegions {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything derived from the data, the window, the filter and the
/// selection, recomputed only when one of those changes.
#[derive(Clone, Debug, Default, PartialEq)]
struct Derived {
    key: Option<(Day, Day, WindowRule, EventFilter, Option<EventIdx>)>,
    active: Vec<EventIdx>,
    /// How many of `active` certainly happened inside the window.
    certain: usize,
    place_states: Vec<PlaceState>,
    active_counts: Vec<u32>,
    /// Those of `active_counts` that certainly happened in the window.
    certain_counts: Vec<u32>,
    /// `active_counts` and the selection summed in the order of the
    /// place index, so a cluster's state costs O(1).
    tally: PlaceTally,
    /// Bumped at each recomputation, so that what derives from `active`
    /// knows when to follow.
    generation: u64,
}

/// The one owner of the view's state.
pub struct ViewState {
    dataset: Arc<Dataset>,
    index: TimeIndex,
    histogram: DayHistogram,
    places: PlaceIndex,
    /// Date cursor, window and playback: changed only by [`Command::Time`]
    /// and [`ViewState::tick`], which both refresh what the window decides.
    time: TimeControl,
    filter: EventFilter,
    selection: Option<EventIdx>,
    camera: Camera,
    fit_requested: bool,
    derived: Derived,
    listing: Listing,
    map_mode: MapMode,
    metric: RegionMetric,
    place_regions: Option<Arc<PlaceRegions>>,
    /// Whether some place is a point known only to its region.
    region_points: bool,
    /// The map's way to a camera, while it flies there.
    flight: Option<Flight>,
    /// The user's named views.
    bookmarks: Bookmarks,
    /// The user's notes on events.
    notes: Notes,
    /// The map's size in pixels, once laid out.
    map_px: Option<[f32; 2]>,
    /// The regions mode's fills, and the generation of `derived` and the
    /// mode they were made for.
    choropleth: Option<(u64, MapMode, RegionMetric, Choropleth)>,
    density_mode: DensityMode,
    /// The listed events' density spread over their possible days, and
    /// the list it was made of (its address and length), while
    /// [`DensityMode::Spread`] is chosen.
    spread: Option<((usize, usize), DayHistogram)>,
}

/// From this many events the facet index is made on a thread of its own,
/// beside the window's first frames.
const FACETS_BESIDE_FROM: usize = 50_000;

impl ViewState {
    /// A view of `dataset`, at the end of its latest busy week
    /// ([`crate::time::opening_day`]) with a one-day window.
    pub fn new(dataset: Arc<Dataset>) -> Self {
        // The province facet takes a place's province from the basemap
        // where the data gives none, as the provinces mode counts it, and
        // an area filter finds a province or country where the map shows it.
        use_basemap(&dataset, Atlas::embedded());
        // A small dataset's facets are counted at once; a large one's when
        // a window asks ([`ViewState::prepare_facets`]) or a choice needs
        // them: `render` and `export` without choices never make them.
        if dataset.events.len() < FACETS_BESIDE_FROM {
            dataset.facets();
        }
        let index = TimeIndex::new(&dataset);
        let places = PlaceIndex::new(&dataset);
        let dataset_region_points = dataset.places.has_region_points();
        let histogram = DayHistogram::new(&index);
        let (first, last) = index.span();
        let opening = crate::time::opening_day(&histogram);
        let mut state = Self {
            dataset,
            index,
            histogram,
            places,
            time: TimeControl::new(first, last),
            filter: EventFilter::default(),
            selection: None,
            camera: Camera::default(),
            fit_requested: true,
            derived: Derived::default(),
            listing: Listing::default(),
            map_mode: MapMode::Points,
            metric: RegionMetric::Events,
            place_regions: None,
            region_points: dataset_region_points,
            flight: None,
            bookmarks: Bookmarks::default(),
            notes: Notes::default(),
            map_px: None,
            choropleth: None,
            density_mode: DensityMode::EveryDay,
            spread: None,
        };
        state.time.apply(TimeCommand::SetCursor(opening));
        state.refresh();
        state
    }

    /// Starts making the dataset's facet index on a thread of its own, for
    /// a window that shows the facets (a small dataset's is made already).
    /// Its counts come with the next look after it is made.
    pub fn prepare_facets(&self) {
        if self.dataset.facets_ready().is_some() {
            return;
        }
        let beside = Arc::clone(&self.dataset);
        let made = std::thread::Builder::new()
            .name("chronomap-facets".to_owned())
            .spawn(move || {
                beside.facets();
            });
        // Without a thread, the first search or count makes it.
        drop(made);
    }

    /// The dataset shown.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The dataset shown, to be shared with another view of it (an
    /// animation's frames) rather than copied.
    pub fn shared_dataset(&self) -> &Arc<Dataset> {
        &self.dataset
    }

    /// Date cursor, window and playback.
    pub fn time(&self) -> &TimeControl {
        &self.time
    }

    /// The time index of the dataset.
    pub fn index(&self) -> &TimeIndex {
        &self.index
    }

    /// The timeline's density, summed once for binning at any zoom.
    ///
    /// Of the listed events when the filter holds some back, so that the
    /// timeline shows when the events searched for happened.
    pub fn histogram(&self) -> &DayHistogram {
        match (&self.spread, self.density_mode) {
            (Some((_, spread)), DensityMode::Spread) => spread,
            _ => self.listing.histogram().unwrap_or(&self.histogram),
        }
    }

    /// How the timeline's density counts an event of several possible days.
    pub fn density_mode(&self) -> DensityMode {
        self.density_mode
    }

    /// The dataset's places, projected and ordered for the map once.
    pub fn places(&self) -> &PlaceIndex {
        &self.places
    }

    /// The list's filter.
    pub fn filter(&self) -> &EventFilter {
        &self.filter
    }

    /// The selected event.
    pub fn selection(&self) -> Option<EventIdx> {
        self.selection
    }

    /// Where the map looks.
    pub fn camera(&self) -> &Camera {
        &self.camera
    }

    /// Whether the map should fit the data (and then send [`Command::SetCamera`]).
    pub fn fit_requested(&self) -> bool {
        self.fit_requested
    }

    /// Events in the window that pass the filter, sorted.
    pub fn active(&self) -> &[EventIdx] {
        &self.derived.active
    }

    /// Events that pass the filter, whatever their date, sorted. While a
    /// search runs in the background (see [`ViewState::is_searching`]),
    /// those of the filter before it.
    pub fn listed(&self) -> &[EventIdx] {
        self.listing.events()
    }

    /// Whether the list for a new filter (a search, a hidden category) over
    /// a large dataset is still being made beside the window; the window
    /// should come back (each frame polls it) until it is done.
    pub fn is_searching(&self) -> bool {
        self.listing.is_searching()
    }

    /// Each facet value's events under every filter but its facet's own;
    /// `None` while the facet index is being made (the window should come
    /// back for it).
    pub fn counts(&self) -> Option<&FacetCounts> {
        self.listing.counts()
    }

    /// What the map shows: places, or regions filled by their events.
    pub fn map_mode(&self) -> MapMode {
        self.map_mode
    }

    /// What a region's fill measures.
    pub fn region_metric(&self) -> RegionMetric {
        self.metric
    }

    /// The regions of the dataset's places, once found.
    pub fn place_regions(&self) -> Option<&Arc<PlaceRegions>> {
        self.place_regions.as_ref()
    }

    /// Whether the map needs the places' regions in points mode too: some
    /// point is known only to its region, and is drawn as the region that
    /// holds it once they are found (`Command::SetPlaceRegions`).
    pub fn needs_place_regions(&self) -> bool {
        self.region_points
    }

    /// The regions mode's fills, when a regions mode is on and the places'
    /// regions are found.
    pub fn choropleth(&self) -> Option<&Choropleth> {
        self.choropleth
            .as_ref()
            .filter(|(_, mode, ..)| *mode == self.map_mode)
            .map(|(.., c)| c)
    }

    /// Whether an event is in the window and passes the filter.
    pub fn is_active(&self, event: EventIdx) -> bool {
        self.derived.active.binary_search(&event).is_ok()
    }

    /// How many events in the window certainly happened there at each
    /// place (see [`ViewState::active_counts`]), indexed by place.
    pub fn certain_counts(&self) -> &[u32] {
        &self.derived.certain_counts
    }

    /// How many of the [`ViewState::active`] events certainly happened
    /// inside the window (all of them under
    /// [`WindowRule::CertainlyInside`]).
    pub fn certain_count(&self) -> usize {
        self.derived.certain
    }

    /// Whether `event` is in the window, and how surely: `None` when it is
    /// not (or does not pass the filter).
    pub fn certainty(&self, event: EventIdx) -> Option<Certainty> {
        if !self.is_active(event) {
            return None;
        }
        let days = self.dataset.event(event)?.days();
        self.time.holds(days)
    }

    /// The state of each place, indexed by place.
    pub fn place_states(&self) -> &[PlaceState] {
        &self.derived.place_states
    }

    /// The state of one place.
    pub fn place_state(&self, place: PlaceIdx) -> PlaceState {
        self.derived
            .place_states
            .get(place as usize)
            .copied()
            .unwrap_or(PlaceState::Dimmed)
    }

    /// Active events at each place, indexed by place.
    pub fn active_counts(&self) -> &[u32] {
        &self.derived.active_counts
    }

    /// What the scene needs from this view: the dataset and the state of
    /// each place, seen through `camera` in `viewport`. The app, the
    /// renderer and the benches all build their scenes from here.
    pub fn scene_input<'a>(
        &'a self,
        atlas: &'a Atlas,
        camera: &'a Camera,
        viewport: Viewport,
        style: &'a Style,
        hovered: Option<Hit>,
    ) -> SceneInput<'a> {
        SceneInput {
            dataset: &self.dataset,
            atlas,
            places: &self.places,
            tally: &self.derived.tally,
            place_states: &self.derived.place_states,
            active_counts: &self.derived.active_counts,
            hovered,
            camera,
            viewport,
            style,
            basemap: true,
            choropleth: self.choropleth(),
        }
    }

    /// Applies commands in order, then recomputes what they changed.
    pub fn apply_all(&mut self, commands: impl IntoIterator<Item = Command>) {
        for command in commands {
            self.apply(command);
        }
        self.refresh();
    }

    /// Advances playback by `dt_secs` of wall time and, when the cursor
    /// moved, recomputes what the window decides (active events, place
    /// states), as a [`Command::Time`] would. Returns whether it moved.
    pub fn tick(&mut self, dt_secs: f64) -> bool {
        let mut dated = false;
        if let Some(flight) = &mut self.flight {
            flight.elapsed += dt_secs.max(0.0);
            let t = (flight.elapsed / FLIGHT_SECS).min(1.0);
            let eased = ease_in_out(t);
            self.camera = if t >= 1.0 {
                flight.to
            } else {
                flight.from.toward(&flight.to, eased)
            };
            if let Some((from, to)) = flight.days {
                #[expect(clippy::cast_possible_truncation, reason = "a day between two days")]
                let day = Day(from.0 + (f64::from(to.0 - from.0) * eased).round() as i32);
                if day != self.time.cursor() {
                    self.time.apply(TimeCommand::SetCursor(day));
                    dated = true;
                }
            }
            if t >= 1.0 {
                self.flight = None;
            }
        }
        if dated {
            self.refresh();
        }
        let moved = self.time.tick(dt_secs);
        if moved {
            self.refresh();
        }
        moved
    }

    /// The user's named views.
    pub fn bookmarks(&self) -> &Bookmarks {
        &self.bookmarks
    }

    /// The user's notes on events.
    pub fn notes(&self) -> &Notes {
        &self.notes
    }

    /// The note on `event`.
    pub fn note(&self, event: EventIdx) -> Option<&str> {
        self.notes.get(self.dataset.event(event)?.id())
    }

    /// The view as the user arranged it, to keep (see [`Command::SetView`]).
    pub fn view(&self) -> View {
        View {
            date: self.time.cursor(),
            window: self.time.width(),
            rule: self.time.rule(),
            speed_days_per_sec: self.time.speed_days_per_sec(),
            camera: self.flight.map_or(self.camera, |f| f.to),
            map_px: self.map_px,
            map_mode: self.map_mode,
            metric: self.metric,
            density: self.density_mode,
            filter: self.filter.clone(),
            selection: self.selected_id(),
            bookmarks: self.bookmarks.clone(),
            notes: self.notes.clone(),
        }
    }

    /// The map's size in pixels, once laid out.
    pub fn map_px(&self) -> Option<[f32; 2]> {
        self.map_px
    }

    /// A camera kept on a map of `kept` pixels, fitted to the map now.
    fn fitted(&self, camera: Camera, kept: Option<[f32; 2]>) -> Camera {
        match (kept, self.map_px) {
            (Some(from), Some(to)) if from != to => camera.for_map(from, to),
            _ => camera,
        }
    }

    /// The selected event's id.
    fn selected_id(&self) -> Option<String> {
        let event = self.dataset.event(self.selection?)?;
        Some(event.id().to_owned())
    }

    /// Takes a kept view whole; an event id no longer in the data selects nothing.
    fn set_view(&mut self, view: View) {
        self.flight = None;
        self.fit_requested = false;
        self.time.apply(TimeCommand::SetPlaying(false));
        self.time.apply(TimeCommand::SetWindow(view.window));
        self.time.apply(TimeCommand::SetRule(view.rule));
        self.time
            .apply(TimeCommand::SetSpeed(view.speed_days_per_sec));
        self.camera = self.fitted(view.camera, view.map_px);
        self.map_mode = view.map_mode;
        self.metric = view.metric;
        self.density_mode = view.density;
        self.filter = view.filter;
        self.bookmarks = view.bookmarks;
        self.notes = view.notes;
        self.selection = view.selection.and_then(|id| self.dataset.find_event(&id));
        self.time.apply(TimeCommand::SetCursor(view.date));
    }

    /// Whether the map is on its way to a camera ([`Command::FlyTo`]).
    pub fn is_flying(&self) -> bool {
        self.flight.is_some()
    }

    /// Starts a flight to `to`, with the date moving along from the first
    /// day to the second when given.
    fn fly(&mut self, to: Camera, days: Option<(Day, Day)>) {
        self.flight = Some(Flight {
            from: self.camera,
            to,
            days,
            elapsed: 0.0,
        });
        self.fit_requested = false;
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::Time(t) => self.time.apply(t),
            Command::Select(event) => self.select(event),
            Command::SelectPlace(place) => {
                self.refresh();
                let pick = self
                    .dataset
                    .events_at(place)
                    .find(|&e| self.is_active(e))
                    .or_else(|| self.dataset.events_at(place).next());
                self.select(pick);
            }
            Command::SetFilterText(text) => self.filter.text = text,
            Command::ToggleCategory(c) => self.filter.toggle_category(&self.dataset, c),
            Command::ShowAllCategories => self.filter.choices.clear(Facet::Category),
            Command::ToggleLayer(l) => self.filter.toggle_layer(&self.dataset, l),
            Command::FacetClick { facet, value, add } => {
                self.filter.choices.click(facet, &value, add);
            }
            Command::FacetDrop(facet, value) => self.filter.choices.toggle_drop(facet, &value),
            Command::FacetForget(facet, value) => self.filter.choices.forget(facet, &value),
            Command::ClearFacet(facet) => self.filter.choices.clear(facet),
            Command::SetFatalities(range) => self.filter.choices.fatalities = range,
            Command::SetArea(area) => self.filter.choices.area = area,
            Command::FollowMap(on) => {
                self.filter.choices.follow_map = on;
                if !on {
                    self.filter.choices.map_area = None;
                }
            }
            Command::SetMapArea(area) => {
                if self.filter.choices.follow_map {
                    self.filter.choices.map_area = area;
                }
            }
            Command::ClearFilters => self.filter = EventFilter::default(),
            Command::SetFilter(filter) => self.filter = filter,
            Command::SetMapMode(mode) => self.map_mode = mode,
            Command::SetRegionMetric(metric) => self.metric = metric,
            Command::SetPlaceRegions(regions) => {
                // Points known only to their region become those regions.
                if self.needs_place_regions() {
                    self.places = PlaceIndex::with_regions(&self.dataset, Some(&regions.0));
                    self.derived.key = None;
                }
                self.place_regions = Some(regions.0);
            }
            Command::FlyTo(to) => self.fly(to, None),
            Command::Bookmark(BookmarkCommand::Add(name)) => self.bookmarks.add(Bookmark {
                name,
                date: self.time.cursor(),
                window: self.time.width(),
                rule: self.time.rule(),
                camera: self.camera,
                map_px: self.map_px,
                filter: self.filter.clone(),
                selection: self.selected_id(),
                caption: String::new(),
                in_story: true,
            }),
            Command::Bookmark(BookmarkCommand::GoTo(i)) => {
                if let Some(b) = self.bookmarks.get(i).cloned() {
                    self.filter = b.filter;
                    self.selection = b.selection.and_then(|id| self.dataset.find_event(&id));
                    self.time.apply(TimeCommand::SetPlaying(false));
                    self.time.apply(TimeCommand::SetWindow(b.window));
                    self.time.apply(TimeCommand::SetRule(b.rule));
                    let from = self.time.cursor();
                    let to = self.fitted(b.camera, b.map_px);
                    self.fly(to, Some((from, b.date)));
                }
            }
            Command::Bookmark(edit) => self.bookmarks.edit(&edit),
            Command::SetCamera(camera) => {
                self.flight = None;
                self.camera = camera;
                self.fit_requested = false;
            }
            Command::FitToData => self.fit_requested = true,
            Command::SetDensityMode(mode) => self.density_mode = mode,
            Command::SetMapSize(size) => self.map_px = Some(size),
            Command::SetNote(event, text) => {
                if let Some(e) = self.dataset.event(event) {
                    self.notes.set(e.id(), &text);
                }
            }
            Command::SetView(view) => self.set_view(*view),
        }
    }

    fn select(&mut self, event: Option<EventIdx>) {
        let event = event.filter(|&e| self.dataset.event(e).is_some());
        self.selection = event;
        let Some(date) = event.and_then(|e| self.dataset.event(e)).map(|e| e.date()) else {
            return;
        };
        let (first, last) = self.time.window();
        if !date.overlaps(first, last) {
            if self.time.width() == WindowWidth::All {
                return;
            }
            self.time.apply(TimeCommand::SetCursor(date.end));
        }
    }

    /// Refills the regions when the window's events, the mode or the
    /// measure changed.
    fn refresh_choropleth(&mut self) {
        let (Some(level), Some(regions)) = (self.map_mode.level(), &self.place_regions) else {
            return;
        };
        let key = (self.derived.generation, self.map_mode, self.metric);
        if self
            .choropleth
            .as_ref()
            .is_some_and(|(g, m, r, _)| (*g, *m, *r) == key)
        {
            return;
        }
        let fills = Choropleth::new(
            &self.dataset,
            Arc::clone(regions),
            level,
            self.metric,
            &self.derived.active,
        );
        self.choropleth = Some((key.0, key.1, key.2, fills));
    }

    /// Recomputes the derived lists if the window, filter or selection changed.
    fn refresh(&mut self) {
        self.refresh_lists();
        self.refresh_choropleth();
        self.refresh_spread();
    }

    /// Spreads the listed events' density over their days when that is
    /// chosen and the list changed (once a filter, not once a frame).
    fn refresh_spread(&mut self) {
        if self.density_mode != DensityMode::Spread {
            self.spread = None;
            return;
        }
        let listed = self.listing.events();
        let key = (listed.as_ptr() as usize, listed.len());
        if self.spread.as_ref().is_some_and(|(k, _)| *k == key) {
            return;
        }
        let spread = DayHistogram::of_events(
            &self.dataset,
            self.index.span(),
            listed,
            DensityMode::Spread,
        );
        self.spread = Some((key, spread));
    }

    fn refresh_lists(&mut self) {
        self.listing.poll(&self.dataset, self.index.span());
        let (first, last) = self.time.window();
        // Compared in place: this runs every frame, and the filter is only
        // cloned when something changed.
        let unchanged = self
            .derived
            .key
            .as_ref()
            .is_some_and(|(f, l, rule, filter, selection)| {
                (*f, *l, *rule, *selection) == (first, last, self.time.rule(), self.selection)
                    && *filter == self.filter
            });
        if unchanged {
            return;
        }
        let rule = self.time.rule();
        let key = Some((first, last, rule, self.filter.clone(), self.selection));
        let dataset = &self.dataset;
        let matcher = self.filter.matcher(dataset);
        // Each event in the window is asked once how surely it is there.
        let mut active: Vec<EventIdx> = Vec::new();
        let mut certain: Vec<bool> = Vec::new();
        for i in self.index.overlapping(dataset, first, last) {
            let held = dataset
                .event(i)
                .and_then(|e| rule.holds(e.days(), (first, last)));
            if let Some(held) = held
                && matcher.matches(dataset, i)
            {
                active.push(i);
                certain.push(held == Certainty::Certain);
            }
        }
        self.derived.certain = certain.iter().filter(|&&c| c).count();
        self.listing
            .update(&self.dataset, self.index.span(), &self.filter);
        self.derived.place_states = place_states(dataset, &active, &certain, self.selection);
        self.derived.active_counts = active_counts(dataset, &active);
        self.derived.certain_counts = if self.derived.certain == active.len() {
            self.derived.active_counts.clone()
        } else {
            let sure: Vec<EventIdx> = active
                .iter()
                .zip(&certain)
                .filter_map(|(&i, &c)| c.then_some(i))
                .collect();
            active_counts(dataset, &sure)
        };
        self.derived.tally = self.places.tally(
            &self.derived.place_states,
            &self.derived.active_counts,
            &self.derived.certain_counts,
        );
        self.derived.active = active;
        self.derived.key = key;
        self.derived.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Atlas;

    fn seed() -> ViewState {
        let loaded = crate::load::embedded(Atlas::embedded()).expect("seed loads");
        ViewState::new(Arc::new(loaded.dataset))
    }

    fn day(text: &str) -> Day {
        Day::parse_iso(text).expect("valid test date")
    }

    fn place(state: &ViewState, name: &str) -> PlaceIdx {
        let i = state.dataset().places.iter().position(|p| p.name == name);
        u32::try_from(i.expect("place exists")).expect("small index")
    }

    #[test]
    fn the_window_decides_which_places_are_highlighted() {
        let mut state = seed();
        state.apply_all([Command::Time(TimeCommand::SetCursor(day("2025-11-27")))]);
        assert_eq!(
            state.place_state(place(&state, "Islamabad")),
            PlaceState::Active
        );
        assert_eq!(
            state.place_state(place(&state, "Kunar")),
            PlaceState::Dimmed
        );
        // The strikes of "earlier this week" (24–26 Nov) may have happened
        // on the 25th: in the window, but not certainly.
        state.apply_all([Command::Time(TimeCommand::Step(-2))]);
        assert_eq!(
            state.place_state(place(&state, "Kunar")),
            PlaceState::Possible
        );
        let kunar = state.active_counts()[place(&state, "Kunar") as usize];
        assert_eq!(kunar, 1);
    }

    /// A window of a week holds the strikes of "earlier this week" for
    /// certain; a day of it only possibly, and not at all when the window
    /// holds only what certainly happened inside it.
    #[test]
    fn the_window_rule_decides_what_a_range_of_days_counts_as() {
        let mut state = seed();
        let strikes = state
            .dataset()
            .events
            .iter()
            .find(|e| e.title().starts_with("Airstrikes in Khost"))
            .map(|e| e.index())
            .expect("the strikes");
        let kunar = place(&state, "Kunar");
        state.apply_all([
            Command::Time(TimeCommand::SetCursor(day("2025-11-27"))),
            Command::Time(TimeCommand::SetWindow(WindowWidth::Days(7))),
        ]);
        assert_eq!(state.certainty(strikes), Some(Certainty::Certain));
        assert_eq!(state.place_state(kunar), PlaceState::Active);
        let certain = state
            .active()
            .iter()
            .filter(|&&e| state.certainty(e) == Some(Certainty::Certain))
            .count();
        assert_eq!(state.certain_count(), certain);
        state.apply_all([
            Command::Time(TimeCommand::SetCursor(day("2025-11-25"))),
            Command::Time(TimeCommand::SetWindow(WindowWidth::Days(1))),
        ]);
        assert_eq!(state.certainty(strikes), Some(Certainty::Possible));
        assert_eq!(state.place_state(kunar), PlaceState::Possible);
        // Counted in the window at Kunar, but not as certain: a cluster
        // holding it shows a possible event.
        assert_eq!(state.active_counts()[kunar as usize], 1);
        assert_eq!(state.certain_counts()[kunar as usize], 0);
        let possible = state.active().len() - state.certain_count();
        assert!(possible >= 1, "{possible}");
        state.apply_all([Command::Time(TimeCommand::SetRule(
            WindowRule::CertainlyInside,
        ))]);
        assert_eq!(state.certainty(strikes), None);
        assert!(!state.is_active(strikes));
        assert_eq!(state.place_state(kunar), PlaceState::Dimmed);
        assert_eq!(state.certain_count(), state.active().len());
    }

    #[test]
    fn selecting_outside_the_window_moves_the_cursor_onto_the_event() {
        let mut state = seed();
        state.apply_all([Command::Time(TimeCommand::SetCursor(day("2025-11-27")))]);
        let war = state
            .dataset()
            .find_event("iran-israel-12-day-war")
            .expect("event");
        state.apply_all([Command::Select(Some(war))]);
        assert_eq!(state.selection(), Some(war));
        assert!(state.is_active(war));
        assert_eq!(state.time().cursor(), day("2025-06-24"));
        assert_eq!(
            state.place_state(place(&state, "Israel")),
            PlaceState::Selected
        );
    }

    #[test]
    fn selecting_a_place_prefers_its_event_in_the_window() {
        let mut state = seed();
        state.apply_all([Command::Time(TimeCommand::SetCursor(day("2025-11-27")))]);
        state.apply_all([Command::SelectPlace(place(&state, "Islamabad"))]);
        let meeting = state
            .dataset()
            .find_event("sadiq-bahrami-meeting-islamabad");
        assert_eq!(state.selection(), meeting);
        state.apply_all([Command::Select(Some(u32::MAX))]);
        assert_eq!(state.selection(), None, "an unknown event selects nothing");
    }

    #[test]
    fn a_flight_eases_the_camera_there_in_half_a_second() {
        let mut state = seed();
        let from = Camera {
            center_world: [0.5, 0.5],
            px_per_world: 1000.0,
        };
        let to = Camera {
            center_world: [0.7, 0.3],
            px_per_world: 100_000.0,
        };
        state.apply_all([Command::SetCamera(from), Command::FlyTo(to)]);
        assert!(state.is_flying());
        assert_eq!(*state.camera(), from, "nothing moves before a tick");
        state.tick(FLIGHT_SECS / 2.0);
        let half = *state.camera();
        // Half the time, half the way (eased), and the zoom by equal factors.
        assert!((half.center_world[0] - 0.6).abs() < 1e-9, "{half:?}");
        assert!((half.px_per_world - 10_000.0).abs() < 1e-6, "{half:?}");
        state.tick(FLIGHT_SECS / 4.0);
        assert!(state.camera().center_world[0] > 0.6);
        state.tick(FLIGHT_SECS);
        assert_eq!(*state.camera(), to);
        assert!(!state.is_flying());
        // Taking the map in hand ends a flight where it is.
        state.apply_all([Command::FlyTo(from)]);
        state.tick(FLIGHT_SECS / 5.0);
        let grabbed = *state.camera();
        state.apply_all([Command::SetCamera(grabbed)]);
        state.tick(FLIGHT_SECS);
        assert_eq!(*state.camera(), grabbed);
    }

    #[test]
    fn a_bookmark_brings_back_its_view_with_the_date_and_camera_flying() {
        let mut state = seed();
        let here = Camera {
            center_world: [0.62, 0.39],
            px_per_world: 4000.0,
        };
        let khost = state.dataset().find_event("airstrikes-khost-kunar-paktika");
        // (Selecting moves the date onto the event: select first.)
        state.apply_all([
            Command::Select(khost),
            Command::Time(TimeCommand::SetCursor(day("2025-11-20"))),
            Command::Time(TimeCommand::SetWindow(WindowWidth::Days(3))),
            Command::SetCamera(here),
            Command::Bookmark(BookmarkCommand::Add("Strikes".into())),
            Command::Time(TimeCommand::SetCursor(day("2025-11-27"))),
            Command::Time(TimeCommand::SetWindow(WindowWidth::Days(1))),
            Command::SetCamera(Camera::default()),
            Command::Select(None),
            Command::SetFilter(EventFilter {
                text: "larijani".into(),
                ..EventFilter::default()
            }),
            Command::Bookmark(BookmarkCommand::Add(String::new())),
        ]);
        let names = |state: &ViewState| -> Vec<String> {
            let list = state.bookmarks().list();
            list.iter().map(|b| b.name.clone()).collect()
        };
        assert_eq!(names(&state), ["Strikes", "View 2"]);
        state.apply_all([Command::Bookmark(BookmarkCommand::GoTo(0))]);
        // The filters, window and selection at once; the date and the map
        // on their way.
        assert!(state.filter().text.is_empty());
        assert_eq!(state.time().width(), WindowWidth::Days(3));
        assert_eq!(state.selection(), khost);
        assert_eq!(state.time().cursor(), day("2025-11-27"));
        state.tick(FLIGHT_SECS / 2.0);
        let midway = state.time().cursor();
        assert!(
            midway < day("2025-11-27") && midway > day("2025-11-20"),
            "{midway:?}"
        );
        assert_eq!(state.listed().len(), state.dataset().events.len());
        state.tick(FLIGHT_SECS);
        assert_eq!(state.time().cursor(), day("2025-11-20"));
        assert_eq!(*state.camera(), here);
        // Rename, reorder, delete.
        state.apply_all([
            Command::Bookmark(BookmarkCommand::Rename(1, "Larijani's week".into())),
            Command::Bookmark(BookmarkCommand::Move { from: 1, to: 0 }),
        ]);
        assert_eq!(names(&state), ["Larijani's week", "Strikes"]);
        state.apply_all([
            Command::Bookmark(BookmarkCommand::Delete(1)),
            Command::Bookmark(BookmarkCommand::Delete(5)),
            Command::Bookmark(BookmarkCommand::GoTo(0)),
        ]);
        state.tick(FLIGHT_SECS);
        assert_eq!(state.bookmarks().list().len(), 1);
        assert_eq!(state.filter().text, "larijani");
        assert_eq!(state.time().cursor(), day("2025-11-27"));
    }

    /// A bookmark kept on a wide map, gone to on a map half as wide,
    /// zooms out to show all it showed; a view taken whole does the same.
    #[test]
    fn a_kept_camera_is_fitted_to_the_map_it_comes_back_on() {
        let mut state = seed();
        let here = Camera {
            center_world: [0.69, 0.41],
            px_per_world: 20_000.0,
        };
        state.apply_all([
            Command::SetMapSize([1000.0, 600.0]),
            Command::SetCamera(here),
            Command::Bookmark(BookmarkCommand::Add("Wide".into())),
        ]);
        let mut view = state.view();
        assert_eq!(view.map_px, Some([1000.0, 600.0]));
        state.apply_all([
            Command::SetMapSize([500.0, 400.0]),
            Command::SetCamera(Camera::default()),
            Command::Bookmark(BookmarkCommand::GoTo(0)),
        ]);
        state.tick(FLIGHT_SECS);
        assert_eq!(state.camera().center_world, here.center_world);
        assert!((state.camera().px_per_world - 10_000.0).abs() < 1e-6);
        // The same map: the camera as it was.
        state.apply_all([
            Command::SetMapSize([1000.0, 600.0]),
            Command::SetView(Box::new(view.clone())),
        ]);
        assert_eq!(*state.camera(), here);
        // An older file says nothing of the map: the camera as written.
        view.map_px = None;
        state.apply_all([
            Command::SetMapSize([300.0, 300.0]),
            Command::SetView(Box::new(view)),
        ]);
        assert_eq!(*state.camera(), here);
    }

    #[test]
    fn a_view_taken_whole_gives_back_the_same_view() {
        let mut arranged = seed();
        let khost = arranged
            .dataset()
            .find_event("airstrikes-khost-kunar-paktika");
        let here = Camera {
            center_world: [0.61, 0.4],
            px_per_world: 3000.0,
        };
        arranged.apply_all([
            Command::SetCamera(here),
            Command::Bookmark(BookmarkCommand::Add("Here".into())),
            Command::Bookmark(BookmarkCommand::SetCaption(0, "**Khost**".into())),
            Command::Select(khost),
            Command::SetNote(khost.expect("the strikes"), "three provinces".into()),
            Command::Time(TimeCommand::SetWindow(WindowWidth::Days(7))),
            Command::Time(TimeCommand::SetSpeed(4.0)),
            Command::SetMapMode(MapMode::Countries),
            Command::SetFilterText("strike".into()),
        ]);
        let view = arranged.view();
        assert_eq!(
            view.selection.as_deref(),
            Some("airstrikes-khost-kunar-paktika")
        );
        let mut fresh = seed();
        fresh.apply_all([Command::SetView(Box::new(view.clone()))]);
        assert_eq!(fresh.view(), view);
        assert_eq!(fresh.selection(), khost);
        assert_eq!(
            fresh.note(khost.expect("the strikes")),
            Some("three provinces")
        );
        assert_eq!(fresh.active(), arranged.active());
        assert_eq!(fresh.bookmarks().slides(), [0]);
    }

    #[test]
    fn playback_ticks_refresh_the_window_like_a_cursor_command() {
        let mut ticked = seed();
        let mut commanded = seed();
        for state in [&mut ticked, &mut commanded] {
            state.apply_all([Command::Time(TimeCommand::SetCursor(day("2025-11-23")))]);
        }
        let kunar = place(&ticked, "Kunar");
        assert_eq!(ticked.place_state(kunar), PlaceState::Dimmed);
        ticked.apply_all([Command::Time(TimeCommand::SetPlaying(true))]);
        let speed = ticked.time().speed_days_per_sec();
        assert!(
            ticked.tick(1.5 / speed),
            "a day and a half of playback moves one day"
        );
        commanded.apply_all([Command::Time(TimeCommand::SetCursor(day("2025-11-24")))]);
        assert_eq!(ticked.time().cursor(), day("2025-11-24"));
        assert_eq!(ticked.active(), commanded.active());
        assert_eq!(ticked.place_states(), commanded.place_states());
        assert_eq!(ticked.active_counts(), commanded.active_counts());
        assert_eq!(ticked.place_state(kunar), PlaceState::Possible);
        assert!(!commanded.tick(1.0), "nothing moves while paused");
    }

    #[test]
    fn hidden_categories_leave_the_list_and_the_map() {
        let mut state = seed();
        state.apply_all([Command::Time(TimeCommand::SetCursor(day("2025-11-25")))]);
        let strikes = state
            .dataset()
            .find_event("airstrikes-khost-kunar-paktika")
            .expect("event");
        let category = state.dataset().events.at(strikes as usize).category();
        state.apply_all([Command::ToggleCategory(category)]);
        assert!(!state.listed().contains(&strikes));
        assert_eq!(
            state.place_state(place(&state, "Khost")),
            PlaceState::Dimmed
        );
        state.apply_all([Command::ShowAllCategories]);
        assert!(state.is_active(strikes));
    }
}
