//! `climb roles` and `climb role ID`: the framework's roles as a table, and
//! one role in full with its next steps and equivalent roles.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use climb_framework::{Framework, Role, graph};
use serde_json::json;

use crate::args::{GlobalArgs, QueryArgs, RoleArgs};
use crate::framework_source;
use crate::output::{self, ACCENT, DIM, EXIT_OK, HEADING};

pub(crate) fn list(global: &GlobalArgs, args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let framework = framework_source::selected(global)?;
    let roles = roles_by_stream(&framework);
    if args.json {
        output::print_json(&json!({ "roles": roles }))?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let mut table = output::table(["ID", "TITLE", "STREAM", "SENIORITY", "NOTES"]);
    for role in roles {
        table.add_row([
            role.id.to_string(),
            role.title.clone(),
            framework.stream_of(role).name.clone(),
            role.seniority.get().to_string(),
            flags(role).join(", "),
        ]);
    }
    output::print_table(&table);
    Ok(ExitCode::from(EXIT_OK))
}

/// Roles grouped by stream in file order, by seniority within a stream.
fn roles_by_stream(framework: &Framework) -> Vec<&Role> {
    let mut roles: Vec<&Role> = framework.roles().iter().collect();
    roles.sort_by_key(|r| (framework.stream_position(r.stream.as_str()), r.seniority));
    roles
}

fn flags(role: &Role) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if role.entry {
        flags.push("entry");
    }
    if role.hire_only {
        flags.push("hire only");
    }
    if role.reports {
        flags.push("has reports");
    }
    flags
}

pub(crate) fn show(global: &GlobalArgs, args: &RoleArgs) -> anyhow::Result<ExitCode> {
    let framework = framework_source::selected(global)?;
    let Some(role) = framework.role(&args.id) else {
        if let Some(meant) = framework.suggest_role(&args.id) {
            bail!(
                "there is no role `{}` in this framework; did you mean `{}` ({})?",
                args.id,
                meant.id,
                meant.title
            );
        }
        let known: Vec<&str> = framework.roles().iter().map(|r| r.id.as_str()).collect();
        bail!(
            "there is no role `{}` in this framework; known roles: {}",
            args.id,
            known.join(", ")
        );
    };
    let next = graph::next_steps(&framework, role.id.as_str());
    let equivalents = graph::equivalents(&framework, role.id.as_str());
    let designations: Vec<_> = framework
        .designations()
        .iter()
        .filter(|d| d.is_eligible(&role.stream) && !d.is_below_usual(role.seniority))
        .collect();

    if args.json {
        output::print_json(&json!({
            "role": role,
            "stream": framework.stream_of(role),
            "next_steps": next,
            "equivalents": equivalents.iter().map(|r| &r.id).collect::<Vec<_>>(),
            "designations": designations.iter().map(|d| &d.id).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::from(EXIT_OK));
    }

    let mut out = anstream::stdout();
    let stream = framework.stream_of(role);
    writeln!(
        out,
        "{HEADING}{}{HEADING:#}  {DIM}{}{DIM:#}",
        role.title, role.id
    )?;
    writeln!(
        out,
        "{} stream, seniority {}{}",
        stream.name,
        role.seniority.get(),
        match flags(role).as_slice() {
            [] => String::new(),
            flags => format!(" · {}", flags.join(" · ")),
        }
    )?;
    if let Some(summary) = &role.summary {
        writeln!(out, "\n{summary}")?;
    }
    if !role.responsibilities.is_empty() {
        writeln!(out, "\n{HEADING}Responsibilities{HEADING:#}")?;
        for item in &role.responsibilities {
            writeln!(out, "  • {item}")?;
        }
    }
    if !role.expectations.is_empty() {
        writeln!(out, "\n{HEADING}Expectations{HEADING:#}")?;
        let mut table = output::table(["COMPETENCY", "LEVEL", "WHAT IT MEANS"]);
        for expectation in &role.expectations {
            let competency = framework.competency(expectation.competency.as_str());
            let name = competency.map_or(expectation.competency.as_str(), |c| c.name.as_str());
            let levels = competency.map_or(0, |c| c.levels.len());
            let meaning = competency
                .and_then(|c| c.levels.get(expectation.level as usize - 1))
                .map_or("", String::as_str);
            table.add_row([
                name.to_owned(),
                format!("{}/{levels}", expectation.level),
                meaning.to_owned(),
            ]);
        }
        output::print_table(&table);
    }
    writeln!(out, "\n{HEADING}Next steps{HEADING:#}")?;
    if next.is_empty() {
        writeln!(out, "  none: this is the top of its stream")?;
    }
    for step in &next {
        let target = framework.role(step.to.as_str());
        writeln!(
            out,
            "  → {ACCENT}{}{ACCENT:#} {DIM}({}, {}){DIM:#}",
            target.map_or(step.to.as_str(), |r| r.title.as_str()),
            step.kind.as_str(),
            step.to
        )?;
    }
    if !equivalents.is_empty() {
        writeln!(out, "\n{HEADING}Equivalent rank{HEADING:#}")?;
        for other in &equivalents {
            writeln!(
                out,
                "  = {} {DIM}({}){DIM:#}",
                other.title,
                framework.stream_of(other).name
            )?;
        }
    }
    for designation in designations {
        writeln!(
            out,
            "\n{HEADING}Can hold{HEADING:#}: {} {DIM}(a designation per project, on top of the role){DIM:#}",
            designation.title
        )?;
    }
    Ok(ExitCode::from(EXIT_OK))
}
