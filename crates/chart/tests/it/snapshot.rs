//! The built-in framework's SVG, pinned byte for byte.

use climb_chart::{ChartOptions, render_svg};

#[test]
fn the_built_in_chart_is_stable() {
    insta::assert_snapshot!(render_svg(
        climb_framework::builtin(),
        &ChartOptions::default()
    ));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let framework = climb_framework::builtin();
    let options = ChartOptions::default();
    assert_eq!(
        render_svg(framework, &options),
        render_svg(framework, &options)
    );
}
