//! climb's mail notifications, the pure parts (no I/O): which review and
//! promotion facts tell whom what (`notice`), the words of each notice and
//! of the weekly digest, with the link to where the work is done (`words`),
//! and when a person's weekly digest is due in their own time zone
//! (`digest`). The store queues notices in the transaction of the change;
//! the server's mail worker words and sends them.

pub mod digest;
pub mod notice;
pub mod words;

#[cfg(test)]
mod testkit;

pub use digest::{Digest, DigestLine, DigestWeek};
pub use notice::{Addressed, Fact, Notice, notices};
pub use words::{Mail, Words};
