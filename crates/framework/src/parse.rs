//! Reading a framework file: bytes to text (E001 when not UTF-8), text to a
//! span-carrying TOML document (E001 when not TOML), and the document to raw
//! items (E002 for every missing or unknown key and every value of the wrong
//! type or range). The walk reports every problem instead of stopping at the
//! first; the semantic checks in `check` run on what it returns.
//!
//! Two TOML parsers share the work. `toml-spanner` reads every file: it
//! builds its spanned tree in an arena, several times faster than the `toml`
//! crate, which matters for frameworks of many thousand roles. It stops at
//! the first syntax error, though, so a file it rejects is parsed again by
//! `toml`, whose recovering parser names every syntax error of a small file
//! with the messages the diagnostics have always used.

use std::ops::Range;

use toml_spanner::{Arena, ArrayStyle, Item, Table, TableStyle, Value as TomlValue};

use crate::diagnostic::{Code, Diagnostic};
use crate::id::{IdError, validate_id};
use crate::model::{DesignationScope, Seniority, Track, TransitionKind};
use crate::suggest::did_you_mean;

/// A byte range into the source text.
pub(crate) type Span = Range<usize>;

/// At most this many TOML syntax errors are reported; after the first few
/// the parser's recovery mostly produces noise.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Documents nested deeper than this are also given to the `toml` crate,
/// which refuses some of them; no framework nests more than four levels.
const DEEP_NESTING: usize = 64;

/// Files up to this size get every syntax error; larger ones the first.
const RECOVER_BELOW_BYTES: usize = 1024 * 1024;

/// Larger files are refused unread. Parsing is linear but costs up to a few
/// hundred nanoseconds per token, so this bounds a check of hostile input to
/// seconds; a real framework is a few hundred kilobytes.
pub(crate) const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sp<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// The `[framework]` table.
#[derive(Debug, Default)]
pub(crate) struct RawMeta {
    pub(crate) name: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) description: Option<String>,
}

/// One `[[streams]]` element. Fields are `None` when missing or invalid (an
/// E002 was reported); ids are kept even when not kebab-case so references
/// to them still resolve.
#[derive(Debug)]
pub(crate) struct RawStream {
    pub(crate) extent: Span,
    pub(crate) id: Option<Sp<String>>,
    pub(crate) name: Option<String>,
    pub(crate) track: Option<Sp<Track>>,
    pub(crate) description: Option<String>,
}

/// One `expectations` entry of a role.
#[derive(Debug)]
pub(crate) struct RawExpectation {
    pub(crate) competency: Sp<String>,
    pub(crate) level: Option<Sp<u32>>,
}

/// One `[[roles]]` element.
#[derive(Debug)]
pub(crate) struct RawRole {
    pub(crate) header: Span,
    pub(crate) extent: Span,
    pub(crate) id: Option<Sp<String>>,
    pub(crate) title: Option<String>,
    pub(crate) stream: Option<Sp<String>>,
    pub(crate) seniority: Option<Sp<Seniority>>,
    /// `None` when written with the wrong type (so reachability is unknown).
    pub(crate) entry: Option<bool>,
    /// `None` when written with the wrong type.
    pub(crate) hire_only: Option<bool>,
    /// Where `hire_only` was written, if it was.
    pub(crate) hire_only_span: Option<Span>,
    pub(crate) reports: Option<Sp<bool>>,
    pub(crate) summary: Option<String>,
    pub(crate) responsibilities: Vec<String>,
    pub(crate) expectations: Vec<RawExpectation>,
}

/// One `[[transitions]]` element.
#[derive(Debug)]
pub(crate) struct RawTransition {
    pub(crate) header: Span,
    pub(crate) extent: Span,
    pub(crate) from: Option<Sp<String>>,
    pub(crate) to: Option<Sp<String>>,
    pub(crate) kind: Option<Sp<TransitionKind>>,
}

/// One `[[designations]]` element.
#[derive(Debug)]
pub(crate) struct RawDesignation {
    pub(crate) extent: Span,
    pub(crate) id: Option<Sp<String>>,
    pub(crate) title: Option<String>,
    pub(crate) scope: Option<DesignationScope>,
    pub(crate) summary: Option<String>,
    pub(crate) responsibilities: Vec<String>,
    pub(crate) eligible_streams: Option<Vec<Sp<String>>>,
    pub(crate) usual_min_seniority: Option<Seniority>,
}

