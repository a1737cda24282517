//! The protocol adapter: the initialize handshake, the open documents, and
//! one small function per request that converts LSP positions to byte
//! offsets, asks the document's [`Analysis`], and converts the answer back.
//!
//! Documents are synced incrementally: each keeps its text and line index,
//! and a range change edits both in place ([`LineIndex::replace`]), so a
//! keystroke costs its own size to receive, not the file's. Changes to the
//! same document already queued behind one are applied with it and only
//! the newest version is checked. Its diagnostics go out before its outline
//! is built and before the previous version is dropped.

use std::collections::HashMap;
use std::sync::Arc;

use climb_framework::outline::Outline;
use climb_framework::{Diagnostic, Severity};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit,
    Notification as LspNotification, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as LspRequest,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionProviderCapability, CompletionItem,
    CompletionItemKind, CompletionOptions, CompletionResponse, CompletionTextEdit,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse,
    GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability, InitializeParams,
    InitializeResult, Location, MarkupContent, MarkupKind, NumberOrString, OneOf, Position,
    PositionEncodingKind, PrepareRenameResponse, PublishDiagnosticsParams, RenameOptions,
    ServerCapabilities, ServerInfo, SymbolKind, TextDocumentContentChangeEvent,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use serde::de::DeserializeOwned;

use crate::analysis::{self, Analysis, CompletionKind, IdKind};
use crate::error::Error;
use crate::position::{Encoding, LineIndex};

type DidChangeParams = <DidChangeTextDocument as LspNotification>::Params;

/// Speaks LSP over stdin and stdout until the client shuts the server down.
pub fn run_stdio() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Runs the handshake and the message loop on a connection; returns after
/// `shutdown` and `exit`, or when the client hangs up.
pub fn serve(connection: &Connection) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let encoding = negotiate_encoding(&params);
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "climb".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        connection,
        encoding,
        documents: HashMap::new(),
        next: None,
    };
    while let Some(message) = server.next_message() {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                server.request(request)?;
            }
            Message::Notification(notification) => {
                if notification.method == Exit::METHOD {
                    return Ok(());
                }
                server.notification(notification)?;
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// UTF-8 when the client offers it (no counting needed), else UTF-16.
fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref());
    match offered {
        Some(encodings) if encodings.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned(), "'".to_owned()]),
            ..CompletionOptions::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// An open document: its analysis, its lines, and the ids of its last
/// version that was TOML (for completion while a line is half typed).
struct Document {
    analysis: Analysis,
    lines: LineIndex,
    known: Option<Arc<Outline>>,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    documents: HashMap<Uri, Document>,
    /// A message read while looking for more changes to coalesce, handled
    /// next.
    next: Option<Message>,
}

/// A refusal sent back as the response's error.
struct Refusal {
    code: ErrorCode,
    message: String,
}

impl Refusal {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl Server<'_> {
    fn send(&self, message: impl Into<Message>) -> Result<(), Error> {
        self.connection
            .sender
            .send(message.into())
            .map_err(|_| Error::Disconnected)
    }

    /// The message put back by the last coalescing, or the next one read.
    fn next_message(&mut self) -> Option<Message> {
        self.next
            .take()
            .or_else(|| self.connection.receiver.recv().ok())
    }

