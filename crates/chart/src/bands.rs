//! Series over time drawn as bands, for the workforce projection: one small
//! panel per series (a role or a stream), each on its own scale, with the
//! p10–p90 band shaded, the median as a line and the expected value dashed;
//! a shared time axis and one legend. Plain numbers in, so this crate needs
//! no analytics crate; the same input always gives the same bytes.
//!
//! In the SVG each panel is a `<g class="panel" data-series="ID">` holding a
//! `<path class="band">`, a `<polyline class="median">` and a
//! `<polyline class="expected">`.

use std::fmt::Write as _;

use crate::svg::{escape, num};
use crate::text::{self, FONT_FAMILY, Weight};
use crate::theme::{self, Theme};
use crate::{ChartError, png};

/// One panel: a series' band, median and expected value at each point.
#[derive(Debug, Clone, PartialEq)]
pub struct BandsPanel {
    /// Id written as `data-series` (a role or stream id).
    pub id: String,
    /// The panel's heading.
    pub title: String,
    /// Which hue of the stream palette to draw in (a stream's row).
    pub colour: usize,
    /// The expected value at each point.
    pub expected: Vec<f64>,
    /// The band's lower edge (e.g. p10) at each point.
    pub low: Vec<f64>,
    /// The median at each point.
    pub median: Vec<f64>,
    /// The band's upper edge (e.g. p90) at each point.
    pub high: Vec<f64>,
}

/// A chart of panels sharing one time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct BandsChart {
    /// The heading.
    pub title: String,
    /// A line under the heading (what was projected, from what).
    pub subtitle: String,
    /// What the shaded band is, for the legend (e.g. "p10–p90 of 1,000 runs").
    pub band_label: String,
    /// Points on the time axis; every series has this many values.
    pub points: usize,
    /// Labelled ticks of the time axis: (point index, label).
    pub x_ticks: Vec<(usize, String)>,
    /// The panels, drawn left to right, top to bottom.
    pub panels: Vec<BandsPanel>,
}

const MARGIN: f64 = 24.0;
const TITLE_SIZE: f64 = 18.0;
const TEXT_SIZE: f64 = 12.0;
const SMALL_SIZE: f64 = 10.0;
const HEADER: f64 = 92.0;
const PANEL_WIDTH: f64 = 320.0;
const PANEL_HEIGHT: f64 = 190.0;
const PANEL_GAP: f64 = 20.0;
/// Space inside a panel for its heading, the y labels and the x labels.
const PLOT_TOP: f64 = 34.0;
const PLOT_LEFT: f64 = 46.0;
const PLOT_RIGHT: f64 = 10.0;
const PLOT_BOTTOM: f64 = 28.0;
const COLUMNS: usize = 3;

/// Draws the chart as an SVG document.
pub fn render_bands_svg(chart: &BandsChart, theme: Theme) -> String {
    let palette = theme::palette(theme);
    let columns = chart.panels.len().clamp(1, COLUMNS);
    let rows = chart.panels.len().div_ceil(COLUMNS).max(1);
    let width = MARGIN * 2.0 + columns as f64 * PANEL_WIDTH + (columns - 1) as f64 * PANEL_GAP;
    let height = HEADER + rows as f64 * (PANEL_HEIGHT + PANEL_GAP) + MARGIN;
    let mut svg = String::with_capacity(4096 + chart.panels.len() * 4096);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" class="climb-bands">"#,
        w = num(width),
        h = num(height),
    );
    let _ = write!(
        svg,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        palette.background
    );
    let _ = write!(
        svg,
        r#"<text x="{x}" y="{y}" font-size="{TITLE_SIZE}" font-weight="bold" fill="{fill}">{title}</text>"#,
        x = num(MARGIN),
        y = num(MARGIN + TITLE_SIZE),
        fill = palette.text,
        title = escape(&chart.title),
    );
    let _ = write!(
        svg,
        r#"<text x="{x}" y="{y}" font-size="{TEXT_SIZE}" fill="{fill}">{subtitle}</text>"#,
        x = num(MARGIN),
        y = num(MARGIN + TITLE_SIZE + 20.0),
        fill = palette.muted,
        subtitle = escape(&chart.subtitle),
    );
    legend(&mut svg, chart, theme, MARGIN + TITLE_SIZE + 44.0);

    if chart.panels.is_empty() {
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{y}" font-size="{TEXT_SIZE}" fill="{fill}">nothing to draw</text>"#,
            x = num(MARGIN),
            y = num(HEADER + 20.0),
            fill = palette.muted,
        );
    }
    for (i, panel) in chart.panels.iter().enumerate() {
        let x = MARGIN + (i % COLUMNS) as f64 * (PANEL_WIDTH + PANEL_GAP);
        let y = HEADER + (i / COLUMNS) as f64 * (PANEL_HEIGHT + PANEL_GAP);
        draw_panel(&mut svg, chart, panel, theme, x, y);
    }
    svg.push_str("</svg>\n");
    svg
}

