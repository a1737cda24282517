//! The framework an importer produces: plain values in the shape of a
//! climb framework file (SPEC §2), each part with the comment lines that say
//! where it came from, and the writer that lays it out as TOML through
//! climb's canonical formatter.

use std::fmt::Write as _;

/// A stream's track, as the framework file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    /// Individual contributors.
    Ic,
    /// People managers.
    Management,
    /// Executives.
    Executive,
}

impl Track {
    /// The value of `track` in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ic => "ic",
            Self::Management => "management",
            Self::Executive => "executive",
        }
    }
}

/// The whole imported framework.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Comment lines at the top of the file.
    pub header: Vec<String>,
    /// `[framework] name`.
    pub name: String,
    /// `[framework] version`.
    pub version: String,
    /// `[framework] description`.
    pub description: Option<String>,
    /// The streams, in chart order.
    pub streams: Vec<Stream>,
    /// The roles, stream by stream in seniority order.
    pub roles: Vec<Role>,
    /// The transitions.
    pub transitions: Vec<Transition>,
    /// The competencies.
    pub competencies: Vec<Competency>,
}

/// One `[[streams]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    /// Comment lines above the entry.
    pub comments: Vec<String>,
    /// Its id, kebab-case and unique.
    pub id: String,
    /// Its name as the source wrote it.
    pub name: String,
    /// Its track.
    pub track: Track,
    /// Its description as the source wrote it.
    pub description: Option<String>,
}

/// One `[[roles]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Comment lines above the entry.
    pub comments: Vec<String>,
    /// Its id, kebab-case and unique.
    pub id: String,
    /// Its title as the source wrote it.
    pub title: String,
    /// The id of its stream.
    pub stream: String,
    /// Its seniority, 0..=100.
    pub seniority: u32,
    /// Whether people are hired into it.
    pub entry: bool,
    /// A summary as the source wrote it.
    pub summary: Option<String>,
    /// Responsibilities as the source wrote them.
    pub responsibilities: Vec<String>,
    /// Competency id and the 1-based level expected.
    pub expectations: Vec<(String, usize)>,
}

/// One `[[transitions]]` entry (the importers only make promotions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// Comment lines above the entry.
    pub comments: Vec<String>,
    /// The role id it leaves.
    pub from: String,
    /// The role id it leads to.
    pub to: String,
}

/// One `[[competencies]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Competency {
    /// Comment lines above the entry.
    pub comments: Vec<String>,
    /// Its id, kebab-case and unique.
    pub id: String,
    /// Its name as the source wrote it.
    pub name: String,
    /// The text of each level, lowest first.
    pub levels: Vec<String>,
}

impl Document {
    /// The framework file: TOML in the layout of `climb fmt`, with every
    /// comment.
    pub fn to_toml(&self) -> String {
        let raw = self.raw_toml();
        // The formatter lays out what was written here; it refuses only text
        // that is not TOML, which the writer never produces, and the raw
        // text is a valid file either way.
        climb_framework::format::format(raw.as_bytes()).unwrap_or(raw)
    }

    fn raw_toml(&self) -> String {
        let mut out = String::new();
        comments(&mut out, &self.header);
        if !self.header.is_empty() {
            out.push('\n');
        }
        out.push_str("[framework]\n");
        key(&mut out, "name", &self.name);
        key(&mut out, "version", &self.version);
        if let Some(description) = &self.description {
            key(&mut out, "description", description);
        }
        for stream in &self.streams {
            out.push('\n');
            comments(&mut out, &stream.comments);
            out.push_str("[[streams]]\n");
            key(&mut out, "id", &stream.id);
            key(&mut out, "name", &stream.name);
            key(&mut out, "track", stream.track.as_str());
            if let Some(description) = &stream.description {
                key(&mut out, "description", description);
            }
        }
        for role in &self.roles {
            out.push('\n');
            comments(&mut out, &role.comments);
            out.push_str("[[roles]]\n");
            key(&mut out, "id", &role.id);
            key(&mut out, "title", &role.title);
            key(&mut out, "stream", &role.stream);
            let _ = writeln!(out, "seniority = {}", role.seniority);
            if role.entry {
                out.push_str("entry = true\n");
            }
            if let Some(summary) = &role.summary {
                key(&mut out, "summary", summary);
            }
            if !role.responsibilities.is_empty() {
                out.push_str("responsibilities = [");
                for (index, item) in role.responsibilities.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&quote(item));
                }
                out.push_str("]\n");
            }
            if !role.expectations.is_empty() {
                out.push_str("expectations = { ");
                for (index, (competency, level)) in role.expectations.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{competency} = {level}");
                }
                out.push_str(" }\n");
            }
        }
        for transition in &self.transitions {
            out.push('\n');
            comments(&mut out, &transition.comments);
            out.push_str("[[transitions]]\n");
            key(&mut out, "from", &transition.from);
            key(&mut out, "to", &transition.to);
            key(&mut out, "kind", "promotion");
        }
        for competency in &self.competencies {
            out.push('\n');
            comments(&mut out, &competency.comments);
            out.push_str("[[competencies]]\n");
            key(&mut out, "id", &competency.id);
            key(&mut out, "name", &competency.name);
            out.push_str("levels = [");
            for (index, level) in competency.levels.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(level));
            }
            out.push_str("]\n");
        }
        out
    }
}

fn key(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name} = {}", quote(value));
}

/// Comment lines, each `# …`; characters TOML does not allow in a comment
/// become spaces, and a multi-line text becomes several lines.
fn comments(out: &mut String, lines: &[String]) {
    for line in lines.iter().flat_map(|line| line.lines()) {
        let clean: String = line
            .chars()
            .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
            .collect();
        let clean = clean.trim_end();
        if clean.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {clean}");
        }
    }
}

/// A TOML basic string holding `text` exactly.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_so_toml_reads_them_back_exactly() {
        let text = "say \"hi\"\\ \n\tthere \u{7}";
        let file = format!("x = {}\n", quote(text));
        let table: toml_edit::DocumentMut = file.parse().expect("TOML");
        assert_eq!(table["x"].as_str(), Some(text));
    }
}
