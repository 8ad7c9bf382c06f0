-- The bytes of removed photos, by SHA-256. The journal keeps a photo's row
-- but not its bytes (BLOB columns are not captured), so putting a removed
-- photo back (a restore from its history, or a sync that brings its row
-- again) takes them from here. The trigger archives whoever deletes: the app,
-- a sync, QGIS or a script. Not registered in gpkg_contents, like the journal.
CREATE TABLE IF NOT EXISTS tongtin_photo_archive (
  sha256 TEXT PRIMARY KEY NOT NULL,
  data BLOB NOT NULL,
  removed_at DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TRIGGER IF NOT EXISTS tongtin_photos_archive AFTER DELETE ON tongtin_photos BEGIN
  INSERT OR IGNORE INTO tongtin_photo_archive (sha256, data) VALUES (OLD.sha256, OLD.data);
END;
