//! `gen-events`: writes N synthetic events for the load benchmarks, in any
//! of the formats chronomap reads: ACLED's 31-column CSV, chronomap JSON,
//! GDELT 2.0 (61 fields) and 1.0 daily (58 fields) TSV, a plain CSV table and
//! GeoJSON.
//!
//! The events cluster around real cities of the embedded gazetteer (weighted
//! by population) in twelve countries of South Asia, the Middle East and
//! Myanmar from 2018 to 2024, with bursts of activity, every ACLED event and
//! sub-event type, actors, admin areas, sources and notes of realistic
//! length. Everything comes from fixed-seed PRNGs, so the same arguments
//! always give byte-identical output; every format holds the same events.
//!
//! By default events share a few thousand spots around the cities, as
//! ACLED's geocoded data does. `--distinct-places PCT` gives the file
//! PCT% as many distinct places as rows instead (100: a place per row, as
//! GPS-located data has), since a loader tuned on shared places can be slow
//! where every value is distinct.
//!
//! ```text
//! cargo run --release --bin gen-events -- --rows 1000000 --format acled --seed 42 --out FILE
//! cargo run --release --bin gen-events -- --rows 1000000 --format gdelt2 --distinct-places 100 --out FILE
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use chronomap::atlas::{Atlas, City};
use chronomap::model::{Day, month_name};

/// Write N synthetic events, deterministically, for benchmarks.
#[derive(Parser, Debug)]
#[command(name = "gen-events")]
struct Args {
    /// How many events (rows) to write.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Which format to write.
    #[arg(long, value_enum, default_value = "acled")]
    format: OutFormat,
    /// Seed of the PRNG; the same seed gives the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How ACLED's `event_date` is written: `iso` (API, `2021-03-07`) or
    /// `long` (export tool, `07 March 2021`).
    #[arg(long, value_enum, default_value = "iso")]
    date_style: DateStyle,
    /// Distinct places as a percentage (1-100) of the rows: 100 gives every
    /// row its own coordinates and place name, 1 makes each place serve about
    /// a hundred rows. Without it, rows share the spots around the cities.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    distinct_places: Option<u8>,
    /// Sentences of context added to each event's notes (ACLED, chronomap
    /// JSON, GeoJSON), for longer text.
    #[arg(long, default_value_t = 0)]
    extra_sentences: u8,
    /// Where to write the file.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum OutFormat {
    /// ACLED's 31-column CSV with a header.
    Acled,
    /// chronomap's own JSON.
    Json,
    /// GDELT 2.0 events: 61 tab-separated fields, no header.
    #[value(name = "gdelt2")]
    Gdelt2,
    /// GDELT 1.0 daily events: 58 tab-separated fields, no header.
    #[value(name = "gdelt1")]
    Gdelt1,
    /// A plain CSV table of nine columns recognised by name.
    Csv,
    /// A GeoJSON FeatureCollection of points.
    #[value(name = "geojson")]
    Geojson,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum DateStyle {
    Iso,
    Long,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Ok(atlas) = Atlas::try_embedded() else {
        eprintln!("gen-events: the embedded atlas does not decode");
        return ExitCode::FAILURE;
    };
    let mut world = World::new(atlas, args.seed);
    if world.locations.is_empty() {
        eprintln!("gen-events: no gazetteer city in the chosen countries");
        return ExitCode::FAILURE;
    }
    let drafts = world.drafts(args.rows, args.seed, args.distinct_places);
    match write_file(&args, &world, &drafts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-events: cannot write {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}

fn write_file(args: &Args, world: &World, drafts: &[Draft]) -> std::io::Result<()> {
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = std::fs::File::create(&args.out)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write_events(args, world, drafts, &mut out)?;
    out.flush()
}

fn write_events(
    args: &Args,
    world: &World,
    drafts: &[Draft],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut line = String::with_capacity(4096);
    out.write_all(head(args.format).as_bytes())?;
    for (i, draft) in drafts.iter().enumerate() {
        let record = world.record(draft, args.extra_sentences);
        let last = i + 1 == drafts.len();
        // Newest first, as the rows are, GDELT's ids fall down the file.
        let row_id = GDELT_FIRST_ID + (drafts.len() - i) as u64;
        line.clear();
        match args.format {
            OutFormat::Acled => acled_line(&record, args.date_style, &mut line),
            OutFormat::Json => json_line(&record, last, &mut line),
            OutFormat::Gdelt2 => gdelt_line(&record, GdeltVersion::V2, row_id, &mut line),
            OutFormat::Gdelt1 => gdelt_line(&record, GdeltVersion::V1, row_id, &mut line),
            OutFormat::Csv => table_line(&record, &mut line),
            OutFormat::Geojson => geojson_line(&record, last, &mut line),
        }
        out.write_all(line.as_bytes())?;
    }
    out.write_all(tail(args.format).as_bytes())
}

/// What comes before the first event.
fn head(format: OutFormat) -> String {
    match format {
        OutFormat::Acled => format!("{}\n", ACLED_HEADER.join(",")),
        OutFormat::Json => JSON_HEAD.to_owned(),
        OutFormat::Gdelt2 | OutFormat::Gdelt1 => String::new(),
        OutFormat::Csv => format!("{}\n", TABLE_HEADER.join(",")),
        OutFormat::Geojson => GEOJSON_HEAD.to_owned(),
    }
}

/// What comes after the last event.
fn tail(format: OutFormat) -> &'static str {
    match format {
        OutFormat::Json | OutFormat::Geojson => "]}\n",
        _ => "",
    }
}

// ---------------------------------------------------------------------------
// The PRNG.

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough to
/// make data; its output is fixed by the seed on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * n as u128;
        usize::try_from(wide >> 64).unwrap_or(0)
    }

    /// A uniform float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        // 53 random bits fill an f64 mantissa exactly.
        #[expect(clippy::cast_precision_loss, reason = "53 bits are exact")]
        let bits = (self.next_u64() >> 11) as f64;
        bits / (1_u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// A standard normal deviate (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// A geometric count `>= 1` with this mean.
    fn geometric(&mut self, mean: f64) -> u32 {
        let p = 1.0 / mean.max(1.0);
        let u = 1.0 - self.unit();
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "small and positive"
        )]
        let n = (u.ln() / (1.0 - p).ln()).floor().clamp(0.0, 500.0) as u32;
        1 + n
    }
}

/// Cumulative weights for picking an index in proportion to its weight.
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        Self(
            weights
                .into_iter()
                .map(|w| {
                    total += w.max(0.0);
                    total
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.0.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.0
            .partition_point(|&c| c <= x)
            .min(self.0.len().saturating_sub(1))
    }
}

// ---------------------------------------------------------------------------
// Vocabulary.

/// A country events happen in, with ACLED's codes and its own actors.
struct Country {
    iso2: &'static str,
    /// FIPS 10-4, which GDELT's geographic fields use.
    fips: &'static str,
    /// Where GDELT puts a country-level match (whole degrees, mostly).
    centroid_lon_lat: [f64; 2],
    /// ACLED's `event_id_cnty` prefix, which is also the ISO 3166 alpha-3
    /// code that CAMEO actor codes start with.
    prefix: &'static str,
    /// ISO 3166 numeric, unpadded as ACLED writes it.
    iso_num: u16,
    name: &'static str,
    adjective: &'static str,
    region: &'static str,
    /// Relative share of all events.
    weight: f64,
    /// The year the current government took office, for state actor names.
    since: u16,
    rebels: &'static [&'static str],
    militias: &'static [&'static str],
    identity: &'static [&'static str],
    outlets: &'static [&'static str],
}

impl Country {
    /// The role an actor of this country plays: a country without rebel
    /// groups has its political militias fight instead.
    fn role(&self, role: Role) -> Role {
        if role == Role::Rebel && self.rebels.is_empty() {
            Role::Militia
        } else {
            role
        }
    }
}

