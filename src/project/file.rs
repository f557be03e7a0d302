//! The project file's shape, version 1, as serde reads and writes it
//! (documented in `data/FORMAT.md`, with `data/chronomap-project.schema.json`).
//! It mirrors the view's types rather than deriving serde on them, so the
//! file's names stay put when the code's move.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::load::ColumnMapping;
use crate::load::dates::SlashOrder;
use crate::model::{Day, Facet};
use crate::scene::{Camera, MapMode, RegionMetric};
use crate::state::{Bookmark, Bookmarks, Notes, View};
use crate::time::{Choice, Choices, DensityMode, EventFilter, LonLatBox, Range};
use crate::time::{WindowRule, WindowWidth};

/// The version this build writes; it reads this one and every older one.
pub const VERSION: u32 = 1;

/// The first thing read: which version the rest is in.
#[derive(Deserialize)]
pub(super) struct Header {
    pub chronomap_project: Option<u32>,
}

/// A whole project file.
#[derive(Serialize, Deserialize)]
pub(super) struct ProjectFile {
    /// The version the file is written in.
    pub chronomap_project: u32,
    /// The open files, each a layer; none: the embedded dataset.
    #[serde(default)]
    pub files: Vec<FileEntry>,
    /// How the files were read.
    #[serde(default)]
    pub load: LoadFile,
    pub view: ViewFile,
    #[serde(default)]
    pub bookmarks: Vec<BookmarkFile>,
    /// Notes by event id.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
}

/// One open file, and what it was like when the project was saved.
#[derive(Serialize, Deserialize)]
pub(super) struct FileEntry {
    /// Relative to the project file when it lies beside or below it.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Seconds since 1970, UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<u64>,
}

/// How to read the files: the command line's `--day-first` and `--col-*`.
#[derive(Serialize, Deserialize, Default)]
pub(super) struct LoadFile {
    #[serde(default, serialize_with = "word_out", deserialize_with = "word_in")]
    pub dates: SlashOrder,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnsFile>,
}

/// The columns named for each role.
#[derive(Serialize, Deserialize, Default)]
pub(super) struct ColumnsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// The date, window, map and filters.
#[derive(Serialize, Deserialize)]
pub(super) struct ViewFile {
    #[serde(serialize_with = "word_out", deserialize_with = "word_in")]
    pub date: Day,
    #[serde(serialize_with = "word_out", deserialize_with = "word_in")]
    pub window: WindowWidth,
    #[serde(default, serialize_with = "word_out", deserialize_with = "word_in")]
    pub rule: WindowRule,
    #[serde(default = "default_speed")]
    pub speed_days_per_sec: f64,
    pub camera: CameraFile,
    #[serde(default, serialize_with = "word_out", deserialize_with = "word_in")]
    pub map_mode: MapMode,
    #[serde(default, serialize_with = "word_out", deserialize_with = "word_in")]
    pub region_metric: RegionMetric,
    #[serde(default, serialize_with = "word_out", deserialize_with = "word_in")]
    pub density: DensityMode,
    #[serde(default)]
    pub filter: FilterFile,
    /// The selected event's id.
    #[serde(default)]
    pub selection: Option<String>,
}

fn default_speed() -> f64 {
    2.0
}

/// Where the map looks, in Web Mercator world units (the world is one
/// unit wide, 0 at 180° W and at the top).
#[derive(Serialize, Deserialize)]
pub(super) struct CameraFile {
    pub center_world: [f64; 2],
    #[serde(deserialize_with = "positive_in")]
    pub px_per_world: f64,
    /// The map's size in pixels it was framed on: a smaller map zooms out
    /// to show all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_px: Option<[f32; 2]>,
}

/// The search and the choices by value.
#[derive(Serialize, Deserialize, Default)]
pub(super) struct FilterFile {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// By facet name: `category`, `actor`, `layer`, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facets: BTreeMap<Worded<Facet>, ChoiceFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<RangeFile>,
    /// West, south, east, north in degrees.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "area_out",
        deserialize_with = "area_in"
    )]
    pub area: Option<LonLatBox>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub follow_map: bool,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// Values kept and dropped in one facet.
#[derive(Serialize, Deserialize, Default)]
pub(super) struct ChoiceFile {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub keep: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub drop: BTreeSet<String>,
}

/// A range of fatalities, both ends included.
#[derive(Serialize, Deserialize)]
pub(super) struct RangeFile {
    #[serde(default)]
    pub min: u32,
    #[serde(default)]
    pub max: Option<u32>,
}

