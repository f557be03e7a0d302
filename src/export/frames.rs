//! A set of numbered frames (`frame-0001.png`...) written into a folder as
//! one whole: the frames go into a hidden temporary folder beside the
//! target and only move into place once every one is written, so a failure
//! (a full disk) leaves the folder as it was, and a new set never sits
//! beside leftovers of an older, longer one.

use std::path::{Path, PathBuf};

use super::atomic::{folder_of, remove_stale_temps, temp_path};

/// `frame-0001.png` for the first frame.
pub fn frame_name(index: usize) -> String {
    format!("frame-{:04}.png", index.saturating_add(1))
}

/// Whether `name` is one of [`frame_name`]'s: only such files are ever
/// replaced or removed in a frames folder.
pub fn is_frame_name(name: &str) -> bool {
    frame_number(name).is_some()
}

/// The number a frame file name carries (`frame-0003.png`: 3), at least
/// four digits as [`frame_name`] writes them.
fn frame_number(name: &str) -> Option<usize> {
    let digits = name.strip_prefix("frame-")?.strip_suffix(".png")?;
    let all_digits = digits.len() >= 4 && digits.bytes().all(|b| b.is_ascii_digit());
    all_digits.then(|| digits.parse().ok()).flatten()
}

/// What putting a frame set in place did to the folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replaced {
    /// Frames of an earlier set that the new set overwrote.
    pub overwritten: usize,
    /// Frames of an earlier, longer set that were removed.
    pub removed: usize,
}

impl Replaced {
    /// In words, for a message; `None` when the folder held no frames.
    pub fn words(&self, dir: &Path) -> Option<String> {
        let earlier = self.overwritten + self.removed;
        (earlier > 0).then(|| {
            format!(
                "replaced the {earlier} frames of an earlier render in {}",
                dir.display()
            )
        })
    }
}

/// A frame set being written: frames are added in order, then
/// [`FrameFolder::finish`] puts them in place. Dropped unfinished, it
/// removes what it wrote.
#[derive(Debug)]
pub struct FrameFolder {
    target: PathBuf,
    staging: PathBuf,
    frames: usize,
}

impl FrameFolder {
    /// Starts a set for the folder `target` (which may not exist yet; its
    /// parent must).
    ///
    /// # Errors
    /// When the temporary folder cannot be made.
    pub fn create(target: &Path) -> std::io::Result<Self> {
        let target = target.components().collect::<PathBuf>();
        remove_stale_temps(folder_of(&target));
        let staging = temp_path(&target);
        std::fs::create_dir(&staging)?;
        Ok(Self {
            target,
            staging,
            frames: 0,
        })
    }

    /// Writes the next frame's file.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn add(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.staging.join(frame_name(self.frames));
        std::fs::write(path, bytes)?;
        self.frames += 1;
        Ok(())
    }

    /// How many frames were added.
    pub fn len(&self) -> usize {
        self.frames
    }

    /// Whether no frame was added.
    pub fn is_empty(&self) -> bool {
        self.frames == 0
    }

    /// Puts the set in place: a new folder is renamed into place whole; in
    /// an existing one, each new frame replaces its namesake by a rename and
    /// then the earlier set's extra frames go. Nothing but frames of
    /// [`frame_name`]'s naming is touched.
    ///
    /// # Errors
    /// When `target` is a file, or a rename or removal fails.
    pub fn finish(self) -> std::io::Result<Replaced> {
        sync_folder(&self.staging)?;
        if !self.target.exists() {
            std::fs::rename(&self.staging, &self.target)?;
            return Ok(Replaced::default());
        }
        let earlier = frames_in(&self.target)?;
        for index in 0..self.frames {
            let name = frame_name(index);
            std::fs::rename(self.staging.join(&name), self.target.join(&name))?;
        }
        let mut replaced = Replaced::default();
        for name in earlier {
            if frame_index(&name).is_some_and(|i| i < self.frames) {
                replaced.overwritten += 1;
            } else {
                std::fs::remove_file(self.target.join(&name))?;
                replaced.removed += 1;
            }
        }
        std::fs::remove_dir(&self.staging)?;
        Ok(replaced)
    }
}

