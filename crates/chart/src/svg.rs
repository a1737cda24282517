//! Writes a [`Layout`] as SVG text. The element structure is a public
//! contract (see the crate docs); output is deterministic: fixed float
//! formatting and no hash-order iteration.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use climb_framework::{Framework, TransitionKind};

use crate::ChartOptions;
use crate::layout::{
    self, Arrow, BAND_PAD, HIRE_ONLY_TAG, KEY_ITEMS, LEGEND_LINE, LEGEND_SAMPLE, Layout,
    LegendEntry, ROLE_LINE, ROLE_SIZE, RoleBox, SMALL_SIZE, STREAM_LINE, STREAM_SIZE, TAG_GAP,
    TAG_HEIGHT, TAG_SIZE, TITLE_SIZE,
};
use crate::text::{self, FONT_FAMILY, Weight};
use crate::theme::{self, Palette};

/// Opacity of everything outside a highlight.
const DIMMED: &str = "0.22";
/// Opacity of the roles one step from a highlighted role.
const NEAR: &str = "0.7";
const ARROW_MARKER: &str = "climb-arrow";
const ACCENT_MARKER: &str = "climb-arrow-accent";

/// Formats a coordinate with at most one decimal, so output bytes do not
/// depend on float noise.
pub(crate) fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0".to_owned();
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// What the options ask to emphasise.
struct Emphasis {
    active: bool,
    roles: BTreeSet<String>,
    /// Roles one step from the highlighted role, shown half-dimmed.
    near: BTreeSet<String>,
    /// Arrows drawn in the accent colour (path steps).
    accent_arrows: BTreeSet<usize>,
    /// Arrows left undimmed (path steps and the highlighted role's exits).
    lit_arrows: BTreeSet<usize>,
}

fn emphasis(layout: &Layout, options: &ChartOptions) -> Emphasis {
    let mut roles = BTreeSet::new();
    let mut accent_arrows = BTreeSet::new();
    let mut lit_arrows = BTreeSet::new();
    let mut near = BTreeSet::new();
    let known = |id: &str| layout.role_box(id).is_some();
    if let Some(role) = options.highlight.as_ref().filter(|r| known(r.as_str())) {
        roles.insert(role.as_str().to_owned());
        for (i, arrow) in layout.arrows.iter().enumerate() {
            if arrow.from == *role {
                lit_arrows.insert(i);
                near.insert(arrow.to.as_str().to_owned());
            } else if arrow.bidirectional && arrow.to == *role {
                lit_arrows.insert(i);
                near.insert(arrow.from.as_str().to_owned());
            }
        }
    }
    if let Some(path) = &options.path {
        for role in path.iter().filter(|r| known(r.as_str())) {
            roles.insert(role.as_str().to_owned());
        }
        for step in path.windows(2) {
            let (from, to) = (&step[0], &step[1]);
            if let Some(i) = layout.arrows.iter().position(|a| {
                (a.from == *from && a.to == *to)
                    || (a.bidirectional && a.from == *to && a.to == *from)
            }) {
                accent_arrows.insert(i);
                lit_arrows.insert(i);
            }
        }
    }
    Emphasis {
        active: !roles.is_empty(),
        roles,
        near,
        accent_arrows,
        lit_arrows,
    }
}

