//! A headcount pyramid: one horizontal bar per role, centred on a spine so
//! each stream reads as a population pyramid (most senior on top), grouped
//! by stream in the stream's hue, with a scale and a legend. Plain numbers
//! in. Text and lines are drawn in `currentColor`, so a page's light or
//! dark colours apply without a style attribute.
//!
//! In the SVG each stream is a `<g class="pyramid-stream" data-stream="ID">`
//! and each role a `<g class="pyramid-role" data-role="ID"
//! data-headcount="N">` (with `data-hire-only="true"` for a hire-only role)
//! holding a `<rect>` and its labels.

use std::fmt::Write as _;

use crate::svg::{escape, num};
use crate::text::{self, FONT_FAMILY, Weight};
use crate::theme::{self, Theme};

/// One role's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyramidBar {
    /// Id written as `data-role`.
    pub id: String,
    /// The label beside the bar (the role's title).
    pub label: String,
    /// People in the role.
    pub headcount: u64,
    /// Of them, how many hold a designation.
    pub designation_holders: u64,
    /// Whether the role is filled only by hiring.
    pub hire_only: bool,
}

/// One stream's group of bars, drawn most senior first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyramidGroup {
    /// Id written as `data-stream`.
    pub id: String,
    /// The group's heading.
    pub title: String,
    /// Which hue of the stream palette to draw in.
    pub colour: usize,
    /// The bars, most senior first.
    pub bars: Vec<PyramidBar>,
}

/// The whole pyramid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyramidChart {
    /// Read by screen readers as the chart's name.
    pub title: String,
    /// The groups, top to bottom.
    pub groups: Vec<PyramidGroup>,
}

const WIDTH: f64 = 680.0;
const MARGIN: f64 = 12.0;
const LABEL_WIDTH: f64 = 230.0;
const COUNT_WIDTH: f64 = 56.0;
const BAR_HEIGHT: f64 = 22.0;
const BAR_GAP: f64 = 6.0;
const GROUP_HEADER: f64 = 30.0;
const GROUP_GAP: f64 = 10.0;
const TEXT_SIZE: f64 = 13.0;
const LEGEND_HEIGHT: f64 = 64.0;

/// Draws the pyramid as an SVG element sized by its `viewBox`, so it
/// scales to its container. An empty chart still has its legend and scale.
pub fn render_pyramid_svg(chart: &PyramidChart) -> String {
    let plot_left = MARGIN + LABEL_WIDTH;
    let plot_width = WIDTH - plot_left - COUNT_WIDTH - MARGIN;
    let spine = plot_left + plot_width / 2.0;
    let most = chart
        .groups
        .iter()
        .flat_map(|g| g.bars.iter().map(|b| b.headcount))
        .max()
        .unwrap_or(0)
        .max(1);
    let unit = plot_width / most as f64;
    let bars: usize = chart.groups.iter().map(|g| g.bars.len()).sum();
    let height = MARGIN * 2.0
        + chart.groups.len() as f64 * (GROUP_HEADER + GROUP_GAP)
        + bars as f64 * (BAR_HEIGHT + BAR_GAP)
        + LEGEND_HEIGHT;
    let mut svg = String::with_capacity(2048 + bars * 512);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" font-size="{TEXT_SIZE}" class="climb-pyramid" role="img" aria-labelledby="pyramid-title"><title id="pyramid-title">{title}</title>"#,
        w = num(WIDTH),
        h = num(height),
        title = escape(&chart.title),
    );
    let mut y = MARGIN;
    for group in &chart.groups {
        let colours = theme::stream_colours(Theme::Light, group.colour);
        let _ = write!(
            svg,
            r#"<g class="pyramid-stream" data-stream="{id}"><text x="{x}" y="{ty}" font-weight="bold" fill="currentColor">{title}</text>"#,
            id = escape(&group.id),
            x = num(MARGIN),
            ty = num(y + GROUP_HEADER - 10.0),
            title = escape(&group.title),
        );
        let top = y + GROUP_HEADER;
        y = top;
        for bar in &group.bars {
            let width = bar.headcount as f64 * unit;
            let label = fit(&bar.label, LABEL_WIDTH - 24.0);
            let _ = write!(
                svg,
                r#"<g class="pyramid-role" data-role="{id}" data-headcount="{n}"{hire}>"#,
                id = escape(&bar.id),
                n = bar.headcount,
                hire = if bar.hire_only {
                    r#" data-hire-only="true""#
                } else {
                    ""
                },
            );
            let _ = write!(
                svg,
                r#"<text x="{x}" y="{ty}" fill="currentColor">{label}{mark}</text>"#,
                x = num(MARGIN + 8.0),
                ty = num(y + BAR_HEIGHT / 2.0 + TEXT_SIZE / 2.0 - 2.0),
                label = escape(&label),
                mark = if bar.hire_only { " ◆" } else { "" },
            );
            if bar.headcount > 0 {
                let _ = write!(
                    svg,
                    r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}"/>"#,
                    x = num(spine - width / 2.0),
                    y = num(y),
                    w = num(width),
                    h = num(BAR_HEIGHT),
                    fill = colours.stroke,
                );
                if bar.designation_holders > 0 {
                    let inner = bar.designation_holders.min(bar.headcount) as f64 * unit;
                    let _ = write!(
                        svg,
                        r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" class="pyramid-holders"/>"#,
                        x = num(spine - inner / 2.0),
                        y = num(y + BAR_HEIGHT - 6.0),
                        w = num(inner),
                        h = num(4.0),
                        fill = colours.fill,
                    );
                }
            }
            let count = if bar.designation_holders > 0 {
                format!("{} ({}★)", bar.headcount, bar.designation_holders)
            } else {
                bar.headcount.to_string()
            };
            let _ = write!(
                svg,
                r#"<text x="{x}" y="{ty}" fill="currentColor">{count}</text></g>"#,
                x = num(spine + width.max(0.0) / 2.0 + 6.0),
                ty = num(y + BAR_HEIGHT / 2.0 + TEXT_SIZE / 2.0 - 2.0),
            );
            y += BAR_HEIGHT + BAR_GAP;
        }
        let _ = write!(
            svg,
            r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="currentColor" stroke-opacity="0.5"/></g>"#,
            x = num(spine),
            y1 = num(top - 4.0),
            y2 = num(y - BAR_GAP + 4.0),
        );
        y += GROUP_GAP;
    }
    legend(&mut svg, y, spine, unit, most);
    svg.push_str("</svg>");
    svg
}

