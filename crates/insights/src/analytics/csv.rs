//! The analytics as CSV tables, one row per cell, for spreadsheets. A
//! suppressed figure is written `fewer than 5`, an absent one left blank.

use std::fmt::{Display, Write as _};

use crate::analytics::flow::{Flow, YearRate};
use crate::analytics::habits::{Habits, ManagerHabits};
use crate::analytics::pyramid::Pyramid;
use crate::analytics::span::Span;
use crate::analytics::suppress::{Figure, SUPPRESSED_TEXT};
use crate::analytics::time_in_role::TimeInRole;

fn cell<T>(figure: &Figure<T>, shown: impl FnOnce(&T) -> String) -> String {
    match figure {
        Figure::Shown(value) => shown(value),
        Figure::Suppressed => SUPPRESSED_TEXT.to_owned(),
    }
}

fn optional(value: Option<impl Display>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

impl Pyramid {
    /// `stream,role,seniority,hire_only,headcount,designation_holders`.
    pub fn to_csv(&self) -> String {
        let mut out =
            String::from("stream,role,seniority,hire_only,headcount,designation_holders\n");
        for stream in &self.streams {
            for c in &stream.roles {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{},{}",
                    stream.stream,
                    c.role,
                    c.seniority,
                    c.hire_only,
                    c.headcount,
                    c.designation_holders
                );
            }
        }
        out
    }
}

impl TimeInRole {
    /// One row per role: counts, the Kaplan–Meier quantiles in days and
    /// the current tenure of those still in the role.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "role,people,spells,promotions,censored,censored_by_leaving,p25_days,median_days,p75_days,current_n,current_median_days\n",
        );
        for r in &self.roles {
            let q = |pick: fn(&crate::analytics::Quantiles) -> Option<u32>| {
                cell(&r.quantiles, |q| optional(pick(q)))
            };
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                r.role,
                r.people,
                r.spells,
                r.promotions,
                r.censored,
                r.censored_by_leaving,
                q(|q| q.p25_days),
                q(|q| q.median_days),
                q(|q| q.p75_days),
                cell(&r.current, |c| c.n.to_string()),
                cell(&r.current, |c| optional(c.median_days)),
            );
        }
        out
    }
}

impl Flow {
    /// One row per pair of roles moved between: the framework's arrows
    /// (`promotion`, `lateral`, unused ones with 0) and then the moves no
    /// arrow allows (`off_graph`).
    pub fn moves_csv(&self) -> String {
        let mut out = String::from("from,to,kind,moves,corrections\n");
        for a in &self.arrows {
            let _ = writeln!(out, "{},{},{},{},", a.from, a.to, a.kind.as_str(), a.moves);
        }
        for m in &self.off_graph {
            let _ = writeln!(
                out,
                "{},{},off_graph,{},{}",
                m.from, m.to, m.moves, m.corrections
            );
        }
        out
    }

    /// One row per role and year: people who held it and the rates out.
    pub fn rates_csv(&self) -> String {
        let mut out = String::from(
            "role,year,from,to,held,promotions,promotion_rate,laterals,lateral_rate,leavers,leaving_rate\n",
        );
        let pair = |f: &Figure<YearRate>| {
            format!(
                "{},{}",
                cell(f, |r| r.events.to_string()),
                cell(f, |r| r.rate.to_string())
            )
        };
        for r in &self.rates {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                r.role,
                r.year,
                r.from,
                r.to,
                r.held,
                pair(&r.promotion),
                pair(&r.lateral),
                pair(&r.leaving)
            );
        }
        out
    }
}

impl Span {
    /// The distribution: `reports,managers`, one row per number of reports.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("reports,managers\n");
        match &self.distribution {
            Figure::Shown(buckets) => {
                for b in buckets {
                    let _ = writeln!(out, "{},{}", b.reports, b.managers);
                }
            }
            Figure::Suppressed => {
                let _ = writeln!(out, "{SUPPRESSED_TEXT},{SUPPRESSED_TEXT}");
            }
        }
        out
    }
}

impl Habits {
    /// One row per manager: reports, one-on-one cadence kept, the cycle's
    /// reviews, and promotion decisions.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "manager,reports,without_schedule,cadence_kept,reviews,self_signed,manager_signed,signed,completion,decided,median_days_to_decision,pending,oldest_pending_days\n",
        );
        for m in &self.managers {
            let _ = writeln!(out, "{},{}", m.person.0, habits_cells(m));
        }
        out
    }
}

fn habits_cells(m: &ManagerHabits) -> String {
    let reviews = m.reviews.as_ref().map_or_else(
        || ",,,,".to_owned(),
        |r| {
            format!(
                "{},{},{},{},{}",
                r.reviews,
                r.self_signed,
                r.manager_signed,
                r.signed,
                cell(&r.completion, |c| optional(*c))
            )
        },
    );
    format!(
        "{},{},{},{},{},{},{},{}",
        m.reports,
        m.one_on_ones.without_schedule,
        cell(&m.one_on_ones.kept, |k| optional(*k)),
        reviews,
        m.decisions.decided,
        cell(&m.decisions.median_days, |d| optional(*d)),
        m.decisions.pending,
        optional(m.decisions.oldest_pending_days),
    )
}
