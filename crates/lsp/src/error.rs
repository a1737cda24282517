//! Why the language server stopped: the connection failed, or the client
//! broke the protocol.

/// A failure of the server as a whole (a single bad request is answered
/// with an error response instead, and the server goes on).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The handshake or the shutdown went wrong.
    #[error("language server protocol error: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// The `initialize` params could not be read or the answer written.
    #[error("invalid JSON in the handshake: {0}")]
    Json(#[from] serde_json::Error),
    /// Reading stdin or writing stdout failed.
    #[error("I/O error on the client connection: {0}")]
    Io(#[from] std::io::Error),
    /// The client went away while the server was still answering.
    #[error("the client closed the connection")]
    Disconnected,
}
