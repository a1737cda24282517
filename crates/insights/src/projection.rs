//! The workforce projection: the expected stock, exact, and a seeded Monte
//! Carlo around it, per role, per stream and in total.
//!
//! Both run the same Markov chain. Each step, the holders of a role stay,
//! move to another role or leave with the model's probabilities, then the
//! plan's hires join and roles below their target are filled up to it. The
//! expected stock is `n(t+1) = n(t)·P + r(t)`. The Monte Carlo draws each
//! role's outflows as one multinomial per run and step (a binomial per
//! outcome, conditioned on those drawn before), so its cost grows with the
//! number of roles and runs, not with the number of people. Without
//! targets, the mean of the runs converges to the expected stock; a target
//! fills each run to it, so there the runs' mean sits a little above the
//! expected stock, which fills only the expected shortfall.

use chrono::{Months, NaiveDate};
use climb_framework::Framework;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};

use crate::error::InsightsError;
use crate::estimate::Headcount;
use crate::hiring::{HiringPlan, ResolvedPlan};
use crate::model::Model;
use crate::window::Step;

/// The most Monte Carlo runs accepted.
pub const MAX_RUNS: u32 = 100_000;

/// The most steps accepted (a century of months).
pub const MAX_STEPS: u32 = 1_200;

/// How far and how often to project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectionSettings {
    /// Steps ahead (months or years, the model's step).
    pub steps: u32,
    /// Monte Carlo runs, `1..=MAX_RUNS`.
    pub runs: u32,
    /// The seed: the same seed and inputs give the same numbers.
    pub seed: u64,
}

/// The spread of the Monte Carlo runs at one step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// The mean over the runs.
    pub mean: f64,
    /// 10th percentile (nearest rank).
    pub p10: u64,
    /// Median (nearest rank).
    pub p50: u64,
    /// 90th percentile (nearest rank).
    pub p90: u64,
}

/// One role's, stream's or the company's headcount over the projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Role or stream id (`total` for the company).
    pub id: String,
    /// Role title or stream name.
    pub name: String,
    /// The expected stock at each step, the start first.
    pub expected: Vec<f64>,
    /// The Monte Carlo band at each step, the start first.
    pub simulated: Vec<Band>,
}

/// A projection's result: `steps + 1` values per series, from the start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// Months or years.
    pub step: Step,
    /// The date of each value, the start first.
    pub dates: Vec<NaiveDate>,
    /// Monte Carlo runs.
    pub runs: u32,
    /// The seed used.
    pub seed: u64,
    /// One series per role, in the framework's order.
    pub roles: Vec<Series>,
    /// One series per stream, in the framework's order.
    pub streams: Vec<Series>,
    /// The whole company.
    pub total: Series,
}

/// Projects `start` forward under `model` and `plan`.
///
/// Fails on zero steps or more than [`MAX_STEPS`], a run count outside
/// `1..=MAX_RUNS`, a plan naming an unknown role or an invalid count, or a
/// model or headcount not made from this framework.
pub fn project(
    framework: &Framework,
    model: &Model,
    start: &Headcount,
    plan: &HiringPlan,
    settings: ProjectionSettings,
) -> Result<Projection, InsightsError> {
    check_settings(settings)?;
    let chain = Chain::new(framework, model, plan, start.per_role.len())?;
    let dates = (0..=settings.steps)
        .map(|k| {
            start
                .date
                .checked_add_months(Months::new(k * model.step.months()))
                .ok_or(InsightsError::DateOutOfRange)
        })
        .collect::<Result<Vec<_>, _>>()?;

    let initial: Vec<f64> = start.per_role.iter().map(|&n| n as f64).collect();
    let expected = chain.expected(&initial, settings.steps);
    let groups = Groups::new(framework);
    let simulated = chain.simulate(&start.per_role, settings, &groups)?;

    let series = |id: String, name: String, members: &[usize], bands: Vec<Band>| Series {
        id,
        name,
        expected: expected
            .iter()
            .map(|stock| members.iter().map(|&i| stock[i]).sum())
            .collect(),
        simulated: bands,
    };
    let mut bands = simulated.into_iter();
    let roles = framework
        .roles()
        .iter()
        .enumerate()
        .map(|(i, role)| {
            series(
                role.id.to_string(),
                role.title.clone(),
                &[i],
                bands.next().unwrap_or_default(),
            )
        })
        .collect();
    let streams = framework
        .streams()
        .iter()
        .zip(&groups.stream_members)
        .map(|(stream, members)| {
            series(
                stream.id.to_string(),
                stream.name.clone(),
                members,
                bands.next().unwrap_or_default(),
            )
        })
        .collect();
    let everyone: Vec<usize> = (0..framework.roles().len()).collect();
    let total = series(
        "total".to_owned(),
        "Total".to_owned(),
        &everyone,
        bands.next().unwrap_or_default(),
    );
    Ok(Projection {
        step: model.step,
        dates,
        runs: settings.runs,
        seed: settings.seed,
        roles,
        streams,
        total,
    })
}

