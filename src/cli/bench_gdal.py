# The GDAL side of `tongtin bench`: the same queries through GDAL's Python
# bindings in one process, so that process start-up is not measured.
import json, sys, time
from osgeo import ogr

path, boxes_json = sys.argv[1], sys.argv[2]
boxes = json.loads(boxes_json)
ogr.UseExceptions()

opens = []
for _ in range(20):
    t = time.perf_counter()
    ds = ogr.Open(path)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    opens.append((time.perf_counter() - t) * 1000)
    ds = None

ds = ogr.Open(path)
queries = []
found = 0
for minx, miny, maxx, maxy in boxes:
    t = time.perf_counter()
    for name in ("poles", "roads"):
        lyr = ds.GetLayerByName(name)
        lyr.SetSpatialFilterRect(minx, miny, maxx, maxy)
        for f in lyr:
            f.GetGeometryRef().GetX()
            for i in range(f.GetFieldCount()):
                f.GetField(i)
            found += 1
    queries.append((time.perf_counter() - t) * 1000)
print(json.dumps({"open_ms": opens, "query_ms": queries, "found": found}))
