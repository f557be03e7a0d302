//! Tests against the embedded `assets/world.atlas`: they fail if the derived data is wrong.

use super::*;

const ISLAMABAD_LON_LAT: [f64; 2] = [73.04329, 33.72148];
const RAWALPINDI_LON_LAT: [f64; 2] = [73.0479, 33.59733];

fn atlas() -> &'static Atlas {
    match Atlas::try_embedded() {
        Ok(atlas) => atlas,
        Err(error) => panic!("the embedded atlas does not decode: {error}"),
    }
}

fn resolve(name: &str, country: Option<&str>, kind: Option<PlaceKind>) -> Option<Resolved> {
    atlas().resolve(&PlaceQuery {
        name,
        country,
        kind,
    })
}

fn resolved_region(name: &str, country: Option<&str>, kind: Option<PlaceKind>) -> &'static Region {
    match resolve(name, country, kind) {
        Some(Resolved::Region(id)) => atlas().region(id).unwrap_or_else(|| panic!("{id:?}")),
        other => panic!("{name} resolved to {other:?}"),
    }
}

fn resolved_city(name: &str, country: Option<&str>) -> &'static City {
    match resolve(name, country, Some(PlaceKind::City)) {
        Some(Resolved::City(index)) => atlas().city(index).unwrap_or_else(|| panic!("{index}")),
        other => panic!("{name} resolved to {other:?}"),
    }
}

#[test]
fn the_asset_is_small_and_has_the_whole_world() {
    assert!(
        EMBEDDED_BYTES.len() < 8 * 1024 * 1024,
        "{} bytes",
        EMBEDDED_BYTES.len()
    );
    let atlas = atlas();
    assert_eq!(atlas.countries.len(), 250);
    assert_eq!(atlas.provinces.len(), 4596);
    assert_eq!(atlas.cities.len(), 34_006);
    assert_eq!(atlas.tolerances_world.len(), 4);
}

#[test]
fn afghan_provinces_resolve_with_geometry_around_their_label() {
    let islamabad_world = world_from_lon_lat(ISLAMABAD_LON_LAT);
    for (name, code) in [
        ("Khost", "AF-KHO"),
        ("Kunar", "AF-KNR"),
        ("Paktika", "AF-PIA"),
    ] {
        let region = resolved_region(name, Some("AF"), Some(PlaceKind::Province));
        assert_eq!(region.name, name);
        assert_eq!(region.code, code);
        assert_eq!(region.country_iso2, "AF");
        assert_eq!(region.id.level, RegionLevel::Province);
        assert!(region.bbox_world.contains(region.label_world), "{name}");
        assert!(region.contains_world(region.label_world), "{name}");
        assert!(!region.contains_world(islamabad_world), "{name}");
        // The same place by code, and by name without hints.
        assert_eq!(resolve(code, None, None), Some(Resolved::Region(region.id)));
    }
    assert_eq!(resolved_region("Kunar", None, None).code, "AF-KNR");
    assert_eq!(resolved_region("Paktika", None, None).code, "AF-PIA");
}

#[test]
fn mislabelled_afghan_provinces_carry_their_true_names() {
    let panjshir = resolved_region("Panjshir", Some("AF"), Some(PlaceKind::Province));
    assert_eq!(
        (panjshir.name.as_str(), panjshir.code.as_str()),
        ("Panjshir", "AF-PAN")
    );
    let daykundi = resolved_region("Daykundi", Some("AF"), Some(PlaceKind::Province));
    assert_eq!(
        (daykundi.name.as_str(), daykundi.code.as_str()),
        ("Daykundi", "AF-DAY")
    );
    let parwan = resolved_region("Parwan", Some("AF"), Some(PlaceKind::Province));
    assert_ne!(parwan.id, panjshir.id);
    assert!(!parwan.alt_names.iter().any(|name| name == "Panjshir"));
}