/// The expected stock per role at each step (`steps + 1` rows, the start
/// first): `n(t+1) = n(t)·P + r(t)`, then each role below its target raised
/// to it.
///
/// Fails as [`project`] does on the plan, the length of `start` or the
/// number of steps.
pub fn expected_stock(
    framework: &Framework,
    model: &Model,
    start: &[f64],
    plan: &HiringPlan,
    steps: u32,
) -> Result<Vec<Vec<f64>>, InsightsError> {
    if steps > MAX_STEPS {
        return Err(InsightsError::HorizonTooLong(steps));
    }
    let chain = Chain::new(framework, model, plan, start.len())?;
    Ok(chain.expected(start, steps))
}

fn check_settings(settings: ProjectionSettings) -> Result<(), InsightsError> {
    if settings.steps == 0 {
        return Err(InsightsError::EmptyHorizon);
    }
    if settings.steps > MAX_STEPS {
        return Err(InsightsError::HorizonTooLong(settings.steps));
    }
    if settings.runs == 0 || settings.runs > MAX_RUNS {
        return Err(InsightsError::Runs(settings.runs));
    }
    Ok(())
}

/// Where a holder of a role may go in one step.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Move(usize),
    Leave,
}

/// The model and plan as flat arrays by role index.
#[derive(Debug)]
struct Chain {
    /// Per role: the outcomes other than staying, with their probability
    /// and their probability given that none of the earlier ones happened.
    outflows: Vec<Vec<(Outcome, f64, f64)>>,
    stay: Vec<f64>,
    plan: ResolvedPlan,
}

