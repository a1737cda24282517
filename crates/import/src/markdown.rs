//! progression-markdown: a folder of Markdown pages, one discipline a page
//! (Monzo's progression framework is kept this way). Each page becomes a
//! stream: its title from the front matter's `title` (or its `# ` heading,
//! or its file name), its track from `track`. Each `## ` heading is a level
//! and becomes a role (`## Level 3: Senior Engineer` gives seniority 3 and
//! that title); text under it before any `### ` is the role's summary;
//! each `### ` heading is a topic and becomes a competency, whose text
//! under that level is the level's expectation. A list right under a level
//! is the expectation of a competency named after the page. Levels may
//! instead be given in the front matter's `levels`, in the shape of
//! progression-yaml.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::draft::{Draft, DraftRole, DraftStream};
use crate::location::{ImportError, Lines, Location, Warning, decode};
use crate::progression_yaml::{read_level, read_track};
use crate::yaml::{self, Node};

/// Front matter keys the importer reads.
const FRONT_MATTER_KEYS: &[&str] = &["title", "track", "description", "levels"];

pub(crate) fn read(
    files: &[(String, Vec<u8>)],
    warnings: &mut Vec<Warning>,
) -> Result<Draft, ImportError> {
    let mut draft = Draft {
        file: files
            .first()
            .map(|(path, _)| path.clone())
            .unwrap_or_default(),
        header: crate::header("progression-markdown", "a folder of Markdown pages"),
        name: "Imported progression".to_owned(),
        version: "imported".to_owned(),
        ..Draft::default()
    };
    for (path, bytes) in files {
        let text = decode(path, bytes)?;
        page(path, text, &mut draft, warnings)?;
    }
    for competency in &mut draft.competencies {
        competency.comments.push(format!(
            "From the `{}` sections (first at {}); each level is a distinct text, lowest role first.",
            competency.name, competency.at
        ));
    }
    Ok(draft)
}

/// Where text under the headings read so far goes.
enum Target {
    /// Before the first level: the stream's description.
    Intro,
    /// Under a level, before any topic: the role's summary, and lists are
    /// the page's own competency.
    Level,
    /// Under a topic of a level.
    Topic(usize),
}

