//! Orthogonal arrow routing on the chart's grid. Boxes sit in cells; arrows
//! run straight along a row or a column when nothing is in the way, and
//! otherwise through the channels (the gaps between rows and between columns),
//! which never hold a box. Arrows sharing a channel get separate lanes, and
//! arrows meeting a box side get separate ports, so none overlap.
//!
//! Routing is abstract (grid indexes, lanes, port fractions); the layout turns
//! it into coordinates once channel widths are known. Cost is linear in the
//! number of arrows plus a sort per channel.

use std::collections::BTreeMap;

/// A box's cell: grid row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) row: usize,
    pub(crate) col: usize,
}

/// Which cells hold a box.
#[derive(Debug)]
pub(crate) struct Grid {
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    occupied: Vec<bool>,
}

impl Grid {
    pub(crate) fn new(rows: usize, cols: usize, cells: &[Cell]) -> Self {
        let mut occupied = vec![false; rows * cols];
        for cell in cells {
            occupied[cell.row * cols + cell.col] = true;
        }
        Self {
            rows,
            cols,
            occupied,
        }
    }

    fn is_free(&self, row: usize, col: usize) -> bool {
        !self.occupied[row * self.cols + col]
    }
}

/// Which side of a box an arrow leaves or enters through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Top,
    Bottom,
}

/// How one arrow is drawn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Plan {
    /// Straight along the source's grid row, side to side.
    Row,
    /// Straight along the shared column, at `frac` of the box width.
    Column { frac: f64 },
    /// Out of a box side into horizontal channel `hs`, optionally along
    /// vertical channel `via` to horizontal channel `ht`, and into the target.
    Channels {
        src_side: Side,
        dst_side: Side,
        hs: usize,
        ht: usize,
        via: Option<usize>,
        src_frac: f64,
        dst_frac: f64,
        lane_s: usize,
        lane_v: usize,
        lane_t: usize,
    },
}

/// Routing result: a plan per arrow and how many lanes each channel needs.
#[derive(Debug)]
pub(crate) struct Routes {
    pub(crate) plans: Vec<Plan>,
    /// Lanes per horizontal channel `0..=rows` (channel `i` is above row `i`).
    pub(crate) h_lanes: Vec<usize>,
    /// Lanes per vertical channel `0..=cols` (channel `j` is left of column `j`).
    pub(crate) v_lanes: Vec<usize>,
}

/// An arrow's end in a port group (a channel next to a column).
#[derive(Debug, Clone, Copy)]
enum PortItem {
    /// The source (false) or target (true) stub of arrow `arrow`.
    Stub { arrow: usize, target: bool },
    /// A straight column arrow between two adjacent rows.
    Column { arrow: usize },
}

#[derive(Debug, Default)]
struct PortGroup {
    items: Vec<(f64, usize, PortItem)>,
    pinned: bool,
}

/// Ordinal x of a port at `frac` of column `col`; vertical channel `j` sits at
/// `2j`, so ordinals order exactly like the final coordinates.
fn port_ordinal(col: usize, frac: f64) -> f64 {
    2.0 * col as f64 + 0.5 + frac.clamp(0.0, 1.0) * 0.98
}

/// Greedy interval colouring: the lowest lane whose last interval ends
/// strictly before this one starts. Returns the lane per segment and the
/// number of lanes.
fn assign_lanes(segments: &mut [(f64, f64, usize)], lanes_out: &mut [usize]) -> usize {
    segments.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let mut ends: Vec<f64> = Vec::new();
    for &(lo, hi, id) in segments.iter() {
        let lane = match ends.iter().position(|&end| end < lo) {
            Some(lane) => {
                ends[lane] = hi;
                lane
            }
            None => {
                ends.push(hi);
                ends.len() - 1
            }
        };
        lanes_out[id] = lane;
    }
    ends.len()
}

