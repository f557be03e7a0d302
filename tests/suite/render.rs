//! The CPU renderer on the embedded data, checked by its pixels: what is
//! highlighted and dimmed where, a small golden image, byte-identical
//! output, and animation frames that step by date.

use std::sync::Arc;

use chronomap::atlas::{Atlas, world_from_lon_lat};
use chronomap::model::{Dataset, Day, Location};
use chronomap::render::{
    AnimationSpec, Extent, FigureSpec, MAX_FRAMES, RenderError, Rendered, encode_png, render,
    render_frames, view_at,
};
use chronomap::scene::{MeshShape, PlaceState, Rgba, SceneCache, Style};
use chronomap::state::ViewState;
use chronomap::time::{Choices, WindowRule, WindowWidth};

use crate::common::listing;

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("bad test date {text}"))
}

fn dataset() -> Arc<Dataset> {
    let loaded = chronomap::load::embedded(Atlas::embedded()).unwrap_or_else(|e| panic!("{e}"));
    Arc::new(loaded.dataset)
}

fn figure(size_px: [u32; 2]) -> FigureSpec {
    FigureSpec {
        size_px,
        extent: Extent::Data,
        style: Style::light(),
    }
}

fn render_at(date: &str, window: WindowWidth, size_px: [u32; 2]) -> (ViewState, Rendered) {
    render_in(date, window, figure(size_px))
}

fn render_in(date: &str, window: WindowWidth, spec: FigureSpec) -> (ViewState, Rendered) {
    let atlas = Atlas::embedded();
    let state = view_at(dataset(), day(date), window, &Choices::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let rendered = render(&state, atlas, &SceneCache::new(atlas), &spec)
        .unwrap_or_else(|| panic!("render failed"));
    (state, rendered)
}

/// The Afghan–Pakistani border, where Khost is large enough to hold a
/// point that no label covers.
fn border_view() -> FigureSpec {
    FigureSpec {
        extent: Extent::LonLatBox([68.0, 31.5, 71.5, 34.5]),
        ..figure([900, 700])
    }
}

fn pixel(r: &Rendered, at: [f32; 2]) -> [u8; 4] {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "test pixels"
    )]
    let (x, y) = (at[0].floor() as u32, at[1].floor() as u32);
    r.image.get_pixel(x, y).0
}

fn close(a: [u8; 4], b: [u8; 4], tolerance: u8) -> bool {
    a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
}

/// Straight-alpha source-over of `top` onto an opaque `below`.
fn over(below: [u8; 4], top: Rgba) -> [u8; 4] {
    let a = f32::from(top.0[3]) / 255.0;
    let mix = |t: u8, b: u8| (f32::from(t) * a + f32::from(b) * (1.0 - a)).round() as u8;
    [
        mix(top.0[0], below[0]),
        mix(top.0[1], below[1]),
        mix(top.0[2], below[2]),
        255,
    ]
}

/// What the scene's meshes composite to at a point: the sea, then every
/// mesh whose triangles hold the point, in drawing order, leaving out the
/// top `skip` of them.
fn expected_fill(r: &Rendered, at: [f32; 2], skip: usize) -> [u8; 4] {
    let sea = r.map.scene.background.unwrap_or(Rgba::rgb(0, 0, 0));
    let mut color = over([0, 0, 0, 255], sea);
    let under: Vec<&MeshShape> = r
        .map
        .scene
        .meshes
        .iter()
        .filter(|m| mesh_contains(m, at))
        .collect();
    for mesh in &under[..under.len().saturating_sub(skip)] {
        color = over(color, mesh.color);
    }
    color
}

fn mesh_contains(mesh: &MeshShape, p: [f32; 2]) -> bool {
    mesh.indices.chunks_exact(3).any(|t| {
        let v = |i: u32| {
            mesh.vertices
                .get(i as usize)
                .copied()
                .unwrap_or([f32::NAN; 2])
        };
        let (a, b, c) = (v(t[0]), v(t[1]), v(t[2]));
        let side = |p0: [f32; 2], p1: [f32; 2]| {
            (p1[0] - p0[0]) * (p[1] - p0[1]) - (p1[1] - p0[1]) * (p[0] - p0[0])
        };
        let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
        let neg = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
        let pos = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
        !(neg && pos)
    })
}

