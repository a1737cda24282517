//! `climb lsp`: a language server for climb framework files. The checker's
//! diagnostics as you type, hover, go to definition, references, completion,
//! renames, the document outline and quick fixes. `analysis` answers from the
//! text alone; `server` is the thin protocol adapter around it.

pub mod analysis;
mod error;
pub mod position;
mod server;

pub use error::Error;
pub use server::{run_stdio, serve};
