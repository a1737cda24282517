//! YAML read into a tree whose every node knows its line and column, built
//! from yaml-rust2's events without recursion; nesting deeper than
//! [`MAX_DEPTH`] is refused.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::location::{ImportError, Location};

/// Nesting deeper than this is refused.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) at: Location,
    pub(crate) value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Scalar(String),
    Sequence(Vec<Node>),
    /// Keys (scalars, with their places) and values, in source order.
    Mapping(Vec<(String, Location, Node)>),
    /// An alias (`*name`), which the importers do not follow.
    Alias,
}

impl Node {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn entries(&self) -> &[(String, Location, Node)] {
        match &self.value {
            Value::Mapping(entries) => entries,
            _ => &[],
        }
    }

    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Value::Sequence(items) => items,
            _ => &[],
        }
    }

    /// A scalar, or the scalars of a sequence, as texts.
    pub(crate) fn texts(&self) -> Vec<String> {
        match &self.value {
            Value::Scalar(s) if !s.trim().is_empty() => vec![s.trim().to_owned()],
            Value::Sequence(items) => items
                .iter()
                .filter_map(Node::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(ToOwned::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Warns about every alias (`*name`) under `node`: the importers do not
/// follow them, so what they stand for is not imported at that place.
pub(crate) fn warn_aliases(node: &Node, warnings: &mut Vec<crate::Warning>) {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        match &node.value {
            Value::Alias => warnings.push(crate::Warning::new(
                node.at.clone(),
                "a YAML alias is not followed, so what it stands for is not imported here",
            )),
            Value::Sequence(items) => pending.extend(items),
            Value::Mapping(entries) => pending.extend(entries.iter().map(|(_, _, v)| v)),
            Value::Scalar(_) => {}
        }
    }
}

enum Frame {
    Sequence(Location, Vec<Node>),
    Mapping(
        Location,
        Vec<(String, Location, Node)>,
        Option<(String, Location)>,
    ),
}

/// The place of a marker; the scanner may point one line past the end of
/// the text, which becomes the start of its last line.
fn location(file: &str, lines: usize, mark: Marker) -> Location {
    if mark.line() > lines {
        Location::new(file, lines, 1)
    } else {
        Location::new(file, mark.line().max(1), mark.col() + 1)
    }
}

/// The first document of `text`, or `None` for a text with no document;
/// `more` is set to the place of a second document, which is not read.
pub(crate) fn parse(
    file: &str,
    text: &str,
) -> Result<(Option<Node>, Option<Location>), ImportError> {
    let lines = 1 + text.matches('\n').count();
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let (event, mark) = parser.next_token().map_err(|error| {
            ImportError::unreadable(
                location(file, lines, *error.marker()),
                format!("not readable as YAML: {}", error.info()),
            )
        })?;
        let at = location(file, lines, mark);
        let complete = match event {
            Event::StreamEnd => break,
            Event::DocumentStart if root.is_some() => return Ok((root, Some(at))),
            Event::Scalar(value, ..) => Some(Node {
                at,
                value: Value::Scalar(value),
            }),
            Event::Alias(_) => Some(Node {
                at,
                value: Value::Alias,
            }),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ImportError::unreadable(
                        at,
                        format!("YAML nested more than {MAX_DEPTH} deep"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence(at, Vec::new())
                } else {
                    Frame::Mapping(at, Vec::new(), None)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Sequence(at, items)) => Some(Node {
                    at,
                    value: Value::Sequence(items),
                }),
                Some(Frame::Mapping(at, entries, _)) => Some(Node {
                    at,
                    value: Value::Mapping(entries),
                }),
                None => None,
            },
            _ => None,
        };
        let Some(node) = complete else {
            continue;
        };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Sequence(_, items)) => items.push(node),
            Some(Frame::Mapping(_, entries, pending)) => match pending.take() {
                Some((key, key_at)) => entries.push((key, key_at, node)),
                None => {
                    let key = node.as_str().unwrap_or_default().to_owned();
                    *pending = Some((key, node.at));
                }
            },
        }
    }
    Ok((root, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_line_and_column() {
        let (root, more) = parse("f.yml", "a:\n  - x\n  - y: 1\n").expect("reads");
        let root = root.expect("a document");
        assert_eq!(more, None);
        let a = root.get("a").expect("a");
        assert_eq!(
            a.items()[1].get("y").map(|y| y.at.to_string()),
            Some("f.yml:3:8".to_owned())
        );
        assert_eq!(root.entries()[0].1.to_string(), "f.yml:1:1");
    }

    #[test]
    fn syntax_errors_and_deep_nesting_are_located_errors() {
        let error = parse("f.yml", "a: [1, 2\nb: 3\n").expect_err("refused");
        assert!(error.to_string().starts_with("f.yml:"), "{error}");
        let deep = "[".repeat(100);
        let error = parse("f.yml", &deep).expect_err("refused");
        assert!(
            error.to_string().contains("nested more than 64 deep"),
            "{error}"
        );
        // Deeper still, the parser's own limit answers first.
        assert!(parse("f.yml", &"[".repeat(100_000)).is_err());
    }
}
