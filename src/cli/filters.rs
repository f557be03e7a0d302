//! The app's filters as flags, so a view can be reproduced as a command:
//! `--category`, `--actor`, `--country`, `--province` (each repeatable: an
//! event passes with any of the values given, as Ctrl-clicking them in the
//! facets panel keeps them), `--min-fatalities`/`--max-fatalities` (both
//! ends included) and the `--bbox` each command takes. An unknown value is
//! an error that lists the nearest known ones.

use crate::atlas::{Atlas, EditScratch, fold_name};
use crate::model::{Dataset, Facet, FacetValues};
use crate::scene::use_basemap;
use crate::time::{Choices, LonLatBox, Range};

/// Filters by value, shared by `check`, `render` and `export`.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterFlags {
    /// Only events of this category (repeat for several).
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,
    /// Only events naming this actor, on either side or associated (repeat
    /// for several).
    #[arg(long = "actor", value_name = "NAME")]
    pub actors: Vec<String>,
    /// Only events in this country: its ISO code (PK) or its name (repeat
    /// for several).
    #[arg(long = "country", value_name = "CODE|NAME")]
    pub countries: Vec<String>,
    /// Only events in this province (admin-1 region; repeat for several).
    #[arg(long = "province", value_name = "NAME")]
    pub provinces: Vec<String>,
    /// Only events with at least this many killed.
    #[arg(long, value_name = "N")]
    pub min_fatalities: Option<u32>,
    /// Only events with at most this many killed.
    #[arg(long, value_name = "N")]
    pub max_fatalities: Option<u32>,
}

impl FilterFlags {
    /// The choices these flags make in `dataset`, with `area` for the
    /// command's `--bbox`.
    ///
    /// # Errors
    /// A value the dataset does not hold (with the nearest it does), or a
    /// fatalities range whose ends are the wrong way round.
    pub fn choices(
        &self,
        dataset: &Dataset,
        atlas: &'static Atlas,
        area: Option<[f64; 4]>,
    ) -> Result<Choices, String> {
        let mut choices = Choices::default();
        // Provinces and areas as the app's facets have them: the data's,
        // else the basemap's for the place.
        use_basemap(dataset, atlas);
        let index = dataset.facets();
        let asked = self.asked();
        for (facet, names) in asked {
            let values = index.values(facet);
            for name in names {
                let value = find(values, facet, name, atlas)?;
                choices.click(facet, value, true);
            }
        }
        self.range_and_area(&mut choices, area)?;
        Ok(choices)
    }
}

impl FilterFlags {
    /// The choices these flags make, each value as written: for a table
    /// on a server, whose values are not at hand to match names against.
    ///
    /// # Errors
    /// A fatalities range the wrong way round, or a box that is not one.
    pub fn choices_by_name(&self, area: Option<[f64; 4]>) -> Result<Choices, String> {
        let mut choices = Choices::default();
        let asked = self.asked();
        for (facet, names) in asked {
            for name in names {
                choices.click(facet, name.trim(), true);
            }
        }
        self.range_and_area(&mut choices, area)?;
        Ok(choices)
    }

    /// The values asked for, by facet.
    fn asked(&self) -> [(Facet, &Vec<String>); 4] {
        [
            (Facet::Category, &self.categories),
            (Facet::Actor, &self.actors),
            (Facet::Country, &self.countries),
            (Facet::Province, &self.provinces),
        ]
    }

    fn range_and_area(&self, choices: &mut Choices, area: Option<[f64; 4]>) -> Result<(), String> {
        if self.min_fatalities.is_some() || self.max_fatalities.is_some() {
            let range = Range {
                min: self.min_fatalities.unwrap_or(0),
                max: self.max_fatalities,
            };
            if range.max.is_some_and(|max| max < range.min) {
                return Err(format!(
                    "--max-fatalities {} is below --min-fatalities {}",
                    range.max.unwrap_or(0),
                    range.min
                ));
            }
            choices.fatalities = Some(range);
        }
        if let Some([west, south, east, north]) = area {
            choices.area = Some(
                LonLatBox::new(west, south, east, north)
                    .ok_or_else(|| format!("--bbox {west},{south},{east},{north} is not a box"))?,
            );
        }
        Ok(())
    }
}

/// The value of `facet` that `name` stands for: the one written so (or
/// alike, as [`FacetValues::ids_like`] finds it, or but for diacritics),
/// or for a country, the one whose name it is.
fn find<'v>(
    values: &'v FacetValues,
    facet: Facet,
    name: &str,
    atlas: &Atlas,
) -> Result<&'v str, String> {
    let wanted = name.trim();
    // As the app's facets match a choice, then with diacritics folded too.
    if let Some(&id) = values.ids_like(wanted).first() {
        return Ok(values.name(id));
    }
    let folded = fold_name(wanted);
    if let Some(value) = values.names().iter().find(|v| fold_name(v) == folded) {
        return Ok(value);
    }
    if facet == Facet::Country {
        let codes = country_codes(atlas, wanted);
        let coded = |v: &&String| codes.iter().any(|c| v.eq_ignore_ascii_case(c));
        if let Some(value) = values.names().iter().find(coded) {
            return Ok(value);
        }
    }
    Err(unknown(values, facet, wanted))
}

/// The codes of the countries named `name` (or so called otherwise).
fn country_codes<'a>(atlas: &'a Atlas, name: &str) -> Vec<&'a str> {
    let folded = fold_name(name);
    let named = |r: &&crate::atlas::Region| {
        std::iter::once(&r.name)
            .chain(&r.alt_names)
            .any(|n| fold_name(n) == folded)
    };
    atlas
        .regions(crate::model::RegionLevel::Country)
        .iter()
        .filter(named)
        .flat_map(|r| {
            let codes = std::iter::once(&r.code).chain(&r.alt_codes);
            codes.chain([&r.country_iso2]).map(String::as_str)
        })
        .collect()
}

/// How many values "did you mean" lists at most.
const SUGGESTED: usize = 5;

/// The message for a value the data does not hold: the nearest known
/// values by spelling (or, with none near, the most frequent).
fn unknown(values: &FacetValues, facet: Facet, name: &str) -> String {
    let folded = fold_name(name);
    let chars: Vec<char> = folded.chars().collect();
    let limit = (chars.len() / 3).max(2);
    let mut scratch = EditScratch::default();
    let mut near: Vec<(usize, &str)> = values
        .names()
        .iter()
        .filter_map(|v| {
            let other = fold_name(v);
            let distance = if other.contains(&folded) || folded.contains(&other) {
                Some(0)
            } else {
                scratch.distance_at_most(&chars, &other, limit)
            };
            distance.map(|d| (d, v.as_str()))
        })
        .collect();
    near.sort_unstable();
    let mut listed: Vec<&str> = near.iter().map(|&(_, v)| v).take(SUGGESTED).collect();
    let lead: (&str, &str) = if listed.is_empty() {
        let mut frequent: Vec<(u32, &str)> = values
            .names()
            .iter()
            .zip(values.totals())
            .map(|(v, &n)| (n, v.as_str()))
            .collect();
        frequent.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        listed = frequent.iter().map(|&(_, v)| v).take(SUGGESTED).collect();
        ("the most frequent are:", "")
    } else {
        ("did you mean", "?")
    };
    let quoted: Vec<String> = listed.iter().map(|v| format!("'{v}'")).collect();
    format!(
        "no {} '{name}' in the data ({} known); {} {}{}",
        facet.name(),
        values.len(),
        lead.0,
        quoted.join(", "),
        lead.1
    )
}