const COUNTRIES: [Country; 12] = [
    Country {
        iso2: "IN",
        centroid_lon_lat: [77.0, 20.0],
        fips: "IN",
        prefix: "IND",
        iso_num: 356,
        name: "India",
        adjective: "Indian",
        region: "South Asia",
        weight: 25.0,
        since: 2014,
        rebels: &[
            "CPI (Maoist): Communist Party of India (Maoist)",
            "NSCN-IM: National Socialist Council of Nagaland (Isak-Muivah)",
            "PLA: People's Liberation Army (Manipur)",
        ],
        militias: &[
            "BJP: Bharatiya Janata Party",
            "INC: Indian National Congress",
            "TMC: All India Trinamool Congress",
        ],
        identity: &[
            "Kuki Ethnic Militia (India)",
            "Meitei Ethnic Militia (India)",
        ],
        outlets: &[
            "The Hindu",
            "Times of India",
            "Hindustan Times",
            "Indian Express",
            "Telegraph (India)",
            "Deccan Herald",
        ],
    },
    Country {
        iso2: "SY",
        centroid_lon_lat: [38.0, 35.0],
        fips: "SY",
        prefix: "SYR",
        iso_num: 760,
        name: "Syria",
        adjective: "Syrian",
        region: "Middle East",
        weight: 18.0,
        since: 2000,
        rebels: &[
            "HTS: Hayat Tahrir al Sham",
            "Islamic State (Syria)",
            "SDF: Syrian Democratic Forces",
        ],
        militias: &[
            "NDF: National Defence Forces",
            "Unidentified Armed Group (Syria)",
        ],
        identity: &["Tribal Militia (Syria)", "Druze Militia (Syria)"],
        outlets: &[
            "SOHR",
            "Enab Baladi",
            "SANA",
            "North Press Agency",
            "Deir Ezzor 24",
        ],
    },
    Country {
        iso2: "PK",
        centroid_lon_lat: [70.0, 30.0],
        fips: "PK",
        prefix: "PAK",
        iso_num: 586,
        name: "Pakistan",
        adjective: "Pakistani",
        region: "South Asia",
        weight: 12.0,
        since: 2018,
        rebels: &[
            "TTP: Tehreek-i-Taliban Pakistan",
            "BLA: Baloch Liberation Army",
            "Islamic State Khorasan Province",
        ],
        militias: &[
            "PTI: Pakistan Tehreek-i-Insaf",
            "JUI-F: Jamiat Ulema-e-Islam (Fazl)",
            "Unidentified Armed Group (Pakistan)",
        ],
        identity: &[
            "Pashtun Ethnic Militia (Pakistan)",
            "Baloch Ethnic Militia (Pakistan)",
        ],
        outlets: &[
            "Dawn",
            "The Express Tribune",
            "The News International",
            "Pakistan Today",
            "Business Recorder",
        ],
    },
    Country {
        iso2: "YE",
        centroid_lon_lat: [48.0, 15.0],
        fips: "YM",
        prefix: "YEM",
        iso_num: 887,
        name: "Yemen",
        adjective: "Yemeni",
        region: "Middle East",
        weight: 10.0,
        since: 2012,
        rebels: &["Houthi Movement", "AQAP: Al Qaeda in the Arabian Peninsula"],
        militias: &[
            "STC: Southern Transitional Council",
            "Unidentified Armed Group (Yemen)",
        ],
        identity: &["Tribal Militia (Yemen)"],
        outlets: &[
            "Saba News Agency",
            "Al Masirah",
            "Aden al-Ghad",
            "Al Masdar Online",
        ],
    },
    Country {
        iso2: "IQ",
        centroid_lon_lat: [44.0, 33.0],
        fips: "IZ",
        prefix: "IRQ",
        iso_num: 368,
        name: "Iraq",
        adjective: "Iraqi",
        region: "Middle East",
        weight: 8.0,
        since: 2022,
        rebels: &["Islamic State (Iraq)"],
        militias: &[
            "PMF: Popular Mobilization Forces",
            "Kataib Hezbollah",
            "Unidentified Armed Group (Iraq)",
        ],
        identity: &["Tribal Militia (Iraq)"],
        outlets: &["Shafaq News", "Rudaw", "Al Sumaria", "Kurdistan 24"],
    },
    Country {
        iso2: "AF",
        centroid_lon_lat: [65.0, 33.0],
        fips: "AF",
        prefix: "AFG",
        iso_num: 4,
        name: "Afghanistan",
        adjective: "Afghan",
        region: "South Asia",
        weight: 8.0,
        since: 2021,
        rebels: &[
            "Taliban",
            "Islamic State Khorasan Province",
            "NRF: National Resistance Front",
        ],
        militias: &["Unidentified Armed Group (Afghanistan)"],
        identity: &["Hazara Ethnic Militia (Afghanistan)"],
        outlets: &[
            "Pajhwok Afghan News",
            "Tolo News",
            "Khaama Press",
            "Hasht-e Subh",
        ],
    },
    Country {
        iso2: "MM",
        centroid_lon_lat: [98.0, 22.0],
        fips: "BM",
        prefix: "MMR",
        iso_num: 104,
        name: "Myanmar",
        adjective: "Myanmar",
        region: "Southeast Asia",
        weight: 8.0,
        since: 2021,
        rebels: &[
            "KIA: Kachin Independence Army",
            "AA: Arakan Army",
            "PDF: People's Defense Force",
        ],
        militias: &["Pyu Saw Htee", "Unidentified Armed Group (Myanmar)"],
        identity: &["Karen Ethnic Militia (Myanmar)"],
        outlets: &[
            "Irrawaddy",
            "Myanmar Now",
            "Mizzima",
            "Radio Free Asia",
            "Democratic Voice of Burma",
        ],
    },
    Country {
        iso2: "BD",
        centroid_lon_lat: [90.0, 24.0],
        fips: "BG",
        prefix: "BGD",
        iso_num: 50,
        name: "Bangladesh",
        adjective: "Bangladeshi",
        region: "South Asia",
        weight: 7.0,
        since: 2009,
        rebels: &[],
        militias: &[
            "AL: Awami League",
            "BNP: Bangladesh Nationalist Party",
            "BCL: Bangladesh Chhatra League",
        ],
        identity: &["Rohingya Ethnic Militia (Bangladesh)"],
        outlets: &[
            "Daily Star (Bangladesh)",
            "Prothom Alo",
            "New Age (Bangladesh)",
            "Dhaka Tribune",
        ],
    },
    Country {
        iso2: "TR",
        centroid_lon_lat: [35.0, 39.0],
        fips: "TU",
        prefix: "TUR",
        iso_num: 792,
        name: "Turkey",
        adjective: "Turkish",
        region: "Middle East",
        weight: 4.0,
        since: 2014,
        rebels: &["PKK: Kurdistan Workers Party"],
        militias: &["AKP: Justice and Development Party"],
        identity: &["Kurdish Ethnic Militia (Turkey)"],
        outlets: &["Anadolu Agency", "Hurriyet", "Bianet", "Evrensel"],
    },
    Country {
        iso2: "IR",
        centroid_lon_lat: [53.0, 32.0],
        fips: "IR",
        prefix: "IRN",
        iso_num: 364,
        name: "Iran",
        adjective: "Iranian",
        region: "Middle East",
        weight: 3.0,
        since: 2021,
        rebels: &["Jaish al-Adl", "PJAK: Party of Free Life of Kurdistan"],
        militias: &["Basij", "Unidentified Armed Group (Iran)"],
        identity: &["Baloch Ethnic Militia (Iran)"],
        outlets: &["IRNA", "Tasnim News Agency", "HRANA", "Iran International"],
    },
    Country {
        iso2: "LB",
        centroid_lon_lat: [35.8333, 33.8333],
        fips: "LE",
        prefix: "LBN",
        iso_num: 422,
        name: "Lebanon",
        adjective: "Lebanese",
        region: "Middle East",
        weight: 2.0,
        since: 2016,
        rebels: &["Hezbollah"],
        militias: &["Amal Movement", "Unidentified Armed Group (Lebanon)"],
        identity: &["Clan Militia (Lebanon)"],
        outlets: &[
            "National News Agency (Lebanon)",
            "L'Orient-Le Jour",
            "Naharnet",
        ],
    },
    Country {
        iso2: "NP",
        centroid_lon_lat: [84.0, 28.0],
        fips: "NP",
        prefix: "NPL",
        iso_num: 524,
        name: "Nepal",
        adjective: "Nepali",
        region: "South Asia",
        weight: 2.0,
        since: 2018,
        rebels: &["CPN (Biplav): Communist Party of Nepal (Biplav)"],
        militias: &[
            "NC: Nepali Congress",
            "CPN-UML: Communist Party of Nepal (Unified Marxist-Leninist)",
        ],
        identity: &["Madhesi Ethnic Militia (Nepal)"],
        outlets: &["Kathmandu Post", "Himalayan Times", "Republica"],
    },
];

const INTERNATIONAL_OUTLETS: [&str; 6] = [
    "Reuters",
    "AFP",
    "Xinhua",
    "Associated Press",
    "Al Jazeera",
    "BBC News",
];

const EXTERNAL_FORCES: [&str; 4] = [
    "Military Forces of the United States (2021-)",
    "Military Forces of Israel (2022-)",
    "Military Forces of Russia (2000-)",
    "Military Forces of Turkey (2014-)",
];

const SOURCE_SCALES: [(&str, f64); 8] = [
    ("National", 40.0),
    ("Subnational", 20.0),
    ("Subnational-National", 10.0),
    ("Local partner-Other", 8.0),
    ("Other-National", 8.0),
    ("International", 5.0),
    ("New media", 5.0),
    ("Regional", 4.0),
];

const GROUPS: [&str; 9] = [
    "Labor Group",
    "Students",
    "Farmers",
    "Women",
    "Lawyers",
    "Teachers",
    "Health Workers",
    "Traders",
    "Journalists",
];

/// ACLED's actor types, in the order of their numeric codes 1-8.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    State,
    Rebel,
    Militia,
    Identity,
    Rioters,
    Protesters,
    Civilians,
    External,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Self::State => "State forces",
            Self::Rebel => "Rebel group",
            Self::Militia => "Political militia",
            Self::Identity => "Identity militia",
            Self::Rioters => "Rioters",
            Self::Protesters => "Protesters",
            Self::Civilians => "Civilians",
            Self::External => "External/Other forces",
        }
    }
}

/// One ACLED sub-event type and how its events look.
struct SubEvent {
    event_type: &'static str,
    name: &'static str,
    disorder: &'static str,
    /// Share of all events, per mille.
    weight: f64,
    /// Who acts, and against whom (`None`: no second actor).
    actors: &'static [(Role, Option<Role>)],
    /// Chance of any fatality and mean count when there are some.
    fatal: (f64, f64),
    /// What happened, for the notes (`{a1}`, `{a2}` filled in).
    verbs: &'static [&'static str],
}

const PV: &str = "Political violence";
const DEMO: &str = "Demonstrations";
const PVD: &str = "Political violence; Demonstrations";
const SD: &str = "Strategic developments";

