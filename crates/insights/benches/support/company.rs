//! The generated company of the analytics bench, shared with the example
//! that exports it for the DuckDB comparison (`examples/export_company.rs`):
//! 1,000,000 people (everyone ever hired, 3% of the engineers gone) with
//! ten years of role history.

use chrono::{Days, NaiveDate};
use climb_framework::RoleId;
use climb_people::{Change, ChangeReason, Email, Org, Person, PersonId, RoleChange, Status};

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

pub(crate) const PEOPLE: i64 = 1_000_000;
/// Each manager's reports: a complete tree of this span (about eight layers).
pub(crate) const SPAN: i64 = 7;
pub(crate) const AS_OF: &str = "2026-12-01";
pub(crate) const YEARS: u64 = 10;

fn role(id: &str) -> RoleId {
    RoleId::parse(id).unwrap_or_else(|e| panic!("{e}"))
}

/// Person 1 is the CTO; person `i` reports to `(i - 2) / SPAN + 1`, so the
/// first seventh are managers (engineering managers, directors above
/// them), the rest engineers hired over ten years, promoted along the
/// engineering ladder every one to three years; 3% of the engineers left.
pub(crate) fn company() -> Org {
    let as_of: NaiveDate = AS_OF.parse().unwrap_or(NaiveDate::MIN);
    let founded = as_of - Days::new(YEARS * 365);
    let ladder = [
        "associate-software-engineer",
        "software-engineer",
        "senior-software-engineer",
        "staff-engineer",
        "principal-software-engineer",
    ]
    .map(role);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut changes = Vec::with_capacity(PEOPLE as usize * 3);
    for i in 1..=PEOPLE {
        let id = PersonId(i);
        let manager = (i > 1).then(|| PersonId((i - 2) / SPAN + 1));
        let is_manager = i <= PEOPLE / SPAN;
        let first = if i == 1 {
            role("cto")
        } else if i <= 1 + SPAN + SPAN * SPAN {
            role("director-of-engineering")
        } else if is_manager {
            role("engineering-manager")
        } else {
            ladder[rng.below(2) as usize].clone()
        };
        let start = founded + Days::new(rng.below(YEARS * 365 - 30));
        let email = Email::parse(&format!("p{i}@example.com")).unwrap_or_else(|e| panic!("{e}"));
        let hire = RoleChange {
            person: id,
            from: None,
            to: first.clone(),
            effective_date: start,
            reason: ChangeReason::Hire,
            note: None,
            proposal: None,
        };
        changes.push(Change::PersonHired {
            person: Person {
                id,
                name: format!("Person {i}"),
                email,
                status: Status::Active,
                role: first.clone(),
                manager,
                start_date: start,
                end_date: None,
            },
            role: hire,
        });
        let mut day = start;
        let mut last_change = start;
        let mut current = first;
        if !is_manager {
            let mut step = ladder.iter().position(|r| *r == current).unwrap_or(0);
            loop {
                day = day + Days::new(365 + rng.below(730));
                if day >= as_of || step + 1 >= ladder.len() {
                    break;
                }
                step += 1;
                changes.push(Change::RoleChanged {
                    change: RoleChange {
                        person: id,
                        from: Some(current.clone()),
                        to: ladder[step].clone(),
                        effective_date: day,
                        reason: ChangeReason::Promotion,
                        note: None,
                        proposal: None,
                    },
                });
                current = ladder[step].clone();
                last_change = day;
            }
            if rng.below(100) < 3 {
                let last = day.min(as_of) - Days::new(1 + rng.below(200));
                changes.push(Change::PersonLeft {
                    person: id,
                    date: last.max(last_change),
                });
            }
        }
    }
    Org::from_changes(&changes)
}
