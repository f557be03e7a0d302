//! The event data model: events, the places they name, and the dataset that
//! holds them. No IO and no egui here; loaders build these, views read them.

mod area;
mod columns;
mod dataset;
mod date;
mod events;
mod extra;
mod facets;
pub mod fast_hash;
mod lists;
mod name;
mod notes;
mod place;
mod place_regions;
mod places;
mod repeats;
mod text;

pub use area::{Area, AreaError, PolygonLonLat};
pub use dataset::{Dataset, DatasetBuilder, FacetCache, PlaceEvents};
pub use date::{DateSpan, Day, Precision, days_in_month, month_name};
pub use events::{EventRef, Events, Iter as EventIter, OwnTexts, SourceRef, Sources};
pub use extra::{Extra, ExtraGroup, ExtraInterner, ExtraKeys, ExtraRef, Fields, FieldsText};
pub use facets::{Facet, FacetIndex, FacetValues, ProvinceNamer, RegionPoint, values_named};
pub use lists::{Lists, NameList, PlaceList, SharedList, SourceList};
pub use name::{Name, Names, TitleSharing};
pub use notes::Notes;
pub use place::{LocationPrecision, PlaceKind, PlacePrecision, RegionId, RegionLevel};
pub use place_regions::{NO_REGION, PlaceRegions};
pub use places::{PlaceRef, Places};
pub use repeats::Repeats;
pub use text::Text;

/// Index of a place in [`Dataset::places`].
pub type PlaceIdx = u32;
/// Index of an event in [`Dataset::events`].
pub type EventIdx = u32;
/// Index of a category in [`Dataset::categories`].
pub type CategoryIdx = u16;

/// One reported event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Stable identifier from the source (or made up from its line).
    pub id: Text,
    /// A one-line headline (shared: ACLED's are built from the event type
    /// and the place, and repeat).
    pub title: Name,
    /// A few sentences in the curator's words.
    pub summary: Text,
    /// When it happened, with the source's precision.
    pub date: DateSpan,
    /// Where it happened; may be empty (the event is then on the timeline only).
    pub places: PlaceList,
    /// People, groups and institutions involved.
    pub actors: NameList,
    /// What kind of event it is, as an index into [`Dataset::categories`].
    pub category: CategoryIdx,
    /// Deaths and injuries where the source gives them.
    pub casualties: Option<Casualties>,
    /// Who reported it.
    pub sources: SourceList,
    /// Words quoted verbatim, with who said them.
    pub quotes: Quotes,
    /// Further fields a format carries that the model has no slot for
    /// (ACLED's `geo_precision`, GDELT's `QuadClass`...), shown in the details.
    pub extra: Extra,
}

impl Event {
    /// An event with an id and a date and nothing else: no title, places,
    /// actors, sources or fields, the first category. Set the rest with
    /// `Event { title, ..Event::new(id, date) }`.
    pub fn new(id: impl Into<Text>, date: DateSpan) -> Self {
        Self {
            id: id.into(),
            title: Name::default(),
            summary: Text::default(),
            date,
            places: PlaceList::default(),
            actors: NameList::default(),
            category: 0,
            casualties: None,
            sources: SourceList::default(),
            quotes: Quotes::default(),
            extra: Extra::default(),
        }
    }
}

/// Deaths and injuries as reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Casualties {
    /// People killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    /// People injured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
    /// Who they were, in the source's terms ("nine children and one woman").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Name>,
}

/// A source that reported or stated something.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// The outlet or account ("Al Jazeera", "ISPR"); shared, since a file
    /// names the same few outlets on every row.
    pub name: Name,
    /// What kind of source ("news report", "post on X", "official statement").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Name>,
    /// Where to read it (a thin pointer: a GDELT row's link is its own, and
    /// a list of one source is then forty bytes and the link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Name>,
}

/// An event's quotes. Most events have none, so the list is one thin
/// pointer, null when empty: eight bytes an event rather than sixteen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quotes(Option<Box<Box<[Quote]>>>);

impl std::ops::Deref for Quotes {
    type Target = [Quote];

    fn deref(&self) -> &[Quote] {
        self.0.as_deref().map_or(&[], |quotes| quotes)
    }
}

impl<'a> IntoIterator for &'a Quotes {
    type Item = &'a Quote;
    type IntoIter = std::slice::Iter<'a, Quote>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl From<Vec<Quote>> for Quotes {
    fn from(quotes: Vec<Quote>) -> Self {
        Self((!quotes.is_empty()).then(|| Box::new(quotes.into_boxed_slice())))
    }
}

impl serde::Serialize for Quotes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Quotes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Quote>::deserialize(deserializer).map(Self::from)
    }
}

/// Words quoted verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    /// Who said it.
    pub speaker: String,
    /// Exactly what was said.
    pub text: String,
    /// Where or how it was said ("post on X", "interview").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// Where a place is on the map.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    /// A point, in degrees (longitude, latitude).
    Point { lon_lat: [f64; 2] },
    /// A country or province of the basemap, drawn as its polygon.
    Region(RegionId),
    /// An area the file drew itself, drawn like a province; shared, since
    /// an outline can be large and many events may name it.
    Area(std::sync::Arc<Area>),
}

/// A place named by one or more events.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The name shown on the map and in the details.
    pub name: Name,
    /// City, province or country (as the source or the gazetteer said).
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 code of its country, where known (shared: a
    /// file names a few hundred at most).
    pub country: Option<Name>,
    /// Where it is; `None` when nothing resolved it.
    pub location: Option<Location>,
    /// How precisely the source placed it there.
    pub precision: PlacePrecision,
}
