//! `climb demo generate` (a deterministic demo company as CSV) and the demo
//! data `climb serve --demo` puts into an empty database, with logins.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use climb_framework::Framework;
use climb_hris::demo;
use climb_people::{Actor, ActorKind, Email, Person, PersonId};
use climb_store::{NewAccount, Store};

use crate::args::{DemoArgs, DemoCommand, GlobalArgs};
use crate::framework_source;
use crate::output::EXIT_OK;

/// People in the company `climb serve --demo` generates.
const DEMO_PEOPLE: usize = 300;
/// Seed of the demo company: the same company every time.
const DEMO_SEED: u64 = 2026;
/// The password of the demo logins. The demo database is for trying climb
/// out, never for real people.
pub(crate) const DEMO_PASSWORD: &str = "climb-demo";

pub(crate) fn run(global: &GlobalArgs, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        DemoCommand::Generate(generate) => {
            let framework = framework_source::selected(global)?;
            let company = demo::generate(&framework, generate.people, generate.seed);
            let rows = match &generate.output {
                Some(path) => {
                    let file = File::create(path)
                        .with_context(|| format!("cannot create `{}`", path.display()))?;
                    let mut writer = BufWriter::new(file);
                    let rows = demo::write_demo_csv(&company, &mut writer)?;
                    writer.flush()?;
                    rows
                }
                None => {
                    let mut writer = BufWriter::new(std::io::stdout().lock());
                    let rows = demo::write_demo_csv(&company, &mut writer)?;
                    writer.flush()?;
                    rows
                }
            };
            if generate.output.is_some() {
                eprintln!("generated {rows} people");
            }
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

/// A demo login to print at start.
#[derive(Debug)]
pub(crate) struct DemoLogin {
    pub(crate) what: &'static str,
    pub(crate) email: String,
    pub(crate) name: String,
}

/// Fills an empty database with the demo company and creates logins for an
/// administrator, a manager and an engineer who reports to them. Returns
/// `None` when the database already holds people (nothing is changed).
pub(crate) async fn seed_if_empty(
    store: &Store,
    framework: &Framework,
) -> anyhow::Result<Option<Vec<DemoLogin>>> {
    store
        .migrate_accounts()
        .await
        .context("cannot prepare the accounts tables")?;
    if store.org().await?.people_count() > 0 {
        return Ok(None);
    }
    let company = demo::generate(framework, DEMO_PEOPLE, DEMO_SEED);
    demo::load(store, framework, &company)
        .await
        .context("cannot load the demo company")?;

    let org = store.org().await?;
    let has_reports = |p: &Person| !org.reports(p.id).is_empty();
    // A manager with engineers below them, and one of those engineers.
    let manager = org
        .people()
        .filter(|p| p.is_active() && has_reports(p))
        .filter(|p| {
            framework
                .role(p.role.as_str())
                .is_some_and(|r| r.seniority.get() <= 4)
        })
        .min_by_key(|p| p.id)
        .cloned();
    let engineer = manager.as_ref().and_then(|m| {
        org.reports(m.id)
            .into_iter()
            .filter_map(|id| org.person(id))
            .find(|p| p.is_active() && !has_reports(p))
            .cloned()
    });
    drop(org);
    if let (Some(m), Some(e)) = (&manager, &engineer) {
        super::demo_one_on_ones::seed(store, m.id, e.id)
            .await
            .context("cannot add the demo one-on-ones")?;
        super::demo_reviews::seed(store, framework, m.id, e.id)
            .await
            .context("cannot seed the demo reviews")?;
    }

    let hash = climb_server::auth::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
    let admin = Email::parse("admin@example.com").map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut logins = vec![
        create_login(
            store,
            &hash,
            "administrator",
            admin,
            "Demo Administrator",
            None,
            ActorKind::Admin,
        )
        .await?,
    ];
    for (what, person) in [("manager", manager), ("engineer", engineer)] {
        if let Some(person) = person {
            let email = person.email.clone();
            logins.push(
                create_login(
                    store,
                    &hash,
                    what,
                    email,
                    &person.name,
                    Some(person.id),
                    ActorKind::Employee,
                )
                .await?,
            );
        }
    }
    Ok(Some(logins))
}

async fn create_login(
    store: &Store,
    password_hash: &str,
    what: &'static str,
    email: Email,
    name: &str,
    person: Option<PersonId>,
    kind: ActorKind,
) -> anyhow::Result<DemoLogin> {
    let account = store
        .create_account(
            Actor::admin(None),
            NewAccount {
                email,
                name: name.to_owned(),
                person,
                kind,
                password_hash: Some(password_hash.to_owned()),
            },
        )
        .await
        .context("cannot create a demo login")?;
    Ok(DemoLogin {
        what,
        email: account.email.to_string(),
        name: account.name,
    })
}
