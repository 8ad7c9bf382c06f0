-- The capture triggers of one table. Only core SQL (quote, ||), so that any
-- tool writing the file, with any SQLite, fires them without extra functions.
CREATE TRIGGER {trigger_insert} AFTER INSERT ON {tq} BEGIN
  INSERT INTO tongtin_capture (tbl, fid, op, layout, new) VALUES ({tl}, NEW.{pk}, 'insert', {layout}, {new});
END;
CREATE TRIGGER {trigger_update} AFTER UPDATE ON {tq} BEGIN
  INSERT INTO tongtin_capture (tbl, fid, op, layout, old, new) VALUES ({tl}, NEW.{pk}, 'update', {layout}, {old}, {new});
END;
CREATE TRIGGER {trigger_delete} AFTER DELETE ON {tq} BEGIN
  INSERT INTO tongtin_capture (tbl, fid, op, layout, old) VALUES ({tl}, OLD.{pk}, 'delete', {layout}, {old});
END;