/// A named view, and its place in the story.
#[derive(Serialize, Deserialize)]
pub(super) struct BookmarkFile {
    pub name: String,
    #[serde(serialize_with = "word_out", deserialize_with = "word_in")]
    pub date: Day,
    #[serde(serialize_with = "word_out", deserialize_with = "word_in")]
    pub window: WindowWidth,
    #[serde(default, serialize_with = "word_out", deserialize_with = "word_in")]
    pub rule: WindowRule,
    pub camera: CameraFile,
    #[serde(default)]
    pub filter: FilterFile,
    #[serde(default)]
    pub selection: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    #[serde(default = "yes")]
    pub in_story: bool,
}

fn yes() -> bool {
    true
}

impl ProjectFile {
    /// The file for `view`, with its files and loader options.
    pub fn new(files: Vec<FileEntry>, load: LoadFile, view: &View) -> Self {
        Self {
            chronomap_project: VERSION,
            files,
            load,
            view: ViewFile {
                date: view.date,
                window: view.window,
                rule: view.rule,
                speed_days_per_sec: view.speed_days_per_sec,
                camera: CameraFile::new(&view.camera, view.map_px),
                map_mode: view.map_mode,
                region_metric: view.metric,
                density: view.density,
                filter: FilterFile::from(&view.filter),
                selection: view.selection.clone(),
            },
            bookmarks: view
                .bookmarks
                .list()
                .iter()
                .map(BookmarkFile::from)
                .collect(),
            notes: view
                .notes
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// The view it holds (its values were checked as they were read).
    pub fn view(self) -> View {
        let v = self.view;
        let bookmarks = self.bookmarks.into_iter().map(BookmarkFile::bookmark);
        View {
            date: v.date,
            window: v.window,
            rule: v.rule,
            speed_days_per_sec: v.speed_days_per_sec,
            camera: v.camera.camera(),
            map_px: v.camera.map_px,
            map_mode: v.map_mode,
            metric: v.region_metric,
            density: v.density,
            filter: v.filter.filter(),
            selection: v.selection,
            bookmarks: Bookmarks::from_list(bookmarks.collect()),
            notes: self.notes.into_iter().collect::<Notes>(),
        }
    }
}

impl BookmarkFile {
    fn bookmark(self) -> Bookmark {
        Bookmark {
            name: self.name,
            date: self.date,
            window: self.window,
            rule: self.rule,
            camera: self.camera.camera(),
            map_px: self.camera.map_px,
            filter: self.filter.filter(),
            selection: self.selection,
            caption: self.caption,
            in_story: self.in_story,
        }
    }
}

impl From<&Bookmark> for BookmarkFile {
    fn from(b: &Bookmark) -> Self {
        Self {
            name: b.name.clone(),
            date: b.date,
            window: b.window,
            rule: b.rule,
            camera: CameraFile::new(&b.camera, b.map_px),
            filter: FilterFile::from(&b.filter),
            selection: b.selection.clone(),
            caption: b.caption.clone(),
            in_story: b.in_story,
        }
    }
}

impl CameraFile {
    fn new(c: &Camera, map_px: Option<[f32; 2]>) -> Self {
        Self {
            center_world: c.center_world,
            px_per_world: c.px_per_world,
            map_px,
        }
    }
}

impl CameraFile {
    fn camera(&self) -> Camera {
        Camera {
            center_world: self.center_world,
            px_per_world: self.px_per_world,
        }
    }
}

impl From<&EventFilter> for FilterFile {
    fn from(f: &EventFilter) -> Self {
        let c = &f.choices;
        Self {
            text: f.text.clone(),
            facets: c
                .chosen()
                .map(|(facet, choice)| {
                    let file = ChoiceFile {
                        keep: choice.keep.clone(),
                        drop: choice.drop.clone(),
                    };
                    (Worded(facet), file)
                })
                .collect(),
            fatalities: c.fatalities.map(|r| RangeFile {
                min: r.min,
                max: r.max,
            }),
            area: c.area,
            follow_map: c.follow_map,
        }
    }
}

impl FilterFile {
    fn filter(self) -> EventFilter {
        let mut choices = Choices::default();
        for (Worded(facet), choice) in self.facets {
            choices.set(
                facet,
                Choice {
                    keep: choice.keep,
                    drop: choice.drop,
                },
            );
        }
        choices.fatalities = self.fatalities.map(|r| Range {
            min: r.min,
            max: r.max,
        });
        choices.area = self.area;
        choices.follow_map = self.follow_map;
        EventFilter {
            text: self.text,
            choices,
        }
    }
}

impl LoadFile {
    /// The file's form of the loader options.
    pub fn new(dates: SlashOrder, mapping: Option<&ColumnMapping>) -> Self {
        Self {
            dates,
            columns: mapping.map(|m| ColumnsFile {
                date: m.date.clone(),
                end: m.end.clone(),
                lat: m.lat.clone(),
                lon: m.lon.clone(),
                title: m.title.clone(),
                place: m.place.clone(),
            }),
        }
    }

    /// The column mapping it names.
    pub fn mapping(&self) -> Option<ColumnMapping> {
        self.columns.as_ref().map(|c| ColumnMapping {
            date: c.date.clone(),
            end: c.end.clone(),
            lat: c.lat.clone(),
            lon: c.lon.clone(),
            title: c.title.clone(),
            place: c.place.clone(),
        })
    }
}

/// A value the file writes as a word, and reads back with a message that
/// says what was expected (serde adds the line and column).
trait Word: Sized {
    fn word(&self) -> String;
    fn from_word(text: &str) -> Result<Self, String>;
}

/// A value written as its word, where serde needs a type (a map's key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Worded<T>(pub T);

impl<T: Word> Serialize for Worded<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        word_out(&self.0, s)
    }
}