fn screen_of(r: &Rendered, lon_lat: [f64; 2]) -> [f32; 2] {
    r.map
        .camera
        .screen_from_world(&r.map.viewport, world_from_lon_lat(lon_lat))
}

fn place_location(state: &ViewState, name: &str) -> Location {
    state
        .dataset()
        .places
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.location.clone())
        .unwrap_or_else(|| panic!("no located place {name}"))
}

/// A point well inside Khost (the label point, else one near it) that no
/// label, marker or border covers, so its pixel is the fills alone.
fn khost_interior(state: &ViewState, r: &Rendered) -> [f32; 2] {
    let atlas = Atlas::embedded();
    let Location::Region(id) = place_location(state, "Khost") else {
        panic!("Khost is a province in the seed data");
    };
    let region = atlas.region(id).unwrap_or_else(|| panic!("no region"));
    interior(r, region)
}

/// A point inside `region`, near its label point, that no label, marker or
/// border covers.
fn interior(r: &Rendered, region: &chronomap::atlas::Region) -> [f32; 2] {
    let center = r
        .map
        .camera
        .screen_from_world(&r.map.viewport, region.label_world);
    let free = |p: [f32; 2]| {
        let world = r.map.camera.world_from_screen(&r.map.viewport, p);
        let margin = 4.0;
        region.contains_world(world)
            && !r.map.scene.labels.iter().any(|l| {
                l.rect[0] - margin <= p[0]
                    && p[0] <= l.rect[2] + margin
                    && l.rect[1] - margin <= p[1]
                    && p[1] <= l.rect[3] + margin
            })
            && !r
                .map
                .scene
                .markers
                .iter()
                .chain(&r.map.scene.dots)
                .any(|m| {
                    (m.pos[0] - p[0]).hypot(m.pos[1] - p[1]) <= m.radius_px + m.stroke_px + margin
                })
            && !r
                .map
                .scene
                .lines
                .iter()
                .any(|l| near_line(&l.points, p, l.width_px + 2.0))
    };
    let mut offsets = vec![[0.0_f32, 0.0]];
    for ring in 1..12 {
        let d = 2.0 * f32::from(u8::try_from(ring).unwrap_or(0));
        offsets.extend([
            [d, 0.0],
            [-d, 0.0],
            [0.0, d],
            [0.0, -d],
            [d, d],
            [-d, -d],
            [d, -d],
            [-d, d],
        ]);
    }
    offsets
        .into_iter()
        .map(|o| [center[0] + o[0], center[1] + o[1]])
        .find(|&p| free(p))
        .unwrap_or_else(|| panic!("no free point inside {} near {center:?}", region.name))
}