const SUB_EVENTS: [SubEvent; 25] = [
    SubEvent {
        event_type: "Battles",
        name: "Armed clash",
        disorder: PV,
        weight: 145.0,
        actors: &[
            (Role::State, Some(Role::Rebel)),
            (Role::Rebel, Some(Role::State)),
            (Role::Identity, Some(Role::Identity)),
            (Role::Militia, Some(Role::Rebel)),
            (Role::State, Some(Role::Militia)),
        ],
        fatal: (0.55, 4.0),
        verbs: &[
            "{a1} clashed with {a2}",
            "{a1} engaged in an exchange of fire with {a2}",
            "{a1} attacked a position held by {a2}, leading to an armed clash",
        ],
    },
    SubEvent {
        event_type: "Battles",
        name: "Government regains territory",
        disorder: PV,
        weight: 8.0,
        actors: &[(Role::State, Some(Role::Rebel))],
        fatal: (0.6, 6.0),
        verbs: &["{a1} retook control of the area from {a2} after heavy fighting"],
    },
    SubEvent {
        event_type: "Battles",
        name: "Non-state actor overtakes territory",
        disorder: PV,
        weight: 7.0,
        actors: &[(Role::Rebel, Some(Role::State))],
        fatal: (0.6, 6.0),
        verbs: &["{a1} seized control of the area from {a2}"],
    },
    SubEvent {
        event_type: "Protests",
        name: "Peaceful protest",
        disorder: DEMO,
        weight: 300.0,
        actors: &[(Role::Protesters, None)],
        fatal: (0.0, 1.0),
        verbs: &[
            "{a1} held a protest",
            "{a1} staged a demonstration",
            "{a1} gathered and marched",
            "{a1} held a sit-in",
        ],
    },
    SubEvent {
        event_type: "Protests",
        name: "Protest with intervention",
        disorder: DEMO,
        weight: 35.0,
        actors: &[(Role::Protesters, Some(Role::State))],
        fatal: (0.0, 1.0),
        verbs: &["{a1} held a protest that was dispersed by {a2} using batons and tear gas"],
    },
    SubEvent {
        event_type: "Protests",
        name: "Excessive force against protesters",
        disorder: PVD,
        weight: 5.0,
        actors: &[(Role::Protesters, Some(Role::State))],
        fatal: (0.5, 2.0),
        verbs: &["{a2} opened fire on {a1} who had gathered to protest"],
    },
    SubEvent {
        event_type: "Riots",
        name: "Violent demonstration",
        disorder: DEMO,
        weight: 50.0,
        actors: &[(Role::Rioters, None), (Role::Rioters, Some(Role::State))],
        fatal: (0.03, 1.5),
        verbs: &[
            "{a1} blocked a highway, burnt tyres and pelted stones at vehicles",
            "{a1} vandalised a government office and set fire to a police vehicle",
        ],
    },
    SubEvent {
        event_type: "Riots",
        name: "Mob violence",
        disorder: PV,
        weight: 30.0,
        actors: &[(Role::Rioters, Some(Role::Civilians))],
        fatal: (0.2, 1.3),
        verbs: &["a mob of {a1} beat up {a2} over an alleged theft"],
    },
    SubEvent {
        event_type: "Explosions/Remote violence",
        name: "Air/drone strike",
        disorder: PV,
        weight: 60.0,
        actors: &[
            (Role::State, Some(Role::Rebel)),
            (Role::External, Some(Role::Rebel)),
            (Role::State, Some(Role::Civilians)),
            (Role::State, None),
        ],
        fatal: (0.5, 5.0),
        verbs: &[
            "{a1} carried out an airstrike targeting {a2}",
            "{a1} conducted a drone strike on a vehicle carrying {a2}",
        ],
    },
    SubEvent {
        event_type: "Explosions/Remote violence",
        name: "Shelling/artillery/missile attack",
        disorder: PV,
        weight: 95.0,
        actors: &[
            (Role::State, Some(Role::Rebel)),
            (Role::Rebel, Some(Role::State)),
            (Role::State, None),
        ],
        fatal: (0.25, 2.5),
        verbs: &[
            "{a1} shelled positions of {a2}",
            "{a1} fired artillery and mortar rounds at {a2}",
        ],
    },
    SubEvent {
        event_type: "Explosions/Remote violence",
        name: "Remote explosive/landmine/IED",
        disorder: PV,
        weight: 30.0,
        actors: &[
            (Role::Rebel, Some(Role::State)),
            (Role::Militia, Some(Role::Civilians)),
            (Role::Rebel, Some(Role::Civilians)),
        ],
        fatal: (0.5, 2.5),
        verbs: &[
            "an IED planted by {a1} exploded near a vehicle of {a2}",
            "a landmine laid by {a1} went off, hitting {a2}",
        ],
    },
    SubEvent {
        event_type: "Explosions/Remote violence",
        name: "Grenade",
        disorder: PV,
        weight: 8.0,
        actors: &[
            (Role::Militia, Some(Role::Civilians)),
            (Role::Rebel, Some(Role::State)),
        ],
        fatal: (0.3, 1.5),
        verbs: &["{a1} threw a hand grenade at {a2}"],
    },
    SubEvent {
        event_type: "Explosions/Remote violence",
        name: "Suicide bomb",
        disorder: PV,
        weight: 4.0,
        actors: &[
            (Role::Rebel, Some(Role::State)),
            (Role::Rebel, Some(Role::Civilians)),
        ],
        fatal: (0.9, 8.0),
        verbs: &["a suicide bomber of {a1} detonated explosives near {a2}"],
    },
    SubEvent {
        event_type: "Explosions/Remote violence",
        name: "Chemical weapon",
        disorder: PV,
        weight: 1.0,
        actors: &[(Role::State, Some(Role::Civilians))],
        fatal: (0.5, 3.0),
        verbs: &["{a1} reportedly used chlorine gas against {a2}"],
    },
    SubEvent {
        event_type: "Violence against civilians",
        name: "Attack",
        disorder: PV,
        weight: 105.0,
        actors: &[
            (Role::Militia, Some(Role::Civilians)),
            (Role::Rebel, Some(Role::Civilians)),
            (Role::State, Some(Role::Civilians)),
            (Role::Identity, Some(Role::Civilians)),
        ],
        fatal: (0.7, 1.6),
        verbs: &[
            "{a1} shot and killed {a2}",
            "{a1} attacked and injured {a2}",
            "{a1} opened fire on {a2} at a market",
        ],
    },
    SubEvent {
        event_type: "Violence against civilians",
        name: "Abduction/forced disappearance",
        disorder: PV,
        weight: 22.0,
        actors: &[
            (Role::Militia, Some(Role::Civilians)),
            (Role::Rebel, Some(Role::Civilians)),
            (Role::State, Some(Role::Civilians)),
        ],
        fatal: (0.0, 1.0),
        verbs: &["{a1} abducted {a2} and took them to an unknown location"],
    },
    SubEvent {
        event_type: "Violence against civilians",
        name: "Sexual violence",
        disorder: PV,
        weight: 4.0,
        actors: &[
            (Role::Militia, Some(Role::Civilians)),
            (Role::State, Some(Role::Civilians)),
        ],
        fatal: (0.05, 1.0),
        verbs: &["{a1} sexually assaulted {a2}"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Arrests",
        disorder: SD,
        weight: 30.0,
        actors: &[
            (Role::State, Some(Role::Civilians)),
            (Role::State, Some(Role::Militia)),
            (Role::State, Some(Role::Protesters)),
        ],
        fatal: (0.0, 1.0),
        verbs: &["{a1} arrested {a2} during a search operation"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Looting/property destruction",
        disorder: SD,
        weight: 20.0,
        actors: &[
            (Role::Rebel, Some(Role::Civilians)),
            (Role::Militia, Some(Role::Civilians)),
            (Role::Rioters, None),
        ],
        fatal: (0.0, 1.0),
        verbs: &["{a1} looted and burnt houses and shops of {a2}"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Disrupted weapons use",
        disorder: SD,
        weight: 12.0,
        actors: &[(Role::State, Some(Role::Rebel)), (Role::State, None)],
        fatal: (0.0, 1.0),
        verbs: &["{a1} found and defused an IED planted by {a2}"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Change to group/activity",
        disorder: SD,
        weight: 8.0,
        actors: &[(Role::Rebel, None), (Role::Militia, None)],
        fatal: (0.0, 1.0),
        verbs: &["{a1} announced a change of leadership and a new area command"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Agreement",
        disorder: SD,
        weight: 6.0,
        actors: &[
            (Role::State, Some(Role::Rebel)),
            (Role::Identity, Some(Role::Identity)),
        ],
        fatal: (0.0, 1.0),
        verbs: &["{a1} and {a2} agreed to a ceasefire and an exchange of prisoners"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Headquarters or base established",
        disorder: SD,
        weight: 3.0,
        actors: &[(Role::Rebel, None), (Role::State, None)],
        fatal: (0.0, 1.0),
        verbs: &["{a1} established a new base"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Non-violent transfer of territory",
        disorder: SD,
        weight: 3.0,
        actors: &[(Role::Rebel, Some(Role::State))],
        fatal: (0.0, 1.0),
        verbs: &["{a1} took over the area after {a2} withdrew without a fight"],
    },
    SubEvent {
        event_type: "Strategic developments",
        name: "Other",
        disorder: SD,
        weight: 6.0,
        actors: &[(Role::State, None), (Role::Militia, None)],
        fatal: (0.0, 1.0),
        verbs: &["{a1} imposed a curfew and suspended mobile internet services"],
    },
];

/// Sentences of context that ACLED notes often carry, picked at random.
const CONTEXT: [&str; 12] = [
    "The area has seen repeated incidents of this kind in recent weeks.",
    "Local sources said the situation remained tense afterwards.",
    "Security was tightened in the area and several roads were closed.",
    "The incident followed a dispute between the two sides earlier in the month.",
    "Authorities announced an investigation into the incident.",
    "The event was reported by several local outlets on the same day.",
    "Residents said they had warned the authorities about the threat beforehand.",
    "It is unclear which side initiated the violence.",
    "Traffic on the main road was disrupted for several hours.",
    "No group claimed responsibility for the incident.",
    "Shops and markets in the area remained closed the following day.",
    "The claims could not be independently verified.",
];

const DEMANDS: [&str; 10] = [
    "demanding the payment of overdue salaries",
    "against rising fuel and electricity prices",
    "demanding the release of detained activists",
    "against the shortage of drinking water",
    "demanding better security in the area",
    "against alleged irregularities in local elections",
    "demanding land rights",
    "in solidarity with Palestinians in Gaza",
    "against the demolition of homes and shops",
    "demanding the reopening of a border crossing",
];

const SYLLABLES: [&str; 24] = [
    "ab", "ad", "al", "bad", "bar", "dar", "gul", "kot", "pur", "ra", "sha", "zai", "kha", "an",
    "ir", "ma", "na", "wal", "ga", "hi", "mir", "qal", "ser", "tan",
];

const ACLED_HEADER: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

const JSON_HEAD: &str = concat!(
    "{\"format\":\"chronomap\",\"version\":1,",
    "\"title\":\"Synthetic ACLED-like events (gen-events)\",",
    "\"description\":\"Generated by gen-events for benchmarks; not real events.\",",
    "\"events\":[\n"
);

/// The plain table's columns, each a name chronomap's table loader knows.
const TABLE_HEADER: [&str; 9] = [
    "id",
    "date",
    "latitude",
    "longitude",
    "place",
    "country",
    "category",
    "title",
    "actors",
];

const GEOJSON_HEAD: &str = "{\"type\":\"FeatureCollection\",\"features\":[\n";

/// GLOBALEVENTID of the oldest row; real ids of 2025 are about this long.
const GDELT_FIRST_ID: u64 = 1_200_000_000;

/// The period events fall in, first and last day.
const PERIOD: (i32, u32, u32, i32, u32, u32) = (2018, 1, 1, 2024, 12, 31);
/// Share of events that belong to a burst of activity rather than the background.
const BURST_SHARE: f64 = 0.3;
/// How many cities of each country host events, largest first.
const CITIES_PER_COUNTRY: usize = 400;

// ---------------------------------------------------------------------------
// The world: locations around cities, bursts of activity.

/// A named point events happen at (a city, a district of one, a village near one).
struct Location {
    country: usize,
    name: String,
    admin1: String,
    admin2: String,
    admin3: String,
    lon_lat: [f64; 2],
    geo_precision: u8,
}

/// A period of intense activity in a few cities of one country.
struct Burst {
    country: usize,
    center_day: i32,
    sd_days: f64,
    /// Locations that bear most of the burst.
    focus: Vec<u32>,
}

struct World {
    locations: Vec<Location>,
    /// Locations of each country and how to pick among them.
    by_country: Vec<(Vec<u32>, Weighted)>,
    country_pick: Weighted,
    bursts: Vec<Burst>,
    sub_pick: Weighted,
    first_day: Day,
    days: i32,
}

/// One event before its text is written: enough to order and number events.
struct Draft {
    day: i32,
    location: u32,
    sub: u8,
    number: u32,
    seed: u64,
}

impl World {
    fn new(atlas: &Atlas, seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x5EE_D0FA_71A5);
        let admin1 = admin1_names(atlas);
        let mut locations = Vec::new();
        let mut by_country = Vec::new();
        for (c, country) in COUNTRIES.iter().enumerate() {
            let (ids, weights) =
                country_locations(atlas, &admin1, c, country, &mut rng, &mut locations);
            by_country.push((ids, Weighted::new(weights)));
        }
        let (y0, m0, d0, y1, m1, d1) = PERIOD;
        let first_day = Day::from_ymd(y0, m0, d0).unwrap_or_default();
        let last_day = Day::from_ymd(y1, m1, d1).unwrap_or_default();
        let country_pick = Weighted::new(COUNTRIES.iter().map(|c| c.weight));
        let days = last_day.0 - first_day.0 + 1;
        let bursts = (0..80)
            .map(|_| make_burst(&mut rng, &country_pick, &by_country, days))
            .collect();
        Self {
            locations,
            by_country,
            country_pick,
            bursts,
            sub_pick: Weighted::new(SUB_EVENTS.iter().map(|s| s.weight)),
            first_day,
            days,
        }
    }

    /// `rows` drafts, numbered per country in date order and listed newest
    /// first, as ACLED's exports are; with `distinct_places`, that share of
    /// places of their own (see [`World::spread_places`]).
    fn drafts(&mut self, rows: usize, seed: u64, distinct_places: Option<u8>) -> Vec<Draft> {
        let mut rng = Rng::new(seed);
        let mut drafts: Vec<Draft> = (0..rows).map(|_| self.draft(&mut rng)).collect();
        if let Some(percent) = distinct_places {
            self.spread_places(&mut drafts, percent, seed);
        }
        drafts.sort_by_key(|d| (d.day, d.location, d.seed));
        let mut next = [0_u32; COUNTRIES.len()];
        for d in &mut drafts {
            let c = self.country_of(d);
            if let Some(n) = next.get_mut(c) {
                *n += 1;
                d.number = *n;
            }
        }
        drafts.reverse();
        drafts
    }

    fn draft(&self, rng: &mut Rng) -> Draft {
        let (day, location) = if rng.chance(BURST_SHARE) {
            self.burst_event(rng)
        } else {
            self.background_event(rng)
        };
        let sub = u8::try_from(self.sub_pick.sample(rng)).unwrap_or(0);
        Draft {
            day: self.first_day.0 + day.clamp(0, self.days - 1),
            location,
            sub,
            number: 0,
            seed: rng.next_u64(),
        }
    }

    /// Spread over the period, a little more in later years (ACLED's
    /// coverage grows), in any city of any country by weight.
    fn background_event(&self, rng: &mut Rng) -> (i32, u32) {
        #[expect(clippy::cast_possible_truncation, reason = "within the period")]
        let day = (rng.unit().powf(0.8) * f64::from(self.days)) as i32;
        let c = self.country_pick.sample(rng);
        (day, self.location_in(c, rng))
    }

    /// Around a burst's centre day, mostly in its focus cities.
    fn burst_event(&self, rng: &mut Rng) -> (i32, u32) {
        let Some(burst) = rng.pick(&self.bursts) else {
            return self.background_event(rng);
        };
        #[expect(clippy::cast_possible_truncation, reason = "small offsets")]
        let day = burst.center_day + (rng.normal() * burst.sd_days) as i32;
        let location = match rng.pick(&burst.focus) {
            Some(&l) if rng.chance(0.6) => l,
            _ => self.location_in(burst.country, rng),
        };
        (day, location)
    }

    fn location_in(&self, country: usize, rng: &mut Rng) -> u32 {
        self.by_country
            .get(country)
            .and_then(|(ids, pick)| ids.get(pick.sample(rng)).copied())
            .unwrap_or(0)
    }

    fn country_of(&self, d: &Draft) -> usize {
        self.locations
            .get(d.location as usize)
            .map_or(0, |l| l.country)
    }

    /// Moves the drafts to `percent`% as many new places as there are
    /// drafts, each with its own coordinates and name near the spot the
    /// draft had. New places are made evenly down the list; a draft that
    /// makes none reuses one made for its spot, else any made so far. Its
    /// own PRNG stream leaves the drafts' other values as they were.
    fn spread_places(&mut self, drafts: &mut [Draft], percent: u8, seed: u64) {
        let mut rng = Rng::new(seed ^ 0x00D1_571A_C7F1_ACE5);
        let rows = drafts.len() as u64;
        let wanted = (rows * u64::from(percent)).div_ceil(100).max(1);
        let mut taken: HashSet<[i64; 2]> = self.locations.iter().map(|l| grid(l.lon_lat)).collect();
        let mut by_spot: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut made: Vec<u32> = Vec::new();
        for (i, draft) in (0_u64..).zip(drafts.iter_mut()) {
            let due = ((i + 1) * wanted).div_ceil(rows.max(1));
            let spot = draft.location;
            if (made.len() as u64) < due {
                let place = self.new_place(spot, made.len(), &mut taken, &mut rng);
                by_spot.entry(spot).or_default().push(place);
                made.push(place);
                draft.location = place;
            } else {
                let pool = by_spot.get(&spot).map_or(made.as_slice(), Vec::as_slice);
                draft.location = rng.pick(pool).copied().unwrap_or(spot);
            }
        }
    }

    /// A place near `spot`, named after `n` (so no two share a name), at
    /// coordinates no other place has.
    fn new_place(
        &mut self,
        spot: u32,
        n: usize,
        taken: &mut HashSet<[i64; 2]>,
        rng: &mut Rng,
    ) -> u32 {
        let Some(base) = self.locations.get(spot as usize) else {
            return spot;
        };
        let mut reach = 0.25;
        let lon_lat = loop {
            let p = jitter(base.lon_lat, reach, rng);
            if taken.insert(grid(p)) {
                break p;
            }
            reach *= 1.05;
        };
        let place = Location {
            country: base.country,
            name: numbered_name(n),
            admin1: base.admin1.clone(),
            admin2: base.admin2.clone(),
            admin3: base.admin3.clone(),
            lon_lat,
            geo_precision: 1,
        };
        let id = u32::try_from(self.locations.len()).unwrap_or(u32::MAX);
        self.locations.push(place);
        id
    }
}

/// Coordinates on the 1e-4 degree grid the files write them on.
fn grid(lon_lat: [f64; 2]) -> [i64; 2] {
    #[expect(clippy::cast_possible_truncation, reason = "degrees times 1e4")]
    lon_lat.map(|x| (x * 10_000.0).round() as i64)
}

/// A place name that is `n`'s digits in base 24, one syllable each: a
/// different name for every `n`.
fn numbered_name(n: usize) -> String {
    // Bijective numeration: every n has one spelling and no two share one;
    // starting at 24^2 gives at least three syllables.
    let mut rest = n + SYLLABLES.len() * SYLLABLES.len();
    let mut parts = Vec::new();
    while rest > 0 {
        rest -= 1;
        parts.push(
            SYLLABLES
                .get(rest % SYLLABLES.len())
                .copied()
                .unwrap_or("a"),
        );
        rest /= SYLLABLES.len();
    }
    let name: String = parts.into_iter().rev().collect();
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// GeoNames admin1 key ("PK.08") → province name, from the provinces' codes.
fn admin1_names(atlas: &Atlas) -> HashMap<&str, &str> {
    let mut names = HashMap::new();
    for province in &atlas.provinces {
        for code in &province.alt_codes {
            names.entry(code.as_str()).or_insert(province.name.as_str());
        }
    }
    names
}

/// The name of a city's province: by its GeoNames key, else (where the
/// basemap's provinces use other codes, as Nepal's zones do) the province of
/// the same country whose label point is nearest.
fn province_name<'a>(
    atlas: &'a Atlas,
    admin1: &HashMap<&str, &'a str>,
    city: &City,
) -> Option<&'a str> {
    if let Some(&name) = admin1.get(city.admin1.as_str()) {
        return Some(name);
    }
    let distance = |p: [f64; 2]| {
        let (dx, dy) = (p[0] - city.lon_lat[0], p[1] - city.lon_lat[1]);
        dx * dx + dy * dy
    };
    atlas
        .provinces
        .iter()
        .filter(|p| p.country_iso2 == city.country_iso2)
        .min_by(|a, b| distance(a.label_lon_lat).total_cmp(&distance(b.label_lon_lat)))
        .map(|p| p.name.as_str())
}

/// The locations of one country: its largest cities, districts of the big
/// ones and villages around them, with the weight of each.
fn country_locations(
    atlas: &Atlas,
    admin1: &HashMap<&str, &str>,
    c: usize,
    country: &Country,
    rng: &mut Rng,
    locations: &mut Vec<Location>,
) -> (Vec<u32>, Vec<f64>) {
    let mut ids = Vec::new();
    let mut weights = Vec::new();
    let cities = atlas
        .cities
        .iter()
        .filter(|city| city.country_iso2 == country.iso2)
        .filter_map(|city| Some((city, province_name(atlas, admin1, city)?)))
        .take(CITIES_PER_COUNTRY);
    for (city, admin1) in cities {
        #[expect(clippy::cast_precision_loss, reason = "a weight")]
        let weight = (city.population as f64).powf(0.75);
        let spots = city_spots(city, admin1, c, rng);
        let shares = spot_shares(spots.len());
        for (spot, share) in spots.into_iter().zip(shares) {
            ids.push(u32::try_from(locations.len()).unwrap_or(u32::MAX));
            weights.push(weight * share);
            locations.push(spot);
        }
    }
    (ids, weights)
}

/// Half of a city's events at the city itself, the rest over its other spots.
fn spot_shares(n: usize) -> Vec<f64> {
    #[expect(clippy::cast_precision_loss, reason = "a few spots")]
    let rest = 0.5 / (n.saturating_sub(1).max(1)) as f64;
    (0..n).map(|i| if i == 0 { 0.5 } else { rest }).collect()
}

/// The city, a few of its districts when it is large, and villages near it.
fn city_spots(city: &City, admin1: &str, c: usize, rng: &mut Rng) -> Vec<Location> {
    let admin2 = city.name.clone();
    let spot = |name: String, admin3: String, lon_lat: [f64; 2], geo_precision: u8| Location {
        country: c,
        name,
        admin1: admin1.to_owned(),
        admin2: admin2.clone(),
        admin3,
        lon_lat,
        geo_precision,
    };
    let mut spots = vec![spot(city.name.clone(), String::new(), city.lon_lat, 1)];
    let districts = if city.population >= 1_000_000 {
        3 + rng.below(6)
    } else {
        0
    };
    for _ in 0..districts {
        let name = format!("{} - {}", city.name, made_up_name(rng));
        spots.push(spot(
            name,
            String::new(),
            jitter(city.lon_lat, 0.06, rng),
            1,
        ));
    }
    let villages = 1 + rng.below(if city.population >= 200_000 { 8 } else { 4 });
    for _ in 0..villages {
        let name = made_up_name(rng);
        let admin3 = if rng.chance(0.5) {
            format!("{} Tehsil", made_up_name(rng))
        } else {
            String::new()
        };
        let precision = match rng.unit() {
            x if x < 0.7 => 1,
            x if x < 0.95 => 2,
            _ => 3,
        };
        spots.push(spot(
            name,
            admin3,
            jitter(city.lon_lat, 0.35, rng),
            precision,
        ));
    }
    spots
}

fn jitter(lon_lat: [f64; 2], max_deg: f64, rng: &mut Rng) -> [f64; 2] {
    let round4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
    [
        round4(lon_lat[0] + (rng.unit() * 2.0 - 1.0) * max_deg),
        round4((lon_lat[1] + (rng.unit() * 2.0 - 1.0) * max_deg).clamp(-85.0, 85.0)),
    ]
}

fn made_up_name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut name: String = (0..n)
        .filter_map(|_| rng.pick(&SYLLABLES).copied())
        .collect();
    if let Some(first) = name.get(..1) {
        name.replace_range(..1, &first.to_uppercase());
    }
    name
}

fn make_burst(
    rng: &mut Rng,
    country_pick: &Weighted,
    by_country: &[(Vec<u32>, Weighted)],
    days: i32,
) -> Burst {
    let country = country_pick.sample(rng);
    let focus = by_country
        .get(country)
        .map(|(ids, pick)| {
            (0..1 + rng.below(4))
                .filter_map(|_| ids.get(pick.sample(rng)).copied())
                .collect()
        })
        .unwrap_or_default();
    Burst {
        country,
        center_day: i32::try_from(rng.below(usize::try_from(days).unwrap_or(1))).unwrap_or(0),
        sd_days: 4.0 + rng.unit() * 36.0,
        focus,
    }
}

// ---------------------------------------------------------------------------
// One event's text.

/// An actor in one event: its name, type and how the notes call it.
struct Actor {
    name: String,
    role: Role,
    words: String,
}

/// All the values of one event, shared by both output formats.
struct Record<'w> {
    id: String,
    day: Day,
    time_precision: u8,
    sub: &'static SubEvent,
    actor1: Actor,
    assoc1: Vec<String>,
    actor2: Option<Actor>,
    assoc2: Vec<String>,
    country: &'static Country,
    location: &'w Location,
    /// The location's index, which GDELT's feature ids are made from.
    place_id: u32,
    /// Seeds the values only some formats write (GDELT's codes and counts).
    seed: u64,
    sources: Vec<&'static str>,
    source_scale: &'static str,
    notes: String,
    fatalities: u32,
    tags: String,
    timestamp: i64,
}

impl World {
    /// The event of `draft`, its notes lengthened by `extra_sentences` of context.
    fn record(&self, draft: &Draft, extra_sentences: u8) -> Record<'_> {
        let mut rng = Rng::new(draft.seed);
        let location = self
            .locations
            .get(draft.location as usize)
            .or(self.locations.first())
            .unwrap_or_else(|| unreachable!("main checks that locations exist"));
        let country = COUNTRIES.get(location.country).unwrap_or(&COUNTRIES[0]);
        let sub = SUB_EVENTS
            .get(usize::from(draft.sub))
            .unwrap_or(&SUB_EVENTS[0]);
        let day = Day(draft.day);
        let (role1, role2) = rng.pick(sub.actors).copied().unwrap_or((Role::State, None));
        let (role1, role2) = (country.role(role1), role2.map(|r| country.role(r)));
        let actor1 = actor(role1, country, sub, &mut rng);
        let actor2 = role2.map(|r| actor(r, country, sub, &mut rng));
        let assoc1 = assoc_actors(role1, country, &mut rng);
        let assoc2 = role2.map_or_else(Vec::new, |r| assoc_actors(r, country, &mut rng));
        let fatalities = if rng.chance(sub.fatal.0) {
            rng.geometric(sub.fatal.1)
        } else {
            0
        };
        let time_precision = match rng.unit() {
            x if x < 0.88 => 1,
            x if x < 0.97 => 2,
            _ => 3,
        };
        let crowd =
            (role1 == Role::Protesters || role1 == Role::Rioters).then(|| crowd_size(&mut rng));
        let mut record = Record {
            id: format!("{}{}", country.prefix, draft.number),
            day,
            time_precision,
            sub,
            actor1,
            assoc1,
            actor2,
            assoc2,
            country,
            location,
            place_id: draft.location,
            seed: draft.seed,
            sources: sources(country, &mut rng),
            source_scale: pick_weighted(&SOURCE_SCALES, &mut rng),
            notes: String::new(),
            fatalities,
            tags: crowd
                .as_ref()
                .map(|c| format!("crowd size={c}"))
                .unwrap_or_default(),
            timestamp: upload_time(day, &mut rng),
        };
        record.notes = notes(&record, crowd.as_deref(), &mut rng);
        for _ in 0..extra_sentences {
            if let Some(sentence) = rng.pick(&CONTEXT) {
                record.notes.push(' ');
                record.notes.push_str(sentence);
            }
        }
        record
    }
}

fn actor(role: Role, country: &Country, sub: &SubEvent, rng: &mut Rng) -> Actor {
    let c = country.name;
    let (name, words) = match role {
        Role::State => {
            let police = sub.event_type == "Protests" || sub.name == "Arrests" || rng.chance(0.25);
            if police {
                (
                    format!("Police Forces of {c} ({}-)", country.since),
                    format!("{} police", country.adjective),
                )
            } else {
                (
                    format!("Military Forces of {c} ({}-)", country.since),
                    format!("{} military forces", country.adjective),
                )
            }
        }
        Role::Rebel => named_group(country.rebels, "militants", rng),
        Role::Militia => named_group(country.militias, "supporters", rng),
        Role::Identity => named_group(country.identity, "members", rng),
        Role::Rioters => (format!("Rioters ({c})"), "rioters".to_owned()),
        Role::Protesters => (format!("Protesters ({c})"), "protesters".to_owned()),
        Role::Civilians => (
            format!("Civilians ({c})"),
            if rng.chance(0.5) {
                "a civilian"
            } else {
                "several civilians"
            }
            .to_owned(),
        ),
        Role::External => {
            let name = rng.pick(&EXTERNAL_FORCES).copied().unwrap_or("");
            (name.to_owned(), "foreign military forces".to_owned())
        }
    };
    Actor { name, role, words }
}

/// A group from `list` and how the notes call it ("TTP militants").
fn named_group(list: &[&str], members: &str, rng: &mut Rng) -> (String, String) {
    let name = rng
        .pick(list)
        .copied()
        .unwrap_or("Unidentified Armed Group");
    let words = if name.starts_with("Unidentified") {
        "unidentified armed men".to_owned()
    } else {
        let short = name.split(':').next().unwrap_or(name);
        format!("{short} {members}")
    };
    (name.to_owned(), words)
}

fn assoc_actors(role: Role, country: &Country, rng: &mut Rng) -> Vec<String> {
    let chance = match role {
        Role::Protesters | Role::Rioters => 0.45,
        Role::Civilians => 0.3,
        _ => 0.05,
    };
    if !rng.chance(chance) {
        return Vec::new();
    }
    let n = 1 + usize::from(rng.chance(0.25));
    (0..n)
        .filter_map(|_| match role {
            Role::Protesters | Role::Rioters | Role::Civilians => {
                rng.pick(&GROUPS).map(|g| format!("{g} ({})", country.name))
            }
            _ => rng.pick(country.militias).map(|&m| m.to_owned()),
        })
        .collect()
}

fn crowd_size(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 | 1 => "no report".to_owned(),
        2 => format!("around {}", 10 * (2 + rng.below(50))),
        _ => ["dozens", "hundreds", "several hundred", "thousands"][rng.below(4)].to_owned(),
    }
}

fn sources(country: &Country, rng: &mut Rng) -> Vec<&'static str> {
    let mut list: Vec<&'static str> = Vec::new();
    let n = 1 + usize::from(rng.chance(0.45)) + usize::from(rng.chance(0.1));
    for _ in 0..n {
        let pool: &[&'static str] = if rng.chance(0.8) {
            country.outlets
        } else {
            &INTERNATIONAL_OUTLETS
        };
        if let Some(&s) = rng.pick(pool)
            && !list.contains(&s)
        {
            list.push(s);
        }
    }
    // ACLED lists sources alphabetically.
    list.sort_unstable();
    list
}

