//! Colours and sizes of the map, shared by the egui painter and the PNG
//! renderer so both draw the same picture.

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self([r, g, b, 255])
    }

    /// The same colour with another alpha.
    #[must_use]
    pub const fn with_alpha(self, a: u8) -> Self {
        let [r, g, b, _] = self.0;
        Self([r, g, b, a])
    }
}

/// How a place on the map relates to the current time window and selection.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceState {
    /// None of its events are in the window (or pass the filter): dimmed.
    Dimmed,
    /// Its events in the window may have happened outside it (their
    /// possible days reach past the window's ends): drawn hollow.
    Possible,
    /// At least one of its events certainly happened in the window:
    /// highlighted.
    Active,
    /// It is a place of the selected event.
    Selected,
}

/// Everything the scene needs to know about looks.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// Sea, behind everything.
    pub water: Rgba,
    /// Land fill.
    pub land: Rgba,
    /// Country borders.
    pub border: Rgba,
    /// Province borders (shown once zoomed in).
    pub province_border: Rgba,
    /// Basemap labels and reference cities.
    pub reference: Rgba,
    /// Places whose events are in the window.
    pub highlight: Rgba,
    /// Places with events, none in the window.
    pub dimmed: Rgba,
    /// Outline of the selected event's places.
    pub selected: Rgba,
    /// Label text of event places.
    pub label: Rgba,
    /// Halo behind labels so they read on any background.
    pub halo: Rgba,
    /// Radius of an event city marker, in logical pixels.
    pub marker_radius_px: f32,
}

impl Style {
    /// The light theme used by the app and exported images.
    pub fn light() -> Self {
        Self {
            water: Rgba::rgb(203, 221, 235),
            land: Rgba::rgb(243, 240, 232),
            border: Rgba::rgb(135, 128, 118),
            province_border: Rgba::rgb(196, 188, 176),
            reference: Rgba::rgb(105, 100, 95),
            highlight: Rgba::rgb(222, 68, 20),
            dimmed: Rgba::rgb(150, 150, 158),
            selected: Rgba::rgb(20, 90, 200),
            label: Rgba::rgb(35, 30, 28),
            halo: Rgba::rgb(250, 248, 244),
            marker_radius_px: 6.0,
        }
    }

    /// The dark theme's map: night-blue sea, charcoal land, and the same
    /// meanings in colours bright enough to read on them.
    pub fn dark() -> Self {
        Self {
            water: Rgba::rgb(27, 37, 51),
            land: Rgba::rgb(50, 52, 56),
            border: Rgba::rgb(128, 131, 138),
            province_border: Rgba::rgb(80, 83, 90),
            reference: Rgba::rgb(160, 161, 166),
            highlight: Rgba::rgb(255, 112, 58),
            dimmed: Rgba::rgb(118, 121, 132),
            selected: Rgba::rgb(96, 165, 255),
            label: Rgba::rgb(236, 234, 230),
            halo: Rgba::rgb(22, 24, 28),
            marker_radius_px: 6.0,
        }
    }

    /// The map's style for the window's theme.
    pub fn for_theme(dark: bool) -> Self {
        if dark { Self::dark() } else { Self::light() }
    }

    /// Fill of an event region in a state. An event known only to its
    /// country is a light wash (and a hatch, [`Style::region_hatch`]), so
    /// that the provinces and cities inside it still stand out.
    pub fn region_fill(&self, state: PlaceState, country: bool) -> Rgba {
        let (dimmed, lit) = if country { (20, 36) } else { (110, 175) };
        match state {
            PlaceState::Dimmed => self.dimmed.with_alpha(dimmed),
            PlaceState::Possible => self.highlight.with_alpha(lit / 3),
            PlaceState::Active | PlaceState::Selected => self.highlight.with_alpha(lit),
        }
    }