#[test]
fn pakistani_cities_resolve_at_their_geonames_position() {
    for (name, lon_lat) in [
        ("Islamabad", ISLAMABAD_LON_LAT),
        ("Rawalpindi", RAWALPINDI_LON_LAT),
    ] {
        let city = resolved_city(name, Some("PK"));
        assert_eq!(city.country_iso2, "PK");
        assert!(
            (city.lon_lat[0] - lon_lat[0]).abs() < 0.001,
            "{name} {:?}",
            city.lon_lat
        );
        assert!(
            (city.lon_lat[1] - lon_lat[1]).abs() < 0.001,
            "{name} {:?}",
            city.lon_lat
        );
        let world = world_from_lon_lat(lon_lat);
        assert!((city.world[0] - world[0]).abs() < 1e-6 && (city.world[1] - world[1]).abs() < 1e-6);
        // Without hints the city still wins over "Islamabad Capital Territory".
        assert_eq!(
            atlas().resolved_name(resolve(name, None, None).unwrap_or(Resolved::City(u32::MAX))),
            Some(city.name.as_str())
        );
    }
    let islamabad = resolved_city("Islamabad", None);
    assert!(islamabad.capital);
    assert_eq!(islamabad.admin1, "PK.08");
    assert!(!resolved_city("Rawalpindi", None).capital);
}

#[test]
fn big_cities_resolve_case_and_accent_insensitively() {
    for (query, country, iso2) in [
        ("Istanbul", None, "TR"),
        ("İSTANBUL", None, "TR"),
        ("Tehran", None, "IR"),
        ("tehrān", Some("Iran"), "IR"),
        ("Khōst", Some("AF"), "AF"),
        ("khost", Some("AFG"), "AF"),
    ] {
        assert_eq!(resolved_city(query, country).country_iso2, iso2, "{query}");
    }
    assert!(resolved_city("Tehran", None).capital);
    assert!(resolved_city("Istanbul", None).population > 10_000_000);
}

#[test]
fn countries_resolve_by_name_and_code() {
    for (name, code, iso2) in [
        ("Pakistan", "PAK", "PK"),
        ("Afghanistan", "AFG", "AF"),
        ("Iran", "IRN", "IR"),
    ] {
        let region = resolved_region(name, None, None);
        assert_eq!(region.id.level, RegionLevel::Country, "{name}");
        assert_eq!(
            (region.code.as_str(), region.country_iso2.as_str()),
            (code, iso2)
        );
        for alias in [code, iso2, &code.to_lowercase()] {
            assert_eq!(
                resolve(alias, None, None),
                Some(Resolved::Region(region.id)),
                "{alias}"
            );
        }
        assert_eq!(atlas().country_by_code(iso2), Some(region.id));
        assert_eq!(atlas().country_by_code(code), Some(region.id));
        assert!(region.contains_world(region.label_world), "{name}");
    }
}

#[test]
fn countries_without_an_iso_a2_get_their_codes_anyway() {
    let atlas = atlas();
    let france = atlas.country_by_code("FR").and_then(|id| atlas.region(id));
    assert_eq!(france.map(|region| region.code.as_str()), Some("FRA"));
    let norway = atlas.country_by_code("NOR").and_then(|id| atlas.region(id));
    assert_eq!(
        norway.map(|region| region.country_iso2.as_str()),
        Some("NO")
    );
    let brazil = atlas.country_by_code("BR").and_then(|id| atlas.region(id));
    assert_eq!(brazil.map(|region| region.name.as_str()), Some("Brazil"));
    assert_eq!(atlas.country_by_code("XX"), None);
}

#[test]
fn typos_get_suggestions() {
    let suggestion = atlas().suggest("Khots");
    assert_eq!(
        suggestion.as_deref().map(fold_name).as_deref(),
        Some("khost")
    );
    assert_eq!(resolve("Khots", None, None), None);
    let suggestion = atlas().suggest("Islamabd");
    assert_eq!(suggestion.as_deref(), Some("Islamabad"));
}

#[test]
fn lod_vertex_counts_decrease_and_lod_choice_follows_the_zoom() {
    let atlas = atlas();
    let total = |level: usize| -> usize {
        atlas
            .countries
            .iter()
            .chain(&atlas.provinces)
            .filter_map(|region| region.lods.get(level))
            .map(|lod| lod.geometry.vertex_count())
            .sum()
    };
    let counts: Vec<usize> = (0..atlas.tolerances_world.len()).map(total).collect();
    assert!(
        counts.windows(2).all(|pair| pair[0] > pair[1]),
        "{counts:?}"
    );
    let pakistan = resolved_region("Pakistan", None, None);
    for pair in pakistan.lods.windows(2) {
        assert!(pair[0].geometry.vertex_count() >= pair[1].geometry.vertex_count());
    }
    // Zoomed in far: the finest level; whole world on 1,000 px: the coarsest.
    assert!(std::ptr::eq(pakistan.lod_for(1e-9), pakistan.finest()));
    let coarsest = pakistan.lods.last().map(|lod| &lod.geometry);
    assert!(coarsest.is_some_and(|coarsest| std::ptr::eq(pakistan.lod_for(1e-3), coarsest)));
}

