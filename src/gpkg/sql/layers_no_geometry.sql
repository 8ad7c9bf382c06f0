-- Every registered table, for files without gpkg_geometry_columns (tiles only).
SELECT c.table_name, c.data_type, c.identifier, c.description, c.last_change,
       c.min_x, c.min_y, c.max_x, c.max_y,
       g.column_name, g.geometry_type_name, g.z, g.m,
       COALESCE(g.srs_id, c.srs_id), s.organization, s.organization_coordsys_id, s.srs_name
FROM gpkg_contents c
LEFT JOIN (SELECT NULL AS table_name, NULL AS column_name, NULL AS geometry_type_name, NULL AS z, NULL AS m, NULL AS srs_id) g ON 0
LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = COALESCE(g.srs_id, c.srs_id)
ORDER BY c.table_name
