//! One snapshot per diagnostic code: a small broken file and its rendered
//! report, so that the message, the caret and the help are reviewed.

use climb_framework::Code;

use crate::support::{base_with, codes_of, rendered};

/// Checks that `source` reports exactly `expected`, and snapshots its text.
macro_rules! assert_diagnostics {
    ($name:literal, $source:expr, $expected:expr) => {{
        let source: &str = &$source;
        assert_eq!(codes_of(source), $expected, "\n{}", rendered(source));
        insta::assert_snapshot!($name, rendered(source));
    }};
}

#[test]
fn invalid_toml_is_e001_at_the_syntax_error() {
    assert_diagnostics!(
        "e001_invalid_toml",
        "[framework\nname = \"Test\"\n",
        vec![Code::E001]
    );
}

#[test]
fn invalid_utf8_is_e001_at_the_first_bad_byte() {
    let mut bytes = b"[framework]\nname = \"Caf".to_vec();
    bytes.extend_from_slice(&[0xE9, b'"', b'\n']);
    let report = climb_framework::check(&bytes);
    assert_eq!(crate::support::codes(&report), vec![Code::E001]);
    let text = climb_framework::diagnostic::render_text(&report, "framework.toml", false);
    insta::assert_snapshot!("e001_invalid_utf8", text);
}

#[test]
fn an_unknown_key_is_e002_with_a_did_you_mean() {
    assert_diagnostics!(
        "e002_unknown_key",
        base_with(
            "[[roles]]\nid = \"staff-engineer\"\ntilte = \"Staff Engineer\"\nstream = \"engineering\"\nseniority = 3\nentry = true\n"
        ),
        vec![Code::E002, Code::E002]
    );
}

#[test]
fn a_missing_required_key_is_e002_at_the_table_header() {
    assert_diagnostics!(
        "e002_missing_key",
        base_with("[[streams]]\nid = \"architecture\"\ntrack = \"ic\"\n"),
        vec![Code::E002, Code::W002]
    );
}

#[test]
fn values_of_the_wrong_type_or_range_are_e002() {
    assert_diagnostics!(
        "e002_wrong_values",
        base_with(
            "[[roles]]\nid = \"Staff Engineer\"\ntitle = \"Staff Engineer\"\nstream = \"engineering\"\nseniority = 101\nentry = \"yes\"\n\n[[streams]]\nid = \"ops\"\nname = \"Operations\"\ntrack = \"managment\"\n"
        ),
        vec![Code::E002, Code::E002, Code::E002, Code::W002, Code::E002]
    );
}

#[test]
fn a_duplicate_role_id_is_e003_pointing_at_both_definitions() {
    assert_diagnostics!(
        "e003_duplicate_id",
        base_with(
            "[[roles]]\nid = \"senior-engineer\"\ntitle = \"Senior Engineer II\"\nstream = \"engineering\"\nseniority = 3\nentry = true\n"
        ),
        vec![Code::E003]
    );
}

#[test]
fn an_unknown_stream_is_e004_with_a_did_you_mean() {
    assert_diagnostics!(
        "e004_unknown_stream",
        base_with(
            "[[roles]]\nid = \"staff-engineer\"\ntitle = \"Staff Engineer\"\nstream = \"enginering\"\nseniority = 3\nentry = true\n"
        ),
        vec![Code::E004]
    );
}

#[test]
fn a_transition_from_an_unknown_role_is_e004() {
    assert_diagnostics!(
        "e004_unknown_role",
        base_with(
            "[[transitions]]\nfrom = \"senior-enginer\"\nto = \"manager\"\nkind = \"lateral\"\n"
        ),
        vec![Code::E004]
    );
}

#[test]
fn promotion_into_a_hire_only_role_is_refused() {
    assert_diagnostics!(
        "e005_hire_only",
        base_with(
            "[[streams]]\nid = \"executive\"\nname = \"Executive\"\ntrack = \"executive\"\n\n[[roles]]\nid = \"cto\"\ntitle = \"CTO\"\nstream = \"executive\"\nseniority = 9\nhire_only = true\n\n[[transitions]]\nfrom = \"manager\"\nto = \"cto\"\nkind = \"lateral\"\n"
        ),
        vec![Code::E005]
    );
}

#[test]
fn a_promotion_that_does_not_raise_seniority_is_e006() {
    assert_diagnostics!(
        "e006_promotion_down",
        base_with(
            "[[transitions]]\nfrom = \"senior-engineer\"\nto = \"engineer\"\nkind = \"promotion\"\n"
        ),
        vec![Code::E006]
    );
}

#[test]
fn a_lateral_move_within_one_stream_is_e007() {
    assert_diagnostics!(
        "e007_lateral_same_stream",
        base_with(
            "[[roles]]\nid = \"staff-engineer\"\ntitle = \"Staff Engineer\"\nstream = \"engineering\"\nseniority = 3\n\n[[transitions]]\nfrom = \"senior-engineer\"\nto = \"staff-engineer\"\nkind = \"lateral\"\n"
        ),
        vec![Code::E007]
    );
}

#[test]
fn the_same_transition_twice_is_e008_whatever_its_kind() {
    assert_diagnostics!(
        "e008_duplicate_transition",
        base_with(
            "[[transitions]]\nfrom = \"senior-engineer\"\nto = \"manager\"\nkind = \"lateral\"\n"
        ),
        vec![Code::E008]
    );
    let promotion_then_lateral = base_with(
        "[[roles]]\nid = \"lead\"\ntitle = \"Lead\"\nstream = \"management\"\nseniority = 3\n\n[[transitions]]\nfrom = \"manager\"\nto = \"lead\"\nkind = \"promotion\"\n\n[[transitions]]\nfrom = \"manager\"\nto = \"lead\"\nkind = \"lateral\"\n",
    );
    assert!(codes_of(&promotion_then_lateral).contains(&Code::E008));
}

