//! `climb serve`: opens the store, picks the framework in force, starts the
//! webhook delivery worker and, when an SMTP server is configured, the mail
//! worker, and serves the web pages and the JSON API until Ctrl-C or
//! SIGTERM (requests in flight finish, then the workers record the attempts
//! they have in flight).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use climb_framework::Framework;
use climb_server::{AppState, webhook_worker};
use climb_store::Store;

use crate::args::{GlobalArgs, MailArgs, ServeArgs, SmtpTls, Switch};
use crate::commands::demo;
use crate::framework_source;

/// The database URL of the global options, or the default file.
pub(crate) fn db_url(global: &GlobalArgs) -> String {
    global
        .db
        .clone()
        .unwrap_or_else(|| "sqlite://climb.db".to_owned())
}

/// A runtime for commands that talk to the store.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Logs to stderr, filtered by `RUST_LOG` (default: info for climb, warn otherwise).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(
            "warn,climb=info,climb_server=info,climb_store=info,tower_http=info",
        )
    });
    // Colour only for a person watching: a log file, a pipe or a service
    // manager's journal gets plain text, and NO_COLOR is honoured.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The framework in force: `--framework` when given, else the version
/// loaded into the database, else the built-in one.
pub(crate) async fn framework(global: &GlobalArgs, store: &Store) -> anyhow::Result<Framework> {
    if global.framework.is_some() {
        return Ok(framework_source::selected(global)?.into_owned());
    }
    match store.active_framework().await? {
        Some((version, source)) => climb_framework::load(&source).map_err(|report| {
            anyhow::anyhow!(
                "the framework version {} in the database does not check ({} error(s))",
                version.version,
                report.error_count()
            )
        }),
        None => Ok(climb_framework::builtin().clone()),
    }
}