/// The scale (a bar as wide as a round number of people) and the marks.
fn legend(svg: &mut String, y: f64, spine: f64, unit: f64, most: u64) {
    let step = scale_step(most);
    let width = step as f64 * unit;
    let axis_y = y + 10.0;
    let _ = write!(
        svg,
        r#"<g class="pyramid-scale"><line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor"/><line x1="{x1}" y1="{t1}" x2="{x1}" y2="{t2}" stroke="currentColor"/><line x1="{x2}" y1="{t1}" x2="{x2}" y2="{t2}" stroke="currentColor"/><text x="{tx}" y="{ty}" text-anchor="middle" fill="currentColor">{step} {people}</text></g>"#,
        x1 = num(spine - width / 2.0),
        x2 = num(spine + width / 2.0),
        y = num(axis_y),
        t1 = num(axis_y - 4.0),
        t2 = num(axis_y + 4.0),
        tx = num(spine),
        ty = num(axis_y + 18.0),
        people = if step == 1 { "person" } else { "people" },
    );
    let _ = write!(
        svg,
        r#"<text x="{x}" y="{y}" fill="currentColor" class="pyramid-legend">◆ hire-only role · (n★) holders of a designation</text>"#,
        x = num(MARGIN),
        y = num(axis_y + 42.0),
    );
}

/// A round number of people no wider than half the widest bar (1, 2, 5,
/// 10, 20, 50…), for the scale.
fn scale_step(most: u64) -> u64 {
    let limit = (most / 2).max(1);
    let mut best = 1;
    let mut power: u64 = 1;
    loop {
        for factor in [1, 2, 5] {
            match power.checked_mul(factor) {
                Some(step) if step <= limit => best = step,
                _ => return best,
            }
        }
        match power.checked_mul(10) {
            Some(next) => power = next,
            None => return best,
        }
    }
}

/// The label cut to `width` with an ellipsis when it is longer.
fn fit(label: &str, width: f64) -> String {
    if text::measure(label, TEXT_SIZE, Weight::Regular) <= width {
        return label.to_owned();
    }
    let mut cut = String::new();
    for ch in label.chars() {
        cut.push(ch);
        if text::measure(&cut, TEXT_SIZE, Weight::Regular) > width - 12.0 {
            cut.pop();
            break;
        }
    }
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(counts: &[u64]) -> PyramidChart {
        PyramidChart {
            title: "Headcount".to_owned(),
            groups: vec![PyramidGroup {
                id: "eng".to_owned(),
                title: "Engineering <&>".to_owned(),
                colour: 0,
                bars: counts
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| PyramidBar {
                        id: format!("r{i}"),
                        label: format!("Role {i}"),
                        headcount: n,
                        designation_holders: n / 2,
                        hire_only: i == 0,
                    })
                    .collect(),
            }],
        }
    }

    #[test]
    fn each_role_is_a_bar_with_its_headcount_and_the_text_follows_the_page_colour() {
        let svg = render_pyramid_svg(&chart(&[1, 4, 9]));
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed");
        let roles: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("pyramid-role"))
            .map(|n| n.attribute("data-headcount").unwrap_or(""))
            .collect();
        assert_eq!(roles, ["1", "4", "9"]);
        assert!(svg.contains(r#"data-hire-only="true""#));
        assert!(svg.contains("Engineering &lt;&amp;&gt;"));
        assert!(!svg.contains("style="));
        assert!(
            doc.descendants()
                .filter(|n| n.has_tag_name("text"))
                .all(|n| n.attribute("fill") == Some("currentColor"))
        );
    }

    #[test]
    fn an_empty_pyramid_and_huge_counts_draw_without_panicking() {
        let empty = render_pyramid_svg(&PyramidChart {
            title: String::new(),
            groups: Vec::new(),
        });
        assert!(empty.starts_with("<svg"));
        let huge = render_pyramid_svg(&chart(&[0, u64::MAX, 7]));
        assert!(huge.ends_with("</svg>"));
    }

    #[test]
    fn the_scale_is_a_round_number_at_most_half_the_widest_bar() {
        assert_eq!(scale_step(1), 1);
        assert_eq!(scale_step(9), 2);
        assert_eq!(scale_step(24), 10);
        assert_eq!(scale_step(100), 50);
        assert!(scale_step(u64::MAX) > 0);
    }
}
