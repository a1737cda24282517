//! `climb fmt`: rewrites a framework file in the canonical order and layout
//! while keeping every comment, so that two people's edits to the same file
//! diff cleanly and a company's CI can hold the file to one shape.
//!
//! The canonical form:
//! - sections in the order of the format's reference: `[framework]`,
//!   `[[streams]]`, `[[roles]]`, `[[transitions]]`, `[[designations]]`,
//!   `[[competencies]]`, `[[renames]]`; the entries of each section keep
//!   their order, which is meaningful (streams are the chart's rows);
//! - keys in each table in the reference's order, unknown keys last in the
//!   order written (the checker reports them; formatting does not drop them);
//! - `key = value` with one space either side, one blank line before each
//!   table, none after the last line but its newline;
//! - arrays on one line when they fit in [`MAX_WIDTH`] columns and hold no
//!   comment, otherwise one element a line, indented two spaces, with a
//!   trailing comma; inline tables as `{ a = 1, b = 2 }`;
//! - a sub-table of an entry (`[roles.expectations]` or dotted keys) and an
//!   inline array of tables (`roles = [{ … }]`) become the inline and `[[…]]`
//!   forms the reference uses.
//!
//! Strings, numbers and booleans keep the representation they were written
//! with (a literal string stays literal, a multi-line description stays
//! multi-line): changing them is not layout. Comments stay with the table or
//! key they precede, or the value they follow on its line; the comment block
//! that opens the file stays at the top.
//!
//! Formatting is idempotent, and the formatted file means the same TOML as
//! the original; the tests hold both for every framework in the repository
//! and for generated ones.

use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Key, RawString, Table, Value,
};

use crate::parse::{
    COMPETENCY_KEYS, DESIGNATION_KEYS, FRAMEWORK_KEYS, RENAME_KEYS, ROLE_KEYS, STREAM_KEYS,
    TOP_KEYS, TRANSITION_KEYS,
};

/// Arrays longer than this on one line (key included) are laid out one
/// element a line.
pub const MAX_WIDTH: usize = 100;

/// Why a file could not be formatted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The file is not UTF-8 TOML; `climb check` names each syntax error.
    #[error("not a TOML file: {0}")]
    NotToml(String),
    /// The file is TOML but holds a shape no framework file has, which the
    /// formatter will not guess a layout for.
    #[error("cannot lay out {what}: {why}")]
    Unsupported {
        /// Which part, as a TOML path (`roles[2].expectations`).
        what: String,
        /// What is wrong with it.
        why: &'static str,
    },
}

/// The file in canonical form. Bytes that are not UTF-8 or not TOML are a
/// [`FormatError::NotToml`].
pub fn format(source: &[u8]) -> Result<String, FormatError> {
    let text =
        std::str::from_utf8(source).map_err(|e| FormatError::NotToml(format!("not UTF-8: {e}")))?;
    let document: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| FormatError::NotToml(e.message().to_owned()))?;
    let mut writer = Writer::default();
    writer.document(&document)?;
    Ok(writer.finish())
}

/// The keys of a table of `section`, in canonical order.
fn key_order(section: &str) -> &'static [&'static str] {
    match section {
        "framework" => FRAMEWORK_KEYS,
        "streams" => STREAM_KEYS,
        "roles" => ROLE_KEYS,
        "transitions" => TRANSITION_KEYS,
        "designations" => DESIGNATION_KEYS,
        "competencies" => COMPETENCY_KEYS,
        "renames" => RENAME_KEYS,
        _ => &[],
    }
}

/// A comment line, or a blank line between comments.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    Comment(&'a str),
    Blank,
}

