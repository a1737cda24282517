//! `climb admin create --email E --name N [--password P]`: creates an
//! administrator and prints a new API token for it as the last line.
//! `climb admin scim-token --name NAME`: issues a SCIM token for an
//! identity provider and prints it as the last line.
//! `climb admin send-digest`: queues this week's digest for everyone who
//! has not had it, whatever the day, and sends the mail that is due through
//! the SMTP server of the mail options.

use std::process::ExitCode;

use anyhow::Context;
use climb_store::Store;

use crate::args::{AdminArgs, AdminCommand, GlobalArgs};
use crate::commands::serve::{db_url, framework, mail_config, runtime};

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
        AdminCommand::SendDigest(send) => {
            let mail = mail_config(&send.mail, send.public_url.as_deref())?.context(
                "send-digest needs an SMTP server: --smtp-host (or CLIMB_SMTP_HOST) with --mail-from and --public-url",
            )?;
            let url = db_url(global);
            runtime()?.block_on(async {
                let store = std::sync::Arc::new(
                    Store::open(&url)
                        .await
                        .context("cannot open the database")?,
                );
                let framework = framework(global, &store).await?;
                let state = climb_server::AppState::new(std::sync::Arc::clone(&store), framework)
                    .await
                    .context("cannot prepare the accounts tables")?;
                store.set_mail_enabled(true);
                let queued = climb_server::mail::queue_digests(&state, chrono::Utc::now(), true)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))
                    .context("cannot queue the digests")?;
                let server = mail.server();
                let sent = climb_server::mail::send_due(state, mail)
                    .await
                    .with_context(|| format!("cannot send mail through {server}"))?;
                println!("queued {queued} digest(s); sent {sent} mail(s) through {server}");
                Ok(ExitCode::SUCCESS)
            })
        }
    }
}
