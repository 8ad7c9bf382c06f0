//! Finding things by what staff type: a pole number, a road code such as
//! นภ.ถ 1-0012 (spaces and leading zeros optional), a road or landmark name in
//! Thai or English.

use serde::Serialize;

use crate::geom::{Envelope, Geometry};
use crate::gpkg::{quote_ident, GeoPackage, GpkgError, LayerKind};
use crate::model::RoadCode;

/// Results per search, enough for a pick list.
const LIMIT: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub layer: String,
    pub fid: i64,
    /// What to show in the list, e.g. `นส.01-0001` or `ถนนเทศบาล 1 (นภ.ถ 1-0012)`.
    pub label: String,
    /// Where to zoom, in the layer's CRS.
    pub extent: Option<[f64; 4]>,
    pub srs_id: Option<i32>,
}

/// (layer, columns searched, column shown first)
const TARGETS: [(&str, &[&str]); 5] = [
    ("poles", &["pole_no", "asset_no"]),
    ("roads", &["road_code", "name_th", "name_en", "route_no"]),
    ("landmarks", &["name_th", "name_en"]),
    ("drains", &["road_code"]),
    ("equipment", &["asset_no", "name"]),
];

/// Searches the known layers; exact matches come first, then prefixes, then
/// matches anywhere. Road sections of one road are returned as one hit
/// covering the whole road.
pub fn search(gpkg: &GeoPackage, query: &str) -> Result<Vec<SearchHit>, GpkgError> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let canonical = query
        .parse::<RoadCode>()
        .map(|c| c.to_string())
        .unwrap_or_else(|_| query.to_string());
    let layers = gpkg.layers()?;
    let mut hits: Vec<(u8, SearchHit)> = Vec::new();
    for (name, columns) in TARGETS {
        let Some(layer) = layers.iter().find(|l| l.name == name && l.kind == LayerKind::Features) else {
            continue;
        };
        let have: Vec<String> = gpkg.table_columns(name)?.into_iter().map(|c| c.name).collect();
        let columns: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| have.iter().any(|h| h == c))
            .collect();
        if columns.is_empty() {
            continue;
        }
        let geom = quote_ident(layer.geometry_column.as_deref().unwrap_or("geom"));
        let mut found: Vec<(u8, String, i64, Option<Envelope>)> = Vec::new();
        for column in &columns {
            let c = quote_ident(column);
            // Every word must appear (LIKE ignores ASCII case); an exact or
            // prefix match ranks first.
            let words: Vec<String> = query
                .split_whitespace()
                .map(|w| format!("%{}%", escape_like(w)))
                .collect();
            let all_words = (0..words.len())
                .map(|i| format!("{c} LIKE ?{} ESCAPE '\\'", i + 4))
                .collect::<Vec<_>>()
                .join(" AND ");
            let sql = format!(
                "SELECT fid, {c}, {geom}, CASE WHEN {c} = ?1 OR {c} = ?2 THEN 0 WHEN {c} LIKE ?3 ESCAPE '\\' THEN 1 ELSE 2 END AS rank
                 FROM {} WHERE {c} = ?1 OR {c} = ?2 OR ({all_words}) ORDER BY rank, {c} LIMIT {}",
                quote_ident(name),
                LIMIT * 20
            );
            let mut params: Vec<String> =
                vec![query.to_string(), canonical.clone(), format!("{}%", escape_like(query))];
            params.extend(words);
            let mut stmt = gpkg.connection().prepare(&sql).map_err(|source| GpkgError::Sqlite {
                context: format!("searching {name}"),
                source,
            })?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                    let blob: Option<Vec<u8>> = r.get(2)?;
                    Ok((r.get::<_, u8>(3)?, r.get::<_, String>(1)?, r.get::<_, i64>(0)?, blob))
                })
                .map_err(|source| GpkgError::Sqlite {
                    context: format!("searching {name}"),
                    source,
                })?;
            for row in rows {
                let (rank, text, fid, blob) = row.map_err(|source| GpkgError::Sqlite {
                    context: format!("searching {name}"),
                    source,
                })?;
                let extent = blob
                    .and_then(|b| crate::geom::decode_blob(&b).ok())
                    .and_then(|g| Geometry::envelope(&g.geometry));
                found.push((rank, text, fid, extent));
            }
        }
        // Road sections and the drains along one road share its code: one hit each.
        found = merge_sections(found);
        let srs_id = layer.srs.as_ref().map(|s| s.srs_id);
        for (rank, text, fid, extent) in found {
            if hits.iter().any(|(_, h)| h.layer == name && h.fid == fid) {
                continue;
            }
            hits.push((
                rank,
                SearchHit {
                    layer: name.to_string(),
                    fid,
                    label: text,
                    extent: extent.map(|e| [e.min_x, e.min_y, e.max_x, e.max_y]),
                    srs_id,
                },
            ));
        }
    }
    hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.label.cmp(&b.1.label)));
    Ok(hits.into_iter().take(LIMIT).map(|(_, h)| h).collect())
}

