//! A `.chronomap` project: the files open, how they were read, and the
//! whole view (date, window, map, filters, selection, bookmarks and story,
//! notes), kept in one versioned JSON file that opens where it was left.
//! The app's own memory between runs is the same thing, kept in eframe's
//! storage with absolute paths.
//!
//! Paths lying beside or below the project file are written relative to
//! it, so a folder of data and its project can move together. A file that
//! has gone or changed since the save is reported by name and the rest
//! opens; a project from a newer chronomap is refused.

mod file;

use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

pub use file::VERSION;
use file::{FileEntry, Header, LoadFile, ProjectFile};

use crate::load::LoadOptions;
use crate::state::View;

/// The extension a project file has.
pub const EXTENSION: &str = "chronomap";

/// What a project holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// The open files, each a layer, as paths this process can open; none
    /// means the embedded dataset.
    pub files: Vec<PathBuf>,
    /// How they were read (the date order and column names).
    pub load: LoadOptions,
    /// Everything the user arranged.
    pub view: View,
}

/// A project read back, and what did not come back as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// The project, its missing files left out.
    pub project: Project,
    /// The files that are gone or have changed since the save.
    pub warnings: Vec<FileWarning>,
}

/// A project's file that is not as it was saved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileWarning {
    /// Gone (moved or deleted): left out.
    #[error("{} is missing: the project opens without it", .0.display())]
    Missing(PathBuf),
    /// Changed in size or date: opened as it is now, so the view may show
    /// other events than when it was saved.
    #[error("{} has changed since the project was saved: it opens as it is now", .0.display())]
    Changed(PathBuf),
}

/// Why a project could not be opened or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The project file.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// Not JSON, or JSON without a project's version.
    #[error("{}: not a chronomap project ({reason})", path.display())]
    NotAProject {
        /// The project file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// Written by a newer chronomap.
    #[error(
        "{}: the project is version {found}, made by a newer chronomap; this one reads up to version {VERSION}",
        path.display()
    )]
    Newer {
        /// The project file.
        path: PathBuf,
        /// The version the file gives.
        found: u32,
    },
    /// A field holds what it cannot.
    #[error("{}: line {line}, column {column}, field `{field}`: {message}", path.display())]
    Invalid {
        /// The project file.
        path: PathBuf,
        /// Where in the file (1-based).
        line: usize,
        /// Where on the line.
        column: usize,
        /// The field's path: `view.camera.px_per_world`, `bookmarks[2].date`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads the project at `path`, its relative paths taken from its folder.
///
/// # Errors
/// See [`ProjectError`]; the file is only read.
pub fn open(path: &Path) -> Result<Opened, ProjectError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Io {
        path: path.to_owned(),
        source,
    })?;
    from_json(&text, path, folder_of(path))
}

/// Writes `project` to `path` atomically: a failed write leaves what was
/// there.
///
/// # Errors
/// When the folder cannot be written.
pub fn save(path: &Path, project: &Project) -> Result<(), ProjectError> {
    let base = folder_of(path).and_then(|f| std::path::absolute(f).ok());
    let json = to_json(project, base.as_deref());
    crate::export::write_atomic(path, json.as_bytes()).map_err(|source| ProjectError::Io {
        path: path.to_owned(),
        source,
    })
}

/// The project as JSON, its paths relative to `base` where they lie below
/// it (none: every path absolute, as the app keeps its own memory).
pub fn to_json(project: &Project, base: Option<&Path>) -> String {
    let files = project
        .files
        .iter()
        .map(|f| entry(f, base))
        .collect::<Vec<_>>();
    let load = LoadFile::new(project.load.slash_order, project.load.mapping.as_ref());
    let file = ProjectFile::new(files, load, &project.view);
    let mut json = serde_json::to_string_pretty(&file).unwrap_or_default();
    json.push('\n');
    json
}

/// Reads a project from `text` (the file at `path`, for messages), its
/// relative paths taken from `base`.
///
/// # Errors
/// See [`ProjectError`].
pub fn from_json(text: &str, path: &Path, base: Option<&Path>) -> Result<Opened, ProjectError> {
    if !text.trim_start().starts_with('{') {
        return Err(ProjectError::NotAProject {
            path: path.to_owned(),
            reason: "not a JSON object".into(),
        });
    }
    // A file cut short fails here too: the full read below says where.
    let version = serde_json::from_str::<Header>(text)
        .ok()
        .map(|h| h.chronomap_project);
    if version == Some(None) {
        return Err(ProjectError::NotAProject {
            path: path.to_owned(),
            reason: "no \"chronomap_project\" version".into(),
        });
    }
    if let Some(Some(found)) = version
        && found > VERSION
    {
        return Err(ProjectError::Newer {
            path: path.to_owned(),
            found,
        });
    }
    // Versions before this one would be brought up to it here, step by
    // step; version 1 is the first, and later ones only add fields with
    // defaults until a change needs a step.
    let reader = &mut serde_json::Deserializer::from_str(text);
    let file: ProjectFile = serde_path_to_error::deserialize(reader).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        invalid(path, inner.line(), inner.column(), &field, &inner)
    })?;
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    for entry in &file.files {
        let resolved = resolve(&entry.path, base);
        match stamp(&resolved) {
            None => warnings.push(FileWarning::Missing(resolved)),
            Some(now) => {
                let saved = (entry.size, entry.modified);
                if saved.0.is_some_and(|s| Some(s) != now.0)
                    || saved.1.is_some_and(|m| Some(m) != now.1)
                {
                    warnings.push(FileWarning::Changed(resolved.clone()));
                }
                files.push(resolved);
            }
        }
    }
    let load = LoadOptions {
        slash_order: file.load.dates,
        mapping: file.load.mapping(),
        ..LoadOptions::default()
    };
    Ok(Opened {
        project: Project {
            files,
            load,
            view: file.view(),
        },
        warnings,
    })
}

fn invalid(
    path: &Path,
    line: usize,
    column: usize,
    field: &str,
    e: &serde_json::Error,
) -> ProjectError {
    // serde_json's message ends with its own " at line L column C".
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    ProjectError::Invalid {
        path: path.to_owned(),
        line,
        column,
        field: if field.is_empty() || field == "." {
            "(top)".into()
        } else {
            field.to_owned()
        },
        message,
    }
}

/// Whether `path` names a project (by its extension).
pub fn is_project(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

fn folder_of(path: &Path) -> Option<&Path> {
    path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    })
}

/// A file's size and modification time (seconds), or `None` when it is gone.
fn stamp(path: &Path) -> Option<(Option<u64>, Option<u64>)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs());
    Some((Some(meta.len()), modified))
}

fn entry(file: &Path, base: Option<&Path>) -> FileEntry {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let (size, modified) = stamp(&absolute).unwrap_or_default();
    let path = base
        .and_then(|b| relative_below(&absolute, b))
        .unwrap_or_else(|| absolute.to_string_lossy().into_owned());
    FileEntry {
        path,
        size,
        modified,
    }
}

/// `file` relative to `base` with `/` between its parts, when it lies in
/// `base` or below.
fn relative_below(file: &Path, base: &Path) -> Option<String> {
    let rest = file.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rest
        .components()
        .map(|c| match c {
            Component::Normal(p) => p.to_str(),
            _ => None,
        })
        .collect();
    parts.filter(|p| !p.is_empty()).map(|p| p.join("/"))
}

fn resolve(written: &str, base: Option<&Path>) -> PathBuf {
    let path = Path::new(written);
    match base {
        Some(b) if path.is_relative() => b.join(path),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests;
