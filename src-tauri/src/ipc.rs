//! The IPC contract between the shell and the UI.
//!
//! Every type the UI receives is defined here, on the shell side, and filled
//! from the core's types: a change inside the core does not silently change
//! what the UI is sent, and no core error type crosses the bridge. The UI
//! words errors itself, in Thai or English, from `IpcError::code`
//! (see `ui/src/i18n.ts`); `message` carries the core's technical detail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::Serialize;
use tongtin::demo::{DemoError, DemoOptions};
use tongtin::gpkg::{GeoPackage, GpkgError};
use tongtin::info::{FileInfo, LayerInfo};
use tongtin::model::{FieldType, Schema};
use tongtin::progress::Silent;

/// An error as the UI sees it: `{ code, message, path }`.
#[derive(Debug, Serialize, PartialEq)]
pub struct IpcError {
    /// Stable, machine-readable: `not_found`, `not_a_file`, `io`,
    /// `not_geopackage`, `truncated`, `corrupt`, `gpkg`, `demo`, `no_data_dir`,
    /// `internal`.
    pub code: &'static str,
    /// The technical detail, in English, for the "details" line.
    pub message: String,
    /// The file concerned, when there is one.
    pub path: Option<String>,
    /// For a refused edit (`invalid`, `bad_photo`): every problem, by field,
    /// in both languages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// One broken rule of a refused edit.
#[derive(Debug, Serialize, PartialEq)]
pub struct Problem {
    pub field: String,
    pub th: String,
    pub en: String,
}

impl IpcError {
    pub fn new(code: &'static str, message: impl ToString, path: Option<&Path>) -> Self {
        IpcError {
            code,
            message: message.to_string(),
            path: path.map(|p| p.display().to_string()),
            problems: Vec::new(),
        }
    }

    pub fn with_problems(mut self, problems: Vec<tongtin::model::FieldProblem>) -> Self {
        self.problems = problems
            .into_iter()
            .map(|p| Problem {
                field: p.field,
                th: p.th,
                en: p.en,
            })
            .collect();
        self
    }

    pub fn at(mut self, path: &Path) -> Self {
        self.path = Some(path.display().to_string());
        self
    }

    fn gpkg(e: GpkgError, path: &Path) -> Self {
        let code = match &e {
            GpkgError::NotFound { .. } => "not_found",
            GpkgError::NotAFile { .. } => "not_a_file",
            GpkgError::Io { .. } => "io",
            GpkgError::NotSqlite { .. } | GpkgError::NotGeoPackage { .. } => "not_geopackage",
            GpkgError::Truncated { .. } => "truncated",
            GpkgError::Corrupt { .. } => "corrupt",
            _ => "gpkg",
        };
        IpcError::new(code, e, Some(path))
    }
}

/// What the window shows about an open file.
#[derive(Debug, Serialize)]
pub struct FileSummary {
    pub path: String,
    pub gpkg_version: Option<String>,
    /// The Tongtin data model version of the file, `None` for other GeoPackages.
    pub schema_version: Option<u32>,
    /// Last modification, milliseconds since 1970 (the UI shows it in พ.ศ.).
    pub modified_ms: Option<u64>,
    pub size_bytes: Option<u64>,
    pub layers: Vec<LayerSummary>,
}

#[derive(Debug, Serialize)]
pub struct LayerSummary {
    pub name: String,
    pub kind: String,
    pub identifier: Option<String>,
    pub geometry_type: Option<String>,
    /// `XY`, `XYZ`, `XYM` or `XYZM`; `None` without geometry.
    pub dimensions: Option<&'static str>,
    pub srs: Option<String>,
    pub count: u64,
    pub count_of: &'static str,
    /// [min x, min y, max x, max y] in the layer's SRS.
    pub extent: Option<[f64; 4]>,
    pub zoom_levels: Option<[i64; 2]>,
    pub spatial_index: bool,
}

impl From<LayerInfo> for LayerSummary {
    fn from(l: LayerInfo) -> Self {
        LayerSummary {
            dimensions: l.geometry_type.as_ref().map(|_| l.dimensions()),
            name: l.name,
            kind: l.kind,
            identifier: l.identifier,
            geometry_type: l.geometry_type,
            srs: l.srs,
            count: l.count,
            count_of: l.count_of,
            extent: l.extent,
            zoom_levels: l.zoom_levels,
            spatial_index: l.spatial_index,
        }
    }
}

impl FileSummary {
    fn new(info: FileInfo, meta: Option<std::fs::Metadata>) -> Self {
        let modified_ms = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_millis() as u64);
        FileSummary {
            path: info.file,
            gpkg_version: info.gpkg_version,
            schema_version: info.schema_version,
            modified_ms,
            size_bytes: meta.map(|m| m.len()),
            layers: info.layers.into_iter().map(LayerSummary::from).collect(),
        }
    }
}

/// Opens `path` read-only and summarises its layers.
pub fn summarize(path: &Path) -> Result<FileSummary, IpcError> {
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::gpkg(e, path))?;
    let info = tongtin::info::file_info(&gpkg).map_err(|e| IpcError::gpkg(e, path))?;
    Ok(FileSummary::new(info, std::fs::metadata(path).ok()))
}

