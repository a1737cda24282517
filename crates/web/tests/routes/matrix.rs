//! The permission matrix as data: who calls ([`Caller`]), the rules of
//! SPEC §4 written once here ([`Rule`]), and for every route of the site a
//! [`Spec`]: the rule it follows and a request that the domain refuses or
//! that changes nothing who may do what, so that the company stays the same
//! from the first cell to the last.

use reqwest::Method;
use serde_json::json;

use crate::company::{Body, Company, TARGETS, Who};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Caller {
    Anonymous,
    Eve,
    Max,
    Dana,
    Fred,
    Pam,
    Sam,
    Hana,
    Admin,
    /// Eve's personal API token, sent as `Authorization: Bearer`.
    EveToken,
    /// An identity provider's SCIM token, sent as `Authorization: Bearer`.
    ScimToken,
}

impl Caller {
    pub(crate) const ALL: [Caller; 11] = [
        Caller::Anonymous,
        Caller::Eve,
        Caller::Max,
        Caller::Dana,
        Caller::Fred,
        Caller::Pam,
        Caller::Sam,
        Caller::Hana,
        Caller::Admin,
        Caller::EveToken,
        Caller::ScimToken,
    ];

    /// The column heading: who, and what they are to Eve.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Caller::Anonymous => "anonymous",
            Caller::Eve => "Eve (self)",
            Caller::Max => "Max (her manager)",
            Caller::Dana => "Dana (skip-level)",
            Caller::Fred => "Fred (former manager)",
            Caller::Pam => "Pam (peer)",
            Caller::Sam => "Sam (other team)",
            Caller::Hana => "Hana (HR)",
            Caller::Admin => "administrator",
            Caller::EveToken => "Eve's API token",
            Caller::ScimToken => "SCIM token",
        }
    }

    /// The person behind the call, if any.
    pub(crate) fn person(self) -> Option<Who> {
        match self {
            Caller::Eve | Caller::EveToken => Some(Who::Eve),
            Caller::Max => Some(Who::Max),
            Caller::Dana => Some(Who::Dana),
            Caller::Fred => Some(Who::Fred),
            Caller::Pam => Some(Who::Pam),
            Caller::Sam => Some(Who::Sam),
            Caller::Hana => Some(Who::Hana),
            Caller::Anonymous | Caller::Admin | Caller::ScimToken => None,
        }
    }

    fn is_hr(self) -> bool {
        self == Caller::Hana
    }

    fn is_admin(self) -> bool {
        self == Caller::Admin
    }
}

/// What a cell expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Let through to the domain (which may still refuse the request).
    Allow,
    /// Refused: 403, or 404 where the record is not the caller's to see.
    Deny,
    /// Asked to sign in: 401 from the API, the login page from a page.
    Login,
}

/// Who may use a route, relative to the target person where it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    Public,
    SignedIn,
    Admin,
    HrAdmin,
    /// The person, anyone above them, HR and administrators.
    Record,
    /// The person alone.
    Own,
    /// The two people of a one-on-one: the person and their manager.
    Pair,
    /// The pair, anyone above the person, HR and administrators.
    PairRecord,
    /// The pair, anyone above the person, and HR: people only.
    PairRecordPeople,
    /// The person and their manager.
    PersonOrManager,
    /// The person's manager, HR and administrators.
    ManagerHrAdmin,
    /// The person's manager and HR (as people, never about themselves).
    Drafter,
    /// The proposer's manager, HR and administrators; never the person or
    /// the proposer (the person's manager).
    Decider,
    /// Anyone above the person who manages managers, HR and administrators.
    Calibration,
    /// Anyone with reports, HR and administrators.
    Managers,
    /// Anyone with reports (as a person).
    TeamLeads,
    /// HR (as a person).
    HrPerson,
    /// The person (for their own team), HR and administrators.
    Team,
    /// Max (whose team holds the opening), HR and administrators.
    MaxTeam,
    /// An identity provider's SCIM token, and nobody else.
    Scim,
}

impl Rule {
    /// The rule in words, for the legend.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Rule::Public => "anyone, signed in or not",
            Rule::SignedIn => "anyone signed in",
            Rule::Admin => "administrators",
            Rule::HrAdmin => "HR and administrators",
            Rule::Record => {
                "the person, anyone above them in today's reporting tree, HR and administrators"
            }
            Rule::Own => "the person alone",
            Rule::Pair => "the two people of the one-on-one: the person and their manager",
            Rule::PairRecord => "the pair, anyone above the person, HR and administrators",
            Rule::PairRecordPeople => {
                "the pair, anyone above the person, and HR (people only: the link made is the caller's own)"
            }
            Rule::PersonOrManager => "the person and their manager",
            Rule::ManagerHrAdmin => "the person's manager, HR and administrators",
            Rule::Drafter => "the person's manager, and HR about anyone but themselves",
            Rule::Decider => {
                "the proposer's manager, HR and administrators; never the person or the proposer"
            }
            Rule::Calibration => {
                "anyone above the person who manages managers, HR and administrators"
            }
            Rule::Managers => "anyone with reports, HR and administrators",
            Rule::TeamLeads => "anyone with reports",
            Rule::HrPerson => "HR",
            Rule::Team => "the manager of the team themself, HR and administrators",
            Rule::MaxTeam => "Max (whose team holds the opening), HR and administrators",
            Rule::Scim => "an identity provider's SCIM token alone",
        }
    }

    fn allows(self, caller: Caller, target: Who) -> bool {
        let me = caller.person();
        let hr_admin = caller.is_hr() || caller.is_admin();
        let above = |who: Who| me.is_some_and(|m| m.is_above(who));
        let is = |who: Option<Who>| me.is_some() && me == who;
        match self {
            Rule::Public | Rule::SignedIn => true,
            Rule::Admin => caller.is_admin(),
            Rule::HrAdmin => hr_admin,
            Rule::Record => hr_admin || is(Some(target)) || above(target),
            Rule::Own => is(Some(target)),
            Rule::Pair => is(Some(target)) || is(target.manager()),
            Rule::PairRecord => hr_admin || is(Some(target)) || above(target),
            Rule::PairRecordPeople => caller.is_hr() || is(Some(target)) || above(target),
            Rule::PersonOrManager => is(Some(target)) || is(target.manager()),
            Rule::ManagerHrAdmin => hr_admin || is(target.manager()),
            Rule::Drafter => (caller.is_hr() && !is(Some(target))) || is(target.manager()),
            Rule::Decider => {
                let proposer = target.manager();
                !is(Some(target))
                    && !is(proposer)
                    && (hr_admin || is(proposer.and_then(Who::manager)))
            }
            Rule::Calibration => {
                hr_admin
                    || me
                        .is_some_and(|m| (m == target || m.is_above(target)) && manages_managers(m))
            }
            Rule::Managers => hr_admin || me.is_some_and(Who::has_reports),
            Rule::TeamLeads => me.is_some_and(Who::has_reports),
            Rule::HrPerson => caller.is_hr(),
            Rule::Team => hr_admin || is(Some(target)),
            Rule::MaxTeam => hr_admin || is(Some(Who::Max)),
            Rule::Scim => caller == Caller::ScimToken,
        }
    }
}

