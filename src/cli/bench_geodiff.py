# The reference for `tongtin bench --parts sync`: pygeodiff (the engine
# behind Mergin Maps) creating a changeset between the base and the edited
# file and applying it to a third copy; Tongtin's own tables are skipped so
# that pygeodiff diffs the same data. Prints one JSON line of seconds.
import json, sys, time

import pygeodiff

base, modified, target, changeset = sys.argv[1:5]
g = pygeodiff.GeoDiff()
skip = [
    "tongtin_capture", "tongtin_capture_layouts", "tongtin_journal", "tongtin_journal_fields",
    "tongtin_journal_state", "tongtin_meta", "tongtin_sync_state", "tongtin_conflicts",
    "tongtin_sync_resolutions", "tongtin_sync_received",
]
g.set_tables_to_skip(skip)
t = time.perf_counter()
g.create_changeset(base, modified, changeset)
create = time.perf_counter() - t
t = time.perf_counter()
changes = g.changes_count(changeset)
anything = g.has_changes(changeset)
count = time.perf_counter() - t
t = time.perf_counter()
g.apply_changeset(target, changeset)
apply = time.perf_counter() - t
print(json.dumps({"create": create, "apply": apply, "changes": changes, "anything": anything, "count": count}))
