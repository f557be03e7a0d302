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
    let found = naming_outside("model", &["model", "geometry", "prefetch", "test_rng"]);
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
