//! The SVG contract that pages, tests and scripts rely on, checked with a real
//! XML parser.

use climb_chart::{ChartOptions, Theme, render_svg};
use climb_framework::{Framework, RoleId};

use crate::generate::{self, RoleSpec, Spec};

fn parse(svg: &str) -> roxmltree::Document<'_> {
    match roxmltree::Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => panic!("the SVG is not well-formed XML: {e}\n{svg}"),
    }
}

fn check_contract(framework: &Framework, svg: &str) {
    let doc = parse(svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    for attribute in ["width", "height", "viewBox"] {
        assert!(root.attribute(attribute).is_some(), "root has {attribute}");
    }
    for role in framework.roles() {
        let nodes: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.tag_name().name() == "g"
                    && n.attribute("class") == Some("role")
                    && n.attribute("data-role") == Some(role.id.as_str())
            })
            .collect();
        assert_eq!(nodes.len(), 1, "one <g class=\"role\"> for {}", role.id);
        let g = nodes[0];
        assert_eq!(g.attribute("tabindex"), Some("0"));
        let child = |name: &str| g.children().find(|c| c.tag_name().name() == name);
        assert!(child("rect").is_some(), "{} has a rect", role.id);
        let title = child("title").and_then(|t| t.text()).unwrap_or_default();
        assert!(
            title.contains(&role.title),
            "tooltip names the role: {title}"
        );
        assert!(title.contains(&framework.stream_of(role).name));
        assert!(title.contains(&role.seniority.get().to_string()));
        let text: String = child("text")
            .map(|t| {
                t.descendants()
                    .filter_map(|d| d.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        assert!(!text.is_empty(), "{} has its title text", role.id);
    }
    let transitions: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c == "transition promotion" || c == "transition lateral")
        })
        .collect();
    for t in framework.transitions() {
        let found = transitions.iter().any(|n| {
            let kind_ok = n.attribute("class") == Some(&format!("transition {}", t.kind.as_str()));
            let direct = n.attribute("data-from") == Some(t.from.as_str())
                && n.attribute("data-to") == Some(t.to.as_str());
            let pair = n.attribute("data-bidirectional") == Some("true")
                && n.attribute("data-pair") == Some(&format!("{} {}", t.to, t.from));
            kind_ok && (direct || pair)
        });
        assert!(found, "an element for {} -> {}", t.from, t.to);
    }
}

#[test]
fn every_role_and_transition_of_the_built_in_chart_is_addressable() {
    let framework = climb_framework::builtin();
    for theme in [Theme::Light, Theme::Dark] {
        let options = ChartOptions {
            theme,
            ..ChartOptions::default()
        };
        check_contract(framework, &render_svg(framework, &options));
    }
}

#[test]
fn a_bidirectional_pair_names_both_directions() {
    let svg = render_svg(climb_framework::builtin(), &ChartOptions::default());
    let doc = parse(&svg);
    let pair = doc
        .descendants()
        .find(|n| n.attribute("data-pair") == Some("staff-engineer architect"));
    assert!(
        pair.is_some_and(|n| n.attribute("data-bidirectional") == Some("true")
            && n.attribute("class") == Some("transition lateral"))
    );
}

#[test]
fn hostile_text_is_escaped() {
    let spec = Spec {
        streams: 2,
        roles: vec![
            RoleSpec {
                stream: 0,
                seniority: 1,
                hire_only: false,
            },
            RoleSpec {
                stream: 1,
                seniority: 2,
                hire_only: true,
            },
        ],
        laterals: vec![(0, 1)],
        titles: Some(vec![
            "R&D <b>\"Lead\"</b> 'x'".into(),
            "]]> &amp; <!--".into(),
        ]),
    };
    let framework = match climb_framework::load(&generate::toml(&spec)) {
        Ok(f) => f,
        Err(report) => panic!("{report:?}"),
    };
    let svg = render_svg(&framework, &ChartOptions::default());
    check_contract(&framework, &svg);
    let doc = parse(&svg);
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "title")
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.iter().any(|t| t.contains("R&D <b>\"Lead\"</b> 'x'")));
}

#[test]
fn highlight_and_path_dim_the_rest() {
    let framework = climb_framework::builtin();
    let id = |raw: &str| RoleId::parse(raw).ok();
    let options = ChartOptions {
        path: Some(
            ["software-engineer", "senior-software-engineer", "architect"]
                .iter()
                .filter_map(|r| id(r))
                .collect(),
        ),
        ..ChartOptions::default()
    };
    let svg = render_svg(framework, &options);
    let doc = parse(&svg);
    let highlighted_roles: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class") == Some("role") && n.attribute("data-highlighted") == Some("true")
        })
        .filter_map(|n| n.attribute("data-role"))
        .collect();
    assert_eq!(
        highlighted_roles,
        ["software-engineer", "senior-software-engineer", "architect"]
    );
    let highlighted_steps = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("transition"))
                && n.attribute("data-highlighted") == Some("true")
        })
        .count();
    assert_eq!(highlighted_steps, 2);
    let dimmed_cto = doc
        .descendants()
        .find(|n| n.attribute("data-role") == Some("cto"))
        .and_then(|n| n.attribute("opacity"));
    assert!(dimmed_cto.is_some());

    let unknown = ChartOptions {
        highlight: id("no-such-role"),
        ..ChartOptions::default()
    };
    assert_eq!(
        render_svg(framework, &unknown),
        render_svg(framework, &ChartOptions::default())
    );
}