fn page(
    path: &str,
    text: &str,
    draft: &mut Draft,
    warnings: &mut Vec<Warning>,
) -> Result<(), ImportError> {
    let lines = Lines::new(path, text);
    let (front, body_start) = front_matter(path, text)?;
    let mut stream = DraftStream::new(Location::new(path, 1, 1), crate::name_from_file(path));
    let mut titled = false;
    if let Some(front) = &front {
        yaml::warn_aliases(front, warnings);
        if let Some(title) = scalar(front.get("title")) {
            stream.name = title;
            titled = true;
        }
        stream.description = scalar(front.get("description"));
        if let Some(track) = front.get("track") {
            stream.track = read_track(track, warnings);
        }
        for (key, at, _) in front.entries() {
            if !FRONT_MATTER_KEYS.contains(&key.as_str()) {
                warnings.push(Warning::new(
                    at.clone(),
                    format!("front matter: `{key}` has no place in a climb framework and is not imported"),
                ));
            }
        }
    }

    let body = &text[body_start..];
    let mut target = Target::Intro;
    let mut heading: Option<(HeadingLevel, usize, String)> = None;
    // Text of the paragraph or list items being read; items nest.
    let mut paragraph = String::new();
    let mut items: Vec<String> = Vec::new();
    let mut skipping = 0usize;
    let mut intro: Vec<String> = Vec::new();
    let mut summary: Vec<String> = Vec::new();
    // (competency, lines) of the current level.
    let mut expected: Vec<(usize, Vec<String>)> = Vec::new();
    let mut roles: Vec<(DraftRole, Option<i64>)> = Vec::new();

    for (event, range) in Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter() {
        let at = body_start + range.start;
        if skipping > 0 {
            match event {
                Event::Start(
                    Tag::Table(_) | Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock,
                ) => skipping += 1,
                Event::End(
                    TagEnd::Table | TagEnd::CodeBlock | TagEnd::Image | TagEnd::HtmlBlock,
                ) => skipping -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level, at, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, heading_at, words)) = heading.take() else {
                    continue;
                };
                let words = words.trim().to_owned();
                let place = lines.at(heading_at);
                match level {
                    HeadingLevel::H1 => {
                        if !titled && !words.is_empty() {
                            stream.name = words;
                            titled = true;
                        }
                    }
                    HeadingLevel::H2 => {
                        finish_level(&mut roles, &mut summary, &mut expected);
                        let (seniority, title) = level_heading(&words, &stream.name);
                        let mut role = DraftRole::new(place.clone(), title);
                        role.comments
                            .push(format!("From the heading `{words}` ({place})."));
                        roles.push((role, seniority));
                        target = Target::Level;
                    }
                    HeadingLevel::H3 if !roles.is_empty() && !words.is_empty() => {
                        target = Target::Topic(draft.competency(&words, &place));
                    }
                    _ => {
                        // A topic before any level, or a deeper heading:
                        // its words stay as a line of the text it heads.
                        push_text(&target, &words, &mut intro, &mut summary, &mut expected);
                    }
                }
            }
            Event::Text(words) | Event::Code(words) => {
                if let Some((_, _, buffer)) = &mut heading {
                    buffer.push_str(&words);
                } else if let Some(item) = items.last_mut() {
                    item.push_str(&words);
                } else {
                    paragraph.push_str(&words);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                let buffer = match (&mut heading, items.last_mut()) {
                    (Some((_, _, buffer)), _) => buffer,
                    (None, Some(item)) => item,
                    (None, None) => &mut paragraph,
                };
                buffer.push(' ');
            }
            Event::Start(Tag::Item) => items.push(String::new()),
            Event::End(TagEnd::Item) => {
                if let Some(item) = items.pop() {
                    let place = lines.at(at);
                    let list_target = match target {
                        Target::Level => Target::Topic(draft.competency(&stream.name, &place)),
                        Target::Intro => Target::Intro,
                        Target::Topic(index) => Target::Topic(index),
                    };
                    push_text(
                        &list_target,
                        item.trim(),
                        &mut intro,
                        &mut summary,
                        &mut expected,
                    );
                }
            }
            Event::End(TagEnd::Paragraph) if items.is_empty() => {
                let words = std::mem::take(&mut paragraph);
                push_text(
                    &target,
                    words.trim(),
                    &mut intro,
                    &mut summary,
                    &mut expected,
                );
            }
            Event::Start(
                tag @ (Tag::Table(_) | Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock),
            ) => {
                let what = match tag {
                    Tag::Table(_) => "a table",
                    Tag::CodeBlock(_) => "a code block",
                    Tag::Image { .. } => "an image",
                    _ => "an HTML block",
                };
                warnings.push(Warning::new(
                    lines.at(at),
                    format!("{what} has no place in a climb framework and is not imported"),
                ));
                skipping = 1;
            }
            Event::Start(Tag::Link { dest_url, .. }) => warnings.push(Warning::new(
                lines.at(at),
                format!("the link to `{dest_url}` keeps its text; climb holds no address"),
            )),
            Event::Html(_) | Event::InlineHtml(_) => warnings.push(Warning::new(
                lines.at(at),
                "HTML has no place in a climb framework and is not imported",
            )),
            _ => {}
        }
    }
    finish_level(&mut roles, &mut summary, &mut expected);
    if !intro.is_empty() && stream.description.is_none() {
        stream.description = Some(intro.join("\n"));
    }

    // Seniority from the headings' numbers when every level has one.
    let numbered = !roles.is_empty() && roles.iter().all(|(_, n)| n.is_some());
    let mut roles: Vec<DraftRole> = roles
        .into_iter()
        .map(|(mut role, number)| {
            if numbered {
                role.seniority = number;
            }
            role
        })
        .collect();
    if numbered && let Some(first) = roles.first_mut() {
        first
            .comments
            .push("seniority: the number of each `## Level N` heading".to_owned());
    }
    if let Some(front) = &front
        && let Some(levels) = front.get("levels")
    {
        if roles.is_empty() {
            for level in levels.items() {
                if let Some(role) = read_level(level, &stream.name, draft, warnings) {
                    roles.push(role);
                }
            }
        } else {
            warnings.push(Warning::new(
                levels.at.clone(),
                "the page has level headings, so the front matter's `levels` are not imported",
            ));
        }
    }
    stream.comments.push(format!("From {path}."));
    stream.roles = roles;
    draft.streams.push(stream);
    Ok(())
}

