//! The command line of SPEC §3, declared with clap. Global options are
//! accepted before or after any subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Career frameworks checked like code, drawn as charts, and the people who
/// grow in them.
#[derive(Debug, Parser)]
#[command(name = "climb", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Framework file to use instead of the built-in one.
    #[arg(long, global = true, env = "CLIMB_FRAMEWORK", value_name = "FILE")]
    pub(crate) framework: Option<PathBuf>,
    /// Database URL: `sqlite://FILE` (default `sqlite://climb.db`) or `postgres://…`.
    #[arg(long, global = true, env = "CLIMB_DB", value_name = "URL")]
    pub(crate) db: Option<String>,
}

// One value per process, parsed once: the size of its largest variant
// (`serve`, with the mail options) costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check framework files like a compiler (no file: the built-in framework).
    Check(CheckArgs),
    /// Draw the framework chart as SVG (stdout) or PNG.
    Chart(ChartArgs),
    /// List the framework's roles.
    Roles(QueryArgs),
    /// Show one role: summary, responsibilities, expectations, next steps.
    Role(RoleArgs),
    /// The shortest sequence of transitions from one role to another.
    Path(PathArgs),
    /// What changed between two framework versions.
    Diff(DiffArgs),
    /// Write a starter framework file to adapt.
    Init(InitArgs),
    /// Rewrite framework files in the canonical order and layout, keeping comments.
    Fmt(FmtArgs),
    /// Framework files: import one from another shape.
    Framework(FrameworkArgs),
    /// Run the language server for framework files on stdin and stdout (for editors).
    Lsp,
    /// Serve the web app and the JSON API.
    Serve(ServeArgs),
    /// Administer accounts.
    Admin(AdminArgs),
    /// Import people from an HRIS-style CSV file (validated whole first).
    Import(ImportArgs),
    /// Export people as CSV in the import format.
    Export(ExportArgs),
    /// Demo data.
    Demo(DemoArgs),
    /// Verify the audit log's hash chain, or take a checkpoint of it.
    Audit(AuditArgs),
    /// Write a consistent copy of the database while it serves.
    Backup(BackupArgs),
    /// Restore a backup into an empty database (`--db`), then verify it.
    Restore(RestoreArgs),
    /// Project headcount per role years ahead from the history, a hiring
    /// plan and what-ifs: the expected stock and Monte Carlo bands.
    Project(ProjectArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Framework files to check; none checks the built-in framework.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    pub(crate) deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ThemeArg {
    Light,
    Dark,
}

#[derive(Debug, Args)]
pub(crate) struct ChartArgs {
    /// Output file; `.svg` or `.png` by extension. Without it, SVG goes to stdout.
    #[arg(short, long, value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,
    /// Emphasise one role and dim the rest.
    #[arg(long, value_name = "ROLE")]
    pub(crate) highlight: Option<String>,
    /// Emphasise the shortest path between two roles.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub(crate) path: Option<Vec<String>>,
    /// Colour theme.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub(crate) theme: ThemeArg,
    /// PNG pixel density (1 = one pixel per SVG unit).
    #[arg(long, default_value_t = 2.0)]
    pub(crate) scale: f32,
}

#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RoleArgs {
    /// Role id, e.g. `senior-software-engineer`.
    pub(crate) id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PathArgs {
    /// Role to start from.
    pub(crate) from: String,
    /// Role to reach.
    pub(crate) to: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The older framework file.
    pub(crate) old: PathBuf,
    /// The newer framework file.
    pub(crate) new: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Framework files to format in place.
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Write nothing: print a diff of each file that is not formatted and
    /// exit 1 if there is one.
    #[arg(long)]
    pub(crate) check: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FrameworkArgs {
    #[command(subcommand)]
    pub(crate) command: FrameworkCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FrameworkCommand {
    /// Write a climb framework file from a framework kept in another shape;
    /// what climb cannot hold is warned about on stderr with its place.
    Import(FrameworkImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FrameworkImportArgs {
    /// The shape of the source.
    #[arg(value_enum)]
    pub(crate) format: ImportFormat,
    /// The source file (a folder of pages for progression-markdown).
    #[arg(value_name = "FILE_OR_FOLDER")]
    pub(crate) source: PathBuf,
    /// Where to write the framework file; stdout without it.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// The framework's name, instead of the one taken from the source.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// matrix-csv: the column naming the track (default: track, stream,
    /// family, job family or discipline, in any case).
    #[arg(long, value_name = "NAME")]
    pub(crate) track_column: Option<String>,
    /// matrix-csv: the column naming the level (default: level, grade or band).
    #[arg(long, value_name = "NAME")]
    pub(crate) level_column: Option<String>,
    /// matrix-csv: the column naming the competency (default: competency,
    /// skill, area, topic or dimension).
    #[arg(long, value_name = "NAME")]
    pub(crate) competency_column: Option<String>,
    /// matrix-csv: the column describing what is expected (default:
    /// description, expectation(s), criteria or behaviour).
    #[arg(long, value_name = "NAME")]
    pub(crate) description_column: Option<String>,
}

/// The shapes `climb framework import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportFormat {
    /// The JavaScript module of Medium's Snowflake tool (read, never run).
    Snowflake,
    /// A competency matrix as CSV: track, level, competency, description.
    MatrixCsv,
    /// One YAML file of job families, their levels and competencies.
    ProgressionYaml,
    /// A folder of Markdown pages with front matter, one discipline each.
    ProgressionMarkdown,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Which starter framework.
    #[arg(long, value_enum, default_value_t = Template::Default)]
    pub(crate) template: Template,
    /// Where to write it (`-` for standard output).
    #[arg(short, long, default_value = "climb.toml", value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// Replace the file when it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

/// The starter frameworks `climb init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Template {
    /// The built-in framework: engineering, architecture and management
    /// streams, a team-lead designation and a hire-only CTO.
    Default,
    /// Up to about fifty people: one engineering stream and a lead designation.
    Startup,
    /// Fifty to a few hundred: parallel engineering and management ladders
    /// at matching seniority, with lateral moves between them.
    ScaleUp,
    /// A thousand engineers or more: engineering up to distinguished,
    /// architecture, management up to VP and a hire-only CTO.
    Large,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0 picks a free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub(crate) addr: String,
    /// Fill an empty database with a generated demo company and logins.
    #[arg(long)]
    pub(crate) demo: bool,
    /// A web session unused this long ends (e.g. `30m`, `12h`).
    #[arg(long, env = "CLIMB_SESSION_IDLE", default_value = "12h", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) session_idle: std::time::Duration,
    /// A web session ends this long after login, used or not (e.g. `7d`).
    #[arg(long, env = "CLIMB_SESSION_MAX", default_value = "7d", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) session_max: std::time::Duration,
    /// Most changes written in one transaction: the changes requests make
    /// meanwhile share the next commit, each answered once it is done. 1
    /// writes every change in a transaction of its own.
    #[arg(long, env = "CLIMB_WRITE_BATCH", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..), value_name = "N")]
    pub(crate) write_batch: u16,
    /// Single sign-on: the OpenID Connect issuer URL (discovery is read
    /// from it at start).
    #[arg(long, env = "CLIMB_OIDC_ISSUER", value_name = "URL", requires_all = ["oidc_client_id", "public_url"])]
    pub(crate) oidc_issuer: Option<String>,
    /// The client id climb is registered with at the identity provider.
    #[arg(
        long,
        env = "CLIMB_OIDC_CLIENT_ID",
        value_name = "ID",
        requires = "oidc_issuer"
    )]
    pub(crate) oidc_client_id: Option<String>,
    /// A file holding the client secret (else `CLIMB_OIDC_CLIENT_SECRET`).
    #[arg(long, value_name = "FILE", requires = "oidc_issuer")]
    pub(crate) oidc_client_secret_file: Option<PathBuf>,
    /// Scopes to ask for, space-separated (`openid` is always asked for).
    #[arg(
        long,
        env = "CLIMB_OIDC_SCOPES",
        default_value = "openid email profile",
        value_name = "SCOPES"
    )]
    pub(crate) oidc_scopes: String,
    /// The ID token claim holding the person's email.
    #[arg(
        long,
        env = "CLIMB_OIDC_EMAIL_CLAIM",
        default_value = "email",
        value_name = "CLAIM"
    )]
    pub(crate) oidc_email_claim: String,
    /// The ID token claim that must be `true` for the email to be trusted.
    #[arg(
        long,
        env = "CLIMB_OIDC_EMAIL_VERIFIED_CLAIM",
        default_value = "email_verified",
        value_name = "CLAIM"
    )]
    pub(crate) oidc_email_verified_claim: String,
    /// The provider's name on the login button.
    #[arg(
        long,
        env = "CLIMB_OIDC_PROVIDER_NAME",
        default_value = "single sign-on",
        value_name = "NAME"
    )]
    pub(crate) oidc_provider_name: String,
    /// The address browsers reach climb at (the callback
    /// `/login/oidc/callback` is under it).
    #[arg(long, env = "CLIMB_PUBLIC_URL", value_name = "URL")]
    pub(crate) public_url: Option<String>,
    /// `off` lets only administrators log in with a password (the
    /// break-glass login at `/login?local=1`); everyone else signs in
    /// with single sign-on. Needs `--oidc-issuer`.
    #[arg(long, env = "CLIMB_PASSWORD_LOGIN", value_enum, default_value_t = Switch::On, value_name = "on|off")]
    pub(crate) password_login: Switch,
    /// The SCIM attribute a provisioned person's role comes from: `title`
    /// (the default), `userType`, or the enterprise extension's `division`,
    /// `organization` or `costCenter`. Its value is matched against role
    /// ids, then role titles, without case.
    #[arg(long, env = "CLIMB_SCIM_ROLE_ATTRIBUTE", default_value = "title", value_parser = parse_role_attribute, value_name = "ATTRIBUTE")]
    pub(crate) scim_role_attribute: climb_server::scim::RoleAttribute,
    /// A webhook delivery still failing this long after its event is
    /// marked failed (e.g. `24h`, `30m`); an administrator can replay it.
    #[arg(long, env = "CLIMB_WEBHOOK_GIVE_UP", default_value = "24h", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) webhook_give_up: std::time::Duration,
    /// The longest one webhook attempt may take before it counts as failed.
    #[arg(long, env = "CLIMB_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) webhook_timeout: std::time::Duration,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
}

