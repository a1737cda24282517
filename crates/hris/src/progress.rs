//! Progress reporting for long imports and exports: the [`Progress`] trait the
//! library calls, [`NoProgress`] for pipes and tests, and [`terminal_progress`],
//! an `indicatif` bar on stderr when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What an import or export is busy with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking rows one by one (unit: bytes of the file).
    Reading,
    /// The whole-file checks (no unit: a spinner).
    Validating,
    /// Writing to the store (unit: rows, when the store reports it).
    Writing,
    /// Writing rows of an export (unit: rows).
    Exporting,
}

impl Stage {
    fn label(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Validating => "validating",
            Stage::Writing => "importing",
            Stage::Exporting => "exporting",
        }
    }
}

/// Receives progress. Implementations must be cheap: `set` is called every
/// few thousand rows.
pub trait Progress: Send + Sync {
    /// A stage begins; `total` is its size when known.
    fn start(&self, stage: Stage, total: Option<u64>);
    /// How far the current stage has got, in its unit.
    fn set(&self, done: u64);
    /// The current stage is over.
    fn finish(&self);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _stage: Stage, _total: Option<u64>) {}
    fn set(&self, _done: u64) {}
    fn finish(&self) {}
}

/// An `indicatif` bar on stderr, one per stage.
#[derive(Debug, Default)]
pub struct TerminalProgress {
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress for TerminalProgress {
    fn start(&self, stage: Stage, total: Option<u64>) {
        let bar = match total {
            Some(total) => {
                let template = match stage {
                    Stage::Reading => "{prefix:>10} [{bar:40}] {bytes}/{total_bytes} ({eta})",
                    _ => "{prefix:>10} [{bar:40}] {pos}/{len} ({eta})",
                };
                let style = ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
                ProgressBar::new(total).with_style(style)
            }
            None => {
                let style = ProgressStyle::with_template("{prefix:>10} {spinner} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
                let bar = ProgressBar::new_spinner().with_style(style);
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                bar
            }
        };
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.set_prefix(stage.label());
        if let Ok(mut slot) = self.bar.lock()
            && let Some(previous) = slot.replace(bar)
        {
            previous.finish_and_clear();
        }
    }

    fn set(&self, done: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}

/// A progress bar on stderr when stderr is a terminal, otherwise nothing
/// (piped or redirected output stays clean).
pub fn terminal_progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(TerminalProgress::default())
    } else {
        Box::new(NoProgress)
    }
}
