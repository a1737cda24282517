//! A generated valid framework of any size, shared by the `check` benchmark
//! and the language server's latency benchmark (`crates/lsp/examples`), so
//! their figures are for the same files: 8 streams, 4 competencies that every
//! role expects, about 3 transitions per role.

use std::fmt::Write as _;

const STREAMS: usize = 8;
const LEVELS: usize = 101;
const COMPETENCIES: usize = 4;
const COMPETENCY_LEVELS: usize = 5;

/// A valid framework of `roles` roles: each stream's roles are spread over
/// the 101 seniorities, `k` per seniority. Role (s, level, j) is promoted to
/// (s, level + 1, j) and (s, level + 1, j + 1), and moves laterally to
/// (s + 1, level, j); the lowest level is the entry level. Every role
/// expects each competency at a level that grows with its seniority.
pub(crate) fn framework(roles: usize) -> String {
    let per_stream = roles.div_ceil(STREAMS);
    let k = per_stream.div_ceil(LEVELS);
    let id = |s: usize, i: usize| format!("s{s}-r{i}");
    let mut out = String::with_capacity(roles * 400);
    out.push_str("[framework]\nname = \"Benchmark\"\nversion = \"1\"\n");
    for s in 0..STREAMS {
        let track = if s == 0 { "management" } else { "ic" };
        let _ = write!(
            out,
            "\n[[streams]]\nid = \"s{s}\"\nname = \"Stream {s}\"\ntrack = \"{track}\"\n"
        );
    }
    for c in 0..COMPETENCIES {
        let _ = write!(
            out,
            "\n[[competencies]]\nid = \"c{c}\"\nname = \"Competency {c}\"\nlevels = ["
        );
        for l in 0..COMPETENCY_LEVELS {
            let _ = write!(out, "{}\"Level {l}\"", if l == 0 { "" } else { ", " });
        }
        out.push_str("]\n");
    }
    for s in 0..STREAMS {
        for i in 0..per_stream {
            let level = i / k;
            let _ = write!(
                out,
                "\n[[roles]]\nid = \"{}\"\ntitle = \"Role {s} {i}\"\nstream = \"s{s}\"\nseniority = {level}\nentry = {}\nsummary = \"A generated role.\"\nexpectations = {{ ",
                id(s, i),
                i < k
            );
            for c in 0..COMPETENCIES {
                let expected = 1 + (level * COMPETENCY_LEVELS / LEVELS + c) % COMPETENCY_LEVELS;
                let _ = write!(out, "{}c{c} = {expected}", if c == 0 { "" } else { ", " });
            }
            out.push_str(" }\n");
        }
    }
    for s in 0..STREAMS {
        for i in 0..per_stream {
            let (level, j) = (i / k, i % k);
            let mut targets = vec![((level + 1) * k + j, "promotion", s)];
            if k > 1 {
                targets.push(((level + 1) * k + (j + 1) % k, "promotion", s));
            }
            if s + 1 < STREAMS {
                targets.push((i, "lateral", s + 1));
            }
            for (target, kind, stream) in targets {
                if target < per_stream {
                    let _ = write!(
                        out,
                        "\n[[transitions]]\nfrom = \"{}\"\nto = \"{}\"\nkind = \"{kind}\"\n",
                        id(s, i),
                        id(stream, target)
                    );
                }
            }
        }
    }
    out
}
