# FreeCAD peer for bench_cad_cold: reads each STEP file with Part.Shape().read (the geometry
# without the product structure) and measures volume, area and bounding box.
# Run: TELAR_BENCH_FILES="a.step:b.stp" freecadcmd tests/bench/freecad_measure.py
import os
import time

import Part

files = [f for f in os.environ.get("TELAR_BENCH_FILES", "").split(":") if f]
start = time.time()
volume = 0.0
for path in files:
    shape = Part.Shape()
    shape.read(path)
    volume += shape.Volume
    _ = shape.Area
    _ = shape.BoundBox
elapsed = time.time() - start
print('{"files": %d, "total_volume_mm3": %.1f, "wall_s": %.3f}' % (len(files), volume, elapsed))