/// One `[[competencies]]` element.
#[derive(Debug)]
pub(crate) struct RawCompetency {
    pub(crate) extent: Span,
    pub(crate) id: Option<Sp<String>>,
    pub(crate) name: Option<String>,
    /// The level descriptions, spanning the `levels` value.
    pub(crate) levels: Option<Sp<Vec<String>>>,
}

/// One `[[renames]]` element.
#[derive(Debug)]
pub(crate) struct RawRename {
    pub(crate) extent: Span,
    pub(crate) from: Option<Sp<String>>,
    pub(crate) to: Option<Sp<String>>,
}

/// The whole file as read, in file order, before semantic checks.
#[derive(Debug, Default)]
pub(crate) struct RawFramework {
    pub(crate) meta: Option<RawMeta>,
    pub(crate) streams: Vec<RawStream>,
    pub(crate) roles: Vec<RawRole>,
    pub(crate) transitions: Vec<RawTransition>,
    pub(crate) designations: Vec<RawDesignation>,
    pub(crate) competencies: Vec<RawCompetency>,
    pub(crate) renames: Vec<RawRename>,
}

/// Turns the file's bytes into text. Invalid UTF-8 yields the lossy text
/// (so spans still point somewhere sensible) and an E001 at the first bad byte.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(error) => {
            let at = error.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            // The lossy text is identical up to `at`, and a replacement
            // character starts there.
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let diagnostic = Diagnostic::new(Code::E001, "the file is not valid UTF-8")
                .with_primary(at..end, format!("invalid byte 0x{:02X}", bytes[at]))
                .with_note("help: framework files must be saved as UTF-8 text");
            (text, Some(diagnostic))
        }
    }
}

/// Parses the text as TOML and reads the framework out of it. Returns `None`
/// when the text is not TOML (the E001 diagnostics are in `diags`).
pub(crate) fn parse(source: &str, diags: &mut Vec<Diagnostic>) -> Option<RawFramework> {
    let arena = Arena::new();
    match toml_spanner::parse(source, &arena) {
        Ok(document) => {
            let table = document.table();
            if nested_deeper_than(table, DEEP_NESTING) {
                // `toml` refuses some of what `toml-spanner` accepts here.
                let before = diags.len();
                syntax_errors(source, diags);
                if diags.len() > before {
                    return None;
                }
            }
            let mut reader = Reader { source, diags };
            Some(reader.document(table))
        }
        Err(error) => {
            let before = diags.len();
            syntax_errors(source, diags);
            if diags.len() == before {
                // The two parsers disagree about this file (no such file is
                // known): report the fast parser's own reason.
                diags.push(spanner_error(source, &error));
            }
            None
        }
    }
}

