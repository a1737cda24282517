//! The chart's geometry: one band per stream (file order, top to bottom), one
//! column per distinct seniority (left to right), boxes sized to their
//! wrapped titles, routed arrows, the seniority axis and the legend. Public so
//! that tests can check the picture's invariants without parsing SVG.

use std::collections::BTreeMap;

use climb_framework::{Framework, RoleId, StreamId, TransitionKind};

use crate::route::{self, Cell, Plan, Side};
use crate::text::{self, Weight};

/// Title font size.
pub(crate) const TITLE_SIZE: f64 = 18.0;
/// Role title font size.
pub(crate) const ROLE_SIZE: f64 = 13.0;
/// Role title line height.
pub(crate) const ROLE_LINE: f64 = 16.0;
/// Stream name font size.
pub(crate) const STREAM_SIZE: f64 = 14.0;
/// Stream name line height.
pub(crate) const STREAM_LINE: f64 = 17.0;
/// Tag and badge font size.
pub(crate) const TAG_SIZE: f64 = 9.5;
/// Tag and badge height.
pub(crate) const TAG_HEIGHT: f64 = 14.0;
/// Horizontal padding inside a tag.
pub(crate) const TAG_PAD: f64 = 5.0;
/// Gap between tags in a box footer.
pub(crate) const TAG_GAP: f64 = 4.0;
/// Axis and legend font size.
pub(crate) const SMALL_SIZE: f64 = 12.0;
/// Height of one legend line.
pub(crate) const LEGEND_LINE: f64 = 24.0;
/// Width of the sample drawn before a legend entry.
pub(crate) const LEGEND_SAMPLE: f64 = 44.0;

const MARGIN: f64 = 24.0;
const HEADER: f64 = 24.0;
const BOX_PAD_X: f64 = 10.0;
const BOX_PAD_Y: f64 = 8.0;
const MIN_BOX_WIDTH: f64 = 96.0;
const MAX_TEXT_WIDTH: f64 = 112.0;
const MAX_LINES: usize = 3;
const MIN_BOX_HEIGHT: f64 = 40.0;
const FOOTER_GAP: f64 = 4.0;
const STREAM_MAX_WIDTH: f64 = 130.0;
const LABEL_PAD: f64 = 16.0;
/// Space kept between a box and the nearest lane.
const CHANNEL_MARGIN: f64 = 13.0;
/// Distance between neighbouring lanes.
const LANE: f64 = 7.0;
/// Smallest gap between two streams' rows.
const MIN_STREAM_GAP: f64 = 36.0;
/// Smallest gap between two rows of one stream (stacked equal-seniority roles).
const MIN_STACK_GAP: f64 = 12.0;
/// Smallest gap between two columns.
const MIN_COLUMN_GAP: f64 = 36.0;
/// How far a stream's band reaches beyond its boxes.
pub(crate) const BAND_PAD: f64 = 10.0;
const AXIS_GAP: f64 = 10.0;
const AXIS_HEIGHT: f64 = 40.0;

/// A point in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Horizontal position, growing right.
    pub x: f64,
    /// Vertical position, growing down.
    pub y: f64,
}

/// An axis-aligned rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// Horizontal centre.
    pub fn centre_x(&self) -> f64 {
        self.x + self.width / 2.0
    }

    /// Vertical centre.
    pub fn centre_y(&self) -> f64 {
        self.y + self.height / 2.0
    }

    /// Whether the interiors of two rectangles overlap (touching edges do not).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether the axis-parallel segment from `a` to `b` passes through the
    /// interior of the rectangle (running along or ending on an edge does not).
    pub fn crossed_by(&self, a: Point, b: Point) -> bool {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        if x0 == x1 {
            self.x < x0 && x0 < self.right() && y0 < self.bottom() && self.y < y1
        } else {
            self.y < y0 && y0 < self.bottom() && x0 < self.right() && self.x < x1
        }
    }
}