/// The feature a typed or scanned number names exactly: an equipment asset
/// number, a pole number or a pole's asset number (a USB barcode scanner
/// types the label's text and Enter). A label carrying `prefix:NUMBER` is
/// read by the part after the last colon.
pub fn find_number(gpkg: &GeoPackage, text: &str) -> Result<Option<SearchHit>, GpkgError> {
    let text = text.trim();
    let mut candidates = vec![text];
    if let Some((_, tail)) = text.rsplit_once(':') {
        candidates.push(tail.trim());
    }
    let layers = gpkg.layers()?;
    for number in candidates.into_iter().filter(|c| !c.is_empty()) {
        for (name, column) in [("equipment", "asset_no"), ("poles", "pole_no"), ("poles", "asset_no")] {
            let Some(layer) = layers.iter().find(|l| l.name == name && l.kind == LayerKind::Features) else {
                continue;
            };
            let geom = quote_ident(layer.geometry_column.as_deref().unwrap_or("geom"));
            let sql = format!(
                "SELECT fid, {c}, {geom} FROM {} WHERE {c} = ?1 ORDER BY fid LIMIT 1",
                quote_ident(name),
                c = quote_ident(column)
            );
            let found = gpkg
                .connection()
                .query_row(&sql, [number], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<Vec<u8>>>(2)?,
                    ))
                })
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    source => Err(GpkgError::Sqlite {
                        context: format!("finding {number} in {name}"),
                        source,
                    }),
                })?;
            if let Some((fid, label, blob)) = found {
                let extent = blob
                    .and_then(|b| crate::geom::decode_blob(&b).ok())
                    .and_then(|g| Geometry::envelope(&g.geometry));
                return Ok(Some(SearchHit {
                    layer: name.to_string(),
                    fid,
                    label,
                    extent: extent.map(|e| [e.min_x, e.min_y, e.max_x, e.max_y]),
                    srs_id: layer.srs.as_ref().map(|s| s.srs_id),
                }));
            }
        }
    }
    Ok(None)
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// One hit per label (a road's name or code), covering all its sections.
fn merge_sections(found: Vec<(u8, String, i64, Option<Envelope>)>) -> Vec<(u8, String, i64, Option<Envelope>)> {
    let mut merged: Vec<(u8, String, i64, Option<Envelope>)> = Vec::new();
    for (rank, text, fid, extent) in found {
        match merged.iter_mut().find(|m| m.1 == text) {
            Some(m) => {
                m.0 = m.0.min(rank);
                m.2 = m.2.min(fid);
                m.3 = match (m.3, extent) {
                    (Some(a), Some(b)) => Some(a.union(&b)),
                    (a, b) => a.or(b),
                };
            }
            None => merged.push((rank, text, fid, extent)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoOptions};
    use crate::progress::Silent;

    #[test]
    fn finds_poles_roads_and_landmarks_in_thai_and_english() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.gpkg");
        generate(&path, &DemoOptions::default(), false, &Silent).unwrap();
        let g = GeoPackage::open(&path).unwrap();

        let pole = search(&g, "นส.01-0001").unwrap();
        assert_eq!(
            (pole[0].layer.as_str(), pole[0].label.as_str()),
            ("poles", "นส.01-0001")
        );

        let road = search(&g, "นภ.ถ1-1").unwrap();
        assert_eq!(road[0].label, "นภ.ถ 1-0001", "codes are found however they are typed");
        let sections: i64 = g
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM roads WHERE road_code = 'นภ.ถ 1-0001'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sections > 1, "the first road has several sections");
        let whole = road[0].extent.unwrap();
        let first: (f64, f64) = g
            .connection()
            .query_row(
                "SELECT ST_MinX(geom), ST_MaxX(geom) FROM roads WHERE road_code = 'นภ.ถ 1-0001' ORDER BY fid LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(
            whole[2] - whole[0] >= first.1 - first.0,
            "the hit covers the whole road"
        );

        let office = search(&g, "สำนักงานเทศบาล").unwrap();
        assert!(office
            .iter()
            .any(|h| h.layer == "landmarks" && h.label == "สำนักงานเทศบาลตำบลโนนสะอาด"));
        let english = search(&g, "municipal office").unwrap();
        assert!(
            english
                .iter()
                .any(|h| h.label == "Non Sa-at Subdistrict Municipality Office"),
            "{english:?}"
        );
        assert!(search(&g, "   ").unwrap().is_empty());

        let asset: String = g
            .connection()
            .query_row("SELECT asset_no FROM equipment ORDER BY fid LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let hit = find_number(&g, &format!(" {asset}\n")).unwrap().unwrap();
        assert_eq!((hit.layer.as_str(), hit.label.as_str()), ("equipment", asset.as_str()));
        let scanned = find_number(&g, "tongtin:pole:นส.01-0001").unwrap().unwrap();
        assert_eq!(
            (scanned.layer.as_str(), scanned.label.as_str()),
            ("poles", "นส.01-0001")
        );
        assert!(scanned.extent.is_some());
        assert!(find_number(&g, "416-99-9999").unwrap().is_none());
        assert!(
            search(&g, "100%_").unwrap().is_empty(),
            "LIKE wildcards are taken literally"
        );
    }
}
