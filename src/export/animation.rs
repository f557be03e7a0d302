//! An animation's frames to disk as they are drawn: a GIF streamed into
//! one atomic write, or PNG frames into a [`FrameFolder`]. Either way only
//! one frame is in memory, and a failure part-way leaves no partial output
//! and the previous output, if any, untouched. The `render` command and the
//! app's export window both write animations through here.

use std::path::{Path, PathBuf};

use image::RgbaImage;

use super::atomic::{WriteError, write_atomic_with};
use super::frames::{FrameFolder, Replaced};
use crate::render::{EncodeError, GifStream, RenderError, encode_png};

/// Where an animation goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnimationOut {
    /// An animated GIF, each frame shown `delay_ms`.
    Gif {
        /// The `.gif` file.
        path: PathBuf,
        /// How long each frame shows, in milliseconds.
        delay_ms: u32,
    },
    /// Numbered PNGs (`frame-0001.png`...) in this folder.
    Frames(PathBuf),
}

impl AnimationOut {
    /// The file or folder written.
    pub fn path(&self) -> &Path {
        match self {
            Self::Gif { path, .. } | Self::Frames(path) => path,
        }
    }
}

/// What an animation's writing did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnimationWritten {
    /// Frames written.
    pub frames: usize,
    /// Bytes written, all files together.
    pub bytes: u64,
    /// What a frames folder's earlier frames became.
    pub replaced: Replaced,
}

/// Why an animation could not be written.
#[derive(Debug, thiserror::Error)]
pub enum AnimationError {
    /// A frame could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A frame could not be encoded (or the GIF could not take it).
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The output could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The file system's error.
        source: std::io::Error,
    },
}

/// A picture of an animation and how many frame periods it lasts: a GIF
/// shows it once for that long, a frames folder holds it that many times,
/// so that a video made from the folder at the frame rate lasts as long.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    /// The picture.
    pub image: RgbaImage,
    /// Frame periods it lasts (at least 1).
    pub periods: u32,
}

impl Held {
    /// A picture that lasts one frame period.
    pub fn once(image: RgbaImage) -> Self {
        Self { image, periods: 1 }
    }
}

/// Writes each image of `frames` to `out` as it comes; the first error
/// stops the writing and nothing of it stays.
///
/// # Errors
/// A frame's render or encoding error, or the file system's.
pub fn write_animation(
    out: &AnimationOut,
    frames: impl IntoIterator<Item = Result<RgbaImage, RenderError>>,
) -> Result<AnimationWritten, AnimationError> {
    let held = frames.into_iter().map(|f| f.map(Held::once));
    write_held_animation(out, held)
}

/// Writes each picture of `frames` to `out` as it comes, for as long as
/// it is held (a GIF frame's delay is `delay_ms` times its periods); the
/// first error stops the writing and nothing of it stays.
///
/// # Errors
/// A frame's render or encoding error, or the file system's.
pub fn write_held_animation(
    out: &AnimationOut,
    frames: impl IntoIterator<Item = Result<Held, RenderError>>,
) -> Result<AnimationWritten, AnimationError> {
    match out {
        AnimationOut::Gif { path, delay_ms } => write_gif(path, *delay_ms, frames),
        AnimationOut::Frames(dir) => write_frames(dir, frames),
    }
}

fn write_gif(
    path: &Path,
    delay_ms: u32,
    frames: impl IntoIterator<Item = Result<Held, RenderError>>,
) -> Result<AnimationWritten, AnimationError> {
    let cannot = |source| AnimationError::Write {
        path: path.to_owned(),
        source,
    };
    let written = write_atomic_with(path, |out| {
        let mut gif = GifStream::new(out, delay_ms)?;
        for held in frames {
            let held = held?;
            gif.push_held(held.image, held.periods)?;
        }
        Ok::<_, AnimationError>(gif.len())
    });
    let frames = match written {
        Ok(frames) => frames,
        Err(WriteError::Io(source)) => return Err(cannot(source)),
        Err(WriteError::Content(e)) => return Err(e),
    };
    let bytes = std::fs::metadata(path).map_err(cannot)?.len();
    Ok(AnimationWritten {
        frames,
        bytes,
        replaced: Replaced::default(),
    })
}

