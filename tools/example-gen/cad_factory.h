#pragma once
// Generates the example commons' CAD: simple but real solids (plates with holes, brackets,
// pockets, spacers, screws) written as STEP (AP214, mm) or binary STL. Output is deterministic:
// the same call gives the same bytes, so the generated history has reproducible commit ids.

#include <array>
#include <string>
#include <vector>

namespace telar::examplegen {

// A parametric part shape. Dimensions in millimetres.
struct ShapeSpec {
    enum class Kind { Plate, Bracket, Block, Spacer, Knob, Screw };
    Kind kind = Kind::Plate;
    double a = 100, b = 50, c = 3; // plate: w×h×t; bracket: length, width, thickness; block: x×y×z;
                                   // spacer/knob/screw: length, outer diameter, inner/head diameter
    int holes = 0;                 // through holes in plates/brackets/blocks
    double holeDiameter = 5;
};

// One placed component of an assembly.
struct Component {
    std::string name;
    ShapeSpec shape;
    std::array<double, 3> offset{0, 0, 0};
    std::array<double, 3> colour{0.7, 0.7, 0.7}; // RGB 0..1
};

// The part as STEP text named `productName`.
std::string makeStep(const ShapeSpec& spec, const std::string& productName);
// The part as binary STL bytes.
std::string makeStl(const ShapeSpec& spec);
// A multi-part STEP assembly; components with equal ShapeSpec and name stem share one product
// and become instances of it.
std::string makeAssemblyStep(const std::string& assemblyName, const std::vector<Component>& components);

// Silences OCCT's default messenger so generating prints nothing but our own output.
void silenceOcct();

} // namespace telar::examplegen
