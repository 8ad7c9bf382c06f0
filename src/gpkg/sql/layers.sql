-- Every registered table with its geometry column and SRS, if any.
SELECT c.table_name, c.data_type, c.identifier, c.description, c.last_change,
       c.min_x, c.min_y, c.max_x, c.max_y,
       g.column_name, g.geometry_type_name, g.z, g.m,
       COALESCE(g.srs_id, c.srs_id), s.organization, s.organization_coordsys_id, s.srs_name
FROM gpkg_contents c
LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = COALESCE(g.srs_id, c.srs_id)
ORDER BY c.table_name
