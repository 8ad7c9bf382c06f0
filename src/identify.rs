//! What the identify panel shows for one feature: every attribute with its
//! Thai and English label and, for coded values, the value's labels; a
//! pole's lamps come with it.

use serde::Serialize;

use crate::gpkg::{quote_ident, GeoPackage, GpkgError, Layer, Value};
use crate::model::{schema, LayerDef};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldValue {
    pub name: String,
    pub label_th: String,
    pub label_en: String,
    pub value: Value,
    /// For coded values: the code's Thai and English labels.
    pub value_th: Option<String>,
    pub value_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureDetails {
    pub layer: String,
    pub layer_th: String,
    pub layer_en: String,
    pub fid: i64,
    pub fields: Vec<FieldValue>,
    /// Child rows (a pole's lamps), each with its own fields.
    pub children: Vec<FeatureDetails>,
}

/// The details of feature `fid` of `layer`, `None` when there is no such row.
pub fn identify(gpkg: &GeoPackage, layer: &str, fid: i64) -> Result<Option<FeatureDetails>, GpkgError> {
    let layer = gpkg.layer(layer)?;
    let Some(mut details) = rows(gpkg, &layer, None, &fid)?.into_iter().next() else {
        return Ok(None);
    };
    for child in schema()
        .layers
        .iter()
        .filter(|l| l.parent.as_ref().is_some_and(|p| p.layer == layer.name))
    {
        let parent = child.parent.as_ref().expect("filtered on parent");
        let uid = details
            .fields
            .iter()
            .find(|f| f.name == "uid")
            .and_then(|f| f.value.as_str().map(str::to_string));
        if let (Some(uid), Ok(child_layer)) = (uid, gpkg.layer(&child.name)) {
            details
                .children
                .extend(rows(gpkg, &child_layer, Some(&parent.field), &uid)?);
        }
    }
    Ok(Some(details))
}

/// The rows of `layer` whose `key_column` (the primary key when `None`) equals `key`.
fn rows(
    gpkg: &GeoPackage,
    layer: &Layer,
    key_column: Option<&str>,
    key: &dyn rusqlite::ToSql,
) -> Result<Vec<FeatureDetails>, GpkgError> {
    let columns = gpkg.attribute_columns(layer)?;
    let pk = gpkg.primary_key(&layer.name)?;
    let select: Vec<String> = std::iter::once(quote_ident(&pk))
        .chain(columns.iter().map(|c| quote_ident(&c.name)))
        .collect();
    let filter = quote_ident(key_column.unwrap_or(&pk));
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter} = ?1 ORDER BY 1",
        select.join(", "),
        quote_ident(&layer.name)
    );
    let def = schema().layer(&layer.name);
    let context = || format!("reading '{}'", layer.name);
    let mut stmt = gpkg.connection().prepare(&sql).map_err(|source| GpkgError::Sqlite {
        context: context(),
        source,
    })?;
    let mut rows = stmt.query([key]).map_err(|source| GpkgError::Sqlite {
        context: context(),
        source,
    })?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(|source| GpkgError::Sqlite {
        context: context(),
        source,
    })? {
        let fid: i64 = r.get(0).map_err(|source| GpkgError::Sqlite {
            context: context(),
            source,
        })?;
        let fields = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let value = r.get_ref(i + 1).map(Value::from).unwrap_or(Value::Null);
                field(def, &c.name, value)
            })
            .collect();
        out.push(FeatureDetails {
            layer: layer.name.clone(),
            layer_th: def.map_or_else(|| layer.name.clone(), |d| d.th.clone()),
            layer_en: def.map_or_else(|| layer.name.clone(), |d| d.en.clone()),
            fid,
            fields,
            children: Vec::new(),
        });
    }
    Ok(out)
}

fn field(def: Option<&LayerDef>, name: &str, value: Value) -> FieldValue {
    let system = crate::model::SYSTEM_FIELDS.iter().find(|f| f.0 == name);
    let schema_field = def.and_then(|d| d.field(name));
    let (label_th, label_en) = match (schema_field, system) {
        (Some(f), _) => (f.th.clone(), f.en.clone()),
        (None, Some(s)) => (s.2.to_string(), s.3.to_string()),
        (None, None) => (name.to_string(), name.to_string()),
    };
    let coded = schema_field
        .and_then(|f| f.domain.as_ref())
        .and_then(|d| schema().domain(d))
        .and_then(|d| value.as_str().and_then(|code| d.value(code)));
    FieldValue {
        name: name.to_string(),
        label_th,
        label_en,
        value_th: coded.map(|v| v.th.clone()),
        value_en: coded.map(|v| v.en.clone()),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoOptions};
    use crate::progress::Silent;

    #[test]
    fn a_pole_comes_with_labels_and_its_lamps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.gpkg");
        generate(&path, &DemoOptions::default(), false, &Silent).unwrap();
        let g = GeoPackage::open(&path).unwrap();
        let d = identify(&g, "poles", 1).unwrap().unwrap();
        assert_eq!(
            (d.layer_th.as_str(), d.layer_en.as_str()),
            ("เสาไฟฟ้าส่องสว่าง", "Street-light poles")
        );
        let status = d.fields.iter().find(|f| f.name == "status").unwrap();
        assert_eq!(status.label_th, "สถานะ");
        assert!(status.value_th.is_some() && status.value_en.is_some());
        let lamps: i64 = g
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM lamps WHERE pole_uid = (SELECT uid FROM poles WHERE fid = 1)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(lamps >= 1);
        assert_eq!(d.children.len() as i64, lamps);
        assert_eq!(d.children[0].layer_en, "Lamps");
        assert!(identify(&g, "poles", 999_999).unwrap().is_none());
        assert!(matches!(
            identify(&g, "no_such_layer", 1),
            Err(GpkgError::NoSuchLayer(_))
        ));
    }
}
