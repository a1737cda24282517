//! `climb admin create --email E --name N [--password P]`: creates an
//! administrator and prints a new API token for it as the last line.
//! `climb admin scim-token --name NAME`: issues a SCIM token for an
//! identity provider and prints it as the last line.

use std::process::ExitCode;

use anyhow::Context;
use climb_store::Store;

use crate::args::{AdminArgs, AdminCommand, GlobalArgs};
use crate::commands::serve::{db_url, runtime};

/// Runs an `admin` subcommand.
pub(crate) fn run(global: &GlobalArgs, args: &AdminArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        AdminCommand::Create(create) => {
            let url = db_url(global);
            runtime()?.block_on(async {
                let store = Store::open(&url)
                    .await
                    .context("cannot open the database")?;
                let (account, token) = climb_server::create_admin(
                    &store,
                    &create.email,
                    &create.name,
                    create.password.clone(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))
                .context("cannot create the administrator")?;
                match account.person {
                    Some(person) => println!(
                        "created administrator {} <{}> (person {person})",
                        account.name, account.email
                    ),
                    None => println!("created administrator {} <{}>", account.name, account.email),
                }
                println!("API token (shown once; send it as `Authorization: Bearer TOKEN`):");
                println!("{token}");
                Ok(ExitCode::SUCCESS)
            })
        }
        AdminCommand::ScimToken(scim) => {
            let url = db_url(global);
            runtime()?.block_on(async {
                let store = Store::open(&url)
                    .await
                    .context("cannot open the database")?;
                let (token, secret) = climb_server::scim::create_token(&store, &scim.name)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))
                    .context("cannot issue the SCIM token")?;
                println!("issued SCIM token {} for `{}`", token.id.0, token.name);
                println!("SCIM token (shown once; the provider sends it as `Authorization: Bearer TOKEN` to /scim/v2):");
                println!("{secret}");
                Ok(ExitCode::SUCCESS)
            })
        }
    }
}