/// Runs the server.
pub(crate) fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    if args.session_idle > args.session_max {
        anyhow::bail!(
            "--session-idle ({}s) is longer than --session-max ({}s): a session cannot stay idle longer than it lasts",
            args.session_idle.as_secs(),
            args.session_max.as_secs()
        );
    }
    let limits = climb_server::auth::SessionLimits {
        idle: args.session_idle,
        absolute: args.session_max,
    };
    let sso = oidc_settings(args)?;
    let mail = mail_config(&args.mail, args.public_url.as_deref())?;
    init_tracing();
    let url = db_url(global);
    runtime()?.block_on(async {
        let store = Arc::new(
            Store::open(&url)
                .await
                .context("cannot open the database")?,
        );
        store.set_write_batch_limit(usize::from(args.write_batch));
        let framework = framework(global, &store).await?;
        let demo_logins = if args.demo {
            let seeded = demo::seed_if_empty(&store, &framework).await?;
            if seeded.is_none() {
                println!("the database already holds people: --demo left it as it is");
            }
            seeded
        } else {
            None
        };
        let mut state = AppState::new(Arc::clone(&store), framework)
            .await
            .context("cannot prepare the accounts tables")?
            .with_session_limits(limits)
            .with_password_login(args.password_login == Switch::On)
            .with_scim_role_attribute(args.scim_role_attribute);
        if let Some(settings) = sso {
            let oidc = climb_server::oidc::Oidc::discover(settings).await?;
            state = state.with_oidc(oidc);
        }
        let mailer = match mail {
            Some(mail) => {
                if let Err(problem) = mail.check_connection().await {
                    tracing::warn!(server = %mail.server(), %problem, "the SMTP server does not answer yet; mail waits in the outbox and is retried");
                }
                let server = mail.server();
                // From here on review and proposal changes queue their notices.
                store.set_mail_enabled(true);
                let worker = climb_server::mail::spawn(
                    state.clone(),
                    mail,
                    climb_server::mail::MailWorkerConfig::default(),
                )
                .await
                .context("cannot start the mail worker")?;
                Some((worker, server))
            }
            None => None,
        };
        let worker = webhook_worker::spawn(
            store,
            webhook_worker::WorkerConfig {
                schedule: climb_webhooks::Schedule {
                    give_up: args.webhook_give_up,
                    ..climb_webhooks::Schedule::default()
                },
                timeout: args.webhook_timeout,
                ..webhook_worker::WorkerConfig::default()
            },
        )
        .await
        .context("cannot start the webhook worker")?;
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr().context("no local address")?;
        // The banner is written in one go and a closed stdout is ignored: a
        // server must not die because whoever started it stopped reading.
        let mut banner = format!(
            "climb is serving on http://{addr}\n  Web: http://{addr}/login\n  \
             API: http://{addr}/api/v1   OpenAPI: http://{addr}/api/v1/openapi.json\n"
        );
        match &mailer {
            Some((_, server)) => banner.push_str(&format!("  Mail: through {server}\n")),
            None => banner.push_str("  Mail: off (no --smtp-host)\n"),
        }
        if let Some(logins) = demo_logins {
            banner.push_str(&format!(
                "demo logins (password `{}`):\n",
                demo::DEMO_PASSWORD
            ));
            for login in logins {
                banner.push_str(&format!(
                    "  {:<14} {} ({})\n",
                    login.what, login.email, login.name
                ));
            }
        }
        let mut stdout = std::io::stdout().lock();
        let _ = stdout
            .write_all(banner.as_bytes())
            .and_then(|()| stdout.flush());
        drop(stdout);
        let served = climb_web::serve(listener, state, climb_server::shutdown_signal()).await;
        worker.stop().await;
        if let Some((mailer, _)) = mailer {
            mailer.stop().await;
        }
        served.context("the server stopped")?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Single sign-on settings from the flags, checked before anything starts:
/// `None` when no issuer is given. The client secret comes from
/// `--oidc-client-secret-file`, else `CLIMB_OIDC_CLIENT_SECRET`.
fn oidc_settings(args: &ServeArgs) -> anyhow::Result<Option<climb_server::oidc::OidcSettings>> {
    let Some(issuer) = args.oidc_issuer.clone() else {
        if args.password_login == Switch::Off {
            anyhow::bail!(
                "--password-login off needs single sign-on: give --oidc-issuer, or nobody but administrators could log in"
            );
        }
        return Ok(None);
    };
    let client_id = args
        .oidc_client_id
        .clone()
        .context("--oidc-issuer needs --oidc-client-id")?;
    let secret = match &args.oidc_client_secret_file {
        Some(path) => std::fs::read_to_string(path).with_context(|| {
            format!("cannot read the client secret file {}", path.display())
        })?,
        None => std::env::var("CLIMB_OIDC_CLIENT_SECRET").map_err(|_| {
            anyhow::anyhow!(
                "--oidc-issuer needs a client secret: --oidc-client-secret-file FILE or CLIMB_OIDC_CLIENT_SECRET"
            )
        })?,
    };
    if secret.trim().is_empty() {
        anyhow::bail!("the OpenID Connect client secret is empty");
    }
    let public = args
        .public_url
        .as_deref()
        .context("--oidc-issuer needs --public-url, the address browsers reach climb at")?;
    let public_url = url::Url::parse(public)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .with_context(|| format!("--public-url `{public}` is not an http(s) URL"))?;
    let scopes: Vec<String> = args
        .oidc_scopes
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok(Some(climb_server::oidc::OidcSettings {
        issuer,
        client_id,
        client_secret: climb_server::oidc::ClientSecret::new(&secret),
        scopes,
        email_claim: args.oidc_email_claim.clone(),
        email_verified_claim: args.oidc_email_verified_claim.clone(),
        public_url,
        provider_name: args.oidc_provider_name.clone(),
    }))
}

/// Mail settings from the mail options, checked before anything starts:
/// `None` when no SMTP host is given. The password comes from
/// `--smtp-password-file`, else `CLIMB_SMTP_PASSWORD`; `public_url` is
/// where the links in mail point.
pub(crate) fn mail_config(
    args: &MailArgs,
    public_url: Option<&str>,
) -> anyhow::Result<Option<climb_server::mail::MailConfig>> {
    use climb_server::mail::{MailConfig, SmtpPassword, TlsMode};
    let Some(host) = args.smtp_host.as_deref() else {
        return Ok(None);
    };
    let from = args
        .mail_from
        .as_deref()
        .context("--smtp-host needs --mail-from, the address mail is sent from")?;
    let public_url = public_url.context(
        "--smtp-host needs --public-url, the address browsers reach climb at (links in mail point there)",
    )?;
    let credentials = match &args.smtp_username {
        None => {
            if std::env::var_os("CLIMB_SMTP_PASSWORD").is_some_and(|p| !p.is_empty()) {
                anyhow::bail!(
                    "CLIMB_SMTP_PASSWORD is set but no --smtp-username: give both or neither"
                );
            }
            None
        }
        Some(user) => {
            let password = match &args.smtp_password_file {
                Some(path) => std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read the SMTP password file {}", path.display())
                })?,
                None => std::env::var("CLIMB_SMTP_PASSWORD").map_err(|_| {
                    anyhow::anyhow!(
                        "--smtp-username needs a password: --smtp-password-file FILE or CLIMB_SMTP_PASSWORD"
                    )
                })?,
            };
            Some((user.clone(), SmtpPassword::new(&password)))
        }
    };
    let tls = match args.smtp_tls {
        SmtpTls::None => TlsMode::None,
        SmtpTls::Starttls => TlsMode::StartTls,
        SmtpTls::Tls => TlsMode::Tls,
    };
    let config = MailConfig::new(host, args.smtp_port, tls, credentials, from, public_url)
        .context("the mail settings are not usable")?;
    Ok(Some(config))
}
