//! Renders the chart's SVG to PNG with resvg, using only the fonts embedded in
//! the binary (never the system's), so every machine draws the same picture.

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

use crate::ChartError;
use crate::text::{BOLD_FONT, FALLBACK_FONT, REGULAR_FONT};

/// Largest PNG side in pixels; past it rendering is refused rather than
/// allocating an enormous image.
pub(crate) const MAX_SIDE: u32 = 16_384;

/// The embedded fonts, loaded once.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    for data in [REGULAR_FONT, BOLD_FONT, FALLBACK_FONT] {
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(data)));
    }
    db.set_sans_serif_family("DejaVu Sans");
    Arc::new(db)
});

/// Rasterises `svg` at `scale` (1.0 = one pixel per SVG unit) and encodes
/// it as PNG.
pub(crate) fn render(svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
    if !scale.is_finite() || scale <= 0.0 {
        return Err(ChartError::InvalidScale(scale));
    }
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_owned(),
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ChartError::Svg(e.to_string()))?;
    let size = tree.size();
    let side = |v: f32| (v * scale).ceil();
    let (width, height) = (side(size.width()), side(size.height()));
    if width > MAX_SIDE as f32 || height > MAX_SIDE as f32 {
        return Err(ChartError::TooLarge {
            width: width as u64,
            height: height as u64,
        });
    }
    let mut pixmap = tiny_skia::Pixmap::new(width.max(1.0) as u32, height.max(1.0) as u32).ok_or(
        ChartError::TooLarge {
            width: width as u64,
            height: height as u64,
        },
    )?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

/// Encodes the pixmap as 8-bit RGBA PNG with fast compression (the default
/// level spent twice as long compressing as drawing).
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, ChartError> {
    let mut data = Vec::with_capacity(pixmap.data().len());
    for pixel in pixmap.pixels() {
        let colour = pixel.demultiply();
        data.extend([colour.red(), colour.green(), colour.blue(), colour.alpha()]);
    }
    let failed = |e: ::png::EncodingError| ChartError::Encode(e.to_string());
    let mut out = Vec::with_capacity(data.len() / 8);
    let mut encoder = ::png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(::png::ColorType::Rgba);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_compression(::png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&data).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}