/// Draws the chart as PNG, through the same embedded fonts as the
/// framework chart; `scale` 1.0 is one pixel per SVG unit.
///
/// Fails when the scale is not positive and finite or the image would be
/// larger than 16,384 pixels on a side.
pub fn render_bands_png(
    chart: &BandsChart,
    theme: Theme,
    scale: f32,
) -> Result<Vec<u8>, ChartError> {
    png::render(&render_bands_svg(chart, theme), scale)
}

fn legend(svg: &mut String, chart: &BandsChart, theme: Theme, y: f64) {
    let palette = theme::palette(theme);
    let colours = theme::stream_colours(theme, 0);
    let mut x = MARGIN;
    let _ = write!(
        svg,
        r#"<g class="legend"><rect x="{x}" y="{top}" width="22" height="10" fill="{fill}" fill-opacity="0.35" stroke="{stroke}" stroke-opacity="0.5"/>"#,
        x = num(x),
        top = num(y - 9.0),
        fill = colours.stroke,
        stroke = colours.stroke,
    );
    x += 28.0;
    x = legend_text(svg, &chart.band_label, x, y, palette.text);
    let _ = write!(
        svg,
        r#"<line x1="{x1}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="{stroke}" stroke-width="2"/>"#,
        x1 = num(x),
        x2 = num(x + 22.0),
        ly = num(y - 4.0),
        stroke = colours.stroke,
    );
    x = legend_text(svg, "median", x + 28.0, y, palette.text);
    let _ = write!(
        svg,
        r#"<line x1="{x1}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="{stroke}" stroke-width="1.5" stroke-dasharray="5 3"/>"#,
        x1 = num(x),
        x2 = num(x + 22.0),
        ly = num(y - 4.0),
        stroke = palette.text,
    );
    legend_text(svg, "expected", x + 28.0, y, palette.text);
    svg.push_str("</g>");
}

/// Writes a legend label and returns where the next item starts.
fn legend_text(svg: &mut String, label: &str, x: f64, y: f64, fill: &str) -> f64 {
    let _ = write!(
        svg,
        r#"<text x="{x}" y="{y}" font-size="{TEXT_SIZE}" fill="{fill}">{label}</text>"#,
        x = num(x),
        y = num(y),
        label = escape(label),
    );
    x + text::measure(label, TEXT_SIZE, Weight::Regular) + 20.0
}