fn manages_managers(who: Who) -> bool {
    [
        Who::Max,
        Who::Mia,
        Who::Fred,
        Who::Eve,
        Who::Pam,
        Who::Sam,
        Who::Fay,
    ]
    .iter()
    .any(|r| r.manager() == Some(who) && r.has_reports())
}

/// The web pages answer, or the JSON API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    Api,
    Page,
}

/// Something a cell needs that cannot be shared between cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fresh {
    Nothing,
    /// A new session of the caller (the request ends it).
    Session,
    /// A new API token of the target (the request revokes it); `{token}` in the path.
    Token,
    /// A new webhook subscription (the request deletes it); `{webhook}` in the path.
    Webhook,
}

/// A request builder: the path with its ids and query, and the body.
pub(crate) type Request = fn(&Company, Who) -> (String, Body);

/// One route of the site and how the matrix tries it.
pub(crate) struct Spec {
    pub(crate) method: &'static str,
    /// The path template as the router holds it.
    pub(crate) route: &'static str,
    /// What varies: a note shown beside the route when it is tried more than one way.
    pub(crate) note: &'static str,
    /// Whether the route acts on a person (one cell per target).
    pub(crate) targeted: bool,
    pub(crate) rule: Rule,
    pub(crate) request: Request,
    pub(crate) fresh: Fresh,
    /// A page that works on the caller's login itself and so needs a
    /// session: an API token is asked to sign in.
    pub(crate) session_only: bool,
}

impl Spec {
    pub(crate) fn surface(&self) -> Surface {
        if self.route.starts_with("/api/")
            || self.route.starts_with("/scim/")
            || self.route == "/healthz"
            || self.route == "/metrics"
        {
            Surface::Api
        } else {
            Surface::Page
        }
    }

    pub(crate) fn method(&self) -> Method {
        Method::from_bytes(self.method.as_bytes()).expect("method")
    }

    /// The targets tried: the four people, or Eve alone where none applies.
    pub(crate) fn targets(&self) -> &'static [Who] {
        if self.targeted {
            &TARGETS
        } else {
            &TARGETS[..1]
        }
    }

    /// What `caller` should get on `target`.
    pub(crate) fn expect(&self, caller: Caller, target: Who) -> Outcome {
        // A SCIM token reaches `/scim/v2` alone; there, every other
        // credential is asked for a SCIM token (401).
        match (caller == Caller::ScimToken, self.rule == Rule::Scim) {
            (true, true) => return Outcome::Allow,
            (false, true) => return Outcome::Login,
            (true, false) if self.surface() == Surface::Page && self.method == "POST" => {
                return Outcome::Deny;
            }
            (true, false) if self.rule != Rule::Public => return Outcome::Login,
            _ => {}
        }
        // A page form needs the session's CSRF token: a bare API token has none.
        if caller == Caller::EveToken && self.surface() == Surface::Page && self.method == "POST" {
            return Outcome::Deny;
        }
        if self.rule == Rule::Public {
            return Outcome::Allow;
        }
        if caller == Caller::Anonymous || (caller == Caller::EveToken && self.session_only) {
            return Outcome::Login;
        }
        if self.rule.allows(caller, target) {
            Outcome::Allow
        } else {
            Outcome::Deny
        }
    }
}

const fn spec(
    method: &'static str,
    route: &'static str,
    targeted: bool,
    rule: Rule,
    request: Request,
) -> Spec {
    Spec {
        method,
        route,
        note: "",
        targeted,
        rule,
        request,
        fresh: Fresh::Nothing,
        session_only: false,
    }
}

fn json(path: String, body: serde_json::Value) -> (String, Body) {
    (path, Body::Json(body))
}

