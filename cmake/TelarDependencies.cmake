# Finds the system libraries Telar is built on (all from Debian 12 packages; scripts/setup installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
pkg_check_modules(TOMLPLUSPLUS REQUIRED IMPORTED_TARGET tomlplusplus)
# fabrication packages: zip archives and XLSX workbooks
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)

# OpenCASCADE: link the toolkits we use directly. Debian's OpenCASCADEConfig pulls in every
# module (including Draw) and TBB; naming the toolkits keeps the link small and the configure fast.
find_path(OCCT_INCLUDE_DIR Standard_Version.hxx PATH_SUFFIXES opencascade REQUIRED)
set(TELAR_OCCT_TOOLKITS
  TKernel TKMath TKG2d TKG3d TKGeomBase TKBRep TKGeomAlgo TKTopAlgo TKPrim TKBO TKBool TKShHealing
  TKMesh TKLCAF TKCAF TKCDF TKXCAF TKXSBase TKSTEPBase TKSTEPAttr TKSTEP209 TKSTEP TKXDESTEP
  TKIGES TKXDEIGES TKSTL TKRWMesh TKService TKV3d TKHLR TKFillet TKOffset TKBin TKBinL TKBinXCAF)
set(TELAR_OCCT_LIBRARIES "")
foreach(tk IN LISTS TELAR_OCCT_TOOLKITS)
  find_library(OCCT_${tk}_LIBRARY ${tk} REQUIRED)
  list(APPEND TELAR_OCCT_LIBRARIES ${OCCT_${tk}_LIBRARY})
endforeach()
add_library(telar_occt INTERFACE)
add_library(telar::occt ALIAS telar_occt)
target_include_directories(telar_occt SYSTEM INTERFACE ${OCCT_INCLUDE_DIR})
target_link_libraries(telar_occt INTERFACE ${TELAR_OCCT_LIBRARIES})

if(TELAR_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()
