//! One office's copy of the municipality file, as the sync tests use it:
//! edits through the core's editor under the office's own device name, and
//! a content hash to compare copies with.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tongtin::edit::{Change, Edit, Editor};
use tongtin::geom::Geometry;
use tongtin::gpkg::{quote_ident, GeoPackage, Value};
use tongtin::journal::{journaled_tables, Actor, Row};
use tongtin::sync::{local, KnownConflict};

pub struct Replica {
    pub path: PathBuf,
    pub actor: Actor,
}

impl Replica {
    pub fn copy_of(src: &Path, name: &str) -> Replica {
        Replica {
            path: super::copy_of(src, &format!("{name}.gpkg")),
            actor: Actor {
                user: format!("user-{name}"),
                device: format!("pc-{name}"),
            },
        }
    }

    pub fn edit(&self, changes: Vec<Change>) {
        let mut e = Editor::open(&self.path, self.actor.clone()).expect("open for editing");
        e.apply(&Edit::checked("test edit", changes)).expect("edit applies");
    }

    pub fn set(&self, layer: &str, uid: &str, field: &str, value: Value) {
        self.edit(vec![Change::Update {
            layer: layer.into(),
            uid: uid.into(),
            values: [(field.to_string(), value)].into(),
            geometry: None,
            expect: Row::new(),
        }]);
    }

    pub fn move_point(&self, layer: &str, uid: &str, dx: f64, dy: f64) {
        let (x, y) = self.xy(layer, uid);
        self.edit(vec![Change::Update {
            layer: layer.into(),
            uid: uid.into(),
            values: Row::new(),
            geometry: Some(Geometry::point(x + dx, y + dy)),
            expect: Row::new(),
        }]);
    }

    pub fn delete(&self, layer: &str, uid: &str) {
        self.edit(vec![Change::Delete {
            layer: layer.into(),
            uid: uid.into(),
        }]);
    }

    pub fn xy(&self, layer: &str, uid: &str) -> (f64, f64) {
        GeoPackage::open(&self.path)
            .unwrap()
            .connection()
            .query_row(
                &format!(
                    "SELECT ST_MinX(geom), ST_MinY(geom) FROM {} WHERE uid = ?1",
                    quote_ident(layer)
                ),
                [uid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("feature exists")
    }

    pub fn get(&self, layer: &str, uid: &str, field: &str) -> Option<Value> {
        let g = GeoPackage::open(&self.path).unwrap();
        let sql = format!(
            "SELECT {} FROM {} WHERE uid = ?1",
            quote_ident(field),
            quote_ident(layer)
        );
        let mut stmt = g.connection().prepare(&sql).unwrap();
        let mut rows = stmt.query([uid]).unwrap();
        rows.next().unwrap().map(|r| Value::from(r.get_ref(0).unwrap()))
    }

    pub fn exists(&self, layer: &str, uid: &str) -> bool {
        self.get(layer, uid, "uid").is_some()
    }

    /// The uid of the n-th pole (by fid).
    pub fn pole(&self, n: i64) -> String {
        GeoPackage::open(&self.path)
            .unwrap()
            .connection()
            .query_row("SELECT uid FROM poles ORDER BY fid LIMIT 1 OFFSET ?1", [n], |r| {
                r.get(0)
            })
            .unwrap()
    }

    pub fn conflicts(&self) -> Vec<KnownConflict> {
        local::conflicts(GeoPackage::open(&self.path).unwrap().connection(), false).unwrap()
    }

    /// A hash of every journaled row's values by uid (the fid is local to a
    /// file), photo bytes included: equal hashes, equal data.
    pub fn content_hash(&self) -> String {
        content_hash(&self.path)
    }
}

pub fn content_hash(path: &Path) -> String {
    let g = GeoPackage::open(path).unwrap();
    let conn = g.connection();
    let mut h = Sha256::new();
    for t in journaled_tables(conn).unwrap() {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {} ORDER BY uid", quote_ident(&t.table)))
            .unwrap();
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let mut rows = stmt.query([]).unwrap();
        h.update(t.table.as_bytes());
        while let Some(r) = rows.next().unwrap() {
            for (i, n) in names.iter().enumerate() {
                if *n == t.pk {
                    continue;
                }
                h.update(n.as_bytes());
                h.update(tongtin::journal::literal(&Value::from(r.get_ref(i).unwrap())).as_bytes());
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Replica {
    /// Attaches a small PNG to a feature; returns its bytes.
    pub fn attach_photo(&self, layer: &str, uid: &str) -> Vec<u8> {
        let mut png_bytes = Vec::new();
        let mut enc = png::Encoder::new(&mut png_bytes, 3, 2);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.write_header().unwrap().write_image_data(&[90u8; 18]).unwrap();
        let mut e = Editor::open(&self.path, self.actor.clone()).expect("open for editing");
        e.attach_photo(layer, uid, "pole.png", png_bytes.clone())
            .expect("the photo attaches");
        png_bytes
    }

    /// The bytes of the photos of a feature.
    pub fn photos(&self, layer: &str, uid: &str) -> Vec<Vec<u8>> {
        let g = GeoPackage::open(&self.path).unwrap();
        tongtin::edit::photo_list(g.connection(), layer, uid)
            .unwrap()
            .into_iter()
            .map(|p| {
                tongtin::edit::photo_data(g.connection(), p.id)
                    .unwrap()
                    .expect("the photo's bytes")
                    .1
            })
            .collect()
    }
}
