use std::path::Path;

use tongtin::gpkg::{GeoPackage, Value};
use tongtin::journal::{self, read_history, show_value, HistoryFilter, Op};

use super::exit::{self, Failure};

pub struct Options<'a> {
    pub uid: Option<&'a str>,
    pub layer: Option<&'a str>,
    pub user: Option<&'a str>,
    pub since: Option<&'a str>,
    pub limit: Option<usize>,
    pub json: bool,
}

/// A day given as YYYY-MM-DD, in the Gregorian or (from year 2400) the
/// Buddhist era, or a full ISO-8601 time; as Unix milliseconds.
pub fn parse_since(text: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    let d = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let d = if d.year_ce().1 >= 2400 {
        d.with_year(d.year() - 543)?
    } else {
        d
    };
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

use chrono::Datelike;

pub fn run(file: &Path, o: &Options<'_>) -> Result<u8, Failure> {
    let since_millis = match o.since {
        Some(s) => Some(parse_since(s).ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                format!("--since '{s}': not a date like 2026-11-21 or 2569-11-21 (วันที่ไม่ถูกต้อง)"),
            )
        })?),
        None => None,
    };
    let gpkg = GeoPackage::open(file).map_err(|e| exit::reading(file, e))?;
    let conn = gpkg.connection();
    let fail = |e: journal::JournalError| Failure::new(exit::BAD_INPUT, format!("{}: {e}", file.display()));
    if !journal::is_installed(conn).map_err(fail)? {
        if o.json {
            say!("[]");
        } else {
            eprintln!("tongtin: {}: no journal yet (no edits recorded)", file.display());
        }
        return Ok(exit::OK);
    }
    let ops = read_history(
        conn,
        &HistoryFilter {
            uid: o.uid.map(str::to_string),
            layer: o.layer.map(str::to_string),
            user: o.user.map(str::to_string),
            since_millis,
            until_millis: None,
            limit: o.limit,
            ..HistoryFilter::default()
        },
    )
    .map_err(fail)?;
    if o.json {
        let doc: Vec<serde_json::Value> = ops.iter().map(op_json).collect();
        say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        say!("op_id\tuid\ttable\tkind\tfield\told\tnew\ttimestamp\tuser\tdevice");
        for op in &ops {
            for f in &op.fields {
                say!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    op.op_id,
                    op.uid,
                    op.layer,
                    op.kind.as_str(),
                    f.field,
                    f.old.as_ref().map_or("-".into(), |v| one_line(&show_value(v))),
                    f.new.as_ref().map_or("-".into(), |v| one_line(&show_value(v))),
                    op.hlc.to_rfc3339(),
                    if op.user.is_empty() { "(other tool)" } else { &op.user },
                    op.device
                );
            }
        }
    }
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM tongtin_capture", [], |r| r.get(0))
        .unwrap_or(0);
    if pending > 0 {
        eprintln!(
            "tongtin: {}: {pending} changes by other tools are not in the journal yet; run `tongtin journal check`",
            file.display()
        );
    }
    Ok(exit::OK)
}

fn one_line(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn value_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(r) => serde_json::Number::from_f64(*r).map_or_else(|| show_value(v).into(), Into::into),
        Value::Text(t) => t.clone().into(),
        Value::Blob(_) => show_value(v).into(),
    }
}

fn op_json(op: &Op) -> serde_json::Value {
    serde_json::json!({
        "seq": op.seq,
        "op_id": op.op_id,
        "edit_id": op.edit_id,
        "uid": op.uid,
        "table": op.layer,
        "kind": op.kind,
        "timestamp": op.hlc.to_rfc3339(),
        "hlc": op.hlc.0,
        "user": op.user,
        "device": op.device,
        "origin": op.origin,
        "fields": op.fields.iter().map(|f| serde_json::json!({
            "field": f.field,
            "old": f.old.as_ref().map(value_json),
            "new": f.new.as_ref().map(value_json),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buddhist_and_gregorian_days_are_the_same_day() {
        assert_eq!(parse_since("2569-11-21"), parse_since("2026-11-21"));
        assert!(parse_since("2026-02-30").is_none());
        assert_eq!(parse_since("1970-01-01T00:00:01Z"), Some(1000));
    }
}
