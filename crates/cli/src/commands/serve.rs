//! `climb serve`: opens the store, picks the framework in force, starts the
//! webhook delivery worker, and serves the web pages and the JSON API until
//! Ctrl-C or SIGTERM (requests in flight finish, then the worker records the
//! attempts it has in flight).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use climb_framework::Framework;
use climb_server::{AppState, webhook_worker};
use climb_store::Store;

use crate::args::{GlobalArgs, ServeArgs};
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
        let state = AppState::new(Arc::clone(&store), framework)
            .await
            .context("cannot prepare the accounts tables")?
            .with_session_limits(limits);
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
        served.context("the server stopped")?;
        Ok(ExitCode::SUCCESS)
    })
}