    fn notification(&mut self, notification: Notification) -> Result<(), Error> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = from_params::<<DidOpenTextDocument as LspNotification>::Params>(
                    notification.params,
                ) {
                    let document = params.text_document;
                    let lines = LineIndex::new(&document.text, self.encoding);
                    let old = self.documents.remove(&document.uri);
                    self.update(document.uri, document.text, lines, old, document.version)?;
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = from_params::<DidChangeParams>(notification.params) {
                    self.change(params)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = from_params::<<DidCloseTextDocument as LspNotification>::Params>(
                    notification.params,
                ) {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    self.publish(uri, Vec::new(), None)?;
                }
            }
            // Other notifications (`initialized`, saves, settings) need no answer.
            _ => {}
        }
        Ok(())
    }

    /// Applies a `didChange`, and every further one for the same document
    /// already waiting behind it, then checks the newest version only.
    fn change(&mut self, params: DidChangeParams) -> Result<(), Error> {
        let uri = params.text_document.uri;
        let mut version = params.text_document.version;
        let mut old = self.documents.remove(&uri);
        let (mut text, mut lines) = match old.as_mut() {
            Some(document) => (
                document.analysis.take_text(),
                std::mem::replace(&mut document.lines, LineIndex::new("", self.encoding)),
            ),
            // Changes to a document never opened apply to an empty one.
            None => (String::new(), LineIndex::new("", self.encoding)),
        };
        self.apply(&mut text, &mut lines, params.content_changes);
        while let Ok(message) = self.connection.receiver.try_recv() {
            let same = matches!(&message, Message::Notification(n)
                if n.method == DidChangeTextDocument::METHOD
                    && n.params["textDocument"]["uri"].as_str() == Some(uri.as_str()));
            if !same {
                self.next = Some(message);
                break;
            }
            if let Message::Notification(notification) = message
                && let Ok(params) = from_params::<DidChangeParams>(notification.params)
            {
                version = params.text_document.version;
                self.apply(&mut text, &mut lines, params.content_changes);
            }
        }
        self.update(uri, text, lines, old, version)
    }

    /// Applies the changes of one `didChange` in order: a range replaces
    /// part of the text, a change without one is the whole new text.
    fn apply(
        &self,
        text: &mut String,
        lines: &mut LineIndex,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        for change in changes {
            match change.range {
                Some(range) => lines.replace(text, range, &change.text),
                None => {
                    *text = change.text;
                    *lines = LineIndex::new(text, self.encoding);
                }
            }
        }
    }

    /// Checks a document's new version and publishes its diagnostics, then
    /// builds its outline; what is left of the version before (`old`) is
    /// dropped only after that.
    fn update(
        &mut self,
        uri: Uri,
        text: String,
        lines: LineIndex,
        old: Option<Document>,
        version: i32,
    ) -> Result<(), Error> {
        let checked = Analysis::check(text);
        let diagnostics = checked
            .diagnostics()
            .iter()
            .map(|d| to_lsp_diagnostic(&uri, checked.text(), &lines, d))
            .collect();
        self.publish(uri.clone(), diagnostics, Some(version))?;
        let analysis = checked.finish();
        let known = match analysis.outline() {
            Some(outline) => Some(Arc::clone(outline)),
            None => old.and_then(|d| d.known),
        };
        self.documents.insert(
            uri,
            Document {
                analysis,
                lines,
                known,
            },
        );
        Ok(())
    }

    fn publish(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), Error> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            params,
        ))
    }

    fn request(&mut self, request: Request) -> Result<(), Error> {
        let Request { id, method, params } = request;
        let result = match method.as_str() {
            HoverRequest::METHOD => self.answer::<HoverRequest>(params, Self::hover),
            GotoDefinition::METHOD => self.answer::<GotoDefinition>(params, Self::definition),
            References::METHOD => self.answer::<References>(params, Self::references),
            Completion::METHOD => self.answer::<Completion>(params, Self::completion),
            PrepareRenameRequest::METHOD => {
                self.answer::<PrepareRenameRequest>(params, Self::prepare_rename)
            }
            Rename::METHOD => self.answer::<Rename>(params, Self::rename),
            DocumentSymbolRequest::METHOD => {
                self.answer::<DocumentSymbolRequest>(params, Self::symbols)
            }
            CodeActionRequest::METHOD => self.answer::<CodeActionRequest>(params, Self::actions),
            _ => Err(Refusal::new(
                ErrorCode::MethodNotFound,
                format!("climb's language server does not handle `{method}`"),
            )),
        };
        self.respond(id, result)
    }

    /// Decodes a request's params, runs its handler and encodes the result.
    fn answer<R: LspRequest>(
        &self,
        params: serde_json::Value,
        handler: fn(&Self, R::Params) -> Result<R::Result, Refusal>,
    ) -> Result<serde_json::Value, Refusal> {
        let params = from_params::<R::Params>(params)
            .map_err(|e| Refusal::new(ErrorCode::InvalidParams, format!("invalid params: {e}")))?;
        let result = handler(self, params)?;
        serde_json::to_value(result)
            .map_err(|e| Refusal::new(ErrorCode::InternalError, e.to_string()))
    }

    fn respond(
        &self,
        id: RequestId,
        result: Result<serde_json::Value, Refusal>,
    ) -> Result<(), Error> {
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(refusal) => Response::new_err(id, refusal.code as i32, refusal.message),
        };
        self.send(response)
    }

    /// The open document at `uri`, and the byte offset of `position` in it.
    fn at(&self, uri: &Uri, position: Position) -> Result<(&Document, usize), Refusal> {
        let document = self.documents.get(uri).ok_or_else(|| {
            Refusal::new(
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })?;
        let offset = document.lines.offset(document.analysis.text(), position);
        Ok((document, offset))
    }

    fn range(&self, document: &Document, span: std::ops::Range<usize>) -> lsp_types::Range {
        document.lines.range(document.analysis.text(), span)
    }

    fn locations(
        &self,
        uri: &Uri,
        document: &Document,
        spans: Vec<std::ops::Range<usize>>,
    ) -> Vec<Location> {
        spans
            .into_iter()
            .map(|span| Location::new(uri.clone(), self.range(document, span)))
            .collect()
    }

    fn hover(&self, params: lsp_types::HoverParams) -> Result<Option<Hover>, Refusal> {
        let place = params.text_document_position_params;
        let (document, offset) = self.at(&place.text_document.uri, place.position)?;
        Ok(document.analysis.hover(offset).map(|(span, text)| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(self.range(document, span)),
        }))
    }

    fn definition(
        &self,
        params: lsp_types::GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>, Refusal> {
        let place = params.text_document_position_params;
        let uri = place.text_document.uri;
        let (document, offset) = self.at(&uri, place.position)?;
        let spans = document.analysis.definition(offset);
        if spans.is_empty() {
            return Ok(None);
        }
        Ok(Some(GotoDefinitionResponse::Array(
            self.locations(&uri, document, spans),
        )))
    }

    fn references(
        &self,
        params: lsp_types::ReferenceParams,
    ) -> Result<Option<Vec<Location>>, Refusal> {
        let place = params.text_document_position;
        let uri = place.text_document.uri;
        let (document, offset) = self.at(&uri, place.position)?;
        let spans = document
            .analysis
            .references(offset, params.context.include_declaration);
        Ok(Some(self.locations(&uri, document, spans)))
    }

    fn completion(
        &self,
        params: lsp_types::CompletionParams,
    ) -> Result<Option<CompletionResponse>, Refusal> {
        let place = params.text_document_position;
        let (document, offset) = self.at(&place.text_document.uri, place.position)?;
        let items = document
            .analysis
            .completions(offset, document.known.as_deref())
            .into_iter()
            .map(|completion| CompletionItem {
                kind: Some(match completion.kind {
                    CompletionKind::Enum => CompletionItemKind::ENUM_MEMBER,
                    CompletionKind::Id(IdKind::Stream) => CompletionItemKind::MODULE,
                    CompletionKind::Id(IdKind::Competency) => CompletionItemKind::FIELD,
                    CompletionKind::Id(_) => CompletionItemKind::REFERENCE,
                }),
                detail: completion.detail,
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    self.range(document, completion.replace),
                    completion.insert,
                ))),
                label: completion.label,
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    fn prepare_rename(
        &self,
        params: lsp_types::TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>, Refusal> {
        let (document, offset) = self.at(&params.text_document.uri, params.position)?;
        match document.analysis.rename_target(offset) {
            Some(span) => Ok(Some(PrepareRenameResponse::Range(
                self.range(document, span),
            ))),
            None => Err(Refusal::new(
                ErrorCode::RequestFailed,
                analysis::RenameError::NoId.to_string(),
            )),
        }
    }

    fn rename(&self, params: lsp_types::RenameParams) -> Result<Option<WorkspaceEdit>, Refusal> {
        let place = params.text_document_position;
        let uri = place.text_document.uri;
        let (document, offset) = self.at(&uri, place.position)?;
        let edits = document
            .analysis
            .rename(offset, &params.new_name)
            .map_err(|error| {
                let code = match error {
                    analysis::RenameError::NoId => ErrorCode::RequestFailed,
                    _ => ErrorCode::InvalidParams,
                };
                Refusal::new(code, error.to_string())
            })?;
        let edits = edits
            .into_iter()
            .map(|(span, text)| TextEdit::new(self.range(document, span), text))
            .collect();
        Ok(Some(WorkspaceEdit::new(HashMap::from([(uri, edits)]))))
    }

    fn symbols(
        &self,
        params: lsp_types::DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>, Refusal> {
        let (document, _) = self.at(&params.text_document.uri, Position::default())?;
        let symbols = document
            .analysis
            .symbols()
            .into_iter()
            .map(|symbol| self.symbol(document, symbol))
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    fn symbol(&self, document: &Document, symbol: analysis::Symbol) -> DocumentSymbol {
        let kind = match symbol.kind {
            analysis::SymbolKind::Stream => SymbolKind::MODULE,
            analysis::SymbolKind::Role => SymbolKind::CLASS,
            analysis::SymbolKind::Competency => SymbolKind::ENUM,
            analysis::SymbolKind::Designation => SymbolKind::INTERFACE,
        };
        let children: Vec<DocumentSymbol> = symbol
            .children
            .into_iter()
            .map(|child| self.symbol(document, child))
            .collect();
        #[allow(deprecated)] // `deprecated` is a required field of the struct.
        DocumentSymbol {
            name: symbol.name,
            detail: symbol.detail,
            kind,
            tags: None,
            deprecated: None,
            range: self.range(document, symbol.extent),
            selection_range: self.range(document, symbol.selection),
            children: (!children.is_empty()).then_some(children),
        }
    }

    fn actions(
        &self,
        params: lsp_types::CodeActionParams,
    ) -> Result<Option<Vec<CodeActionOrCommand>>, Refusal> {
        let uri = params.text_document.uri;
        let (document, start) = self.at(&uri, params.range.start)?;
        let end = document
            .lines
            .offset(document.analysis.text(), params.range.end);
        let actions = document
            .analysis
            .quick_fixes(start..end)
            .into_iter()
            .map(|fix| {
                let diagnostic = document
                    .analysis
                    .diagnostics()
                    .get(fix.diagnostic)
                    .map(|d| to_lsp_diagnostic(&uri, document.analysis.text(), &document.lines, d));
                let edit = TextEdit::new(self.range(document, fix.span), fix.replacement);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostic.map(|d| vec![d]),
                    edit: Some(WorkspaceEdit::new(HashMap::from([(
                        uri.clone(),
                        vec![edit],
                    )]))),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                })
            })
            .collect();
        Ok(Some(actions))
    }
}

fn from_params<P: DeserializeOwned>(params: serde_json::Value) -> Result<P, serde_json::Error> {
    serde_json::from_value(params)
}

/// A checker diagnostic as LSP's: the primary label's range, the stable
/// code, the message with its help notes, and the other labels as related
/// information.
fn to_lsp_diagnostic(
    uri: &Uri,
    text: &str,
    lines: &LineIndex,
    diagnostic: &Diagnostic,
) -> lsp_types::Diagnostic {
    let primary = diagnostic.primary_label();
    let range = lines.range(text, primary.map_or(0..0, |l| l.span.clone()));
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .filter(|label| primary.is_none_or(|p| !std::ptr::eq(p, *label)))
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(text, label.span.clone())),
            message: label.message.clone(),
        })
        .collect();
    let mut message = diagnostic.message.clone();
    if let Some(label) = primary
        && !label.message.is_empty()
    {
        message.push_str(": ");
        message.push_str(&label.message);
    }
    for note in &diagnostic.notes {
        message.push('\n');
        message.push_str(note);
    }
    lsp_types::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
        source: Some("climb".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}
