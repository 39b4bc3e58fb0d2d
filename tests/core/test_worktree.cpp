// The working tree as a Tree: files on disk, symlinks not followed, .git invisible.

#include "telar/core/git.h"
#include "telar/core/worktree.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using telar::core::EntryKind;
using telar::core::TreeEntry;
using telar::core::WorkingTree;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

std::string names(const std::vector<TreeEntry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        const char* k = e.kind == EntryKind::File        ? "f"
                        : e.kind == EntryKind::Directory ? "d"
                        : e.kind == EntryKind::Symlink   ? "l"
                                                         : "s";
        out += std::string(k) + ":" + e.name + " ";
    }
    return out;
}

} // namespace

TEST_CASE("a working tree reads files and folders on disk, hiding .git", "[core][worktree]") {
    TempDir tmp;
    telar::core::Repository::init(tmp.path());
    writeFile(tmp / "telar.toml", "[project]\nname = \"Open Press\"\n");
    writeFile(tmp / "frame/module.toml", "[module]\n");
    writeFile(tmp / "frame/cad/plate.step", "ISO-10303-21;\n");
    writeFile(tmp / "foo.txt", "x");
    fs::create_directories(tmp / "foo");
    fs::create_directories(tmp / "empty");

    WorkingTree tree(tmp.path());
    CHECK(tree.root() == tmp.path());
    CHECK(names(tree.list("")) == "d:empty d:foo f:foo.txt d:frame f:telar.toml ");
    CHECK(names(tree.list("frame")) == "d:cad f:module.toml ");
    CHECK(tree.list("empty").empty());
    CHECK(tree.list("telar.toml").empty());
    CHECK(tree.list("missing").empty());
    CHECK(tree.list(".git").empty());

    CHECK(tree.readFile("telar.toml") == "[project]\nname = \"Open Press\"\n");
    CHECK(tree.readFile("frame/cad/plate.step") == "ISO-10303-21;\n");
    CHECK_FALSE(tree.readFile("frame"));
    CHECK_FALSE(tree.readFile("missing.toml"));
    CHECK_FALSE(tree.readFile(".git/HEAD"));
    CHECK_FALSE(tree.readFile("../outside"));
    CHECK_FALSE(tree.readFile("/etc/hostname"));

    CHECK(tree.kind("") == EntryKind::Directory);
    CHECK(tree.kind("frame") == EntryKind::Directory);
    CHECK(tree.kind("frame/module.toml") == EntryKind::File);
    CHECK_FALSE(tree.kind(".git"));
    CHECK_FALSE(tree.kind("missing"));

    CHECK(tree.describe() == "working tree");
    CHECK(tree.commitId().empty());
}

TEST_CASE("a working tree reports symlinks without following them", "[core][worktree]") {
    TempDir tmp;
    writeFile(tmp / "design/cad/side-plate.step", "plate\n");
    writeFile(tmp / "outside/secret.txt", "secret\n");
    fs::create_symlink("side-plate.step", tmp / "design/cad/latest.step");
    fs::create_symlink("../outside", tmp / "design/escape");
    fs::create_symlink("nowhere", tmp / "design/dangling");

    WorkingTree tree(tmp / "design");
    CHECK(tree.kind("cad/latest.step") == EntryKind::Symlink);
    CHECK(tree.kind("escape") == EntryKind::Symlink);
    CHECK(tree.kind("dangling") == EntryKind::Symlink);
    CHECK(tree.symlinkTarget("cad/latest.step") == "side-plate.step");
    CHECK(tree.symlinkTarget("escape") == "../outside");
    CHECK(tree.symlinkTarget("dangling") == "nowhere");
    CHECK_FALSE(tree.symlinkTarget("cad/side-plate.step"));
    CHECK_FALSE(tree.readFile("cad/latest.step"));
    CHECK_FALSE(tree.blobId("cad/latest.step"));
    // Nothing is reachable through a symlinked folder.
    CHECK_FALSE(tree.readFile("escape/secret.txt"));
    CHECK_FALSE(tree.kind("escape/secret.txt"));
    CHECK(tree.list("escape").empty());
    CHECK(names(tree.list("")) == "d:cad l:dangling l:escape ");
}

TEST_CASE("working tree blob ids are git's hash of the current bytes", "[core][worktree]") {
    TempDir tmp;
    writeFile(tmp / "a.txt", "hello\n");
    writeFile(tmp / "empty", "");
    WorkingTree tree(tmp.path());
    CHECK(tree.blobId("a.txt") == "ce013625030ba8dba906f756967f9e9ca394464a");
    CHECK(tree.blobId("empty") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    auto r = telar::test::run({"git", "hash-object", "a.txt"}, tmp.path());
    REQUIRE(r.exitCode == 0);
    CHECK(*tree.blobId("a.txt") + "\n" == r.out);
    writeFile(tmp / "a.txt", "changed\n");
    CHECK(tree.blobId("a.txt") == telar::core::hashBlob("changed\n"));
    CHECK_FALSE(tree.blobId("missing"));
}

TEST_CASE("a nested repository is a submodule of the working tree", "[core][worktree]") {
    TempDir tmp;
    telar::core::Repository::init(tmp.path());
    telar::core::Repository::init(tmp / "vendor/lib");
    writeFile(tmp / "vendor/lib/x.txt", "x\n");
    WorkingTree tree(tmp.path());
    CHECK(tree.kind("") == EntryKind::Directory);
    CHECK(tree.kind("vendor/lib") == EntryKind::Submodule);
    CHECK(names(tree.list("vendor")) == "s:lib ");
    CHECK(names(tree.list("vendor/lib")).empty());
}