fn pick_weighted(items: &[(&'static str, f64)], rng: &mut Rng) -> &'static str {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.unit() * total;
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items.last().map_or("", |(item, _)| item)
}

/// Uploaded between 3 and 60 days after the event, at some second of the day.
fn upload_time(day: Day, rng: &mut Rng) -> i64 {
    let delay = 3 + rng.below(58);
    let second = rng.below(86_400);
    let day = i64::from(day.0) + i64::try_from(delay).unwrap_or(0);
    day * 86_400 + i64::try_from(second).unwrap_or(0)
}

/// The notes in ACLED's manner: "On 3 May 2021, TTP militants ... in X (Y, Z). ..."
fn notes(r: &Record<'_>, crowd: Option<&str>, rng: &mut Rng) -> String {
    let (y, m, d) = r.day.ymd();
    let mut text = match r.time_precision {
        1 => format!("On {d} {} {y}, ", month_name(m)),
        2 => format!("Around {d} {} {y} (week of), ", month_name(m)),
        _ => format!("In {} {y} (month of), ", month_name(m)),
    };
    let verb = rng.pick(r.sub.verbs).copied().unwrap_or("{a1} acted");
    let a1 = actor_words(&r.actor1, &r.assoc1, crowd);
    let a2 = r.actor2.as_ref().map_or("others", |a| a.words.as_str());
    text.push_str(&verb.replace("{a1}", &a1).replace("{a2}", a2));
    let l = r.location;
    let _ = write!(text, " in {} ({}, {})", l.name, l.admin2, l.admin1);
    if r.actor1.role == Role::Protesters
        && let Some(demand) = rng.pick(&DEMANDS)
    {
        let _ = write!(text, " {demand}");
    }
    text.push('.');
    if rng.chance(0.2)
        && let Some(sentence) = rng.pick(&CONTEXT)
    {
        text.push(' ');
        text.push_str(sentence);
    }
    text.push_str(fatality_sentence(r.fatalities, rng).as_str());
    if let Some(crowd) = crowd {
        let _ = write!(text, " [size={crowd}]");
    }
    text
}

fn actor_words(actor: &Actor, assoc: &[String], crowd: Option<&str>) -> String {
    let Some(group) = assoc.first() else {
        return actor.words.clone();
    };
    let group = group.split(" (").next().unwrap_or(group).to_lowercase();
    match crowd {
        Some(size) if size.starts_with("around") => format!("{size} {group}"),
        _ => format!("{group} and other {}", actor.words),
    }
}

fn fatality_sentence(fatalities: u32, rng: &mut Rng) -> String {
    match fatalities {
        0 if rng.chance(0.15) => " No fatalities were reported.".to_owned(),
        0 => String::new(),
        3 | 10 if rng.chance(0.5) => {
            format!(" Unspecified number of fatalities coded as {fatalities}.")
        }
        1 => " One person was killed.".to_owned(),
        n => format!(" {n} people were killed."),
    }
}

// ---------------------------------------------------------------------------
// Writing.

/// Appends a CSV field, quoted per RFC 4180 when it needs to be.
fn csv_field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn acled_line(r: &Record<'_>, style: DateStyle, out: &mut String) {
    let (y, m, d) = r.day.ymd();
    let date = match style {
        DateStyle::Iso => r.day.to_string(),
        DateStyle::Long => format!("{d:02} {} {y}", month_name(m)),
    };
    let role2 = r.actor2.as_ref().map(|a| a.role);
    let interaction = match role2 {
        Some(b) => {
            let (lo, hi) = (r.actor1.role.min(b), r.actor1.role.max(b));
            format!("{}-{}", lo.label(), hi.label())
        }
        None => format!("{} only", r.actor1.role.label()),
    };
    let civilian = role2 == Some(Role::Civilians) && r.sub.event_type != "Strategic developments";
    let l = r.location;
    let fields: [&str; 31] = [
        &r.id,
        &date,
        &y.to_string(),
        &r.time_precision.to_string(),
        r.sub.disorder,
        r.sub.event_type,
        r.sub.name,
        &r.actor1.name,
        &r.assoc1.join("; "),
        r.actor1.role.label(),
        r.actor2.as_ref().map_or("", |a| a.name.as_str()),
        &r.assoc2.join("; "),
        role2.map_or("", Role::label),
        &interaction,
        if civilian { "Civilian targeting" } else { "" },
        &r.country.iso_num.to_string(),
        r.country.region,
        r.country.name,
        &l.admin1,
        &l.admin2,
        &l.admin3,
        &l.name,
        &format!("{:.4}", l.lon_lat[1]),
        &format!("{:.4}", l.lon_lat[0]),
        &l.geo_precision.to_string(),
        &r.sources.join("; "),
        r.source_scale,
        &r.notes,
        &r.fatalities.to_string(),
        &r.tags,
        &r.timestamp.to_string(),
    ];
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push('\n');
}

/// Appends a JSON string literal.
fn json_str(out: &mut String, value: &str) {
    out.push_str(&serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_owned()));
}

/// chronomap's category for an ACLED event type: lower case words only.
fn category(event_type: &str) -> &'static str {
    match event_type {
        "Battles" => "battles",
        "Protests" => "protests",
        "Riots" => "riots",
        "Explosions/Remote violence" => "explosions remote violence",
        "Violence against civilians" => "violence against civilians",
        _ => "strategic developments",
    }
}

fn json_line(r: &Record<'_>, last: bool, out: &mut String) {
    out.push_str("{\"id\":");
    json_str(out, &r.id.to_lowercase());
    out.push_str(",\"title\":");
    json_str(out, &format!("{} in {}", r.sub.name, r.location.name));
    out.push_str(",\"date\":");
    json_date(r, out);
    out.push_str(",\"summary\":");
    json_str(out, &r.notes);
    out.push_str(",\"places\":[{\"name\":");
    json_str(out, &r.location.name);
    let [lon, lat] = r.location.lon_lat;
    let _ = write!(
        out,
        ",\"kind\":\"city\",\"country\":\"{}\",\"lon\":{lon:.4},\"lat\":{lat:.4}}}]",
        r.country.iso2
    );
    out.push_str(",\"actors\":[");
    let actors = json_actors(r);
    for (i, a) in actors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, a);
    }
    let _ = write!(
        out,
        "],\"category\":\"{}\",\"casualties\":{{\"killed\":{}}},\"sources\":[",
        category(r.sub.event_type),
        r.fatalities
    );
    for (i, s) in r.sources.iter().enumerate() {
        out.push_str(if i > 0 { ",{\"name\":" } else { "{\"name\":" });
        json_str(out, s);
        out.push('}');
    }
    out.push_str(if last { "]}\n" } else { "]},\n" });
}

