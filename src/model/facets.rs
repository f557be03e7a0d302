//! The values each event takes in each facet (its actors, its country, its
//! province, …), numbered per facet, so that choosing values and counting
//! events by value are array lookups rather than reading names.
//!
//! Built once per dataset, on first need ([`Dataset::facets`]): a million
//! events are read once, and every filter and count after that reads a few
//! numbers an event.

use std::collections::HashMap;
use std::sync::Arc;

use super::fast_hash::FastBuild;
use super::{Dataset, EventRef, PlaceKind};

/// A field of the events that the user can choose values of.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// The event's category (ACLED's event type).
    Category,
    /// A finer kind within the category (ACLED's sub-event type).
    SubType,
    /// Every actor the event names, on either side or associated.
    Actor,
    /// The country of the event's places (an ISO 3166-1 code).
    Country,
    /// The province (admin-1 region) of the event's places.
    Province,
    /// The outlets the event's sources name.
    Source,
    /// The file the event came from.
    Layer,
    /// How precisely its date is known.
    DatePrecision,
    /// How precisely its place is known.
    LocationPrecision,
}

impl Facet {
    /// Every facet, in the order the facets panel shows them.
    pub const ALL: [Facet; 9] = [
        Facet::Category,
        Facet::SubType,
        Facet::Actor,
        Facet::Country,
        Facet::Province,
        Facet::Source,
        Facet::Layer,
        Facet::DatePrecision,
        Facet::LocationPrecision,
    ];

    /// Its name in the panel, the filter chips and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Category => "category",
            Facet::SubType => "sub-type",
            Facet::Actor => "actor",
            Facet::Country => "country",
            Facet::Province => "province",
            Facet::Source => "source",
            Facet::Layer => "layer",
            Facet::DatePrecision => "date precision",
            Facet::LocationPrecision => "location precision",
        }
    }

    /// Where the facet sits in [`Facet::ALL`].
    pub fn position(self) -> usize {
        self as usize
    }

    /// The value an event without one takes (no actor named, a point
    /// outside every province known): counted, never dropped.
    pub fn unknown(self) -> &'static str {
        match self {
            Facet::Province => "unknown province",
            Facet::Country => "unknown country",
            Facet::Actor => "no actor",
            Facet::Source => "no source",
            Facet::SubType => "no sub-type",
            Facet::LocationPrecision => "no place",
            _ => "unknown",
        }
    }
}

/// `name` in lower case with only its letters and digits: how two
/// spellings of one name are found alike.
fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Extra fields that hold a province's name, as the formats write them.
const PROVINCE_FIELDS: &[&str] = &["admin1", "province", "state", "region_name"];
/// Extra fields that hold a sub-type.
const SUB_TYPE_FIELDS: &[&str] = &["sub_event_type", "sub_type", "subtype"];

/// The values of one facet: their names, and each event's value numbers.
#[derive(Clone, Debug, Default)]
pub struct FacetValues {
    names: Vec<String>,
    /// Event `e`'s values are `ids[starts[e]..starts[e + 1]]`, or with no
    /// `starts` (a facet of one value an event), `ids[e]`.
    starts: Vec<u32>,
    ids: Vec<u32>,
    /// How many events take each value.
    totals: Vec<u32>,
}

impl FacetValues {
    /// How many values there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there is none (a dataset without events).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The name of value `id`.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// The number of the value with this name, exactly as written.
    pub fn id(&self, name: &str) -> Option<u32> {
        let at = self.names.iter().position(|n| n == name)?;
        u32::try_from(at).ok()
    }

    /// The numbers of the values `name` stands for: the one written so,
    /// else those written alike but for case, spaces and punctuation
    /// ("Khyber-Pakhtunkhwa" for "Khyber Pakhtunkhwa": a basemap region's
    /// name and a file's spelling of it).
    pub fn ids_like(&self, name: &str) -> Vec<u32> {
        if let Some(id) = self.id(name) {
            return vec![id];
        }
        let key = loose(name);
        if key.is_empty() {
            return Vec::new();
        }
        (0..self.names.len())
            .filter(|&i| self.names.get(i).is_some_and(|n| loose(n) == key))
            .filter_map(|i| u32::try_from(i).ok())
            .collect()
    }

    /// The values' names, by number.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The values of event `e` (at least one: an event without any takes
    /// the facet's "unknown" value).
    pub fn of(&self, e: usize) -> &[u32] {
        if self.starts.is_empty() {
            return self.ids.get(e..=e).unwrap_or_default();
        }
        let (Some(&from), Some(&to)) = (self.starts.get(e), self.starts.get(e + 1)) else {
            return &[];
        };
        self.ids.get(from as usize..to as usize).unwrap_or_default()
    }

    /// How many events take each value, by number.
    pub fn totals(&self) -> &[u32] {
        &self.totals
    }
}