/// The comments of a stretch of whitespace and comments (a decor or an
/// array's trailing space), trimmed, with runs of blank lines made one.
/// Leading blank lines go; one trailing blank line stays when `keep_gap`
/// and the original had one after its last comment (a comment that stands
/// apart from what follows, such as a section divider).
fn comment_lines(raw: &str, keep_gap: bool) -> Vec<Line<'_>> {
    let mut lines: Vec<Line<'_>> = Vec::new();
    for line in raw.split('\n') {
        let line = line.trim();
        if line.starts_with('#') {
            lines.push(Line::Comment(line));
        } else if line.is_empty() && matches!(lines.last(), Some(Line::Comment(_))) {
            lines.push(Line::Blank);
        }
    }
    // The split yields an empty piece after the last newline, which is no
    // blank line of the file's.
    let ends_in_blank_line = raw.trim_end_matches([' ', '\t']).ends_with("\n\n")
        || raw.trim_end_matches([' ', '\t', '\r']).ends_with("\n\r\n");
    if matches!(lines.last(), Some(Line::Blank)) && !(keep_gap && ends_in_blank_line) {
        lines.pop();
    }
    lines
}

fn raw(raw: Option<&RawString>) -> &str {
    raw.and_then(RawString::as_str).unwrap_or("")
}

