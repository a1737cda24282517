//! Files that must load: the built-in framework and small hand-written ones.

use climb_framework::{BUILTIN_SOURCE, check, load};

#[test]
fn the_built_in_framework_checks_without_errors_or_warnings() {
    let report = check(BUILTIN_SOURCE.as_bytes());
    assert!(
        report.diagnostics().is_empty(),
        "{:#?}",
        report.diagnostics()
    );
    assert!(report.framework().is_some());
}

#[test]
fn load_returns_the_framework_of_a_valid_file() {
    let framework = load(BUILTIN_SOURCE).expect("the built-in file loads");
    assert!(!framework.roles().is_empty());
}

use climb_framework::{Code, TransitionKind};

use crate::support::{BASE, base_with, codes_of};

#[test]
fn the_small_base_fixture_is_clean() {
    assert_eq!(codes_of(BASE), vec![]);
}

#[test]
fn reports_default_to_the_stream_track_and_can_be_overridden_with_a_warning() {
    let framework = load(BASE).expect("loads");
    assert!(!framework.role("engineer").expect("engineer").reports);
    assert!(framework.role("manager").expect("manager").reports);

    let source = base_with(
        "[[roles]]\nid = \"tech-lead\"\ntitle = \"Tech Lead\"\nstream = \"engineering\"\nseniority = 3\nentry = true\nreports = true\n",
    );
    let report = check(source.as_bytes());
    assert_eq!(report.warning_count(), 1);
    let framework = report
        .into_framework()
        .expect("warnings do not block loading");
    assert!(framework.role("tech-lead").expect("tech-lead").reports);
}

#[test]
fn entries_keep_the_order_they_were_written_in() {
    let source = base_with(
        "[[competencies]]\nid = \"zeal\"\nname = \"Zeal\"\nlevels = [\"some\", \"more\"]\n\n\
         [[competencies]]\nid = \"craft\"\nname = \"Craft\"\nlevels = [\"some\"]\n\n\
         [[roles]]\nid = \"aaa-first-alphabetically\"\ntitle = \"A\"\nstream = \"engineering\"\nseniority = 3\nentry = true\nexpectations = { zeal = 2, craft = 1 }\n",
    );
    let framework = load(&source).expect("loads");
    let roles: Vec<&str> = framework.roles().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        roles,
        [
            "engineer",
            "senior-engineer",
            "manager",
            "aaa-first-alphabetically"
        ]
    );
    let competencies: Vec<&str> = framework
        .competencies()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(competencies, ["zeal", "craft"]);
    let role = framework.role("aaa-first-alphabetically").expect("role");
    let expected: Vec<(&str, u32)> = role
        .expectations
        .iter()
        .map(|e| (e.competency.as_str(), e.level))
        .collect();
    assert_eq!(expected, [("zeal", 2), ("craft", 1)]);
}

#[test]
fn arrays_of_inline_tables_load_like_table_headers() {
    let source = r#"
framework = { name = "Inline", version = "2" }
streams = [{ id = "engineering", name = "Engineering", track = "ic" }]
roles = [
  { id = "engineer", title = "Engineer", stream = "engineering", seniority = 1, entry = true },
  { id = "senior-engineer", title = "Senior Engineer", stream = "engineering", seniority = 2 },
]
transitions = [{ from = "engineer", to = "senior-engineer", kind = "promotion" }]
"#;
    let framework = load(source).expect("loads");
    assert_eq!(framework.meta().version, "2");
    assert_eq!(framework.transitions()[0].kind, TransitionKind::Promotion);
}

#[test]
fn every_field_of_the_format_is_read_into_the_model() {
    let source = base_with(
        r#"[[competencies]]
id = "delivery"
name = "Delivery"
levels = ["ships", "leads"]

[[roles]]
id = "principal"
title = "Principal"
stream = "engineering"
seniority = 4
hire_only = true
summary = "Sets direction."
responsibilities = ["Shape the system", "Grow engineers"]
expectations = { delivery = 2 }

[[designations]]
id = "team-lead"
title = "Team Lead"
scope = "project"
summary = "Leads one project."
responsibilities = ["Coordinate the team"]
eligible_streams = ["engineering"]
usual_min_seniority = 2

[[renames]]
from = "tech-lead"
to = "senior-engineer"
"#,
    );
    let framework = load(&source).expect("loads");
    let principal = framework.role("principal").expect("principal");
    assert!(principal.hire_only && !principal.entry);
    assert_eq!(principal.seniority.get(), 4);
    assert_eq!(principal.summary.as_deref(), Some("Sets direction."));
    assert_eq!(principal.responsibilities.len(), 2);
    let lead = framework.designation("team-lead").expect("designation");
    assert_eq!(lead.usual_min_seniority.map(|s| s.get()), Some(2));
    assert_eq!(lead.eligible_streams.as_ref().map(Vec::len), Some(1));
    assert_eq!(framework.renames()[0].to.as_str(), "senior-engineer");
    assert_eq!(
        framework
            .competency("delivery")
            .expect("competency")
            .levels
            .len(),
        2
    );
}

#[test]
fn load_hands_back_the_report_when_the_file_has_errors() {
    let report = load("[framework]\nname = \"x\"\n").expect_err("version is missing");
    assert_eq!(report.error_count(), 1);
    assert_eq!(report.diagnostics()[0].code, Code::E002);
    assert!(report.framework().is_none());
}
