//! A story slide's caption card over the map's top left, as the app shows
//! it while presenting: the slide's name as a heading, the caption's lines
//! word-wrapped to the card, its bold runs emboldened and darker, its
//! italics leaning, its links drawn as their words (a picture cannot be
//! clicked), and the slide's place in the story. A caption too long for
//! the map is cut with an ellipsis, so the card never leaves the image.

use tiny_skia::Pixmap;

use super::figure::{INK, MUTED, RULE};
use super::paint::fill_rounded_rect;
use super::text::{TextStyle, cut_with_ellipsis, draw_text, line_height_px, text_width_px};
use crate::scene::{Rgba, Style, Viewport};
use crate::state::caption::{self, Run};

/// Caption words that are not bold: a shade lighter than [`INK`], so that
/// bold runs stand out with the renderer's one weight.
const BODY: Rgba = Rgba::rgb(70, 64, 60);
/// The shadow under the card.
const SHADOW: Rgba = Rgba([0, 0, 0, 28]);
/// The card's paper is this opaque over the map.
const PAPER_ALPHA: u8 = 242;

/// Text of one style placed on a wrapped line.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// The words, with the spaces between them.
    pub text: String,
    /// Whether it is bold.
    pub bold: bool,
    /// Whether it is in italics.
    pub italic: bool,
    /// Where it starts, from the line's left edge.
    pub x_px: f32,
}

/// A wrapped line: its pieces and how wide they are together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    /// The pieces, left to right.
    pub pieces: Vec<Piece>,
    /// The width of the text, trailing spaces left out.
    pub width_px: f32,
}

/// The caption's lines broken between words so that none is wider than
/// `max_px` at `size_px` (a word wider than that alone is broken between
/// its characters). An empty line stays, as the gap it is.
pub fn wrap(lines: &[Vec<Run>], size_px: f32, max_px: f32) -> Vec<Line> {
    let mut out = Vec::new();
    for runs in lines {
        let mut wrapper = Wrapper::new(size_px, max_px);
        for run in runs {
            for (word, is_space) in tokens(&run.text) {
                if is_space {
                    wrapper.space(word, run);
                } else {
                    wrapper.word(word, run);
                }
            }
        }
        out.extend(wrapper.finish());
    }
    out
}

/// `text` cut into words and the spaces between them, in order.
fn tokens(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let is_space = first.is_whitespace();
        let end = rest
            .find(|c: char| c.is_whitespace() != is_space)
            .unwrap_or(rest.len());
        let (token, after) = rest.split_at(end);
        rest = after;
        Some((token, is_space))
    })
}

/// Fills lines word by word, breaking before a word that does not fit.
struct Wrapper {
    size_px: f32,
    max_px: f32,
    done: Vec<Line>,
    line: Line,
    /// The spaces before the next word, dropped when it starts a line.
    space: Option<(String, bool, bool)>,
}

impl Wrapper {
    fn new(size_px: f32, max_px: f32) -> Self {
        Self {
            size_px,
            max_px,
            done: Vec::new(),
            line: Line::default(),
            space: None,
        }
    }

    fn space(&mut self, text: &str, run: &Run) {
        if self.line.pieces.is_empty() {
            return;
        }
        let spaces = " ".repeat(text.chars().count());
        match &mut self.space {
            Some((s, ..)) => s.push_str(&spaces),
            None => self.space = Some((spaces, run.bold, run.italic)),
        }
    }

    fn word(&mut self, word: &str, run: &Run) {
        let space = self.space.take();
        let space_px = space
            .as_ref()
            .map_or(0.0, |(s, ..)| text_width_px(s, self.size_px));
        let word_px = text_width_px(word, self.size_px);
        if !self.line.pieces.is_empty() && self.line.width_px + space_px + word_px > self.max_px {
            self.break_line();
        } else if let Some((s, bold, italic)) = space {
            self.place(&s, bold, italic, space_px);
        }
        if word_px <= self.max_px {
            self.place(word, run.bold, run.italic, word_px);
        } else {
            self.long_word(word, run);
        }
    }

