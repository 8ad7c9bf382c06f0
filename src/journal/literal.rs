//! Values as SQL literals, the form SQLite's `quote()` writes them in: the
//! capture triggers produce them and the journal stores them, because they
//! keep every type exactly (a REAL to the last bit, a BLOB byte for byte).

use std::fmt::Write;

use crate::gpkg::Value;

/// The SQL literal of a value; [`parse_list`] reads it back unchanged.
///
/// ```
/// use tongtin::gpkg::Value;
/// use tongtin::journal::{literal, parse_list};
/// let v = Value::Real(0.1 + 0.2);
/// assert_eq!(parse_list(&literal(&v)).unwrap(), vec![v]);
/// assert_eq!(literal(&Value::Text("ซอย 'ก'".into())), "'ซอย ''ก'''");
/// ```
pub fn literal(value: &Value) -> String {
    match value {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) if r.is_infinite() => if *r > 0.0 { "9.0e+999" } else { "-9.0e+999" }.into(),
        Value::Real(r) => format!("{r:?}"),
        Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
        Value::Blob(b) => {
            let mut s = String::with_capacity(b.len() * 2 + 3);
            s.push_str("X'");
            for byte in b {
                let _ = write!(s, "{byte:02X}");
            }
            s.push('\'');
            s
        }
    }
}

/// A literal list that is not what `quote()` writes.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("unreadable SQL literal at byte {at}")]
pub struct LiteralError {
    pub at: usize,
}

/// Reads literals separated by commas, as the capture triggers join them.
pub fn parse_list(text: &str) -> Result<Vec<Value>, LiteralError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    if bytes.is_empty() {
        return Ok(out);
    }
    loop {
        let (value, next) = parse_one(text, i)?;
        out.push(value);
        i = next;
        match bytes.get(i) {
            None => return Ok(out),
            Some(b',') => i += 1,
            Some(_) => return Err(LiteralError { at: i }),
        }
    }
}

fn parse_one(text: &str, start: usize) -> Result<(Value, usize), LiteralError> {
    let bytes = text.as_bytes();
    let err = || LiteralError { at: start };
    match bytes.get(start) {
        Some(b'\'') => {
            let mut s = String::new();
            let mut i = start + 1;
            loop {
                let rest = &text[i..];
                let q = rest.find('\'').ok_or_else(err)?;
                s.push_str(&rest[..q]);
                i += q + 1;
                if bytes.get(i) == Some(&b'\'') {
                    s.push('\'');
                    i += 1;
                } else {
                    return Ok((Value::Text(s), i));
                }
            }
        }
        Some(b'X') | Some(b'x') if bytes.get(start + 1) == Some(&b'\'') => {
            let from = start + 2;
            let len = text[from..].find('\'').ok_or_else(err)?;
            let hex = &bytes[from..from + len];
            if hex.len() % 2 != 0 {
                return Err(err());
            }
            let blob = hex
                .chunks(2)
                .map(|pair| {
                    std::str::from_utf8(pair)
                        .ok()
                        .and_then(|p| u8::from_str_radix(p, 16).ok())
                        .ok_or_else(err)
                })
                .collect::<Result<Vec<u8>, _>>()?;
            Ok((Value::Blob(blob), from + len + 1))
        }
        Some(_) => {
            let end = text[start..].find(',').map_or(text.len(), |n| start + n);
            let token = &text[start..end];
            if token == "NULL" {
                return Ok((Value::Null, end));
            }
            if token.contains(['.', 'e', 'E']) {
                token.parse::<f64>().map(|r| (Value::Real(r), end)).map_err(|_| err())
            } else {
                token
                    .parse::<i64>()
                    .map(|i| (Value::Integer(i), end))
                    .map_err(|_| err())
            }
        }
        None => Err(err()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips() {
        let values = vec![
            Value::Null,
            Value::Integer(i64::MIN),
            Value::Integer(9_007_199_254_740_993),
            Value::Real(-0.0),
            Value::Real(1e-310),
            Value::Real(f64::INFINITY),
            Value::Real(712345.123456789),
            Value::Text(String::new()),
            Value::Text("a,b 'c' ถนน".into()),
            Value::Blob(vec![]),
            Value::Blob(vec![0, 0xff, 0x47, 0x50]),
        ];
        let joined = values.iter().map(literal).collect::<Vec<_>>().join(",");
        let back = parse_list(&joined).unwrap();
        assert_eq!(back.len(), values.len());
        for (a, b) in values.iter().zip(&back) {
            match (a, b) {
                (Value::Real(x), Value::Real(y)) => assert_eq!(x.to_bits(), y.to_bits()),
                _ => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn sqlite_quote_output_is_read_exactly() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let text: String = conn
            .query_row(
                "SELECT quote(0.1 + 0.2) || ',' || quote(1e308 * 10) || ',' || quote(x'00ff') || ',' || quote('it''s') || ',' || quote(NULL) || ',' || quote(-5)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let v = parse_list(&text).unwrap();
        assert_eq!(v[0], Value::Real(0.1 + 0.2));
        assert_eq!(v[1], Value::Real(f64::INFINITY));
        assert_eq!(v[2], Value::Blob(vec![0, 255]));
        assert_eq!(v[3], Value::Text("it's".into()));
        assert_eq!(v[4], Value::Null);
        assert_eq!(v[5], Value::Integer(-5));
    }

    #[test]
    fn damaged_lists_are_errors() {
        for bad in ["'open", "X'0'", "X'zz'", "12abc", "1,", "NULL NULL"] {
            assert!(parse_list(bad).is_err(), "{bad}");
        }
    }
}
