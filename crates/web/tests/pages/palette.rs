//! One palette per stream: the pages colour each stream with the hue the
//! chart gives it, in light and dark, so that a stream looks the same on
//! the chart, the role cards, the directory and the org chart.

use climb_chart::{Theme, stream_stroke};

/// The stylesheet's `--sN` colour of each stream, light then dark.
fn page_colours() -> (Vec<String>, Vec<String>) {
    let css = include_str!("../../static/app.css");
    let dark_at = css
        .find("prefers-color-scheme: dark")
        .expect("a dark colour scheme");
    let read = |part: &str| -> Vec<String> {
        (0..8)
            .map(|n| {
                let key = format!("--s{n}: ");
                let at = part.find(&key).unwrap_or_else(|| panic!("{key} missing"));
                part[at + key.len()..at + key.len() + 7].to_owned()
            })
            .collect()
    };
    (read(&css[..dark_at]), read(&css[dark_at..]))
}

/// The hue of `#rrggbb`, in degrees.
fn hue(hex: &str) -> f64 {
    let channel =
        |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("a hex colour")) / 255.0;
    let (r, g, b) = (channel(1), channel(3), channel(5));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let d = max - min;
    if d == 0.0 {
        return 0.0;
    }
    let h = if max == r {
        ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    h * 60.0
}

#[test]
fn every_stream_has_the_charts_hue_on_the_pages_in_light_and_dark() {
    let (light, dark) = page_colours();
    for (theme, colours) in [(Theme::Light, light), (Theme::Dark, dark)] {
        for (row, page) in colours.iter().enumerate() {
            let chart = stream_stroke(theme, row);
            let apart = (hue(page) - hue(chart)).abs();
            let apart = apart.min(360.0 - apart);
            assert!(
                apart <= 12.0,
                "stream {row} ({theme:?}): the pages use {page}, the chart {chart} ({apart:.0}° apart)"
            );
        }
    }
}
