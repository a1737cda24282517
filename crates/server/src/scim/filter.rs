//! SCIM filters (RFC 7644 §3.4.2.2) parsed into a typed tree, and attribute
//! paths shared with PATCH. The parser takes `and`, `or`, `not (…)`,
//! parentheses, the comparisons `eq ne co sw ew gt ge lt le`, `pr`, and
//! value paths such as `emails[type eq "work"].value`; anything else is an
//! [`FilterError`] that becomes SCIM's `invalidFilter`. Evaluation runs on
//! a user's JSON rendering, attribute names compared without case.

use serde_json::Value;

/// The schema URN of the core User.
pub(crate) const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The schema URN of the enterprise User extension.
pub(crate) const ENTERPRISE_USER: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The longest filter or path accepted, in bytes.
const MAX_LEN: usize = 4096;
/// The deepest nesting of parentheses and `not` accepted.
const MAX_DEPTH: usize = 32;

/// Why a filter or path does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct FilterError(pub(crate) String);

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A path to an attribute: `urn:…:attr[filter].sub`, each part optional
/// but the attribute. Names are kept as written; matching ignores case.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AttrPath {
    /// The schema URN written before the attribute, if any.
    pub(crate) urn: Option<String>,
    /// The attribute.
    pub(crate) attr: String,
    /// A filter on the values of a multi-valued attribute.
    pub(crate) filter: Option<Box<Filter>>,
    /// The sub-attribute.
    pub(crate) sub: Option<String>,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `path op value`.
    Compare(AttrPath, CompareOp, Value),
    /// `path pr`, and a bare value path `emails[type eq "work"]`.
    Present(AttrPath),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
}