/// Whether tables and arrays nest more than `limit` levels deep anywhere. A
/// framework needs four; the `toml` crate refuses eighty (of dotted keys or
/// of values), `toml-spanner` only 256 levels of values.
fn nested_deeper_than(table: &Table<'_>, limit: usize) -> bool {
    fn push<'t, 'i>(stack: &mut Vec<(&'t Item<'i>, usize)>, item: &'t Item<'i>, depth: usize) {
        if matches!(item.value(), TomlValue::Table(_) | TomlValue::Array(_)) {
            stack.push((item, depth));
        }
    }
    let mut stack = Vec::new();
    for (_, item) in table {
        push(&mut stack, item, 1);
    }
    while let Some((item, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match item.value() {
            TomlValue::Table(inner) => {
                for (_, child) in inner {
                    push(&mut stack, child, depth + 1);
                }
            }
            TomlValue::Array(inner) => {
                for child in inner {
                    push(&mut stack, child, depth + 1);
                }
            }
            _ => {}
        }
    }
    false
}

/// The E001 diagnostics of text that is not TOML, from the `toml` crate.
/// Recovery after a syntax error costs several times a plain parse on
/// error-dense input, so only small files get every syntax error.
fn syntax_errors(source: &str, diags: &mut Vec<Diagnostic>) {
    let errors = if source.len() <= RECOVER_BELOW_BYTES {
        toml::de::DeTable::parse_recoverable(source).1
    } else {
        match toml::de::DeTable::parse(source) {
            Ok(_) => Vec::new(),
            Err(error) => vec![error],
        }
    };
    if !errors.is_empty() {
        let total = errors.len();
        for error in errors.into_iter().take(MAX_SYNTAX_ERRORS) {
            diags.push(syntax_error(source, &error));
        }
        if total > MAX_SYNTAX_ERRORS
            && let Some(last) = diags.last_mut()
        {
            last.notes.push(format!(
                "note: {} further syntax errors are not shown",
                total - MAX_SYNTAX_ERRORS
            ));
        }
    }
}

/// An E001 from `toml-spanner`'s error, for the rare file only it rejects.
fn spanner_error(source: &str, error: &toml_spanner::Error) -> Diagnostic {
    let span = clamp_span(source, error.span().range());
    let message = error.to_string();
    let first_line = message.lines().next().unwrap_or("invalid TOML").to_owned();
    Diagnostic::new(Code::E001, format!("invalid TOML: {first_line}"))
        .with_primary(span, first_line.clone())
}

/// The E001 for a file over [`MAX_FILE_BYTES`], with the text its span
/// indexes: the file's first line at most, so nothing large is decoded.
pub(crate) fn too_large(bytes: &[u8]) -> (String, Diagnostic) {
    let head = &bytes[..bytes.len().min(200)];
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let text = String::from_utf8_lossy(first_line).into_owned();
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    let diagnostic = Diagnostic::new(
        Code::E001,
        format!(
            "the file is too large to be a framework ({:.1} MiB; the limit is {:.0} MiB)",
            mib(bytes.len()),
            mib(MAX_FILE_BYTES)
        ),
    )
    .with_primary(0..0, "refused before parsing")
    .with_note("help: a framework of 100,000 roles takes about 30 MiB");
    (text, diagnostic)
}

/// An E001 for one TOML parse error, pointing at its span (or the start of
/// the file when the parser gave none).
fn syntax_error(source: &str, error: &toml::de::Error) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let span = clamp_span(source, span);
    let message = error.message().trim().to_owned();
    let first_line = message.lines().next().unwrap_or("invalid TOML").to_owned();
    Diagnostic::new(Code::E001, format!("invalid TOML: {first_line}"))
        .with_primary(span, first_line.clone())
}

/// Keeps a span inside the text and on character boundaries.
pub(crate) fn clamp_span(source: &str, span: Span) -> Span {
    let floor = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start);
    let end = floor(span.end).max(start);
    start..end
}

/// The keys each kind of table may hold.
pub(crate) const FRAMEWORK_KEYS: &[&str] = &["name", "version", "description"];
pub(crate) const TOP_KEYS: &[&str] = &[
    "framework",
    "streams",
    "roles",
    "transitions",
    "designations",
    "competencies",
    "renames",
];
pub(crate) const STREAM_KEYS: &[&str] = &["id", "name", "track", "description"];
pub(crate) const ROLE_KEYS: &[&str] = &[
    "id",
    "title",
    "stream",
    "seniority",
    "entry",
    "hire_only",
    "reports",
    "summary",
    "responsibilities",
    "expectations",
];
pub(crate) const TRANSITION_KEYS: &[&str] = &["from", "to", "kind"];
pub(crate) const DESIGNATION_KEYS: &[&str] = &[
    "id",
    "title",
    "scope",
    "summary",
    "responsibilities",
    "eligible_streams",
    "usual_min_seniority",
];
pub(crate) const COMPETENCY_KEYS: &[&str] = &["id", "name", "levels"];
pub(crate) const RENAME_KEYS: &[&str] = &["from", "to"];

type Value<'i> = Item<'i>;

/// The most keys any kind of table has.
const MOST_KEYS: usize = 10;

/// What a table is, for messages: `role `staff-engineer``, `stream`,
/// `` `[framework]` ``… Only written out when a message needs it.
#[derive(Clone, Copy)]
struct What<'t> {
    kind: &'static str,
    /// The element's id, when it is readable.
    id: Option<&'t str>,
}

impl What<'_> {
    fn plain(kind: &'static str) -> Self {
        Self { kind, id: None }
    }
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "{} `{id}`", self.kind),
            None => f.write_str(self.kind),
        }
    }
}