#[test]
fn an_expectation_beyond_the_competency_levels_is_e009() {
    assert_diagnostics!(
        "e009_level_out_of_range",
        base_with(
            "[[competencies]]\nid = \"delivery\"\nname = \"Delivery\"\nlevels = [\"ships\", \"leads\", \"shapes\"]\n\n[[roles]]\nid = \"staff-engineer\"\ntitle = \"Staff Engineer\"\nstream = \"engineering\"\nseniority = 3\nentry = true\nexpectations = { delivery = 5 }\n"
        ),
        vec![Code::E009]
    );
}

#[test]
fn a_rename_into_a_missing_role_is_e010() {
    assert_diagnostics!(
        "e010_rename_target",
        base_with("[[renames]]\nfrom = \"tech-lead-manager\"\nto = \"manger\"\n"),
        vec![Code::E010]
    );
}

#[test]
fn a_role_nothing_leads_into_is_w001() {
    assert_diagnostics!(
        "w001_unreachable",
        base_with(
            "[[roles]]\nid = \"staff-engineer\"\ntitle = \"Staff Engineer\"\nstream = \"engineering\"\nseniority = 3\n"
        ),
        vec![Code::W001]
    );
}

#[test]
fn a_stream_without_roles_is_w002() {
    assert_diagnostics!(
        "w002_empty_stream",
        base_with("[[streams]]\nid = \"architecture\"\nname = \"Architecture\"\ntrack = \"ic\"\n"),
        vec![Code::W002]
    );
}

#[test]
fn reports_on_an_individual_contributor_role_is_w003() {
    assert_diagnostics!(
        "w003_reports_in_ic",
        base_with(
            "[[roles]]\nid = \"staff-engineer\"\ntitle = \"Staff Engineer\"\nstream = \"engineering\"\nseniority = 3\nentry = true\nreports = true\n"
        ),
        vec![Code::W003]
    );
}

#[test]
fn a_manager_without_reports_is_w003() {
    assert_diagnostics!(
        "w003_no_reports_in_management",
        base_with(
            "[[roles]]\nid = \"senior-manager\"\ntitle = \"Senior Manager\"\nstream = \"management\"\nseniority = 3\nentry = true\nreports = false\n"
        ),
        vec![Code::W003]
    );
}

#[test]
fn an_unknown_eligible_stream_of_a_designation_is_e004() {
    assert_diagnostics!(
        "e004_unknown_designation_stream",
        base_with(
            "[[designations]]\nid = \"team-lead\"\ntitle = \"Team Lead\"\nscope = \"project\"\neligible_streams = [\"engineering\", \"managment\"]\nusual_min_seniority = 2\n"
        ),
        vec![Code::E004]
    );
}

#[test]
fn a_file_without_a_framework_table_is_e002_at_its_start() {
    assert_diagnostics!(
        "e002_no_framework_table",
        "[[streams]]\nid = \"engineering\"\nname = \"Engineering\"\ntrack = \"ic\"\n",
        vec![Code::E002, Code::W002]
    );
}

#[test]
fn duplicate_stream_competency_and_designation_ids_are_e003() {
    let source = base_with(
        "[[streams]]\nid = \"engineering\"\nname = \"Again\"\ntrack = \"ic\"\n\n\
         [[competencies]]\nid = \"delivery\"\nname = \"Delivery\"\nlevels = [\"one\"]\n\n\
         [[competencies]]\nid = \"delivery\"\nname = \"Delivery again\"\nlevels = [\"one\"]\n\n\
         [[designations]]\nid = \"team-lead\"\ntitle = \"Team Lead\"\nscope = \"project\"\n\n\
         [[designations]]\nid = \"team-lead\"\ntitle = \"Team Lead again\"\nscope = \"project\"\n",
    );
    assert_eq!(codes_of(&source), vec![Code::E003, Code::E003, Code::E003]);
}

#[test]
fn top_level_tables_of_the_wrong_shape_are_e002() {
    let source = "[framework]\nname = \"x\"\nversion = \"1\"\n\n[streams]\nid = \"engineering\"\n\n[meta]\nowner = \"me\"\n";
    let text = rendered(source);
    assert_eq!(codes_of(source), vec![Code::E002, Code::E002], "{text}");
    assert!(
        text.contains("`streams` must be an array of tables"),
        "{text}"
    );
    assert!(text.contains("unknown key `meta` in the file"), "{text}");
}

#[test]
fn levels_must_be_at_least_one_and_competencies_need_a_level() {
    let source = base_with(
        "[[competencies]]\nid = \"delivery\"\nname = \"Delivery\"\nlevels = []\n\n\
         [[roles]]\nid = \"staff-engineer\"\ntitle = \"Staff\"\nstream = \"engineering\"\nseniority = 3\nentry = true\nexpectations = { delivery = 0 }\n",
    );
    let text = rendered(&source);
    assert_eq!(codes_of(&source), vec![Code::E002, Code::E002], "{text}");
    assert!(text.contains("must hold at least one level"), "{text}");
    assert!(text.contains("must be 1 or more, not 0"), "{text}");
}

#[test]
fn a_transition_from_an_unknown_role_into_a_hire_only_one_reports_both() {
    let source = base_with(
        "[[roles]]\nid = \"cto\"\ntitle = \"CTO\"\nstream = \"management\"\nseniority = 9\nhire_only = true\n\n\
         [[transitions]]\nfrom = \"nobody\"\nto = \"cto\"\nkind = \"promotion\"\n",
    );
    assert_eq!(codes_of(&source), vec![Code::E004, Code::E005]);
}