/// A stream's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The stream.
    pub stream: StreamId,
    /// Its display name, wrapped for the label at the left.
    pub name_lines: Vec<String>,
    /// The background band behind the row, label included.
    pub band: Rect,
}

/// A seniority column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The seniority value every role in this column has.
    pub seniority: u8,
    /// Left edge of the column's boxes.
    pub x: f64,
    /// Width of every box in the column.
    pub width: f64,
}

/// A role's box.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleBox {
    /// The role.
    pub role: RoleId,
    /// The box.
    pub rect: Rect,
    /// Index into [`Layout::rows`] (the role's stream).
    pub row: usize,
    /// Index into [`Layout::columns`] (the role's seniority).
    pub column: usize,
    /// The title, wrapped to at most three lines.
    pub lines: Vec<String>,
    /// Whether the role is hire-only (drawn with a heavy border and a tag).
    pub hire_only: bool,
    /// Indexes into the framework's designations usually held on this role.
    pub badges: Vec<usize>,
}

/// One arrow: a transition, or a pair of opposite lateral moves drawn once
/// with two heads.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// Source role (of the first transition, for a pair).
    pub from: RoleId,
    /// Target role (of the first transition, for a pair).
    pub to: RoleId,
    /// Promotion or lateral move.
    pub kind: TransitionKind,
    /// Whether the arrow stands for both `from → to` and `to → from`.
    pub bidirectional: bool,
    /// Indexes into the framework's transitions the arrow draws.
    pub transitions: Vec<usize>,
    /// The orthogonal polyline from the source box's edge to the target's.
    pub points: Vec<Point>,
}

/// A legend line.
#[derive(Debug, Clone, PartialEq)]
pub enum LegendEntry {
    /// The arrow styles and the hire-only mark, on one line.
    Key,
    /// A designation: its badge text and its explanation.
    Designation {
        /// Index into the framework's designations.
        index: usize,
        /// Short badge text drawn on roles (e.g. `TL`).
        badge: String,
        /// The explanation line.
        text: String,
    },
}

/// The whole chart's geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Baseline of the title.
    pub title_y: f64,
    /// Rows in stream file order.
    pub rows: Vec<Row>,
    /// Columns in increasing seniority.
    pub columns: Vec<Column>,
    /// Boxes in role file order.
    pub boxes: Vec<RoleBox>,
    /// Arrows in transition file order (a pair at its first transition).
    pub arrows: Vec<Arrow>,
    /// The axis line's height; tick labels hang below it.
    pub axis_y: f64,
    /// Left and right ends of the axis line.
    pub axis_x: (f64, f64),
    /// Top of the legend.
    pub legend_y: f64,
    /// Legend lines, top to bottom.
    pub legend: Vec<LegendEntry>,
    /// Left edge of the stream labels and the legend.
    pub left: f64,
}

impl Layout {
    /// The box of a role, if the framework has it.
    pub fn role_box(&self, role: &str) -> Option<&RoleBox> {
        self.boxes.iter().find(|b| b.role.as_str() == role)
    }
}

/// Short text for a designation's badge: the initials of its title's words
/// (`Team Lead` → `TL`), or its first letters for a one-word title.
pub(crate) fn badge_text(title: &str) -> String {
    let words: Vec<&str> = title.split_whitespace().collect();
    let text: String = if words.len() >= 2 {
        words
            .iter()
            .filter_map(|w| w.chars().next())
            .take(3)
            .collect()
    } else {
        let first = words.first().copied().unwrap_or("");
        let take = if first.chars().next().is_some_and(text::is_wide) {
            1
        } else {
            2
        };
        first.chars().take(take).collect()
    };
    text.to_uppercase()
}

/// Width of a tag or badge pill holding `label`.
pub(crate) fn tag_width(label: &str) -> f64 {
    text::measure(label, TAG_SIZE, Weight::Bold) + 2.0 * TAG_PAD
}

/// Text of the hire-only tag.
pub(crate) const HIRE_ONLY_TAG: &str = "hire only";

