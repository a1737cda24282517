//! Answers of `Analysis` on small framework files, in byte offsets.

use climb_lsp::analysis::{Analysis, IdKind, RenameError, SymbolKind};

const FILE: &str = "[framework]\nname = \"F\"\nversion = \"1\"\n\n[[streams]]\nid = \"eng\"\nname = \"Engineering\"\ntrack = \"ic\"\n\n[[competencies]]\nid = \"craft\"\nname = \"Craft\"\nlevels = [\"Learns\", \"Teaches\"]\n\n[[roles]]\nid = \"dev\"\ntitle = \"Developer\"\nstream = \"eng\"\nseniority = 1\nentry = true\nexpectations = { craft = 1 }\n\n[[roles]]\nid = \"lead-dev\"\ntitle = \"Lead Developer\"\nstream = \"eng\"\nseniority = 2\nexpectations = { craft = 2 }\n\n[[transitions]]\nfrom = 'dev'\nto = \"lead-dev\"\nkind = \"promotion\"\n\n[[renames]]\nfrom = \"senior-dev\"\nto = \"lead-dev\"\n";

/// The byte offset of the `nth` occurrence of `needle`, plus `shift`.
fn at(text: &str, needle: &str, nth: usize, shift: usize) -> usize {
    text.match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i + shift)
        .unwrap_or_else(|| panic!("no occurrence {nth} of `{needle}`"))
}

fn span(text: &str, needle: &str, nth: usize) -> std::ops::Range<usize> {
    let start = at(text, needle, nth, 0);
    start..start + needle.len()
}

#[test]
fn the_file_checks_clean() {
    assert_eq!(Analysis::new(FILE).diagnostics(), &[]);
}

#[test]
fn every_reference_kind_resolves_to_its_definition() {
    let analysis = Analysis::new(FILE);
    // A role from a transition (in a literal string) and from a rename.
    let dev_definition = vec![span(FILE, "dev", 0)];
    assert_eq!(analysis.definition(at(FILE, "'dev'", 0, 2)), dev_definition);
    let lead = vec![span(FILE, "lead-dev", 0)];
    assert_eq!(
        analysis.definition(at(FILE, "to = \"lead-dev\"", 1, 8)),
        lead
    );
    // A stream from a role, a competency from an expectation key.
    assert_eq!(
        analysis.definition(at(FILE, "stream = \"eng\"", 1, 11)),
        vec![span(FILE, "eng", 0)]
    );
    assert_eq!(
        analysis.definition(at(FILE, "craft = 2", 0, 0)),
        vec![span(FILE, "craft", 0)]
    );
    // A rename's `from` names an older role: nothing here.
    assert_eq!(analysis.definition(at(FILE, "senior-dev", 0, 1)), vec![]);
    // A cursor right after an id is still on it.
    assert_eq!(analysis.definition(at(FILE, "lead-dev\"", 1, 8)), lead);
}

#[test]
fn references_list_every_occurrence_in_file_order() {
    let analysis = Analysis::new(FILE);
    let lead = at(FILE, "lead-dev", 0, 0);
    let all = analysis.references(lead, true);
    assert_eq!(
        all,
        vec![
            span(FILE, "lead-dev", 0),
            span(FILE, "lead-dev", 1),
            span(FILE, "lead-dev", 2)
        ]
    );
    assert_eq!(analysis.references(lead, false).len(), 2);
    let index = analysis.index();
    assert_eq!(index.occurrences(IdKind::Stream, "eng").count(), 3);
    assert!(index.is_defined(IdKind::Competency, "craft"));
    assert!(!index.is_defined(IdKind::Role, "senior-dev"));
}