fn draw_panel(
    svg: &mut String,
    chart: &BandsChart,
    panel: &BandsPanel,
    theme: Theme,
    x: f64,
    y: f64,
) {
    let palette = theme::palette(theme);
    let colours = theme::stream_colours(theme, panel.colour);
    let left = x + PLOT_LEFT;
    let right = x + PANEL_WIDTH - PLOT_RIGHT;
    let top = y + PLOT_TOP;
    let bottom = y + PANEL_HEIGHT - PLOT_BOTTOM;
    let peak = [&panel.high, &panel.expected, &panel.median]
        .into_iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let (top_value, tick_step) = nice_scale(peak);
    let points = chart.points.max(1);
    let px = |i: usize| {
        if points == 1 {
            (left + right) / 2.0
        } else {
            left + (right - left) * i as f64 / (points - 1) as f64
        }
    };
    let py = |v: f64| {
        let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
        bottom - (bottom - top) * (v / top_value).min(1.0)
    };

    let _ = write!(
        svg,
        r#"<g class="panel" data-series="{id}">"#,
        id = escape(&panel.id)
    );
    let title = fit(&panel.title, PANEL_WIDTH - 8.0);
    let _ = write!(
        svg,
        r#"<text x="{tx}" y="{ty}" font-size="{TEXT_SIZE}" font-weight="bold" fill="{fill}">{title}</text>"#,
        tx = num(x + 4.0),
        ty = num(y + 14.0),
        fill = colours.stroke,
        title = escape(&title),
    );
    // Grid lines and y labels.
    let mut value = 0.0;
    while value <= top_value + tick_step / 2.0 {
        let gy = py(value);
        let _ = write!(
            svg,
            r#"<line x1="{x1}" y1="{gy}" x2="{x2}" y2="{gy}" stroke="{stroke}" stroke-width="{w}"/>"#,
            x1 = num(left),
            x2 = num(right),
            gy = num(gy),
            stroke = palette.axis,
            w = if value == 0.0 { "1" } else { "0.4" },
        );
        let _ = write!(
            svg,
            r#"<text x="{tx}" y="{ty}" font-size="{SMALL_SIZE}" text-anchor="end" fill="{fill}">{label}</text>"#,
            tx = num(left - 5.0),
            ty = num(gy + 3.5),
            fill = palette.muted,
            label = tick_label(value, tick_step),
        );
        value += tick_step;
    }
    // X ticks.
    for (index, label) in &chart.x_ticks {
        if *index >= points {
            continue;
        }
        let tx = px(*index);
        let _ = write!(
            svg,
            r#"<line x1="{tx}" y1="{y1}" x2="{tx}" y2="{y2}" stroke="{stroke}" stroke-width="1"/><text x="{tx}" y="{ly}" font-size="{SMALL_SIZE}" text-anchor="middle" fill="{fill}">{label}</text>"#,
            tx = num(tx),
            y1 = num(bottom),
            y2 = num(bottom + 4.0),
            ly = num(bottom + 16.0),
            stroke = palette.axis,
            fill = palette.muted,
            label = escape(label),
        );
    }

    let count = points.min(panel.low.len()).min(panel.high.len());
    if count > 0 {
        let mut path = String::new();
        for i in 0..count {
            let _ = write!(
                path,
                "{}{} {} ",
                if i == 0 { "M" } else { "L" },
                num(px(i)),
                num(py(panel.high[i]))
            );
        }
        for i in (0..count).rev() {
            let _ = write!(path, "L{} {} ", num(px(i)), num(py(panel.low[i])));
        }
        path.push('Z');
        let _ = write!(
            svg,
            r#"<path class="band" d="{path}" fill="{fill}" fill-opacity="0.3" stroke="none"/>"#,
            fill = colours.stroke,
        );
    }
    polyline(
        svg,
        "median",
        &panel.median,
        points,
        &px,
        &py,
        colours.stroke,
        "2",
        None,
    );
    polyline(
        svg,
        "expected",
        &panel.expected,
        points,
        &px,
        &py,
        palette.text,
        "1.5",
        Some("5 3"),
    );
    svg.push_str("</g>");
}

#[allow(clippy::too_many_arguments)]
fn polyline(
    svg: &mut String,
    class: &str,
    values: &[f64],
    points: usize,
    px: &dyn Fn(usize) -> f64,
    py: &dyn Fn(f64) -> f64,
    stroke: &str,
    width: &str,
    dash: Option<&str>,
) {
    let coordinates: Vec<String> = values
        .iter()
        .take(points)
        .enumerate()
        .map(|(i, &v)| format!("{},{}", num(px(i)), num(py(v))))
        .collect();
    let _ = write!(
        svg,
        r#"<polyline class="{class}" points="{points}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round"{dash}/>"#,
        points = coordinates.join(" "),
        dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default(),
    );
}

