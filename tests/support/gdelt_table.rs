//! A synthetic GDELT 2.0 event table made on a ClickHouse server, for the
//! ClickHouse tests and benches: the 61 columns of GDELT 2.0's export in
//! its order (so `SELECT *` in TabSeparated reads back through chronomap's
//! GDELT loader), with `SQLDATE` a `YYYYMMDD` integer, made by
//! `INSERT … SELECT … FROM numbers(offset, count)` in chunks, so a hundred
//! million rows never pass through the client or sit in memory at once.
//!
//! What the rows look like:
//! - Dates: 2015-01-01 to 2024-12-31 (3,653 days), row `n` of `N` on a day
//!   that grows with `n`, so ids grow with the date as GDELT's do; the
//!   volume swings ±30 % within each week.
//! - Places: the 4,000 largest cities of chronomap's gazetteer, world-wide,
//!   drawn with weights population^0.75, times a few countries' weight in
//!   the news (the United States ×8, the United Kingdom ×4, …); 15 % of rows
//!   are located at their country's label point only (ActionGeo_Type 1),
//!   20 % at a point of their own within 0.3° of the city (distinct
//!   points), the rest exactly at the city (types 3, US cities, and 4).
//! - CAMEO root codes `01`–`20`, skewed as GDELT's are: statements (01,
//!   12 %), consultations (04, 17 %), disapproval (11, 8 %) and coercion
//!   (17, 7 %) common; fights (19, 5.5 %) less so; mass violence (20)
//!   0.5 %. QuadClass and GoldsteinScale follow the root.
//! - Actors: the country's name (40 % of Actor1) or a role (GOVERNMENT,
//!   POLICE, …); Actor2 empty on 30 % of rows.
//! - SOURCEURL: a link on one of 40 outlets, unique per row (it ends in the
//!   id), as GDELT's are.
//!
//! Every value comes from the row number through `cityHash64(n, salt)`, so
//! a table of `N` rows is the same however it was chunked, and row `n`
//! has `GLOBALEVENTID = FIRST_ID + n`.
//!
//! The including crate must also include `tests/support/clickhouse_server.rs`
//! as `clickhouse_server` at its root (the test suite and the benches do).
//!
//! Only SQL that ClickHouse 18.16 (the Debian package) accepts: no
//! `numbers_mt`, no `WITH FILL`, no query parameters (every value here is a
//! number or a literal this file writes).

#![allow(
    dead_code,
    reason = "each test or bench that includes this module uses the part it needs"
)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use chronomap::atlas::Atlas;
use chronomap::model::Day;

use crate::clickhouse_server::Server;

/// `GLOBALEVENTID` of row 0 (real ids of 2015 were about this long).
pub const FIRST_ID: u64 = 410_000_000;
/// The first day: 2015-01-01.
pub const FIRST_DATE: &str = "2015-01-01";
/// Days from the first to the last (2024-12-31), both included.
pub const SPAN_DAYS: u32 = 3_653;
/// Rows per `INSERT … SELECT` unless told otherwise.
pub const CHUNK_ROWS: u64 = 10_000_000;
/// Places drawn from.
const PLACES: usize = 4_000;
/// Slots of the weighted draw (a row's place is a slot's, by a hash).
const SLOTS: usize = 65_536;
/// The volume's swing within a week.
const WEEKLY_SWING: f64 = 0.3;

