//! climb's outgoing webhooks, the pure parts: which domain change is which
//! event and what its payload holds ([`event`]), Standard Webhooks secrets
//! and signatures ([`sign`]), when a failed delivery is tried again and when
//! it is given up ([`backoff`]), and which URLs may be subscribed
//! ([`target`]). No I/O: the store writes events into its outbox with these,
//! and the server's delivery worker signs and schedules with them.

pub mod backoff;
pub mod event;
pub mod sign;
pub mod target;

pub use backoff::{Next, Schedule};
pub use event::{Event, EventType};
pub use sign::{Secret, SecretError};
pub use target::{TargetError, check_target};