/// The actors in ACLED's order, without repeats (as the ACLED loader lists them).
fn json_actors<'r>(r: &'r Record<'_>) -> Vec<&'r str> {
    let mut list: Vec<&str> = Vec::new();
    let names = std::iter::once(r.actor1.name.as_str())
        .chain(r.assoc1.iter().map(String::as_str))
        .chain(r.actor2.as_ref().map(|a| a.name.as_str()))
        .chain(r.assoc2.iter().map(String::as_str));
    for name in names {
        if !list.contains(&name) {
            list.push(name);
        }
    }
    list
}

/// ACLED's time precision as a chronomap date: the day, the week around it, its month.
fn json_date(r: &Record<'_>, out: &mut String) {
    match r.time_precision {
        1 => {
            let _ = write!(out, "\"{}\"", r.day);
        }
        2 => {
            let _ = write!(
                out,
                "{{\"from\":\"{}\",\"to\":\"{}\",\"wording\":\"that week\"}}",
                r.day.offset(-3),
                r.day.offset(3)
            );
        }
        _ => {
            let (y, m, _) = r.day.ymd();
            let _ = write!(out, "{{\"month\":\"{y:04}-{m:02}\"}}");
        }
    }
}

// ---------------------------------------------------------------------------
// The plain table and GeoJSON.

