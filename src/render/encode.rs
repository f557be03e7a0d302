//! Images to bytes: PNG and animated GIF (streamed, a frame at a time)
//! with fixed settings, so the same pixels always give the same file.

use std::io::Write;

use image::codecs::gif::{GifEncoder, Repeat};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{Delay, ExtendedColorType, Frame, ImageEncoder as _, RgbaImage};
use tiny_skia::Pixmap;

/// Why an image could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode the image: {0}")]
pub struct EncodeError(#[from] image::ImageError);

/// A pixmap (premultiplied) as a straight-alpha RGBA image.
pub fn to_rgba_image(pixmap: &Pixmap) -> RgbaImage {
    let bytes: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    RgbaImage::from_raw(pixmap.width(), pixmap.height(), bytes)
        .unwrap_or_else(|| RgbaImage::new(pixmap.width(), pixmap.height()))
}

/// A PNG of `image`: RGB when it is opaque (maps are), else RGBA.
///
/// # Errors
/// When the encoder fails (it does not on in-memory buffers of valid size).
pub fn encode_png(image: &RgbaImage) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
    let (w, h) = image.dimensions();
    if image.pixels().all(|p| p.0[3] == 255) {
        let rgb: Vec<u8> = image
            .pixels()
            .flat_map(|p| [p.0[0], p.0[1], p.0[2]])
            .collect();
        encoder.write_image(&rgb, w, h, ExtendedColorType::Rgb8)?;
    } else {
        encoder.write_image(image.as_raw(), w, h, ExtendedColorType::Rgba8)?;
    }
    Ok(out)
}

/// An animated GIF being written frame by frame as the frames are drawn,
/// so memory holds one frame however long the animation. It loops
/// forever; the GIF's trailer is written when the stream is dropped.
pub struct GifStream<W: Write> {
    encoder: GifEncoder<W>,
    delay_ms: u32,
    frames: usize,
}

impl<W: Write> GifStream<W> {
    /// A GIF into `out`, each frame shown `delay_ms`.
    ///
    /// # Errors
    /// When the encoder fails.
    pub fn new(out: W, delay_ms: u32) -> Result<Self, EncodeError> {
        // Speed 10 is the quantiser's usual trade-off; it has no randomness.
        let mut encoder = GifEncoder::new_with_speed(out, 10);
        encoder.set_repeat(Repeat::Infinite)?;
        Ok(Self {
            encoder,
            delay_ms,
            frames: 0,
        })
    }

    /// Encodes and writes the next frame.
    ///
    /// # Errors
    /// When the encoder or the writer fails.
    pub fn push(&mut self, image: RgbaImage) -> Result<(), EncodeError> {
        self.push_held(image, 1)
    }

    /// Encodes and writes the next frame, shown for `periods` frame delays:
    /// a still moment costs one frame, however long it lasts.
    ///
    /// # Errors
    /// When the encoder or the writer fails.
    pub fn push_held(&mut self, image: RgbaImage, periods: u32) -> Result<(), EncodeError> {
        let delay_ms = self.delay_ms.saturating_mul(periods.max(1));
        let delay = Delay::from_numer_denom_ms(delay_ms, 1);
        self.encoder
            .encode_frame(Frame::from_parts(image, 0, 0, delay))?;
        self.frames += 1;
        Ok(())
    }

    /// How many frames were written.
    pub fn len(&self) -> usize {
        self.frames
    }

    /// Whether no frame was written.
    pub fn is_empty(&self) -> bool {
        self.frames == 0
    }
}