    /// A word wider than a line, broken between its characters.
    fn long_word(&mut self, word: &str, run: &Run) {
        let mut chunk = String::new();
        for c in word.chars() {
            let longer = format!("{chunk}{c}");
            let longer_px = text_width_px(&longer, self.size_px);
            if !chunk.is_empty() && self.line.width_px + longer_px > self.max_px {
                let chunk_px = text_width_px(&chunk, self.size_px);
                self.place(&chunk, run.bold, run.italic, chunk_px);
                self.break_line();
                chunk = c.to_string();
            } else {
                chunk = longer;
            }
        }
        let chunk_px = text_width_px(&chunk, self.size_px);
        self.place(&chunk, run.bold, run.italic, chunk_px);
    }

    /// Adds text to the line, to its last piece when the style is the same.
    fn place(&mut self, text: &str, bold: bool, italic: bool, width_px: f32) {
        if text.is_empty() {
            return;
        }
        match self.line.pieces.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(text),
            _ => self.line.pieces.push(Piece {
                text: text.to_owned(),
                bold,
                italic,
                x_px: self.line.width_px,
            }),
        }
        self.line.width_px += width_px;
    }

    fn break_line(&mut self) {
        self.space = None;
        self.done.push(std::mem::take(&mut self.line));
    }

    fn finish(mut self) -> Vec<Line> {
        if !self.line.pieces.is_empty() || self.done.is_empty() {
            self.done.push(self.line);
        }
        self.done
    }
}

/// `line` cut at its end until it and an ellipsis fit `max_px`, then the
/// ellipsis added: the sign that the caption goes on.
fn ellipsize(mut line: Line, size_px: f32, max_px: f32) -> Line {
    let ellipsis_px = text_width_px("\u{2026}", size_px);
    while let Some(last) = line.pieces.last_mut() {
        let cut = cut_with_ellipsis(&last.text, size_px, max_px - last.x_px)
            .filter(|cut| cut.chars().count() > 1);
        if let Some(cut) = cut {
            line.width_px = last.x_px + text_width_px(&cut, size_px);
            last.text = cut;
            return line;
        }
        line.pieces.pop();
    }
    Line {
        pieces: vec![Piece {
            text: "\u{2026}".into(),
            bold: false,
            italic: false,
            x_px: 0.0,
        }],
        width_px: ellipsis_px,
    }
}

/// Text sizes and spacing of the card for a map width: the card reads at
/// the same share of the picture at every export size.
#[derive(Copy, Clone, Debug, PartialEq)]
struct CardMetrics {
    heading_px: f32,
    body_px: f32,
    small_px: f32,
    pad_px: f32,
    margin_px: f32,
}

impl CardMetrics {
    fn for_width(map_width_px: f32) -> Self {
        let heading_px = (map_width_px / 64.0).clamp(12.0, 26.0);
        let body_px = (heading_px * 0.78).max(10.0);
        Self {
            heading_px,
            body_px,
            small_px: (body_px * 0.85).max(9.0),
            pad_px: (body_px * 0.8).round(),
            margin_px: body_px.round(),
        }
    }

    /// The widest the card may be: about two fifths of the map, as the
    /// app's card, but never narrower than a few words nor wider than the map.
    fn max_width_px(&self, map_width_px: f32) -> f32 {
        let room = map_width_px - 2.0 * self.margin_px;
        (map_width_px * 0.42).max(room.min(15.0 * self.body_px))
    }
}

/// A line of the card as laid out, in the card's text styles.
#[derive(Clone, Debug, PartialEq)]
struct CardLine {
    line: Line,
    size_px: f32,
    color: Rgba,
    /// Every piece bold (the heading), whatever the pieces say.
    strong: bool,
    height_px: f32,
}

/// A caption card laid out in a map: where it goes and its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// `[left, top, right, bottom]` in the image's pixels.
    pub rect: [f32; 4],
    pad_px: f32,
    lines: Vec<CardLine>,
}