/// Writes the chart.
pub(crate) fn write(framework: &Framework, layout: &Layout, options: &ChartOptions) -> String {
    let palette = theme::palette(options.theme);
    let emphasis = emphasis(layout, options);
    let mut out = String::with_capacity(4096 + 1024 * (layout.boxes.len() + layout.arrows.len()));
    let (w, h) = (num(layout.width), num(layout.height));
    let title = layout::title_text(framework);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         class=\"climb-chart\" data-theme=\"{}\" font-family=\"{}\" role=\"img\" aria-labelledby=\"climb-chart-title\">",
        options.theme.as_str(),
        escape(FONT_FAMILY),
    );
    let _ = writeln!(
        out,
        "<title id=\"climb-chart-title\">{}: career framework chart</title>",
        escape(&title)
    );
    write_defs(&mut out, &palette);
    let _ = writeln!(
        out,
        "<rect class=\"background\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>",
        palette.background
    );
    write_title(&mut out, framework, layout, &palette);
    write_streams(&mut out, framework, layout, options);
    write_axis(&mut out, layout, &palette);
    out.push_str("<g class=\"roles\">\n");
    for role_box in &layout.boxes {
        write_role(&mut out, framework, role_box, options, &emphasis);
    }
    out.push_str("</g>\n<g class=\"transitions\" fill=\"none\">\n");
    let flow = options.flow.as_ref().map(|overlay| {
        let moves: Vec<u64> = layout
            .arrows
            .iter()
            .map(|arrow| arrow_moves(framework, arrow, overlay))
            .collect();
        let busiest = moves.iter().copied().max().unwrap_or(0);
        (moves, busiest)
    });
    for (i, arrow) in layout.arrows.iter().enumerate() {
        let moves = flow.as_ref().map(|(moves, busiest)| (moves[i], *busiest));
        write_arrow(&mut out, framework, arrow, i, &palette, &emphasis, moves);
    }
    out.push_str("</g>\n");
    write_legend(&mut out, framework, layout, &palette);
    out.push_str("</svg>\n");
    out
}

fn write_defs(out: &mut String, palette: &Palette) {
    out.push_str("<defs>\n");
    for (id, colour) in [
        (ARROW_MARKER, palette.arrow),
        (ACCENT_MARKER, palette.accent),
    ] {
        let _ = writeln!(
            out,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" \
             markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\">\
             <path d=\"M0,1 L10,5 L0,9 z\" fill=\"{colour}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
}

fn write_title(out: &mut String, framework: &Framework, layout: &Layout, palette: &Palette) {
    let meta = framework.meta();
    let _ = writeln!(
        out,
        "<text class=\"chart-title\" x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{} \
         <tspan font-weight=\"normal\" fill=\"{}\">— {}</tspan></text>",
        num(layout.left),
        num(layout.title_y),
        num(TITLE_SIZE),
        palette.text,
        escape(&meta.name),
        palette.muted,
        escape(&meta.version),
    );
}

fn write_streams(out: &mut String, framework: &Framework, layout: &Layout, options: &ChartOptions) {
    out.push_str("<g class=\"streams\">\n");
    for (i, row) in layout.rows.iter().enumerate() {
        let colours = theme::stream_colours(options.theme, i);
        let band = row.band;
        let _ = write!(
            out,
            "<g class=\"stream\" data-stream=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\"/>",
            escape(row.stream.as_str()),
            num(band.x),
            num(band.y),
            num(band.width),
            num(band.height),
            colours.band,
        );
        let block = STREAM_LINE * row.name_lines.len() as f64;
        let top = band.centre_y() - block / 2.0;
        let name = framework
            .stream(row.stream.as_str())
            .map_or(row.stream.as_str(), |s| s.name.as_str());
        let _ = write!(
            out,
            "<text font-size=\"{}\" font-weight=\"bold\" fill=\"{}\" aria-label=\"{}\">",
            num(STREAM_SIZE),
            colours.stroke,
            escape(name),
        );
        for (k, line) in row.name_lines.iter().enumerate() {
            let _ = write!(
                out,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                num(band.x + BAND_PAD),
                num(baseline(
                    top + STREAM_LINE * k as f64,
                    STREAM_LINE,
                    STREAM_SIZE
                )),
                escape(line)
            );
        }
        out.push_str("</text></g>\n");
    }
    out.push_str("</g>\n");
}

/// Baseline of a line of text of `size` centred in a line box at `top`.
fn baseline(top: f64, line: f64, size: f64) -> f64 {
    top + (line + size * 0.72) / 2.0
}

fn write_axis(out: &mut String, layout: &Layout, palette: &Palette) {
    let y = layout.axis_y;
    let _ = write!(
        out,
        "<g class=\"axis\" font-size=\"{}\" fill=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>",
        num(SMALL_SIZE),
        palette.muted,
        num(layout.axis_x.0),
        num(y),
        num(layout.axis_x.1),
        num(y),
        palette.axis,
    );
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-style=\"italic\">seniority</text>",
        num(layout.left),
        num(y + 18.0)
    );
    for column in &layout.columns {
        let x = column.x + column.width / 2.0;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(y),
            num(y + 5.0),
            palette.axis,
            num(y + 18.0),
            column.seniority,
            x = num(x),
        );
    }
    out.push_str("</g>\n");
}