    /// The lines hatching an event region, where it is hatched: a whole
    /// country (known no closer), and a region whose events may fall
    /// outside the window.
    pub fn region_hatch(&self, state: PlaceState, country: bool) -> Option<Rgba> {
        match state {
            PlaceState::Possible => Some(self.highlight.with_alpha(150)),
            PlaceState::Active | PlaceState::Selected if country => {
                Some(self.highlight.with_alpha(90))
            }
            PlaceState::Dimmed if country => Some(self.dimmed.with_alpha(70)),
            _ => None,
        }
    }

    /// Fill and outline of the ring around a place known only roughly (a
    /// nearby town, a region's centre).
    pub fn ring(&self, state: PlaceState) -> (Rgba, Rgba) {
        match state {
            PlaceState::Dimmed => (self.dimmed.with_alpha(22), self.dimmed.with_alpha(110)),
            PlaceState::Selected => (self.selected.with_alpha(30), self.selected.with_alpha(200)),
            PlaceState::Active | PlaceState::Possible => (
                self.highlight.with_alpha(28),
                self.highlight.with_alpha(170),
            ),
        }
    }

    /// Fill of an event city marker in a state (a possible one is hollow:
    /// its ring is [`Style::marker_stroke`]).
    pub fn marker_fill(&self, state: PlaceState) -> Rgba {
        match state {
            PlaceState::Dimmed => self.dimmed,
            PlaceState::Possible => self.halo,
            PlaceState::Active | PlaceState::Selected => self.highlight,
        }
    }

    /// Ring of an event marker in a state, and its width in pixels.
    pub fn marker_stroke(&self, state: PlaceState) -> (Rgba, f32) {
        match state {
            PlaceState::Selected => (self.selected, 3.0),
            PlaceState::Possible => (self.highlight, 2.5),
            PlaceState::Dimmed | PlaceState::Active => (self.halo, 1.5),
        }
    }

    /// Colour of the count on a cluster of a state: dark on the grey of
    /// dimmed clusters, light on the highlight, for contrast.
    pub fn cluster_text(&self, state: PlaceState) -> Rgba {
        match state {
            PlaceState::Dimmed | PlaceState::Possible => self.label,
            PlaceState::Active | PlaceState::Selected => self.halo,
        }
    }
}

impl Default for Style {
    fn default() -> Self {
        Self::light()
    }
}

/// Colours for categories: well-known ones get a meaning-bearing colour,
/// the rest take the palette in order (Tableau 10, readable on light grounds).
pub fn category_color(name: &str, index: usize) -> Rgba {
    const PALETTE: [Rgba; 10] = [
        Rgba::rgb(78, 121, 167),
        Rgba::rgb(242, 142, 43),
        Rgba::rgb(225, 87, 89),
        Rgba::rgb(118, 183, 178),
        Rgba::rgb(89, 161, 79),
        Rgba::rgb(237, 201, 72),
        Rgba::rgb(176, 122, 161),
        Rgba::rgb(255, 157, 167),
        Rgba::rgb(156, 117, 95),
        Rgba::rgb(186, 176, 172),
    ];
    let known = match name.to_lowercase().as_str() {
        "military strike" | "battles" | "explosions/remote violence" => Some(PALETTE[2]),
        "talks" => Some(PALETTE[0]),
        "diplomacy" => Some(PALETTE[3]),
        "statement" => Some(PALETTE[6]),
        "report" => Some(PALETTE[5]),
        "context" => Some(PALETTE[9]),
        "protests" => Some(PALETTE[4]),
        "riots" => Some(PALETTE[1]),
        "violence against civilians" => Some(PALETTE[8]),
        _ => None,
    };
    known.unwrap_or(PALETTE[index % PALETTE.len()])
}

/// The credit line the basemap's licences ask for, drawn on every map.
pub const ATTRIBUTION: &str =
    "Boundaries: Natural Earth (public domain) \u{b7} Places: GeoNames (CC BY 4.0)";
