// Path safety: normalisation and symbolic-link resolution through a Tree.
#include "memory_tree.h"

#include "telar/core/paths.h"

#include <catch2/catch.hpp>

using namespace telar::core;
using telar::test::MemoryTree;

TEST_CASE("module-relative paths normalise to repository-relative ones", "[core][paths]") {
    CHECK(normalisePath("frame", "cad/plate.step").path == "frame/cad/plate.step");
    CHECK(normalisePath("frame", "./cad//plate.step").path == "frame/cad/plate.step");
    CHECK(normalisePath("axes/x", "../common/belt.step").path == "axes/common/belt.step");
    CHECK(normalisePath("axes/x", "../../shared.step").path == "shared.step");
    CHECK(normalisePath("", "a/b/../c").path == "a/c");
    CHECK(normalisePath("frame", "cad/").path == "frame/cad");
}

TEST_CASE("unsafe paths are refused with their reason", "[core][paths]") {
    CHECK(normalisePath("frame", "../../x.step").problem == PathProblem::EscapesRoot);
    CHECK(normalisePath("", "..").problem == PathProblem::EscapesRoot);
    CHECK(normalisePath("a", "b/../../../x").problem == PathProblem::EscapesRoot);
    CHECK(normalisePath("frame", "/etc/passwd").problem == PathProblem::Absolute);
    CHECK(normalisePath("frame", "C:/x.step").problem == PathProblem::Absolute);
    CHECK(normalisePath("frame", "cad\\x.step").problem == PathProblem::Backslash);
    CHECK(normalisePath("frame", std::string("a\0b", 3)).problem == PathProblem::NulByte);
    CHECK(normalisePath("frame", "").problem == PathProblem::Empty);
    CHECK(normalisePath("frame", "./.").problem == PathProblem::Empty);
    CHECK(describePathProblem(PathProblem::EscapesRoot) == "escapes the repository");
}

TEST_CASE("symbolic links resolve inside the repository and are refused when they leave it",
          "[core][paths]") {
    MemoryTree tree;
    tree.file("common/cad/plate.step", "solid")
        .symlink("frame/cad", "../common/cad")
        .symlink("frame/plate.step", "cad/plate.step")
        .symlink("frame/up", "..")
        .symlink("frame/out", "../../etc")
        .symlink("frame/abs", "/etc/passwd")
        .symlink("loop/a", "b")
        .symlink("loop/b", "a")
        .symlink("chain/l1", "l2")
        .symlink("chain/l2", "l3")
        .symlink("chain/l3", "l4")
        .symlink("chain/l4", "l5")
        .symlink("chain/l5", "l6")
        .symlink("chain/l6", "l7")
        .symlink("chain/l7", "l8")
        .symlink("chain/l8", "f")
        .symlink("chain/l0", "l1")
        .file("chain/f", "x");

    PathResult r = resolvePath(tree, "frame/cad/plate.step");
    CHECK(r.ok());
    CHECK(r.path == "common/cad/plate.step");
    CHECK(r.kind == EntryKind::File);

    r = resolvePath(tree, "frame/plate.step"); // a link to a path through another link
    CHECK(r.path == "common/cad/plate.step");

    r = resolvePath(tree, "frame/up/common/cad");
    CHECK(r.ok());
    CHECK(r.path == "common/cad");
    CHECK(r.kind == EntryKind::Directory);

    r = resolvePath(tree, "frame/out/passwd");
    CHECK(r.problem == PathProblem::SymlinkEscapes);
    CHECK(r.detail == "frame/out -> ../../etc");

    r = resolvePath(tree, "frame/abs");
    CHECK(r.problem == PathProblem::SymlinkEscapes);
    CHECK(r.detail == "frame/abs -> /etc/passwd");

    r = resolvePath(tree, "loop/a");
    CHECK(r.problem == PathProblem::SymlinkLoop);

    r = resolvePath(tree, "chain/l1"); // exactly 8 links: allowed
    CHECK(r.ok());
    CHECK(r.path == "chain/f");
    r = resolvePath(tree, "chain/l0"); // 9 links: refused
    CHECK(r.problem == PathProblem::SymlinkLoop);
    CHECK(r.detail == "chain/l8");

    r = resolvePath(tree, "frame/missing.step");
    CHECK(r.problem == PathProblem::Missing);
    CHECK(r.detail == "frame/missing.step");

    r = resolvePath(tree, "chain/f/deeper");
    CHECK(r.problem == PathProblem::Missing);

    r = resolveFile(tree, "frame", "cad");
    CHECK(r.problem == PathProblem::NotAFile);
    r = resolveFile(tree, "frame", "cad/plate.step");
    CHECK(r.ok());
    CHECK(r.path == "common/cad/plate.step");
    r = resolveFile(tree, "frame", "../../x");
    CHECK(r.problem == PathProblem::EscapesRoot);
}

TEST_CASE("path helpers", "[core][paths]") {
    CHECK(parentPath("a/b/c.step") == "a/b");
    CHECK(parentPath("c.step").empty());
    CHECK(joinPath("", "b") == "b");
    CHECK(joinPath("a", "") == "a");
    CHECK(joinPath("a", "b") == "a/b");
}
