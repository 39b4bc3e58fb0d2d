#pragma once
// The line protocol between analyzeFiles() and telar-cad-worker, over a socket on the worker's
// stdin/stdout:
//   request:  one JSON line {"name":…, "path":…, "size":N, "options":{…}} then N raw bytes
//             (size -1: the worker reads path itself)
//   response: "OK <n>\n" + n bytes of toJson(result), or "ERR <n>\n" + n bytes of the reason.
// A worker answers requests until its stdin closes.

#include "telar/cad/types.h"

#include <nlohmann/json.hpp>

namespace telar::cad::detail {

inline nlohmann::json optionsToJson(const AnalyzeOptions& o) {
    return {{"checkValidity", o.checkValidity}, {"orientedBox", o.orientedBox},
            {"maxPlausibleSize", o.maxPlausibleSize}, {"minPlausibleSize", o.minPlausibleSize},
            {"maxAssemblyDepth", o.maxAssemblyDepth}};
}

inline AnalyzeOptions optionsFromJson(const nlohmann::json& j) {
    AnalyzeOptions o;
    o.checkValidity = j.at("checkValidity").get<bool>();
    o.orientedBox = j.at("orientedBox").get<bool>();
    o.maxPlausibleSize = j.at("maxPlausibleSize").get<double>();
    o.minPlausibleSize = j.at("minPlausibleSize").get<double>();
    o.maxAssemblyDepth = j.at("maxAssemblyDepth").get<int>();
    return o;
}

} // namespace telar::cad::detail