/// Thresholds (per mille, cumulative) of the CAMEO roots 01..20.
const ROOT_PER_MILLE: [u32; 20] = [
    120, 55, 95, 170, 75, 20, 30, 20, 20, 25, 80, 30, 30, 25, 10, 25, 70, 40, 55, 5,
];
/// GoldsteinScale of each root.
const GOLDSTEIN: [f64; 20] = [
    0.0, 3.0, 4.0, 1.0, 3.5, 6.0, 7.0, 5.0, -2.0, -5.0, -2.0, -4.0, -6.0, -6.5, -7.2, -4.0, -7.0,
    -9.0, -10.0, -10.0,
];
/// Actors that are roles, with their CAMEO type codes.
const ROLES: [(&str, &str); 15] = [
    ("GOVERNMENT", "GOV"),
    ("POLICE", "COP"),
    ("MILITARY", "MIL"),
    ("PRESIDENT", "GOV"),
    ("PRIME MINISTER", "GOV"),
    ("COMPANY", "BUS"),
    ("SCHOOL", "EDU"),
    ("COURT", "JUD"),
    ("JOURNALIST", "MED"),
    ("PROTESTER", "OPP"),
    ("CIVILIAN", "CVL"),
    ("PARLIAMENT", "LEG"),
    ("REBEL", "REB"),
    ("HOSPITAL", "HLH"),
    ("CRIMINAL", "CRM"),
];
/// News outlets of the links.
const OUTLETS: [&str; 40] = [
    "dailynews",
    "theherald",
    "morningpost",
    "worldwire",
    "citytimes",
    "nationaltribune",
    "eveningstar",
    "globalreport",
    "theobserver",
    "pressgazette",
    "newsdesk",
    "thechronicle",
    "metroexpress",
    "dailymonitor",
    "weeklyleader",
    "coastalnews",
    "valleyjournal",
    "capitalreview",
    "thesentinel",
    "frontierpost",
    "eastbulletin",
    "westernmail",
    "northerntimes",
    "southernstar",
    "theregister",
    "independentnews",
    "publicvoice",
    "cityledger",
    "dailyexaminer",
    "nationalherald",
    "thedispatch",
    "newsobserver",
    "bulletinworld",
    "courierdaily",
    "thegazette",
    "pioneerpress",
    "morningcall",
    "dailyrecord",
    "inquirernews",
    "thepatriot",
];
/// Words of the links' slugs.
const WORDS: [&str; 16] = [
    "talks", "protest", "visit", "meeting", "clash", "police", "court", "election", "aid",
    "attack", "summit", "deal", "strike", "report", "warning", "crisis",
];
/// Weight in the news beyond population, by ISO 3166-1 alpha-2.
const NEWS_WEIGHT: [(&str, f64); 16] = [
    ("US", 8.0),
    ("GB", 4.0),
    ("AU", 3.0),
    ("CA", 3.0),
    ("IL", 4.0),
    ("UA", 3.0),
    ("SY", 3.0),
    ("AF", 3.0),
    ("IQ", 3.0),
    ("IR", 2.0),
    ("RU", 2.0),
    ("FR", 2.0),
    ("DE", 2.0),
    ("PK", 2.0),
    ("NG", 2.0),
    ("IE", 2.0),
];

/// A table made by [`create`].
#[derive(Clone, Debug)]
pub struct GdeltTable {
    /// `database.table`.
    pub name: String,
    /// Its rows.
    pub rows: u64,
    /// Seconds the inserts took (the places' table included).
    pub seconds: f64,
}

impl GdeltTable {
    /// The first day of the span.
    pub fn first_day() -> Day {
        Day::parse_iso(FIRST_DATE).expect("a date")
    }

    /// The last day of the span.
    pub fn last_day() -> Day {
        Self::first_day().offset(SPAN_DAYS as i32 - 1)
    }
}

/// The `CREATE TABLE` statement of a GDELT 2.0 event table named `name`
/// (`database.table`): partitioned by month of `SQLDATE`, ordered by date
/// and id.
pub fn create_table_sql(name: &str) -> String {
    let text = |prefix: &str, fields: &[&str]| -> String {
        fields
            .iter()
            .map(|f| format!("    {prefix}{f} String,\n"))
            .collect()
    };
    let actor_fields = [
        "Code",
        "Name",
        "CountryCode",
        "KnownGroupCode",
        "EthnicCode",
        "Religion1Code",
        "Religion2Code",
        "Type1Code",
        "Type2Code",
        "Type3Code",
    ];
    let geo = |prefix: &str| -> String {
        format!(
            "    {prefix}_Type UInt8,\n    {prefix}_FullName String,\n    {prefix}_CountryCode String,\n    \
             {prefix}_ADM1Code String,\n    {prefix}_ADM2Code String,\n    {prefix}_Lat Float64,\n    \
             {prefix}_Long Float64,\n    {prefix}_FeatureID String,\n"
        )
    };
    // The month of a YYYYMMDD integer, through a Date as the brief of the
    // schema has it; `intDiv(SQLDATE, 100)` would make the same partitions.
    let month = "toYYYYMM(toDate(concat(substring(toString(SQLDATE), 1, 4), '-', \
                 substring(toString(SQLDATE), 5, 2), '-', substring(toString(SQLDATE), 7, 2))))";
    format!(
        "CREATE TABLE {name} (\n    GLOBALEVENTID UInt64,\n    SQLDATE UInt32,\n    MonthYear UInt32,\n    \
         Year UInt16,\n    FractionDate Float64,\n{a1}{a2}    IsRootEvent UInt8,\n    EventCode String,\n    \
         EventBaseCode String,\n    EventRootCode String,\n    QuadClass UInt8,\n    GoldsteinScale Float64,\n    \
         NumMentions UInt32,\n    NumSources UInt32,\n    NumArticles UInt32,\n    AvgTone Float64,\n\
         {g1}{g2}{g3}    DATEADDED UInt64,\n    SOURCEURL String\n) ENGINE = MergeTree() PARTITION BY {month} \
         ORDER BY (SQLDATE, GLOBALEVENTID)",
        a1 = text("Actor1", &actor_fields),
        a2 = text("Actor2", &actor_fields),
        g1 = geo("Actor1Geo"),
        g2 = geo("Actor2Geo"),
        g3 = geo("ActionGeo"),
    )
}

