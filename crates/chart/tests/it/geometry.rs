//! Property tests of the layout on generated frameworks of up to 100 roles in
//! 8 streams with dozens of lateral moves and random seniorities.

use climb_chart::{ChartOptions, Layout, layout, render_svg};
use climb_framework::Framework;
use proptest::prelude::*;

use crate::generate::{self, RoleSpec, Spec};

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=8, 1usize..=100, prop::bool::ANY).prop_flat_map(|(streams, roles, narrow)| {
        let seniority = if narrow { 0u8..=8 } else { 0u8..=100 };
        (
            prop::collection::vec((0..streams, seniority, prop::bool::weighted(0.05)), roles),
            prop::collection::vec((0..roles, 0..roles), 0..=60),
        )
            .prop_map(move |(roles, laterals)| Spec {
                streams,
                roles: roles
                    .into_iter()
                    .map(|(stream, seniority, hire_only)| RoleSpec {
                        stream,
                        seniority,
                        hire_only,
                    })
                    .collect(),
                laterals,
                titles: None,
            })
    })
}

fn load(spec: &Spec) -> Framework {
    match climb_framework::load(&generate::toml(spec)) {
        Ok(framework) => framework,
        Err(report) => panic!("generated framework does not check: {report:?}"),
    }
}

/// Every invariant the chart promises, checked on one framework.
fn check_invariants(framework: &Framework, layout: &Layout) {
    let roles = framework.roles();
    assert_eq!(layout.boxes.len(), roles.len());
    for (i, a) in layout.boxes.iter().enumerate() {
        assert_eq!(a.role, roles[i].id, "boxes follow role file order");
        for b in &layout.boxes[i + 1..] {
            assert!(
                !a.rect.overlaps(&b.rect),
                "{} and {} overlap",
                a.role,
                b.role
            );
        }
        assert!(a.rect.x >= 0.0 && a.rect.right() <= layout.width);
        assert!(a.rect.y >= 0.0 && a.rect.bottom() <= layout.height);
    }
    for (i, a) in layout.boxes.iter().enumerate() {
        for (j, b) in layout.boxes.iter().enumerate() {
            let (ra, rb) = (&roles[i], &roles[j]);
            if ra.seniority < rb.seniority {
                assert!(
                    a.rect.right() < b.rect.x,
                    "{} must be left of {}",
                    ra.id,
                    rb.id
                );
            }
            if ra.seniority == rb.seniority {
                assert_eq!(a.rect.x, b.rect.x, "equal seniority aligns");
                assert_eq!(a.rect.width, b.rect.width, "one width per column");
            }
            let (sa, sb) = (
                framework.stream_position(ra.stream.as_str()),
                framework.stream_position(rb.stream.as_str()),
            );
            if sa < sb {
                assert!(a.rect.bottom() < b.rect.y, "rows follow stream order");
            }
        }
    }
    let mut drawn = vec![0; framework.transitions().len()];
    for arrow in &layout.arrows {
        for &t in &arrow.transitions {
            drawn[t] += 1;
        }
        assert!(arrow.points.len() >= 2);
        let from = layout.role_box(arrow.from.as_str()).map(|b| b.rect);
        let to = layout.role_box(arrow.to.as_str()).map(|b| b.rect);
        let (Some(from), Some(to)) = (from, to) else {
            panic!("arrow between unknown roles");
        };
        let on_edge = |r: climb_chart::Rect, p: climb_chart::Point| {
            let inside_x = p.x >= r.x && p.x <= r.right();
            let inside_y = p.y >= r.y && p.y <= r.bottom();
            (inside_x && (p.y == r.y || p.y == r.bottom()))
                || (inside_y && (p.x == r.x || p.x == r.right()))
        };
        assert!(on_edge(from, arrow.points[0]), "arrow starts on its source");
        assert!(
            on_edge(to, arrow.points[arrow.points.len() - 1]),
            "arrow ends on its target"
        );
        for pair in arrow.points.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            assert!(p.x == q.x || p.y == q.y, "segments are orthogonal");
            for b in &layout.boxes {
                if b.role == arrow.from || b.role == arrow.to {
                    continue;
                }
                assert!(
                    !b.rect.crossed_by(p, q),
                    "arrow {} -> {} crosses {}",
                    arrow.from,
                    arrow.to,
                    b.role
                );
            }
        }
    }
    assert!(
        drawn.iter().all(|&n| n == 1),
        "every transition drawn once: {drawn:?}"
    );
}

/// Every transition has an element in the SVG with its ends.
fn check_svg_transitions(framework: &Framework, svg: &str) {
    for t in framework.transitions() {
        let forward = format!("data-from=\"{}\" data-to=\"{}\"", t.from, t.to);
        let pair = format!("data-pair=\"{} {}\"", t.to, t.from);
        assert!(
            svg.contains(&forward) || svg.contains(&pair),
            "no element for {} -> {}",
            t.from,
            t.to
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn generated_frameworks_lay_out_cleanly(spec in spec()) {
        let framework = load(&spec);
        let layout = layout(&framework);
        check_invariants(&framework, &layout);
        let svg = render_svg(&framework, &ChartOptions::default());
        check_svg_transitions(&framework, &svg);
    }
}

#[test]
fn the_built_in_framework_lays_out_cleanly() {
    let framework = climb_framework::builtin();
    check_invariants(framework, &layout(framework));
    check_svg_transitions(framework, &render_svg(framework, &ChartOptions::default()));
}

#[test]
fn a_large_realistic_framework_lays_out_cleanly() {
    for seed in 0..5 {
        let framework = load(&generate::realistic(8, 100, 9, 60, seed));
        check_invariants(&framework, &layout(&framework));
    }
}

#[test]
fn opposite_laterals_are_one_double_headed_arrow() {
    let framework = climb_framework::builtin();
    let layout = layout(framework);
    let pair = layout
        .arrows
        .iter()
        .find(|a| a.from.as_str() == "staff-engineer" && a.to.as_str() == "architect");
    assert!(pair.is_some_and(|a| a.bidirectional && a.transitions.len() == 2));
    assert!(
        !layout
            .arrows
            .iter()
            .any(|a| a.from.as_str() == "architect" && a.to.as_str() == "staff-engineer")
    );
}

#[test]
fn rank_compression_spaces_sparse_seniorities_like_dense_ones() {
    let dense = Spec {
        streams: 1,
        roles: (1..=3)
            .map(|s| RoleSpec {
                stream: 0,
                seniority: s,
                hire_only: false,
            })
            .collect(),
        laterals: Vec::new(),
        titles: Some(vec!["A".into(), "B".into(), "C".into()]),
    };
    let mut sparse = dense.clone();
    for (i, role) in sparse.roles.iter_mut().enumerate() {
        role.seniority = 10 * (i as u8 + 1);
    }
    let xs =
        |spec: &Spec| -> Vec<f64> { layout(&load(spec)).boxes.iter().map(|b| b.rect.x).collect() };
    assert_eq!(xs(&dense), xs(&sparse));
}
