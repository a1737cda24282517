//! How long `climb lsp` takes from a `didChange` to its
//! `publishDiagnostics` on a large framework, against a whole `climb check`
//! process on the same file. Driven by `bench/lsp.sh`; the framework is the
//! one the `check` benchmark generates.
//!
//! ```sh
//! cargo run --release -p climb-lsp --example latency -- target/release/climb 10000 30 DIR
//! ```

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../../framework/benches/support/generate.rs"]
mod generate;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(climb) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: latency CLIMB_BINARY [ROLES] [EDITS] [DIR]");
        return ExitCode::from(2);
    };
    let roles: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let edits: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(30);
    let dir = args.get(4).map_or_else(std::env::temp_dir, PathBuf::from);
    match run(&climb, roles, edits, &dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("latency: {error}");
            ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn run(climb: &PathBuf, roles: usize, edits: usize, dir: &std::path::Path) -> Result<()> {
    let source = generate::framework(roles);
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("generated-{roles}.climb.toml"));
    std::fs::write(&path, &source)?;
    println!(
        "{roles} roles, {:.1} MiB, {} lines: {}",
        source.len() as f64 / (1024.0 * 1024.0),
        source.lines().count(),
        path.display()
    );

    let mut child = Command::new(climb)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let uri = "file:///bench/generated.climb.toml";
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    )?;
    let initialized = wait_for(&mut stdout, |m| m["id"] == 1)?;
    let sync = &initialized["result"]["capabilities"]["textDocumentSync"];
    let incremental = sync == 2 || sync["change"] == 2;
    let full = !incremental || std::env::var("CLIMB_BENCH_SYNC").is_ok_and(|s| s == "full");
    println!(
        "text sync: {}",
        if full {
            "whole text"
        } else {
            "incremental (ranges)"
        }
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    )?;

    let started = Instant::now();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": "toml", "version": 1, "text": source}}}),
    )?;
    let opened = wait_for(&mut stdout, is_diagnostics_of(1))?;
    println!(
        "didOpen → publishDiagnostics: {:.1} ms ({} diagnostics)",
        ms(started.elapsed()),
        count(&opened)
    );

    // Alternate breaking a reference somewhere in the middle of the file
    // (one E004 with its suggestion) and mending it: one character typed
    // over, sent as editors do, as a range (or, with CLIMB_BENCH_SYNC=full,
    // as the whole text).
    let reference = format!("from = \"s3-r{}\"", roles / 16);
    let at = source.find(&reference).ok_or("no transition to edit")? + "from = \"s3-".len();
    let line = source[..at].matches('\n').count();
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..at].encode_utf16().count();
    let base = count(&opened);
    let mut text = source.clone();
    let mut latencies = Vec::with_capacity(edits);
    let server = child.id().to_string();
    let server_cpu = cpu_seconds(&server).map(|(own, _)| own);
    for edit in 0..edits {
        let version = i64::try_from(edit)? + 2;
        let typed = if edit % 2 == 0 { "x" } else { "r" };
        text.replace_range(at..at + 1, typed);
        let change = if full {
            json!({"text": text})
        } else {
            json!({"range": {"start": {"line": line, "character": column},
                             "end": {"line": line, "character": column + 1}},
                   "text": typed})
        };
        let started = Instant::now();
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [change]}}),
        )?;
        let published = wait_for(&mut stdout, is_diagnostics_of(version))?;
        latencies.push(started.elapsed());
        let expected = if edit % 2 == 0 { base + 1 } else { base };
        if count(&published) != expected {
            return Err(format!(
                "edit {edit}: {} diagnostics, expected {expected}",
                count(&published)
            )
            .into());
        }
    }
    let server_cpu = server_cpu
        .zip(cpu_seconds(&server))
        .map(|(a, (b, _))| b - a);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}),
    )?;
    wait_for(&mut stdout, |m| m["id"] == 2)?;
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    )?;
    child.wait()?;

    let mut checks = Vec::with_capacity(edits);
    let checks_cpu = cpu_seconds("self").map(|(_, children)| children);
    for _ in 0..edits {
        let started = Instant::now();
        let status = Command::new(climb)
            .arg("check")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        checks.push(started.elapsed());
        if !status.success() {
            return Err(format!("climb check exited with {status}").into());
        }
    }
    let checks_cpu = checks_cpu.zip(cpu_seconds("self")).map(|(a, (_, b))| b - a);
    let lsp = Summary::of(&mut latencies);
    let check = Summary::of(&mut checks);
    println!(
        "didChange → publishDiagnostics, {edits} edits: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        lsp.median, lsp.p90, lsp.max
    );
    println!(
        "climb check FILE, {edits} runs: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        check.median, check.p90, check.max
    );
    println!(
        "ratio of medians (lsp / check): {:.2}×",
        lsp.median / check.median
    );
    // CPU time moves less with the load of the machine than wall time does.
    if let (Some(server), Some(checks)) = (server_cpu, checks_cpu) {
        let per = |seconds: f64| seconds * 1000.0 / edits.max(1) as f64;
        println!(
            "CPU time (user + system): {:.1} ms per edit in the server, {:.1} ms per climb check process",
            per(server),
            per(checks)
        );
    }
    Ok(())
}

/// The CPU seconds (user and system) a process has used, and those of its
/// children it has waited for, from `/proc/PID/stat` on Linux; `None`
/// elsewhere. The clock ticks are taken to be the usual 100 a second.
fn cpu_seconds(pid: &str) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which may hold spaces and `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // `fields[0]` is field 3 of proc(5): utime is 14, stime 15, cutime 16, cstime 17.
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<f64>().ok());
    let ticks = 100.0;
    Some((
        (field(14)? + field(15)?) / ticks,
        (field(16)? + field(17)?) / ticks,
    ))
}

struct Summary {
    median: f64,
    p90: f64,
    max: f64,
}

impl Summary {
    fn of(samples: &mut [Duration]) -> Self {
        samples.sort();
        let at = |q: f64| {
            let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples.get(index).map_or(0.0, |d| ms(*d))
        };
        Self {
            median: at(0.5),
            p90: at(0.9),
            max: at(1.0),
        }
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn count(published: &Value) -> usize {
    published["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len)
}

fn is_diagnostics_of(version: i64) -> impl Fn(&Value) -> bool {
    move |message| {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["version"] == version
    }
}

fn send(stdin: &mut impl Write, message: &Value) -> Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(stdin, "Content-Length: {}\r\n\r\n", body.len())?;
    stdin.write_all(&body)?;
    stdin.flush()?;
    Ok(())
}

/// Reads messages until one matches.
fn wait_for(reader: &mut impl BufRead, wanted: impl Fn(&Value) -> bool) -> Result<Value> {
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Err("the server closed its output".into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = Some(value.parse::<usize>()?);
            }
        }
        let mut body = vec![0; length.ok_or("a message without Content-Length")?];
        reader.read_exact(&mut body)?;
        let message: Value = serde_json::from_slice(&body)?;
        if wanted(&message) {
            return Ok(message);
        }
    }
}
