//! One organisation's data inside a PostgreSQL transaction that holds the
//! organisation's row lock: the [`Ledger`] that [`crate::sync::accept`]
//! merges pushes into.
//!
//! A push of thousands of ops would cost several round trips each; instead
//! the ledger reads the ops' known ids and features in two queries first,
//! answers the merge from memory, and writes ops, log entries and features
//! as three array inserts at the end ([`PgLedger::flush`]), still inside the
//! same transaction and lock. Each feature written also gets its decoded
//! attributes (JSONB) and its geometry (PostGIS), and its layer's view in
//! the organisation's schema gains any new field.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use postgres::Transaction;

use super::error::PostgresStoreError;
use super::queries;
use crate::geom::{decode_blob, write_wkb};
use crate::gpkg::Value;
use crate::journal::parse_list;
use crate::sync::{Conflict, Entry, EntryChange, FeatureState, Ledger, WireOp};

type Key = (String, String);

pub struct PgLedger<'a, 't> {
    tx: &'a mut Transaction<'t>,
    org_id: i64,
    org_code: String,
    seq: i64,
    known: HashSet<String>,
    states: HashMap<Key, Option<FeatureState>>,
    dirty: BTreeSet<Key>,
    new_ops: (Vec<String>, Vec<i64>),
    log: (Vec<i64>, Vec<String>, Vec<String>),
}

impl<'a, 't> PgLedger<'a, 't> {
    /// Reads what the merge of `ops` will ask: which ops the organisation
    /// has, and the features they touch. `seq` is its last log position.
    pub fn begin(
        tx: &'a mut Transaction<'t>,
        org_id: i64,
        org_code: &str,
        seq: i64,
        ops: &[WireOp],
    ) -> Result<Self, PostgresStoreError> {
        let ids: Vec<&str> = ops.iter().map(|o| o.op_id.as_str()).collect();
        let known = tx
            .query(queries().get("known_ops"), &[&org_id, &ids])?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect();
        let keys: BTreeSet<(&str, &str)> = ops.iter().map(|o| (o.layer.as_str(), o.uid.as_str())).collect();
        let (layers, uids): (Vec<&str>, Vec<&str>) = keys.iter().copied().unzip();
        let mut states: HashMap<Key, Option<FeatureState>> = keys
            .iter()
            .map(|(l, u)| ((l.to_string(), u.to_string()), None))
            .collect();
        for row in tx.query(queries().get("states"), &[&org_id, &layers, &uids])? {
            let state: FeatureState = serde_json::from_str(row.get::<_, &str>(2))?;
            states.insert((row.get(0), row.get(1)), Some(state));
        }
        Ok(PgLedger {
            tx,
            org_id,
            org_code: org_code.to_string(),
            seq,
            known,
            states,
            dirty: BTreeSet::new(),
            new_ops: Default::default(),
            log: Default::default(),
        })
    }

    /// Writes what the merge decided; returns the last log position.
    pub fn flush(self) -> Result<i64, PostgresStoreError> {
        let q = queries();
        if !self.new_ops.0.is_empty() {
            self.tx
                .execute(q.get("put_ops"), &[&self.org_id, &self.new_ops.0, &self.new_ops.1])?;
        }
        if !self.log.0.is_empty() {
            self.tx
                .execute(q.get("put_log"), &[&self.org_id, &self.log.0, &self.log.1, &self.log.2])?;
        }
        let mut cols = FeatureColumns::default();
        let mut seen: BTreeMap<String, BTreeMap<String, &'static str>> = BTreeMap::new();
        for key in &self.dirty {
            let Some(Some(state)) = self.states.get(key) else {
                continue;
            };
            let decoded = decode(state);
            if state.is_live() {
                let fields = seen.entry(key.0.clone()).or_default();
                for (name, kind) in &decoded.kinds {
                    let k = fields.entry(name.clone()).or_insert(kind);
                    if *k != *kind {
                        *k = "text";
                    }
                }
            }
            cols.layer.push(key.0.clone());
            cols.uid.push(key.1.clone());
            cols.live.push(state.is_live());
            cols.state.push(serde_json::to_string(state)?);
            cols.attributes.push(decoded.attributes.to_string());
            cols.srid.push(decoded.geometry.as_ref().map(|g| g.1));
            cols.wkb.push(decoded.geometry.map(|g| g.0));
        }
        if !cols.layer.is_empty() {
            self.tx.execute(
                q.get("put_states"),
                &[
                    &self.org_id,
                    &cols.layer,
                    &cols.uid,
                    &cols.live,
                    &cols.state,
                    &cols.attributes,
                    &cols.wkb,
                    &cols.srid,
                ],
            )?;
        }
        update_views(self.tx, self.org_id, &self.org_code, &seen)?;
        Ok(self.seq)
    }
}