fn tokenize(text: &str) -> Result<Vec<(Token, bool)>, FilterError> {
    if text.len() > MAX_LEN {
        return Err(FilterError(format!("a filter is at most {MAX_LEN} bytes")));
    }
    // Each token with whether it directly follows the previous one (no
    // space): `].value` continues a path.
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut glued = false;
    while let Some(&(start, c)) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                chars.next();
                glued = false;
                continue;
            }
            '(' | ')' | '[' | ']' => {
                chars.next();
                let token = match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::OpenBracket,
                    _ => Token::CloseBracket,
                };
                tokens.push((token, glued));
                glued = true;
                continue;
            }
            '"' => {
                chars.next();
                let mut end = None;
                let mut escaped = false;
                for (i, c) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = Some(i);
                        break;
                    }
                }
                let end = end.ok_or_else(|| FilterError("a string is not closed".to_owned()))?;
                let literal = &text[start..=end];
                let value: String = serde_json::from_str(literal)
                    .map_err(|_| FilterError(format!("{literal} is not a valid string")))?;
                tokens.push((Token::Str(value), glued));
            }
            _ => {
                let mut end = text.len();
                while let Some(&(i, c)) = chars.peek() {
                    if matches!(c, ' ' | '\t' | '\n' | '\r' | '(' | ')' | '[' | ']' | '"') {
                        end = i;
                        break;
                    }
                    chars.next();
                }
                tokens.push((Token::Word(text[start..end].to_owned()), glued));
            }
        }
        glued = true;
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(Token, bool)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn glued(&self) -> bool {
        self.tokens.get(self.at).is_some_and(|(_, g)| *g)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|(t, _)| t.clone());
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self, depth: usize) -> Result<Filter, FilterError> {
        let mut left = self.and(depth)?;
        while self.keyword("or") {
            self.at += 1;
            let right = self.and(depth)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Filter, FilterError> {
        let mut left = self.atom(depth)?;
        while self.keyword("and") {
            self.at += 1;
            let right = self.atom(depth)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn atom(&mut self, depth: usize) -> Result<Filter, FilterError> {
        if depth > MAX_DEPTH {
            return Err(FilterError(format!(
                "a filter nests at most {MAX_DEPTH} levels"
            )));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or(depth + 1)?;
            self.expect(&Token::Close, "`)`")?;
            return Ok(inner);
        }
        if self.keyword("not") {
            self.at += 1;
            self.expect(&Token::Open, "`(` after `not`")?;
            let inner = self.or(depth + 1)?;
            self.expect(&Token::Close, "`)`")?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        let path = self.path(depth)?;
        if path.filter.is_some()
            && path.sub.is_none()
            && !matches!(self.peek(), Some(Token::Word(w)) if is_operator(w))
        {
            return Ok(Filter::Present(path));
        }
        let op = match self.next() {
            Some(Token::Word(w)) => w,
            _ => {
                return Err(FilterError(
                    "expected an operator after an attribute".to_owned(),
                ));
            }
        };
        if op.eq_ignore_ascii_case("pr") {
            return Ok(Filter::Present(path));
        }
        let op = match op.to_ascii_lowercase().as_str() {
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "co" => CompareOp::Co,
            "sw" => CompareOp::Sw,
            "ew" => CompareOp::Ew,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            _ => return Err(FilterError(format!("`{op}` is not a filter operator"))),
        };
        let value = match self.next() {
            Some(Token::Str(s)) => Value::String(s),
            Some(Token::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => serde_json::from_str::<serde_json::Number>(&w)
                    .map(Value::Number)
                    .map_err(|_| FilterError(format!("`{w}` is not a value: quote strings")))?,
            },
            _ => {
                return Err(FilterError(
                    "expected a value after the operator".to_owned(),
                ));
            }
        };
        Ok(Filter::Compare(path, op, value))
    }

    fn expect(&mut self, token: &Token, what: &str) -> Result<(), FilterError> {
        if self.next().as_ref() == Some(token) {
            Ok(())
        } else {
            Err(FilterError(format!("expected {what}")))
        }
    }

    fn path(&mut self, depth: usize) -> Result<AttrPath, FilterError> {
        let Some(Token::Word(word)) = self.next() else {
            return Err(FilterError("expected an attribute name".to_owned()));
        };
        let mut path = split_path(&word)?;
        if self.peek() == Some(&Token::OpenBracket) && self.glued() {
            if path.sub.is_some() {
                return Err(FilterError(
                    "a value filter follows the attribute, not its sub-attribute".to_owned(),
                ));
            }
            self.at += 1;
            let inner = self.or(depth + 1)?;
            self.expect(&Token::CloseBracket, "`]`")?;
            path.filter = Some(Box::new(inner));
            if let Some(Token::Word(rest)) = self.peek()
                && self.glued()
            {
                let rest = rest.clone();
                let sub = rest
                    .strip_prefix('.')
                    .filter(|s| is_name(s))
                    .ok_or_else(|| FilterError(format!("`{rest}` is not a sub-attribute")))?;
                path.sub = Some(sub.to_owned());
                self.at += 1;
            }
        }
        Ok(path)
    }
}

fn is_operator(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le" | "pr"
    )
}

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
}

/// Splits `urn:…:attr.sub` (no brackets) into its parts.
fn split_path(word: &str) -> Result<AttrPath, FilterError> {
    let bad = || FilterError(format!("`{word}` is not an attribute path"));
    let (urn, rest) = if word.to_ascii_lowercase().starts_with("urn:") {
        let (urn, rest) = word.rsplit_once(':').ok_or_else(bad)?;
        (Some(urn.to_owned()), rest)
    } else {
        (None, word)
    };
    let (attr, sub) = match rest.split_once('.') {
        Some((attr, sub)) => (attr, Some(sub)),
        None => (rest, None),
    };
    if !is_name(attr) || sub.is_some_and(|s| !is_name(s)) {
        return Err(bad());
    }
    Ok(AttrPath {
        urn,
        attr: attr.to_owned(),
        filter: None,
        sub: sub.map(str::to_owned),
    })
}

/// Parses a filter.
pub(crate) fn parse(text: &str) -> Result<Filter, FilterError> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
    };
    if parser.tokens.is_empty() {
        return Err(FilterError("the filter is empty".to_owned()));
    }
    let filter = parser.or(0)?;
    if parser.at < parser.tokens.len() {
        return Err(FilterError("unexpected text after the filter".to_owned()));
    }
    Ok(filter)
}

/// Parses a PATCH path: an attribute path, with an optional value filter
/// and sub-attribute.
pub(crate) fn parse_path(text: &str) -> Result<AttrPath, FilterError> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
    };
    let path = parser.path(0)?;
    if parser.at < parser.tokens.len() {
        return Err(FilterError(format!("`{text}` is not an attribute path")));
    }
    Ok(path)
}

