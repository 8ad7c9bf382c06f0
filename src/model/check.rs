//! Checks that a file's content follows the data model: the layers and
//! fields exist, every row has a UUID, values lie in their domains and
//! ranges, road codes are well formed, business keys are unique and child
//! rows point at existing parents. Every problem is collected.

use std::fmt;

use super::schema::{schema, FieldDef, FieldType, Format, LayerDef};
use super::RoadCode;
use crate::gpkg::{quote_ident, quote_literal, GeoPackage, GpkgError};

/// Rows reported one by one for each check before the rest are summarised.
const EXAMPLES_PER_CHECK: usize = 50;

#[derive(Clone, Debug, PartialEq)]
pub struct ModelProblem {
    pub layer: String,
    pub fid: Option<i64>,
    pub message: String,
}

impl fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fid {
            Some(fid) => write!(f, "{} fid {}: {}", self.layer, fid, self.message),
            None => write!(f, "{}: {}", self.layer, self.message),
        }
    }
}

struct Checker<'a> {
    gpkg: &'a GeoPackage,
    problems: Vec<ModelProblem>,
}

/// Every way the file's content departs from the data model.
pub fn check_model(gpkg: &GeoPackage) -> Result<Vec<ModelProblem>, GpkgError> {
    let mut c = Checker {
        gpkg,
        problems: Vec::new(),
    };
    for layer in &schema().layers {
        if !gpkg.has_table(&layer.name)? {
            c.report(
                &layer.name,
                None,
                format!("layer missing ({} / {})", layer.th, layer.en),
            );
            continue;
        }
        c.check_layer(layer)?;
    }
    Ok(c.problems)
}