fn table_line(r: &Record<'_>, out: &mut String) {
    let [lon, lat] = r.location.lon_lat;
    let fields: [&str; 9] = [
        &r.id,
        &r.day.to_string(),
        &format!("{lat:.4}"),
        &format!("{lon:.4}"),
        &r.location.name,
        r.country.name,
        category(r.sub.event_type),
        &title(r),
        &json_actors(r).join("; "),
    ];
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push('\n');
}

/// "Armed clash in Peshawar".
fn title(r: &Record<'_>) -> String {
    format!("{} in {}", r.sub.name, r.location.name)
}

/// A point feature whose property names chronomap's GeoJSON loader knows.
fn geojson_line(r: &Record<'_>, last: bool, out: &mut String) {
    let [lon, lat] = r.location.lon_lat;
    let _ = write!(
        out,
        "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon:.4},{lat:.4}]}},\"properties\":{{\"id\":"
    );
    json_str(out, &r.id);
    let _ = write!(out, ",\"date\":\"{}\",\"title\":", r.day);
    json_str(out, &title(r));
    let _ = write!(
        out,
        ",\"category\":\"{}\",\"place\":",
        category(r.sub.event_type)
    );
    json_str(out, &r.location.name);
    out.push_str(",\"country\":");
    json_str(out, r.country.name);
    out.push_str(",\"actors\":[");
    for (i, a) in json_actors(r).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, a);
    }
    let _ = write!(out, "],\"fatalities\":{},\"source\":", r.fatalities);
    json_str(out, r.sources.first().copied().unwrap_or(""));
    out.push_str(",\"notes\":");
    json_str(out, &r.notes);
    out.push_str(if last { "}}\n" } else { "}},\n" });
}

