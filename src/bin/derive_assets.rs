//! `derive-assets`: derives `assets/world.atlas` from Natural Earth and GeoNames.
//!
//! ```text
//! cargo run --release --bin derive-assets -- ../shared/geodata assets
//! ```
//!
//! Reads the 10m admin-0 and admin-1 polygons and the GeoNames cities and countries (see
//! `assets/README.md` and the sources' `SOURCES.md`), fixes known data quirks, and writes a
//! compact, deterministic binary (byte-identical on re-run). This is the only file that reads
//! the sources; everything it does to the geometry lives in `chronomap::atlas::build`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::error::Error;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chronomap::atlas::build::{BuildOptions, SourceRegion, build};
use chronomap::atlas::codec::{self, AtlasFile, CityRecord, RegionRecord};
use chronomap::atlas::fold_name;
use serde_json::{Map, Value};

type Result<T> = std::result::Result<T, Box<dyn Error>>;
type Properties = Map<String, Value>;

/// Coordinates are stored in 1e-5 degrees (≈1.1 m): the precision of the sources.
const QUANTUM_PER_DEGREE: u32 = 100_000;

/// Douglas–Peucker tolerances of the levels of detail, as degrees of longitude (at the equator;
/// they are applied in Web Mercator, so they stay the same number of pixels at every latitude).
/// 0.005° ≈ 550 m is well below the ≈1 km accuracy of 1:10m data; 0.2° is a pixel at world
/// view on a 1,800-pixel-wide map.
const TOLERANCES_DEG: [f64; 4] = [0.005, 0.02, 0.06, 0.2];

const COUNTRIES_FILE: &str = "ne_10m_admin_0_countries_deu.geojson";
const PROVINCES_FILE: &str = "ne_10m_admin_1_states_provinces.geojson";
const CITIES_FILE: &str = "geonames_cities15000.json";
const COUNTRY_INFO_FILE: &str = "geonames_countries.json";
const OUTPUT_FILE: &str = "world.atlas";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (sources, out) = match args.as_slice() {
        [sources, out] => (sources.as_str(), out.as_str()),
        [] => ("../shared/geodata", "assets"),
        _ => {
            eprintln!("usage: derive-assets [SOURCES_DIR OUTPUT_DIR]");
            return ExitCode::FAILURE;
        }
    };
    match run(Path::new(sources), Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("derive-assets: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(sources: &Path, out: &Path) -> Result<()> {
    let started = Instant::now();
    let country_info = read_json(&sources.join(COUNTRY_INFO_FILE))?;
    let countries = countries(&read_json(&sources.join(COUNTRIES_FILE))?, &country_info)?;
    let provinces = provinces(&read_json(&sources.join(PROVINCES_FILE))?)?;
    let cities = cities(&read_json(&sources.join(CITIES_FILE))?, &country_info)?;
    eprintln!(
        "read {} countries, {} provinces, {} cities in {:.1} s",
        countries.len(),
        provinces.len(),
        cities.len(),
        started.elapsed().as_secs_f64()
    );
    let options = BuildOptions {
        quantum_per_degree: QUANTUM_PER_DEGREE,
        tolerances_world: TOLERANCES_DEG
            .iter()
            .map(|degrees| degrees / 360.0)
            .collect(),
    };
    let file = build(&options, countries, provinces, cities);
    report(&file);
    let bytes = codec::encode(&file);
    let path = out.join(OUTPUT_FILE);
    std::fs::write(&path, &bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s",
        path.display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()).into())
}

