//! `tongtin report NAME FILE`: a report as JSON, CSV, XLSX or PDF.

use std::io::Write;
use std::path::Path;

use tongtin::document::{Format, Lang};
use tongtin::gpkg::GeoPackage;
use tongtin::inventory::FiscalYear;
use tongtin::report::{build, ReportError, ReportOptions, NAMES};

use super::exit::{self, Failure};

pub fn parse_lang(lang: &str) -> Result<Lang, Failure> {
    match lang.trim().to_ascii_lowercase().as_str() {
        "th" => Ok(Lang::Th),
        "en" => Ok(Lang::En),
        other => Err(Failure::new(
            exit::USAGE,
            format!("--lang {other}: use th or en (ภาษาไทย th หรือ อังกฤษ en)"),
        )),
    }
}

/// A fiscal year as staff write it: 2569 (พ.ศ.); a Gregorian 2026 is refused
/// rather than guessed.
pub fn parse_fy(fy: Option<&str>) -> Result<FiscalYear, Failure> {
    match fy {
        None => Ok(FiscalYear::of(chrono::Local::now().date_naive())),
        Some(t) => match t.trim().parse::<i32>() {
            Ok(y) if (2400..=2700).contains(&y) => Ok(FiscalYear(y)),
            _ => Err(Failure::new(
                exit::USAGE,
                format!("--fy {t}: give the fiscal year in the Buddhist era, e.g. 2569 (ปีงบประมาณ พ.ศ. เช่น 2569)"),
            )),
        },
    }
}

pub fn run(
    name: &str,
    file: &Path,
    fy: Option<&str>,
    format: &str,
    out: Option<&Path>,
    lang: &str,
) -> Result<u8, Failure> {
    if !NAMES.contains(&name) {
        return Err(Failure::new(
            exit::USAGE,
            format!("no report '{name}'; use one of {} (ไม่มีรายงานนี้)", NAMES.join(", ")),
        ));
    }
    let format: Format = format.parse().map_err(|_| {
        Failure::new(
            exit::USAGE,
            format!("--format {format}: use json, csv, xlsx or pdf (รูปแบบไฟล์ไม่ถูกต้อง)"),
        )
    })?;
    let lang = parse_lang(lang)?;
    let fy = parse_fy(fy)?;
    let gpkg = GeoPackage::open(file).map_err(|e| exit::reading(file, e))?;
    let today = chrono::Local::now().date_naive();
    let options = ReportOptions {
        fy,
        lang,
        today,
        ..ReportOptions::current()
    };
    let report = build(gpkg.connection(), name, &options).map_err(|e| match e {
        ReportError::Gpkg(g) => exit::reading(file, g),
        other => Failure::new(exit::NOT_CONFORMING, format!("{}: {other}", file.display())),
    })?;
    let mut bytes = Vec::new();
    tongtin::document::write(&report, format, lang, &mut bytes)
        .map_err(|e| Failure::new(exit::WRITE_FAILED, format!("{name}: {e}")))?;
    match out {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| Failure::new(exit::WRITE_FAILED, format!("{}: cannot write: {e}", path.display())))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&bytes).and_then(|_| stdout.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(Failure::new(exit::WRITE_FAILED, format!("standard output: {e}")));
                }
            }
        }
    }
    Ok(exit::OK)
}