/// Makes `name` (`database.table`, which must not exist) with `rows` rows,
/// `CHUNK_ROWS` per insert.
///
/// # Errors
/// The server's message when a statement fails.
pub fn create(server: &Server, name: &str, rows: u64) -> Result<GdeltTable, String> {
    create_chunked(server, name, rows, CHUNK_ROWS, |_| {})
}

/// [`create`] with `chunk` rows per insert, calling `progress` with the
/// rows written after each.
///
/// # Errors
/// As [`create`].
pub fn create_chunked(
    server: &Server,
    name: &str,
    rows: u64,
    chunk: u64,
    mut progress: impl FnMut(u64),
) -> Result<GdeltTable, String> {
    let started = Instant::now();
    let places = format!("{name}_places");
    server.query(&format!(
        "CREATE TABLE {places} (slot UInt32, p_lat Float64, p_lon Float64, p_name String, \
         p_cc String, p_cc3 String, p_adm1 String, p_fid String, p_slug String, c_lat Float64, \
         c_lon Float64, c_name String) ENGINE = Memory"
    ))?;
    let filled = server
        .query(&format!(
            "INSERT INTO {places} FORMAT TabSeparated\n{}",
            places_tsv(Atlas::embedded())
        ))
        .and_then(|_| server.query(&create_table_sql(name)))
        .and_then(|_| {
            let mut done = 0;
            while done < rows {
                let count = chunk.max(1).min(rows - done);
                server.query(&insert_sql(name, &places, rows, done, count))?;
                done += count;
                progress(done);
            }
            Ok(())
        });
    let dropped = server.query(&format!("DROP TABLE {places}"));
    filled?;
    dropped?;
    Ok(GdeltTable {
        name: name.to_owned(),
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Waits until the server has no merges running for `name` (at most
/// `timeout`), so timings do not share the cores with them; the parts left.
///
/// # Errors
/// The server's message.
pub fn settle(server: &Server, name: &str, timeout: std::time::Duration) -> Result<u64, String> {
    let (database, table) = name.split_once('.').unwrap_or(("default", name));
    let started = Instant::now();
    loop {
        let merging = server.query(&format!(
            "SELECT count() FROM system.merges WHERE database = '{database}' AND table = '{table}'"
        ))?;
        if merging.trim() == "0" || started.elapsed() > timeout {
            let parts = server.query(&format!(
                "SELECT count() FROM system.parts WHERE active AND database = '{database}' AND table = '{table}'"
            ))?;
            return parts
                .trim()
                .parse()
                .map_err(|e| format!("parts: {e}: {parts}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// `INSERT INTO name SELECT …` of rows `offset..offset + count` of a table
/// of `rows`.
fn insert_sql(name: &str, places: &str, rows: u64, offset: u64, count: u64) -> String {
    let list = |items: &mut dyn Iterator<Item = String>| -> String {
        let items: Vec<String> = items.collect();
        format!("[{}]", items.join(", "))
    };
    let quoted = |words: &[&str]| list(&mut words.iter().map(|w| format!("'{w}'")));
    let mut cumulative = 0;
    let mut root = String::from("multiIf(");
    for (i, per_mille) in ROOT_PER_MILLE.iter().enumerate().take(19) {
        cumulative += per_mille;
        let _ = write!(root, "u_root < {cumulative}, {}, ", i + 1);
    }
    root.push_str("20)");
    let goldstein = list(&mut GOLDSTEIN.iter().map(|g| format!("{g:.1}")));
    let role_names = quoted(&ROLES.map(|r| r.0));
    let role_codes = quoted(&ROLES.map(|r| r.1));
    let outlets = quoted(&OUTLETS);
    let words = quoted(&WORDS);
    let weeks = f64::from(SPAN_DAYS) / 7.0;
    let tau_w = std::f64::consts::TAU * weeks;
    let (slots, roles, outlet_count, word_count) = (SLOTS, ROLES.len(), OUTLETS.len(), WORDS.len());
    let span = SPAN_DAYS;
    let swing = WEEKLY_SWING;
    format!(
        "INSERT INTO {name} SELECT
    id,
    sqldate,
    toUInt32(intDiv(sqldate, 100)),
    toUInt16(toYear(d)),
    round(toYear(d) + (toDayOfYear(d) - 1) / 365, 4),
    a1_code, a1_name, p_cc3, '', '', '', '', a1_type, '', '',
    a2_code, a2_name, if(a2_name = '', '', p_cc3), '', '', '', '', a2_type, '', '',
    toUInt8(cityHash64(n, 11) % 10 < 6),
    concat(root, arrayElement(['0', '0', '0', '1', '2', '3', '4'], cityHash64(n, 12) % 7 + 1)) AS code,
    code,
    root,
    toUInt8(multiIf(r <= 5, 1, r <= 8, 2, r <= 13, 3, 4)),
    arrayElement({goldstein}, r),
    mentions,
    toUInt32(1 + mentions % 3),
    mentions,
    round((cityHash64(n, 10) % 15001) / 1000 - 10, 6),
    toUInt8(a1_geo), if(a1_geo, geo_name, ''), if(a1_geo, p_cc, ''), if(a1_geo, geo_adm1, ''), '',
    if(a1_geo, lat, 0), if(a1_geo, lon, 0), if(a1_geo, geo_fid, ''),
    toUInt8(if(a2_name = '', 0, 1)), if(a2_name = '', '', c_name), if(a2_name = '', '', p_cc),
    if(a2_name = '', '', p_cc), '', if(a2_name = '', 0, c_lat), if(a2_name = '', 0, c_lon),
    if(a2_name = '', '', p_cc),
    geo_type, geo_name, p_cc, geo_adm1, '', lat, lon, geo_fid,
    toUInt64(sqldate) * 1000000 + (cityHash64(n, 13) % 24) * 10000 + (cityHash64(n, 13) % 4) * 1500,
    concat('https://www.', arrayElement({outlets}, cityHash64(n, 14) % {outlet_count} + 1), '.com/',
        toString(toYear(d)), '/', substring(toString(sqldate), 5, 2), '/', p_slug, '-',
        arrayElement({words}, cityHash64(n, 15) % {word_count} + 1), '-', toString(id))
FROM
(
    SELECT
        n, id, d, sqldate, r, root, mentions, g, slot, a1, a2,
        p_lat, p_lon, p_name, p_cc, p_cc3, p_adm1, p_fid, p_slug, c_lat, c_lon, c_name,
        upperUTF8(c_name) AS country_actor,
        arrayElement({role_names}, a1 % {roles} + 1) AS a1_role,
        arrayElement({role_codes}, a1 % {roles} + 1) AS a1_role_code,
        arrayElement({role_names}, a2 % {roles} + 1) AS a2_role,
        arrayElement({role_codes}, a2 % {roles} + 1) AS a2_role_code,
        if(a1 < 40, country_actor, a1_role) AS a1_name,
        if(a1 < 40, p_cc3, concat(p_cc3, a1_role_code)) AS a1_code,
        if(a1 < 40, '', a1_role_code) AS a1_type,
        multiIf(a2 < 30, '', a2 < 55, country_actor, a2_role) AS a2_name,
        multiIf(a2 < 30, '', a2 < 55, p_cc3, concat(p_cc3, a2_role_code)) AS a2_code,
        multiIf(a2 < 55, '', a2_role_code) AS a2_type,
        cityHash64(n, 16) % 10 < 6 AS a1_geo,
        toUInt8(multiIf(g < 15, 1, p_cc = 'US', 3, 4)) AS geo_type,
        if(g < 15, c_name, p_name) AS geo_name,
        if(g < 15, p_cc, p_adm1) AS geo_adm1,
        if(g < 15, p_cc, p_fid) AS geo_fid,
        multiIf(g < 15, c_lat, g < 35,
            least(89.9, greatest(-89.9, round(p_lat + (cityHash64(n, 6) % 10001 / 10000 - 0.5) * 0.6, 4))),
            p_lat) AS lat,
        multiIf(g < 15, c_lon, g < 35,
            least(180, greatest(-180, round(p_lon + (cityHash64(n, 7) % 10001 / 10000 - 0.5) * 0.6, 4))),
            p_lon) AS lon
    FROM
    (
        SELECT
            number AS n,
            {FIRST_ID} + n AS id,
            (n + 0.5) / {rows} AS x,
            toDate('{FIRST_DATE}') + toUInt32(least({span} - 1,
                floor({span} * (x + {swing} * sin({tau_w} * x) / {tau_w})))) AS d,
            toUInt32(toYYYYMMDD(d)) AS sqldate,
            cityHash64(n, 2) % 1000 AS u_root,
            {root} AS r,
            if(r < 10, concat('0', toString(r)), toString(r)) AS root,
            toUInt32(1 + floor(-log(1 - cityHash64(n, 9) % 1000000 / 1000000) * 4)) AS mentions,
            cityHash64(n, 5) % 100 AS g,
            toUInt32(cityHash64(n, 1) % {slots}) AS slot,
            cityHash64(n, 3) % 100 AS a1,
            cityHash64(n, 4) % 100 AS a2
        FROM numbers({offset}, {count})
    ) ANY LEFT JOIN {places} USING (slot)
)"
    )
}

/// The places' table: `SLOTS` rows, each place on a share of the slots
/// that follows its weight (at least one).
fn places_tsv(atlas: &Atlas) -> String {
    let countries: HashMap<&str, &chronomap::atlas::Region> = atlas
        .countries
        .iter()
        .map(|c| (c.country_iso2.as_str(), c))
        .collect();
    let mut provinces: HashMap<&str, &str> = HashMap::new();
    for p in &atlas.provinces {
        for code in &p.alt_codes {
            provinces.entry(code.as_str()).or_insert(p.name.as_str());
        }
    }
    let news = |cc: &str| {
        NEWS_WEIGHT
            .iter()
            .find(|(c, _)| *c == cc)
            .map_or(1.0, |(_, w)| *w)
    };
    let cities: Vec<_> = atlas
        .cities
        .iter()
        .filter(|c| countries.contains_key(c.country_iso2.as_str()))
        .take(PLACES)
        .collect();
    let weights: Vec<f64> = cities
        .iter()
        .map(|c| (c.population.max(1) as f64).powf(0.75) * news(&c.country_iso2))
        .collect();
    let total: f64 = weights.iter().sum();
    let spare = (SLOTS - cities.len()) as f64;
    let mut shares: Vec<usize> = weights
        .iter()
        .map(|w| 1 + (w / total * spare).floor() as usize)
        .collect();
    // What flooring left goes to the heaviest places.
    let mut order: Vec<usize> = (0..cities.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
    let mut left = SLOTS - shares.iter().sum::<usize>();
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
    };
    let mut tsv = String::new();
    let mut slot = 0;
    for (city, share) in cities.iter().zip(shares) {
        let country = countries[city.country_iso2.as_str()];
        let province = provinces.get(city.admin1.as_str()).copied().unwrap_or("");
        let full = if province.is_empty() || province == city.name {
            format!("{}, {}", city.name, country.name)
        } else {
            format!("{}, {}, {}", city.name, province, country.name)
        };
        let adm1 = match city.admin1.split_once('.') {
            Some((cc, n)) => format!("{cc}{n}"),
            None => city.country_iso2.clone(),
        };
        let slug: String = city
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let [lon, lat] = city.lon_lat;
        let [c_lon, c_lat] = country.label_lon_lat;
        let line = format!(
            "{lat:.4}\t{lon:.4}\t{}\t{}\t{}\t{}\t{}\t{}\t{c_lat:.4}\t{c_lon:.4}\t{}\n",
            escape(&full),
            escape(&city.country_iso2),
            escape(&country.code),
            escape(&adm1),
            city.geoname_id,
            escape(&slug),
            escape(&country.name),
        );
        for _ in 0..share {
            let _ = write!(tsv, "{slot}\t{line}");
            slot += 1;
        }
    }
    tsv
}
