-- GDAL's feature-count cache for one table, kept by triggers so that every
-- writer (Tongtin, GDAL, QGIS, a script) keeps it exact. {tq}: quoted table,
-- {tl}: table as an SQL string literal, {t}: raw name for trigger names.
INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) VALUES ({tl}, (SELECT COUNT(*) FROM {tq}));
CREATE TRIGGER "trigger_insert_feature_count_{t}" AFTER INSERT ON {tq} BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower({tl}); END;
CREATE TRIGGER "trigger_delete_feature_count_{t}" AFTER DELETE ON {tq} BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower({tl}); END;