impl Checker<'_> {
    fn report(&mut self, layer: &str, fid: Option<i64>, message: String) {
        self.problems.push(ModelProblem {
            layer: layer.to_string(),
            fid,
            message,
        });
    }

    /// Runs `sql` (selecting fid and a value) and reports each row with `describe`.
    fn rows(&mut self, layer: &str, sql: &str, describe: impl Fn(&str) -> String) -> Result<(), GpkgError> {
        let conn = self.gpkg.connection();
        let mut stmt = conn.prepare(sql).map_err(|source| GpkgError::Sqlite {
            context: format!("checking {layer}"),
            source,
        })?;
        let mut rows = stmt.query([]).map_err(|source| GpkgError::Sqlite {
            context: format!("checking {layer}"),
            source,
        })?;
        let mut n = 0usize;
        while let Some(row) = rows.next().map_err(|source| GpkgError::Sqlite {
            context: format!("checking {layer}"),
            source,
        })? {
            n += 1;
            if n <= EXAMPLES_PER_CHECK {
                let fid: i64 = row.get(0).unwrap_or_default();
                let value = row
                    .get_ref(1)
                    .map(|v| crate::gpkg::Value::from(v).to_string())
                    .unwrap_or_default();
                let message = describe(&value);
                self.report(layer, Some(fid), message);
            }
        }
        if n > EXAMPLES_PER_CHECK {
            let message = format!(
                "{} more rows with the same problem ({})",
                n - EXAMPLES_PER_CHECK,
                describe("…")
            );
            self.report(layer, None, message);
        }
        Ok(())
    }

    fn check_layer(&mut self, layer: &LayerDef) -> Result<(), GpkgError> {
        let have: Vec<String> = self
            .gpkg
            .table_columns(&layer.name)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        let t = quote_ident(&layer.name);
        let name = layer.name.as_str();
        if !have.iter().any(|c| c == "uid") {
            self.report(name, None, "field uid missing: rows have no stable identity".into());
        } else {
            self.rows(name, &format!("SELECT fid, uid FROM {t} WHERE uid IS NULL OR length(uid) != 36 OR uid NOT GLOB '????????-????-????-????-????????????'"), |v| {
                format!("uid '{v}' is not a UUID")
            })?;
            self.rows(
                name,
                &format!("SELECT MIN(fid), uid FROM {t} WHERE uid IS NOT NULL GROUP BY uid HAVING COUNT(*) > 1"),
                |v| format!("uid {v} is used by more than one row"),
            )?;
        }
        for f in &layer.fields {
            if !have.contains(&f.name) {
                self.report(name, None, format!("field {} missing ({} / {})", f.name, f.th, f.en));
                continue;
            }
            self.check_field(layer, f)?;
        }
        if let Some(parent) = &layer.parent {
            let sql = format!(
                "SELECT fid, {pf} FROM {t} WHERE {pf} IS NOT NULL AND {pf} NOT IN (SELECT uid FROM {})",
                quote_ident(&parent.layer),
                pf = quote_ident(&parent.field)
            );
            let parent_layer = parent.layer.clone();
            self.rows(name, &sql, |v| {
                format!("{} {v} does not exist in {parent_layer}", parent.field)
            })?;
        }
        Ok(())
    }

    fn check_field(&mut self, layer: &LayerDef, f: &FieldDef) -> Result<(), GpkgError> {
        let t = quote_ident(&layer.name);
        let c = quote_ident(&f.name);
        let name = layer.name.as_str();
        let label = format!("{} ({})", f.name, f.th);
        if f.required {
            self.rows(
                name,
                &format!("SELECT fid, NULL FROM {t} WHERE {c} IS NULL OR {c} = ''"),
                |_| format!("{label} is required but empty"),
            )?;
        }
        if let Some(domain_name) = &f.domain {
            let domain = schema().domain(domain_name).expect("schema test checks domains");
            let codes: Vec<String> = domain.values.iter().map(|v| quote_literal(&v.code)).collect();
            let allowed: Vec<&str> = domain.values.iter().map(|v| v.code.as_str()).collect();
            self.rows(
                name,
                &format!(
                    "SELECT fid, {c} FROM {t} WHERE {c} IS NOT NULL AND {c} NOT IN ({})",
                    codes.join(", ")
                ),
                |v| format!("{label} '{v}' is not one of {}", allowed.join(", ")),
            )?;
        }
        if let (Some(min), Some(max)) = (f.min, f.max) {
            self.rows(name, &format!("SELECT fid, {c} FROM {t} WHERE {c} IS NOT NULL AND ({c} < {min} OR {c} > {max} OR typeof({c}) NOT IN ('integer', 'real'))"), |v| {
                format!("{label} {v} is outside {min}–{max}")
            })?;
        }
        let type_check = match f.field_type {
            FieldType::Date => Some(("date(x) IS NULL OR date(x) != x", "a date YYYY-MM-DD")),
            FieldType::Datetime => Some(("julianday(x) IS NULL", "a date and time (ISO 8601)")),
            FieldType::Integer => Some(("typeof(x) != 'integer'", "a whole number")),
            FieldType::Real => Some(("typeof(x) NOT IN ('integer', 'real')", "a number")),
            FieldType::Boolean => Some(("x NOT IN (0, 1)", "0 or 1")),
            FieldType::Text => None,
        };
        if let Some((test, what)) = type_check {
            self.rows(
                name,
                &format!(
                    "SELECT fid, {c} FROM {t} WHERE {c} IS NOT NULL AND ({})",
                    test.replace('x', &c)
                ),
                |v| format!("{label} '{v}' is not {what}"),
            )?;
        }
        if f.unique {
            self.rows(
                name,
                &format!("SELECT MIN(fid), {c} FROM {t} WHERE {c} IS NOT NULL GROUP BY {c} HAVING COUNT(*) > 1"),
                |v| format!("{label} '{v}' is used by more than one row"),
            )?;
        }
        if let Some(r) = &f.references {
            if self.gpkg.has_table(&r.layer)? {
                let sql = format!(
                    "SELECT fid, {c} FROM {t} WHERE {c} IS NOT NULL AND {c} NOT IN (SELECT {} FROM {} WHERE {} IS NOT NULL)",
                    quote_ident(&r.field),
                    quote_ident(&r.layer),
                    quote_ident(&r.field)
                );
                let target = format!("{}.{}", r.layer, r.field);
                self.rows(name, &sql, |v| format!("{label} '{v}' is not a {target}"))?;
            }
        }
        if f.format == Some(Format::RoadCode) {
            let sql = format!("SELECT fid, {c} FROM {t} WHERE {c} IS NOT NULL");
            let conn = self.gpkg.connection();
            let mut stmt = conn.prepare(&sql).map_err(|source| GpkgError::Sqlite {
                context: format!("checking {name}"),
                source,
            })?;
            let bad: Vec<(i64, String)> = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1).unwrap_or_default()))
                })
                .map_err(|source| GpkgError::Sqlite {
                    context: format!("checking {name}"),
                    source,
                })?
                .filter_map(Result::ok)
                .filter(|(_, v)| v.parse::<RoadCode>().is_err())
                .collect();
            for (fid, v) in bad.iter().take(EXAMPLES_PER_CHECK) {
                self.report(
                    name,
                    Some(*fid),
                    format!("{label} '{v}' is not a road code like นภ.ถ 1-0012"),
                );
            }
            if bad.len() > EXAMPLES_PER_CHECK {
                self.report(
                    name,
                    None,
                    format!("{} more malformed road codes", bad.len() - EXAMPLES_PER_CHECK),
                );
            }
        }
        Ok(())
    }
}
