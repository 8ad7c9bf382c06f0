-- The photos of features, as an OGC Related Tables media table (GeoPackage
-- 1.3 / OGC 18-000): QGIS and GDAL see the photos of each layer through
-- gpkgext_relations. `uid` makes photos journaled like features; their bytes
-- are not (BLOB columns are not captured).
CREATE TABLE IF NOT EXISTS tongtin_photos (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  data BLOB NOT NULL,
  content_type TEXT NOT NULL,
  uid TEXT NOT NULL UNIQUE,
  feature_layer TEXT NOT NULL,
  feature_uid TEXT NOT NULL,
  file_name TEXT,
  sha256 TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  byte_size INTEGER,
  created_at DATETIME,
  created_by TEXT
);
CREATE INDEX IF NOT EXISTS tongtin_photos_feature ON tongtin_photos (feature_layer, feature_uid);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
  VALUES ('tongtin_photos', 'attributes', 'รูปถ่าย', 'Photos of features', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
CREATE TABLE IF NOT EXISTS gpkgext_relations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  base_table_name TEXT NOT NULL,
  base_primary_column TEXT NOT NULL DEFAULT 'id',
  related_table_name TEXT NOT NULL,
  related_primary_column TEXT NOT NULL DEFAULT 'id',
  relation_name TEXT NOT NULL,
  mapping_table_name TEXT NOT NULL UNIQUE
);
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
  SELECT 'gpkgext_relations', NULL, 'gpkg_related_tables', 'http://www.geopackage.org/18-000.html', 'read-write'
  WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = 'gpkgext_relations' AND extension_name = 'gpkg_related_tables');
