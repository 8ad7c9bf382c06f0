-- The relation between one layer and its photos: the mapping table the
-- extension requires, kept in step with tongtin_photos by triggers, so that a
-- photo added or removed by any tool keeps the mapping right.
CREATE TABLE {mq} (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  base_id INTEGER NOT NULL,
  related_id INTEGER NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
  VALUES ({ml}, 'attributes', {ml}, 'Photos of ' || {tl}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
  VALUES ({ml}, NULL, 'gpkg_related_tables', 'http://www.geopackage.org/18-000.html', 'read-write');
INSERT INTO gpkgext_relations (base_table_name, base_primary_column, related_table_name, related_primary_column, relation_name, mapping_table_name)
  VALUES ({tl}, 'fid', 'tongtin_photos', 'id', 'media', {ml});
INSERT INTO {mq} (base_id, related_id)
  SELECT b.fid, p.id FROM tongtin_photos p JOIN {tq} b ON b.uid = p.feature_uid WHERE p.feature_layer = {tl};
CREATE TRIGGER {link} AFTER INSERT ON tongtin_photos WHEN NEW.feature_layer = {tl} BEGIN
  INSERT INTO {mq} (base_id, related_id) SELECT fid, NEW.id FROM {tq} WHERE uid = NEW.feature_uid;
END;
CREATE TRIGGER {unlink} AFTER DELETE ON tongtin_photos WHEN OLD.feature_layer = {tl} BEGIN
  DELETE FROM {mq} WHERE related_id = OLD.id;
END;
