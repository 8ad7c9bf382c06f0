// Vector tiles from the shell's tiles:// scheme, loaded with fetch: WebKitGTK
// hands custom-scheme fetches to the shell but does not answer
// XMLHttpRequest to them (an <img src>, as for raster tiles and photos,
// works too). A 204 is a tile with nothing in it.

import type { FeatureLike } from "ol/Feature";
import type MVT from "ol/format/MVT";
import type { LoadFunction } from "ol/Tile";
import TileState from "ol/TileState";
import type VectorTile from "ol/VectorTile";

export function fetchTileLoader(format: MVT, failed: (error: unknown) => void): LoadFunction {
  return (tile, url) => {
    const vectorTile = tile as VectorTile<FeatureLike>;
    vectorTile.setLoader((extent, _resolution, projection) => {
      fetch(url)
        .then((response) => (response.status === 204 ? new ArrayBuffer(0) : response.arrayBuffer()))
        .then((data) => {
          vectorTile.setFeatures(format.readFeatures(data, { extent, featureProjection: projection }) as FeatureLike[]);
        })
        .catch((error: unknown) => {
          failed(error);
          vectorTile.setState(TileState.ERROR);
        });
    });
  };
}