fn form(path: String, fields: &[(&str, &str)]) -> (String, Body) {
    (
        path,
        Body::Form(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
    )
}

fn get(path: impl Into<String>) -> (String, Body) {
    (path.into(), Body::None)
}

/// A level no competency has, for an assessment the domain refuses.
fn bad_assessment(target: Who) -> serde_json::Value {
    let framework = climb_framework::builtin();
    let role = framework.role(target.role()).expect("role");
    let competency = role.expectations[0].competency.to_string();
    json!({"competencies": {competency: {"level": 99, "evidence": "x"}}})
}

/// Every route of the site, in the order the cells run: the calendar feed is
/// read before it is replaced, meetings are held after everything else is
/// tried on them, and logging out comes last.
pub(crate) fn specs() -> Vec<Spec> {
    use Rule::*;
    let mut all = vec![
        // operations
        spec("GET", "/healthz", false, Public, |_, _| get("/healthz")),
        spec("GET", "/metrics", false, Public, |_, _| get("/metrics")),
        spec("GET", "/api/v1/openapi.json", false, Public, |_, _| {
            get("/api/v1/openapi.json")
        }),
        spec("POST", "/api/v1/login", false, Public, |_, _| {
            json(
                "/api/v1/login".into(),
                json!({"email": "nobody@example.com"}),
            )
        }),
        spec("GET", "/api/v1/me", false, SignedIn, |_, _| {
            get("/api/v1/me")
        }),
        // the framework
        spec("GET", "/api/v1/framework", false, SignedIn, |_, _| {
            get("/api/v1/framework")
        }),
        spec(
            "GET",
            "/api/v1/framework/chart.svg",
            false,
            SignedIn,
            |_, _| get("/api/v1/framework/chart.svg"),
        ),
        spec(
            "GET",
            "/api/v1/framework/versions",
            false,
            SignedIn,
            |_, _| get("/api/v1/framework/versions"),
        ),
        spec("GET", "/api/v1/roles", false, SignedIn, |_, _| {
            get("/api/v1/roles")
        }),
        spec("GET", "/api/v1/roles/{id}", false, SignedIn, |_, _| {
            get("/api/v1/roles/software-engineer")
        }),
        spec(
            "GET",
            "/api/v1/roles/{id}/people",
            false,
            SignedIn,
            |_, _| get("/api/v1/roles/software-engineer/people"),
        ),
        spec("GET", "/api/v1/paths", false, SignedIn, |_, _| {
            get("/api/v1/paths?from=software-engineer&to=staff-engineer")
        }),
        spec("GET", "/api/v1/designations", false, SignedIn, |_, _| {
            get("/api/v1/designations")
        }),
        // people
        spec("GET", "/api/v1/people", false, SignedIn, |_, _| {
            get("/api/v1/people")
        }),
        spec("POST", "/api/v1/people", false, HrAdmin, |_, _| {
            json(
                "/api/v1/people".into(),
                json!({"name": "Dup", "email": "eve@example.com", "role": "software-engineer"}),
            )
        }),
        spec("GET", "/api/v1/people/{id}", true, SignedIn, |c, t| {
            get(format!("/api/v1/people/{}", c.person(t)))
        }),
        spec(
            "GET",
            "/api/v1/people/{id}/history",
            true,
            Record,
            |c, t| get(format!("/api/v1/people/{}/history", c.person(t))),
        ),
        Spec {
            note: "promotion",
            ..spec(
                "POST",
                "/api/v1/people/{id}/role-changes",
                true,
                HrAdmin,
                |c, t| {
                    json(
                        format!("/api/v1/people/{}/role-changes", c.person(t)),
                        json!({"to_role": t.role()}),
                    )
                },
            )
        },
        Spec {
            note: "correction",
            ..spec(
                "POST",
                "/api/v1/people/{id}/role-changes",
                true,
                Admin,
                |c, t| {
                    json(
                        format!("/api/v1/people/{}/role-changes", c.person(t)),
                        json!({"to_role": "architect", "correction": true}),
                    )
                },
            )
        },
        spec(
            "PUT",
            "/api/v1/people/{id}/manager",
            true,
            HrAdmin,
            |c, t| {
                let id = c.person(t);
                json(
                    format!("/api/v1/people/{id}/manager"),
                    json!({"manager": id}),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/people/{id}/leave",
            true,
            HrAdmin,
            |c, t| {
                json(
                    format!("/api/v1/people/{}/leave", c.person(t)),
                    json!({"date": "1990-01-01"}),
                )
            },
        ),
        spec("POST", "/api/v1/people/{id}/erase", true, Admin, |c, t| {
            json(format!("/api/v1/people/{}/erase", c.person(t)), json!({}))
        }),
        spec("GET", "/api/v1/org/summary", true, SignedIn, |c, t| {
            get(format!("/api/v1/org/summary?under={}", c.person(t)))
        }),
        spec("GET", "/api/v1/insights/pyramid", true, Record, |c, t| {
            get(format!("/api/v1/insights/pyramid?under={}", c.person(t)))
        }),
        spec(
            "GET",
            "/api/v1/insights/pyramid.csv",
            true,
            Record,
            |c, t| {
                get(format!(
                    "/api/v1/insights/pyramid.csv?under={}",
                    c.person(t)
                ))
            },
        ),
        spec(
            "GET",
            "/api/v1/insights/time-in-role",
            true,
            Record,
            |c, t| {
                get(format!(
                    "/api/v1/insights/time-in-role?under={}",
                    c.person(t)
                ))
            },
        ),
        spec(
            "GET",
            "/api/v1/insights/time-in-role.csv",
            true,
            Record,
            |c, t| {
                get(format!(
                    "/api/v1/insights/time-in-role.csv?under={}",
                    c.person(t)
                ))
            },
        ),
        spec("GET", "/api/v1/insights/flow", true, Record, |c, t| {
            get(format!("/api/v1/insights/flow?under={}", c.person(t)))
        }),
        spec("GET", "/api/v1/insights/flow.csv", true, Record, |c, t| {
            get(format!("/api/v1/insights/flow.csv?under={}", c.person(t)))
        }),
        spec("GET", "/api/v1/insights/flow.svg", true, Record, |c, t| {
            get(format!("/api/v1/insights/flow.svg?under={}", c.person(t)))
        }),
        spec("GET", "/api/v1/insights/span", true, Record, |c, t| {
            get(format!("/api/v1/insights/span?under={}", c.person(t)))
        }),
        spec("GET", "/api/v1/insights/span.csv", true, Record, |c, t| {
            get(format!("/api/v1/insights/span.csv?under={}", c.person(t)))
        }),
        spec("GET", "/api/v1/insights/habits", true, Record, |c, t| {
            get(format!("/api/v1/insights/habits?under={}", c.person(t)))
        }),
        spec(
            "GET",
            "/api/v1/insights/habits.csv",
            true,
            Record,
            |c, t| get(format!("/api/v1/insights/habits.csv?under={}", c.person(t))),
        ),
        spec(
            "GET",
            "/api/v1/insights/projection",
            false,
            HrAdmin,
            |_, _| get("/api/v1/insights/projection?years=1&runs=1".to_owned()),
        ),
        spec(
            "GET",
            "/api/v1/insights/projection.csv",
            false,
            HrAdmin,
            |_, _| get("/api/v1/insights/projection.csv?years=1&runs=1".to_owned()),
        ),
        // calendar feeds: read before they are replaced
        spec("GET", "/api/v1/calendar/{token}", true, Public, |c, t| {
            get(format!("/api/v1/calendar/{}", c.of(t).calendar))
        }),
        spec(
            "POST",
            "/api/v1/people/{id}/calendar-feed",
            true,
            Own,
            |c, t| {
                json(
                    format!("/api/v1/people/{}/calendar-feed", c.person(t)),
                    json!({}),
                )
            },
        ),
        spec(
            "DELETE",
            "/api/v1/people/{id}/calendar-feed",
            true,
            Own,
            |c, t| get(format!("/api/v1/people/{}/calendar-feed", c.person(t))),
        ),
        // growth
        spec(
            "GET",
            "/api/v1/people/{id}/growth-plan",
            true,
            Record,
            |c, t| get(format!("/api/v1/people/{}/growth-plan", c.person(t))),
        ),
        spec(
            "POST",
            "/api/v1/people/{id}/goals",
            true,
            PersonOrManager,
            |c, t| {
                json(
                    format!("/api/v1/people/{}/goals", c.person(t)),
                    json!({"text": " "}),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/people/{id}/goals/{goal}/done",
            true,
            PersonOrManager,
            |c, t| {
                json(
                    format!("/api/v1/people/{}/goals/{}/done", c.person(t), c.of(t).goal),
                    json!({}),
                )
            },
        ),
        // reviews
        spec(
            "GET",
            "/api/v1/people/{id}/reviews",
            true,
            Record,
            |c, t| get(format!("/api/v1/people/{}/reviews", c.person(t))),
        ),
        spec("GET", "/api/v1/review-cycles", false, SignedIn, |_, _| {
            get("/api/v1/review-cycles")
        }),
        spec("POST", "/api/v1/review-cycles", false, HrAdmin, |_, _| {
            json(
                "/api/v1/review-cycles".into(),
                json!({"name": "H1", "period_start": "2026-06-30", "period_end": "2026-01-01",
                       "scope": {"kind": "everyone"}}),
            )
        }),
        spec(
            "GET",
            "/api/v1/review-cycles/{id}/calibration",
            true,
            Calibration,
            |c, t| {
                get(format!(
                    "/api/v1/review-cycles/{}/calibration?under={}",
                    c.open_cycle,
                    c.person(t)
                ))
            },
        ),
        spec(
            "POST",
            "/api/v1/review-cycles/{id}/close",
            false,
            HrAdmin,
            |c, _| {
                json(
                    format!("/api/v1/review-cycles/{}/close", c.closed_cycle),
                    json!({}),
                )
            },
        ),
        spec("GET", "/api/v1/reviews/{id}", true, Record, |c, t| {
            get(format!("/api/v1/reviews/{}", c.of(t).review))
        }),
        spec(
            "PUT",
            "/api/v1/reviews/{id}/assessment",
            true,
            PersonOrManager,
            |c, t| {
                json(
                    format!("/api/v1/reviews/{}/assessment", c.of(t).review),
                    bad_assessment(t),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/reviews/{id}/sign",
            true,
            PersonOrManager,
            |c, t| {
                json(
                    format!("/api/v1/reviews/{}/sign", c.of(t).review),
                    json!({}),
                )
            },
        ),
        // promotions
        spec(
            "GET",
            "/api/v1/people/{id}/promotion-proposals",
            true,
            Record,
            |c, t| {
                get(format!(
                    "/api/v1/people/{}/promotion-proposals",
                    c.person(t)
                ))
            },
        ),
        spec(
            "POST",
            "/api/v1/people/{id}/promotion-proposals",
            true,
            Drafter,
            |c, t| {
                json(
                    format!("/api/v1/people/{}/promotion-proposals", c.person(t)),
                    json!({"to_role": t.role(), "evidence": {"delivery": "shipped"}}),
                )
            },
        ),
        spec(
            "GET",
            "/api/v1/promotion-proposals/{id}",
            true,
            Record,
            |c, t| get(format!("/api/v1/promotion-proposals/{}", c.of(t).proposal)),
        ),
        spec(
            "POST",
            "/api/v1/promotion-proposals/{id}/approve",
            true,
            Decider,
            |c, t| {
                json(
                    format!("/api/v1/promotion-proposals/{}/approve", c.of(t).proposal),
                    json!({}),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/promotion-proposals/{id}/reject",
            true,
            Decider,
            |c, t| {
                json(
                    format!("/api/v1/promotion-proposals/{}/reject", c.of(t).proposal),
                    json!({"comment": "again"}),
                )
            },
        ),
        // one-on-ones
        spec(
            "GET",
            "/api/v1/people/{id}/one-on-ones",
            true,
            Record,
            |c, t| get(format!("/api/v1/people/{}/one-on-ones", c.person(t))),
        ),
        spec(
            "GET",
            "/api/v1/people/{id}/one-on-ones/reports",
            true,
            Record,
            |c, t| {
                get(format!(
                    "/api/v1/people/{}/one-on-ones/reports",
                    c.person(t)
                ))
            },
        ),
        spec(
            "PUT",
            "/api/v1/people/{id}/one-on-ones/schedule",
            true,
            ManagerHrAdmin,
            |c, t| {
                json(
                    format!("/api/v1/people/{}/one-on-ones/schedule", c.person(t)),
                    json!({"cadence": "daily", "first_date": "2027-01-04", "time": "10:00", "time_zone": "UTC"}),
                )
            },
        ),
        spec(
            "GET",
            "/api/v1/one-on-ones/{id}",
            true,
            PairRecord,
            |c, t| get(format!("/api/v1/one-on-ones/{}", c.of(t).meeting)),
        ),
        spec(
            "POST",
            "/api/v1/one-on-ones/{id}/agenda",
            true,
            Pair,
            |c, t| {
                json(
                    format!("/api/v1/one-on-ones/{}/agenda", c.of(t).meeting),
                    json!({"text": " "}),
                )
            },
        ),
        spec(
            "PUT",
            "/api/v1/one-on-ones/agenda/{id}",
            true,
            Pair,
            |c, t| {
                json(
                    format!("/api/v1/one-on-ones/agenda/{}", c.of(t).agenda_item),
                    json!({"discussed": false}),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/one-on-ones/{id}/notes",
            true,
            Pair,
            |c, t| {
                json(
                    format!("/api/v1/one-on-ones/{}/notes", c.of(t).meeting),
                    json!({"text": " "}),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/one-on-ones/{id}/actions",
            true,
            Pair,
            |c, t| {
                json(
                    format!("/api/v1/one-on-ones/{}/actions", c.of(t).meeting),
                    json!({"text": " ", "owner": c.person(t), "due": "2027-01-04"}),
                )
            },
        ),
        spec(
            "PUT",
            "/api/v1/one-on-ones/actions/{id}",
            true,
            Pair,
            |c, t| {
                json(
                    format!("/api/v1/one-on-ones/actions/{}", c.of(t).action),
                    json!({"done": false}),
                )
            },
        ),
        // openings
        spec("GET", "/api/v1/openings", false, SignedIn, |_, _| {
            get("/api/v1/openings")
        }),
        spec("POST", "/api/v1/openings", true, Team, |c, t| {
            json(
                "/api/v1/openings".into(),
                json!({"manager": c.person(t), "role": "software-engineer"}),
            )
        }),
        spec(
            "POST",
            "/api/v1/openings/{id}/cancel",
            false,
            MaxTeam,
            |c, _| json(format!("/api/v1/openings/{}/cancel", c.opening), json!({})),
        ),
        spec(
            "POST",
            "/api/v1/openings/{id}/fill",
            false,
            HrAdmin,
            |c, _| {
                json(
                    format!("/api/v1/openings/{}/fill", c.opening),
                    json!({"name": "New Hire", "email": "new.hire@example.com"}),
                )
            },
        ),
        // projects
        spec("GET", "/api/v1/projects", false, SignedIn, |_, _| {
            get("/api/v1/projects")
        }),
        spec("POST", "/api/v1/projects", false, Managers, |_, _| {
            json("/api/v1/projects".into(), json!({"name": " "}))
        }),
        spec("GET", "/api/v1/projects/{id}", false, SignedIn, |c, _| {
            get(format!("/api/v1/projects/{}", c.open_project))
        }),
        spec(
            "POST",
            "/api/v1/projects/{id}/close",
            false,
            Managers,
            |c, _| {
                json(
                    format!("/api/v1/projects/{}/close", c.closed_project),
                    json!({}),
                )
            },
        ),
        spec(
            "POST",
            "/api/v1/projects/{id}/designations",
            true,
            Managers,
            |c, t| {
                json(
                    format!("/api/v1/projects/{}/designations", c.closed_project),
                    json!({"person": c.person(t), "designation": "team-lead"}),
                )
            },
        ),
        // updates
        spec("GET", "/api/v1/updates", false, SignedIn, |_, _| {
            get("/api/v1/updates")
        }),
        Spec {
            note: "to the team",
            ..spec("POST", "/api/v1/updates", false, TeamLeads, |_, _| {
                json(
                    "/api/v1/updates".into(),
                    json!({"title": " ", "body": "b", "audience": "team"}),
                )
            })
        },
        Spec {
            note: "to the company",
            ..spec("POST", "/api/v1/updates", false, HrPerson, |_, _| {
                json(
                    "/api/v1/updates".into(),
                    json!({"title": " ", "body": "b", "audience": "company"}),
                )
            })
        },
        // audit, accounts and tokens
        spec("GET", "/api/v1/audit", true, HrAdmin, |c, t| {
            get(format!("/api/v1/audit?person={}", c.person(t)))
        }),
        spec("GET", "/api/v1/accounts", false, Admin, |_, _| {
            get("/api/v1/accounts")
        }),
        spec("POST", "/api/v1/accounts", true, Admin, |c, t| {
            json(
                "/api/v1/accounts".into(),
                json!({"person": c.person(t), "kind": "employee"}),
            )
        }),
        spec("PATCH", "/api/v1/accounts/{id}", true, Admin, |c, t| {
            json(
                format!("/api/v1/accounts/{}", c.of(t).account),
                json!({"password": "short"}),
            )
        }),
        spec("GET", "/api/v1/tokens", false, SignedIn, |_, _| {
            get("/api/v1/tokens")
        }),
        spec("POST", "/api/v1/tokens", false, SignedIn, |_, _| {
            json("/api/v1/tokens".into(), json!({"name": " "}))
        }),
        Spec {
            fresh: Fresh::Token,
            ..spec("DELETE", "/api/v1/tokens/{id}", true, Own, |_, _| {
                get("/api/v1/tokens/{token}")
            })
        },
        // SCIM provisioning: requests that change nothing (an unmapped
        // role, a malformed PATCH, a leaving refused for reports).
        spec(
            "GET",
            "/scim/v2/ServiceProviderConfig",
            false,
            Scim,
            |_, _| get("/scim/v2/ServiceProviderConfig"),
        ),
        spec("GET", "/scim/v2/ResourceTypes", false, Scim, |_, _| {
            get("/scim/v2/ResourceTypes")
        }),
        spec("GET", "/scim/v2/ResourceTypes/{id}", false, Scim, |_, _| {
            get("/scim/v2/ResourceTypes/User")
        }),
        spec("GET", "/scim/v2/Schemas", false, Scim, |_, _| {
            get("/scim/v2/Schemas")
        }),
        spec("GET", "/scim/v2/Schemas/{id}", false, Scim, |_, _| {
            get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
        }),
        spec("GET", "/scim/v2/Users", false, Scim, |_, _| {
            get("/scim/v2/Users?filter=userName%20eq%20%22nobody%40example.com%22")
        }),
        spec("POST", "/scim/v2/Users", false, Scim, |_, _| {
            json(
                "/scim/v2/Users".into(),
                json!({"userName": "merlin@example.com", "title": "Chief Wizard"}),
            )
        }),
        spec("POST", "/scim/v2/Users/.search", false, Scim, |_, _| {
            json(
                "/scim/v2/Users/.search".into(),
                json!({"filter": "userName eq \"nobody@example.com\""}),
            )
        }),
        spec("POST", "/scim/v2/.search", false, Scim, |_, _| {
            json("/scim/v2/.search".into(), json!({}))
        }),
        spec("GET", "/scim/v2/Users/{id}", false, Scim, |c, _| {
            get(format!("/scim/v2/Users/{}", c.ids[&Who::Eve]))
        }),
        spec("PUT", "/scim/v2/Users/{id}", false, Scim, |c, _| {
            json(
                format!("/scim/v2/Users/{}", c.ids[&Who::Eve]),
                json!({"userName": Who::Eve.email(), "title": "Chief Wizard"}),
            )
        }),
        spec("PATCH", "/scim/v2/Users/{id}", false, Scim, |c, _| {
            json(
                format!("/scim/v2/Users/{}", c.ids[&Who::Eve]),
                json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                       "Operations": [{"op": "move", "path": "title", "value": "x"}]}),
            )
        }),
        spec("DELETE", "/scim/v2/Users/{id}", false, Scim, |c, _| {
            get(format!("/scim/v2/Users/{}", c.ids[&Who::Max]))
        }),
        // Webhooks
        spec("GET", "/api/v1/webhooks", false, Admin, |_, _| {
            get("/api/v1/webhooks")
        }),
        spec("POST", "/api/v1/webhooks", false, Admin, |_, _| {
            json(
                "/api/v1/webhooks".into(),
                json!({"url": "ftp://example.com/", "events": ["person.hired"]}),
            )
        }),
        Spec {
            fresh: Fresh::Webhook,
            ..spec("DELETE", "/api/v1/webhooks/{id}", false, Admin, |_, _| {
                get("/api/v1/webhooks/{webhook}")
            })
        },
        spec(
            "GET",
            "/api/v1/webhooks/{id}/deliveries",
            false,
            Admin,
            |c, _| get(format!("/api/v1/webhooks/{}/deliveries", c.webhook)),
        ),
        spec(
            "POST",
            "/api/v1/webhooks/{id}/deliveries/{delivery}/replay",
            false,
            Admin,
            |c, _| {
                json(
                    format!(
                        "/api/v1/webhooks/{}/deliveries/{}/replay",
                        c.webhook, c.webhook_delivery
                    ),
                    json!({}),
                )
            },
        ),
        Spec {
            session_only: true,
            ..spec("GET", "/admin/webhooks", false, Admin, |_, _| {
                get("/admin/webhooks")
            })
        },
        spec("POST", "/admin/webhooks", false, Admin, |_, _| {
            form(
                "/admin/webhooks".into(),
                &[("url", "ftp://example.com/"), ("events", "person.hired")],
            )
        }),
        Spec {
            fresh: Fresh::Webhook,
            ..spec(
                "POST",
                "/admin/webhooks/{id}/delete",
                false,
                Admin,
                |_, _| form("/admin/webhooks/{webhook}/delete".into(), &[]),
            )
        },
        spec(
            "POST",
            "/admin/webhooks/{id}/deliveries/{delivery}/replay",
            false,
            Admin,
            |c, _| {
                form(
                    format!(
                        "/admin/webhooks/{}/deliveries/{}/replay",
                        c.webhook, c.webhook_delivery
                    ),
                    &[],
                )
            },
        ),
        // pages
        spec("GET", "/static/{file}", false, Public, |_, _| {
            get("/static/app.css")
        }),
        spec("GET", "/login", false, Public, |_, _| get("/login")),
        spec("POST", "/login", false, Public, |_, _| {
            form("/login".into(), &[("email", "nobody@example.com")])
        }),
        // Single sign-on
        spec("GET", "/login/oidc", false, Public, |_, _| {
            get("/login/oidc?next=/chart")
        }),
        spec("GET", "/login/oidc/callback", false, Public, |_, _| {
            get("/login/oidc/callback?code=forged&state=forged")
        }),
        spec("GET", "/", false, SignedIn, |_, _| get("/")),
        spec("GET", "/chart", false, SignedIn, |_, _| get("/chart")),
        spec("GET", "/roles/{id}", false, SignedIn, |_, _| {
            get("/roles/software-engineer")
        }),
        spec("GET", "/path", false, SignedIn, |_, _| {
            get("/path?from=software-engineer&to=staff-engineer")
        }),
        spec("GET", "/people", false, SignedIn, |_, _| get("/people")),
        spec("GET", "/people.csv", false, SignedIn, |_, _| {
            get("/people.csv")
        }),
        spec("GET", "/people/{id}", true, SignedIn, |c, t| {
            get(format!("/people/{}", c.person(t)))
        }),
        spec("GET", "/org", false, SignedIn, |_, _| get("/org")),
        spec("GET", "/org/{id}/reports", true, SignedIn, |c, t| {
            get(format!("/org/{}/reports", c.person(t)))
        }),
        spec("GET", "/projects", false, SignedIn, |_, _| get("/projects")),
        spec("POST", "/projects", false, Managers, |_, _| {
            form("/projects".into(), &[("name", " ")])
        }),
        spec("GET", "/projects/{id}", false, SignedIn, |c, _| {
            get(format!("/projects/{}", c.open_project))
        }),
        spec("POST", "/projects/{id}/members", false, Managers, |c, _| {
            form(
                format!("/projects/{}/members", c.closed_project),
                &[("email", "eve@example.com")],
            )
        }),
        spec(
            "POST",
            "/projects/{id}/designations",
            true,
            Managers,
            |c, t| {
                let person = c.person(t).to_string();
                form(
                    format!("/projects/{}/designations", c.closed_project),
                    &[("person", person.as_str()), ("designation", "team-lead")],
                )
            },
        ),
        spec("POST", "/projects/{id}/close", false, Managers, |c, _| {
            form(format!("/projects/{}/close", c.closed_project), &[])
        }),
        spec("GET", "/openings", false, SignedIn, |_, _| get("/openings")),
        // Blank team: the caller's own, which the API then judges (a person
        // without reports is told why, with the form as typed).
        spec("POST", "/openings", false, SignedIn, |_, _| {
            form("/openings".into(), &[("role", "software-engineer")])
        }),
        spec("POST", "/openings/{id}/cancel", false, MaxTeam, |c, _| {
            form(format!("/openings/{}/cancel", c.opening), &[])
        }),
        spec("POST", "/openings/{id}/fill", false, HrAdmin, |c, _| {
            form(
                format!("/openings/{}/fill", c.opening),
                &[("name", "New Hire"), ("email", "new.hire@example.com")],
            )
        }),
        Spec {
            note: "the viewer's own",
            ..spec("GET", "/insights", false, SignedIn, |_, _| get("/insights"))
        },
        Spec {
            note: "a person's team",
            ..spec("GET", "/insights", true, Record, |_, t| {
                get(format!("/insights?manager={}", t.email()))
            })
        },
        spec("GET", "/insights/projection", false, HrAdmin, |_, _| {
            get("/insights/projection?years=1&runs=10")
        }),
        spec("GET", "/audit", false, HrAdmin, |_, _| get("/audit")),
        spec("GET", "/audit.csv", false, HrAdmin, |_, _| {
            get("/audit.csv")
        }),
        spec("GET", "/admin", false, Admin, |_, _| get("/admin")),
        spec("POST", "/admin/framework/check", false, HrAdmin, |_, _| {
            form("/admin/framework/check".into(), &[("source", "not toml")])
        }),
        spec("POST", "/admin/framework", false, HrAdmin, |_, _| {
            form("/admin/framework".into(), &[("source", "not toml")])
        }),
        spec("POST", "/admin/import/check", false, Admin, |_, _| {
            form("/admin/import/check".into(), &[("csv", "email\n")])
        }),
        spec("POST", "/admin/import", false, Admin, |_, _| {
            form("/admin/import".into(), &[("csv", "email\n")])
        }),
        spec("GET", "/admin/users", false, Admin, |_, _| {
            get("/admin/users")
        }),
        spec("POST", "/admin/users", false, Admin, |_, _| {
            form(
                "/admin/users".into(),
                &[
                    ("email", "eve@example.com"),
                    ("kind", "employee"),
                    ("password", "long enough"),
                ],
            )
        }),
        spec("POST", "/admin/users/{id}", true, Admin, |c, t| {
            form(
                format!("/admin/users/{}", c.of(t).account),
                &[("what", "nothing")],
            )
        }),
        spec("GET", "/admin/scim", false, Admin, |_, _| {
            get("/admin/scim")
        }),
        spec("POST", "/admin/scim", false, Admin, |_, _| {
            form("/admin/scim".into(), &[("name", " ")])
        }),
        spec("POST", "/admin/scim/{id}/revoke", false, Admin, |c, _| {
            form(format!("/admin/scim/{}/revoke", c.revoked_scim_token), &[])
        }),
        Spec {
            session_only: true,
            ..spec("GET", "/tokens", false, SignedIn, |_, _| get("/tokens"))
        },
        spec("POST", "/tokens", false, SignedIn, |_, _| {
            form("/tokens".into(), &[("name", " ")])
        }),
        spec("POST", "/tokens/time-zone", false, SignedIn, |_, _| {
            form("/tokens/time-zone".into(), &[("time_zone", "Nowhere/Else")])
        }),
        spec("POST", "/tokens/mail", false, SignedIn, |_, _| {
            form(
                "/tokens/mail".into(),
                &[("notices", "on"), ("digest", "on")],
            )
        }),
        Spec {
            fresh: Fresh::Token,
            ..spec("POST", "/tokens/{id}/revoke", true, Own, |_, _| {
                form("/tokens/{token}/revoke".into(), &[])
            })
        },
        spec("GET", "/one-on-ones", false, SignedIn, |_, _| {
            get("/one-on-ones")
        }),
        spec(
            "GET",
            "/one-on-ones/with/{report}",
            true,
            PairRecord,
            |c, t| get(format!("/one-on-ones/with/{}", c.person(t))),
        ),
        spec(
            "POST",
            "/one-on-ones/with/{report}/schedule",
            true,
            ManagerHrAdmin,
            |c, t| {
                form(
                    format!("/one-on-ones/with/{}/schedule", c.person(t)),
                    &[
                        ("cadence", "daily"),
                        ("first_date", "2027-01-04"),
                        ("time", "10:00"),
                        ("time_zone", "UTC"),
                        ("minutes", "30"),
                    ],
                )
            },
        ),
        spec(
            "POST",
            "/one-on-ones/with/{report}/feed",
            true,
            PairRecordPeople,
            |c, t| form(format!("/one-on-ones/with/{}/feed", c.person(t)), &[]),
        ),
        spec("GET", "/one-on-ones/{id}", true, PairRecord, |c, t| {
            get(format!("/one-on-ones/{}", c.of(t).meeting))
        }),
        spec("POST", "/one-on-ones/{id}/agenda", true, Pair, |c, t| {
            form(
                format!("/one-on-ones/{}/agenda", c.of(t).meeting),
                &[("text", " ")],
            )
        }),
        spec("POST", "/one-on-ones/{id}/notes", true, Pair, |c, t| {
            form(
                format!("/one-on-ones/{}/notes", c.of(t).meeting),
                &[("text", " ")],
            )
        }),
        spec("POST", "/one-on-ones/{id}/actions", true, Pair, |c, t| {
            let owner = c.person(t).to_string();
            form(
                format!("/one-on-ones/{}/actions", c.of(t).meeting),
                &[
                    ("text", " "),
                    ("owner", owner.as_str()),
                    ("due", "2027-01-04"),
                ],
            )
        }),
        spec(
            "POST",
            "/one-on-ones/agenda/{item}/toggle",
            true,
            Pair,
            |c, t| {
                form(
                    format!("/one-on-ones/agenda/{}/toggle", c.of(t).agenda_item),
                    &[],
                )
            },
        ),
        spec(
            "POST",
            "/one-on-ones/actions/{id}/done",
            true,
            Pair,
            |c, t| form(format!("/one-on-ones/actions/{}/done", c.of(t).action), &[]),
        ),
        spec(
            "POST",
            "/people/{id}/goals",
            true,
            PersonOrManager,
            |c, t| form(format!("/people/{}/goals", c.person(t)), &[("text", " ")]),
        ),
        spec(
            "POST",
            "/people/{id}/goals/{goal}/done",
            true,
            PersonOrManager,
            |c, t| {
                form(
                    format!("/people/{}/goals/{}/done", c.person(t), c.of(t).goal),
                    &[],
                )
            },
        ),
        spec("GET", "/promotions", false, SignedIn, |_, _| {
            get("/promotions")
        }),
        spec("GET", "/promotions/{id}", true, Record, |c, t| {
            get(format!("/promotions/{}", c.of(t).proposal))
        }),
        spec(
            "POST",
            "/promotions/{id}/decision",
            true,
            Decider,
            |c, t| {
                form(
                    format!("/promotions/{}/decision", c.of(t).proposal),
                    &[("decision", "approve"), ("comment", "yes")],
                )
            },
        ),
        spec(
            "GET",
            "/people/{id}/promotions/new",
            true,
            Drafter,
            |c, t| get(format!("/people/{}/promotions/new", c.person(t))),
        ),
        spec("POST", "/people/{id}/promotions", true, Drafter, |c, t| {
            form(
                format!("/people/{}/promotions", c.person(t)),
                &[("to_role", t.role())],
            )
        }),
        spec("GET", "/reviews", false, SignedIn, |_, _| get("/reviews")),
        spec("POST", "/reviews/cycles", false, HrAdmin, |_, _| {
            form(
                "/reviews/cycles".into(),
                &[
                    ("name", "H1"),
                    ("period_start", "2026-06-30"),
                    ("period_end", "2026-01-01"),
                    ("scope", "everyone"),
                ],
            )
        }),
        spec(
            "POST",
            "/reviews/cycles/{id}/close",
            false,
            HrAdmin,
            |c, _| form(format!("/reviews/cycles/{}/close", c.closed_cycle), &[]),
        ),
        spec(
            "GET",
            "/reviews/cycles/{id}/calibration",
            true,
            Calibration,
            |c, t| {
                get(format!(
                    "/reviews/cycles/{}/calibration?under={}",
                    c.open_cycle,
                    c.person(t)
                ))
            },
        ),
        spec(
            "GET",
            "/reviews/cycles/{id}/results.csv",
            false,
            HrAdmin,
            |c, _| get(format!("/reviews/cycles/{}/results.csv", c.open_cycle)),
        ),
        spec("GET", "/reviews/{id}", true, Record, |c, t| {
            get(format!("/reviews/{}", c.of(t).review))
        }),
        spec(
            "POST",
            "/reviews/{id}/assessment",
            true,
            PersonOrManager,
            |c, t| {
                form(
                    format!("/reviews/{}/assessment", c.of(t).review),
                    &[("rating", "not-a-rating")],
                )
            },
        ),
        spec(
            "POST",
            "/reviews/{id}/sign",
            true,
            PersonOrManager,
            |c, t| form(format!("/reviews/{}/sign", c.of(t).review), &[]),
        ),
        spec("POST", "/updates", false, TeamLeads, |_, _| {
            form(
                "/updates".into(),
                &[("title", " "), ("body", "b"), ("audience", "team")],
            )
        }),
    ];
    // Releasing the closed cycle, which holds nothing back: refused (422).
    all.push(spec(
        "POST",
        "/api/v1/review-cycles/{id}/release",
        false,
        HrAdmin,
        |c, _| {
            json(
                format!("/api/v1/review-cycles/{}/release", c.closed_cycle),
                json!({}),
            )
        },
    ));
    all.push(spec(
        "POST",
        "/reviews/cycles/{id}/release",
        false,
        HrAdmin,
        |c, _| form(format!("/reviews/cycles/{}/release", c.closed_cycle), &[]),
    ));
    // Holding a meeting moves the pair on to the next one: after everything
    // else was tried on it.
    all.push(spec(
        "POST",
        "/api/v1/one-on-ones/{id}/hold",
        true,
        Pair,
        |c, t| {
            json(
                format!("/api/v1/one-on-ones/{}/hold", c.of(t).meeting),
                json!({}),
            )
        },
    ));
    all.push(spec(
        "POST",
        "/one-on-ones/{id}/hold",
        true,
        Pair,
        |c, t| form(format!("/one-on-ones/{}/hold", c.of(t).meeting), &[]),
    ));
    // Logging out ends the session it is sent with: a fresh one each time.
    all.push(Spec {
        fresh: Fresh::Session,
        ..spec("POST", "/api/v1/logout", false, SignedIn, |_, _| {
            json("/api/v1/logout".into(), json!({}))
        })
    });
    all.push(Spec {
        fresh: Fresh::Session,
        ..spec("POST", "/logout", false, Public, |_, _| {
            form("/logout".into(), &[])
        })
    });
    all
}