/// The card for a slide named `name` with `caption`, `place` saying where
/// the slide is in the story ("2 of 6"), over the top left of `map`; `None`
/// when the map has no room for one.
pub fn layout_card(name: &str, caption: &str, place: &str, map: &Viewport) -> Option<Card> {
    let m = CardMetrics::for_width(map.size[0]);
    let content_px = m.max_width_px(map.size[0]) - 2.0 * m.pad_px;
    let room_px = map.size[1] - 2.0 * m.margin_px - 2.0 * m.pad_px;
    if content_px < 4.0 * m.body_px {
        return None;
    }
    let heading = vec![vec![Run {
        text: name.to_owned(),
        ..Run::default()
    }]];
    let mut lines = styled(wrap(&heading, m.heading_px, content_px), m.heading_px, INK);
    for line in &mut lines {
        line.strong = true;
    }
    let gap_px = m.body_px * 0.3;
    if let Some(last) = lines.last_mut() {
        last.height_px += gap_px;
    }
    let body = wrap(&caption::parse(caption), m.body_px, content_px);
    lines.extend(styled(body, m.body_px, BODY));
    // The slide's place, a little apart from the caption.
    let place =
        [Line::default()]
            .into_iter()
            .chain(wrap(&[plain_run(place)], m.small_px, content_px));
    let mut place = styled(place.collect(), m.small_px, MUTED);
    if let Some(gap) = place.first_mut() {
        gap.height_px = gap_px;
    }
    let lines = fit_height(lines, place, room_px, content_px);
    if lines.is_empty() {
        return None;
    }
    let width_px = lines.iter().map(|l| l.line.width_px).fold(0.0, f32::max);
    let height_px: f32 = lines.iter().map(|l| l.height_px).sum();
    let [left, top] = [map.min[0] + m.margin_px, map.min[1] + m.margin_px];
    Some(Card {
        rect: [
            left,
            top,
            left + width_px.ceil() + 2.0 * m.pad_px,
            top + height_px.ceil() + 2.0 * m.pad_px,
        ],
        pad_px: m.pad_px,
        lines,
    })
}

fn plain_run(text: &str) -> Vec<Run> {
    vec![Run {
        text: text.to_owned(),
        ..Run::default()
    }]
}

/// Wrapped lines in one size and colour; an empty line is half a line's gap.
fn styled(lines: Vec<Line>, size_px: f32, color: Rgba) -> Vec<CardLine> {
    let line_px = line_height_px(size_px);
    lines
        .into_iter()
        .map(|line| CardLine {
            height_px: if line.pieces.is_empty() {
                line_px * 0.5
            } else {
                line_px
            },
            line,
            size_px,
            color,
            strong: false,
        })
        .collect()
}

/// The lines that fit `room_px` in height: the heading and caption as far
/// as they go (the last one kept ending in an ellipsis when some are left
/// out), then the slide's place when it fits too.
fn fit_height(
    mut lines: Vec<CardLine>,
    place: Vec<CardLine>,
    room_px: f32,
    width_px: f32,
) -> Vec<CardLine> {
    let place_px: f32 = place.iter().map(|l| l.height_px).sum();
    let all_px: f32 = lines.iter().map(|l| l.height_px).sum();
    if all_px + place_px <= room_px {
        lines.extend(place);
        return lines;
    }
    let mut used_px = 0.0;
    let keep = lines
        .iter()
        .take_while(|l| {
            used_px += l.height_px;
            used_px <= room_px
        })
        .count();
    lines.truncate(keep);
    if let Some(last) = lines.last_mut() {
        last.line = ellipsize(std::mem::take(&mut last.line), last.size_px, width_px);
    }
    lines
}