/// Every facet's values, and each event's fatalities.
#[derive(Clone, Debug, Default)]
pub struct FacetIndex {
    facets: Vec<FacetValues>,
    /// People killed, by event (`None`: the source says nothing).
    fatalities: Vec<Option<u32>>,
}

impl FacetIndex {
    /// The values of `facet`.
    pub fn values(&self, facet: Facet) -> &FacetValues {
        static EMPTY: FacetValues = FacetValues {
            names: Vec::new(),
            starts: Vec::new(),
            ids: Vec::new(),
            totals: Vec::new(),
        };
        self.facets.get(facet.position()).unwrap_or(&EMPTY)
    }

    /// The people killed in event `e`, where the source says.
    pub fn fatalities(&self, e: usize) -> Option<u32> {
        self.fatalities.get(e).copied().flatten()
    }

    /// The index of `dataset`'s events; with `provinces`, a place the data
    /// gives no province is put in the one it names.
    pub fn of(dataset: &Dataset, provinces: Option<&ProvinceNamer>) -> Self {
        let mut builders: Vec<Builder> = Facet::ALL.iter().map(|&f| Builder::new(f)).collect();
        // Categories and layers are numbered by the dataset already.
        builders[Facet::Category.position()].names = dataset.categories.clone();
        builders[Facet::Layer.position()].names = if dataset.layers.is_empty() {
            vec![dataset.title.clone()]
        } else {
            dataset.layers.clone()
        };
        let mut lists = SharedLists::default();
        let mut fatalities = Vec::with_capacity(dataset.events.len());
        let mut values = Vec::new();
        for event in dataset.events.iter() {
            let fields = Fields::of(event);
            for facet in Facet::ALL {
                let builder = &mut builders[facet.position()];
                // Lists that events share are numbered once a list.
                let shared = match facet {
                    Facet::Actor => Some((&mut lists.actors, event.actors().as_ptr() as usize)),
                    Facet::Source => Some((&mut lists.sources, event.sources().key() as usize)),
                    Facet::Country => Some((&mut lists.countries, event.places_key() as usize)),
                    _ => None,
                };
                if let Some((known, key)) = &shared
                    && let Some(ids) = known.get(key)
                {
                    builder.push_ids(ids);
                    continue;
                }
                values.clear();
                values_of(dataset, event, facet, &fields, &mut values);
                if facet == Facet::Province && values.is_empty() {
                    values.extend(
                        event
                            .places()
                            .iter()
                            .filter_map(|&p| provinces.and_then(|name| name(dataset, p)))
                            .map(Value::Named),
                    );
                }
                let ids = builder.push(&values);
                if let Some((known, key)) = shared
                    && known.len() < SHARED_LISTS_KEPT
                {
                    known.insert(key, ids.into());
                }
            }
            fatalities.push(event.casualties().and_then(|c| c.killed));
        }
        Self {
            facets: builders.into_iter().map(Builder::finish).collect(),
            fatalities,
        }
    }
}