#[derive(Default)]
struct FeatureColumns {
    layer: Vec<String>,
    uid: Vec<String>,
    live: Vec<bool>,
    state: Vec<String>,
    attributes: Vec<String>,
    wkb: Vec<Option<Vec<u8>>>,
    srid: Vec<Option<i32>>,
}

/// A feature's values for SQL readers.
struct Decoded {
    /// Field to decoded value (integers and reals as numbers, text as
    /// strings, other BLOBs as `\x…` hex); the geometry left out.
    attributes: serde_json::Value,
    /// Field to its kind: `number`, `text` or `geometry`.
    kinds: Vec<(String, &'static str)>,
    /// The `geom` field as ISO WKB and SRID.
    geometry: Option<(Vec<u8>, i32)>,
}

/// The geometry field of Tongtin's layers.
const GEOMETRY_FIELD: &str = "geom";

fn decode(state: &FeatureState) -> Decoded {
    let mut attributes = serde_json::Map::new();
    let mut kinds = Vec::new();
    let mut geometry = None;
    for (field, literal) in &state.row {
        let Some(value) = parse_list(literal).ok().and_then(|mut v| v.pop()) else {
            continue;
        };
        if field == GEOMETRY_FIELD {
            if let Value::Blob(blob) = &value {
                if let Ok(stored) = decode_blob(blob) {
                    let mut wkb = Vec::new();
                    write_wkb(&stored.geometry, &mut wkb);
                    geometry = Some((wkb, stored.srs_id.max(0)));
                    kinds.push((field.clone(), "geometry"));
                    continue;
                }
            }
        }
        let (json, kind) = match value {
            Value::Null => continue,
            Value::Integer(i) => (serde_json::Value::from(i), "number"),
            Value::Real(r) => (serde_json::Value::from(r), "number"),
            Value::Text(t) => (serde_json::Value::from(t), "text"),
            Value::Blob(b) => (
                serde_json::Value::from(format!("\\x{}", crate::hub::auth::hex(&b))),
                "text",
            ),
        };
        attributes.insert(field.clone(), json);
        kinds.push((field.clone(), kind));
    }
    Decoded {
        attributes: serde_json::Value::Object(attributes),
        kinds,
        geometry,
    }
}

/// The schema of an organisation's views: `org_` and its code, `-` as `_`.
pub fn org_schema(code: &str) -> String {
    format!("org_{}", code.replace('-', "_"))
}

/// Records fields not seen before and rebuilds the views of the layers that
/// gained one (or whose field changed kind).
fn update_views(
    tx: &mut Transaction<'_>,
    org_id: i64,
    org_code: &str,
    seen: &BTreeMap<String, BTreeMap<String, &'static str>>,
) -> Result<(), PostgresStoreError> {
    if seen.is_empty() {
        return Ok(());
    }
    let layers: Vec<&str> = seen.keys().map(String::as_str).collect();
    let mut known: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for row in tx.query(queries().get("layer_fields"), &[&org_id, &layers])? {
        known.entry(row.get(0)).or_default().insert(row.get(1), row.get(2));
    }
    for (layer, fields) in seen {
        let have = known.entry(layer.clone()).or_default();
        let mut changed = false;
        for (field, kind) in fields {
            let next = match have.get(field).map(String::as_str) {
                None => *kind,
                Some(k) if k == *kind => continue,
                Some("geometry") | Some("text") => continue,
                Some(_) if *kind == "geometry" => continue,
                Some(_) => "text",
            };
            tx.execute(queries().get("put_layer_field"), &[&org_id, layer, field, &next])?;
            have.insert(field.clone(), next.to_string());
            changed = true;
        }
        if changed {
            let columns: String = have
                .iter()
                .filter(|(f, k)| k.as_str() != "geometry" && f.as_str() != "uid")
                .map(|(f, k)| match k.as_str() {
                    "number" => format!(
                        ", CASE WHEN jsonb_typeof(f.attributes -> '{f}') = 'number' THEN (f.attributes ->> '{f}')::numeric END AS \"{f}\""
                    ),
                    _ => format!(", f.attributes ->> '{f}' AS \"{f}\""),
                })
                .collect();
            let sql = queries()
                .get("org_view")
                .replace("{schema}", &org_schema(org_code))
                .replace("{view}", layer)
                .replace("{columns}", &columns)
                .replace("{org_id}", &org_id.to_string())
                .replace("{layer}", layer);
            tx.batch_execute(&sql)?;
        }
    }
    Ok(())
}

impl Ledger for PgLedger<'_, '_> {
    type Error = PostgresStoreError;

