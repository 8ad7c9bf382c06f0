/// One kind of tile the app can draw: vector features, shaded relief, contour lines, …
/// Each backend makes its tiles on the thread it lives on.
pub trait TileSource {
    /// The MIME type of what [`TileSource::tile`] returns.
    fn content_type(&self) -> &'static str;
    /// The tile's bytes; empty when the tile has nothing to show.
    fn tile(&self, id: super::TileId) -> Result<Vec<u8>, super::TileError>;
}