#[test]
fn every_region_has_an_outline_at_the_finest_level_and_tiny_ones_stay_drawable() {
    let atlas = atlas();
    let empty: Vec<&str> = atlas
        .countries
        .iter()
        .chain(&atlas.provinces)
        .filter(|region| region.finest().is_empty())
        .map(|region| region.code.as_str())
        .collect();
    // A few specks (reefs, tiny islands) are below the finest tolerance.
    assert!(empty.len() < 20, "{empty:?}");
    let vatican = atlas.country_by_code("VAT").and_then(|id| atlas.region(id));
    assert!(vatican.is_some_and(|vatican| !vatican.lod_for(1e-3).is_empty()));
}

#[test]
fn real_province_triangulation_covers_its_area() {
    for name in ["Khost", "Kunar", "Paktika", "Punjab"] {
        let region = resolved_region(
            name,
            Some("PK").filter(|_| name == "Punjab"),
            Some(PlaceKind::Province),
        );
        for lod in &region.lods {
            let area = lod.geometry.area_world();
            let triangles = lod.geometry.triangles().area_world();
            assert!(
                (triangles - area).abs() <= area * 0.01,
                "{name}: {triangles} vs {area}"
            );
        }
    }
}

#[test]
fn hit_testing_finds_the_province_and_country_of_a_city() {
    let atlas = atlas();
    let islamabad = world_from_lon_lat(ISLAMABAD_LON_LAT);
    let province = atlas.province_at(islamabad).and_then(|id| atlas.region(id));
    assert_eq!(province.map(|region| region.code.as_str()), Some("PK-IS"));
    let country = atlas.country_at(islamabad).and_then(|id| atlas.region(id));
    assert_eq!(country.map(|region| region.code.as_str()), Some("PAK"));
    let rawalpindi = world_from_lon_lat(RAWALPINDI_LON_LAT);
    let province = atlas
        .province_at(rawalpindi)
        .and_then(|id| atlas.region(id));
    assert_eq!(province.map(|region| region.code.as_str()), Some("PK-PB"));
    assert_eq!(
        atlas.country_at(world_from_lon_lat([-30.0, 0.0])),
        None,
        "Atlantic"
    );
}

#[test]
fn provinces_use_english_names_and_keep_natural_earth_short_forms_as_alt_names() {
    let capital_territory = resolved_region("F.C.T.", Some("PK"), None);
    assert_eq!(capital_territory.name, "Islamabad Capital Territory");
    assert_eq!(capital_territory.code, "PK-IS");
    assert_eq!(
        resolved_region("K.P.", Some("PK"), None).name,
        "Khyber Pakhtunkhwa"
    );
    assert_eq!(
        resolve("PK.08", None, None),
        Some(Resolved::Region(capital_territory.id))
    );
}

#[test]
fn decoding_garbage_is_an_error_not_a_panic() {
    assert!(Atlas::decode(b"").is_err());
    assert!(Atlas::decode(&[0u8; 1000]).is_err());
    let truncated = EMBEDDED_BYTES
        .get(..EMBEDDED_BYTES.len() / 2)
        .unwrap_or_default();
    assert!(Atlas::decode(truncated).is_err());
    let mut corrupted = EMBEDDED_BYTES.to_vec();
    for index in (100..corrupted.len()).step_by(997) {
        if let Some(byte) = corrupted.get_mut(index) {
            *byte ^= 0x5a;
        }
    }
    assert!(Atlas::decode(&corrupted).is_err());
}

#[test]
fn cities_are_sorted_by_population() {
    let cities = &atlas().cities;
    assert!(
        cities
            .windows(2)
            .all(|pair| pair[0].population >= pair[1].population)
    );
    let capitals = cities.iter().filter(|city| city.capital).count();
    assert!((200..=250).contains(&capitals), "{capitals}");
}
