//! climb's chart: draws any checked career framework as SVG or PNG. Streams
//! are rows (file order), distinct seniorities are columns, transitions are
//! arrows routed through the gaps between boxes. Also draws series over time
//! as bands ([`render_bands_svg`]), for the workforce projection, and a
//! headcount pyramid ([`render_pyramid_svg`]) and quartile ranges
//! ([`render_ranges_svg`]). Pure:
//! numbers in, bytes out; the fonts the PNG needs are compiled in.
//!
//! # SVG contract
//!
//! Pages, tests and scripts rely on these elements:
//!
//! - each role is a `<g class="role" data-role="ID" tabindex="0">` holding its
//!   `<rect>`, its title `<text>` and a `<title>` tooltip (title, stream,
//!   seniority); `data-stream`, `data-seniority` and, for hire-only roles,
//!   `data-hire-only="true"` are set too;
//! - each transition is a `<g class="transition promotion">` or
//!   `<g class="transition lateral">` with `data-from` and `data-to`; a pair
//!   of opposite lateral moves is one element with `data-bidirectional="true"`
//!   and `data-pair="A B"` (both directions);
//! - highlighted roles and path steps carry `data-highlighted="true"`;
//! - with a [`FlowOverlay`], each transition carries `data-moves` (the moves
//!   along it, both directions for a pair), its stroke is as wide as its
//!   share of the busiest arrow, and an arrow nobody took is drawn dotted,
//!   faint and marked `data-unused="true"`.
//!
//! The same framework and options always give the same bytes.

mod bands;
mod layout;
mod png;
mod pyramid;
mod ranges;
mod route;
mod svg;
mod text;
mod theme;

use std::collections::BTreeMap;

use climb_framework::{Framework, RoleId};

pub use bands::{BandsChart, BandsPanel, render_bands_png, render_bands_svg};
pub use layout::{Arrow, Column, Layout, LegendEntry, Point, Rect, RoleBox, Row, layout};
pub use pyramid::{PyramidBar, PyramidChart, PyramidGroup, render_pyramid_svg};
pub use ranges::{RangeRow, RangesChart, render_ranges_svg};
pub use theme::{Theme, stream_stroke};

/// How to draw the chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartOptions {
    /// Colour scheme.
    pub theme: Theme,
    /// A role to emphasise; everything else is dimmed except the arrows
    /// leaving it (its next steps), whose targets are only half-dimmed.
    /// Unknown ids are ignored.
    pub highlight: Option<RoleId>,
    /// The roles of a path, in order: they and the transitions between
    /// consecutive ones are emphasised, everything else dimmed.
    pub path: Option<Vec<RoleId>>,
    /// Real moves per transition, drawn as arrow widths (see the SVG
    /// contract above).
    pub flow: Option<FlowOverlay>,
}

/// How many people moved along each transition, `(from, to)` to a count;
/// a transition left out counts 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowOverlay {
    /// Moves per transition.
    pub moves: BTreeMap<(RoleId, RoleId), u64>,
}

impl FlowOverlay {
    /// The moves along `from → to`.
    pub fn moves(&self, from: &RoleId, to: &RoleId) -> u64 {
        self.moves
            .get(&(from.clone(), to.clone()))
            .copied()
            .unwrap_or(0)
    }
}

/// Why a PNG could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The scale is not a positive finite number.
    #[error("scale must be a positive number, got {0}")]
    InvalidScale(f32),
    /// The image would exceed the largest supported size.
    #[error("the chart would be {width}×{height} pixels, larger than the {max}-pixel limit per side", max = png::MAX_SIDE)]
    TooLarge {
        /// Requested width in pixels.
        width: u64,
        /// Requested height in pixels.
        height: u64,
    },
    /// The renderer rejected the generated SVG (a bug in this crate).
    #[error("could not read the chart's SVG: {0}")]
    Svg(String),
    /// PNG encoding failed.
    #[error("could not encode the PNG: {0}")]
    Encode(String),
}

/// Draws the framework as an SVG document (UTF-8 text).
pub fn render_svg(framework: &Framework, options: &ChartOptions) -> String {
    let layout = layout::layout(framework);
    svg::write(framework, &layout, options)
}

/// Draws the framework as a PNG image; `scale` 1.0 gives one pixel per SVG
/// unit, 2.0 a sharper image for high-density screens.
///
/// Fails when the scale is not positive and finite or the image would be
/// larger than 16,384 pixels on a side.
pub fn render_png(
    framework: &Framework,
    options: &ChartOptions,
    scale: f32,
) -> Result<Vec<u8>, ChartError> {
    if !scale.is_finite() || scale <= 0.0 {
        return Err(ChartError::InvalidScale(scale));
    }
    png::render(&render_svg(framework, options), scale)
}
