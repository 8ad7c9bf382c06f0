-- The journal of edits, inside the GeoPackage. Not registered in
-- gpkg_contents: GDAL and QGIS list only registered tables when the file has
-- attribute tables, so these stay out of their way (GDAL's LIST_ALL_TABLES=AUTO).
-- Values are SQL literals as SQLite's quote() writes them: exact for every
-- type (a REAL keeps all 17 digits, a BLOB is X'..').

-- Rows written by the capture triggers on every journaled table, by any
-- tool; drained into the journal by the next Tongtin transaction.
CREATE TABLE IF NOT EXISTS tongtin_capture (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl TEXT NOT NULL,
  fid INTEGER NOT NULL,
  op TEXT NOT NULL,
  layout INTEGER NOT NULL,
  old TEXT,
  new TEXT,
  at INTEGER DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

-- The column order the trigger of a table writes its literals in.
CREATE TABLE IF NOT EXISTS tongtin_capture_layouts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl TEXT NOT NULL,
  columns TEXT NOT NULL
);

-- One row per change of one feature.
CREATE TABLE IF NOT EXISTS tongtin_journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id TEXT NOT NULL UNIQUE,
  edit_id TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  user TEXT NOT NULL,
  device TEXT NOT NULL,
  origin TEXT NOT NULL,
  layer TEXT NOT NULL,
  uid TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete'))
);
CREATE INDEX IF NOT EXISTS tongtin_journal_uid ON tongtin_journal (uid);
CREATE INDEX IF NOT EXISTS tongtin_journal_hlc ON tongtin_journal (hlc);

-- The fields of each change: `old` is NULL for an insert, `new` for a delete;
-- the text 'NULL' is an SQL NULL value.
CREATE TABLE IF NOT EXISTS tongtin_journal_fields (
  seq INTEGER NOT NULL,
  field TEXT NOT NULL,
  old TEXT,
  new TEXT,
  PRIMARY KEY (seq, field)
) WITHOUT ROWID;

-- A hash of every row as the journal last knew it: how `journal check` finds
-- edits made while the capture triggers were missing (a tool that rebuilt a
-- table, a script that dropped them).
CREATE TABLE IF NOT EXISTS tongtin_journal_state (
  layer TEXT NOT NULL,
  uid TEXT NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (layer, uid)
) WITHOUT ROWID;
