//! Reads the literal data of a JavaScript module without running it: a
//! tokenizer that knows strings, template literals, comments, regular
//! expressions and brackets, and a reader of the object, array, string,
//! number and boolean literals assigned to top-level `const`, `let` and
//! `var` names. Anything else (calls, functions, arithmetic) is skipped
//! and read as [`Value::Other`]. Type annotations (Flow, TypeScript)
//! between a name and its `=` are skipped.

use crate::location::{ImportError, Lines};

/// Nesting deeper than this is refused rather than read recursively.
const MAX_DEPTH: usize = 64;

/// A literal value, with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) at: usize,
    pub(crate) value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Keys (with their offsets) and values, in source order.
    Object(Vec<(String, usize, Node)>),
    Array(Vec<Node>),
    String(String),
    Number(f64),
    Bool(bool),
    Null,
    /// An expression that is not a literal.
    Other,
}

impl Node {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_number(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn entries(&self) -> &[(String, usize, Node)] {
        match &self.value {
            Value::Object(entries) => entries,
            _ => &[],
        }
    }

    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Value::Array(items) => items,
            _ => &[],
        }
    }
}

/// A top-level binding whose value was read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Constant {
    pub(crate) name: String,
    pub(crate) at: usize,
    pub(crate) value: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    /// A template literal; `None` when it has substitutions.
    Template(Option<String>),
    Number(f64),
    Punct(char),
    Regex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Paren,
    Bracket,
    Brace,
    /// `${` inside a template literal.
    Substitution,
}

/// Every top-level `const`/`let`/`var` binding of `text` whose value is a
/// literal (values that are not are left out). Fails on text that is not
/// JavaScript enough to tokenize: an unterminated string, comment,
/// template or regular expression, or unbalanced brackets.
pub(crate) fn constants(lines: &Lines<'_>, text: &str) -> Result<Vec<Constant>, ImportError> {
    let tokens = tokenize(lines, text)?;
    let mut reader = Reader {
        tokens: &tokens,
        pos: 0,
        lines,
    };
    let mut found = Vec::new();
    let mut depth = 0usize;
    while let Some((token, at)) = reader.peek() {
        let at = *at;
        match token {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            Token::Ident(keyword)
                if depth == 0 && matches!(keyword.as_str(), "const" | "let" | "var") =>
            {
                reader.pos += 1;
                if let Some((Token::Ident(name), name_at)) = reader.peek() {
                    let (name, name_at) = (name.clone(), *name_at);
                    reader.pos += 1;
                    if reader.skip_to_assignment() {
                        let value = reader.value(0)?;
                        if value.value != Value::Other {
                            found.push(Constant {
                                name,
                                at: name_at,
                                value,
                            });
                        }
                    }
                }
                continue;
            }
            _ => {}
        }
        let _ = at;
        reader.pos += 1;
    }
    Ok(found)
}

struct Reader<'t, 'l> {
    tokens: &'t [(Token, usize)],
    pos: usize,
    lines: &'t Lines<'l>,
}

impl Reader<'_, '_> {
    fn peek(&self) -> Option<&(Token, usize)> {
        self.tokens.get(self.pos)
    }

    fn peek_punct(&self) -> Option<char> {
        match self.peek() {
            Some((Token::Punct(c), _)) => Some(*c),
            _ => None,
        }
    }

    fn offset(&self) -> usize {
        self.peek()
            .or_else(|| self.tokens.last())
            .map_or(0, |(_, at)| *at)
    }

    /// Moves past the `=` of a binding, over a type annotation; false (and
    /// nowhere) when the binding has no initializer.
    fn skip_to_assignment(&mut self) -> bool {
        let mut depth = 0usize;
        while let Some((token, _)) = self.peek() {
            match token {
                Token::Punct('(' | '[' | '{' | '<') => depth += 1,
                Token::Punct(')' | ']' | '}' | '>') => {
                    if depth == 0 {
                        return false;
                    }
                    depth -= 1;
                }
                Token::Punct(';') if depth == 0 => return false,
                Token::Punct('=') if depth == 0 => {
                    let next = self.tokens.get(self.pos + 1).map(|(t, _)| t);
                    if !matches!(next, Some(Token::Punct('=' | '>'))) {
                        self.pos += 1;
                        return true;
                    }
                }
                Token::Ident(word)
                    if depth == 0
                        && matches!(
                            word.as_str(),
                            "const" | "let" | "var" | "function" | "export"
                        ) =>
                {
                    return false;
                }
                _ => {}
            }
            self.pos += 1;
        }
        false
    }