// ---------------------------------------------------------------------------
// GDELT.

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum GdeltVersion {
    /// 1.0 daily files: 58 fields, no ADM2 codes, DATEADDED a day.
    V1,
    /// 2.0: 61 fields, ADM2 codes, DATEADDED to the second.
    V2,
}

/// How precisely an actor or action is located.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum GeoLevel {
    Unknown,
    Country,
    City,
}

/// One GDELT row for the event: its CAMEO coding, counts and tone come from
/// the event's own PRNG stream, so the other formats' bytes do not depend on them.
fn gdelt_line(r: &Record<'_>, version: GdeltVersion, id: u64, out: &mut String) {
    let mut rng = Rng::new(r.seed ^ 0x6DE1_7000_CA3E_0001);
    let mut fields: Vec<String> = Vec::with_capacity(61);
    let (y, m, d) = r.day.ymd();
    let first_of_year = Day::from_ymd(y, 1, 1).unwrap_or(r.day);
    // GDELT's FractionDate: the year plus the share of 365 days gone by.
    let fraction = f64::from(y) + f64::from(r.day.0 - first_of_year.0) / 365.0;
    fields.extend([
        id.to_string(),
        format!("{y:04}{m:02}{d:02}"),
        format!("{y:04}{m:02}"),
        y.to_string(),
        format!("{fraction:.4}"),
    ]);
    gdelt_actor(Some(&r.actor1), r.country, &mut fields);
    gdelt_actor(r.actor2.as_ref(), r.country, &mut fields);
    let code = rng.pick(cameo_codes(r.sub)).copied().unwrap_or("010");
    let root = code.get(..2).unwrap_or(code);
    let root_n: usize = root.parse().unwrap_or(1);
    let mentions = rng.geometric(5.0);
    let sources = 1 + rng.below(mentions.try_into().unwrap_or(1));
    let tone = rng.unit().mul_add(-9.0, 2.0);
    fields.extend([
        u8::from(rng.chance(0.6)).to_string(),
        code.to_owned(),
        code.get(..3).unwrap_or(code).to_owned(),
        root.to_owned(),
        quad_class(root_n).to_string(),
        format!(
            "{:.1}",
            GOLDSTEIN
                .get(root_n.wrapping_sub(1))
                .copied()
                .unwrap_or(0.0)
        ),
        mentions.to_string(),
        sources.to_string(),
        mentions.to_string(),
        tone.to_string(),
    ]);
    let actor_level = |rng: &mut Rng| match rng.unit() {
        x if x < 0.55 => GeoLevel::City,
        x if x < 0.9 => GeoLevel::Country,
        _ => GeoLevel::Unknown,
    };
    let level1 = actor_level(&mut rng);
    let level2 = if r.actor2.is_some() {
        actor_level(&mut rng)
    } else {
        GeoLevel::Unknown
    };
    gdelt_geo(r, level1, version, &mut fields);
    gdelt_geo(r, level2, version, &mut fields);
    gdelt_geo(r, GeoLevel::City, version, &mut fields);
    fields.push(date_added(r.timestamp, version));
    fields.push(source_url(r, id));
    out.push_str(&fields.join("\t"));
    out.push('\n');
}

/// Code, name, country, known group, ethnic, two religions, three types.
fn gdelt_actor(actor: Option<&Actor>, country: &Country, fields: &mut Vec<String>) {
    let Some(actor) = actor else {
        fields.extend(std::iter::repeat_n(String::new(), 10));
        return;
    };
    let (home, name, kind) = cameo_actor(actor, country);
    fields.extend([
        format!("{home}{kind}"),
        name,
        home.to_owned(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        kind.to_owned(),
        String::new(),
        String::new(),
    ]);
}

/// The CAMEO country, GDELT's upper-case name and the CAMEO type of an actor.
fn cameo_actor(actor: &Actor, country: &Country) -> (&'static str, String, &'static str) {
    let short = || {
        let name = actor.name.split(':').next().unwrap_or(&actor.name);
        name.split(" (").next().unwrap_or(name).to_uppercase()
    };
    let home = country.prefix;
    match actor.role {
        Role::State if actor.name.starts_with("Police") => (home, "POLICE".into(), "COP"),
        Role::State => (home, "MILITARY".into(), "MIL"),
        Role::Rebel => (home, short(), "REB"),
        Role::Militia if actor.name.starts_with("Unidentified") => (home, "GUNMEN".into(), "UAF"),
        Role::Militia => (home, short(), "PTY"),
        Role::Identity => (home, short(), "UAF"),
        Role::Rioters => (home, "RIOTER".into(), "OPP"),
        Role::Protesters => (home, "PROTESTER".into(), "OPP"),
        Role::Civilians => (home, "CIVILIAN".into(), "CVL"),
        Role::External => {
            let (code, name) = [
                ("United States", "USA", "UNITED STATES"),
                ("Israel", "ISR", "ISRAEL"),
                ("Russia", "RUS", "RUSSIA"),
            ]
            .into_iter()
            .find(|(word, _, _)| actor.name.contains(word))
            .map_or(("TUR", "TURKEY"), |(_, code, name)| (code, name));
            (code, name.into(), "MIL")
        }
    }
}

/// CAMEO event codes that fit an ACLED sub-event type (as strings: the
/// leading zeros matter).
fn cameo_codes(sub: &SubEvent) -> &'static [&'static str] {
    match sub.name {
        "Armed clash" => &["190", "193", "1823"],
        "Government regains territory" | "Non-state actor overtakes territory" => &["192", "190"],
        "Peaceful protest" => &["140", "141", "1411", "1412"],
        "Protest with intervention" | "Excessive force against protesters" => &["175", "1724"],
        "Violent demonstration" | "Mob violence" => &["145", "1451", "1452"],
        "Air/drone strike" => &["195", "1951"],
        "Shelling/artillery/missile attack" => &["194"],
        "Remote explosive/landmine/IED" | "Grenade" => &["183", "1833"],
        "Suicide bomb" => &["1831"],
        "Chemical weapon" => &["2041"],
        "Attack" => &["180", "182", "186"],
        "Abduction/forced disappearance" => &["181"],
        "Sexual violence" => &["1821"],
        "Arrests" => &["173"],
        "Looting/property destruction" => &["171", "1712"],
        "Agreement" => &["057", "0871"],
        "Non-violent transfer of territory" => &["0874"],
        "Other" => &["1723"],
        _ => &["010", "154", "020"],
    }
}