/// The member of `object` named `name`, whatever its case.
pub(crate) fn member<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The object a path starts from: the resource, or the extension its URN names.
fn scope<'a>(resource: &'a Value, urn: Option<&str>) -> Option<&'a Value> {
    match urn {
        None => Some(resource),
        Some(urn) if urn.eq_ignore_ascii_case(CORE_USER) => Some(resource),
        Some(urn) => member(resource, urn),
    }
}

impl Filter {
    /// Whether `resource` (a JSON object) matches.
    pub(crate) fn matches(&self, resource: &Value) -> bool {
        match self {
            Self::And(a, b) => a.matches(resource) && b.matches(resource),
            Self::Or(a, b) => a.matches(resource) || b.matches(resource),
            Self::Not(inner) => !inner.matches(resource),
            Self::Present(path) => values(resource, path).iter().any(|v| {
                !v.is_null() && v.as_str() != Some("") && v.as_array().is_none_or(|a| !a.is_empty())
            }),
            Self::Compare(path, op, wanted) => {
                let found = values(resource, path);
                if *op == CompareOp::Ne {
                    return !found.iter().any(|v| compare(v, CompareOp::Eq, wanted));
                }
                found.iter().any(|v| compare(v, *op, wanted))
            }
        }
    }
}

/// The values a path reaches in `resource`, multi-valued attributes flattened.
fn values<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(base) = scope(resource, path.urn.as_deref()) else {
        return Vec::new();
    };
    let Some(value) = member(base, &path.attr) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter(|item| path.filter.as_ref().is_none_or(|f| f.matches(item)))
        .filter_map(|item| match &path.sub {
            Some(sub) => member(item, sub),
            // `emails eq "x"` compares the primary `value` of each element.
            None if item.is_object() => member(item, "value").or(Some(item)),
            None => Some(item),
        })
        .collect()
}

fn compare(found: &Value, op: CompareOp, wanted: &Value) -> bool {
    match (found, wanted) {
        (Value::String(a), Value::String(b)) => {
            let (a, b) = (a.to_lowercase(), b.to_lowercase());
            match op {
                CompareOp::Eq | CompareOp::Ne => a == b,
                CompareOp::Co => a.contains(&b),
                CompareOp::Sw => a.starts_with(&b),
                CompareOp::Ew => a.ends_with(&b),
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
            }
        }
        (Value::Bool(a), Value::Bool(b)) => matches!(op, CompareOp::Eq | CompareOp::Ne) && a == b,
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) => match op {
                CompareOp::Eq | CompareOp::Ne => a == b,
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
                _ => false,
            },
            _ => false,
        },
        (Value::Null, Value::Null) => matches!(op, CompareOp::Eq),
        _ => false,
    }
}

/// A value the store can look up directly, so that a filter need not read
/// every user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    UserName(String),
    ExternalId(String),
    Email(String),
}

