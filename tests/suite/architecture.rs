//! The layering that the README draws, checked on the sources: arrows point
//! down. The model and the shared geometry never name the atlas (the atlas
//! builds on them), the geometry names nothing above it, and nothing outside
//! `src/ui` and `main.rs` uses egui (what `.ci/run` greps for too).

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The code of a file without its comments (whole-line `//` comments, doc
/// comments included, and the tail after ` // `).
fn code(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| line.split(" // ").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate modules a file's code names: those of its `use crate::…`
/// statements (grouped ones included) and of paths written out in full.
fn crate_modules_named(text: &str) -> Vec<String> {
    let code = code(text);
    let mut named = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{atlas::Atlas, model::Day};`: each item's first segment.
            let inside = group.split('}').next().unwrap_or("");
            named.extend(inside.split(',').filter_map(|item| {
                let first = item.trim().split("::").next()?;
                (!first.is_empty()).then(|| first.to_owned())
            }));
        } else {
            let module: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            named.push(module);
        }
    }
    named.sort();
    named.dedup();
    named
}

/// Files under `src/<dir>` whose code names a crate module outside `allowed`.
fn naming_outside(dir: &str, allowed: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in rust_files(&src().join(dir)) {
        let text = std::fs::read_to_string(&path).expect("a source file");
        for module in crate_modules_named(&text) {
            if !allowed.contains(&module.as_str()) {
                found.push(format!("{} names crate::{module}", path.display()));
            }
        }
    }
    found
}

#[test]
fn the_checker_sees_grouped_and_written_out_paths_but_not_comments() {
    let text = "use crate::{atlas::Atlas, model::Day};\n\
                // crate::scene is only mentioned here\n\
                fn f() { crate::time::now(); } // crate::render too\n";
    assert_eq!(crate_modules_named(text), ["atlas", "model", "time"]);
}

#[test]
fn the_model_builds_on_the_geometry_and_never_on_the_atlas() {
    let found = naming_outside(
        "model",
        &["model", "geometry", "halves", "prefetch", "test_rng"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

/// The database source sits beside the files' loaders: it reads rows
/// through them and knows the filter, never the view, the window or the
/// command line.
#[test]
fn the_remote_source_names_nothing_above_it() {
    let found = naming_outside(
        "remote",
        &[
            "remote", "model", "time", "load", "atlas", "export", "geometry",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_geometry_names_nothing_above_it() {
    let found = naming_outside("geometry", &["geometry"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_egui_outside_the_ui() {
    let mut found = Vec::new();
    for path in rust_files(&src()) {
        let relative = path.strip_prefix(src()).expect("under src");
        if relative.starts_with("ui") || relative == Path::new("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        // As `.ci/run` greps: `\b(egui|eframe|egui_plot)::`.
        let uses_egui = ["egui::", "eframe::", "egui_plot::"].iter().any(|name| {
            text.match_indices(name).any(|(at, _)| {
                !text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        });
        if uses_egui {
            found.push(relative.display().to_string());
        }
    }
    assert!(found.is_empty(), "egui outside src/ui: {found:?}");
}

/// The layers of `src/load`, bottom first: a module names only modules of
/// the layers below its own. Bytes become text at the bottom, places and
/// the row pipeline sit in the middle, the formats above them, and the
/// detection that picks a format on top (`mod.rs`, the entry point, above
/// all).
const LOAD_LAYERS: &[&[&str]] = &[
    &[
        "text",
        "report",
        "progress",
        "dates",
        "json_stream",
        "slots",
    ],
    &["tabular", "id_table", "outcome"],
    &["recurring"],
    &["source", "columns", "cells", "shapes", "pipeline", "places"],
    &["parts"],
    &["common", "options"],
    &["lists"],
    &["acled", "gdelt", "table", "geojson", "native", "timelinejs"],
    &["detect"],
];

fn load_layer(module: &str) -> Option<usize> {
    LOAD_LAYERS.iter().position(|layer| layer.contains(&module))
}

/// What `src/load/mod.rs` re-exports, item by item: `Problem` → `report`.
fn load_reexports(mod_rs: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for statement in code(mod_rs).split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let item = item.trim().rsplit("::").next().unwrap_or("");
            if !item.is_empty() {
                found.push((item.to_owned(), module.trim().to_owned()));
            }
        }
    }
    found
}

/// The `src/load` modules a file's code (its tests left out) names through
/// `super::` (for a file at the top of `src/load`) or `crate::load::`,
/// items re-exported by `mod.rs` counted as their own module's.
fn load_modules_named(text: &str, top_level: bool, reexports: &[(String, String)]) -> Vec<String> {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let code = code(text);
    let mut named = Vec::new();
    let prefixes: &[&str] = if top_level {
        &["super::", "crate::load::"]
    } else {
        &["crate::load::"]
    };
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let rest = &code[at + prefix.len()..];
            let firsts: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or(""))
                    .collect(),
                None => vec![
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or(""),
                ],
            };
            for first in firsts.into_iter().filter(|f| !f.is_empty() && *f != "self") {
                let module = reexports
                    .iter()
                    .find(|(item, _)| item == first)
                    .map_or(first, |(_, module)| module.as_str());
                named.push(module.to_owned());
            }
        }
    }
    named.sort();
    named.dedup();
    named
}

#[test]
fn load_is_in_layers_that_point_down() {
    let load = src().join("load");
    let reexports = load_reexports(&std::fs::read_to_string(load.join("mod.rs")).expect("mod.rs"));
    let mut found = Vec::new();
    for path in rust_files(&load) {
        let relative = path.strip_prefix(&load).expect("under src/load");
        let module = relative
            .iter()
            .next()
            .and_then(|m| m.to_str())
            .map(|m| m.trim_end_matches(".rs"))
            .unwrap_or_default();
        if module == "mod" {
            continue;
        }
        let Some(layer) = load_layer(module) else {
            found.push(format!("src/load/{module} is in no layer"));
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("a source file");
        // `super::` names a module of `src/load` from a file at its top or
        // from a folder's `mod.rs`; elsewhere it names the folder's module.
        let top_level = relative.components().count() == 1
            || relative.file_name().is_some_and(|f| f == "mod.rs");
        for named in load_modules_named(&text, top_level, &reexports) {
            if named == module {
                continue;
            }
            match load_layer(&named) {
                Some(below) if below < layer => {}
                _ => found.push(format!("{} names load::{named}", relative.display())),
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_load_checker_resolves_reexports_and_groups() {
    let reexports =
        load_reexports("pub use report::{Problem, Report};\npub use columns::ColumnMapping;");
    let text = "use super::{LoadError, Problem};\nuse super::tabular::Row;\n\
                fn f() { crate::load::columns::find(); }\n\
                #[cfg(test)]\nmod tests {\n use super::detect::x;\n}\n";
    assert_eq!(
        load_modules_named(text, true, &reexports),
        ["LoadError", "columns", "report", "tabular"]
    );
}