fn write_role(
    out: &mut String,
    framework: &Framework,
    role_box: &RoleBox,
    options: &ChartOptions,
    emphasis: &Emphasis,
) {
    let palette = theme::palette(options.theme);
    let colours = theme::stream_colours(options.theme, role_box.row);
    let Some(role) = framework.role(role_box.role.as_str()) else {
        return;
    };
    let stream = framework.stream_of(role);
    let emphasised = emphasis.roles.contains(role.id.as_str());
    let opacity = if emphasis.active && !emphasised {
        let level = if emphasis.near.contains(role.id.as_str()) {
            NEAR
        } else {
            DIMMED
        };
        format!(" opacity=\"{level}\"")
    } else {
        String::new()
    };
    let r = role_box.rect;
    let mut tooltip = format!(
        "{} — {}, seniority {}",
        role.title,
        stream.name,
        role.seniority.get()
    );
    if role.hire_only {
        tooltip.push_str(", hire only");
    }
    let _ = write!(
        out,
        "<g class=\"role\" data-role=\"{}\" data-stream=\"{}\" data-seniority=\"{}\"{}{} tabindex=\"0\"{}>\
         <title>{}</title>",
        escape(role.id.as_str()),
        escape(stream.id.as_str()),
        role.seniority.get(),
        if role.hire_only {
            " data-hire-only=\"true\""
        } else {
            ""
        },
        if emphasised {
            " data-highlighted=\"true\""
        } else {
            ""
        },
        opacity,
        escape(&tooltip),
    );
    let (stroke, stroke_width) = if emphasised {
        (palette.accent, "3")
    } else if role.hire_only {
        (palette.hire_only, "2.5")
    } else {
        (colours.stroke, "1.5")
    };
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
        num(r.x),
        num(r.y),
        num(r.width),
        num(r.height),
        colours.fill,
        stroke,
        stroke_width,
    );
    if role.hire_only {
        // The inner line makes the double border of a hire-only role.
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
            num(r.x + 4.0),
            num(r.y + 4.0),
            num(r.width - 8.0),
            num(r.height - 8.0),
            palette.hire_only,
        );
    }
    let mut tags: Vec<(String, &str, &str, Option<&str>)> = role_box
        .badges
        .iter()
        .filter_map(|&d| framework.designations().get(d))
        .map(|d| {
            (
                layout::badge_text(&d.title),
                palette.badge,
                palette.badge_text,
                Some(d.id.as_str()),
            )
        })
        .collect();
    if role.hire_only {
        tags.push((
            HIRE_ONLY_TAG.to_owned(),
            palette.hire_only,
            palette.tag_text,
            None,
        ));
    }
    let footer = if tags.is_empty() {
        0.0
    } else {
        4.0 + TAG_HEIGHT
    };
    let block = ROLE_LINE * role_box.lines.len() as f64 + footer;
    let top = r.centre_y() - block / 2.0;
    let cx = num(r.centre_x());
    let _ = write!(
        out,
        "<text font-size=\"{}\" text-anchor=\"middle\" fill=\"{}\">",
        num(ROLE_SIZE),
        palette.text
    );
    for (k, line) in role_box.lines.iter().enumerate() {
        let _ = write!(
            out,
            "<tspan x=\"{cx}\" y=\"{}\">{}</tspan>",
            num(baseline(top + ROLE_LINE * k as f64, ROLE_LINE, ROLE_SIZE)),
            escape(line)
        );
    }
    out.push_str("</text>");
    if !tags.is_empty() {
        let widths: Vec<f64> = tags.iter().map(|t| layout::tag_width(&t.0)).collect();
        let total = widths.iter().sum::<f64>() + TAG_GAP * (tags.len() - 1) as f64;
        let mut x = r.centre_x() - total / 2.0;
        let y = top + ROLE_LINE * role_box.lines.len() as f64 + 4.0;
        for ((label, fill, text_fill, designation), width) in tags.iter().zip(widths) {
            let class = match designation {
                Some(id) => format!("badge\" data-designation=\"{}", escape(id)),
                None => "tag hire-only-tag".to_owned(),
            };
            let _ = write!(
                out,
                "<g class=\"{class}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{text_fill}\">{}</text></g>",
                num(x),
                num(y),
                num(width),
                num(TAG_HEIGHT),
                num(TAG_HEIGHT / 2.0),
                num(x + width / 2.0),
                num(baseline(y, TAG_HEIGHT, TAG_SIZE)),
                num(TAG_SIZE),
                escape(label),
            );
            x += width + TAG_GAP;
        }
    }
    out.push_str("</g>\n");
}