/// The axis top and tick step: a step of 1, 2 or 5 times a power of ten
/// giving at most four intervals, and the top the first tick at or above
/// the peak (at least one step, so a flat zero still has an axis).
fn nice_scale(peak: f64) -> (f64, f64) {
    let peak = if peak.is_finite() && peak > 0.0 {
        peak
    } else {
        1.0
    };
    let rough = peak / 4.0;
    let power = 10_f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= rough)
        .unwrap_or(10.0 * power);
    let step = if step < 1.0 && peak >= 1.0 { 1.0 } else { step };
    let top = (peak / step).ceil().max(1.0) * step;
    (top, step)
}

fn tick_label(value: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// `title` cut with an ellipsis to fit `width` at the panel heading's size.
fn fit(title: &str, width: f64) -> String {
    if text::measure(title, TEXT_SIZE, Weight::Bold) <= width {
        return title.to_owned();
    }
    let mut cut: String = String::new();
    for ch in title.chars() {
        let mut next = cut.clone();
        next.push(ch);
        next.push('…');
        if text::measure(&next, TEXT_SIZE, Weight::Bold) > width {
            break;
        }
        cut.push(ch);
    }
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_rounds_up_to_a_tick_of_one_two_or_five() {
        assert_eq!(nice_scale(37.0), (40.0, 10.0));
        assert_eq!(nice_scale(100.0), (100.0, 50.0));
        assert_eq!(nice_scale(7.0), (8.0, 2.0));
        assert_eq!(nice_scale(0.0), (1.0, 1.0));
        assert_eq!(nice_scale(f64::NAN), (1.0, 1.0));
    }

    fn panel(id: &str, title: &str, values: Vec<f64>) -> BandsPanel {
        BandsPanel {
            id: id.to_owned(),
            title: title.to_owned(),
            colour: 0,
            expected: values.clone(),
            low: values.iter().map(|v| v - 1.0).collect(),
            median: values.clone(),
            high: values.iter().map(|v| v + 1.0).collect(),
        }
    }

    fn chart(panels: Vec<BandsPanel>) -> BandsChart {
        BandsChart {
            title: "Projection".to_owned(),
            subtitle: "from <today>".to_owned(),
            band_label: "p10–p90 of 10 runs".to_owned(),
            points: 3,
            x_ticks: vec![
                (0, "2026".to_owned()),
                (2, "2027".to_owned()),
                (9, "never".to_owned()),
            ],
            panels,
        }
    }

    #[test]
    fn each_series_is_a_panel_with_its_band_median_and_expected_line() {
        let svg = render_bands_svg(
            &chart(vec![
                panel("engineer", "Engineer", vec![10.0, 12.0, 14.0]),
                panel("a&b", "A <and> B", vec![1.0, 1.0, 1.0]),
            ]),
            Theme::Light,
        );
        assert_eq!(svg.matches(r#"<g class="panel""#).count(), 2);
        assert!(svg.contains(r#"data-series="a&amp;b""#));
        assert!(svg.contains("A &lt;and&gt; B"));
        assert!(svg.contains("from &lt;today&gt;"));
        assert_eq!(svg.matches(r#"class="band""#).count(), 2);
        assert_eq!(svg.matches(r#"class="median""#).count(), 2);
        // A tick past the last point is left out.
        assert!(!svg.contains("never"));
        assert_eq!(
            svg,
            render_bands_svg(
                &chart(vec![
                    panel("engineer", "Engineer", vec![10.0, 12.0, 14.0]),
                    panel("a&b", "A <and> B", vec![1.0, 1.0, 1.0]),
                ]),
                Theme::Light
            )
        );
    }

    #[test]
    fn no_panels_odd_numbers_and_short_series_still_draw() {
        assert!(render_bands_svg(&chart(vec![]), Theme::Dark).contains("nothing to draw"));
        let odd = panel("odd", "Odd", vec![f64::NAN, f64::INFINITY]);
        let svg = render_bands_svg(&chart(vec![odd]), Theme::Light);
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        let png = render_bands_png(
            &chart(vec![panel("e", "E", vec![1.0, 2.0, 3.0])]),
            Theme::Light,
            1.0,
        )
        .expect("renders");
        assert!(png.starts_with(b"\x89PNG"));
    }
}