impl Chain {
    fn new(
        framework: &Framework,
        model: &Model,
        plan: &HiringPlan,
        stock_roles: usize,
    ) -> Result<Self, InsightsError> {
        let roles = framework.roles().len();
        for got in [model.roles.len(), stock_roles] {
            if got != roles {
                return Err(InsightsError::StockMismatch {
                    expected: roles,
                    got,
                });
            }
        }
        let plan = plan.resolve(framework, model.step)?;
        let mut outflows = Vec::with_capacity(roles);
        let mut stay = Vec::with_capacity(roles);
        for row in &model.roles {
            let mut outcomes = Vec::with_capacity(row.moves.len() + 1);
            for step in &row.moves {
                let to = framework
                    .role_position(step.to.as_str())
                    .ok_or_else(|| InsightsError::UnknownRole(step.to.to_string()))?;
                outcomes.push((Outcome::Move(to), step.rate.probability));
            }
            outcomes.push((Outcome::Leave, row.leaving.probability));
            let mut left = 1.0_f64;
            let conditioned = outcomes
                .into_iter()
                .map(|(outcome, p)| {
                    let given = if left > 0.0 {
                        (p / left).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    left -= p;
                    (outcome, p, given)
                })
                .collect();
            outflows.push(conditioned);
            stay.push(row.stay);
        }
        Ok(Self {
            outflows,
            stay,
            plan,
        })
    }

    fn expected(&self, start: &[f64], steps: u32) -> Vec<Vec<f64>> {
        let mut rows = Vec::with_capacity(steps as usize + 1);
        let mut now = start.to_vec();
        rows.push(now.clone());
        for _ in 0..steps {
            let mut next = self.plan.per_step.clone();
            for (i, &n) in now.iter().enumerate() {
                next[i] += n * self.stay[i];
                for &(outcome, p, _) in &self.outflows[i] {
                    if let Outcome::Move(j) = outcome {
                        next[j] += n * p;
                    }
                }
            }
            for (n, target) in next.iter_mut().zip(&self.plan.targets) {
                if let Some(target) = *target {
                    *n = n.max(target as f64);
                }
            }
            rows.push(next.clone());
            now = next;
        }
        rows
    }

    /// Bands per role, then per stream, then the total, each with
    /// `steps + 1` entries.
    fn simulate(
        &self,
        start: &[u64],
        settings: ProjectionSettings,
        groups: &Groups,
    ) -> Result<Vec<Vec<Band>>, InsightsError> {
        let roles = start.len();
        let runs = settings.runs as usize;
        let series = roles + groups.stream_members.len() + 1;
        let mut bands: Vec<Vec<Band>> = (0..series)
            .map(|_| Vec::with_capacity(settings.steps as usize + 1))
            .collect();
        // Each run draws from its own stream of one seeded generator, so
        // a run's numbers depend on the seed and its index only.
        let mut rngs: Vec<ChaCha8Rng> = (0..runs)
            .map(|run| {
                let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
                rng.set_stream(run as u64);
                rng
            })
            .collect();
        let mut stock: Vec<u64> = start.repeat(runs);
        let mut next = vec![0_u64; roles];
        let mut column = vec![0_u64; runs];
        let whole: Vec<u64> = self
            .plan
            .per_step
            .iter()
            .map(|r| r.floor() as u64)
            .collect();
        let fraction: Vec<f64> = self.plan.per_step.iter().map(|r| r - r.floor()).collect();

        collect_bands(&stock, roles, groups, &mut column, &mut bands);
        for _ in 0..settings.steps {
            for (run, rng) in rngs.iter_mut().enumerate() {
                let now = &mut stock[run * roles..(run + 1) * roles];
                next.copy_from_slice(&whole);
                for (i, &count) in now.iter().enumerate() {
                    let mut remaining = count;
                    for &(outcome, _, given) in &self.outflows[i] {
                        if remaining == 0 {
                            break;
                        }
                        let drawn = binomial(rng, remaining, given)?;
                        remaining -= drawn;
                        if let Outcome::Move(j) = outcome {
                            next[j] = next[j].saturating_add(drawn);
                        }
                    }
                    next[i] = next[i].saturating_add(remaining);
                }
                for (j, &p) in fraction.iter().enumerate() {
                    // A fractional pace is one more hire with that chance,
                    // so the expected hires stay exactly the plan's.
                    if p > 0.0 && rng.random::<f64>() < p {
                        next[j] = next[j].saturating_add(1);
                    }
                    if let Some(target) = self.plan.targets[j] {
                        next[j] = next[j].max(target);
                    }
                }
                now.copy_from_slice(&next);
            }
            collect_bands(&stock, roles, groups, &mut column, &mut bands);
        }
        Ok(bands)
    }
}

fn binomial(rng: &mut ChaCha8Rng, trials: u64, p: f64) -> Result<u64, InsightsError> {
    if p <= 0.0 {
        return Ok(0);
    }
    if p >= 1.0 {
        return Ok(trials);
    }
    let distribution =
        Binomial::new(trials, p).map_err(|e| InsightsError::Sampling(e.to_string()))?;
    Ok(distribution.sample(rng))
}

/// Which roles make up each stream.
#[derive(Debug)]
struct Groups {
    stream_members: Vec<Vec<usize>>,
}

impl Groups {
    fn new(framework: &Framework) -> Self {
        let mut stream_members = vec![Vec::new(); framework.streams().len()];
        for (i, role) in framework.roles().iter().enumerate() {
            if let Some(s) = framework.stream_position(role.stream.as_str()) {
                stream_members[s].push(i);
            }
        }
        Self { stream_members }
    }
}

/// Appends this step's band of every role, stream and the total.
fn collect_bands(
    stock: &[u64],
    roles: usize,
    groups: &Groups,
    column: &mut [u64],
    bands: &mut [Vec<Band>],
) {
    let runs = column.len();
    let mut series = 0;
    for i in 0..roles {
        for (run, value) in column.iter_mut().enumerate() {
            *value = stock[run * roles + i];
        }
        bands[series].push(band(column));
        series += 1;
    }
    for members in &groups.stream_members {
        for (run, value) in column.iter_mut().enumerate() {
            let of_run = &stock[run * roles..(run + 1) * roles];
            *value = members.iter().map(|&i| of_run[i]).sum();
        }
        bands[series].push(band(column));
        series += 1;
    }
    for (run, value) in column.iter_mut().enumerate() {
        *value = stock[run * roles..(run + 1) * roles].iter().sum();
    }
    bands[series].push(band(column));
    debug_assert_eq!(runs, column.len());
}

/// Mean and nearest-rank percentiles (the value at rank `ceil(q·N)`), which
/// are always values some run reached.
fn band(values: &mut [u64]) -> Band {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return Band::default();
    }
    let rank = |q: f64| {
        let r = (q * n as f64).ceil() as usize;
        values[r.clamp(1, n) - 1]
    };
    let sum: f64 = values.iter().map(|&v| v as f64).sum();
    Band {
        mean: sum / n as f64,
        p10: rank(0.10),
        p50: rank(0.50),
        p90: rank(0.90),
    }
}

impl Default for Band {
    fn default() -> Self {
        Self {
            mean: 0.0,
            p10: 0,
            p50: 0,
            p90: 0,
        }
    }
}