    /// Reads one value; an expression that is not a literal is skipped up
    /// to the next `,`, `;` or closing bracket at its level.
    fn value(&mut self, depth: usize) -> Result<Node, ImportError> {
        if depth > MAX_DEPTH {
            return Err(ImportError::unreadable(
                self.lines.at(self.offset()),
                format!("literals nested more than {MAX_DEPTH} deep"),
            ));
        }
        let at = self.offset();
        let Some((token, _)) = self.peek().cloned() else {
            return Ok(Node {
                at,
                value: Value::Other,
            });
        };
        let value = match token {
            Token::Punct('{') => {
                self.pos += 1;
                self.object(depth)?
            }
            Token::Punct('[') => {
                self.pos += 1;
                self.array(depth)?
            }
            Token::Str(s) | Token::Template(Some(s)) => {
                self.pos += 1;
                Value::String(s)
            }
            Token::Number(n) => {
                self.pos += 1;
                Value::Number(n)
            }
            Token::Punct('-')
                if matches!(self.tokens.get(self.pos + 1), Some((Token::Number(_), _))) =>
            {
                let n = match self.tokens.get(self.pos + 1) {
                    Some((Token::Number(n), _)) => *n,
                    _ => 0.0,
                };
                self.pos += 2;
                Value::Number(-n)
            }
            Token::Ident(word) if matches!(word.as_str(), "true" | "false") => {
                self.pos += 1;
                Value::Bool(word == "true")
            }
            Token::Ident(word) if matches!(word.as_str(), "null" | "undefined") => {
                self.pos += 1;
                Value::Null
            }
            _ => {
                // At the top, the caller scans on from here token by token;
                // statements need not end in `;`, so skipping to one could
                // swallow the next binding.
                if depth > 0 {
                    self.skip_expression();
                }
                return Ok(Node {
                    at,
                    value: Value::Other,
                });
            }
        };
        // A literal followed by anything but a separator is part of a
        // larger expression (`'a' + b`, `[...].map(f)`), which is not data.
        match self.peek() {
            None | Some((Token::Punct(',' | ';' | '}' | ']' | ')'), _)) => Ok(Node { at, value }),
            Some((Token::Ident(_), _)) if depth == 0 => Ok(Node { at, value }),
            _ => {
                if depth > 0 {
                    self.skip_expression();
                }
                Ok(Node {
                    at,
                    value: Value::Other,
                })
            }
        }
    }

