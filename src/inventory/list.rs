//! Lists for the UI's virtualised tables: one page of any layer's rows,
//! filtered, searched and sorted by SQLite, with the total for the scroll bar.
//!
//! Thai text is sorted in dictionary order by the `THAI` collation this
//! module registers on the connection: a leading vowel (เ แ โ ใ ไ) sorts
//! after the consonant it is written before (เก sorts under ก), tone marks
//! only break ties. The collation is only used in queries, never in the
//! file's schema: GDAL and QGIS do not know it.

use std::cmp::Ordering;
use std::iter::Peekable;
use std::str::Chars;

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::InventoryError;
use crate::gpkg::{quote_ident, Value};
use crate::model::{schema, FieldType, SYSTEM_FIELDS};

/// The name of the collation [`register_thai_collation`] adds.
pub const THAI: &str = "THAI";

/// Rows per page at most.
pub const MAX_LIMIT: u64 = 1000;

fn leading_vowel(c: char) -> bool {
    ('\u{0E40}'..='\u{0E44}').contains(&c)
}

fn consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c)
}

/// Tone marks and other marks that only break ties (่ ้ ๊ ๋ ็ ์ ํ ๎).
fn tone(c: char) -> bool {
    ('\u{0E47}'..='\u{0E4E}').contains(&c)
}

/// The characters compared first: tone marks left out, leading vowels moved
/// after their consonant, Thai digits as ASCII digits, Latin letters lower case.
struct Primary<'a> {
    chars: Peekable<Chars<'a>>,
    pending: Option<char>,
}

impl Iterator for Primary<'_> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        loop {
            let c = self.chars.next()?;
            if tone(c) {
                continue;
            }
            if leading_vowel(c) {
                if let Some(&next) = self.chars.peek() {
                    if consonant(next) {
                        self.chars.next();
                        self.pending = Some(c);
                        return Some(next);
                    }
                }
            }
            return Some(match c {
                '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (c as u32 - 0x0E50) as u8),
                _ => c.to_ascii_lowercase(),
            });
        }
    }
}

/// Thai dictionary order (see the module's documentation).
///
/// ```
/// use tongtin::inventory::thai_cmp;
/// let mut words = vec!["ไก่", "เกาะ", "ขา", "กา", "โต๊ะ", "แกง"];
/// words.sort_by(|a, b| thai_cmp(a, b));
/// assert_eq!(words, ["กา", "เกาะ", "แกง", "ไก่", "ขา", "โต๊ะ"]);
/// ```
pub fn thai_cmp(a: &str, b: &str) -> Ordering {
    fn primary(s: &str) -> Primary<'_> {
        Primary {
            chars: s.chars().peekable(),
            pending: None,
        }
    }
    primary(a)
        .cmp(primary(b))
        .then_with(|| a.chars().filter(|c| tone(*c)).cmp(b.chars().filter(|c| tone(*c))))
        .then_with(|| a.cmp(b))
}

/// Adds the `THAI` collation to `conn` unless it has it already.
pub fn register_thai_collation(conn: &Connection) -> rusqlite::Result<()> {
    if conn.prepare("SELECT 1 ORDER BY 'a' COLLATE THAI").is_ok() {
        return Ok(());
    }
    conn.create_collation(THAI, thai_cmp)
}

/// How a filter compares.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    #[default]
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// The field's value is one of `value` (an array).
    In,
    /// Empty (NULL or '').
    Empty,
    NotEmpty,
}

/// `field op value`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Filter {
    pub field: String,
    #[serde(default)]
    pub op: FilterOp,
    #[serde(default)]
    pub value: serde_json::Value,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct SortKey {
    pub field: String,
    #[serde(default)]
    pub descending: bool,
}

/// One page of a layer.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ListQuery {
    pub layer: String,
    /// Words that must each appear in some text field, or in the Thai or
    /// English label of a coded field's value ("ชำรุด" finds status damaged).
    pub search: Option<String>,
    pub filters: Vec<Filter>,
    /// Sort keys in order; rows tie-break by fid.
    pub sort: Vec<SortKey>,
    pub offset: u64,
    /// 0 means 100; at most [`MAX_LIMIT`].
    pub limit: u64,
}

/// A page: the total matching rows and the rows asked for.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ListPage {
    pub total: u64,
    /// The columns of every row, in order (`fid` first; no geometry).
    pub columns: Vec<String>,
    pub rows: Vec<ListRow>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ListRow {
    pub fid: i64,
    pub uid: String,
    pub values: Vec<Value>,
}

fn bad(th: String, en: String) -> InventoryError {
    InventoryError::Refused { th, en }
}