/// The moves along every transition an arrow draws (both ways for a pair).
fn arrow_moves(framework: &Framework, arrow: &Arrow, overlay: &crate::FlowOverlay) -> u64 {
    arrow
        .transitions
        .iter()
        .filter_map(|&t| framework.transitions().get(t))
        .map(|t| overlay.moves(&t.from, &t.to))
        .sum()
}

/// The widest a flow arrow is drawn, for the busiest transition.
const FLOW_MAX_WIDTH: f64 = 10.0;
/// The narrowest a flow arrow that was used is drawn.
const FLOW_MIN_WIDTH: f64 = 1.5;

fn write_arrow(
    out: &mut String,
    framework: &Framework,
    arrow: &Arrow,
    index: usize,
    palette: &Palette,
    emphasis: &Emphasis,
    flow: Option<(u64, u64)>,
) {
    fn title_of<'a>(framework: &'a Framework, id: &'a str) -> &'a str {
        framework.role(id).map_or(id, |r| r.title.as_str())
    }
    let (kind, label) = match arrow.kind {
        TransitionKind::Promotion => ("promotion", "Promotion"),
        TransitionKind::Lateral => ("lateral", "Lateral move"),
    };
    let mut attributes = format!(
        "class=\"transition {kind}\" data-from=\"{}\" data-to=\"{}\"",
        escape(arrow.from.as_str()),
        escape(arrow.to.as_str())
    );
    if arrow.bidirectional {
        attributes.push_str(&format!(
            " data-bidirectional=\"true\" data-pair=\"{} {}\"",
            escape(arrow.from.as_str()),
            escape(arrow.to.as_str())
        ));
    }
    let accent = emphasis.accent_arrows.contains(&index);
    if accent {
        attributes.push_str(" data-highlighted=\"true\"");
    }
    if emphasis.active && !emphasis.lit_arrows.contains(&index) {
        attributes.push_str(&format!(" opacity=\"{DIMMED}\""));
    }
    let mut tooltip = format!(
        "{label}: {} {} {}",
        title_of(framework, arrow.from.as_str()),
        if arrow.bidirectional { "↔" } else { "→" },
        title_of(framework, arrow.to.as_str())
    );
    if let Some((moves, _)) = flow {
        attributes.push_str(&format!(" data-moves=\"{moves}\""));
        tooltip.push_str(&format!(
            " ({moves} move{})",
            if moves == 1 { "" } else { "s" }
        ));
        if moves == 0 {
            attributes.push_str(" data-unused=\"true\" opacity=\"0.45\"");
        }
    }
    let mut d = String::new();
    for (k, p) in arrow.points.iter().enumerate() {
        d.push_str(if k == 0 { "M" } else { " L" });
        d.push_str(&num(p.x));
        d.push(',');
        d.push_str(&num(p.y));
    }
    let (colour, marker, mut width) = if accent {
        (palette.accent, ACCENT_MARKER, "3".to_owned())
    } else {
        (palette.arrow, ARROW_MARKER, "1.5".to_owned())
    };
    let mut dash = if arrow.kind == TransitionKind::Lateral {
        " stroke-dasharray=\"6 4\""
    } else {
        ""
    };
    match flow {
        Some((0, _)) => {
            width = "1".to_owned();
            dash = " stroke-dasharray=\"2 3\"";
        }
        Some((moves, busiest)) => {
            let share = moves as f64 / busiest.max(1) as f64;
            width = num(FLOW_MIN_WIDTH + (FLOW_MAX_WIDTH - FLOW_MIN_WIDTH) * share);
        }
        None => {}
    }
    let start = if arrow.bidirectional {
        format!(" marker-start=\"url(#{marker})\"")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<g {attributes}><title>{}</title><path d=\"{d}\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash}{start} marker-end=\"url(#{marker})\"/></g>",
        escape(&tooltip),
    );
}

