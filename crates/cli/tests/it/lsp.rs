//! `climb lsp` run as a process and spoken to over JSON-RPC with
//! Content-Length framing, as an editor does: the handshake, diagnostics as
//! a file is opened and edited, hover, definition, references, completion,
//! renames, the outline, quick fixes, positions on non-ASCII lines, range
//! changes (incremental sync) alone and in bursts, and a clean shutdown.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const URI: &str = "file:///company/framework.climb.toml";

/// A valid framework. Its designations come first, as an inline array, so
/// that a stream id follows non-ASCII text on one line.
const GOOD: &str = r#"designations = [{ id = "team-lead", title = "Chef d’équipe 🚀", scope = "project", eligible_streams = ["engineering"] }]

[framework]
name = "Acme"
version = "1"

[[streams]]
id = "engineering"
name = "Engineering"
track = "ic"

[[streams]]
id = "management"
name = "Management"
track = "management"

[[competencies]]
id = "delivery"
name = "Delivery"
levels = ["Ships tasks", "Ships features", "Ships projects"]

[[roles]]
id = "engineer"
title = "Engineer"
stream = "engineering"
seniority = 1
entry = true
expectations = { delivery = 1 }

[[roles]]
id = "senior-engineer"
title = "Senior Engineer"
stream = "engineering"
seniority = 2
expectations = { delivery = 2 }

[[roles]]
id = "manager"
title = "Engineering Manager"
stream = "management"
seniority = 3

[[transitions]]
from = "engineer"
to = "senior-engineer"
kind = "promotion"

[[transitions]]
from = "senior-engineer"
to = "manager"
kind = "lateral"
"#;

/// A client speaking to one `climb lsp` process.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for a response.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `climb lsp` and runs the handshake with these client
    /// capabilities; returns the client and the `initialize` result.
    fn start(capabilities: Value) -> (Self, Value) {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("climb"))
            .arg("lsp")
            .env_remove("CLIMB_FRAMEWORK")
            .env_remove("CLIMB_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("climb lsp starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 1,
        };
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        client.notify("initialized", json!({}));
        (client, result["result"].clone())
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("written");
        self.stdin.flush().expect("flushed");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next_message();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn next_message(&mut self) -> Value {
        match self.messages.recv_timeout(Duration::from_secs(20)) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in 20 s"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The next `publishDiagnostics` notification's params.
    fn diagnostics(&mut self) -> Value {
        if let Some(at) = self
            .pending
            .iter()
            .position(|m| m["method"] == "textDocument/publishDiagnostics")
        {
            return self.pending.remove(at)["params"].clone();
        }
        loop {
            let message = self.next_message();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
            self.pending.push(message);
        }
    }

    fn open(&mut self, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "toml", "version": 1, "text": text}}),
        );
        self.diagnostics()
    }

    fn change(&mut self, version: i32, text: &str) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
        );
        self.diagnostics()
    }

    /// A request about a position of the document.
    fn at(&mut self, method: &str, position: Value, extra: Value) -> Value {
        let mut params = json!({"textDocument": {"uri": URI}, "position": position});
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        self.request(method, params)
    }

    /// `shutdown`, then `exit`; the exit status of the process.
    fn shutdown(mut self) -> std::process::ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waited") {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the server did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A test that failed part-way leaves no server behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One framed message, or `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The LSP position (UTF-16 columns) of the `nth` occurrence of `needle`