/// Prints what went into the file, per level.
fn report(file: &AtlasFile) {
    eprintln!(
        "arcs: {}, points: {}",
        file.arcs.len(),
        file.arcs.points_q.len()
    );
    for (level, tolerance) in (0u8..).zip(&file.tolerances_world) {
        let points = file.arcs.keep.iter().filter(|&&keep| keep > level).count();
        let rings = file
            .countries
            .iter()
            .chain(&file.provinces)
            .flat_map(|region| region.polygons.iter().flatten())
            .filter(|ring| ring.level_count > level)
            .count();
        eprintln!(
            "level {level}: tolerance {:.4}° at the equator, {points} arc points, {rings} rings",
            tolerance * 360.0
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Countries (Natural Earth admin-0).

/// Natural Earth `NAME_EN` values that are wrong or odd as display names, by `ADM0_A3`.
const COUNTRY_NAME_FIXES: [(&str, &str); 3] = [
    ("CHN", "China"),
    ("PGA", "Spratly Islands"),
    ("ESB", "Dhekelia"),
];

fn countries(geojson: &Value, country_info: &Value) -> Result<Vec<SourceRegion>> {
    let features = features(geojson)?;
    let primary_codes: HashSet<String> = features
        .iter()
        .filter_map(|feature| Some(country_code(properties(feature)?)))
        .collect();
    let iso2_codes: HashSet<String> = features
        .iter()
        .filter_map(|feature| valid(str_property(properties(feature)?, "ISO_A2")))
        .collect();
    features
        .iter()
        .map(|feature| {
            let properties = properties(feature).ok_or("country feature without properties")?;
            let mut record = country_record(properties, country_info);
            // An "EH" code that is another entity's own code (Brazilian Island's "BRA") would
            // make a code lookup ambiguous: keep such codes for their owner only.
            let own_iso2 = valid(str_property(properties, "ISO_A2"));
            record.alt_codes.retain(|code| {
                !primary_codes.contains(code)
                    && (own_iso2.as_deref() == Some(code) || !iso2_codes.contains(code))
            });
            Ok(SourceRegion {
                record,
                polygons_q: polygons(feature)?,
            })
        })
        .collect()
}

/// ISO alpha-3, or Natural Earth's `ADM0_A3` where ISO has none (France's `ISO_A3` is -99).
fn country_code(properties: &Properties) -> String {
    valid(str_property(properties, "ISO_A3")).unwrap_or_else(|| str_property(properties, "ADM0_A3"))
}

fn country_record(properties: &Properties, country_info: &Value) -> RegionRecord {
    let adm0 = str_property(properties, "ADM0_A3");
    let fixed_name = COUNTRY_NAME_FIXES
        .iter()
        .find(|(code, _)| *code == adm0)
        .map(|(_, name)| (*name).to_owned());
    let name = fixed_name
        .clone()
        .or_else(|| valid(str_property(properties, "NAME_EN")))
        .unwrap_or_else(|| str_property(properties, "NAME"));
    let code = country_code(properties);
    let iso2 = valid(str_property(properties, "ISO_A2"))
        .or_else(|| valid(str_property(properties, "ISO_A2_EH")))
        .unwrap_or_default();
    let mut name_keys = vec![
        "NAME",
        "NAME_LONG",
        "ADMIN",
        "FORMAL_EN",
        "NAME_SORT",
        "NAME_CIAWF",
        "BRK_NAME",
        "GEOUNIT",
    ];
    if fixed_name.is_none() {
        name_keys.push("NAME_EN");
        name_keys.extend(TRANSLATED_NAME_KEYS);
    }
    let mut alt_names: Vec<String> = name_keys
        .iter()
        .map(|key| str_property(properties, key))
        .chain(split_names(&str_property(properties, "NAME_ALT")))
        .collect();
    if let Some(info_name) = country_info
        .get(&iso2)
        .and_then(|info| info.get("name"))
        .and_then(Value::as_str)
    {
        alt_names.push(info_name.to_owned());
    }
    let alt_codes = [
        str_property(properties, "ISO_A2"),
        adm0.clone(),
        str_property(properties, "ISO_A3_EH"),
        str_property(properties, "ISO_A2_EH"),
    ];
    RegionRecord {
        alt_names: distinct_names(&name, alt_names),
        alt_codes: distinct_codes(&code, alt_codes),
        country_iso2: iso2,
        country_name: name.clone(),
        kind: str_property(properties, "TYPE"),
        label_lon_lat_q: [
            quantise(f64_property(properties, "LABEL_X")),
            quantise(f64_property(properties, "LABEL_Y")),
        ],
        label_rank: u8_property(properties, "LABELRANK"),
        min_zoom: f32_property(properties, "MIN_ZOOM"),
        name,
        code,
        polygons: Vec::new(),
    }
}

/// Natural Earth's country names in other languages: event data in Arabic, Farsi, Urdu, Russian
/// … can name countries this way.
const TRANSLATED_NAME_KEYS: [&str; 25] = [
    "NAME_AR", "NAME_BN", "NAME_DE", "NAME_EL", "NAME_ES", "NAME_FA", "NAME_FR", "NAME_HE",
    "NAME_HI", "NAME_HU", "NAME_ID", "NAME_IT", "NAME_JA", "NAME_KO", "NAME_NL", "NAME_PL",
    "NAME_PT", "NAME_RU", "NAME_SV", "NAME_TR", "NAME_UK", "NAME_UR", "NAME_VI", "NAME_ZH",
    "NAME_ZHT",
];

// ---------------------------------------------------------------------------------------------
// Provinces (Natural Earth admin-1).

/// Corrections for features that Natural Earth labels with a neighbour's name (see
/// `SOURCES.md`): by `adm1_code`, the true name, ISO 3166-2 code and alt names. Their `name`,
/// `name_alt`, `woe_name` and HASC code belong to the neighbour and are dropped.
struct ProvinceFix {
    adm1_code: &'static str,
    name: &'static str,
    iso_3166_2: &'static str,
    alt_names: &'static [&'static str],
}

const PROVINCE_FIXES: [ProvinceFix; 2] = [
    // Natural Earth labels it as a second "Parwan"; gn_name and gn_a1_code (AF.42) are right.
    ProvinceFix {
        adm1_code: "AFG-1769",
        name: "Panjshir",
        iso_3166_2: "AF-PAN",
        alt_names: &["Panjsher", "Panjshayr", "Panjshir Province"],
    },
    // Natural Earth labels it as a second "Uruzgan"; gn_name and woe_name say Daykundi.
    ProvinceFix {
        adm1_code: "AFG-1753",
        name: "Daykundi",
        iso_3166_2: "AF-DAY",
        alt_names: &["Daikundi", "Dai Kundi", "Daykundi Province"],
    },
];

fn provinces(geojson: &Value) -> Result<Vec<SourceRegion>> {
    features(geojson)?
        .iter()
        .map(|feature| {
            let properties = properties(feature).ok_or("province feature without properties")?;
            Ok(SourceRegion {
                record: province_record(properties),
                polygons_q: polygons(feature)?,
            })
        })
        .collect()
}

fn province_record(properties: &Properties) -> RegionRecord {
    let adm1_code = str_property(properties, "adm1_code");
    let fix = PROVINCE_FIXES.iter().find(|fix| fix.adm1_code == adm1_code);
    let mut record = match fix {
        Some(fix) => fixed_province_names(properties, fix),
        None => province_names(properties),
    };
    let country_iso2 = valid(str_property(properties, "iso_a2")).unwrap_or_default();
    record.alt_names = distinct_names(&record.name, std::mem::take(&mut record.alt_names));
    record.alt_codes = distinct_codes(&record.code, std::mem::take(&mut record.alt_codes));
    RegionRecord {
        country_iso2,
        country_name: str_property(properties, "admin"),
        kind: valid(str_property(properties, "type_en"))
            .or_else(|| valid(str_property(properties, "type")))
            .unwrap_or_default(),
        label_lon_lat_q: [
            quantise(f64_property(properties, "longitude")),
            quantise(f64_property(properties, "latitude")),
        ],
        label_rank: u8_property(properties, "labelrank"),
        min_zoom: f32_property(properties, "min_zoom"),
        ..record
    }
}

/// Names and codes of an ordinary province: `name_en` first, since Natural Earth's `name` uses
/// short or old forms ("F.C.T.", "K.P.", "Sind").
fn province_names(properties: &Properties) -> RegionRecord {
    let name = ["name_en", "name", "gn_name", "woe_name", "adm1_code"]
        .iter()
        .find_map(|key| valid(str_property(properties, key)))
        .unwrap_or_default();
    let alt_names = ["name", "gn_name", "woe_name", "gns_name"]
        .iter()
        .map(|key| str_property(properties, key))
        .chain(split_names(&str_property(properties, "name_alt")))
        .chain(split_names(&str_property(properties, "name_local")))
        .collect();
    let code = valid(str_property(properties, "iso_3166_2"))
        .unwrap_or_else(|| str_property(properties, "adm1_code"));
    let alt_codes = ["adm1_code", "gn_a1_code", "code_hasc"]
        .iter()
        .map(|key| str_property(properties, key))
        .collect();
    RegionRecord {
        name,
        alt_names,
        code,
        alt_codes,
        ..RegionRecord::default()
    }
}

fn fixed_province_names(properties: &Properties, fix: &ProvinceFix) -> RegionRecord {
    RegionRecord {
        name: fix.name.to_owned(),
        alt_names: fix
            .alt_names
            .iter()
            .map(|&name| name.to_owned())
            .chain(valid(str_property(properties, "gn_name")))
            .collect(),
        code: fix.iso_3166_2.to_owned(),
        alt_codes: ["adm1_code", "gn_a1_code"]
            .iter()
            .map(|key| str_property(properties, key))
            .collect(),
        ..RegionRecord::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Cities (GeoNames).

fn cities(json: &Value, country_info: &Value) -> Result<Vec<CityRecord>> {
    let places = json.as_object().ok_or("cities: expected an object")?;
    let mut cities: Vec<CityRecord> = places.values().filter_map(city_record).collect();
    mark_capitals(&mut cities, country_info);
    Ok(cities)
}

fn city_record(place: &Value) -> Option<CityRecord> {
    let name = place.get("name")?.as_str()?.to_owned();
    let country_iso2 = place.get("countrycode")?.as_str()?.to_owned();
    let admin1_code = place
        .get("admin1code")
        .and_then(Value::as_str)
        .unwrap_or("");
    let admin1 = if admin1_code.is_empty() {
        String::new()
    } else {
        format!("{country_iso2}.{admin1_code}")
    };
    let alt_names = city_alt_names(&name, place.get("alternatenames"));
    Some(CityRecord {
        geoname_id: u32::try_from(place.get("geonameid")?.as_u64()?).ok()?,
        lon_lat_q: [
            quantise(place.get("longitude")?.as_f64()?),
            quantise(place.get("latitude")?.as_f64()?),
        ],
        population: place.get("population").and_then(Value::as_u64).unwrap_or(0),
        capital: false,
        name,
        alt_names,
        country_iso2,
        admin1,
    })
}

/// The alternate names worth keeping: Latin script, written by people rather than generated.
///
/// GeoNames lists dozens of names per city in every script; most of the size is there. Event
/// data that reaches this app names places in Latin script, so other scripts are dropped, and
/// so are all-lower-case entries (machine transliterations such as "iseullamabadeu"), short
/// all-caps codes ("ISB", an airport), names with digits, and names that fold to one already
/// kept.
fn city_alt_names(name: &str, alternatenames: Option<&Value>) -> Vec<String> {
    let mut names: Vec<&str> = alternatenames
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    names.sort_unstable();
    let mut seen = HashSet::from([fold_name(name)]);
    names
        .into_iter()
        .filter(|alt| is_useful_city_alt_name(alt))
        .filter(|alt| seen.insert(fold_name(alt)))
        .map(str::to_owned)
        .collect()
}

fn is_useful_city_alt_name(name: &str) -> bool {
    let has_upper = name.chars().any(char::is_uppercase);
    let is_code = name.chars().count() <= 4 && name.chars().all(|ch| ch.is_ascii_uppercase());
    has_upper
        && !is_code
        && !name.chars().any(|ch| ch.is_ascii_digit())
        && name.chars().all(is_latin_script)
}

/// Latin letters (with diacritics), ASCII punctuation, and the modifier letters used in
/// romanisations (ʻ ʼ ʿ).
fn is_latin_script(ch: char) -> bool {
    matches!(ch, '\u{0}'..='\u{024F}' | '\u{02B0}'..='\u{02FF}' | '\u{1E00}'..='\u{1EFF}' | '\u{2018}'..='\u{2019}')
}

/// Flags each country's capital: the most populous city in that country whose name (else an
/// alt name) folds to GeoNames' `capital`.
fn mark_capitals(cities: &mut [CityRecord], country_info: &Value) {
    let Some(countries) = country_info.as_object() else {
        return;
    };
    let mut by_country: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, city) in cities.iter().enumerate() {
        by_country
            .entry(city.country_iso2.as_str())
            .or_default()
            .push(index);
    }
    let mut capitals = BTreeSet::new();
    for (iso2, info) in countries {
        let capital = info.get("capital").and_then(Value::as_str).unwrap_or("");
        let candidates = by_country.get(iso2.as_str()).map_or(&[][..], Vec::as_slice);
        if let Some(index) = find_capital(cities, candidates, capital) {
            capitals.insert(index);
        }
    }
    for index in capitals {
        if let Some(city) = cities.get_mut(index) {
            city.capital = true;
        }
    }
}

fn find_capital(cities: &[CityRecord], candidates: &[usize], capital: &str) -> Option<usize> {
    let wanted = fold_name(capital);
    if wanted.is_empty() {
        return None;
    }
    let best = |matches: &dyn Fn(&CityRecord) -> bool| {
        candidates
            .iter()
            .filter_map(|&index| Some((index, cities.get(index)?)))
            .filter(|(_, city)| matches(city))
            .max_by_key(|(index, city)| (city.population, std::cmp::Reverse(*index)))
            .map(|(index, _)| index)
    };
    best(&|city| fold_name(&city.name) == wanted)
        .or_else(|| best(&|city| city.alt_names.iter().any(|alt| fold_name(alt) == wanted)))
}

// ---------------------------------------------------------------------------------------------
// GeoJSON and property helpers.

fn features(geojson: &Value) -> Result<&Vec<Value>> {
    Ok(geojson
        .get("features")
        .and_then(Value::as_array)
        .ok_or("expected a GeoJSON FeatureCollection")?)
}

fn properties(feature: &Value) -> Option<&Properties> {
    feature.get("properties")?.as_object()
}

/// Polygon or MultiPolygon coordinates, quantised.
fn polygons(feature: &Value) -> Result<Vec<Vec<Vec<[i32; 2]>>>> {
    let geometry = feature.get("geometry").ok_or("feature without geometry")?;
    let coordinates = geometry
        .get("coordinates")
        .ok_or("geometry without coordinates")?;
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(vec![polygon(coordinates)?]),
        Some("MultiPolygon") => coordinates
            .as_array()
            .ok_or("bad MultiPolygon")?
            .iter()
            .map(polygon)
            .collect(),
        other => Err(format!("unsupported geometry type {other:?}").into()),
    }
}

fn polygon(rings: &Value) -> Result<Vec<Vec<[i32; 2]>>> {
    rings
        .as_array()
        .ok_or("bad polygon")?
        .iter()
        .map(|ring| {
            ring.as_array()
                .ok_or("bad ring")?
                .iter()
                .map(|position| {
                    let lon = position
                        .get(0)
                        .and_then(Value::as_f64)
                        .ok_or("bad position")?;
                    let lat = position
                        .get(1)
                        .and_then(Value::as_f64)
                        .ok_or("bad position")?;
                    Ok([quantise(lon), quantise(lat)])
                })
                .collect()
        })
        .collect()
}

/// Degrees to integer quanta.
fn quantise(degrees: f64) -> i32 {
    let quanta = (degrees * f64::from(QUANTUM_PER_DEGREE))
        .round()
        .clamp(f64::from(i32::MIN), f64::from(i32::MAX));
    #[expect(clippy::cast_possible_truncation, reason = "clamped to i32")]
    let quanta = quanta as i32;
    quanta
}

fn str_property(properties: &Properties, key: &str) -> String {
    match properties.get(key) {
        Some(Value::String(text)) => text.trim().to_owned(),
        _ => String::new(),
    }
}

fn f64_property(properties: &Properties, key: &str) -> f64 {
    properties.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "label ranks and zooms are small numbers"
)]
fn f32_property(properties: &Properties, key: &str) -> f32 {
    f64_property(properties, key) as f32
}

fn u8_property(properties: &Properties, key: &str) -> u8 {
    properties
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|value| u8::try_from(value).ok())
        .unwrap_or(u8::MAX)
}

/// `Some(text)` unless it is empty or Natural Earth's "-99" (no value).
fn valid(text: String) -> Option<String> {
    (!text.is_empty() && text != "-99").then_some(text)
}

/// Splits Natural Earth's `a|b|c` name lists.
fn split_names(names: &str) -> Vec<String> {
    names
        .split('|')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Keeps the first spelling of every folded name, without the display name itself.
fn distinct_names(name: &str, names: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::from([fold_name(name)]);
    names
        .into_iter()
        .filter_map(valid)
        .filter(|alt| seen.insert(fold_name(alt)))
        .collect()
}

/// Keeps valid codes once, without the primary code.
fn distinct_codes(code: &str, codes: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::from([code.to_owned()]);
    codes
        .into_iter()
        .filter_map(valid)
        .filter(|alt| seen.insert(alt.clone()))
        .collect()
}