fn near_line(points: &[[f32; 2]], p: [f32; 2], distance: f32) -> bool {
    points.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let ab = [b[0] - a[0], b[1] - a[1]];
        let len2 = ab[0] * ab[0] + ab[1] * ab[1];
        let t = if len2 > 0.0 {
            (((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let q = [a[0] + t * ab[0], a[1] + t * ab[1]];
        (q[0] - p[0]).hypot(q[1] - p[1]) <= distance
    })
}

/// The colour Khost's mesh carries in the scene.
fn khost_mesh_color(r: &Rendered, at: [f32; 2]) -> Rgba {
    r.map
        .scene
        .meshes
        .iter()
        .rev()
        .find(|m| mesh_contains(m, at))
        .map(|m| m.color)
        .unwrap_or_else(|| panic!("no mesh at {at:?}"))
}

#[test]
fn islamabad_is_highlighted_on_27_november() {
    let (state, r) = render_at("2025-11-27", WindowWidth::Days(1), [1200, 800]);
    let Location::Point { lon_lat } = place_location(&state, "Islamabad") else {
        panic!("Islamabad is a city");
    };
    let at = screen_of(&r, lon_lat);
    let style = Style::light();
    let got = pixel(&r, at);
    assert!(
        close(got, style.highlight.0, 6),
        "Islamabad at {at:?} is {got:?}"
    );
}

#[test]
fn khost_is_dimmed_on_27_november() {
    let (state, r) = render_in("2025-11-27", WindowWidth::Days(1), border_view());
    let at = khost_interior(&state, &r);
    let style = Style::light();
    let dimmed = style.region_fill(PlaceState::Dimmed, false);
    assert_eq!(khost_mesh_color(&r, at), dimmed);
    let got = pixel(&r, at);
    let expected = expected_fill(&r, at, 0);
    assert!(
        close(got, expected, 3),
        "Khost at {at:?} is {got:?}, expected {expected:?}"
    );
    // The dimmed grey over the land (and Afghanistan's wash) under it, and
    // not the highlight.
    let under = expected_fill(&r, at, 1);
    assert!(close(got, over(under, dimmed), 3), "{got:?} vs {under:?}");
    let lit = over(under, style.region_fill(PlaceState::Active, false));
    assert!(!close(got, lit, 30), "{got:?} looks highlighted ({lit:?})");
}

/// The strikes happened "earlier this week": sometime on 24–26 Nov. A window
/// of those three days holds them for certain, and Khost is lit.
#[test]
fn khost_is_highlighted_during_the_airstrikes() {
    let (state, r) = render_in("2025-11-26", WindowWidth::Days(3), border_view());
    let at = khost_interior(&state, &r);
    let style = Style::light();
    let lit = style.region_fill(PlaceState::Active, false);
    assert_eq!(khost_mesh_color(&r, at), lit);
    let got = pixel(&r, at);
    let expected = expected_fill(&r, at, 0);
    assert!(
        close(got, expected, 3),
        "Khost at {at:?} is {got:?}, expected {expected:?}"
    );
    let under = expected_fill(&r, at, 1);
    assert!(close(got, over(under, lit), 3), "{got:?} vs {under:?}");
    // Mostly the highlight's orange: red well above green and blue.
    assert!(got[0] > got[1] + 60 && got[0] > got[2] + 80, "{got:?}");
}

/// A window of one of those days holds them only possibly: Khost takes the
/// lighter fill of a place that may have had its event then, between the
/// dimmed grey and the highlight, and the legend says what it means.
#[test]
fn khost_is_lighter_on_a_day_the_airstrikes_only_may_have_happened() {
    let (state, r) = render_in("2025-11-25", WindowWidth::Days(1), border_view());
    let at = khost_interior(&state, &r);
    let style = Style::light();
    let possible = style.region_fill(PlaceState::Possible, false);
    assert_eq!(khost_mesh_color(&r, at), possible);
    let got = pixel(&r, at);
    let under = expected_fill(&r, at, 1);
    assert!(close(got, over(under, possible), 3), "{got:?} vs {under:?}");
    let lit = over(under, style.region_fill(PlaceState::Active, false));
    assert!(!close(got, lit, 30), "{got:?} looks certain ({lit:?})");
    let words = chronomap::render::window_words(&state);
    assert!(words.ends_with("of them certain"), "{words}");
}

#[test]
fn the_same_arguments_give_the_same_bytes() {
    let (_, a) = render_at("2025-11-27", WindowWidth::Days(3), [640, 400]);
    let (_, b) = render_at("2025-11-27", WindowWidth::Days(3), [640, 400]);
    let (pa, pb) = (encode_png(&a.image), encode_png(&b.image));
    assert!(pa.is_ok());
    assert_eq!(pa.ok(), pb.ok());
}

/// Set `CHRONOMAP_BLESS=1` to rewrite the golden image after a deliberate
/// change to the map's looks (and look at it before committing).
#[test]
fn a_small_map_matches_the_golden_image() {
    let golden =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/render-320x200.png");
    let (_, r) = render_at("2025-11-27", WindowWidth::Days(1), [320, 200]);
    if std::env::var_os("CHRONOMAP_BLESS").is_some() {
        let bytes = encode_png(&r.image).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&golden, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let want = image::open(&golden)
        .unwrap_or_else(|e| panic!("{}: {e}; run with CHRONOMAP_BLESS=1", golden.display()))
        .to_rgba8();
    assert_eq!(want.dimensions(), r.image.dimensions());
    let off = want
        .pixels()
        .zip(r.image.pixels())
        .filter(|(a, b)| !close(a.0, b.0, 16))
        .count();
    // Anti-aliased text edges may differ by a few pixels between platforms.
    assert!(off <= 64, "{off} of 64000 pixels differ by more than 16");
}

#[test]
fn animation_frames_step_by_date() {
    let atlas = Atlas::embedded();
    let spec = AnimationSpec {
        from: day("2025-11-20"),
        to: day("2025-11-27"),
        step_days: 2,
        window: WindowWidth::Days(2),
        rule: WindowRule::CertainlyInside,
        choices: Choices::default(),
        mode: chronomap::scene::MapMode::Points,
        figure: figure([200, 120]),
    };
    let (dataset, cache) = (dataset(), SceneCache::new(atlas));
    let frames: Vec<_> = render_frames(&dataset, atlas, &cache, &spec, MAX_FRAMES)
        .and_then(Iterator::collect)
        .unwrap_or_else(|e| panic!("{e}"));
    // Only the events certainly inside each window: nothing is drawn as
    // only possibly in it.
    for f in &frames {
        let scene = &f.rendered.map.scene;
        assert!(
            scene
                .markers
                .iter()
                .all(|m| m.state != PlaceState::Possible)
        );
        assert!(
            scene
                .place_areas
                .iter()
                .all(|a| a.state != PlaceState::Possible)
        );
    }
    let windows: Vec<(Day, Day)> = frames.iter().map(|f| f.window).collect();
    let want: Vec<(Day, Day)> = (0..4)
        .map(|n| {
            let end = day("2025-11-20").offset(2 * n);
            (end.offset(-1), end)
        })
        .collect();
    assert_eq!(windows, want);
    let first_hash = frames.first().map(|f| f.rendered.image.as_raw().clone());
    let last_hash = frames.last().map(|f| f.rendered.image.as_raw().clone());
    assert_ne!(first_hash, last_hash, "the map changes over the week");
}

#[test]
fn out_of_range_requests_are_errors() {
    let atlas = Atlas::embedded();
    let state = view_at(
        dataset(),
        day("2025-11-27"),
        WindowWidth::Days(1),
        &Choices::default(),
    );
    let state = state.unwrap_or_else(|e| panic!("{e}"));
    assert!(render(&state, atlas, &SceneCache::new(atlas), &figure([10, 10])).is_none());
    let outside = view_at(
        dataset(),
        day("2030-01-01"),
        WindowWidth::Days(1),
        &Choices::default(),
    );
    assert!(outside.is_err());
}

fn chronomap(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_chronomap"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = crate::common::scratch_root().join(format!("render-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn the_command_writes_identical_files_run_to_run() {
    let dir = scratch("same");
    let mut outputs = Vec::new();
    for name in ["a.png", "b.png", "a.gif", "b.gif"] {
        let out = dir.join(name).to_string_lossy().into_owned();
        let args: Vec<&str> = if name.ends_with("png") {
            vec![
                "render",
                "--date",
                "2025-11-27",
                "--window",
                "3d",
                "--size",
                "480x300",
                "--out",
                &out,
            ]
        } else {
            vec![
                "render",
                "--from",
                "2025-11-24",
                "--to",
                "2025-11-27",
                "--size",
                "240x160",
                "--out",
                &out,
            ]
        };
        let run = chronomap(&args);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        outputs.push(std::fs::read(&out).unwrap_or_default());
    }
    assert!(outputs[0].starts_with(b"\x89PNG") && outputs[2].starts_with(b"GIF89a"));
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[2], outputs[3]);
}

#[test]
fn the_command_writes_numbered_frames_to_a_folder() {
    let dir = scratch("frames").join("frames");
    let out = format!("{}/", dir.to_string_lossy());
    let run = chronomap(&[
        "render",
        "--from",
        "2025-11-20",
        "--to",
        "2025-11-26",
        "--step",
        "3d",
        "--size",
        "200x120",
        "--out",
        &out,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names = listing(&dir);
    assert_eq!(
        names,
        ["frame-0001.png", "frame-0002.png", "frame-0003.png"]
    );
}

#[test]
fn bad_arguments_fail_and_write_nothing() {
    let dir = scratch("bad");
    let png = dir.join("map.png").to_string_lossy().into_owned();
    let gif = dir.join("anim.gif").to_string_lossy().into_owned();
    let cases: [&[&str]; 9] = [
        &["render", "--date", "2025-11-31", "--out", &png],
        &["render", "--date", "2030-01-01", "--out", &png],
        &[
            "render",
            "--date",
            "2025-11-27",
            "--size",
            "0x200",
            "--out",
            &png,
        ],
        &[
            "render",
            "--date",
            "2025-11-27",
            "--size",
            "wide",
            "--out",
            &png,
        ],
        &[
            "render",
            "--date",
            "2025-11-27",
            "--bbox",
            "75,25,60,37",
            "--out",
            &png,
        ],
        &["render", "--date", "2025-11-27", "--out", &gif],
        &[
            "render",
            "--from",
            "2025-11-27",
            "--to",
            "2025-11-20",
            "--out",
            &gif,
        ],
        &[
            "render",
            "--date",
            "2025-11-27",
            "--window",
            "0d",
            "--out",
            &png,
        ],
        &[
            "render",
            "no-such-file.csv",
            "--date",
            "2025-11-27",
            "--out",
            &png,
        ],
    ];
    for args in cases {
        let run = chronomap(args);
        assert!(!run.status.success(), "{args:?} succeeded");
        assert!(!run.stderr.is_empty(), "{args:?} said nothing");
    }
    let missing = dir.join("missing/map.png").to_string_lossy().into_owned();
    let run = chronomap(&["render", "--date", "2025-11-27", "--out", &missing]);
    assert_eq!(run.status.code(), Some(1));
    let left = listing(&dir);
    assert!(left.is_empty(), "files were written: {left:?}");
}

fn gif_frames(bytes: Vec<u8>) -> Option<usize> {
    use image::AnimationDecoder as _;
    let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    Some(decoder.into_frames().count())
}

#[test]
fn the_frame_limit_is_checked_before_anything_is_drawn() {
    let atlas = Atlas::embedded();
    let spec = AnimationSpec {
        from: day("2025-11-20"),
        to: day("2025-11-27"),
        step_days: 1,
        window: WindowWidth::Days(1),
        rule: WindowRule::default(),
        choices: Choices::default(),
        mode: chronomap::scene::MapMode::Points,
        figure: figure([200, 120]),
    };
    let (dataset, cache) = (dataset(), SceneCache::new(atlas));
    let refused = render_frames(&dataset, atlas, &cache, &spec, 7).err();
    assert_eq!(
        refused,
        Some(RenderError::TooManyFrames { count: 8, max: 7 })
    );
    assert!(render_frames(&dataset, atlas, &cache, &spec, 8).is_ok());
}

#[test]
fn the_command_refuses_too_many_frames_unless_allowed() {
    let dir = scratch("limit");
    let gif = dir.join("all.gif").to_string_lossy().into_owned();
    // 0001 to 9999 a day apart: 3.65 million frames, refused at once (were
    // any drawn, the first date, outside the data, would fail instead).
    let run = chronomap(&[
        "render",
        "--from",
        "0001-01-01",
        "--to",
        "9999-12-31",
        "--size",
        "64x64",
        "--out",
        &gif,
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("3652059 frames, more than the limit of 1000")
            && stderr.contains("--max-frames 3652059"),
        "{stderr}"
    );
    let week = |max: &str| {
        chronomap(&[
            "render",
            "--from",
            "2025-11-20",
            "--to",
            "2025-11-27",
            "--size",
            "64x64",
            "--max-frames",
            max,
            "--out",
            &gif,
        ])
    };
    let refused = week("7");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("8 frames"));
    assert!(listing(&dir).is_empty(), "nothing written when refused");
    let allowed = week("8");
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    let written = std::fs::read(&gif).unwrap_or_default();
    assert_eq!(
        gif_frames(written),
        Some(8),
        "the streamed GIF decodes whole"
    );
    assert_eq!(listing(&dir), ["all.gif"]);
}

fn render_frames_into(out: &str, step: &str) -> std::process::Output {
    chronomap(&[
        "render",
        "--from",
        "2025-11-20",
        "--to",
        "2025-11-26",
        "--step",
        step,
        "--size",
        "64x64",
        "--out",
        out,
    ])
}

#[test]
fn a_second_render_into_a_folder_leaves_exactly_the_new_frames() {
    let root = scratch("rerender");
    let dir = root.join("frames");
    let out = format!("{}/", dir.to_string_lossy());
    let first = render_frames_into(&out, "1d");
    assert!(first.status.success());
    assert_eq!(listing(&dir).len(), 7);
    std::fs::write(dir.join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let second = render_frames_into(&out, "3d");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains("replaced the 7 frames of an earlier render"),
        "{stderr}"
    );
    assert_eq!(
        listing(&dir),
        [
            "frame-0001.png",
            "frame-0002.png",
            "frame-0003.png",
            "notes.txt"
        ]
    );
    // The third frame is 26 November's, not the first set's 22 November.
    let third = image::open(dir.join("frame-0003.png")).map(|i| i.to_rgba8());
    let want = render_at("2025-11-26", WindowWidth::Days(3), [64, 64])
        .1
        .image;
    assert!(third.is_ok_and(|i| i == want));
    assert_eq!(listing(&root), ["frames"], "no temporary folder left");
}

#[test]
fn a_failed_animation_leaves_the_old_output_and_no_temporary_file() {
    let root = scratch("failed");
    let gif = root.join("a.gif");
    std::fs::write(&gif, "old").unwrap_or_else(|e| panic!("{e}"));
    // Two frames: 27 November draws, 1 January 2030 is outside the data.
    let step = format!("{}d", day("2030-01-01").0 - day("2025-11-27").0);
    let run = |out: &str| {
        chronomap(&[
            "render",
            "--from",
            "2025-11-27",
            "--to",
            "2030-01-01",
            "--step",
            &step,
            "--size",
            "64x64",
            "--out",
            out,
        ])
    };
    let failed = run(&gif.to_string_lossy());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("outside the data"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&gif).ok().as_deref(), Some("old"));
    let frames = root.join("frames");
    assert_eq!(
        run(&format!("{}/", frames.display())).status.code(),
        Some(2)
    );
    assert!(!frames.exists());
    // A frames folder where a file is: the file stays as it was.
    std::fs::write(&frames, "a file").unwrap_or_else(|e| panic!("{e}"));
    let blocked = render_frames_into(&frames.to_string_lossy(), "3d");
    assert_eq!(blocked.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&frames).ok().as_deref(),
        Some("a file")
    );
    assert_eq!(listing(&root), ["a.gif", "frames"]);
}

#[test]
fn provinces_mode_fills_each_province_with_its_class_colour() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/misc/provinces.json");
    let atlas = Atlas::embedded();
    let loaded = chronomap::load::Loader::new(atlas)
        .load(chronomap::load::Source::path(&path))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut state = view_at(
        Arc::new(loaded.dataset),
        day("2024-01-01"),
        WindowWidth::Days(1),
        &Choices::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    chronomap::render::in_mode(&mut state, atlas, chronomap::scene::MapMode::Provinces);
    let choropleth = state
        .choropleth()
        .unwrap_or_else(|| panic!("a regions mode"));
    // Five events in Punjab, two in Sindh, one in Balochistan: three classes.
    assert_eq!(choropleth.breaks, [1, 2, 5]);
    let spec = FigureSpec {
        extent: Extent::LonLatBox([60.0, 23.0, 78.0, 35.0]),
        ..figure([900, 700])
    };
    let r = render(&state, atlas, &SceneCache::new(atlas), &spec)
        .unwrap_or_else(|| panic!("render failed"));
    let province = |name: &str| {
        atlas
            .provinces
            .iter()
            .find(|p| p.name == name && p.country_iso2 == "PK")
            .unwrap_or_else(|| panic!("no province {name}"))
    };
    use chronomap::scene::RAMP;
    for (name, colour) in [
        ("Punjab", RAMP[4]),
        ("Sindh", RAMP[2]),
        ("Balochistan", RAMP[0]),
    ] {
        let at = interior(&r, province(name));
        let got = pixel(&r, at);
        let want = [colour.0[0], colour.0[1], colour.0[2], 255];
        assert!(
            close(got, want, 30),
            "{name} at {at:?}: {got:?}, not {want:?}"
        );
    }
    // The legend below the map shows the three classes' swatches.
    let map_bottom = r.map.viewport.min[1] + r.map.viewport.size[1];
    for colour in [RAMP[0], RAMP[2], RAMP[4]] {
        let want = [colour.0[0], colour.0[1], colour.0[2], 255];
        let found = r
            .image
            .enumerate_pixels()
            .filter(|(_, y, _)| *y as f32 > map_bottom)
            .any(|(_, _, p)| close(p.0, want, 30));
        assert!(found, "no legend swatch of {want:?}");
    }
}

/// A file whose places carry their precision (`with`), or the same file
/// without it, drawn around the Afghan–Pakistani border on its one day.
fn render_places(with: bool) -> (ViewState, Rendered) {
    let precision = |p: &str| if with { p.to_owned() } else { String::new() };
    let csv = format!(
        "id,date,title,place,lat,lon,location_precision,radius_km\n\
         near,2024-03-01,Near,Jalalabad,34.43,70.45,{},40\n\
         region,2024-03-01,Region,Punjab,31.0,72.5,{},\n\
         exact,2024-03-01,Exact,Islamabad,33.69,73.05,,\n\
         country,2024-03-01,Country,Iran,,,,\n",
        precision("near"),
        precision("region"),
    );
    let atlas = Atlas::embedded();
    let loaded = chronomap::load::Loader::new(atlas)
        .load(chronomap::load::Source::bytes("places.csv", csv.as_bytes()))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut state = view_at(
        Arc::new(loaded.dataset),
        day("2024-03-01"),
        WindowWidth::Days(1),
        &Choices::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // As `render` does: the regions of points known only to theirs.
    chronomap::render::in_mode(&mut state, atlas, chronomap::scene::MapMode::Points);
    let spec = FigureSpec {
        extent: Extent::LonLatBox([62.0, 28.0, 76.0, 37.0]),
        ..figure([900, 700])
    };
    let rendered = render(&state, atlas, &SceneCache::new(atlas), &spec)
        .unwrap_or_else(|| panic!("render failed"));
    (state, rendered)
}

/// The marker of the place named `name`.
fn marker_of<'r>(state: &ViewState, r: &'r Rendered, name: &str) -> &'r chronomap::scene::Marker {
    let places = &state.dataset().places;
    let place = (0..u32::try_from(places.len()).unwrap_or(0))
        .find(|&p| places.get(p).is_some_and(|p| p.name == name))
        .unwrap_or_else(|| panic!("no place {name}"));
    r.map
        .scene
        .markers
        .iter()
        .find(|m| m.place == place)
        .unwrap_or_else(|| panic!("no marker for {name}"))
}

/// A nearby town's ring is drawn at true scale around its marker, and the
/// province a row is known only to is drawn as the province, where the
/// same file without the precision draws a point at its centre.
#[test]
fn a_near_place_has_its_ring_and_a_region_is_drawn_as_its_region() {
    let (state, r) = render_places(true);
    let (plain_state, plain) = render_places(false);
    let marker = marker_of(&state, &r, "Jalalabad");
    let world = world_from_lon_lat([70.45, 34.43]);
    #[expect(clippy::cast_possible_truncation, reason = "pixels")]
    let true_px =
        (40.0 * chronomap::geometry::world_per_km(world) * r.map.camera.px_per_world) as f32;
    assert!(
        true_px > marker.radius_px + 4.0,
        "the zoom shows 40 km: {true_px}"
    );
    assert!(
        (marker.ring_px - true_px).abs() < 0.5,
        "{} vs {true_px}",
        marker.ring_px
    );
    // Inside the ring, left of the marker (its label is on the right), the
    // ring's wash; the same point of the plain file is bare land.
    let at = [
        marker.pos[0] - (marker.radius_px + marker.ring_px) / 2.0,
        marker.pos[1],
    ];
    let (ringed, bare) = (pixel(&r, at), pixel(&plain, at));
    assert!(!close(ringed, bare, 8), "{ringed:?} vs {bare:?}");
    let plain_marker = marker_of(&plain_state, &plain, "Jalalabad");
    assert_eq!(plain_marker.ring_px, 0.0);
    assert!(r.map.scene.keys.contains(&chronomap::scene::PlaceKey::Near));

    // Punjab: a province, not a marker.
    let punjab = state
        .dataset()
        .events
        .iter()
        .find(|e| e.id() == "region")
        .and_then(|e| e.places().first().copied())
        .expect("the region's place");
    assert!(r.map.scene.markers.iter().all(|m| m.place != punjab));
    assert_eq!(
        province_drawn(&r, punjab),
        ("Punjab", "PK"),
        "the one that holds the point"
    );
    // Points of Punjab far from the one the row gives (away from labels,
    // most of them): lit in the province, bare land when the row is a
    // point.
    let redness = |p: [u8; 4]| i32::from(p[0]) - i32::from(p[1]);
    let lit_points = |r: &Rendered| {
        [
            [72.8, 29.8],
            [73.3, 31.9],
            [71.9, 30.6],
            [70.9, 29.0],
            [72.2, 32.4],
        ]
        .into_iter()
        .filter(|&lon_lat| {
            let at = r
                .map
                .camera
                .screen_from_world(&r.map.viewport, world_from_lon_lat(lon_lat));
            redness(pixel(r, at)) > 60
        })
        .count()
    };
    assert!(lit_points(&r) >= 3, "{} of 5 lit", lit_points(&r));
    assert_eq!(lit_points(&plain), 0);

    // A country only: a light wash and a hatch over it, quieter than a
    // province.
    let style = Style::light();
    let hatch = style
        .region_hatch(PlaceState::Active, true)
        .expect("a country is hatched");
    let hatched = r
        .map
        .scene
        .lines
        .iter()
        .filter(|l| l.color == hatch)
        .count();
    assert!(hatched > 20, "{hatched} hatch lines");
    assert!(
        style.region_fill(PlaceState::Active, true).0[3]
            < style.region_fill(PlaceState::Active, false).0[3] / 3
    );
    assert!(
        r.map
            .scene
            .keys
            .contains(&chronomap::scene::PlaceKey::Country)
    );
}

/// ACLED's geo_precision 3 with the province's centre: the file loads
/// without the gazetteer, and the map draws the province that holds the
/// point once the places' regions are found (as the app and `render` find
/// them), a ring at the centre until then.
#[test]
fn a_centre_known_only_to_its_province_is_drawn_as_the_province() {
    let atlas = Atlas::embedded();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/acled/current_schema.csv");
    let loaded = chronomap::load::Loader::new(atlas)
        .load(chronomap::load::Source::path(&path))
        .unwrap_or_else(|e| panic!("{e}"));
    let dataset = Arc::new(loaded.dataset);
    let centre = dataset
        .find_event("SOM49701")
        .and_then(|i| dataset.event(i))
        .and_then(|e| e.places().first().copied())
        .expect("the event's place");
    let mut state = view_at(
        Arc::clone(&dataset),
        day("2025-04-15"),
        WindowWidth::All,
        &Choices::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(state.needs_place_regions());
    let spec = FigureSpec {
        extent: Extent::LonLatBox([40.0, -2.0, 48.0, 6.0]),
        ..figure([600, 600])
    };
    let cache = SceneCache::new(atlas);
    let before = render(&state, atlas, &cache, &spec).expect("renders");
    let ringed = before
        .map
        .scene
        .markers
        .iter()
        .find(|m| m.place == centre)
        .expect("a marker until the regions are found");
    assert!(ringed.ring_px > ringed.radius_px, "with the region's ring");
    chronomap::render::in_mode(&mut state, atlas, chronomap::scene::MapMode::Points);
    let after = render(&state, atlas, &cache, &spec).expect("renders");
    assert!(after.map.scene.markers.iter().all(|m| m.place != centre));
    assert_eq!(province_drawn(&after, centre), ("Bay", "SO"));
}

/// The name and country of the province drawn for `place` (it must be
/// drawn as a province).
fn province_drawn(r: &Rendered, place: u32) -> (&'static str, &'static str) {
    let area = r.map.scene.place_areas.iter().find(|a| a.place == place);
    match area.map(|a| &a.shape) {
        Some(chronomap::scene::PlaceShape::Region(id))
            if id.level == chronomap::atlas::RegionLevel::Province =>
        {
            let region = Atlas::embedded().region(*id).expect("a region");
            (region.name.as_str(), region.country_iso2.as_str())
        }
        other => panic!("place {place} should be a province, not {other:?}"),
    }
}