/// The names of the values event `event` takes in `facet`, each once, as
/// [`FacetIndex::of`] gives them but for the facet's "unknown" value (where
/// it takes none, the list is empty), found for this one event: for a
/// caller that needs a few facets of every event once and not the whole
/// index. The province is the one the data gives (no basemap is asked).
pub fn values_named<'a>(dataset: &'a Dataset, event: EventRef<'a>, facet: Facet) -> Vec<&'a str> {
    let mut values = Vec::new();
    let fields = match facet {
        Facet::Province | Facet::SubType => Fields::of(event),
        _ => Fields::default(),
    };
    values_of(dataset, event, facet, &fields, &mut values);
    let mut names: Vec<&'a str> = Vec::with_capacity(values.len());
    for value in values {
        let name = match value {
            Value::Named(name) => name,
            Value::Numbered(n) => match facet {
                Facet::Layer if dataset.layers.is_empty() => dataset.title.as_str(),
                Facet::Layer => dataset.layers.get(n as usize).map_or("", String::as_str),
                _ => dataset
                    .categories
                    .get(n as usize)
                    .map_or("", String::as_str),
            },
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The province a place lies in, by its location (a point, a region, an
/// area), where the data does not say: what the map's provinces mode counts
/// it in. Given by a layer that knows the basemap (`scene::province_namer`,
/// which finds every place's region once, then answers by a lookup).
pub type ProvinceNamer = Arc<dyn Fn(&Dataset, u32) -> Option<&'static str> + Send + Sync>;

/// Where a basemap region lies, `[lon, lat]` (its label point): what an
/// area filter tests a place named only as a province or country by.
pub type RegionPoint = Arc<dyn Fn(super::RegionId) -> Option<[f64; 2]> + Send + Sync>;

/// How many shared lists of each kind [`SharedLists`] keeps the values of
/// (a file whose every event has lists of its own would only fill it).
const SHARED_LISTS_KEPT: usize = 1 << 16;

/// The value numbers of the shared lists seen so far, by the list's address.
#[derive(Default)]
struct SharedLists {
    actors: HashMap<usize, Box<[u32]>, FastBuild>,
    sources: HashMap<usize, Box<[u32]>, FastBuild>,
    countries: HashMap<usize, Box<[u32]>, FastBuild>,
}

/// The extra fields a facet reads, found in one pass over the event's.
#[derive(Default)]
struct Fields<'a> {
    province: Option<&'a str>,
    sub_type: Option<&'a str>,
}

impl<'a> Fields<'a> {
    fn of(event: EventRef<'a>) -> Self {
        let mut fields = Self::default();
        let extra = event.extra();
        if extra.is_empty() {
            return fields;
        }
        for (key, value) in extra.iter() {
            let slot = if PROVINCE_FIELDS.contains(&key) {
                &mut fields.province
            } else if SUB_TYPE_FIELDS.contains(&key) {
                &mut fields.sub_type
            } else {
                continue;
            };
            slot.get_or_insert(value);
        }
        fields
    }
}

/// A value of an event in a facet, as [`values_of`] finds it: a number
/// the dataset gave it already, or a name.
enum Value<'a> {
    Numbered(u32),
    Named(&'a str),
}

/// The values event `event` takes in `facet`, into `out`.
fn values_of<'a>(
    dataset: &'a Dataset,
    event: EventRef<'a>,
    facet: Facet,
    fields: &Fields<'a>,
    out: &mut Vec<Value<'a>>,
) {
    let places = || event.places().iter().filter_map(|&p| dataset.place(p));
    match facet {
        Facet::Category => out.push(Value::Numbered(u32::from(event.category()))),
        Facet::Layer => out.push(Value::Numbered(u32::from(dataset.layer_of(event.index())))),
        Facet::DatePrecision => out.push(Value::Named(event.date().precision.name())),
        Facet::Actor => out.extend(event.actors().iter().map(|a| Value::Named(a.as_str()))),
        Facet::Source => out.extend(event.sources().iter().map(|s| Value::Named(s.name))),
        Facet::Country => out.extend(
            places()
                .filter_map(|p| p.country)
                .map(|c| Value::Named(c.as_str())),
        ),
        Facet::Province => match fields.province {
            Some(name) => out.push(Value::Named(name)),
            None => out.extend(
                places()
                    .filter(|p| p.kind == PlaceKind::Province)
                    .map(|p| Value::Named(p.name)),
            ),
        },
        Facet::SubType => out.extend(fields.sub_type.map(Value::Named)),
        // By the first place, as the map and `check` count it.
        Facet::LocationPrecision => out.extend(
            dataset
                .location_precision_of(event)
                .map(|p| Value::Named(p.words())),
        ),
    }
    out.retain(|v| !matches!(v, Value::Named(name) if name.trim().is_empty()));
}

/// One facet's values as they are found, event after event.
struct Builder {
    facet: Facet,
    names: Vec<String>,
    by_name: HashMap<String, u32, FastBuild>,
    starts: Vec<u32>,
    ids: Vec<u32>,
    /// Whether some event took more or fewer than one value.
    several: bool,
    /// The "unknown" value's number, once an event needed it.
    unknown: Option<u32>,
}

impl Builder {
    fn new(facet: Facet) -> Self {
        Self {
            facet,
            names: Vec::new(),
            by_name: HashMap::default(),
            starts: vec![0],
            ids: Vec::new(),
            several: false,
            unknown: None,
        }
    }

    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.to_owned());
        self.by_name.insert(name.to_owned(), id);
        id
    }

    /// Adds an event with these value numbers (a shared list's, found before).
    fn push_ids(&mut self, ids: &[u32]) {
        self.ids.extend_from_slice(ids);
        self.several |= ids.len() != 1;
        self.starts
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
    }

    /// Adds an event with these values; returns their numbers.
    fn push(&mut self, values: &[Value<'_>]) -> &[u32] {
        let first = self.ids.len();
        for value in values {
            let id = match *value {
                Value::Numbered(id) => id,
                Value::Named(name) => self.id(name),
            };
            // An event names a value once, however often its lists do.
            if !self.ids.get(first..).is_some_and(|ids| ids.contains(&id)) {
                self.ids.push(id);
            }
        }
        if self.ids.len() == first {
            let unknown = match self.unknown {
                Some(id) => id,
                None => {
                    let id = self.id(self.facet.unknown());
                    self.unknown = Some(id);
                    id
                }
            };
            self.ids.push(unknown);
        }
        self.several |= self.ids.len() != first + 1;
        self.starts
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        self.ids.get(first..).unwrap_or_default()
    }

    fn finish(self) -> FacetValues {
        let mut totals = vec![0_u32; self.names.len()];
        for &id in &self.ids {
            if let Some(n) = totals.get_mut(id as usize) {
                *n += 1;
            }
        }
        FacetValues {
            names: self.names,
            starts: if self.several {
                self.starts
            } else {
                Vec::new()
            },
            ids: self.ids,
            totals,
        }
    }
}
