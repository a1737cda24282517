//! The language server's analysis through its public surface: what a
//! document's ids resolve to, what hover, rename, symbols and quick fixes
//! answer, and that no text whatever makes any of them panic.

mod analysis;
mod robustness;