/// Routes every arrow `(source cell, target cell)` on the grid.
pub(crate) fn route(grid: &Grid, arrows: &[(Cell, Cell)]) -> Routes {
    let mut plans = Vec::with_capacity(arrows.len());
    let mut groups: BTreeMap<(usize, usize), PortGroup> = BTreeMap::new();
    for (index, &(a, b)) in arrows.iter().enumerate() {
        let plan = plan_arrow(grid, a, b);
        match &plan {
            Plan::Row => {}
            Plan::Column { .. } => {
                let (lo, hi) = (a.row.min(b.row), a.row.max(b.row));
                if hi == lo + 1 {
                    let ordinal = port_ordinal(a.col, 0.5);
                    groups.entry((hi, a.col)).or_default().items.push((
                        ordinal,
                        index,
                        PortItem::Column { arrow: index },
                    ));
                } else {
                    for channel in lo + 1..=hi {
                        groups.entry((channel, a.col)).or_default().pinned = true;
                    }
                }
            }
            Plan::Channels { hs, ht, via, .. } => {
                let (src_key, dst_key) = match via {
                    Some(j) => (2.0 * *j as f64, 2.0 * *j as f64),
                    None => (port_ordinal(b.col, 0.5), port_ordinal(a.col, 0.5)),
                };
                groups.entry((*hs, a.col)).or_default().items.push((
                    src_key,
                    index,
                    PortItem::Stub {
                        arrow: index,
                        target: false,
                    },
                ));
                groups.entry((*ht, b.col)).or_default().items.push((
                    dst_key,
                    index,
                    PortItem::Stub {
                        arrow: index,
                        target: true,
                    },
                ));
            }
        }
        plans.push(plan);
    }

    // Spread the ports of each group along the box width, ordered by where
    // their arrows head so that neighbours do not cross.
    for (&(_, col), group) in &mut groups {
        group
            .items
            .sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let centre = port_ordinal(col, 0.5);
        let fracs: Vec<f64> = if group.pinned {
            let left = group.items.iter().filter(|i| i.0 < centre).count();
            let right = group.items.len() - left;
            (0..group.items.len())
                .map(|i| {
                    if i < left {
                        0.5 * (i + 1) as f64 / (left + 1) as f64
                    } else {
                        0.5 + 0.5 * (i - left + 1) as f64 / (right + 1) as f64
                    }
                })
                .collect()
        } else {
            let n = group.items.len();
            (0..n).map(|i| (i + 1) as f64 / (n + 1) as f64).collect()
        };
        for (&(_, _, item), frac) in group.items.iter().zip(fracs) {
            match item {
                PortItem::Column { arrow } => {
                    if let Some(Plan::Column { frac: f }) = plans.get_mut(arrow) {
                        *f = frac;
                    }
                }
                PortItem::Stub { arrow, target } => {
                    if let Some(Plan::Channels {
                        src_frac, dst_frac, ..
                    }) = plans.get_mut(arrow)
                    {
                        if target {
                            *dst_frac = frac;
                        } else {
                            *src_frac = frac;
                        }
                    }
                }
            }
        }
    }

    // Lanes: horizontal segments per horizontal channel, vertical segments
    // per vertical channel. Segment ids: 2*arrow for the source-side
    // horizontal, 2*arrow+1 for the target-side one.
    let mut h_segments: Vec<Vec<(f64, f64, usize)>> = vec![Vec::new(); grid.rows + 1];
    let mut v_segments: Vec<Vec<(f64, f64, usize)>> = vec![Vec::new(); grid.cols + 1];
    for (index, plan) in plans.iter().enumerate() {
        let (a, b) = arrows[index];
        if let Plan::Channels {
            hs,
            ht,
            via,
            src_frac,
            dst_frac,
            ..
        } = *plan
        {
            let xs = port_ordinal(a.col, src_frac);
            let xt = port_ordinal(b.col, dst_frac);
            match via {
                None => h_segments[hs].push((xs.min(xt), xs.max(xt), 2 * index)),
                Some(j) => {
                    let xv = 2.0 * j as f64;
                    h_segments[hs].push((xs.min(xv), xs.max(xv), 2 * index));
                    h_segments[ht].push((xt.min(xv), xt.max(xv), 2 * index + 1));
                    let (lo, hi) = (hs.min(ht) as f64, hs.max(ht) as f64);
                    v_segments[j].push((2.0 * lo, 2.0 * hi, index));
                }
            }
        }
    }
    let mut h_lane_of = vec![0; 2 * arrows.len()];
    let mut v_lane_of = vec![0; arrows.len()];
    let h_lanes: Vec<usize> = h_segments
        .iter_mut()
        .map(|segments| assign_lanes(segments, &mut h_lane_of))
        .collect();
    let v_lanes = v_segments
        .iter_mut()
        .map(|segments| assign_lanes(segments, &mut v_lane_of))
        .collect();
    // Most stubs hang from the box above a channel, so the segment that
    // starts further left (and so passes over its neighbours' ports) takes
    // the deeper lane: reversing the greedy order avoids those crossings.
    for (index, lane) in h_lane_of.iter_mut().enumerate() {
        if let Some((hs, ht)) = plans.get(index / 2).and_then(|p| match p {
            Plan::Channels { hs, ht, .. } => Some((*hs, *ht)),
            _ => None,
        }) {
            let channel = if index % 2 == 0 { hs } else { ht };
            if let Some(&n) = h_lanes.get(channel) {
                *lane = n.saturating_sub(1).saturating_sub(*lane);
            }
        }
    }
    for (index, plan) in plans.iter_mut().enumerate() {
        if let Plan::Channels {
            via,
            lane_s,
            lane_v,
            lane_t,
            ..
        } = plan
        {
            *lane_s = h_lane_of[2 * index];
            if via.is_some() {
                *lane_t = h_lane_of[2 * index + 1];
                *lane_v = v_lane_of[index];
            } else {
                *lane_t = *lane_s;
            }
        }
    }
    Routes {
        plans,
        h_lanes,
        v_lanes,
    }
}