#[test]
fn designations_are_a_legend_entry_and_badges_not_boxes() {
    let framework = climb_framework::builtin();
    let svg = render_svg(framework, &ChartOptions::default());
    let doc = parse(&svg);
    assert!(
        !doc.descendants()
            .any(|n| n.attribute("data-role") == Some("team-lead"))
    );
    let legend = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("legend-designation"))
        .map(|n| n.descendants().filter_map(|d| d.text()).collect::<String>())
        .unwrap_or_default();
    assert!(legend.contains("Team Lead — designation, held per project in addition to a role"));
    assert!(legend.contains("usually from seniority 3"));
    // Badges sit on senior engineering roles, not on juniors or managers.
    let badged = |role: &str| {
        doc.descendants()
            .find(|n| n.attribute("data-role") == Some(role))
            .is_some_and(|g| {
                g.descendants()
                    .any(|d| d.attribute("data-designation") == Some("team-lead"))
            })
    };
    assert!(badged("senior-software-engineer"));
    assert!(!badged("software-engineer"));
    assert!(!badged("engineering-manager"));
}

#[test]
fn frameworks_without_roles_still_draw() {
    let sources = [
        "[framework]\nname = \"Empty\"\nversion = \"0\"\n",
        "[framework]\nname = \"Empty\"\nversion = \"0\"\n\n[[streams]]\nid = \"a\"\nname = \"A\"\ntrack = \"ic\"\n",
    ];
    let mut drawn = 0;
    for source in sources {
        let Ok(framework) = climb_framework::load(source) else {
            continue;
        };
        drawn += 1;
        let svg = render_svg(&framework, &ChartOptions::default());
        check_contract(&framework, &svg);
        assert!(climb_chart::render_png(&framework, &ChartOptions::default(), 1.0).is_ok());
    }
    assert!(drawn > 0, "a framework without roles loads");
}

#[test]
fn a_flow_overlay_widens_used_arrows_by_their_moves_and_dots_unused_ones() {
    let framework = climb_framework::builtin();
    let role = |raw: &str| climb_framework::RoleId::parse(raw).expect("role");
    let mut overlay = climb_chart::FlowOverlay::default();
    overlay.moves.insert(
        (role("software-engineer"), role("senior-software-engineer")),
        8,
    );
    overlay.moves.insert(
        (role("senior-software-engineer"), role("staff-engineer")),
        2,
    );
    overlay
        .moves
        .insert((role("staff-engineer"), role("architect")), 1);
    overlay
        .moves
        .insert((role("architect"), role("staff-engineer")), 3);
    let options = ChartOptions {
        flow: Some(overlay),
        ..ChartOptions::default()
    };
    let svg = render_svg(framework, &options);
    check_contract(framework, &svg);
    let doc = parse(&svg);
    let arrow = |from: &str, to: &str| {
        doc.descendants()
            .find(|n| n.attribute("data-from") == Some(from) && n.attribute("data-to") == Some(to))
            .unwrap_or_else(|| panic!("an arrow {from} -> {to}"))
    };
    let width = |node: roxmltree::Node<'_, '_>| {
        node.descendants()
            .find(|n| n.has_tag_name("path"))
            .and_then(|p| p.attribute("stroke-width"))
            .and_then(|w| w.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let busiest = arrow("software-engineer", "senior-software-engineer");
    assert_eq!(busiest.attribute("data-moves"), Some("8"));
    assert_eq!(width(busiest), 10.0);
    let quarter = arrow("senior-software-engineer", "staff-engineer");
    assert_eq!(quarter.attribute("data-moves"), Some("2"));
    // 1.5 + 8.5 / 4 = 3.625, written to one decimal.
    assert!((width(quarter) - 3.625).abs() < 0.05, "{}", width(quarter));
    assert_eq!(quarter.attribute("class"), Some("transition promotion"));
    // A pair counts both directions.
    let pair = arrow("staff-engineer", "architect");
    assert_eq!(pair.attribute("data-moves"), Some("4"));
    let unused = arrow("staff-engineer", "principal-software-engineer");
    assert_eq!(unused.attribute("data-moves"), Some("0"));
    assert_eq!(unused.attribute("data-unused"), Some("true"));
    let dash = unused
        .descendants()
        .find(|n| n.has_tag_name("path"))
        .and_then(|p| p.attribute("stroke-dasharray"));
    assert_eq!(dash, Some("2 3"));
    assert!(!render_svg(framework, &ChartOptions::default()).contains("data-moves"));
}