    fn has_op(&mut self, op_id: &str) -> Result<bool, Self::Error> {
        Ok(self.known.contains(op_id))
    }

    fn mark_op(&mut self, op: &WireOp) -> Result<(), Self::Error> {
        self.known.insert(op.op_id.clone());
        self.new_ops.0.push(op.op_id.clone());
        self.new_ops.1.push(self.seq);
        Ok(())
    }

    fn state(&mut self, layer: &str, uid: &str) -> Result<Option<FeatureState>, Self::Error> {
        let key = (layer.to_string(), uid.to_string());
        if let Some(s) = self.states.get(&key) {
            return Ok(s.clone());
        }
        let row = self
            .tx
            .query_opt(queries().get("state"), &[&self.org_id, &layer, &uid])?;
        let state = row.map(|r| serde_json::from_str(r.get::<_, &str>(0))).transpose()?;
        self.states.insert(key, state.clone());
        Ok(state)
    }

    fn put_state(&mut self, layer: &str, uid: &str, state: &FeatureState) -> Result<(), Self::Error> {
        let key = (layer.to_string(), uid.to_string());
        self.states.insert(key.clone(), Some(state.clone()));
        self.dirty.insert(key);
        Ok(())
    }

    fn append(&mut self, op: &WireOp, change: &EntryChange) -> Result<i64, Self::Error> {
        self.seq += 1;
        let entry = Entry::of(self.seq, op, change);
        self.log.0.push(self.seq);
        self.log.1.push(op.op_id.clone());
        self.log.2.push(serde_json::to_string(&entry)?);
        Ok(self.seq)
    }

    fn put_conflict(&mut self, conflict: &Conflict) -> Result<(), Self::Error> {
        self.tx.execute(
            queries().get("put_conflict"),
            &[
                &self.org_id,
                &conflict.id,
                &conflict.layer,
                &conflict.uid,
                &serde_json::to_string(conflict)?,
            ],
        )?;
        Ok(())
    }

    fn resolve(&mut self, conflict_id: &str, op: &WireOp) -> Result<bool, Self::Error> {
        Ok(self
            .tx
            .execute(queries().get("resolve"), &[&self.org_id, &conflict_id, &op.op_id])?
            == 1)
    }

    /// The store's tombstones of the edit and those of this push not yet
    /// written (the states wait in memory until the push commits).
    fn deleted_by_edit(&mut self, edit_id: &str) -> Result<Vec<(String, String)>, Self::Error> {
        let mut found: BTreeSet<Key> = self
            .tx
            .query(queries().get("deleted_by_edit"), &[&self.org_id, &edit_id])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for (key, state) in &self.states {
            match state.as_ref().and_then(|s| s.deleted.as_ref()) {
                Some(d) if d.edit_id == edit_id => {
                    found.insert(key.clone());
                }
                _ => {
                    found.remove(key);
                }
            }
        }
        Ok(found.into_iter().collect())
    }

    fn missing_blobs(&mut self, sha256: &[String]) -> Result<Vec<String>, Self::Error> {
        let complete: HashSet<String> = self
            .tx
            .query(queries().get("complete_blobs"), &[&self.org_id, &sha256])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut missing: Vec<String> = Vec::new();
        for sha in sha256 {
            if !complete.contains(sha) && !missing.contains(sha) {
                missing.push(sha.clone());
            }
        }
        Ok(missing)
    }

    fn last_seq(&mut self) -> Result<i64, Self::Error> {
        Ok(self.seq)
    }
}