impl Drop for FrameFolder {
    fn drop(&mut self) {
        for index in 0..self.frames {
            let _ = std::fs::remove_file(self.staging.join(frame_name(index)));
        }
        let _ = std::fs::remove_dir(&self.staging);
    }
}

/// Syncs every file of a folder, so a power cut after the rename cannot
/// leave empty frames in place.
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        std::fs::File::open(entry?.path())?.sync_all()?;
    }
    Ok(())
}

/// The names of the frames in `dir`, sorted.
///
/// # Errors
/// When `dir` is not a readable folder.
pub fn frames_in(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_frame_name(n))
        .collect();
    names.sort();
    Ok(names)
}

/// The 0-based index of a frame file name.
fn frame_index(name: &str) -> Option<usize> {
    frame_number(name)?.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_set(target: &Path, count: usize) -> std::io::Result<Replaced> {
        let mut set = FrameFolder::create(target)?;
        for i in 0..count {
            set.add(format!("frame {i} of {count}").as_bytes())?;
        }
        set.finish()
    }

    #[test]
    fn frame_names_are_numbered_from_one() {
        assert_eq!(frame_name(0), "frame-0001.png");
        assert_eq!(frame_name(9_999), "frame-10000.png");
        assert!(is_frame_name("frame-0001.png") && is_frame_name("frame-10000.png"));
        for other in [
            "frame-001.png",
            "frame-0001.PNG",
            "frame-00a1.png",
            "cover.png",
        ] {
            assert!(!is_frame_name(other), "{other}");
        }
        assert_eq!(frame_index("frame-0003.png"), Some(2));
        assert_eq!(frame_index("frame-0000.png"), None);
    }

    #[test]
    fn a_shorter_set_replaces_a_longer_one_and_keeps_other_files() {
        let root = crate::export::scratch("frames", "shorter");
        let target = root.join("frames");
        assert_eq!(write_set(&target, 4).ok(), Some(Replaced::default()));
        assert!(std::fs::write(target.join("notes.txt"), "mine").is_ok());
        let replaced = write_set(&target, 2).ok();
        let want = Replaced {
            overwritten: 2,
            removed: 2,
        };
        assert_eq!(replaced, Some(want));
        assert_eq!(
            crate::export::sorted_names(&target),
            ["frame-0001.png", "frame-0002.png", "notes.txt"]
        );
        let first = std::fs::read_to_string(target.join("frame-0001.png")).ok();
        assert_eq!(first.as_deref(), Some("frame 0 of 2"));
        assert_eq!(
            crate::export::sorted_names(&root),
            ["frames"],
            "no temporary folder left"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn an_unfinished_set_leaves_nothing_and_the_old_set_whole() {
        let root = crate::export::scratch("frames", "unfinished");
        let target = root.join("frames");
        assert!(write_set(&target, 3).is_ok());
        {
            let mut set = FrameFolder::create(&target).unwrap_or_else(|e| panic!("{e}"));
            assert!(set.add(b"new").is_ok());
            // Dropped here, as when the next frame fails to render.
        }
        assert_eq!(
            crate::export::sorted_names(&target),
            ["frame-0001.png", "frame-0002.png", "frame-0003.png"]
        );
        let first = std::fs::read_to_string(target.join("frame-0001.png")).ok();
        assert_eq!(first.as_deref(), Some("frame 0 of 3"));
        assert_eq!(crate::export::sorted_names(&root), ["frames"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let root = crate::export::scratch("frames", "file");
        let target = root.join("frames");
        assert!(std::fs::write(&target, "a file").is_ok());
        assert!(write_set(&target, 1).is_err());
        assert_eq!(crate::export::sorted_names(&root), ["frames"]);
        let _ = std::fs::remove_dir_all(&root);
    }
}