    fn skip_expression(&mut self) {
        let mut depth = 0usize;
        while let Some((token, _)) = self.peek() {
            match token {
                Token::Punct('(' | '[' | '{') => depth += 1,
                Token::Punct(')' | ']' | '}') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                Token::Punct(',' | ';') if depth == 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ImportError> {
        let mut entries = Vec::new();
        loop {
            let Some((token, key_at)) = self.peek().cloned() else {
                return Ok(Value::Object(entries));
            };
            let key = match token {
                Token::Punct('}') => {
                    self.pos += 1;
                    return Ok(Value::Object(entries));
                }
                Token::Punct(',') => {
                    self.pos += 1;
                    continue;
                }
                Token::Ident(name) | Token::Str(name) | Token::Template(Some(name)) => name,
                Token::Number(n) => format_number(n),
                _ => {
                    // A spread, a computed key or a getter: not data. A
                    // stray `;` stops the skip where it is: step over it.
                    let before = self.pos;
                    self.skip_expression();
                    if self.pos == before {
                        self.pos += 1;
                    }
                    continue;
                }
            };
            self.pos += 1;
            match self.peek_punct() {
                Some(':') => {
                    self.pos += 1;
                    let value = self.value(depth + 1)?;
                    entries.push((key, key_at, value));
                }
                Some(',' | '}') => entries.push((
                    key,
                    key_at,
                    Node {
                        at: key_at,
                        value: Value::Other,
                    },
                )),
                _ => self.skip_expression(),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ImportError> {
        let mut items = Vec::new();
        loop {
            match self.peek_punct() {
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(',') => {
                    self.pos += 1;
                }
                _ if self.peek().is_none() => return Ok(Value::Array(items)),
                _ => {
                    let before = self.pos;
                    items.push(self.value(depth + 1)?);
                    if self.pos == before {
                        // A stray closer of another kind; the tokenizer
                        // refuses those, but never loop on one.
                        self.pos += 1;
                    }
                }
            }
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Whether a `/` after `previous` starts a regular expression rather than
/// dividing.
fn regex_allowed(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(Token::Ident(word)) => matches!(
            word.as_str(),
            "return"
                | "typeof"
                | "case"
                | "do"
                | "else"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
        ),
        Some(Token::Punct(c)) => !matches!(c, ')' | ']' | '}'),
        Some(Token::Str(_) | Token::Template(_) | Token::Number(_) | Token::Regex) => false,
    }
}

fn tokenize(lines: &Lines<'_>, text: &str) -> Result<Vec<(Token, usize)>, ImportError> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<(Token, usize)> = Vec::new();
    let mut open: Vec<(Open, usize)> = Vec::new();
    let mut i = 0;
    let unreadable = |at: usize, message: &str| ImportError::unreadable(lines.at(at), message);
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let Some(end) = text[i + 2..].find("*/") else {
                    return Err(unreadable(start, "a `/*` comment is never closed"));
                };
                i += 2 + end + 2;
            }
            b'/' if regex_allowed(tokens.last().map(|(t, _)| t)) => {
                i += 1;
                let mut class = false;
                loop {
                    match bytes.get(i) {
                        None | Some(b'\n') => {
                            return Err(unreadable(start, "a regular expression is never closed"));
                        }
                        Some(b'\\') => i += 2,
                        Some(b'[') => {
                            class = true;
                            i += 1;
                        }
                        Some(b']') => {
                            class = false;
                            i += 1;
                        }
                        Some(b'/') if !class => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                tokens.push((Token::Regex, start));
            }
            b'"' | b'\'' => {
                let (value, end) = string(text, i, c)
                    .ok_or_else(|| unreadable(start, "a string is never closed on its line"))?;
                tokens.push((Token::Str(value), start));
                i = end;
            }
            b'`' => {
                let (value, end, substitution) = template(text, i + 1)
                    .ok_or_else(|| unreadable(start, "a template literal is never closed"))?;
                if substitution {
                    open.push((Open::Substitution, start));
                    tokens.push((Token::Template(None), start));
                } else {
                    tokens.push((Token::Template(Some(value)), start));
                }
                i = end;
            }
            b'}' if matches!(open.last(), Some((Open::Substitution, _))) => {
                open.pop();
                let (_, end, substitution) = template(text, i + 1)
                    .ok_or_else(|| unreadable(start, "a template literal is never closed"))?;
                if substitution {
                    open.push((Open::Substitution, start));
                }
                i = end;
            }
            b'(' | b'[' | b'{' => {
                open.push((
                    match c {
                        b'(' => Open::Paren,
                        b'[' => Open::Bracket,
                        _ => Open::Brace,
                    },
                    start,
                ));
                tokens.push((Token::Punct(c as char), start));
                i += 1;
            }
            b')' | b']' | b'}' => {
                let wanted = match c {
                    b')' => Open::Paren,
                    b']' => Open::Bracket,
                    _ => Open::Brace,
                };
                match open.pop() {
                    Some((kind, _)) if kind == wanted => {}
                    Some((_, opened)) => {
                        let opened = lines.at(opened);
                        return Err(unreadable(
                            start,
                            &format!(
                                "`{}` does not close the bracket opened at {}:{}",
                                c as char, opened.line, opened.column
                            ),
                        ));
                    }
                    None => {
                        return Err(unreadable(
                            start,
                            &format!("`{}` closes a bracket that was never opened", c as char),
                        ));
                    }
                }
                tokens.push((Token::Punct(c as char), start));
                i += 1;
            }
            b'0'..=b'9' => {
                let (n, end) = number(text, i);
                tokens.push((Token::Number(n), start));
                i = end;
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let (n, end) = number(text, i);
                tokens.push((Token::Number(n), start));
                i = end;
            }
            _ => {
                let Some(ch) = text[i..].chars().next() else {
                    break;
                };
                if ch == '_' || ch == '$' || ch.is_alphabetic() || ch == '\\' {
                    let end = text[i..]
                        .char_indices()
                        .find(|(_, ch)| !(ch.is_alphanumeric() || matches!(ch, '_' | '$' | '\\')))
                        .map_or(text.len(), |(at, _)| i + at);
                    tokens.push((Token::Ident(text[i..end].to_owned()), start));
                    i = end;
                } else {
                    if !ch.is_whitespace() {
                        tokens.push((Token::Punct(ch), start));
                    }
                    i += ch.len_utf8();
                }
            }
        }
    }
    if let Some((kind, opened)) = open.last() {
        let what = match kind {
            Open::Paren => "`(`",
            Open::Bracket => "`[`",
            Open::Brace => "`{`",
            Open::Substitution => "a template literal's `${`",
        };
        return Err(unreadable(*opened, &format!("{what} is never closed")));
    }
    Ok(tokens)
}

/// A quoted string starting at `start` (the quote): its value and the
/// offset after its closing quote; `None` when a line ends first.
fn string(text: &str, start: usize, quote: u8) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c as u32 == u32::from(quote) => return Some((out, start + 1 + at + 1)),
            '\n' | '\r' => return None,
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '0' => out.push('\0'),
                    '\n' => {}
                    '\r' => {
                        if chars.clone().next().map(|(_, c)| c) == Some('\n') {
                            chars.next();
                        }
                    }
                    'x' => {
                        let hex: String = chars.by_ref().take(2).map(|(_, c)| c).collect();
                        out.push(code_point(&hex));
                    }
                    'u' => {
                        let rest = &text[start + 1 + at + 2..];
                        let hex: String = if let Some(braced) = rest.strip_prefix('{') {
                            let inner: String = braced.chars().take_while(|c| *c != '}').collect();
                            for _ in 0..inner.chars().count() + 2 {
                                chars.next();
                            }
                            inner
                        } else {
                            chars.by_ref().take(4).map(|(_, c)| c).collect()
                        };
                        out.push(code_point(&hex));
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

fn code_point(hex: &str) -> char {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}')
}

/// The text of a template literal from `start` (after its backtick or a
/// substitution's `}`) to its end or next `${`: the raw text (escapes
/// kept as written but for `` \` `` and `\$`), the offset after what ended
/// it, and whether that was a `${`.
fn template(text: &str, start: usize) -> Option<(String, usize, bool)> {
    let mut out = String::new();
    let mut chars = text[start..].char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '`' => return Some((out, start + at + 1, false)),
            '$' if text[start + at + 1..].starts_with('{') => {
                return Some((out, start + at + 2, true));
            }
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

/// A number literal at `start`: its value (NaN when it cannot be read) and
/// the offset after it.
fn number(text: &str, start: usize) -> (f64, usize) {
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric()
            || bytes[end] == b'.'
            || bytes[end] == b'_'
            || ((bytes[end] == b'+' || bytes[end] == b'-')
                && end > start
                && matches!(bytes[end - 1], b'e' | b'E')
                && !text[start..end].starts_with("0x")))
    {
        end += 1;
    }
    let literal = text[start..end].replace('_', "");
    let literal = literal.trim_end_matches('n');
    let value = if let Some(hex) = literal
        .strip_prefix("0x")
        .or_else(|| literal.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).map_or(f64::NAN, |n| n as f64)
    } else {
        literal.parse().unwrap_or(f64::NAN)
    };
    (value, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Constant>, ImportError> {
        constants(&Lines::new("m.js", text), text)
    }

    #[test]
    fn literals_are_read_and_expressions_are_not() {
        let text = "// data\nexport const a: Things = { 'k': [1, -2.5, \"x\\ty\"], b: true, c: f(1), d: `t` }\nconst n = 2 * 3;\nlet e = x => x;\n";
        let found = read(text).expect("reads");
        assert_eq!(found.len(), 1);
        let a = &found[0].value;
        assert_eq!(a.get("k").map(|k| k.items().len()), Some(3));
        assert_eq!(
            a.get("k").and_then(|k| k.items()[1].as_number()),
            Some(-2.5)
        );
        assert_eq!(a.get("k").and_then(|k| k.items()[2].as_str()), Some("x\ty"));
        assert_eq!(a.get("c").map(|c| &c.value), Some(&Value::Other));
        assert_eq!(a.get("d").and_then(Node::as_str), Some("t"));
    }

    #[test]
    fn code_around_the_data_is_tokenized_without_being_run() {
        let text = "const re = /[}]\\//g; const t = `a ${ {b: 1}.b } c`;\nfunction f() { const inner = {x: 1}; return a / b }\nconst last = ['ok']";
        let found = read(text).expect("reads");
        assert_eq!(
            found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["last"]
        );
    }

    #[test]
    fn unbalanced_and_unterminated_text_is_refused_where_it_starts() {
        assert_eq!(
            read("const a = {\n  b: [1, 2}\n")
                .expect_err("refused")
                .to_string(),
            "m.js:2:11: error: `}` does not close the bracket opened at 2:6"
        );
        assert_eq!(
            read("const a = 'x\n").expect_err("refused").to_string(),
            "m.js:1:11: error: a string is never closed on its line"
        );
        assert!(read("const a = {").is_err());
        assert!(read("/* x").is_err());
    }

    #[test]
    fn stray_semicolons_in_a_literal_end_the_reading() {
        for text in [
            "const a = {;}",
            "const a = {b ;}",
            "const a = {b: 1;}",
            "const a = [;]",
            "const a = [1;]",
        ] {
            read(text).expect("reads");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed_into() {
        let text = format!("const a = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let error = read(&text).expect_err("refused");
        assert!(error.to_string().contains("nested more than 64 deep"));
    }
}
