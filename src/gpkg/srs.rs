use super::{GeoPackage, GpkgError, Result, SqlContext};

/// A coordinate reference system Tongtin can write into a new file by itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KnownSrs {
    pub epsg: i32,
    pub name: &'static str,
    pub definition: &'static str,
    pub description: &'static str,
}

const KNOWN: [KnownSrs; 7] = [
    KnownSrs {
        epsg: 4326,
        name: "WGS 84 geodetic",
        definition: include_str!("srs/epsg_4326.wkt"),
        description: "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
    },
    // The 2D Gridded Coverage extension requires this row; like GDAL, without a WKT 1 definition.
    KnownSrs {
        epsg: 4979,
        name: "WGS 84 3D",
        definition: include_str!("srs/epsg_4979.wkt"),
        description: "",
    },
    KnownSrs {
        epsg: 3857,
        name: "WGS 84 / Pseudo-Mercator",
        definition: include_str!("srs/epsg_3857.wkt"),
        description: "",
    },
    KnownSrs {
        epsg: 32647,
        name: "WGS 84 / UTM zone 47N",
        definition: include_str!("srs/epsg_32647.wkt"),
        description: "",
    },
    KnownSrs {
        epsg: 32648,
        name: "WGS 84 / UTM zone 48N",
        definition: include_str!("srs/epsg_32648.wkt"),
        description: "",
    },
    KnownSrs {
        epsg: 24047,
        name: "Indian 1975 / UTM zone 47N",
        definition: include_str!("srs/epsg_24047.wkt"),
        description: "",
    },
    KnownSrs {
        epsg: 24048,
        name: "Indian 1975 / UTM zone 48N",
        definition: include_str!("srs/epsg_24048.wkt"),
        description: "",
    },
];

/// The CRS definitions shipped with Tongtin: WGS 84, Web Mercator, and the
/// UTM zones 47N/48N (WGS 84 and Indian 1975) that cover Thailand.
pub fn known_srs(epsg: i32) -> Option<KnownSrs> {
    KNOWN.into_iter().find(|s| s.epsg == epsg)
}

impl GeoPackage {
    /// Makes sure `gpkg_spatial_ref_sys` defines EPSG `epsg` under srs_id = code.
    pub fn write_known_srs(&self, epsg: i32) -> Result<()> {
        if self.srs_defined(epsg)? {
            return Ok(());
        }
        let srs = known_srs(epsg).ok_or(GpkgError::UnknownSrs(epsg))?;
        self.conn
            .execute(
                "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
                 VALUES (?1, ?2, 'EPSG', ?2, ?3, ?4)",
                rusqlite::params![srs.name, srs.epsg, srs.definition.trim(), srs.description],
            )
            .context(format!("adding EPSG:{epsg} to gpkg_spatial_ref_sys"))?;
        Ok(())
    }

    pub fn srs_defined(&self, srs_id: i32) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?1)",
                [srs_id],
                |r| r.get(0),
            )
            .context("reading gpkg_spatial_ref_sys")
    }
}