/// Hands the level's summary and expectations to the last role.
fn finish_level(
    roles: &mut [(DraftRole, Option<i64>)],
    summary: &mut Vec<String>,
    expected: &mut Vec<(usize, Vec<String>)>,
) {
    let Some((role, _)) = roles.last_mut() else {
        summary.clear();
        expected.clear();
        return;
    };
    if !summary.is_empty() {
        role.summary = Some(std::mem::take(summary).join("\n"));
    }
    for (competency, lines) in expected.drain(..) {
        role.expectations.push((competency, lines.join("\n")));
    }
}

/// Adds a paragraph, list item or minor heading to where `target` says.
fn push_text(
    target: &Target,
    words: &str,
    intro: &mut Vec<String>,
    summary: &mut Vec<String>,
    expected: &mut Vec<(usize, Vec<String>)>,
) {
    if words.is_empty() {
        return;
    }
    match target {
        Target::Intro => intro.push(words.to_owned()),
        Target::Level => summary.push(words.to_owned()),
        Target::Topic(index) => match expected.iter_mut().find(|(c, _)| c == index) {
            Some((_, lines)) => lines.push(words.to_owned()),
            None => expected.push((*index, vec![words.to_owned()])),
        },
    }
}

/// `Level 3: Senior Engineer` → (3, `Senior Engineer`); `Level 3` →
/// (3, `<page> Level 3`); anything else is its own title, unnumbered.
fn level_heading(words: &str, page_name: &str) -> (Option<i64>, String) {
    let lower = words.to_lowercase();
    if let Some(rest) = lower.strip_prefix("level") {
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(number) = digits.parse::<i64>() {
            let skip = words.len() - rest.trim_start().len() + digits.len();
            let title = words
                .get(skip..)
                .unwrap_or("")
                .trim_start_matches([' ', ':', '-', '–', '—', '.'])
                .trim();
            let title = if title.is_empty() {
                format!("{page_name} Level {number}")
            } else {
                title.to_owned()
            };
            return (Some(number), title);
        }
    }
    (None, words.to_owned())
}

/// The front matter (`---` lines around YAML at the very top) read as
/// YAML with places in the page, and where the Markdown starts.
fn front_matter(path: &str, text: &str) -> Result<(Option<Node>, usize), ImportError> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok((None, 0));
    };
    let opened = text.len() - rest.len();
    let mut offset = opened;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            // A blank first line keeps the YAML's line numbers the page's.
            let yaml_text = format!("\n{}", &text[opened..offset]);
            let (node, _) = yaml::parse(path, &yaml_text)?;
            let node = node.filter(|n| !n.entries().is_empty());
            return Ok((node, offset + line.len()));
        }
        offset += line.len();
    }
    Err(ImportError::unreadable(
        Location::new(path, 1, 1),
        "the front matter opened by `---` is never closed by another `---` line",
    ))
}

fn scalar(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ToOwned::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_headings_give_a_number_and_a_title() {
        assert_eq!(
            level_heading("Level 3: Senior Engineer", "Backend"),
            (Some(3), "Senior Engineer".to_owned())
        );
        assert_eq!(
            level_heading("Level 2", "Backend"),
            (Some(2), "Backend Level 2".to_owned())
        );
        assert_eq!(
            level_heading("Staff", "Backend"),
            (None, "Staff".to_owned())
        );
    }

    #[test]
    fn front_matter_keeps_the_pages_line_numbers() {
        let (node, start) =
            front_matter("p.md", "---\ntitle: Backend\nteam: x\n---\n# Hi\n").expect("reads");
        let node = node.expect("front matter");
        assert_eq!(node.entries()[1].1.to_string(), "p.md:3:1");
        assert_eq!(start, 31);
        assert!(front_matter("p.md", "---\ntitle: x\n").is_err());
    }
}