impl<'de, T: Word> Deserialize<'de> for Worded<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        word_in(d).map(Worded)
    }
}

impl Word for Facet {
    fn word(&self) -> String {
        self.name().to_owned()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Facet::ALL
            .into_iter()
            .find(|f| f.name() == t)
            .ok_or_else(|| format!("'{t}' is not a facet"))
    }
}

/// A zoom: a number above 0.
fn positive_in<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(D::Error::custom(format!("{v} is not a number above 0")))
    }
}

#[expect(
    clippy::ref_option,
    reason = "serde's serialize_with takes the field by reference"
)]
fn area_out<S: Serializer>(area: &Option<LonLatBox>, s: S) -> Result<S::Ok, S::Error> {
    area.map(|b| [b.west, b.south, b.east, b.north])
        .serialize(s)
}

/// West, south, east, north in degrees, a box of the world.
fn area_in<'de, D: Deserializer<'de>>(d: D) -> Result<Option<LonLatBox>, D::Error> {
    let Some([w, s, e, n]) = Option::<[f64; 4]>::deserialize(d)? else {
        return Ok(None);
    };
    LonLatBox::new(w, s, e, n).map(Some).ok_or_else(|| {
        D::Error::custom("west, south, east, north in degrees, south not north of north")
    })
}

fn word_out<T: Word, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.word())
}

fn word_in<'de, T: Word, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    T::from_word(&text).map_err(D::Error::custom)
}

impl Word for Day {
    fn word(&self) -> String {
        self.to_string()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Day::parse_iso(t).ok_or_else(|| format!("'{t}' is not a date in the form YYYY-MM-DD"))
    }
}

impl Word for WindowWidth {
    fn word(&self) -> String {
        self.name()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Self::parse(t)
    }
}

impl Word for WindowRule {
    fn word(&self) -> String {
        self.name()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Self::parse(t)
    }
}

impl Word for MapMode {
    fn word(&self) -> String {
        self.name().to_owned()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Self::from_name(t)
            .ok_or_else(|| format!("'{t}' is not a map mode: points, provinces or countries"))
    }
}

impl Word for RegionMetric {
    fn word(&self) -> String {
        self.name().to_owned()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Self::from_name(t)
            .ok_or_else(|| format!("'{t}' is not a region measure: events or fatalities"))
    }
}

impl Word for DensityMode {
    fn word(&self) -> String {
        self.name().to_owned()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        Self::from_name(t).ok_or_else(|| format!("'{t}' is not a density: every-day or spread"))
    }
}

impl Word for SlashOrder {
    fn word(&self) -> String {
        match self {
            SlashOrder::DayFirst => "day-first",
            SlashOrder::MonthFirst => "month-first",
            SlashOrder::Undecided => "undecided",
        }
        .to_owned()
    }
    fn from_word(t: &str) -> Result<Self, String> {
        match t {
            "day-first" => Ok(SlashOrder::DayFirst),
            "month-first" => Ok(SlashOrder::MonthFirst),
            "undecided" => Ok(SlashOrder::Undecided),
            _ => Err(format!(
                "'{t}' is not a date order: day-first, month-first or undecided"
            )),
        }
    }
}