/// Lays the framework out. Never fails: every checked framework has a
/// picture, an empty one included.
pub fn layout(framework: &Framework) -> Layout {
    let roles = framework.roles();
    let streams = framework.streams();

    // Columns: the distinct seniorities, rank-compressed.
    let mut seniorities: Vec<u8> = roles.iter().map(|r| r.seniority.get()).collect();
    seniorities.sort_unstable();
    seniorities.dedup();
    let column_of = |seniority: u8| seniorities.partition_point(|&s| s < seniority);

    // Grid rows: a stream gets as many sub-rows as it has roles sharing one
    // seniority, so that no two boxes share a cell.
    let stream_of: Vec<usize> = roles
        .iter()
        .map(|r| framework.stream_position(r.stream.as_str()).unwrap_or(0))
        .collect();
    let mut cell_count: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut sub_row = Vec::with_capacity(roles.len());
    for (i, role) in roles.iter().enumerate() {
        let count = cell_count
            .entry((stream_of[i], column_of(role.seniority.get())))
            .or_insert(0);
        sub_row.push(*count);
        *count += 1;
    }
    let mut depth = vec![1usize; streams.len()];
    for (&(stream, _), &count) in &cell_count {
        if let Some(d) = depth.get_mut(stream) {
            *d = (*d).max(count);
        }
    }
    let mut first_row = Vec::with_capacity(streams.len());
    let mut grid_rows = 0;
    for d in &depth {
        first_row.push(grid_rows);
        grid_rows += d;
    }
    let cells: Vec<Cell> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| Cell {
            row: first_row.get(stream_of[i]).copied().unwrap_or(0) + sub_row[i],
            col: column_of(role.seniority.get()),
        })
        .collect();

    // Badges: designations usually held on each role.
    let designations = framework.designations();
    let badges: Vec<Vec<usize>> = roles
        .iter()
        .map(|role| {
            designations
                .iter()
                .enumerate()
                .filter(|(_, d)| d.is_eligible(&role.stream) && !d.is_below_usual(role.seniority))
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let badge_texts: Vec<String> = designations.iter().map(|d| badge_text(&d.title)).collect();

    // Box contents and sizes.
    let lines: Vec<Vec<String>> = roles
        .iter()
        .map(|r| {
            text::wrap(
                &r.title,
                ROLE_SIZE,
                Weight::Regular,
                MAX_TEXT_WIDTH,
                MAX_LINES,
            )
        })
        .collect();
    let mut col_width = vec![MIN_BOX_WIDTH; seniorities.len()];
    let mut row_height = vec![MIN_BOX_HEIGHT; grid_rows];
    for (i, role) in roles.iter().enumerate() {
        let text_width = lines[i]
            .iter()
            .map(|l| text::measure(l, ROLE_SIZE, Weight::Regular))
            .fold(0.0, f64::max);
        let mut tags: Vec<f64> = badges[i]
            .iter()
            .map(|&d| tag_width(&badge_texts[d]))
            .collect();
        if role.hire_only {
            tags.push(tag_width(HIRE_ONLY_TAG));
        }
        let footer_width = tags.iter().sum::<f64>() + TAG_GAP * tags.len().saturating_sub(1) as f64;
        let footer_height = if tags.is_empty() {
            0.0
        } else {
            FOOTER_GAP + TAG_HEIGHT
        };
        let width = (text_width.max(footer_width) + 2.0 * BOX_PAD_X).ceil();
        let height = 2.0 * BOX_PAD_Y + ROLE_LINE * lines[i].len() as f64 + footer_height;
        let cell = cells[i];
        col_width[cell.col] = col_width[cell.col].max(width);
        row_height[cell.row] = row_height[cell.row].max(height);
    }

    // Arrows: one per transition, opposite laterals merged.
    let mut arrows: Vec<Arrow> = Vec::new();
    let mut arrow_cells: Vec<(Cell, Cell)> = Vec::new();
    let mut lateral_index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (t, transition) in framework.transitions().iter().enumerate() {
        let (Some(a), Some(b)) = (
            framework.role_position(transition.from.as_str()),
            framework.role_position(transition.to.as_str()),
        ) else {
            continue;
        };
        if transition.kind == TransitionKind::Lateral {
            if let Some(&existing) =
                lateral_index.get(&(transition.to.as_str(), transition.from.as_str()))
                && let Some(arrow) = arrows.get_mut(existing)
            {
                arrow.bidirectional = true;
                arrow.transitions.push(t);
                continue;
            }
            lateral_index.insert(
                (transition.from.as_str(), transition.to.as_str()),
                arrows.len(),
            );
        }
        arrows.push(Arrow {
            from: transition.from.clone(),
            to: transition.to.clone(),
            kind: transition.kind,
            bidirectional: false,
            transitions: vec![t],
            points: Vec::new(),
        });
        arrow_cells.push((cells[a], cells[b]));
    }

    let grid = route::Grid::new(grid_rows, seniorities.len(), &cells);
    let routes = route::route(&grid, &arrow_cells);

    // Channel sizes from their lane counts.
    let channel = |lanes: usize, min: f64| {
        let needed = 2.0 * CHANNEL_MARGIN + lanes.saturating_sub(1) as f64 * LANE;
        min.max(needed).ceil()
    };
    let stream_starts: Vec<bool> = (0..=grid_rows)
        .map(|i| i == 0 || i == grid_rows || first_row.contains(&i))
        .collect();
    let h_size: Vec<f64> = (0..=grid_rows)
        .map(|i| {
            let min = if stream_starts[i] {
                MIN_STREAM_GAP
            } else {
                MIN_STACK_GAP
            };
            channel(routes.h_lanes.get(i).copied().unwrap_or(0), min)
        })
        .collect();
    let v_size: Vec<f64> = (0..=seniorities.len())
        .map(|j| channel(routes.v_lanes.get(j).copied().unwrap_or(0), MIN_COLUMN_GAP))
        .collect();

    // Stream labels.
    let name_lines: Vec<Vec<String>> = streams
        .iter()
        .map(|s| {
            text::wrap(
                &s.name,
                STREAM_SIZE,
                Weight::Bold,
                STREAM_MAX_WIDTH,
                MAX_LINES,
            )
        })
        .collect();
    let label_width = name_lines
        .iter()
        .flatten()
        .map(|l| text::measure(l, STREAM_SIZE, Weight::Bold))
        .fold(60.0, f64::max)
        .ceil()
        + LABEL_PAD;

    // Coordinates.
    let left = MARGIN;
    let mut v_x = Vec::with_capacity(v_size.len());
    let mut col_x = Vec::with_capacity(seniorities.len());
    let mut x = left + label_width;
    for (j, size) in v_size.iter().enumerate() {
        v_x.push(x);
        x += size;
        if let Some(w) = col_width.get(j) {
            col_x.push(x);
            x += w;
        }
    }
    let grid_right = x;
    let top = MARGIN + HEADER;
    let mut h_y = Vec::with_capacity(h_size.len());
    let mut row_y = Vec::with_capacity(grid_rows);
    let mut y = top;
    for (i, size) in h_size.iter().enumerate() {
        h_y.push(y);
        y += size;
        if let Some(h) = row_height.get(i) {
            row_y.push(y);
            y += h;
        }
    }
    let grid_bottom = y;

    let lane_y = |i: usize, lane: usize| {
        let n = routes.h_lanes.get(i).copied().unwrap_or(1).max(1) as f64;
        h_y[i] + h_size[i] / 2.0 - (n - 1.0) * LANE / 2.0 + lane as f64 * LANE
    };
    let lane_x = |j: usize, lane: usize| {
        let n = routes.v_lanes.get(j).copied().unwrap_or(1).max(1) as f64;
        v_x[j] + v_size[j] / 2.0 - (n - 1.0) * LANE / 2.0 + lane as f64 * LANE
    };
    let cell_rect = |cell: Cell| Rect {
        x: col_x[cell.col],
        y: row_y[cell.row],
        width: col_width[cell.col],
        height: row_height[cell.row],
    };

    let boxes: Vec<RoleBox> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| RoleBox {
            role: role.id.clone(),
            rect: cell_rect(cells[i]),
            row: stream_of[i],
            column: cells[i].col,
            lines: lines[i].clone(),
            hire_only: role.hire_only,
            badges: badges[i].clone(),
        })
        .collect();

    for ((arrow, plan), &(a, b)) in arrows.iter_mut().zip(&routes.plans).zip(&arrow_cells) {
        let ra = cell_rect(a);
        let rb = cell_rect(b);
        let side_y = |rect: &Rect, side: Side| match side {
            Side::Top => rect.y,
            Side::Bottom => rect.bottom(),
        };
        let mut points = match *plan {
            Plan::Row => {
                let y = ra.centre_y();
                if rb.x > ra.x {
                    vec![Point { x: ra.right(), y }, Point { x: rb.x, y }]
                } else {
                    vec![Point { x: ra.x, y }, Point { x: rb.right(), y }]
                }
            }
            Plan::Column { frac } => {
                let x = ra.x + frac * ra.width;
                if rb.y > ra.y {
                    vec![Point { x, y: ra.bottom() }, Point { x, y: rb.y }]
                } else {
                    vec![Point { x, y: ra.y }, Point { x, y: rb.bottom() }]
                }
            }
            Plan::Channels {
                src_side,
                dst_side,
                hs,
                ht,
                via,
                src_frac,
                dst_frac,
                lane_s,
                lane_v,
                lane_t,
            } => {
                let xa = ra.x + src_frac * ra.width;
                let xb = rb.x + dst_frac * rb.width;
                let ys = lane_y(hs, lane_s);
                let mut points = vec![
                    Point {
                        x: xa,
                        y: side_y(&ra, src_side),
                    },
                    Point { x: xa, y: ys },
                ];
                if let Some(j) = via {
                    let xv = lane_x(j, lane_v);
                    let yt = lane_y(ht, lane_t);
                    points.push(Point { x: xv, y: ys });
                    points.push(Point { x: xv, y: yt });
                    points.push(Point { x: xb, y: yt });
                } else {
                    points.push(Point { x: xb, y: ys });
                }
                points.push(Point {
                    x: xb,
                    y: side_y(&rb, dst_side),
                });
                points
            }
        };
        simplify(&mut points);
        arrow.points = points;
    }

    // Rows' bands.
    let rows: Vec<Row> = streams
        .iter()
        .enumerate()
        .map(|(s, stream)| {
            let first = first_row[s];
            let last = first + depth[s];
            let y0 = row_y.get(first).copied().unwrap_or(top);
            let y1 = if last > first && last <= grid_rows {
                row_y[last - 1] + row_height[last - 1]
            } else {
                y0 + MIN_BOX_HEIGHT
            };
            Row {
                stream: stream.id.clone(),
                name_lines: name_lines[s].clone(),
                band: Rect {
                    x: left - BAND_PAD,
                    y: y0 - BAND_PAD,
                    width: grid_right - left + 2.0 * BAND_PAD,
                    height: y1 - y0 + 2.0 * BAND_PAD,
                },
            }
        })
        .collect();

    let columns: Vec<Column> = seniorities
        .iter()
        .enumerate()
        .map(|(c, &seniority)| Column {
            seniority,
            x: col_x[c],
            width: col_width[c],
        })
        .collect();

    // Legend.
    let mut legend = vec![LegendEntry::Key];
    for (index, badge) in badge_texts.iter().enumerate() {
        legend.push(LegendEntry::Designation {
            index,
            badge: badge.clone(),
            text: designation_text(framework, index),
        });
    }
    let axis_y = grid_bottom + AXIS_GAP;
    let legend_y = axis_y + AXIS_HEIGHT;
    let legend_width = legend
        .iter()
        .map(|entry| match entry {
            LegendEntry::Key => key_width(),
            LegendEntry::Designation { badge, text, .. } => {
                tag_width(badge) + 8.0 + text::measure(text, SMALL_SIZE, Weight::Regular)
            }
        })
        .fold(0.0, f64::max);
    let title_width = text::measure(&title_text(framework), TITLE_SIZE, Weight::Bold);
    let content_right = (grid_right + BAND_PAD)
        .max(left + legend_width)
        .max(left + title_width);
    let width = (content_right + MARGIN).ceil();
    let height = (legend_y + LEGEND_LINE * legend.len() as f64 + MARGIN).ceil();

    Layout {
        width,
        height,
        title_y: MARGIN + TITLE_SIZE,
        rows,
        columns,
        boxes,
        arrows,
        axis_y,
        axis_x: (left + label_width, grid_right),
        legend_y,
        legend,
        left,
    }
}