/// Mail notifications over SMTP: none are sent (or queued) without
/// `--smtp-host`. The password comes from `--smtp-password-file`, else
/// `CLIMB_SMTP_PASSWORD`; links in mail start with `--public-url`.
#[derive(Debug, Args)]
pub(crate) struct MailArgs {
    /// The SMTP server mail is sent through; without it no mail is sent.
    #[arg(long, env = "CLIMB_SMTP_HOST", value_name = "HOST")]
    pub(crate) smtp_host: Option<String>,
    /// Its port (default: 25, 587 or 465 by `--smtp-tls`).
    #[arg(
        long,
        env = "CLIMB_SMTP_PORT",
        value_name = "PORT",
        requires = "smtp_host"
    )]
    pub(crate) smtp_port: Option<u16>,
    /// How the connection is secured: `starttls` (upgrade, which the server
    /// must offer), `tls` (from the first byte) or `none`.
    #[arg(long, env = "CLIMB_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls, value_name = "none|starttls|tls")]
    pub(crate) smtp_tls: SmtpTls,
    /// The user name to log in to the SMTP server with (needs a password).
    #[arg(
        long,
        env = "CLIMB_SMTP_USERNAME",
        value_name = "USER",
        requires = "smtp_host"
    )]
    pub(crate) smtp_username: Option<String>,
    /// A file holding the SMTP password (else `CLIMB_SMTP_PASSWORD`).
    #[arg(long, value_name = "FILE", requires = "smtp_username")]
    pub(crate) smtp_password_file: Option<PathBuf>,
    /// The From address, e.g. `climb <climb@example.com>`.
    #[arg(
        long,
        env = "CLIMB_MAIL_FROM",
        value_name = "ADDRESS",
        requires = "smtp_host"
    )]
    pub(crate) mail_from: Option<String>,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SmtpTls {
    None,
    Starttls,
    Tls,
}

