//! Quartile ranges on one axis: per row a box from the lower to the upper
//! quartile with a tick at the median, for time in role before promotion.
//! A row without figures reads its note (e.g. "fewer than 5") instead. Text
//! and lines are in `currentColor` so a page's dark mode applies.
//!
//! In the SVG each row is a `<g class="range" data-id="ID">`; a box whose
//! upper quartile was never reached runs to the axis end and carries
//! `data-open="true"`.

use std::fmt::Write as _;

use crate::svg::{escape, num};
use crate::text::FONT_FAMILY;
use crate::theme::{self, Theme};

/// One row: the quartiles, or a note where there are none.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    /// Id written as `data-id`.
    pub id: String,
    /// The label beside the box.
    pub label: String,
    /// Lower quartile, upper quartile and median, in the axis unit.
    pub low: Option<f64>,
    /// The median.
    pub median: Option<f64>,
    /// Upper quartile; `None` with a lower quartile means never reached.
    pub high: Option<f64>,
    /// Shown instead of a box when there is no lower quartile.
    pub note: String,
}

/// The rows and what the axis counts.
#[derive(Debug, Clone, PartialEq)]
pub struct RangesChart {
    /// Read by screen readers as the chart's name.
    pub title: String,
    /// The axis unit, e.g. "months".
    pub unit: String,
    /// The rows, top to bottom.
    pub rows: Vec<RangeRow>,
}

const WIDTH: f64 = 680.0;
const MARGIN: f64 = 12.0;
const LABEL_WIDTH: f64 = 230.0;
const ROW_HEIGHT: f64 = 28.0;
const BOX_HEIGHT: f64 = 16.0;
const TEXT_SIZE: f64 = 13.0;
const AXIS_HEIGHT: f64 = 44.0;

/// Draws the rows on one axis from 0 to a round number past the largest
/// figure, as an SVG element sized by its `viewBox`.
pub fn render_ranges_svg(chart: &RangesChart) -> String {
    let plot_left = MARGIN + LABEL_WIDTH;
    let plot_width = WIDTH - plot_left - MARGIN * 2.0;
    let largest = chart
        .rows
        .iter()
        .flat_map(|r| [r.low, r.median, r.high])
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let (top, step) = axis(largest);
    let x = |value: f64| plot_left + (value.clamp(0.0, top) / top) * plot_width;
    let height = MARGIN * 2.0 + chart.rows.len() as f64 * ROW_HEIGHT + AXIS_HEIGHT;
    let colour = theme::stream_colours(Theme::Light, 0).stroke;
    let mut svg = String::with_capacity(1024 + chart.rows.len() * 400);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" font-size="{TEXT_SIZE}" class="climb-ranges" role="img" aria-labelledby="ranges-title"><title id="ranges-title">{title}</title>"#,
        w = num(WIDTH),
        h = num(height),
        title = escape(&chart.title),
    );
    let mut y = MARGIN;
    for row in &chart.rows {
        let baseline = y + ROW_HEIGHT / 2.0 + TEXT_SIZE / 2.0 - 2.0;
        let open = row.low.is_some() && row.high.is_none();
        let _ = write!(
            svg,
            r#"<g class="range" data-id="{id}"{open}><text x="{lx}" y="{baseline}" fill="currentColor">{label}</text>"#,
            id = escape(&row.id),
            open = if open { r#" data-open="true""# } else { "" },
            lx = num(MARGIN),
            baseline = num(baseline),
            label = escape(&row.label),
        );
        match row.low {
            Some(low) if low.is_finite() => {
                let high = row.high.filter(|h| h.is_finite()).unwrap_or(top);
                let box_top = y + (ROW_HEIGHT - BOX_HEIGHT) / 2.0;
                let _ = write!(
                    svg,
                    r#"<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="2" fill="{colour}" fill-opacity="{opacity}"/>"#,
                    bx = num(x(low)),
                    by = num(box_top),
                    bw = num((x(high) - x(low)).max(2.0)),
                    bh = num(BOX_HEIGHT),
                    opacity = if open { "0.35" } else { "0.7" },
                );
                if let Some(median) = row.median.filter(|m| m.is_finite()) {
                    let _ = write!(
                        svg,
                        r#"<line x1="{mx}" y1="{y1}" x2="{mx}" y2="{y2}" stroke="currentColor" stroke-width="2"/>"#,
                        mx = num(x(median)),
                        y1 = num(box_top - 3.0),
                        y2 = num(box_top + BOX_HEIGHT + 3.0),
                    );
                }
            }
            _ => {
                let _ = write!(
                    svg,
                    r#"<text x="{nx}" y="{baseline}" fill="currentColor" fill-opacity="0.7" font-style="italic">{note}</text>"#,
                    nx = num(plot_left),
                    baseline = num(baseline),
                    note = escape(&row.note),
                );
            }
        }
        svg.push_str("</g>");
        y += ROW_HEIGHT;
    }
    let axis_y = y + 6.0;
    let _ = write!(
        svg,
        r#"<g class="ranges-axis"><line x1="{x1}" y1="{axis_y}" x2="{x2}" y2="{axis_y}" stroke="currentColor" stroke-opacity="0.6"/>"#,
        x1 = num(plot_left),
        x2 = num(plot_left + plot_width),
        axis_y = num(axis_y),
    );
    let mut tick = 0.0;
    while tick <= top + step / 2.0 {
        let _ = write!(
            svg,
            r#"<text x="{tx}" y="{ty}" text-anchor="middle" fill="currentColor" font-size="11">{label}</text>"#,
            tx = num(x(tick)),
            ty = num(axis_y + 16.0),
            label = num(tick),
        );
        tick += step;
    }
    let _ = write!(
        svg,
        r#"<text x="{ux}" y="{uy}" text-anchor="end" fill="currentColor" font-size="11">{unit} (box: p25–p75, line: median)</text></g></svg>"#,
        ux = num(plot_left + plot_width),
        uy = num(axis_y + 34.0),
        unit = escape(&chart.unit),
    );
    svg
}