/// The chart's title: the framework's name and version.
pub(crate) fn title_text(framework: &Framework) -> String {
    let meta = framework.meta();
    format!("{} — {}", meta.name, meta.version)
}

/// The legend's key line, as (sample kind, label) pairs.
pub(crate) const KEY_ITEMS: [&str; 3] = [
    "promotion",
    "lateral move (two heads: either way)",
    "hire only: nothing leads in, the only way in is a hire",
];

fn key_width() -> f64 {
    KEY_ITEMS
        .iter()
        .map(|label| LEGEND_SAMPLE + 8.0 + text::measure(label, SMALL_SIZE, Weight::Regular) + 24.0)
        .sum()
}

/// The legend line explaining a designation.
fn designation_text(framework: &Framework, index: usize) -> String {
    let Some(designation) = framework.designations().get(index) else {
        return String::new();
    };
    let mut text = format!(
        "{} — designation, held per project in addition to a role",
        designation.title
    );
    if let Some(min) = designation.usual_min_seniority {
        text.push_str(&format!("; usually from seniority {}", min.get()));
    }
    if let Some(streams) = &designation.eligible_streams {
        let names: Vec<&str> = streams
            .iter()
            .map(|id| {
                framework
                    .stream(id.as_str())
                    .map_or(id.as_str(), |s| s.name.as_str())
            })
            .collect();
        text.push_str(&format!(", in {}", names.join(", ")));
    } else {
        text.push_str(", in every stream");
    }
    text
}