fn sql_value(v: &serde_json::Value) -> SqlValue {
    match v {
        serde_json::Value::Null => SqlValue::Null,
        serde_json::Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// One page of `q.layer`.
pub fn list(conn: &Connection, q: &ListQuery) -> Result<ListPage, InventoryError> {
    register_thai_collation(conn)?;
    let s = schema();
    let layer = s
        .layer(&q.layer)
        .ok_or_else(|| bad(format!("ไม่มีชั้นข้อมูล '{}'", q.layer), format!("no layer '{}'", q.layer)))?;
    let mut columns: Vec<(String, FieldType)> = vec![("fid".into(), FieldType::Integer)];
    columns.extend(SYSTEM_FIELDS.iter().map(|(n, t, _, _)| (n.to_string(), *t)));
    columns.extend(layer.fields.iter().map(|f| (f.name.clone(), f.field_type)));
    let kind = |name: &str| columns.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<SqlValue> = Vec::new();
    let param = |v: SqlValue, params: &mut Vec<SqlValue>| {
        params.push(v);
        format!("?{}", params.len())
    };
    for f in &q.filters {
        if kind(&f.field).is_none() {
            return Err(bad(
                format!("ชั้นข้อมูล {} ไม่มีช่อง '{}'", layer.th, f.field),
                format!("layer {} has no field '{}'", layer.en, f.field),
            ));
        }
        let c = quote_ident(&f.field);
        let cond = match f.op {
            FilterOp::Empty => format!("({c} IS NULL OR {c} = '')"),
            FilterOp::NotEmpty => format!("({c} IS NOT NULL AND {c} != '')"),
            FilterOp::In => {
                let values = match &f.value {
                    serde_json::Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                if values.is_empty() {
                    "0".to_string()
                } else {
                    let ps: Vec<String> = values.iter().map(|v| param(sql_value(v), &mut params)).collect();
                    format!("{c} IN ({})", ps.join(", "))
                }
            }
            op => {
                let sym = match op {
                    FilterOp::Eq => "=",
                    FilterOp::Ne => "IS NOT",
                    FilterOp::Lt => "<",
                    FilterOp::Le => "<=",
                    FilterOp::Gt => ">",
                    _ => ">=",
                };
                format!("{c} {sym} {}", param(sql_value(&f.value), &mut params))
            }
        };
        conditions.push(cond);
    }
    if let Some(search) = q.search.as_deref() {
        for word in search.split_whitespace() {
            let like = param(SqlValue::Text(format!("%{}%", escape_like(word))), &mut params);
            let mut any: Vec<String> = layer
                .fields
                .iter()
                .filter(|f| f.field_type == FieldType::Text && f.domain.is_none())
                .map(|f| format!("{} LIKE {like} ESCAPE '\\'", quote_ident(&f.name)))
                .collect();
            let lower = word.to_lowercase();
            for f in layer.fields.iter().filter(|f| f.domain.is_some()) {
                let Some(d) = f.domain.as_deref().and_then(|d| s.domain(d)) else {
                    continue;
                };
                let codes: Vec<String> = d
                    .values
                    .iter()
                    .filter(|v| v.th.contains(word) || v.en.to_lowercase().contains(&lower) || v.code == lower)
                    .map(|v| param(SqlValue::Text(v.code.clone()), &mut params))
                    .collect();
                if !codes.is_empty() {
                    any.push(format!("{} IN ({})", quote_ident(&f.name), codes.join(", ")));
                }
            }
            if any.is_empty() {
                any.push("0".into());
            }
            conditions.push(format!("({})", any.join(" OR ")));
        }
    }
    let table = quote_ident(&layer.name);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {table}{filter}"),
        rusqlite::params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let mut order: Vec<String> = Vec::new();
    for k in &q.sort {
        let Some(t) = kind(&k.field) else {
            return Err(bad(
                format!("เรียงตามช่อง '{}' ไม่ได้ ชั้นข้อมูล {} ไม่มีช่องนี้", k.field, layer.th),
                format!("cannot sort by '{}': layer {} has no such field", k.field, layer.en),
            ));
        };
        let c = quote_ident(&k.field);
        let dir = if k.descending { "DESC" } else { "ASC" };
        order.push(format!("({c} IS NULL OR {c} = '')"));
        order.push(match t {
            FieldType::Text => format!("{c} COLLATE {THAI} {dir}"),
            _ => format!("{c} {dir}"),
        });
    }
    order.push("fid".into());
    let limit = match q.limit {
        0 => 100,
        n => n.min(MAX_LIMIT),
    };
    let select: Vec<String> = columns.iter().map(|(n, _)| quote_ident(n)).collect();
    let sql = format!(
        "SELECT {} FROM {table}{filter} ORDER BY {} LIMIT {limit} OFFSET {}",
        select.join(", "),
        order.join(", "),
        q.offset.min(i64::MAX as u64)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let values: Vec<Value> = (0..columns.len())
            .map(|i| r.get_ref(i).map(Value::from))
            .collect::<Result<_, _>>()?;
        out.push(ListRow {
            fid: values[0].as_f64().unwrap_or(0.0) as i64,
            uid: values[1].as_str().unwrap_or_default().to_string(),
            values,
        });
    }
    Ok(ListPage {
        total: total as u64,
        columns: columns.into_iter().map(|(n, _)| n).collect(),
        rows: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_dictionary_order() {
        let mut w = vec![
            "โรงเรียน",
            "แม่น้ำ",
            "ไม้",
            "มา",
            "เมือง",
            "ม้า",
            "หมู่บ้าน",
            "กข",
            "ขอ",
            "Zebra",
            "apple",
            "10",
            "๒",
        ];
        w.sort_by(|a, b| thai_cmp(a, b));
        assert_eq!(
            w,
            [
                "10",
                "๒",
                "apple",
                "Zebra",
                "กข",
                "ขอ",
                "มา",
                "ม้า",
                "เมือง",
                "แม่น้ำ",
                "ไม้",
                "โรงเรียน",
                "หมู่บ้าน"
            ]
        );
        // Tone marks only break ties: มา before ม้า, both before มาก.
        assert_eq!(thai_cmp("ม้า", "มาก"), Ordering::Less);
        assert_eq!(thai_cmp("เ", "ก"), Ordering::Greater, "a lone vowel stays a vowel");
    }
}