/// The known entries of one table, looked up by key.
struct Fields<'t, 'i> {
    what: What<'t>,
    /// Where the table starts (its header, or the inline table).
    header: Span,
    /// From the start of the header to the end of the last entry.
    extent: Span,
    /// The keys this kind of table may hold.
    known: &'static [&'static str],
    /// The value of each known key, at the key's position in `known`.
    entries: [Option<&'t Value<'i>>; MOST_KEYS],
}

impl<'t, 'i> Fields<'t, 'i> {
    fn get(&self, key: &str) -> Option<&'t Value<'i>> {
        let position = self.known.iter().position(|known| *known == key)?;
        self.entries.get(position).copied().flatten()
    }
}

/// Walks the document, collecting E002 diagnostics.
struct Reader<'s, 'd> {
    /// The text the document was parsed from, to find table headers in.
    source: &'s str,
    diags: &'d mut Vec<Diagnostic>,
}

impl Reader<'_, '_> {
    fn document(&mut self, document: &Table<'_>) -> RawFramework {
        let top = self.fields(document, 0..0, What::plain("the file"), TOP_KEYS);
        let mut raw = RawFramework {
            meta: self.meta(&top),
            ..RawFramework::default()
        };
        // Collected from the exact-size list of tables, so each vector is
        // allocated once at its final size.
        raw.streams = (self.items(&top, "streams").into_iter())
            .map(|(header, table)| self.stream(header, table))
            .collect();
        raw.roles = (self.items(&top, "roles").into_iter())
            .map(|(header, table)| self.role(header, table))
            .collect();
        raw.transitions = (self.items(&top, "transitions").into_iter())
            .map(|(header, table)| self.transition(header, table))
            .collect();
        raw.designations = (self.items(&top, "designations").into_iter())
            .map(|(header, table)| self.designation(header, table))
            .collect();
        raw.competencies = (self.items(&top, "competencies").into_iter())
            .map(|(header, table)| self.competency(header, table))
            .collect();
        raw.renames = (self.items(&top, "renames").into_iter())
            .map(|(header, table)| self.rename(header, table))
            .collect();
        raw
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Where a value starts for messages about it as a whole: the header
    /// line of a `[table]` or `[[table]]` (not its body), otherwise the
    /// value itself.
    fn table_span(&self, value: &Item<'_>) -> Span {
        let span = value.span().range();
        let header = match value.value() {
            TomlValue::Table(table) => table.style() == TableStyle::Header,
            TomlValue::Array(array) => array.style() == ArrayStyle::Header,
            _ => false,
        };
        if header {
            header_span(self.source, span)
        } else {
            span
        }
    }

    /// Collects a table's known entries and reports each unknown key.
    fn fields<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        header: Span,
        what: What<'t>,
        known: &'static [&'static str],
    ) -> Fields<'t, 'i> {
        let mut entries = [None; MOST_KEYS];
        let mut end = header.end;
        for (key, value) in table {
            let name: &str = key.name;
            end = end.max(key.span.range().end).max(value.span().range().end);
            match known.iter().position(|k| *k == name) {
                Some(position) if position < MOST_KEYS => entries[position] = Some(value),
                _ => {
                    let mut diagnostic =
                        Diagnostic::new(Code::E002, format!("unknown key `{name}` in {what}"))
                            .with_primary(key.span.range(), "unknown key");
                    diagnostic = match did_you_mean(name, known.iter().copied()) {
                        Some(close) => {
                            diagnostic.with_note(format!("help: did you mean `{close}`?"))
                        }
                        None => diagnostic.with_note(format!(
                            "help: the keys of {what} are {}",
                            quoted_list(known)
                        )),
                    };
                    self.push(diagnostic);
                }
            }
        }
        Fields {
            what,
            extent: header.start..end,
            header,
            known,
            entries,
        }
    }

    /// A required entry; reports it missing otherwise.
    fn required<'t, 'i>(&mut self, fields: &Fields<'t, 'i>, key: &str) -> Option<&'t Value<'i>> {
        let value = fields.get(key);
        if value.is_none() {
            self.push(
                Diagnostic::new(
                    Code::E002,
                    format!("missing required key `{key}` in {}", fields.what),
                )
                .with_primary(fields.header.clone(), format!("`{key}` is required here")),
            );
        }
        value
    }

    fn wrong_type(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        value: &Value<'_>,
        expected: &str,
    ) {
        self.push(
            Diagnostic::new(
                Code::E002,
                format!(
                    "`{key}` in {} must be {expected}, not {}",
                    fields.what,
                    article(value.type_str())
                ),
            )
            .with_primary(self.table_span(value), format!("expected {expected}")),
        );
    }

    fn string(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        value: &Value<'_>,
    ) -> Option<Sp<String>> {
        match value.value() {
            TomlValue::String(text) => Some(Sp {
                value: (*text).to_owned(),
                span: value.span().range(),
            }),
            _ => {
                self.wrong_type(fields, key, value, "a string");
                None
            }
        }
    }

    fn required_string(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<String> {
        let value = self.required(fields, key)?;
        self.string(fields, key, value).map(|s| s.value)
    }

    fn optional_string(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<String> {
        let value = fields.get(key)?;
        self.string(fields, key, value).map(|s| s.value)
    }

    fn optional_bool(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<bool>> {
        let value = fields.get(key)?;
        match value.value() {
            TomlValue::Boolean(flag) => Some(Sp {
                value: *flag,
                span: value.span().range(),
            }),
            _ => {
                self.wrong_type(fields, key, value, "`true` or `false`");
                None
            }
        }
    }

    /// An optional flag: `false` when absent, `None` when not a boolean.
    fn flag(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<bool> {
        match fields.get(key) {
            None => Some(false),
            Some(_) => self.optional_bool(fields, key).map(|b| b.value),
        }
    }

    /// An integer value; `None` (reported) when not an integer.
    fn integer(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        value: &Value<'_>,
    ) -> Option<Sp<i128>> {
        match value.value() {
            TomlValue::Integer(integer) => Some(Sp {
                value: integer.as_i128(),
                span: value.span().range(),
            }),
            _ => {
                self.wrong_type(fields, key, value, "an integer");
                None
            }
        }
    }

    fn seniority(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        value: &Value<'_>,
    ) -> Option<Sp<Seniority>> {
        let number = self.integer(fields, key, value)?;
        match i64::try_from(number.value).ok().and_then(Seniority::new) {
            Some(seniority) => Some(Sp {
                value: seniority,
                span: number.span,
            }),
            None => {
                self.push(
                    Diagnostic::new(
                        Code::E002,
                        format!(
                            "`{key}` in {} must be between 0 and {}, not {}",
                            fields.what,
                            Seniority::MAX,
                            number.value
                        ),
                    )
                    .with_primary(number.span, "out of range"),
                );
                None
            }
        }
    }

    /// A kebab-case id. The string is returned even when it breaks the id
    /// grammar (reported), so that references to it resolve.
    fn id(&mut self, fields: &Fields<'_, '_>, key: &str, value: &Value<'_>) -> Option<Sp<String>> {
        let id = self.string(fields, key, value)?;
        if let Err(error) = validate_id(&id.value) {
            let mut diagnostic = Diagnostic::new(
                Code::E002,
                format!("`{key}` in {} is not a valid id", fields.what),
            )
            .with_primary(id.span.clone(), id_problem(&error));
            let kebab = to_kebab(&id.value);
            if !kebab.is_empty() && kebab != id.value {
                diagnostic = diagnostic.with_note(format!("help: write it as `{kebab}`"));
            } else {
                diagnostic =
                    diagnostic.with_note("help: ids use lowercase letters, digits and `-` only");
            }
            self.push(diagnostic);
        }
        Some(id)
    }

    fn required_id(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Sp<String>> {
        let value = self.required(fields, key)?;
        self.id(fields, key, value)
    }

    /// One of a fixed set of spellings, with a "did you mean" on a near miss.
    fn choice<T>(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        options: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let value = self.required(fields, key)?;
        let text = self.string(fields, key, value)?;
        if let Some(parsed) = parse(&text.value) {
            return Some(Sp {
                value: parsed,
                span: text.span,
            });
        }
        let mut diagnostic = Diagnostic::new(
            Code::E002,
            format!(
                "`{key}` in {} must be {}, not `{}`",
                fields.what,
                alternatives(options),
                text.value
            ),
        )
        .with_primary(text.span, format!("unknown {key}"));
        if let Some(close) = did_you_mean(&text.value, options.iter().copied()) {
            diagnostic = diagnostic.with_note(format!("help: did you mean `{close}`?"));
        }
        self.push(diagnostic);
        None
    }

    /// An array of strings; elements of another type are reported and skipped.
    fn string_array(&mut self, fields: &Fields<'_, '_>, key: &str) -> Option<Vec<Sp<String>>> {
        let value = fields.get(key)?;
        let TomlValue::Array(array) = value.value() else {
            self.wrong_type(fields, key, value, "an array of strings");
            return None;
        };
        let mut strings = Vec::with_capacity(array.len());
        for element in array {
            match element.value() {
                TomlValue::String(text) => strings.push(Sp {
                    value: (*text).to_owned(),
                    span: element.span().range(),
                }),
                _ => self.wrong_type(fields, key, element, "an array of strings"),
            }
        }
        Some(strings)
    }

    fn plain_strings(&mut self, fields: &Fields<'_, '_>, key: &str) -> Vec<String> {
        self.string_array(fields, key)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    /// The elements of a top-level array of tables (`[[roles]]`), each with
    /// the span of its header.
    fn items<'t, 'i>(&mut self, top: &Fields<'t, 'i>, key: &str) -> Vec<(Span, &'t Table<'i>)> {
        let Some(value) = top.get(key) else {
            return Vec::new();
        };
        let TomlValue::Array(array) = value.value() else {
            self.push(
                Diagnostic::new(
                    Code::E002,
                    format!(
                        "`{key}` must be an array of tables, not {}",
                        article(value.type_str())
                    ),
                )
                .with_primary(self.table_span(value), "expected an array of tables")
                .with_note(format!(
                    "help: write each element under its own `[[{key}]]` header"
                )),
            );
            return Vec::new();
        };
        let mut tables = Vec::with_capacity(array.len());
        for element in array {
            match element.value() {
                TomlValue::Table(table) => tables.push((self.table_span(element), table)),
                _ => self.push(
                    Diagnostic::new(
                        Code::E002,
                        format!(
                            "each element of `{key}` must be a table, not {}",
                            article(element.type_str())
                        ),
                    )
                    .with_primary(element.span().range(), "expected a table"),
                ),
            }
        }
        tables
    }

    fn meta(&mut self, top: &Fields<'_, '_>) -> Option<RawMeta> {
        let Some(value) = top.get("framework") else {
            self.push(
                Diagnostic::new(Code::E002, "missing required table `[framework]`")
                    .with_primary(0..0, "expected a `[framework]` table in this file")
                    .with_note("help: add `[framework]` with a `name` and a `version`"),
            );
            return None;
        };
        let TomlValue::Table(table) = value.value() else {
            self.wrong_type(top, "framework", value, "a table");
            return None;
        };
        let fields = self.fields(
            table,
            self.table_span(value),
            What::plain("`[framework]`"),
            FRAMEWORK_KEYS,
        );
        Some(RawMeta {
            name: self.required_string(&fields, "name"),
            version: self.required_string(&fields, "version"),
            description: self.optional_string(&fields, "description"),
        })
    }

    /// Names an element in messages: `role `staff-engineer`` when its id is
    /// readable, otherwise just `role`.
    fn describe<'t>(kind: &'static str, table: &'t Table<'_>, id_key: &str) -> What<'t> {
        let id = match table.get(id_key).map(Item::value) {
            Some(TomlValue::String(id)) if !id.is_empty() && id.len() <= 80 => Some(*id),
            _ => None,
        };
        What { kind, id }
    }

    fn stream(&mut self, header: Span, table: &Table<'_>) -> RawStream {
        let what = Self::describe("stream", table, "id");
        let fields = self.fields(table, header.clone(), what, STREAM_KEYS);
        RawStream {
            extent: fields.extent.clone(),
            id: self.required_id(&fields, "id"),
            name: self.required_string(&fields, "name"),
            track: self.choice(
                &fields,
                "track",
                &["ic", "management", "executive"],
                Track::parse,
            ),
            description: self.optional_string(&fields, "description"),
        }
    }

    fn role(&mut self, header: Span, table: &Table<'_>) -> RawRole {
        let what = Self::describe("role", table, "id");
        let fields = self.fields(table, header.clone(), what, ROLE_KEYS);
        let id = self.required_id(&fields, "id");
        let title = self.required_string(&fields, "title");
        let stream = self.required_id(&fields, "stream");
        let seniority = self
            .required(&fields, "seniority")
            .and_then(|value| self.seniority(&fields, "seniority", value));
        let entry = self.flag(&fields, "entry");
        let hire_only = self.flag(&fields, "hire_only");
        let hire_only_span = fields.get("hire_only").map(|value| value.span().range());
        let reports = self.optional_bool(&fields, "reports");
        let summary = self.optional_string(&fields, "summary");
        let responsibilities = self.plain_strings(&fields, "responsibilities");
        let expectations = self.expectations(&fields);
        RawRole {
            header,
            extent: fields.extent.clone(),
            id,
            title,
            stream,
            seniority,
            entry,
            hire_only,
            hire_only_span,
            reports,
            summary,
            responsibilities,
            expectations,
        }
    }

    fn expectations(&mut self, fields: &Fields<'_, '_>) -> Vec<RawExpectation> {
        let Some(value) = fields.get("expectations") else {
            return Vec::new();
        };
        let TomlValue::Table(table) = value.value() else {
            self.wrong_type(
                fields,
                "expectations",
                value,
                "a table of competency levels",
            );
            return Vec::new();
        };
        let mut expectations: Vec<RawExpectation> = Vec::with_capacity(table.len());
        for (key, level) in table {
            let competency = Sp {
                value: key.name.to_owned(),
                span: key.span.range(),
            };
            if let Err(error) = validate_id(&competency.value) {
                self.push(
                    Diagnostic::new(
                        Code::E002,
                        format!(
                            "expectation key in {} is not a valid competency id",
                            fields.what
                        ),
                    )
                    .with_primary(competency.span.clone(), id_problem(&error)),
                );
            }
            let level =
                self.integer(fields, "expectations", level).and_then(|n| {
                    match u32::try_from(n.value) {
                        Ok(level) if level >= 1 => Some(Sp {
                            value: level,
                            span: n.span,
                        }),
                        _ => {
                            self.push(
                                Diagnostic::new(
                                    Code::E002,
                                    format!(
                                        "expected level of `{}` in {} must be 1 or more, not {}",
                                        competency.value, fields.what, n.value
                                    ),
                                )
                                .with_primary(n.span, "levels are counted from 1"),
                            );
                            None
                        }
                    }
                });
            expectations.push(RawExpectation { competency, level });
        }
        // Keep the order they were written in, whatever order the table keeps.
        expectations.sort_by_key(|e| e.competency.span.start);
        expectations
    }

    fn transition(&mut self, header: Span, table: &Table<'_>) -> RawTransition {
        let fields = self.fields(
            table,
            header.clone(),
            What::plain("transition"),
            TRANSITION_KEYS,
        );
        RawTransition {
            header,
            extent: fields.extent.clone(),
            from: self.required_id(&fields, "from"),
            to: self.required_id(&fields, "to"),
            kind: self.choice(
                &fields,
                "kind",
                &["promotion", "lateral"],
                TransitionKind::parse,
            ),
        }
    }

    fn designation(&mut self, header: Span, table: &Table<'_>) -> RawDesignation {
        let what = Self::describe("designation", table, "id");
        let fields = self.fields(table, header.clone(), what, DESIGNATION_KEYS);
        let id = self.required_id(&fields, "id");
        let title = self.required_string(&fields, "title");
        let scope = self
            .choice(&fields, "scope", &["project"], DesignationScope::parse)
            .map(|s| s.value);
        let summary = self.optional_string(&fields, "summary");
        let responsibilities = self.plain_strings(&fields, "responsibilities");
        let eligible_streams = self.string_array(&fields, "eligible_streams");
        if let Some(streams) = &eligible_streams {
            for stream in streams {
                if let Err(error) = validate_id(&stream.value) {
                    self.push(
                        Diagnostic::new(
                            Code::E002,
                            format!(
                                "`eligible_streams` in {} holds an invalid stream id",
                                fields.what
                            ),
                        )
                        .with_primary(stream.span.clone(), id_problem(&error)),
                    );
                }
            }
        }
        let usual_min_seniority = fields
            .get("usual_min_seniority")
            .and_then(|value| self.seniority(&fields, "usual_min_seniority", value))
            .map(|s| s.value);
        RawDesignation {
            extent: fields.extent.clone(),
            id,
            title,
            scope,
            summary,
            responsibilities,
            eligible_streams,
            usual_min_seniority,
        }
    }

    fn competency(&mut self, header: Span, table: &Table<'_>) -> RawCompetency {
        let what = Self::describe("competency", table, "id");
        let fields = self.fields(table, header.clone(), what, COMPETENCY_KEYS);
        let id = self.required_id(&fields, "id");
        let name = self.required_string(&fields, "name");
        let levels = match self.required(&fields, "levels") {
            None => None,
            Some(value) => match self.string_array(&fields, "levels") {
                Some(levels) if levels.is_empty() => {
                    self.push(
                        Diagnostic::new(
                            Code::E002,
                            format!("`levels` in {} must hold at least one level", fields.what),
                        )
                        .with_primary(value.span().range(), "no levels"),
                    );
                    None
                }
                Some(levels) => Some(Sp {
                    value: levels.into_iter().map(|l| l.value).collect(),
                    span: value.span().range(),
                }),
                None => None,
            },
        };
        RawCompetency {
            extent: fields.extent.clone(),
            id,
            name,
            levels,
        }
    }

    fn rename(&mut self, header: Span, table: &Table<'_>) -> RawRename {
        let fields = self.fields(table, header.clone(), What::plain("rename"), RENAME_KEYS);
        RawRename {
            extent: fields.extent.clone(),
            from: self.required_id(&fields, "from"),
            to: self.required_id(&fields, "to"),
        }
    }
}

/// The `[name]` or `[[name]]` header starting a table's span: up to the
/// closing bracket outside quotes, or the whole span if it is not a header.
fn header_span(source: &str, span: Span) -> Span {
    let bytes = source.as_bytes();
    if bytes.get(span.start) != Some(&b'[') {
        return span;
    }
    let double = bytes.get(span.start + 1) == Some(&b'[');
    let mut quote = None;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate().skip(span.start + 1) {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' && q == b'"' {
                    escaped = true;
                } else if byte == q {
                    quote = None;
                }
            }
            None => match byte {
                b'"' | b'\'' => quote = Some(byte),
                b']' => {
                    let end = offset + 1;
                    let end = if double && bytes.get(end) == Some(&b']') {
                        end + 1
                    } else {
                        end
                    };
                    return span.start..end;
                }
                b'\n' => break,
                _ => {}
            },
        }
    }
    span
}

