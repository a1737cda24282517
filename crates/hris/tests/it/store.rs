//! Through a real SQLite store (in memory): export → import round trips,
//! all-or-nothing and `skip_invalid` imports, and blank cells on re-import.

use climb_hris::demo::{generate, write_demo_csv};
use climb_hris::{HrisError, ImportOptions, NoProgress, export, import_reader};
use climb_store::Store;

async fn empty_store() -> Store {
    Store::open("sqlite::memory:")
        .await
        .expect("an in-memory store opens")
}

async fn import(
    store: &Store,
    csv: &[u8],
    skip_invalid: bool,
) -> Result<climb_hris::ImportReport, HrisError> {
    let options = ImportOptions {
        skip_invalid,
        ..ImportOptions::default()
    };
    import_reader(
        store,
        climb_framework::builtin(),
        csv,
        None,
        options,
        &NoProgress,
    )
    .await
}

async fn exported(store: &Store) -> String {
    let mut out = Vec::new();
    export(store, &mut out, &NoProgress).await.expect("exports");
    String::from_utf8(out).expect("utf-8")
}

#[tokio::test]
async fn a_demo_company_survives_import_export_and_reimport_unchanged() {
    let company = generate(climb_framework::builtin(), 400, 9);
    let mut csv = Vec::new();
    write_demo_csv(&company, &mut csv).expect("writes");
    let original = String::from_utf8(csv).expect("utf-8");

    let store = empty_store().await;
    let report = import(&store, original.as_bytes(), false)
        .await
        .expect("imports");
    assert_eq!(
        (report.rows_read, report.imported, report.summary.created),
        (400, 400, 400)
    );
    let first = exported(&store).await;
    assert_eq!(first, original);

    // Into another empty store: the same export again.
    let other = empty_store().await;
    import(&other, first.as_bytes(), false)
        .await
        .expect("imports");
    assert_eq!(exported(&other).await, first);

    // Into the same store: nobody changes.
    let again = import(&store, first.as_bytes(), false)
        .await
        .expect("re-imports");
    assert_eq!(
        (
            again.summary.created,
            again.summary.updated,
            again.summary.unchanged
        ),
        (0, 0, 400)
    );
    assert_eq!(exported(&store).await, first);
}

#[tokio::test]
async fn a_file_with_a_bad_row_writes_nothing_unless_skip_invalid() {
    let csv = "email,name,role,manager_email\n\
        em@example.com,Em,engineering-manager,\n\
        ada@example.com,Ada,software-engineer,em@example.com\n\
        bad@example.com,Bad,wizard,em@example.com\n\
        dep@example.com,Dep,software-engineer,bad@example.com\n";
    let store = empty_store().await;
    let err = import(&store, csv.as_bytes(), false)
        .await
        .expect_err("refused");
    let HrisError::InvalidRows(rows) = err else {
        panic!("expected invalid rows, got {err:?}");
    };
    let codes: Vec<_> = rows.iter().map(|e| (e.row, e.code())).collect();
    assert_eq!(codes, [(3, "unknown_role"), (4, "manager_row_rejected")]);
    assert_eq!(exported(&store).await.lines().count(), 1, "only the header");

    let report = import(&store, csv.as_bytes(), true)
        .await
        .expect("imports the good rows");
    assert_eq!(report.imported, 2);
    assert_eq!(report.skipped.len(), 2);
    let out = exported(&store).await;
    assert!(
        out.contains("ada@example.com") && !out.contains("dep@example.com"),
        "{out}"
    );
}

#[tokio::test]
async fn blank_cells_on_reimport_leave_the_stored_values() {
    let store = empty_store().await;
    import(
        &store,
        b"email,name,role,manager_email,start_date\nem@example.com,Em,engineering-manager,,2020-01-01\nada@example.com,Ada Lovelace,software-engineer,em@example.com,2021-02-03\n",
        false,
    )
    .await
    .expect("imports");
    let report = import(&store, b"email,name,role,manager_email,start_date,status,end_date\nada@example.com,,senior-software-engineer,,,,\n", false)
        .await
        .expect("re-imports");
    assert_eq!(report.summary.updated, 1);
    let out = exported(&store).await;
    assert!(
        out.contains("ada@example.com,Ada Lovelace,senior-software-engineer,em@example.com,2021-02-03,active,"),
        "{out}"
    );
}