/// A setting that is on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Switch {
    On,
    Off,
}

/// One of the SCIM attributes a role may come from.
fn parse_role_attribute(text: &str) -> Result<climb_server::scim::RoleAttribute, String> {
    climb_server::scim::RoleAttribute::parse(text).ok_or_else(|| {
        let names: Vec<&str> = climb_server::scim::RoleAttribute::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect();
        format!(
            "`{text}` is not a role attribute: use one of {}",
            names.join(", ")
        )
    })
}

/// A duration as a whole number and a unit: `s`, `m`, `h` or `d`.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let expected = || {
        format!("`{text}` is not a duration: write a whole number and s, m, h or d, e.g. 30m or 7d")
    };
    let number: u64 = number.parse().map_err(|_| expected())?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(expected()),
    };
    match number.checked_mul(seconds) {
        Some(0) => Err(format!("`{text}` is zero: a session must last a moment")),
        Some(total) if total <= 366 * 86_400 => Ok(std::time::Duration::from_secs(total)),
        _ => Err(format!("`{text}` is longer than a year")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct AdminArgs {
    #[command(subcommand)]
    pub(crate) command: AdminCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Create an administrator; prints an API token as the last line.
    Create(AdminCreateArgs),
    /// Issue a SCIM token for an identity provider's connection; prints it
    /// as the last line.
    ScimToken(AdminScimTokenArgs),
    /// Send this week's digest now to everyone who has not had it (whatever
    /// the day), then any other mail that is due, through the SMTP server
    /// of the mail options.
    SendDigest(AdminSendDigestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct AdminSendDigestArgs {
    /// The address browsers reach climb at: links in mail start with it.
    #[arg(long, env = "CLIMB_PUBLIC_URL", value_name = "URL")]
    pub(crate) public_url: Option<String>,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
}

#[derive(Debug, Args)]
pub(crate) struct AdminScimTokenArgs {
    /// The connection's name, shown in the admin pages and the audit log
    /// (e.g. `Okta`).
    #[arg(long)]
    pub(crate) name: String,
}

#[derive(Debug, Args)]
pub(crate) struct AdminCreateArgs {
    /// Login email (linked to the person with this email, if any).
    #[arg(long)]
    pub(crate) email: String,
    /// Display name.
    #[arg(long)]
    pub(crate) name: String,
    /// Password for logging in to the web app (at least 8 characters);
    /// without it the administrator uses the printed API token.
    #[arg(long, env = "CLIMB_ADMIN_PASSWORD", hide_env_values = true)]
    pub(crate) password: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// CSV with the columns email,name,role,manager_email,start_date,status,end_date.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// Import the valid rows even when some are rejected.
    #[arg(long)]
    pub(crate) skip_invalid: bool,
    /// Refuse the whole file when a role change is no transition of the
    /// framework (into a hire-only role, or skipping levels), instead of
    /// recording it as a correction with a warning.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Print the outcome as JSON on stdout (rows, counts, skipped rows,
    /// warnings, or why nothing was imported).
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Output file; stdout without it.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    #[command(subcommand)]
    pub(crate) command: DemoCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DemoCommand {
    /// Generate a deterministic demo company as import CSV.
    Generate(DemoGenerateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct DemoGenerateArgs {
    /// How many people.
    #[arg(long, default_value_t = 300)]
    pub(crate) people: usize,
    /// Seed: the same seed gives the same company.
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
    /// Output file; stdout without it.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(subcommand)]
    pub(crate) command: AuditCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// Walk the whole chain; name the first event edited, deleted,
    /// reordered or inserted out of band (exit status 1 when one is).
    Verify(AuditVerifyArgs),
    /// Print a checkpoint of the chain's head, to keep outside the
    /// database (append it to a file: `climb audit checkpoint >> FILE`).
    Checkpoint,
}

#[derive(Debug, Args)]
pub(crate) struct AuditVerifyArgs {
    /// A file of checkpoints (lines printed by `climb audit checkpoint`)
    /// the chain must still pass through.
    #[arg(long, value_name = "FILE")]
    pub(crate) checkpoints: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// The backup file to write (never overwritten): a SQLite file from a
    /// SQLite database, a `pg_dump` custom archive from PostgreSQL.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// A file written by `climb backup`.
    pub(crate) file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StepArg {
    /// Monthly probabilities and steps.
    Month,
    /// Annual probabilities and steps, as in manpower tables.
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlotBy {
    /// One panel per role that has anyone in it.
    Role,
    /// One panel per stream.
    Stream,
}

#[derive(Debug, Args)]
pub(crate) struct ProjectArgs {
    /// How many years ahead.
    #[arg(long, default_value_t = 3)]
    pub(crate) years: u32,
    /// Monte Carlo runs.
    #[arg(long, default_value_t = 1000)]
    pub(crate) runs: u32,
    /// Seed of the Monte Carlo: the same seed and inputs give the same numbers.
    #[arg(long, default_value_t = 2026)]
    pub(crate) seed: u64,
    /// Step of the chain: monthly rates, or annual ones.
    #[arg(long, value_enum, default_value_t = StepArg::Month)]
    pub(crate) step: StepArg,
    /// How much history the rates are estimated from, e.g. `3y` or `18m`.
    #[arg(long, default_value = "3y", value_parser = parse_window, value_name = "LENGTH")]
    pub(crate) window: u32,
    /// The day the history ends and the projection starts (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// Hires into a role, e.g. `engineer=2/month` or `cto=1/year`; without
    /// `ROLE=`, shared among the entry roles. Repeatable.
    #[arg(long = "hire", value_name = "ROLE=N/month")]
    pub(crate) hires: Vec<String>,
    /// Keep a role at least this full by hiring, e.g. `engineering-manager=12`.
    #[arg(long = "target", value_name = "ROLE=N")]
    pub(crate) targets: Vec<String>,
    /// Use this probability per step for a move, e.g.
    /// `senior-software-engineer->staff-engineer=0.02`; a pair the framework
    /// does not connect is projected and marked off-graph. Repeatable.
    #[arg(long = "set-rate", value_name = "FROM->TO=P")]
    pub(crate) set_rates: Vec<String>,
    /// Use this leaving probability per step for a role, e.g. `software-engineer=0.01`.
    #[arg(long = "set-leave", value_name = "ROLE=P")]
    pub(crate) set_leaves: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long, conflicts_with = "csv")]
    pub(crate) json: bool,
    /// Print the projection as CSV: one row per date and series.
    #[arg(long)]
    pub(crate) csv: bool,
    /// Also draw the bands to a file, `.svg` or `.png` by extension.
    #[arg(short, long, value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,
    /// One plot panel per role, or per stream.
    #[arg(long, value_enum, default_value_t = PlotBy::Role)]
    pub(crate) plot_by: PlotBy,
    /// Colour theme of the plot.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub(crate) theme: ThemeArg,
    /// PNG pixel density (1 = one pixel per SVG unit).
    #[arg(long, default_value_t = 2.0)]
    pub(crate) scale: f32,
}

/// A window as a whole number of years or months: `3y`, `18m`.
fn parse_window(text: &str) -> Result<u32, String> {
    climb_insights::parse_window(text).map_err(|e| e.to_string())
}