/// The comment on the same line as what it follows, if any.
fn trailing_comment(raw: &str) -> Option<&str> {
    let first_line = raw.split('\n').next().unwrap_or("");
    first_line
        .find('#')
        .map(|at| first_line[at..].trim_end())
        .filter(|comment| !comment.is_empty())
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn finish(mut self) -> String {
        while self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push('\n');
        self.out
    }

    fn comments(&mut self, lines: &[Line<'_>], indent: &str) {
        for line in lines {
            match line {
                Line::Comment(text) => {
                    self.out.push_str(indent);
                    self.out.push_str(text);
                    self.out.push('\n');
                }
                Line::Blank => self.out.push('\n'),
            }
        }
    }

    /// Starts a table: one blank line before it unless it opens the file.
    fn gap(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn document(&mut self, document: &DocumentMut) -> Result<(), FormatError> {
        let root = document.as_table();
        let tables = root_tables(root);

        // The comment block that opens the file stays on top, wherever its
        // first table moves: the part of the first table's comments up to
        // their last blank line.
        let first = tables
            .iter()
            .min_by_key(|entry| (entry.table.position(), entry.index));
        let mut opening_taken = None;
        if let Some(entry) = first {
            let prefix = raw(entry.table.decor().prefix());
            if let Some(cut) = prefix.rfind("\n\n") {
                let lines = comment_lines(&prefix[..cut], false);
                self.comments(&lines, "");
                opening_taken = Some((entry.index, &prefix[cut..]));
            }
        }

        // Keys at the top level that are not sections come first, as TOML
        // requires; the checker reports them.
        let loose: Vec<(&Key, &Item)> = root
            .iter()
            .filter(|(name, item)| item.is_value() && !becomes_table(name, item))
            .filter_map(|(name, item)| Some((root.key(name)?, item)))
            .collect();
        if !loose.is_empty() {
            self.gap();
        }
        for (key, item) in loose {
            self.key_value(key, item, key.get(), "")?;
        }

        let mut ordered: Vec<&TableAt> = tables.iter().collect();
        // Sections in canonical order; within one, the order written.
        ordered.sort_by_key(|entry| {
            let rank = TOP_KEYS
                .iter()
                .position(|k| *k == entry.section)
                .unwrap_or(TOP_KEYS.len());
            (rank, entry.index)
        });
        for entry in ordered {
            let prefix = match opening_taken {
                Some((taken, rest)) if taken == entry.index => rest,
                _ => raw(entry.table.decor().prefix()),
            };
            self.table(entry, prefix)?;
        }

        let trailing = comment_lines(raw(Some(document.trailing())), false);
        if !trailing.is_empty() {
            self.gap();
            self.comments(&trailing, "");
        }
        Ok(())
    }

    fn table(&mut self, entry: &TableAt, prefix: &str) -> Result<(), FormatError> {
        let (section, table) = (entry.section.as_str(), &entry.table);
        self.gap();
        self.comments(&comment_lines(prefix, true), "");
        let header = if entry.array {
            format!("[[{section}]]")
        } else {
            format!("[{section}]")
        };
        self.out.push_str(&header);
        if let Some(comment) = trailing_comment(raw(table.decor().suffix())) {
            self.out.push(' ');
            self.out.push_str(comment);
        }
        self.out.push('\n');

        let order = key_order(section);
        let mut entries: Vec<(&Key, &Item)> = table
            .iter()
            .filter_map(|(name, item)| Some((table.key(name)?, item)))
            .collect();
        // A stable sort keeps unknown keys in the order written.
        entries.sort_by_key(|(key, _)| {
            order
                .iter()
                .position(|k| *k == key.get())
                .unwrap_or(order.len())
        });
        for (index, (key, item)) in entries.into_iter().enumerate() {
            let path = format!("{section}.{}", key.get());
            if index > 0
                && raw(key.leaf_decor().prefix())
                    .trim_start_matches([' ', '\t'])
                    .starts_with('\n')
            {
                // A blank line the author left between keys groups them.
                self.out.push('\n');
            }
            self.key_value(key, item, &path, "")?;
        }
        Ok(())
    }

    fn key_value(
        &mut self,
        key: &Key,
        item: &Item,
        path: &str,
        indent: &str,
    ) -> Result<(), FormatError> {
        self.comments(
            &comment_lines(raw(key.leaf_decor().prefix()), false),
            indent,
        );
        let value = match item {
            Item::Value(value) => value.clone(),
            Item::Table(table) => Value::InlineTable(sub_table(table, path)?),
            Item::ArrayOfTables(_) => {
                return Err(FormatError::Unsupported {
                    what: path.to_owned(),
                    why: "an array of tables inside a table",
                });
            }
            Item::None => return Ok(()),
        };
        let lead = format!("{indent}{} = ", key.display_repr());
        self.out.push_str(&lead);
        let comment = trailing_comment(raw(value.decor().suffix())).map(str::to_owned);
        self.value(&value, lead.chars().count(), indent);
        if let Some(comment) = comment {
            self.out.push(' ');
            self.out.push_str(&comment);
        }
        self.out.push('\n');
        Ok(())
    }

    /// Writes `value` without its surrounding decor; `column` is where it
    /// starts on its line.
    fn value(&mut self, value: &Value, column: usize, indent: &str) {
        match value {
            Value::Array(array) => self.array(array, column, indent),
            Value::InlineTable(table) => self.out.push_str(&inline_table(table)),
            other => {
                let mut bare = other.clone();
                bare.decor_mut().clear();
                self.out.push_str(&bare.to_string());
            }
        }
    }

    fn array(&mut self, array: &Array, column: usize, indent: &str) {
        let has_comments = raw(Some(array.trailing())).contains('#')
            || array.iter().any(|element| {
                raw(element.decor().prefix()).contains('#')
                    || raw(element.decor().suffix()).contains('#')
            });
        if !has_comments {
            let one_line = one_line_array(array);
            if column + one_line.chars().count() <= MAX_WIDTH || array.is_empty() {
                self.out.push_str(&one_line);
                return;
            }
        }
        let inner = format!("{indent}  ");
        self.out.push_str("[\n");
        let elements: Vec<&Value> = array.iter().collect();
        for (at, element) in elements.iter().enumerate() {
            // A comment after an element's comma is, to the parser, the start
            // of what precedes the next element (or of the closing space);
            // it stays on its element's line.
            let prefix = raw(element.decor().prefix());
            let own_prefix = if at == 0 {
                prefix
            } else {
                after_first_line(prefix)
            };
            self.comments(&comment_lines(own_prefix, false), &inner);
            self.out.push_str(&inner);
            self.value(element, inner.len(), &inner);
            self.out.push(',');
            let after_comma = match elements.get(at + 1) {
                Some(next) => raw(next.decor().prefix()),
                None => raw(Some(array.trailing())),
            };
            let same_line = trailing_comment(raw(element.decor().suffix()))
                .into_iter()
                .chain(trailing_comment(after_comma));
            for comment in same_line {
                self.out.push(' ');
                self.out.push_str(comment);
            }
            self.out.push('\n');
        }
        let closing = raw(Some(array.trailing()));
        let closing = if elements.is_empty() {
            closing
        } else {
            after_first_line(closing)
        };
        self.comments(&comment_lines(closing, false), &inner);
        self.out.push_str(indent);
        self.out.push(']');
    }
}

/// What follows the first line break of `raw` (nothing when there is none).
fn after_first_line(raw: &str) -> &str {
    raw.split_once('\n').map_or("", |(_, rest)| rest)
}

fn one_line_array(array: &Array) -> String {
    let parts: Vec<String> = array
        .iter()
        .map(|element| match element {
            Value::Array(inner) => one_line_array(inner),
            Value::InlineTable(table) => inline_table(table),
            other => {
                let mut bare = other.clone();
                bare.decor_mut().clear();
                bare.to_string()
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn inline_table(table: &InlineTable) -> String {
    let mut table = table.clone();
    table.decor_mut().clear();
    let has_comments = table.iter().any(|(name, value)| {
        raw(value.decor().suffix()).contains('#')
            || raw(value.decor().prefix()).contains('#')
            || table
                .key(name)
                .is_some_and(|key| raw(key.leaf_decor().prefix()).contains('#'))
    });
    if !has_comments {
        table.fmt();
    }
    table.to_string()
}

/// A sub-table of an entry (`[roles.expectations]` or dotted keys) as the
/// inline table the reference writes.
fn sub_table(table: &Table, path: &str) -> Result<InlineTable, FormatError> {
    let mut inline = InlineTable::new();
    for (name, item) in table.iter() {
        let value = match item {
            Item::Value(value) => value.clone(),
            Item::Table(inner) => Value::InlineTable(sub_table(inner, &format!("{path}.{name}"))?),
            Item::ArrayOfTables(_) => {
                return Err(FormatError::Unsupported {
                    what: format!("{path}.{name}"),
                    why: "an array of tables inside a table",
                });
            }
            Item::None => continue,
        };
        inline.insert(name, value);
    }
    Ok(inline)
}

/// Whether a top-level value is a section written inline, which the
/// canonical layout writes as tables.
fn becomes_table(name: &str, item: &Item) -> bool {
    match item {
        Item::Value(Value::InlineTable(_)) => name == "framework",
        _ => TOP_KEYS.contains(&name) && is_array_of_inline_tables(item),
    }
}

fn is_array_of_inline_tables(item: &Item) -> bool {
    item.as_array()
        .is_some_and(|array| !array.is_empty() && array.iter().all(Value::is_inline_table))
}

/// A table of the file's top level, or one entry of an array of tables.
struct TableAt {
    section: String,
    table: Table,
    /// Written as `[[section]]` rather than `[section]`.
    array: bool,
    /// Its place among the file's top-level tables.
    index: usize,
}

/// Every table the file's top level holds. A section written as an inline
/// array of tables becomes `[[section]]` tables, each element's comments
/// going with it.
fn root_tables(root: &Table) -> Vec<TableAt> {
    let mut tables = Vec::new();
    let mut push = |section: &str, table: Table, array: bool| {
        let index = tables.len();
        tables.push(TableAt {
            section: section.to_owned(),
            table,
            array,
            index,
        });
    };
    for (name, item) in root.iter() {
        match item {
            Item::Table(table) => push(name, table.clone(), false),
            Item::ArrayOfTables(array) => {
                for table in ArrayOfTables::iter(array) {
                    push(name, table.clone(), true);
                }
            }
            Item::Value(Value::Array(array))
                if TOP_KEYS.contains(&name) && is_array_of_inline_tables(item) =>
            {
                for element in array.iter() {
                    if let Value::InlineTable(inline) = element {
                        let mut table = inline.clone().into_table();
                        table
                            .decor_mut()
                            .set_prefix(raw(element.decor().prefix()).to_owned());
                        push(name, table, true);
                    }
                }
            }
            Item::Value(Value::InlineTable(inline)) if name == "framework" => {
                push(name, inline.clone().into_table(), false);
            }
            Item::Value(_) | Item::None => {}
        }
    }
    tables
}
