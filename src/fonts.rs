//! The faces every name is drawn with, in the window and in `render`: egui's
//! own (Ubuntu Light), then Noto Sans (Latin Extended, Greek, Cyrillic),
//! Noto Sans Arabic and Noto Sans Hebrew, bundled in `assets/fonts/`, then
//! whatever the system has for the scripts those lack (CJK above all),
//! found once through `fontdb`.
//!
//! Neither egui nor the renderer shapes text, so [`display_text`] does what
//! a shaper would for the scripts that need it most: Arabic letters take
//! their joined forms (the presentation forms Noto Sans Arabic carries),
//! right-to-left runs are put in the order they are seen in, and a
//! character no face has becomes U+FFFD, a visible replacement, rather than
//! an empty box (or, under egui_kittest, a panic).

use std::borrow::Cow;
use std::sync::LazyLock;

use ab_glyph::{Font as _, FontArc};

/// A face: its name (egui's key for it) and its bytes.
#[derive(Clone)]
pub struct Face {
    /// A name to register it under.
    pub name: String,
    /// The font file, for the process's whole life: the bundled ones are
    /// in the binary, a system one is read once and kept (see
    /// [`faces`]), so that the renderer and egui share one copy.
    pub bytes: &'static [u8],
    font: FontArc,
}

impl Face {
    fn new(name: &str, bytes: &'static [u8]) -> Option<Self> {
        let font = FontArc::try_from_slice(bytes).ok()?;
        Some(Self {
            name: name.to_owned(),
            bytes,
            font,
        })
    }

    /// The face, to measure and draw with.
    pub fn font(&self) -> &FontArc {
        &self.font
    }

    /// Whether it has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.font.glyph_id(c).0 != 0
    }
}

/// The faces chronomap ships, after egui's own.
const BUNDLED: [(&str, &[u8]); 3] = [
    (
        "Noto Sans",
        include_bytes!("../assets/fonts/NotoSans-Regular.ttf"),
    ),
    (
        "Noto Sans Arabic",
        include_bytes!("../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "Noto Sans Hebrew",
        include_bytes!("../assets/fonts/NotoSansHebrew-Regular.ttf"),
    ),
];

/// Characters of scripts the bundled faces lack, each asked of the system's
/// faces: Chinese, Japanese kana, Korean, Thai, Devanagari, Bengali,
/// Georgian, Armenian, Ethiopic, Tamil.
const SYSTEM_SAMPLES: &[char] = &['中', 'あ', '한', 'ก', 'अ', 'অ', 'ქ', 'Ա', 'አ', 'த'];

/// Every face, in the order a character is looked for: egui's first (so
/// Latin text looks as it always has), the bundled ones, then the system's.
pub fn faces() -> &'static [Face] {
    static FACES: LazyLock<Vec<Face>> = LazyLock::new(|| {
        let mut faces: Vec<Face> =
            std::iter::once(("Ubuntu Light", epaint_default_fonts::UBUNTU_LIGHT))
                .chain(BUNDLED)
                .filter_map(|(name, bytes)| Face::new(name, bytes))
                .collect();
        let system = system_faces(&faces);
        faces.extend(system);
        faces
    });
    &FACES
}

/// The faces [`faces`] adds after egui's own (what the window registers).
pub fn added_faces() -> &'static [Face] {
    faces().get(1..).unwrap_or_default()
}

/// A face of the system's for each sample character the faces so far lack.
fn system_faces(known: &[Face]) -> Vec<Face> {
    let missing: Vec<char> = SYSTEM_SAMPLES
        .iter()
        .copied()
        .filter(|&c| !known.iter().any(|f| f.covers(c)))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut found: Vec<Face> = Vec::new();
    for c in missing {
        if found.iter().any(|f| f.covers(c)) {
            continue;
        }
        // Each face is asked where it lies; only the one that has the
        // character is copied.
        let face = db.faces().find_map(|info| {
            let name = info.families.first().map_or("system", |(n, _)| n.as_str());
            db.with_face_data(info.id, |data, index| {
                let font = ab_glyph::FontRef::try_from_slice_and_index(data, index).ok()?;
                let has = index == 0 && font.glyph_id(c).0 != 0;
                // Kept for the process's life, as the bundled faces are.
                let kept: &'static [u8] = has.then(|| Box::leak(data.into()))?;
                Face::new(name, kept)
            })
            .flatten()
        });
        found.extend(face);
    }
    found
}

/// Whether some face has a glyph for `c` (whitespace and controls need
/// none).
pub fn covered(c: char) -> bool {
    c.is_whitespace() || c.is_control() || faces().iter().any(|f| f.covers(c))
}

/// `text` as it is to be drawn, glyph after glyph from left to right:
/// Arabic joined, right-to-left runs reversed into the order they are seen
/// in, and what no face can draw replaced by U+FFFD. Text of Latin,
/// Greek or Cyrillic letters comes back as it is, unallocated.
pub fn display_text(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let right_to_left = text.chars().any(is_right_to_left);
    let uncovered = text.chars().any(|c| !covered(c));
    if !right_to_left && !uncovered {
        return Cow::Borrowed(text);
    }
    let mut out: String = text
        .chars()
        .map(|c| if covered(c) { c } else { '\u{fffd}' })
        .collect();
    if right_to_left {
        if text.chars().any(is_arabic) {
            out = ar_reshaper::reshape_line(&out);
        }
        let lines: Vec<String> = out.split('\n').map(visual_order).collect();
        out = lines.join("\n");
    }
    Cow::Owned(out)
}

/// One line in the order it is seen in (the Unicode bidirectional
/// algorithm).
fn visual_order(line: &str) -> String {
    let info = unicode_bidi::BidiInfo::new(line, None);
    match info.paragraphs.first() {
        Some(paragraph) => info
            .reorder_line(paragraph, paragraph.range.clone())
            .into_owned(),
        None => line.to_owned(),
    }
}

/// Whether `c` is written right to left (Hebrew, Arabic and the scripts
/// around them).
fn is_right_to_left(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_extended_greek_and_cyrillic_are_drawn_as_written() {
        for text in ["Al Ḩasakah", "Θεσσαλονίκη", "Донецк", "Ceylanpınar"] {
            assert!(text.chars().all(covered), "{text}");
            assert!(matches!(display_text(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn arabic_is_joined_and_read_right_to_left() {
        // "Halab" (Aleppo): ح ل ب, whose joined forms are an initial hah,
        // a medial lam and a final beh; seen from the left, beh comes first.
        let shown = display_text("حلب");
        let chars: Vec<char> = shown.chars().collect();
        assert_eq!(chars, ['\u{FE90}', '\u{FEE0}', '\u{FEA3}'], "{shown}");
        assert!(shown.chars().all(covered));
    }

    #[test]
    fn hebrew_reads_right_to_left_beside_latin() {
        let shown = display_text("Tel Aviv תל אביב");
        assert!(shown.starts_with("Tel Aviv "), "{shown}");
        assert!(shown.ends_with("ביבא לת"), "{shown}");
    }

    #[test]
    fn what_no_face_has_becomes_a_visible_replacement() {
        // A private-use character: no face has it.
        let shown = display_text("a\u{E000}b");
        assert_eq!(shown, "a\u{fffd}b");
        assert!(covered('\u{fffd}'));
    }
}
