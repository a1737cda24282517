//! `climb path FROM TO`: the shortest sequence of transitions, or a clear
//! "no path" with the reason (exit status 1).

use std::io::Write;
use std::process::ExitCode;

use climb_framework::graph;
use serde::Serialize;

use crate::args::{GlobalArgs, PathArgs};
use crate::framework_source;
use crate::output::{self, ACCENT, DIM, ERROR, EXIT_FAILURE, EXIT_OK, HEADING};

#[derive(Serialize)]
struct Step<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
}

pub(crate) fn run(global: &GlobalArgs, args: &PathArgs) -> anyhow::Result<ExitCode> {
    let framework = framework_source::selected(global)?;
    let steps = match graph::shortest_path(&framework, &args.from, &args.to) {
        Ok(steps) => steps,
        Err(no_path) => {
            if args.json {
                output::print_json(&serde_json::json!({
                    "error": { "code": no_path.code(), "message": no_path.to_string() }
                }))?;
            } else {
                let mut stderr = anstream::stderr();
                let unknown = match &no_path {
                    graph::NoPath::UnknownFrom(given) | graph::NoPath::UnknownTo(given) => {
                        Some(given.as_str())
                    }
                    _ => None,
                };
                let hint = unknown
                    .and_then(|given| framework.suggest_role(given))
                    .map(|meant| format!("; did you mean `{}` ({})?", meant.id, meant.title))
                    .unwrap_or_default();
                writeln!(
                    stderr,
                    "{ERROR}no path{ERROR:#} from `{}` to `{}`: {no_path}{hint}",
                    args.from, args.to
                )?;
            }
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };

    if args.json {
        let steps: Vec<_> = steps
            .iter()
            .map(|t| Step {
                from: t.from.as_str(),
                to: t.to.as_str(),
                kind: t.kind.as_str(),
            })
            .collect();
        output::print_json(&serde_json::json!({ "steps": steps }))?;
        return Ok(ExitCode::from(EXIT_OK));
    }

    let title = |id: &str| {
        framework
            .role(id)
            .map_or(id, |r| r.title.as_str())
            .to_owned()
    };
    let mut stdout = anstream::stdout();
    if steps.is_empty() {
        writeln!(
            stdout,
            "`{}` is already the target role: nothing to do.",
            args.from
        )?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    writeln!(
        stdout,
        "{HEADING}{}{HEADING:#} → {HEADING}{}{HEADING:#}: {} step{}",
        title(&args.from),
        title(&args.to),
        steps.len(),
        if steps.len() == 1 { "" } else { "s" }
    )?;
    for (n, step) in steps.iter().enumerate() {
        writeln!(
            stdout,
            "  {}. {} → {ACCENT}{}{ACCENT:#}  {DIM}({}){DIM:#}",
            n + 1,
            title(step.from.as_str()),
            title(step.to.as_str()),
            step.kind.as_str()
        )?;
    }
    Ok(ExitCode::from(EXIT_OK))
}
