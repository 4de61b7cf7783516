# tests/fuzz/fuzz.mk - fuzz targets and their corpus replay (issue 7).