#[test]
fn hover_on_a_role_says_where_it_leads_and_what_it_expects() {
    let analysis = Analysis::new(FILE);
    let (range, text) = analysis
        .hover(at(FILE, "'dev'", 0, 1))
        .expect("a hover on a role reference");
    assert_eq!(range, span(FILE, "dev", 2));
    assert!(text.contains("**Developer** (`dev`)"), "{text}");
    assert!(
        text.contains("stream Engineering (`eng`) · seniority 1 · entry"),
        "{text}"
    );
    assert!(text.contains("Leads to: `lead-dev` (promotion)"), "{text}");
    assert!(text.contains("- Craft at level 1: Learns"), "{text}");
    let (_, text) = analysis
        .hover(at(FILE, "lead-dev", 0, 0))
        .expect("a hover on a role definition");
    assert!(text.contains("Leads nowhere."), "{text}");
}

#[test]
fn rename_edits_inside_the_quotes_and_keeps_their_style() {
    let analysis = Analysis::new(FILE);
    let edits = analysis
        .rename(at(FILE, "dev", 0, 0), "junior-dev")
        .expect("a valid rename");
    let mut renamed = FILE.to_owned();
    for (span, text) in edits.iter().rev() {
        renamed.replace_range(span.clone(), text);
    }
    assert!(renamed.contains("id = \"junior-dev\""));
    assert!(renamed.contains("from = 'junior-dev'"));
    assert_eq!(Analysis::new(&renamed).diagnostics(), &[]);

    let competency = at(FILE, "craft = 1", 0, 0);
    let edits = analysis
        .rename(competency, "skill")
        .expect("a valid rename");
    assert_eq!(edits.len(), 3);
}

#[test]
fn rename_refuses_bad_and_taken_ids() {
    let analysis = Analysis::new(FILE);
    let dev = at(FILE, "dev", 0, 0);
    assert_eq!(
        analysis.rename(dev, "Dev Ops"),
        Err(RenameError::InvalidId("Dev Ops".to_owned()))
    );
    assert_eq!(
        analysis.rename(dev, "lead-dev"),
        Err(RenameError::Taken(IdKind::Role, "lead-dev".to_owned()))
    );
    assert_eq!(analysis.rename(0, "x"), Err(RenameError::NoId));
}

#[test]
fn symbols_nest_roles_under_their_stream() {
    let analysis = Analysis::new(FILE);
    let symbols = analysis.symbols();
    let top: Vec<(&str, SymbolKind)> = symbols.iter().map(|s| (s.name.as_str(), s.kind)).collect();
    assert_eq!(
        top,
        [
            ("eng", SymbolKind::Stream),
            ("craft", SymbolKind::Competency)
        ]
    );
    let roles: Vec<&str> = symbols[0]
        .children
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(roles, ["dev", "lead-dev"]);
    let lead = &symbols[0].children[1];
    assert!(FILE[lead.extent.clone()].starts_with("[[roles]]\nid = \"lead-dev\""));
    assert!(FILE[lead.extent.clone()].ends_with("{ craft = 2 }"));
    assert_eq!(lead.detail.as_deref(), Some("Lead Developer"));
}

#[test]
fn suggestions_become_quick_fixes() {
    let broken = FILE
        .replacen("to = \"lead-dev\"", "to = \"lead-dve\"", 1)
        .replacen("track = \"ic\"", "track = \"icc\"", 1)
        .replacen("id = \"eng\"", "id = \"Eng Team\"", 1);
    let analysis = Analysis::new(&broken);
    let fix = |needle: &str| {
        let span = span(&broken, needle, 0);
        analysis
            .quick_fixes(span.clone())
            .into_iter()
            .find(|f| f.span.start >= span.start && f.span.end <= span.end)
            .unwrap_or_else(|| panic!("no fix at `{needle}`: {:?}", analysis.diagnostics()))
    };
    let role = fix("\"lead-dve\"");
    assert_eq!(role.title, "Replace with `lead-dev`");
    assert_eq!(&broken[role.span.clone()], "lead-dve");
    assert_eq!(fix("\"icc\"").replacement, "ic");
    assert_eq!(fix("\"Eng Team\"").replacement, "eng-team");
    // No fix where no suggestion was made.
    assert!(analysis.quick_fixes(0..5).is_empty());
}
