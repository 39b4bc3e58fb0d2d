#pragma once
// The results of analysing one CAD file: format, declared units, product structure, unique parts
// with their geometric properties, totals and warnings. Plain values (no OpenCASCADE type), cheap
// to copy, serialisable with telar/cad/serialize.h. Every length is in millimetres after unit
// conversion; volumes in mm³, areas in mm², densities in g/cm³, masses in grams.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace telar::cad {

// Bumped whenever analysis results may change for the same input bytes; part of every cache key.
inline constexpr int kAnalyserVersion = 4; // 3: 3MF is read; 4: one-pass volume and area

// The format of a file, detected from its content (the extension is only a tie-breaker).
enum class Format { Unknown, Step, Iges, Brep, StlAscii, StlBinary, ThreeMf };

// "STEP", "IGES", "BREP", "STL (ASCII)", "STL (binary)", "3MF", "unknown".
std::string formatName(Format format);

struct Vec3 {
    double x = 0.0;
    double y = 0.0;
    double z = 0.0;
    friend bool operator==(const Vec3&, const Vec3&) = default;
};

// An axis-aligned box. A default-constructed box is empty (min > max).
struct Box3 {
    Vec3 min{1.0, 1.0, 1.0};
    Vec3 max{-1.0, -1.0, -1.0};
    bool isEmpty() const { return min.x > max.x || min.y > max.y || min.z > max.z; }
    // Edge lengths (0,0,0 when empty).
    Vec3 size() const {
        if (isEmpty()) return {};
        return {max.x - min.x, max.y - min.y, max.z - min.z};
    }
    // Grows the box to hold p.
    void add(const Vec3& p);
    // Grows the box to hold other (no-op when other is empty).
    void add(const Box3& other);
    friend bool operator==(const Box3&, const Box3&) = default;
};

// An sRGB colour, 0–255 per channel.
struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

// A rigid placement: 3×3 rotation (row-major, m[0..2] is the first row) and a translation in mm.
// Maps a point p of the child to R·p + t in the parent.
struct Placement {
    std::array<double, 9> rotation{1, 0, 0, 0, 1, 0, 0, 0, 1};
    Vec3 translation;
    bool isIdentity() const;
    // this ∘ child: first child, then this.
    Placement operator*(const Placement& child) const;
    Vec3 apply(const Vec3& p) const;
    friend bool operator==(const Placement&, const Placement&) = default;
};

// What a node of the product structure is.
enum class NodeKind {
    Assembly, // has children
    Part,     // an instance of a unique part (PartInfo) — solids or closed shells
    NonSolid, // edges, wires, faces, open shells, points: shown, never a BOM part
    Empty     // a product without any geometry
};

// One node of the expanded product structure (one node per instance).
struct TreeNode {
    std::string name;        // raw name as written in the file (instance name, else product name)
    std::string productName; // the product (definition) name when the file names it separately
    NodeKind kind = NodeKind::Empty;
    int parent = -1;            // index in AnalysisResult::nodes, -1 for a root
    std::vector<int> children;  // indices in AnalysisResult::nodes
    int part = -1;              // index in AnalysisResult::parts for NodeKind::Part
    Placement placement;        // relative to the parent (to the file's origin for roots)
    std::optional<Rgb> colour;  // surface colour from the file, if any
    std::string shapeType;      // "solid", "compound", "shell", "face", "edge", … ("" for assemblies)
    friend bool operator==(const TreeNode&, const TreeNode&) = default;
};

// One unique part: geometry that occurs `quantity` times in the file (possibly under several names).
struct PartInfo {
    std::string name;                  // clean display name (instance suffixes ":2", " (2)" stripped)
    std::vector<std::string> rawNames; // distinct raw names of its instances, in file order
    int quantity = 0;                  // instances in the file
    double volume = 0.0;               // mm³ (0 for open geometry)
    double area = 0.0;                 // mm²
    Box3 bbox;                         // axis-aligned, in the part's own coordinates
    Vec3 orientedSize;                 // stock size: oriented box edge lengths, sorted descending
    Vec3 centroid;                     // centre of volume (of area for open shells), own coordinates
    int solids = 0;
    int shells = 0;
    int faces = 0;
    int edges = 0;
    int vertices = 0;
    std::size_t triangles = 0;         // meshes only
    bool closed = false;               // solids/closed shells, or a watertight mesh
    bool valid = false;                // topological BRepCheck passes (meshes: consistent orientation)
    std::optional<double> density;     // g/cm³, when the file carries one
    std::optional<std::string> material; // material name from the file
    std::optional<double> mass;        // grams = density × volume
    std::optional<Rgb> colour;
    std::string fingerprint;           // placement- and name-independent identity of the geometry
    friend bool operator==(const PartInfo&, const PartInfo&) = default;
};

struct Totals {
    double volume = 0.0;    // Σ quantity × part volume, mm³
    double area = 0.0;      // Σ quantity × part area, mm²
    Box3 bbox;              // of the placed assembly, mm
    int instances = 0;      // part instances in the tree
    int uniqueParts = 0;    // = parts.size()
    int nonSolids = 0;      // NonSolid nodes
    friend bool operator==(const Totals&, const Totals&) = default;
};

// Everything known about one file. Produced by analyzeBytes/analyzeFile/analyzeFiles.
struct AnalysisResult {
    int analyserVersion = kAnalyserVersion;
    std::string name;                   // display name given by the caller
    Format format = Format::Unknown;
    std::vector<std::string> lengthUnits; // declared length units, e.g. {"INCH"}; several when mixed
    double unitToMm = 1.0;              // factor from the (first) declared unit to mm; 1 when undeclared
    std::vector<std::string> warnings;  // things a user should look at (implausible size, open mesh…)
    std::vector<TreeNode> nodes;        // expanded product structure, parents before children
    std::vector<int> roots;             // top-level nodes
    std::vector<PartInfo> parts;        // unique parts, in order of first appearance
    Totals totals;
    friend bool operator==(const AnalysisResult&, const AnalysisResult&) = default;
};

// Knobs that change results; they are part of the cache key (see optionsKey()).
struct AnalyzeOptions {
    bool checkValidity = true;    // run BRepCheck on every unique part
    bool orientedBox = true;      // compute the oriented (stock) box
    // Overall sizes above this (mm) or below minPlausibleSize give a warning.
    double maxPlausibleSize = 5000.0;
    double minPlausibleSize = 0.01;
    // Deeper product structures are refused (protects against hostile files).
    int maxAssemblyDepth = 64;
    friend bool operator==(const AnalyzeOptions&, const AnalyzeOptions&) = default;
};

// A short stable string of the options, to combine with a blob id and kAnalyserVersion as cache key.
std::string optionsKey(const AnalyzeOptions& options);

} // namespace telar::cad