/// The label under an invalid id.
fn id_problem(error: &IdError) -> &'static str {
    match error {
        IdError::Empty => "an id cannot be empty",
        IdError::Invalid(_) => "use lowercase letters, digits and `-` only",
    }
}

/// `a string`, `an integer`, `an array`…
fn article(noun: &str) -> String {
    match noun.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {noun}"),
        _ => format!("a {noun}"),
    }
}

/// `` `a`, `b` or `c` ``
fn alternatives(options: &[&str]) -> String {
    match options {
        [] => String::new(),
        [only] => format!("`{only}`"),
        [init @ .., last] => format!(
            "{} or `{last}`",
            init.iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `` `a`, `b`, `c` ``
fn quoted_list(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A best guess at the kebab-case spelling of an id: `Staff Engineer` →
/// `staff-engineer`.
fn to_kebab(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(out.trim_end_matches('-').len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_spaces_and_capitals_get_a_kebab_case_suggestion() {
        assert_eq!(to_kebab("Staff Engineer"), "staff-engineer");
        assert_eq!(to_kebab("staff_engineer_2"), "staff-engineer-2");
        assert_eq!(to_kebab("!!"), "");
    }

    #[test]
    fn spans_are_kept_on_character_boundaries() {
        let text = "aé";
        assert_eq!(clamp_span(text, 2..9), 1..3);
    }

    #[test]
    fn invalid_utf8_is_reported_at_the_first_bad_byte() {
        let (text, diagnostic) = decode(b"ab\xFFcd");
        let diagnostic = diagnostic.expect("an E001");
        assert_eq!(diagnostic.code, Code::E001);
        assert_eq!(diagnostic.labels[0].span, 2..5);
        assert_eq!(text, "ab\u{FFFD}cd");
    }

    #[test]
    fn alternatives_read_as_a_sentence() {
        assert_eq!(alternatives(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(alternatives(&["project"]), "`project`");
    }
}