/// Draws `card`: a soft shadow, a hairline border and the paper, then the
/// lines.
pub fn draw_card(pixmap: &mut Pixmap, card: &Card, style: &Style) {
    let [l, t, r, b] = card.rect;
    let radius = card.pad_px * 0.6;
    fill_rounded_rect(pixmap, [l, t + 2.0, r, b + 2.0], radius, SHADOW, None);
    fill_rounded_rect(pixmap, card.rect, radius, RULE, None);
    let paper = style.halo.with_alpha(PAPER_ALPHA);
    fill_rounded_rect(
        pixmap,
        [l + 1.0, t + 1.0, r - 1.0, b - 1.0],
        radius,
        paper,
        None,
    );
    let mut top = t + card.pad_px;
    for line in &card.lines {
        for piece in &line.line.pieces {
            let bold = line.strong || piece.bold;
            let text = TextStyle {
                size_px: line.size_px,
                color: if bold && !line.strong {
                    INK
                } else {
                    line.color
                },
                strong: bold,
                italic: piece.italic,
            };
            draw_text(
                pixmap,
                &piece.text,
                [l + card.pad_px + piece.x_px, top],
                text,
            );
        }
        top += line.height_px;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line's words without their styles.
    fn text(line: &Line) -> String {
        line.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    fn run(text: &str, bold: bool) -> Run {
        Run {
            text: text.into(),
            bold,
            ..Run::default()
        }
    }

    const CAPTION: &str = "October–November: two rounds of **Pakistan–Taliban talks** in \
        Istanbul end without a breakthrough.\n\nThe date is *in recent weeks*.";

    #[test]
    fn lines_break_between_words_within_the_width() {
        let lines = wrap(&caption::parse(CAPTION), 14.0, 180.0);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(line.width_px <= 180.0, "{line:?}");
            let text = text(line);
            assert_eq!(text.trim(), text, "no space at a line's ends");
            let drawn = text_width_px(&text, 14.0);
            assert!((drawn - line.width_px).abs() < 2.0, "{drawn} {line:?}");
        }
        // The words come back in order, the empty line a gap.
        let texts: Vec<String> = lines.iter().map(text).collect();
        let gap = texts.iter().position(String::is_empty);
        assert!(gap.is_some(), "{texts:?}");
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(words(&texts.join(" ")), words(&caption::plain(CAPTION)));
    }

    #[test]
    fn styles_stay_with_their_words() {
        let runs = vec![run("plain words then ", false), run("bold words", true)];
        let lines = wrap(&[runs], 14.0, 1000.0);
        let [line] = lines.as_slice() else {
            panic!("one line: {lines:?}");
        };
        let pieces: Vec<(&str, bool)> = line
            .pieces
            .iter()
            .map(|p| (p.text.as_str(), p.bold))
            .collect();
        assert_eq!(pieces, [("plain words then ", false), ("bold words", true)]);
        let second = &line.pieces[1];
        let want = text_width_px("plain words then ", 14.0);
        assert!((second.x_px - want).abs() < 1.0, "{second:?}");
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        let lines = wrap(&[vec![run("Pakistan–Afghanistan", false)]], 14.0, 40.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.width_px <= 40.0));
        let joined: String = lines.iter().map(text).collect();
        assert_eq!(joined, "Pakistan–Afghanistan");
    }

    fn map(size: [f32; 2]) -> Viewport {
        Viewport {
            min: [0.0, 50.0],
            size,
        }
    }

    fn inside(card: &Card, map: &Viewport) -> bool {
        let [l, t, r, b] = card.rect;
        l >= map.min[0]
            && t >= map.min[1]
            && r <= map.min[0] + map.size[0]
            && b <= map.min[1] + map.size[1]
    }

    #[test]
    fn the_card_sits_at_the_maps_top_left_and_fits_it() {
        let big = map([1400.0, 760.0]);
        let card = layout_card("Talks in Istanbul", CAPTION, "2 of 6", &big);
        let card = card.unwrap_or_else(|| panic!("a card"));
        assert!(inside(&card, &big), "{:?}", card.rect);
        assert!(card.rect[2] < 700.0, "about two fifths of the map");
        let last = card.lines.last().map(|l| text(&l.line));
        assert_eq!(last.as_deref(), Some("2 of 6"));
        // A long caption on a small map is cut, not spilled.
        let long = CAPTION.repeat(12);
        let small = map([220.0, 120.0]);
        let card = layout_card("Talks in Istanbul", &long, "2 of 6", &small);
        let card = card.unwrap_or_else(|| panic!("a card"));
        assert!(inside(&card, &small), "{:?}", card.rect);
        let last = card.lines.last().map(|l| text(&l.line)).unwrap_or_default();
        assert!(last.ends_with('\u{2026}'), "{last}");
        assert!(layout_card("a", "b", "1 of 1", &map([40.0, 40.0])).is_none());
    }

    #[test]
    fn the_card_draws_its_words_in_ink_on_paper() {
        let Some(mut pixmap) = Pixmap::new(480, 320) else {
            panic!("pixmap");
        };
        pixmap.fill(tiny_skia::Color::from_rgba8(203, 221, 235, 255));
        let viewport = map([480.0, 270.0]);
        let card = layout_card("The strikes", CAPTION, "4 of 6", &viewport);
        let card = card.unwrap_or_else(|| panic!("a card"));
        draw_card(&mut pixmap, &card, &Style::light());
        let [l, t, r, b] = card.rect.map(|v| v as u32);
        let (mut ink, mut paper) = (0, 0);
        for y in t + 2..b - 2 {
            for x in l + 2..r - 2 {
                let Some(p) = pixmap.pixel(x, y) else {
                    continue;
                };
                match p.red() {
                    0..100 => ink += 1,
                    240.. => paper += 1,
                    _ => {}
                }
            }
        }
        assert!(ink > 200, "{ink} ink pixels");
        assert!(paper > ink, "{paper} paper pixels");
    }
}
