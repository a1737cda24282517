//! Colours: the light and dark themes and the per-stream palette (one hue per
//! row, a light tint for the band and the boxes).

/// Which colour scheme to draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark text on a white background.
    #[default]
    Light,
    /// Light text on a near-black background.
    Dark,
}

impl Theme {
    /// Parses `light` or `dark`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            _ => None,
        }
    }

    /// The spelling [`Theme::parse`] accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// The colours of one stream's row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamColours {
    /// Background band behind the row.
    pub(crate) band: &'static str,
    /// Role box fill.
    pub(crate) fill: &'static str,
    /// Role box border and the stream name.
    pub(crate) stroke: &'static str,
}

/// Every colour the chart uses outside the stream rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    pub(crate) background: &'static str,
    pub(crate) text: &'static str,
    pub(crate) muted: &'static str,
    pub(crate) arrow: &'static str,
    pub(crate) accent: &'static str,
    pub(crate) hire_only: &'static str,
    pub(crate) tag_text: &'static str,
    pub(crate) badge: &'static str,
    pub(crate) badge_text: &'static str,
    pub(crate) axis: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#1f2937",
    muted: "#6b7280",
    arrow: "#4b5563",
    accent: "#d97706",
    hire_only: "#111827",
    tag_text: "#ffffff",
    badge: "#7c3aed",
    badge_text: "#ffffff",
    axis: "#9ca3af",
};

const DARK: Palette = Palette {
    background: "#111827",
    text: "#e5e7eb",
    muted: "#9ca3af",
    arrow: "#9ca3af",
    accent: "#fbbf24",
    hire_only: "#f9fafb",
    tag_text: "#111827",
    badge: "#a78bfa",
    badge_text: "#111827",
    axis: "#6b7280",
};

/// Hues for the rows, in order: blue, green, amber, violet, rose, teal,
/// orange, indigo. More streams than hues reuse them.
const LIGHT_STREAMS: [StreamColours; 8] = [
    StreamColours {
        band: "#eff6ff",
        fill: "#dbeafe",
        stroke: "#2563eb",
    },
    StreamColours {
        band: "#ecfdf5",
        fill: "#d1fae5",
        stroke: "#059669",
    },
    StreamColours {
        band: "#fffbeb",
        fill: "#fef3c7",
        stroke: "#b45309",
    },
    StreamColours {
        band: "#f5f3ff",
        fill: "#ede9fe",
        stroke: "#7c3aed",
    },
    StreamColours {
        band: "#fff1f2",
        fill: "#ffe4e6",
        stroke: "#e11d48",
    },
    StreamColours {
        band: "#f0fdfa",
        fill: "#ccfbf1",
        stroke: "#0d9488",
    },
    StreamColours {
        band: "#fff7ed",
        fill: "#ffedd5",
        stroke: "#c2410c",
    },
    StreamColours {
        band: "#eef2ff",
        fill: "#e0e7ff",
        stroke: "#4f46e5",
    },
];

const DARK_STREAMS: [StreamColours; 8] = [
    StreamColours {
        band: "#172033",
        fill: "#1e3a5f",
        stroke: "#60a5fa",
    },
    StreamColours {
        band: "#13261f",
        fill: "#134e3a",
        stroke: "#34d399",
    },
    StreamColours {
        band: "#2a2214",
        fill: "#4a3512",
        stroke: "#fbbf24",
    },
    StreamColours {
        band: "#211b33",
        fill: "#3b2a63",
        stroke: "#a78bfa",
    },
    StreamColours {
        band: "#2c1820",
        fill: "#5b1f33",
        stroke: "#fb7185",
    },
    StreamColours {
        band: "#12262a",
        fill: "#134e4a",
        stroke: "#2dd4bf",
    },
    StreamColours {
        band: "#2b1d14",
        fill: "#5a2e12",
        stroke: "#fb923c",
    },
    StreamColours {
        band: "#1b1e36",
        fill: "#312e81",
        stroke: "#818cf8",
    },
];

/// The palette of a theme.
pub(crate) fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => LIGHT,
        Theme::Dark => DARK,
    }
}

/// The line colour of the stream on row `row`, the hue that stands for the
/// stream wherever climb shows it (the web pages use the same hues).
pub fn stream_stroke(theme: Theme, row: usize) -> &'static str {
    stream_colours(theme, row).stroke
}

/// The colours of the stream on row `row`.
pub(crate) fn stream_colours(theme: Theme, row: usize) -> StreamColours {
    let table = match theme {
        Theme::Light => &LIGHT_STREAMS,
        Theme::Dark => &DARK_STREAMS,
    };
    table[row % table.len()]
}