/// What bringing a file up to the current data model changed.
#[derive(Debug, Serialize)]
pub struct MigrationOut {
    pub from: u32,
    pub to: u32,
    pub added_layers: Vec<String>,
    pub added_fields: Vec<String>,
}

/// Brings `path` up to this Tongtin's data model, in one transaction: all
/// of it or, on any failure, none.
pub fn migrate(path: &Path) -> Result<MigrationOut, IpcError> {
    let r = tongtin::model::migrate_file(path).map_err(|e| IpcError::new("migrate", e, Some(path)))?;
    Ok(MigrationOut {
        from: r.from,
        to: r.to,
        added_layers: r.added_layers,
        added_fields: r.added_fields,
    })
}

/// The demo municipality in `dir`, generated first if it is not there yet,
/// and brought up to the current data model (keeping a trainee's edits) if
/// an older Tongtin made it.
pub fn ensure_demo(dir: &Path) -> Result<PathBuf, IpcError> {
    let path = dir.join("demo.gpkg");
    if path.exists() {
        tongtin::model::migrate_file(&path).map_err(|e| IpcError::new("demo", e, Some(&path)))?;
    } else {
        std::fs::create_dir_all(dir).map_err(|e| IpcError::new("demo", e, Some(dir)))?;
        tongtin::demo::generate(&path, &DemoOptions::default(), false, &Silent)
            .map_err(|e: DemoError| IpcError::new("demo", e, Some(&path)))?;
    }
    Ok(path)
}

/// The data model as the UI uses it: labels in both languages.
#[derive(Debug, Serialize)]
pub struct DataModel {
    pub version: u32,
    pub layers: Vec<ModelLayer>,
    /// Raster coverages (the terrain), by table name.
    pub coverages: BTreeMap<String, ModelCoverage>,
    pub domains: BTreeMap<String, ModelDomain>,
}

#[derive(Debug, Serialize)]
pub struct ModelLayer {
    pub name: String,
    pub th: String,
    pub en: String,
    pub geometry: Option<String>,
    pub fields: Vec<ModelField>,
}

#[derive(Debug, Serialize)]
pub struct ModelField {
    pub name: String,
    pub th: String,
    pub en: String,
    #[serde(rename = "type")]
    pub field_type: &'static str,
    pub required: bool,
    pub domain: Option<String>,
    /// Unique within the file (pole number, asset number).
    pub unique: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// A text format the value must follow: `road_code` (นภ.ถ 1-0012).
    pub format: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct ModelCoverage {
    pub th: String,
    pub en: String,
    pub uom: String,
}

#[derive(Debug, Serialize)]
pub struct ModelDomain {
    pub th: String,
    pub en: String,
    pub values: Vec<ModelDomainValue>,
}

#[derive(Debug, Serialize)]
pub struct ModelDomainValue {
    pub code: String,
    pub th: String,
    pub en: String,
}

fn field_type_name(t: FieldType) -> &'static str {
    match t {
        FieldType::Text => "text",
        FieldType::Integer => "integer",
        FieldType::Real => "real",
        FieldType::Date => "date",
        FieldType::Datetime => "datetime",
        FieldType::Boolean => "boolean",
    }
}

impl From<&Schema> for DataModel {
    fn from(s: &Schema) -> Self {
        DataModel {
            version: s.version,
            layers: s
                .layers
                .iter()
                .map(|l| ModelLayer {
                    name: l.name.clone(),
                    th: l.th.clone(),
                    en: l.en.clone(),
                    geometry: l.geometry.clone(),
                    fields: l
                        .fields
                        .iter()
                        .map(|f| ModelField {
                            name: f.name.clone(),
                            th: f.th.clone(),
                            en: f.en.clone(),
                            field_type: field_type_name(f.field_type),
                            required: f.required,
                            domain: f.domain.clone(),
                            unique: f.unique,
                            min: f.min,
                            max: f.max,
                            format: f.format.map(|_| "road_code"),
                        })
                        .collect(),
                })
                .collect(),
            coverages: s
                .coverages
                .iter()
                .map(|(k, c)| {
                    let c = ModelCoverage {
                        th: c.th.clone(),
                        en: c.en.clone(),
                        uom: c.uom.clone(),
                    };
                    (k.clone(), c)
                })
                .collect(),
            domains: s
                .domains
                .iter()
                .map(|(k, d)| {
                    let values = d
                        .values
                        .iter()
                        .map(|v| ModelDomainValue {
                            code: v.code.clone(),
                            th: v.th.clone(),
                            en: v.en.clone(),
                        })
                        .collect();
                    let d = ModelDomain {
                        th: d.th.clone(),
                        en: d.en.clone(),
                        values,
                    };
                    (k.clone(), d)
                })
                .collect(),
        }
    }
}

/// A search hit, with where to zoom in Web Mercator.
#[derive(Debug, Serialize)]
pub struct SearchHit {
    pub layer: String,
    pub fid: i64,
    pub label: String,
    /// min x, min y, max x, max y in EPSG:3857.
    pub extent: Option<[f64; 4]>,
}