/// Drops repeated points and points in the middle of a straight run.
fn simplify(points: &mut Vec<Point>) {
    points.dedup_by(|b, a| (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9);
    let mut i = 1;
    while i + 1 < points.len() {
        let (a, b, c) = (points[i - 1], points[i], points[i + 1]);
        let collinear = ((a.x - b.x).abs() < 1e-9 && (b.x - c.x).abs() < 1e-9)
            || ((a.y - b.y).abs() < 1e-9 && (b.y - c.y).abs() < 1e-9);
        if collinear {
            points.remove(i);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_use_initials() {
        assert_eq!(badge_text("Team Lead"), "TL");
        assert_eq!(badge_text("Mentor"), "ME");
        assert_eq!(badge_text("组长"), "组");
    }

    #[test]
    fn a_segment_along_an_edge_does_not_cross() {
        let rect = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        let p = |x, y| Point { x, y };
        assert!(rect.crossed_by(p(5.0, -5.0), p(5.0, 15.0)));
        assert!(rect.crossed_by(p(-5.0, 5.0), p(15.0, 5.0)));
        assert!(!rect.crossed_by(p(0.0, -5.0), p(0.0, 15.0)));
        assert!(!rect.crossed_by(p(5.0, -5.0), p(5.0, 0.0)));
        assert!(!rect.crossed_by(p(-5.0, 12.0), p(15.0, 12.0)));
    }
}
