//! PNG output: decodes to the expected size, and Unicode titles render real
//! glyphs from the embedded fonts (distinct characters give distinct ink).

use climb_chart::{ChartError, ChartOptions, layout, render_png};
use climb_framework::Framework;
use resvg::tiny_skia::Pixmap;

use crate::generate::{self, RoleSpec, Spec};

fn decode(png: &[u8]) -> Pixmap {
    match Pixmap::decode_png(png) {
        Ok(pixmap) => pixmap,
        Err(e) => panic!("not a PNG: {e}"),
    }
}

#[test]
fn the_built_in_png_has_the_chart_size() {
    let framework = climb_framework::builtin();
    let geometry = layout(framework);
    for scale in [1.0f32, 2.0] {
        let png = render_png(framework, &ChartOptions::default(), scale);
        let pixmap = decode(&png.unwrap_or_default());
        assert_eq!(
            pixmap.width(),
            (geometry.width as f32 * scale).ceil() as u32
        );
        assert_eq!(
            pixmap.height(),
            (geometry.height as f32 * scale).ceil() as u32
        );
    }
}

#[test]
fn a_bad_scale_is_an_error() {
    let framework = climb_framework::builtin();
    for scale in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        assert!(matches!(
            render_png(framework, &ChartOptions::default(), scale),
            Err(ChartError::InvalidScale(_))
        ));
    }
    assert!(matches!(
        render_png(framework, &ChartOptions::default(), 1000.0),
        Err(ChartError::TooLarge { .. })
    ));
}

/// A one-role framework titled `title`.
fn single(title: &str) -> Framework {
    let spec = Spec {
        streams: 1,
        roles: vec![RoleSpec {
            stream: 0,
            seniority: 1,
            hire_only: false,
        }],
        laterals: Vec::new(),
        titles: Some(vec![title.to_owned()]),
    };
    match climb_framework::load(&generate::toml(&spec)) {
        Ok(f) => f,
        Err(report) => panic!("{report:?}"),
    }
}

/// The pixels inside the role's box (its border excluded) at scale 2.
fn box_pixels(title: &str) -> Vec<u8> {
    let framework = single(title);
    let rect = layout(&framework).boxes[0].rect;
    let png = render_png(&framework, &ChartOptions::default(), 2.0).unwrap_or_default();
    let pixmap = decode(&png);
    let (x0, y0) = (((rect.x + 4.0) * 2.0) as u32, ((rect.y + 4.0) * 2.0) as u32);
    let (x1, y1) = (
        ((rect.right() - 4.0) * 2.0) as u32,
        ((rect.bottom() - 4.0) * 2.0) as u32,
    );
    let mut out = Vec::new();
    for y in y0..y1 {
        for x in x0..x1 {
            if let Some(p) = pixmap.pixel(x, y) {
                out.extend([p.red(), p.green(), p.blue()]);
            }
        }
    }
    out
}

/// How many pixels are far from the most common colour (the box fill).
fn ink(pixels: &[u8]) -> usize {
    let fill = [pixels[0], pixels[1], pixels[2]];
    pixels
        .chunks(3)
        .filter(|p| {
            p.iter()
                .zip(fill)
                .map(|(a, b)| a.abs_diff(b) as u32)
                .sum::<u32>()
                > 120
        })
        .count()
}

#[test]
fn unicode_titles_render_distinct_glyphs_not_tofu() {
    // Pairs of single characters of the same script: a missing glyph would
    // draw the same box for both.
    let pairs = [
        ("软", "件"),
        ("工", "师"),
        ("é", "è"),
        ("수", "석"),
        ("ア", "ネ"),
        ("Ж", "Щ"),
    ];
    for (a, b) in pairs {
        let (pa, pb) = (box_pixels(a), box_pixels(b));
        assert_eq!(pa.len(), pb.len());
        assert!(ink(&pa) > 20, "{a} leaves ink");
        assert!(ink(&pb) > 20, "{b} leaves ink");
        let differing = pa
            .chunks(3)
            .zip(pb.chunks(3))
            .filter(|(x, y)| x != y)
            .count();
        assert!(
            differing > 20,
            "{a} and {b} draw differently ({differing} pixels differ)"
        );
    }
    for title in ["Ingénieure Logiciel", "软件工程师"] {
        assert!(ink(&box_pixels(title)) > 200, "{title} renders");
    }
}