impl Filter {
    /// Keys that every matching user has one of, when the filter allows
    /// knowing them (`eq` on `userName`, `externalId` or an email value,
    /// combined with `or`, or with `and` beside anything); `None` when the
    /// filter can only be answered by reading every user.
    pub(crate) fn keys(&self) -> Option<Vec<Key>> {
        match self {
            Self::Or(a, b) => {
                let mut keys = a.keys()?;
                keys.extend(b.keys()?);
                Some(keys)
            }
            Self::And(a, b) => a.keys().or_else(|| b.keys()),
            Self::Compare(path, CompareOp::Eq, Value::String(value)) => {
                let core = path
                    .urn
                    .as_deref()
                    .is_none_or(|u| u.eq_ignore_ascii_case(CORE_USER));
                let attr = path.attr.to_ascii_lowercase();
                let sub = path.sub.as_deref().map(str::to_ascii_lowercase);
                match (core, attr.as_str(), sub.as_deref()) {
                    (true, "username", None) => Some(vec![Key::UserName(value.clone())]),
                    (true, "externalid", None) => Some(vec![Key::ExternalId(value.clone())]),
                    (true, "emails", None | Some("value")) => Some(vec![Key::Email(value.clone())]),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn user() -> Value {
        json!({
            "userName": "Ada@Example.com",
            "externalId": "00u1",
            "active": true,
            "emails": [
                {"value": "ada@example.com", "type": "work", "primary": true},
                {"value": "ada@home.example", "type": "home"}
            ],
            ENTERPRISE_USER: {"manager": {"value": "3"}}
        })
    }

    #[test]
    fn the_filters_okta_and_entra_send_match_the_user_they_name() {
        for text in [
            r#"userName eq "ada@example.com""#,
            r#"USERNAME EQ "ADA@example.COM""#,
            r#"externalId eq "00u1""#,
            r#"emails[type eq "work"].value eq "ada@example.com""#,
            r#"userName eq "nobody" or externalId eq "00u1""#,
            r#"userName eq "ada@example.com" and active eq true"#,
            r#"emails[type eq "work" and primary eq true]"#,
            r#"not (userName eq "nobody")"#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "3""#,
            r#"userName sw "ada" and (emails.value ew "home.example")"#,
            "userName pr",
        ] {
            let filter = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(filter.matches(&user()), "{text} should match");
        }
    }

    #[test]
    fn filters_that_name_someone_else_do_not_match() {
        for text in [
            r#"userName eq "grace@example.com""#,
            r#"emails[type eq "home"].value eq "ada@example.com""#,
            r#"userName eq "ada@example.com" and active eq false"#,
            "title pr",
        ] {
            assert!(!parse(text).expect("parses").matches(&user()), "{text}");
        }
    }

    #[test]
    fn a_filter_outside_the_grammar_is_refused_with_a_reason() {
        for text in [
            "",
            "userName",
            r#"userName zz "x""#,
            r#"userName eq "open"#,
            r#"(userName eq "x""#,
            r#"userName eq x"#,
            r#"userName eq "x" extra"#,
            r#"emails[type eq "work""#,
        ] {
            assert!(parse(text).is_err(), "{text} should not parse");
        }
    }

    #[test]
    fn equality_on_user_name_external_id_or_email_is_looked_up_not_scanned() {
        let keys = parse(r#"userName eq "a" or externalId eq "b""#)
            .expect("parses")
            .keys();
        assert_eq!(
            keys,
            Some(vec![Key::UserName("a".into()), Key::ExternalId("b".into())])
        );
        let keys = parse(r#"emails[type eq "work"].value eq "c" and active eq true"#)
            .expect("parses")
            .keys();
        assert_eq!(keys, Some(vec![Key::Email("c".into())]));
        assert_eq!(parse(r#"userName co "a""#).expect("parses").keys(), None);
    }

    #[test]
    fn patch_paths_parse_into_their_parts() {
        let path = parse_path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")
            .expect("parses");
        assert_eq!(path.urn.as_deref(), Some(ENTERPRISE_USER));
        assert_eq!(path.attr, "manager");
        let path = parse_path(r#"emails[type eq "work"].value"#).expect("parses");
        assert_eq!(
            (path.attr.as_str(), path.sub.as_deref()),
            ("emails", Some("value"))
        );
        assert!(path.filter.is_some());
        let path = parse_path("name.givenName").expect("parses");
        assert_eq!(path.sub.as_deref(), Some("givenName"));
        assert!(parse_path("name. givenName").is_err());
    }

    proptest! {
        #[test]
        fn no_filter_text_panics(text in ".{0,200}") {
            if let Ok(filter) = parse(&text) {
                let _ = filter.matches(&user());
                let _ = filter.keys();
            }
            let _ = parse_path(&text);
        }

        #[test]
        fn no_filter_made_of_filter_words_panics(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("userName"), Just("eq"), Just("and"), Just("or"), Just("not"),
                    Just("("), Just(")"), Just("["), Just("]"), Just("\"x\""), Just("pr"),
                    Just("emails"), Just(".value"), Just("true"), Just("urn:a:b"),
                ],
                0..30,
            )
        ) {
            let text = words.join(" ");
            if let Ok(filter) = parse(&text) {
                let _ = filter.matches(&user());
            }
            let _ = parse(&words.concat());
        }
    }
}
