#pragma once
// The model of a 3MF package as read: objects of every model part (meshes in millimetres,
// components), build items, colours, the declared unit. Private to the 3MF reader (threemf.cpp).

#include "telar/cad/types.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telar::cad::detail {

// Coordinates (mm) beyond this cannot be real and would overflow floats when moved.
inline constexpr double kMaxCoordinate = 1e30;

struct Reference {
    std::size_t part = 0; // model part the referenced object lives in
    int objectId = 0;
    Placement placement;
    std::size_t target = 0; // index into Model::objects once resolved
    std::size_t line = 0;
    std::size_t fromPart = 0; // where the reference is written
};

struct Object {
    int id = 0;
    std::size_t part = 0;
    std::size_t line = 0;
    std::string name; // the name attribute as written, "" when absent
    bool hasMesh = false;
    bool hasComponents = false;
    std::vector<float> xyz; // vertices in mm
    std::vector<std::uint32_t> triangles;
    std::vector<Reference> components;
    std::optional<std::pair<int, std::uint32_t>> property; // pid, pindex (object's, else first triangle's)
    std::optional<Rgb> colour;
    std::string displayName() const { return name.empty() ? "object " + std::to_string(id) : name; }
};

struct ModelPart {
    std::string path;
    double unitToMm = 1.0;
    std::map<int, std::size_t> objects;       // id → index into Model::objects
    std::map<int, std::vector<Rgb>> palettes; // basematerials and colour groups
    std::set<int> resourceIds;
};

struct Model {
    std::vector<ModelPart> parts; // [0] is the root model part
    std::map<std::string, std::size_t> partByKey;
    std::vector<Object> objects;
    std::vector<Reference> items;
    std::string unit; // as declared on the root model, "" when absent
    double unitToMm = 1.0;
    std::vector<std::string> unreadExtensions; // required extensions the reader does not know
    std::uint64_t bytesRead = 0;               // of model parts, uncompressed
};

// Opens the package, reads its root model part and every model part the production extension
// refers to, and resolves object references. Throws CadError{file, reason} for an unreadable
// package, a missing part, malformed XML, out-of-range indices or values, dangling references, no
// build items, or parts over the size limits.
Model loadModel(std::string_view bytes, const std::string& file);

} // namespace telar::cad::detail