/// The axis end and tick step: a 1, 2 or 5 step giving at most 8 ticks
/// past `largest` (at least 1).
fn axis(largest: f64) -> (f64, f64) {
    let largest = if largest.is_finite() && largest > 0.0 {
        largest.min(1e12)
    } else {
        1.0
    };
    let mut power = 1.0;
    while power * 10.0 <= largest {
        power *= 10.0;
    }
    for step in [
        power / 10.0,
        power / 5.0,
        power / 2.0,
        power,
        power * 2.0,
        power * 5.0,
    ] {
        let step = step.max(0.5);
        let top = (largest / step).ceil() * step;
        if top / step <= 8.0 {
            return (top.max(step), step);
        }
    }
    (power * 10.0, power * 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, low: Option<f64>, median: Option<f64>, high: Option<f64>) -> RangeRow {
        RangeRow {
            id: id.to_owned(),
            label: id.to_owned(),
            low,
            median,
            high,
            note: "fewer than 5".to_owned(),
        }
    }

    #[test]
    fn a_row_is_a_box_an_open_one_runs_to_the_end_and_a_suppressed_one_reads_its_note() {
        let svg = render_ranges_svg(&RangesChart {
            title: "Time in role".to_owned(),
            unit: "months".to_owned(),
            rows: vec![
                row("a", Some(6.0), Some(10.0), Some(14.0)),
                row("b", Some(9.0), Some(9.0), None),
                row("c", None, None, None),
            ],
        });
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let open: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("data-open") == Some("true"))
            .filter_map(|n| n.attribute("data-id"))
            .collect();
        assert_eq!(open, ["b"]);
        assert!(svg.contains("fewer than 5"));
        assert!(!svg.contains(" style="));
    }

    #[test]
    fn the_axis_is_round_and_odd_numbers_do_not_panic() {
        assert_eq!(axis(14.0), (14.0, 2.0));
        assert_eq!(axis(23.0), (25.0, 5.0));
        assert_eq!(axis(0.0), (1.0, 0.5));
        for value in [f64::NAN, f64::INFINITY, -3.0, 1e300, 0.01] {
            let (top, step) = axis(value);
            assert!(top > 0.0 && step > 0.0, "{value}");
        }
        let svg = render_ranges_svg(&RangesChart {
            title: String::new(),
            unit: String::new(),
            rows: vec![row("x", Some(f64::NAN), Some(-1.0), Some(f64::INFINITY))],
        });
        assert!(svg.ends_with("</svg>"));
    }
}
