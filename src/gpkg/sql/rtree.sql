-- The R-tree spatial index of one geometry column with the GeoPackage 1.2
-- trigger set (as GDAL 3.6 writes it). Placeholders: {rtree} the index
-- name, {t} the table, {c} the geometry column, {i} the primary key, {tq}
-- {cq} {iq} {rtq} their quoted forms, {tl} {cl} their SQL string literals.
CREATE VIRTUAL TABLE {rtq} USING rtree(id, minx, maxx, miny, maxy);
INSERT INTO {rtq} SELECT {iq}, ST_MinX({cq}), ST_MaxX({cq}), ST_MinY({cq}), ST_MaxY({cq}) FROM {tq} WHERE {cq} NOT NULL AND NOT ST_IsEmpty({cq});
CREATE TRIGGER "{rtree}_insert" AFTER INSERT ON {tq} WHEN (new.{cq} NOT NULL AND NOT ST_IsEmpty(NEW.{cq})) BEGIN INSERT OR REPLACE INTO {rtq} VALUES (NEW.{iq},ST_MinX(NEW.{cq}), ST_MaxX(NEW.{cq}),ST_MinY(NEW.{cq}), ST_MaxY(NEW.{cq})); END;
CREATE TRIGGER "{rtree}_update1" AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND (NEW.{cq} NOTNULL AND NOT ST_IsEmpty(NEW.{cq})) BEGIN INSERT OR REPLACE INTO {rtq} VALUES (NEW.{iq},ST_MinX(NEW.{cq}), ST_MaxX(NEW.{cq}),ST_MinY(NEW.{cq}), ST_MaxY(NEW.{cq})); END;
CREATE TRIGGER "{rtree}_update2" AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND (NEW.{cq} ISNULL OR ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {rtq} WHERE id = OLD.{iq}; END;
CREATE TRIGGER "{rtree}_update3" AFTER UPDATE ON {tq} WHEN OLD.{iq} != NEW.{iq} AND (NEW.{cq} NOTNULL AND NOT ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {rtq} WHERE id = OLD.{iq}; INSERT OR REPLACE INTO {rtq} VALUES (NEW.{iq},ST_MinX(NEW.{cq}), ST_MaxX(NEW.{cq}),ST_MinY(NEW.{cq}), ST_MaxY(NEW.{cq})); END;
CREATE TRIGGER "{rtree}_update4" AFTER UPDATE ON {tq} WHEN OLD.{iq} != NEW.{iq} AND (NEW.{cq} ISNULL OR ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {rtq} WHERE id IN (OLD.{iq}, NEW.{iq}); END;
CREATE TRIGGER "{rtree}_delete" AFTER DELETE ON {tq} WHEN old.{cq} NOT NULL BEGIN DELETE FROM {rtq} WHERE id = OLD.{iq}; END;
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES ({tl}, {cl}, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
