//! Draws a set of charts to look at by eye (built-in light and dark, a
//! highlighted path, 100 roles in 8 streams, Unicode titles):
//! `cargo run -p climb-chart --example gallery -- OUT_DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use climb_chart::{ChartOptions, Theme, render_png, render_svg};
use climb_framework::{Framework, RoleId};

#[path = "../tests/it/generate.rs"]
mod generate;

fn id(raw: &str) -> Option<RoleId> {
    RoleId::parse(raw).ok()
}

fn main() -> ExitCode {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "chart-look".to_owned()),
    );
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let builtin = climb_framework::builtin();
    let large = match climb_framework::load(&generate::toml(&generate::realistic(8, 100, 9, 40, 7)))
    {
        Ok(f) => f,
        Err(e) => {
            eprintln!("generated framework does not check: {e:?}");
            return ExitCode::FAILURE;
        }
    };
    let mut unicode_spec = generate::realistic(3, 9, 4, 4, 3);
    unicode_spec.titles = Some(
        [
            "Ingénieure Logiciel",
            "软件工程师",
            "Старший инженер",
            "高级软件工程师",
            "Architecte Système Principale",
            "エンジニアリングマネージャー",
            "Μηχανικός Λογισμικού",
            "수석 엔지니어",
            "Directeur·rice R&D",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    let unicode = match climb_framework::load(&generate::toml(&unicode_spec)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("unicode framework does not check: {e:?}");
            return ExitCode::FAILURE;
        }
    };
    let path = ChartOptions {
        path: Some(
            [
                "software-engineer",
                "senior-software-engineer",
                "engineering-manager",
                "director-of-engineering",
            ]
            .iter()
            .filter_map(|r| id(r))
            .collect(),
        ),
        ..ChartOptions::default()
    };
    let highlight = ChartOptions {
        highlight: id("staff-engineer"),
        theme: Theme::Dark,
        ..ChartOptions::default()
    };
    let dark = ChartOptions {
        theme: Theme::Dark,
        ..ChartOptions::default()
    };
    let jobs: [(&str, &Framework, ChartOptions); 6] = [
        ("builtin", builtin, ChartOptions::default()),
        ("builtin-dark", builtin, dark.clone()),
        ("builtin-path", builtin, path),
        ("builtin-highlight-dark", builtin, highlight),
        ("large", &large, ChartOptions::default()),
        ("unicode", &unicode, dark),
    ];
    for (name, framework, options) in jobs {
        let svg = render_svg(framework, &options);
        let png = match render_png(framework, &options, 1.5) {
            Ok(png) => png,
            Err(e) => {
                eprintln!("{name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        for (ext, bytes) in [("svg", svg.into_bytes()), ("png", png)] {
            let file = dir.join(format!("{name}.{ext}"));
            if let Err(e) = std::fs::write(&file, bytes) {
                eprintln!("cannot write {}: {e}", file.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
