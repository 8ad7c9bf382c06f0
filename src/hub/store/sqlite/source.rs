//! One organisation's data inside a SQLite transaction: the
//! [`Ledger`] that [`crate::sync::accept`] merges pushes into.

use rusqlite::{params, OptionalExtension, Transaction};

use super::error::SqliteStoreError;
use super::queries;
use crate::sync::{Conflict, Entry, EntryChange, FeatureState, Ledger, WireOp};

/// The ledger of `org_id` on a transaction begun with `BEGIN IMMEDIATE`, so
/// no other push runs meanwhile; `seq` is the organisation's last log position.
pub struct SqliteLedger<'t> {
    pub tx: &'t Transaction<'t>,
    pub org_id: i64,
    pub seq: i64,
}

impl Ledger for SqliteLedger<'_> {
    type Error = SqliteStoreError;

    fn has_op(&mut self, op_id: &str) -> Result<bool, Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("has_op"))?;
        Ok(st.query_row(params![self.org_id, op_id], |r| r.get(0))?)
    }

    fn mark_op(&mut self, op: &WireOp) -> Result<(), Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("mark_op"))?;
        st.execute(params![self.org_id, op.op_id, self.seq])?;
        Ok(())
    }

    fn state(&mut self, layer: &str, uid: &str) -> Result<Option<FeatureState>, Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("state"))?;
        let json: Option<String> = st
            .query_row(params![self.org_id, layer, uid], |r| r.get(0))
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    fn put_state(&mut self, layer: &str, uid: &str, state: &FeatureState) -> Result<(), Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("put_state"))?;
        st.execute(params![
            self.org_id,
            layer,
            uid,
            state.is_live(),
            serde_json::to_string(state)?
        ])?;
        Ok(())
    }

    fn append(&mut self, op: &WireOp, change: &EntryChange) -> Result<i64, Self::Error> {
        self.seq += 1;
        let entry = Entry::of(self.seq, op, change);
        let mut st = self.tx.prepare_cached(queries().get("append"))?;
        st.execute(params![self.org_id, self.seq, op.op_id, serde_json::to_string(&entry)?])?;
        Ok(self.seq)
    }

    fn deleted_by_edit(&mut self, edit_id: &str) -> Result<Vec<(String, String)>, Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("deleted_by_edit"))?;
        let rows = st.query_map(params![self.org_id, edit_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn put_conflict(&mut self, conflict: &Conflict) -> Result<(), Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("put_conflict"))?;
        st.execute(params![
            self.org_id,
            conflict.id,
            conflict.layer,
            conflict.uid,
            serde_json::to_string(conflict)?
        ])?;
        Ok(())
    }

    fn resolve(&mut self, conflict_id: &str, op: &WireOp) -> Result<bool, Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("resolve"))?;
        Ok(st.execute(params![self.org_id, conflict_id, op.op_id])? == 1)
    }

    fn missing_blobs(&mut self, sha256: &[String]) -> Result<Vec<String>, Self::Error> {
        let mut st = self.tx.prepare_cached(queries().get("blob_complete"))?;
        let mut missing = Vec::new();
        for sha in sha256 {
            let complete: Option<bool> = st.query_row(params![self.org_id, sha], |r| r.get(0)).optional()?;
            if complete != Some(true) && !missing.contains(sha) {
                missing.push(sha.clone());
            }
        }
        Ok(missing)
    }

    fn last_seq(&mut self) -> Result<i64, Self::Error> {
        Ok(self.seq)
    }
}