/// Goldstein scale values typical of each CAMEO root, 01 to 20.
const GOLDSTEIN: [f64; 20] = [
    0.0, 3.0, 4.0, 1.0, 3.5, 6.0, 7.0, 5.0, -2.0, -5.0, -2.0, -4.0, -6.0, -6.5, -7.2, -4.0, -7.0,
    -9.0, -10.0, -10.0,
];

/// QuadClass of a CAMEO root: verbal and material cooperation, verbal and
/// material conflict.
fn quad_class(root: usize) -> u8 {
    match root {
        0..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        _ => 4,
    }
}

/// One geographic block: type, full name, FIPS country, ADM1, (2.0: ADM2),
/// latitude, longitude, feature id.
fn gdelt_geo(r: &Record<'_>, level: GeoLevel, version: GdeltVersion, fields: &mut Vec<String>) {
    let c = r.country;
    let l = r.location;
    let v2 = version == GdeltVersion::V2;
    let block: Vec<String> = match level {
        GeoLevel::Unknown => std::iter::once("0".to_owned())
            .chain(std::iter::repeat_n(String::new(), if v2 { 7 } else { 6 }))
            .collect(),
        GeoLevel::Country => {
            let [lon, lat] = c.centroid_lon_lat;
            let mut block = vec![
                "1".to_owned(),
                c.name.to_owned(),
                c.fips.to_owned(),
                c.fips.to_owned(),
            ];
            if v2 {
                block.push(String::new());
            }
            block.extend([lat.to_string(), lon.to_string(), c.fips.to_owned()]);
            block
        }
        GeoLevel::City => {
            let [lon, lat] = l.lon_lat.map(|x| (x * 10_000.0).round() / 10_000.0);
            let mut block = vec![
                "4".to_owned(),
                format!("{}, {}, {}", l.name, l.admin1, c.name),
                c.fips.to_owned(),
                format!("{}{:02}", c.fips, fnv1a(&l.admin1) % 100),
            ];
            if v2 {
                block.push((10_000 + fnv1a(&l.admin2) % 90_000).to_string());
            }
            // GNS feature ids are signed; the location's index keeps them apart.
            let feature = if r.place_id.is_multiple_of(2) {
                i64::from(r.place_id) + 100_000
            } else {
                -(i64::from(r.place_id) + 100_000)
            };
            block.extend([lat.to_string(), lon.to_string(), feature.to_string()]);
            block
        }
    };
    fields.extend(block);
}

/// When GDELT saw the article: a day (1.0), or the 15-minute update of 2.0.
fn date_added(timestamp: i64, version: GdeltVersion) -> String {
    let day = Day(i32::try_from(timestamp.div_euclid(86_400)).unwrap_or(0));
    let (y, m, d) = day.ymd();
    let second = timestamp.rem_euclid(86_400);
    match version {
        GdeltVersion::V1 => format!("{y:04}{m:02}{d:02}"),
        GdeltVersion::V2 => {
            let (hour, minute) = (second / 3600, (second % 3600) / 900 * 15);
            format!("{y:04}{m:02}{d:02}{hour:02}{minute:02}00")
        }
    }
}

/// An article link at the event's first outlet.
fn source_url(r: &Record<'_>, id: u64) -> String {
    let outlet = r.sources.first().copied().unwrap_or("news");
    let domain: String = outlet
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let slug: String = title(r)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let (y, m, _) = r.day.ymd();
    format!("https://www.{domain}.com/{y:04}/{m:02}/{slug}-{id}")
}

/// FNV-1a, 32 bits: a fixed hash for made-up codes.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811C_9DC5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronomap::load::{Loaded, Loader, Source};

    fn load_bytes(
        name: &str,
        bytes: &[u8],
        atlas: &'static Atlas,
    ) -> Result<Loaded, chronomap::load::LoadError> {
        Loader::new(atlas).load(Source::bytes(name, bytes))
    }

    /// `rows` events in `format`, written with these extra flags.
    fn generate(format: &str, rows: usize, flags: &[&str]) -> Vec<u8> {
        let rows = rows.to_string();
        let base = [
            "gen-events",
            "--format",
            format,
            "--rows",
            &rows,
            "--out",
            "-",
        ];
        let args = Args::parse_from(base.iter().chain(flags));
        let atlas = Atlas::try_embedded().expect("the embedded atlas decodes");
        let mut world = World::new(atlas, args.seed);
        let drafts = world.drafts(args.rows, args.seed, args.distinct_places);
        let mut bytes = Vec::new();
        write_events(&args, &world, &drafts, &mut bytes).expect("writes to memory");
        bytes
    }

    #[test]
    fn every_format_loads_as_itself_without_problems() {
        let expected = [
            ("acled", "ACLED CSV (2023+ schema)"),
            ("json", "chronomap JSON"),
            ("gdelt2", "GDELT 2.0 (61 fields)"),
            ("gdelt1", "GDELT 1.0 (58 fields)"),
            ("csv", "plain CSV"),
            ("geojson", "GeoJSON"),
        ];
        let atlas = Atlas::try_embedded().expect("the embedded atlas decodes");
        for (format, detected) in expected {
            let bytes = generate(format, 300, &["--distinct-places", "30"]);
            let loaded = load_bytes(format, &bytes, atlas).expect(format);
            assert_eq!(loaded.report.format, detected, "{format}");
            assert_eq!(loaded.report.events, 300, "{format}");
            assert!(
                loaded.report.problems.is_empty(),
                "{format}: {:?}",
                loaded.report.problems
            );
        }
    }

    #[test]
    fn gdelt_rows_have_their_versions_field_counts() {
        for (format, fields) in [("gdelt2", 61), ("gdelt1", 58)] {
            let text = String::from_utf8(generate(format, 50, &[])).expect("UTF-8");
            for line in text.lines() {
                let cells: Vec<&str> = line.split('\t').collect();
                assert_eq!(cells.len(), fields, "{format}: {line}");
                assert!(cells[0].bytes().all(|b| b.is_ascii_digit()), "{line}");
                assert_eq!(cells[1].len(), 8, "SQLDATE of {line}");
                assert_eq!(
                    cells[26].get(..3),
                    Some(cells[27]),
                    "EventBaseCode of {line}"
                );
                assert_eq!(
                    cells[26].get(..2),
                    Some(cells[28]),
                    "EventRootCode of {line}"
                );
            }
        }
    }

    #[test]
    fn distinct_places_are_the_share_asked_for() {
        let atlas = Atlas::try_embedded().expect("the embedded atlas decodes");
        for (percent, places) in [("1", 4), ("30", 120), ("100", 400)] {
            let bytes = generate("acled", 400, &["--distinct-places", percent]);
            let loaded = load_bytes("acled", &bytes, atlas).expect("loads");
            assert_eq!(loaded.dataset.places.len(), places, "{percent}%");
        }
    }

    #[test]
    fn spreading_places_keeps_the_other_values() {
        let atlas = Atlas::try_embedded().expect("the embedded atlas decodes");
        let mut world = World::new(atlas, 42);
        let shared = world.drafts(500, 42, None);
        let spread = world.drafts(500, 42, Some(100));
        let key = |d: &Draft| (d.day, d.sub, d.seed);
        let mut a: Vec<_> = shared.iter().map(key).collect();
        let mut b: Vec<_> = spread.iter().map(key).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        assert!(
            shared
                .iter()
                .zip(&spread)
                .any(|(x, y)| x.location != y.location)
        );
    }

    #[test]
    fn the_same_arguments_give_the_same_bytes() {
        for format in ["gdelt2", "csv", "geojson"] {
            let flags = ["--distinct-places", "50", "--seed", "7"];
            assert_eq!(generate(format, 200, &flags), generate(format, 200, &flags));
        }
    }

    #[test]
    fn numbered_names_differ() {
        let names: HashSet<String> = (0..100_000).map(numbered_name).collect();
        assert_eq!(names.len(), 100_000);
        assert_eq!(numbered_name(0), "Sertan");
    }
}