fn write_legend(out: &mut String, framework: &Framework, layout: &Layout, palette: &Palette) {
    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"{}\" fill=\"{}\">",
        num(SMALL_SIZE),
        palette.text
    );
    for (line, entry) in layout.legend.iter().enumerate() {
        let top = layout.legend_y + LEGEND_LINE * line as f64;
        let mid = top + LEGEND_LINE / 2.0;
        let text_y = num(baseline(top, LEGEND_LINE, SMALL_SIZE));
        match entry {
            LegendEntry::Key => {
                let mut x = layout.left;
                for (k, label) in KEY_ITEMS.iter().enumerate() {
                    let (x0, x1) = (num(x), num(x + LEGEND_SAMPLE));
                    let _ = match k {
                        0 => write!(
                            out,
                            "<path d=\"M{x0},{m} L{x1},{m}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1.5\" marker-end=\"url(#{ARROW_MARKER})\"/>",
                            m = num(mid),
                            c = palette.arrow,
                        ),
                        1 => write!(
                            out,
                            "<path d=\"M{x0},{m} L{x1},{m}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" marker-start=\"url(#{ARROW_MARKER})\" marker-end=\"url(#{ARROW_MARKER})\"/>",
                            m = num(mid),
                            c = palette.arrow,
                        ),
                        _ => write!(
                            out,
                            "<rect x=\"{x0}\" y=\"{}\" width=\"{}\" height=\"16\" rx=\"4\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2.5\"/>\
                             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" rx=\"2\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1\"/>",
                            num(mid - 8.0),
                            num(LEGEND_SAMPLE),
                            num(x + 3.0),
                            num(mid - 5.0),
                            num(LEGEND_SAMPLE - 6.0),
                            c = palette.hire_only,
                        ),
                    };
                    let _ = write!(
                        out,
                        "<text x=\"{}\" y=\"{text_y}\">{}</text>",
                        num(x + LEGEND_SAMPLE + 8.0),
                        escape(label)
                    );
                    x += LEGEND_SAMPLE
                        + 8.0
                        + text::measure(label, SMALL_SIZE, Weight::Regular)
                        + 24.0;
                }
                out.push('\n');
            }
            LegendEntry::Designation { index, badge, text } => {
                let id = framework
                    .designations()
                    .get(*index)
                    .map_or("", |d| d.id.as_str());
                let width = layout::tag_width(badge);
                let x = layout.left + (LEGEND_SAMPLE - width).max(0.0) / 2.0;
                let _ = writeln!(
                    out,
                    "<g class=\"legend-designation\" data-designation=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\"/>\
                     <text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{}\">{}</text>\
                     <text x=\"{}\" y=\"{text_y}\">{}</text></g>",
                    escape(id),
                    num(x),
                    num(mid - TAG_HEIGHT / 2.0),
                    num(width),
                    num(TAG_HEIGHT),
                    num(TAG_HEIGHT / 2.0),
                    palette.badge,
                    num(x + width / 2.0),
                    num(baseline(mid - TAG_HEIGHT / 2.0, TAG_HEIGHT, TAG_SIZE)),
                    num(TAG_SIZE),
                    palette.badge_text,
                    escape(badge),
                    num(layout.left + LEGEND_SAMPLE.max(width) + 8.0),
                    escape(text),
                );
            }
        }
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_fixed_format() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(0.5), "0.5");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("R&D <\"x\"> 'y'"),
            "R&amp;D &lt;&quot;x&quot;&gt; &apos;y&apos;"
        );
        assert_eq!(escape("a\u{1}b"), "ab");
    }
}