/// in `text`, moved `shift` characters into it.
fn position(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let (start, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` occurs {} times", nth + 1));
    let offset = start
        + needle[..]
            .chars()
            .take(shift)
            .map(char::len_utf8)
            .sum::<usize>();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The range of the `nth` occurrence of `needle`.
fn range(text: &str, needle: &str, nth: usize) -> Value {
    json!({
        "start": position(text, needle, nth, 0),
        "end": position(text, needle, nth, needle.chars().count()),
    })
}

#[test]
fn initialize_announces_every_feature_and_utf16_by_default() {
    let (client, capabilities) = Client::start(json!({}));
    assert_eq!(capabilities["serverInfo"]["name"], "climb");
    let capabilities = &capabilities["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    // Incremental: editors send the ranges that changed.
    assert_eq!(capabilities["textDocumentSync"], 2);
    for feature in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "codeActionProvider",
    ] {
        assert_eq!(capabilities[feature], true, "{feature}");
    }
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
    assert!(capabilities["completionProvider"].is_object());
    assert!(client.shutdown().success());
}

#[test]
fn diagnostics_carry_the_checker_codes_ranges_and_related_places() {
    let (mut client, _) = Client::start(json!({}));
    let broken = GOOD
        .replacen("from = \"engineer\"", "from = \"senior-enginer\"", 1)
        .replacen("id = \"manager\"", "id = \"engineer\"", 1);
    let published = client.open(&broken);
    assert_eq!(published["uri"], URI);
    assert_eq!(published["version"], 1);
    let diagnostics = published["diagnostics"].as_array().expect("a list");
    let by_code = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
    };
    let unknown = by_code("E004");
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "climb");
    assert_eq!(unknown["range"], range(&broken, "\"senior-enginer\"", 0));
    assert!(
        unknown["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `senior-engineer`?")),
        "{unknown}"
    );
    let duplicate = by_code("E003");
    assert_eq!(duplicate["range"], range(&broken, "\"engineer\"", 1));
    let related = &duplicate["relatedInformation"][0];
    assert_eq!(related["message"], "first defined here");
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(
        related["location"]["range"],
        range(&broken, "\"engineer\"", 0)
    );

    // Fixing the file clears them, for the new version.
    let published = client.change(2, GOOD);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]));
    assert!(client.shutdown().success());
}

#[test]
fn hover_describes_roles_competencies_and_streams() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    let hover = client.at(
        "textDocument/hover",
        position(GOOD, "to = \"senior-engineer\"", 0, 8),
        json!({}),
    );
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .expect("markdown");
    for expected in [
        "**Senior Engineer** (`senior-engineer`)",
        "stream Engineering (`engineering`)",
        "seniority 2",
        "Leads to: `manager` (lateral)",
        "Delivery at level 2: Ships features",
    ] {
        assert!(text.contains(expected), "`{expected}` not in {text}");
    }
    assert_eq!(hover["result"]["range"], range(GOOD, "senior-engineer", 1));

    let hover = client.at(
        "textDocument/hover",
        position(GOOD, "delivery = 2", 0, 1),
        json!({}),
    );
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        text.contains("1. Ships tasks\n2. Ships features\n3. Ships projects"),
        "{text}"
    );

    let hover = client.at(
        "textDocument/hover",
        position(GOOD, "id = \"management\"", 0, 7),
        json!({}),
    );
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        text.contains("**Management**") && text.contains("track management"),
        "{text}"
    );

    // Nothing to say about a title.
    let hover = client.at(
        "textDocument/hover",
        position(GOOD, "Senior Engineer", 0, 2),
        json!({}),
    );
    assert_eq!(hover["result"], Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn definition_and_references_follow_a_role_id() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    let at_reference = position(GOOD, "to = \"senior-engineer\"", 0, 10);
    let definition = client.at("textDocument/definition", at_reference.clone(), json!({}));
    assert_eq!(
        definition["result"],
        json!([{"uri": URI, "range": range(GOOD, "senior-engineer", 0)}])
    );
    let references = client.at(
        "textDocument/references",
        at_reference.clone(),
        json!({"context": {"includeDeclaration": true}}),
    );
    let locations = references["result"].as_array().expect("locations");
    assert_eq!(locations.len(), 3, "{locations:#?}");
    let without = client.at(
        "textDocument/references",
        at_reference,
        json!({"context": {"includeDeclaration": false}}),
    );
    assert_eq!(without["result"].as_array().map(Vec::len), Some(2));

    // A stream id: its definition from a role's `stream`.
    let definition = client.at(
        "textDocument/definition",
        position(GOOD, "stream = \"management\"", 0, 12),
        json!({}),
    );
    assert_eq!(
        definition["result"][0]["range"],
        range(GOOD, "management", 0)
    );
    assert!(client.shutdown().success());
}

#[test]
fn completion_offers_role_ids_while_a_transition_is_half_typed() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    // Not TOML yet: the ids come from the last version that was.
    let typing = format!("{GOOD}\n[[transitions]]\nfrom = \"");
    let published = client.change(2, &typing);
    assert_eq!(published["diagnostics"][0]["code"], "E001");
    let end = position(&typing, "from = \"", 2, 8);
    let completion = client.at("textDocument/completion", end.clone(), json!({}));
    let items = completion["result"].as_array().expect("items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["engineer", "senior-engineer", "manager"]);
    assert_eq!(items[1]["detail"], "Senior Engineer");
    assert_eq!(
        items[1]["textEdit"],
        json!({"range": {"start": end, "end": end}, "newText": "senior-engineer"})
    );

    let kinds = format!("{GOOD}\n[[transitions]]\nkind = \"pro");
    client.change(3, &kinds);
    let completion = client.at(
        "textDocument/completion",
        position(&kinds, "kind = \"pro", 0, 11),
        json!({}),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["promotion", "lateral"]);
    assert!(client.shutdown().success());
}

/// `text` with LSP text edits applied (UTF-16 columns).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap_or_default() as usize;
        let character = position["character"].as_u64().unwrap_or_default() as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let mut at = line_start;
        for c in text[line_start..].chars() {
            if units >= character {
                break;
            }
            units += c.len_utf16();
            at += c.len_utf8();
        }
        at
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    spans.sort_by_key(|&(start, _, _)| std::cmp::Reverse(start));
    let mut out = text.to_owned();
    for (start, end, new_text) in spans {
        out.replace_range(start..end, new_text);
    }
    out
}

#[test]
fn rename_changes_the_definition_and_every_reference_and_refuses_bad_ids() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    let at = position(GOOD, "senior-engineer", 0, 3);
    let prepared = client.at("textDocument/prepareRename", at.clone(), json!({}));
    assert_eq!(prepared["result"], range(GOOD, "senior-engineer", 0));

    let renamed = client.at(
        "textDocument/rename",
        at.clone(),
        json!({"newName": "staff-engineer"}),
    );
    let edits = renamed["result"]["changes"][URI].as_array().expect("edits");
    assert_eq!(edits.len(), 3);
    let after = apply(GOOD, edits);
    assert_eq!(after, GOOD.replace("senior-engineer", "staff-engineer"));
    let published = client.change(2, &after);
    assert_eq!(published["diagnostics"], json!([]));

    let at = position(&after, "staff-engineer", 0, 3);
    let refused = client.at(
        "textDocument/rename",
        at.clone(),
        json!({"newName": "Staff Engineer"}),
    );
    assert_eq!(refused["error"]["code"], -32602);
    assert_eq!(
        refused["error"]["message"],
        "`Staff Engineer` is not a valid id: use lowercase letters, digits and `-` only"
    );
    let taken = client.at("textDocument/rename", at, json!({"newName": "manager"}));
    assert_eq!(
        taken["error"]["message"],
        "a role with the id `manager` already exists"
    );
    let nowhere = client.at(
        "textDocument/rename",
        position(&after, "Acme", 0, 1),
        json!({"newName": "x"}),
    );
    assert_eq!(nowhere["error"]["code"], -32803);
    assert!(client.shutdown().success());
}

#[test]
fn document_symbols_nest_roles_in_their_streams() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let tree: Vec<(String, Vec<String>)> = symbols["result"]
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| {
            let children = s["children"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect();
            (s["name"].as_str().unwrap_or_default().to_owned(), children)
        })
        .collect();
    let expected: Vec<(String, Vec<String>)> = vec![
        (
            "engineering".into(),
            vec!["engineer".into(), "senior-engineer".into()],
        ),
        ("management".into(), vec!["manager".into()]),
        ("delivery".into(), vec![]),
        ("team-lead".into(), vec![]),
    ];
    assert_eq!(tree, expected);
    let engineering = &symbols["result"][0];
    assert_eq!(engineering["detail"], "Engineering");
    assert_eq!(engineering["selectionRange"], range(GOOD, "engineering", 1));
    assert_eq!(
        engineering["range"]["start"],
        position(GOOD, "[[streams]]", 0, 0)
    );
    assert!(client.shutdown().success());
}

#[test]
fn a_misspelt_role_gets_a_quick_fix_replacing_it() {
    let (mut client, _) = Client::start(json!({}));
    let broken = GOOD.replacen("from = \"engineer\"", "from = \"senior-enginer\"", 1);
    client.open(&broken);
    let at = range(&broken, "senior-enginer", 0);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": at, "context": {"diagnostics": []}}),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Replace with `senior-engineer`");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "E004");
    assert_eq!(
        action["edit"]["changes"][URI],
        json!([{"range": at, "newText": "senior-engineer"}])
    );
    assert!(client.shutdown().success());
}

#[test]
fn positions_after_non_ascii_text_count_utf16_units_or_bytes_when_agreed() {
    let line = GOOD.lines().next().unwrap_or_default();
    let reference = line.rfind("engineering").expect("a stream reference");
    let utf16: usize = line[..reference].chars().map(char::len_utf16).sum();
    assert_ne!(
        utf16, reference,
        "the line has multi-byte text before the id"
    );

    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    let definition = client.at(
        "textDocument/definition",
        json!({"line": 0, "character": utf16 + 3}),
        json!({}),
    );
    assert_eq!(
        definition["result"][0]["range"],
        range(GOOD, "engineering", 1)
    );
    let hover = client.at(
        "textDocument/hover",
        json!({"line": 0, "character": utf16 + 3}),
        json!({}),
    );
    assert_eq!(
        hover["result"]["range"],
        json!({"start": {"line": 0, "character": utf16}, "end": {"line": 0, "character": utf16 + 11}})
    );
    assert!(client.shutdown().success());

    let (mut client, initialized) =
        Client::start(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-8");
    client.open(GOOD);
    let hover = client.at(
        "textDocument/hover",
        json!({"line": 0, "character": reference + 3}),
        json!({}),
    );
    assert_eq!(
        hover["result"]["range"],
        json!({"start": {"line": 0, "character": reference}, "end": {"line": 0, "character": reference + 11}})
    );
    assert!(client.shutdown().success());
}

#[test]
fn unknown_requests_get_method_not_found_and_the_server_keeps_going() {
    let (mut client, _) = Client::start(json!({}));
    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    let closed = client.at(
        "textDocument/hover",
        json!({"line": 0, "character": 0}),
        json!({}),
    );
    assert_eq!(closed["error"]["code"], -32602);
    client.open(GOOD);
    let hover = client.at(
        "textDocument/hover",
        position(GOOD, "senior-engineer", 0, 1),
        json!({}),
    );
    assert!(hover["result"].is_object());
    assert!(client.shutdown().success());
}

/// A `didChange` of range changes; nothing is awaited.
fn range_change(version: i32, changes: &[(Value, &str)]) -> Value {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(range, text)| json!({"range": range, "text": text}))
        .collect();
    json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": changes})
}

/// The range from the `shift`th character of the `nth` `needle` to `len`
/// characters further.
fn chars(text: &str, needle: &str, nth: usize, shift: usize, len: usize) -> Value {
    json!({
        "start": position(text, needle, nth, shift),
        "end": position(text, needle, nth, shift + len),
    })
}

/// What a fresh server publishes for `text` opened whole.
fn fresh_diagnostics(text: &str) -> Value {
    let (mut client, _) = Client::start(json!({}));
    let published = client.open(text);
    assert!(client.shutdown().success());
    published["diagnostics"].clone()
}

#[test]
fn range_changes_edit_the_kept_text_and_the_diagnostics_follow() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);

    // One character deleted: the first transition leaves `enginer`.
    let typo = chars(GOOD, "from = \"engineer\"", 0, 13, 1);
    client.notify("textDocument/didChange", range_change(2, &[(typo, "")]));
    let text = GOOD.replacen("from = \"engineer\"", "from = \"enginer\"", 1);
    let published = client.diagnostics();
    assert_eq!(published["version"], 2);
    let unknown = published["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["code"] == "E004");
    assert_eq!(
        unknown.map(|d| &d["range"]),
        Some(&range(&text, "\"enginer\"", 0))
    );

    // Two changes in one notification, the second in the text the first
    // left: two lines of non-ASCII comments on top, then the last `g` of
    // the stream the designation names, after its non-ASCII title.
    let top = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let comments = "# Équipe 🚀\n# ✓ d’accord\n";
    let after_comments = format!("{comments}{text}");
    let stream = chars(&after_comments, "\"engineering\"", 0, 11, 1);
    client.notify(
        "textDocument/didChange",
        range_change(3, &[(top, comments), (stream, "")]),
    );
    let text = after_comments.replacen("[\"engineering\"]", "[\"engineerin\"]", 1);
    let published = client.diagnostics();
    assert_eq!(published["version"], 3);
    let ranges: Vec<&Value> = published["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "E004")
        .map(|d| &d["range"])
        .collect();
    assert_eq!(
        ranges,
        [
            &range(&text, "\"engineerin\"", 0),
            &range(&text, "\"enginer\"", 0)
        ]
    );
    assert_ne!(
        ranges[0]["start"]["character"].as_u64(),
        Some(
            text.lines()
                .nth(2)
                .and_then(|l| l.find("\"engineerin\""))
                .unwrap_or(0) as u64
        ),
        "the stream's column is in UTF-16 units, not bytes"
    );
    assert_eq!(published["diagnostics"], fresh_diagnostics(&text));

    // At the very end of the file: a transition to a role that does not exist.
    let end_line = text.matches('\n').count();
    let end = json!({"start": {"line": end_line, "character": 0}, "end": {"line": end_line, "character": 0}});
    let appended = "\n[[transitions]]\nfrom = \"manager\"\nto = \"nobody\"\nkind = \"lateral\"\n";
    client.notify(
        "textDocument/didChange",
        range_change(4, &[(end, appended)]),
    );
    let text = format!("{text}{appended}");
    let published = client.diagnostics();
    assert_eq!(published["version"], 4);
    assert!(
        published["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| d["code"] == "E004" && d["range"] == range(&text, "\"nobody\"", 0)),
        "{published}"
    );
    assert_eq!(published["diagnostics"], fresh_diagnostics(&text));

    // Navigation answers from the edited text: `manager` in the new transition.
    let definition = client.at(
        "textDocument/definition",
        position(&text, "from = \"manager\"", 0, 9),
        json!({}),
    );
    // The role's id, inside its quotes.
    assert_eq!(definition["result"][0]["range"], range(&text, "manager", 0));

    // A whole text still replaces everything.
    let published = client.change(5, GOOD);
    assert_eq!(published["version"], 5);
    assert_eq!(published["diagnostics"], json!([]));
    assert!(client.shutdown().success());
}

#[test]
fn changes_sent_in_a_burst_end_with_the_diagnostics_of_the_last() {
    let (mut client, _) = Client::start(json!({}));
    client.open(GOOD);
    // Typed without waiting: each change applies to the one before.
    let mut text = GOOD.to_owned();
    let mut sent = Vec::new();
    for (version, typed) in (2..12).zip("abcdefghij".chars()) {
        let at = position(&text, "to = \"", 0, 6);
        let insert = json!({"start": at, "end": at});
        sent.push(version);
        client.notify(
            "textDocument/didChange",
            range_change(version, &[(insert, &typed.to_string())]),
        );
        text = text.replacen("to = \"", &format!("to = \"{typed}"), 1);
    }
    // Every version published is one sent, in order, and the last is last.
    let mut published = Vec::new();
    let last = loop {
        let diagnostics = client.diagnostics();
        let version = diagnostics["version"].as_i64().unwrap_or_default();
        published.push(version);
        if version == 11 {
            break diagnostics;
        }
    };
    assert!(published.windows(2).all(|w| w[0] < w[1]), "{published:?}");
    assert!(
        published.iter().all(|v| (2..12).contains(v)),
        "{published:?}"
    );
    assert!(
        text.contains("to = \"jihgfedcbasenior-engineer\""),
        "{text}"
    );
    assert_eq!(last["diagnostics"], fresh_diagnostics(&text));
    assert!(client.shutdown().success());
}