/// Picks the plan for one arrow from `a` to `b`.
fn plan_arrow(grid: &Grid, a: Cell, b: Cell) -> Plan {
    if a.row == b.row && a.col != b.col {
        let (lo, hi) = (a.col.min(b.col), a.col.max(b.col));
        if (lo + 1..hi).all(|c| grid.is_free(a.row, c)) {
            return Plan::Row;
        }
    }
    if a.col == b.col && a.row != b.row {
        let (lo, hi) = (a.row.min(b.row), a.row.max(b.row));
        if (lo + 1..hi).all(|r| grid.is_free(r, a.col)) {
            return Plan::Column { frac: 0.5 };
        }
    }
    let (src_side, dst_side, hs, ht) = match a.row.cmp(&b.row) {
        std::cmp::Ordering::Less => (Side::Bottom, Side::Top, a.row + 1, b.row),
        std::cmp::Ordering::Greater => (Side::Top, Side::Bottom, a.row, b.row + 1),
        std::cmp::Ordering::Equal => (Side::Top, Side::Top, a.row, a.row),
    };
    let via = if hs == ht {
        None
    } else {
        Some(match b.col.cmp(&a.col) {
            std::cmp::Ordering::Greater => b.col,
            std::cmp::Ordering::Less => b.col + 1,
            std::cmp::Ordering::Equal => a.col + 1,
        })
    };
    Plan::Channels {
        src_side,
        dst_side,
        hs,
        ht,
        via,
        src_frac: 0.5,
        dst_frac: 0.5,
        lane_s: 0,
        lane_v: 0,
        lane_t: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, col: usize) -> Cell {
        Cell { row, col }
    }

    #[test]
    fn neighbours_in_a_row_are_joined_straight() {
        let cells = [cell(0, 0), cell(0, 1)];
        let grid = Grid::new(1, 2, &cells);
        let routes = route(&grid, &[(cells[0], cells[1])]);
        assert_eq!(routes.plans, vec![Plan::Row]);
    }

    #[test]
    fn a_skip_level_promotion_arches_over_the_box_between() {
        let cells = [cell(0, 0), cell(0, 1), cell(0, 2)];
        let grid = Grid::new(1, 3, &cells);
        let routes = route(&grid, &[(cells[0], cells[2])]);
        assert!(matches!(
            routes.plans[0],
            Plan::Channels {
                hs: 0,
                ht: 0,
                via: None,
                ..
            }
        ));
        assert_eq!(routes.h_lanes[0], 1);
    }

    #[test]
    fn overlapping_segments_in_a_channel_get_distinct_lanes() {
        let cells = [cell(0, 0), cell(0, 1), cell(0, 2), cell(0, 3)];
        let grid = Grid::new(1, 4, &cells);
        let routes = route(&grid, &[(cells[0], cells[2]), (cells[1], cells[3])]);
        let lanes: Vec<usize> = routes
            .plans
            .iter()
            .map(|p| match p {
                Plan::Channels { lane_s, .. } => *lane_s,
                _ => usize::MAX,
            })
            .collect();
        assert_eq!(
            lanes,
            vec![1, 0],
            "the segment starting further left goes deeper"
        );
        assert_eq!(routes.h_lanes[0], 2);
    }

    #[test]
    fn a_blocked_column_goes_round_through_a_vertical_channel() {
        let cells = [cell(0, 0), cell(1, 0), cell(2, 0)];
        let grid = Grid::new(3, 1, &cells);
        let routes = route(&grid, &[(cells[0], cells[2])]);
        assert!(matches!(
            routes.plans[0],
            Plan::Channels {
                hs: 1,
                ht: 2,
                via: Some(1),
                ..
            }
        ));
    }
}