/// Searches the file at `path` and puts each hit's extent in Web Mercator.
pub fn search(path: &Path, query: &str) -> Result<Vec<SearchHit>, IpcError> {
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::gpkg(e, path))?;
    let hits = tongtin::search::search(&gpkg, query).map_err(|e| IpcError::gpkg(e, path))?;
    let mut out = Vec::with_capacity(hits.len());
    for hit in hits {
        let extent = match (hit.extent, hit.srs_id) {
            (Some(e), Some(srs)) => {
                let t = tongtin::crs::Transformer::new(srs, 3857).map_err(|e| IpcError::new("crs", e, Some(path)))?;
                let a = t.convert(e[0], e[1]).map_err(|e| IpcError::new("crs", e, Some(path)))?;
                let b = t.convert(e[2], e[3]).map_err(|e| IpcError::new("crs", e, Some(path)))?;
                Some([a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)])
            }
            _ => None,
        };
        out.push(SearchHit {
            layer: hit.layer,
            fid: hit.fid,
            label: hit.label,
            extent,
        });
    }
    Ok(out)
}

/// One attribute as the identify panel shows it.
#[derive(Debug, Serialize)]
pub struct IdentifyField {
    pub name: String,
    pub th: String,
    pub en: String,
    /// The value as text (numbers as written, NULL as null).
    pub value: Option<String>,
    pub value_th: Option<String>,
    pub value_en: Option<String>,
}

/// A feature as the identify panel shows it, with its child rows (lamps).
#[derive(Debug, Serialize)]
pub struct Identified {
    pub layer: String,
    pub th: String,
    pub en: String,
    pub fid: i64,
    pub fields: Vec<IdentifyField>,
    pub children: Vec<Identified>,
}

impl From<tongtin::identify::FeatureDetails> for Identified {
    fn from(d: tongtin::identify::FeatureDetails) -> Self {
        Identified {
            layer: d.layer,
            th: d.layer_th,
            en: d.layer_en,
            fid: d.fid,
            fields: d
                .fields
                .into_iter()
                .map(|f| IdentifyField {
                    name: f.name,
                    th: f.label_th,
                    en: f.label_en,
                    value: (!f.value.is_null()).then(|| f.value.to_string()),
                    value_th: f.value_th,
                    value_en: f.value_en,
                })
                .collect(),
            children: d.children.into_iter().map(Identified::from).collect(),
        }
    }
}

pub fn identify(path: &Path, layer: &str, fid: i64) -> Result<Option<Identified>, IpcError> {
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::gpkg(e, path))?;
    tongtin::identify::identify(&gpkg, layer, fid)
        .map(|d| d.map(Identified::from))
        .map_err(|e| IpcError::gpkg(e, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tongtin-app-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_missing_file_is_not_found_with_its_path() {
        let e = summarize(Path::new("/nonexistent/x.gpkg")).unwrap_err();
        assert_eq!(e.code, "not_found");
        assert_eq!(e.path.as_deref(), Some("/nonexistent/x.gpkg"));
        assert!(e.message.contains("x.gpkg"), "{}", e.message);
    }

    #[test]
    fn a_text_file_is_not_a_geopackage() {
        let dir = scratch("text");
        let p = dir.join("notes.gpkg");
        std::fs::write(&p, "this is not SQLite, it is long enough to have a header ..........................................................................").unwrap();
        assert_eq!(summarize(&p).unwrap_err().code, "not_geopackage");
        assert_eq!(summarize(&dir).unwrap_err().code, "not_a_file");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_demo_is_generated_once_and_summarised() {
        let dir = scratch("demo");
        let path = ensure_demo(&dir).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(ensure_demo(&dir).unwrap(), path);
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), modified);
        let s = summarize(&path).unwrap();
        let model = tongtin::model::schema();
        assert_eq!(s.layers.len(), model.layers.len() + model.coverages.len());
        assert_eq!(s.schema_version, Some(tongtin::model::schema().version));
        assert!(s.modified_ms.is_some() && s.size_bytes.unwrap() > 0);
        let poles = s.layers.iter().find(|l| l.name == "poles").unwrap();
        assert_eq!(poles.dimensions, Some("XY"));
        assert_eq!(poles.srs.as_deref(), Some("EPSG:32648"));
        let lamps = s.layers.iter().find(|l| l.name == "lamps").unwrap();
        assert_eq!((lamps.dimensions, lamps.count_of), (None, "rows"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_data_model_keeps_every_label() {
        let core = tongtin::model::schema();
        let model = DataModel::from(core);
        assert_eq!(model.version, core.version);
        assert_eq!(model.layers.len(), core.layers.len());
        let poles = model.layers.iter().find(|l| l.name == "poles").unwrap();
        assert!(!poles.th.is_empty() && !poles.en.is_empty());
        assert!(poles.fields.iter().all(|f| !f.th.is_empty() && !f.en.is_empty()));
        assert!(model.coverages.contains_key("terrain"));
        let json = serde_json::to_value(&model).unwrap();
        assert!(json["layers"][0]["fields"][0]["type"].is_string());
    }
}
