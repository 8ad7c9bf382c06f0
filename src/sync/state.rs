//! A feature as a sync store keeps it: its values, who wrote each one, and
//! whether it is deleted (the last values stay as the tombstone, so an edit
//! that arrives later can bring the feature back whole).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::wire::{LiteralRow, Stamp, NULL};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureState {
    /// Field values (NULL fields left out); after a delete, the last values.
    pub row: LiteralRow,
    /// The distinct writers of the values, referred to by `written_by`.
    writers: Vec<Stamp>,
    /// Field name to its writer's index in `writers`; fields absent here were
    /// written before sync knew them (the file's starting data).
    written_by: BTreeMap<String, u32>,
    /// Set when the feature is deleted: who deleted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Stamp>,
}

impl FeatureState {
    /// A new live feature with `row`, every value written by `stamp`.
    pub fn new(row: LiteralRow, stamp: &Stamp) -> FeatureState {
        let mut s = FeatureState::default();
        let names: Vec<String> = row.keys().cloned().collect();
        s.row = row;
        for name in names {
            s.stamp_field(&name, stamp);
        }
        s
    }

    pub fn is_live(&self) -> bool {
        self.deleted.is_none()
    }

    /// The value of a field as a literal (`NULL` when it has none).
    pub fn value(&self, field: &str) -> &str {
        self.row.get(field).map(String::as_str).unwrap_or(NULL)
    }

    /// Who wrote a field last (the zero stamp for starting data).
    pub fn writer(&self, field: &str) -> Stamp {
        self.written_by
            .get(field)
            .and_then(|&i| self.writers.get(i as usize))
            .cloned()
            .unwrap_or_default()
    }

    /// Sets a field's value and its writer.
    pub fn set(&mut self, field: &str, literal: &str, stamp: &Stamp) {
        if literal == NULL {
            self.row.remove(field);
        } else {
            self.row.insert(field.to_string(), literal.to_string());
        }
        self.stamp_field(field, stamp);
    }

    fn stamp_field(&mut self, field: &str, stamp: &Stamp) {
        let index = match self.writers.iter().position(|w| w == stamp) {
            Some(i) => i,
            None => {
                self.writers.push(stamp.clone());
                self.writers.len() - 1
            }
        };
        self.written_by.insert(field.to_string(), index as u32);
        self.drop_unused_writers();
    }

    fn drop_unused_writers(&mut self) {
        if self.writers.len() <= self.written_by.len().min(4) {
            return;
        }
        let used: Vec<bool> = (0..self.writers.len())
            .map(|i| self.written_by.values().any(|&w| w as usize == i))
            .collect();
        let mut remap = Vec::with_capacity(used.len());
        let mut kept = Vec::new();
        for (i, w) in self.writers.drain(..).enumerate() {
            remap.push(kept.len() as u32);
            if used[i] {
                kept.push(w);
            }
        }
        self.writers = kept;
        for w in self.written_by.values_mut() {
            *w = remap[*w as usize];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(hlc: i64) -> Stamp {
        Stamp {
            hlc,
            device: "pc".into(),
            user: "u".into(),
            op_id: format!("op{hlc}"),
            edit_id: format!("edit{hlc}"),
        }
    }

    #[test]
    fn writers_follow_their_fields_and_null_removes_the_value() {
        let row: LiteralRow = [("a".into(), "1".into()), ("b".into(), "2".into())].into();
        let mut s = FeatureState::new(row, &stamp(1));
        for hlc in 2..10 {
            s.set("a", &hlc.to_string(), &stamp(hlc));
        }
        assert_eq!(s.writer("a").hlc, 9);
        assert_eq!(s.writer("b").hlc, 1);
        assert!(s.writers.len() <= 4, "writers no field refers to are dropped");
        s.set("b", NULL, &stamp(10));
        assert_eq!(s.value("b"), NULL);
        assert!(!s.row.contains_key("b"));
        assert_eq!(s.writer("zzz"), Stamp::default());
    }
}