/// Each picture encoded once and written once per period it lasts.
fn write_frames(
    dir: &Path,
    frames: impl IntoIterator<Item = Result<Held, RenderError>>,
) -> Result<AnimationWritten, AnimationError> {
    let cannot = |source| AnimationError::Write {
        path: dir.to_owned(),
        source,
    };
    let mut set = FrameFolder::create(dir).map_err(cannot)?;
    let mut bytes = 0;
    for held in frames {
        let held = held?;
        let png = encode_png(&held.image)?;
        for _ in 0..held.periods.max(1) {
            set.add(&png).map_err(cannot)?;
            bytes += png.len() as u64;
        }
    }
    let frames = set.len();
    let replaced = set.finish().map_err(cannot)?;
    Ok(AnimationWritten {
        frames,
        bytes,
        replaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::AnimationDecoder as _;

    fn solid(shade: u8) -> Result<RgbaImage, RenderError> {
        Ok(RgbaImage::from_pixel(
            8,
            6,
            image::Rgba([shade, 255 - shade, 0, 255]),
        ))
    }

    #[test]
    fn a_streamed_gif_holds_every_frame() {
        let dir = crate::export::scratch("animation", "gif");
        let path = dir.join("a.gif");
        let out = AnimationOut::Gif {
            path: path.clone(),
            delay_ms: 40,
        };
        let written = write_animation(&out, (0..300).map(|i| solid((i % 256) as u8)));
        let written = written.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written.frames, 300);
        let file = std::fs::read(&path).unwrap_or_default();
        assert_eq!(written.bytes, file.len() as u64);
        let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(file));
        let frames = decoder.map(|d| d.into_frames().count()).ok();
        assert_eq!(frames, Some(300));
        assert_eq!(crate::export::sorted_names(&dir), ["a.gif"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_held_picture_is_one_long_gif_frame_or_repeated_pngs() {
        let dir = crate::export::scratch("animation", "held");
        let held = || {
            [(0, 1), (90, 30), (180, 2)]
                .map(|(shade, periods)| solid(shade).map(|image| Held { image, periods }))
        };
        let path = dir.join("a.gif");
        let gif = AnimationOut::Gif {
            path: path.clone(),
            delay_ms: 100,
        };
        let written = write_held_animation(&gif, held()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written.frames, 3);
        let file = std::fs::read(&path).unwrap_or_default();
        let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(file));
        let delays: Vec<(u32, u32)> = decoder
            .map(|d| {
                d.into_frames()
                    .flatten()
                    .map(|f| f.delay().numer_denom_ms())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(delays, [(100, 1), (3000, 1), (200, 1)]);
        let frames = dir.join("frames");
        let written = write_held_animation(&AnimationOut::Frames(frames.clone()), held());
        assert_eq!(written.map(|w| w.frames).ok(), Some(33));
        let names = crate::export::sorted_names(&frames);
        assert_eq!(names.len(), 33);
        let read = |i: usize| std::fs::read(frames.join(&names[i])).unwrap_or_default();
        assert_ne!(read(0), read(1), "the second picture starts at frame 2");
        assert_eq!(read(1), read(30), "and lasts 30 frames");
        assert_ne!(read(30), read(31));
        assert_eq!(read(31), read(32));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_frame_that_fails_leaves_nothing_and_the_old_output_alone() {
        let dir = crate::export::scratch("animation", "fails");
        let path = dir.join("a.gif");
        assert!(std::fs::write(&path, "old").is_ok());
        let failing = || {
            (0..5).map(|i| {
                if i < 3 {
                    solid(9)
                } else {
                    Err(RenderError::NoFrames)
                }
            })
        };
        let gif = AnimationOut::Gif {
            path: path.clone(),
            delay_ms: 40,
        };
        let result = write_animation(&gif, failing());
        assert!(matches!(
            result,
            Err(AnimationError::Render(RenderError::NoFrames))
        ));
        assert_eq!(std::fs::read_to_string(&path).ok().as_deref(), Some("old"));
        let frames = dir.join("frames");
        let result = write_animation(&AnimationOut::Frames(frames.clone()), failing());
        assert!(matches!(result, Err(AnimationError::Render(_))));
        assert!(!frames.exists(), "no frames folder half-written");
        assert_eq!(crate::export::sorted_names(&dir), ["a.gif"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
