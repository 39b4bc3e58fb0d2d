// Reading a design at a revision from git objects: no checkout, the working tree untouched.

#include "telar/core/git.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using telar::core::EntryKind;
using telar::core::Repository;
using telar::core::Signature;
using telar::core::TreeEntry;
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

Signature signatureAt(int64_t time) { return Signature{"Alice Maker", "alice@example.org", time, 60}; }

std::string git(const fs::path& repo, const std::vector<std::string>& args) {
    return telar::test::git(repo, args, {"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@e", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@e",
                                         "GIT_AUTHOR_DATE=1700000000 +0000", "GIT_COMMITTER_DATE=1700000000 +0000"});
}

std::string describeEntries(const std::vector<TreeEntry>& entries) {
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

TEST_CASE("files are read at a tag and at an older commit without touching the working tree", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    writeFile(tmp / "frame/module.toml", "version = \"1.0.0\"\n");
    auto c1 = *repo.commitAll("1.0.0", signatureAt(1700000000));
    repo.createTag("v1.0", "HEAD", "Release 1.0", signatureAt(1700000000));
    writeFile(tmp / "frame/module.toml", "version = \"1.1.0\"\n");
    writeFile(tmp / "frame/cad/plate.step", "ISO-10303-21;\n");
    auto c2 = *repo.commitAll("1.1.0", signatureAt(1700000100));
    // The working tree moves on, uncommitted.
    writeFile(tmp / "frame/module.toml", "version = \"2.0.0-dev\"\n");
    auto statusBefore = repo.status();

    auto atTag = repo.treeAt("v1.0");
    CHECK(atTag->readFile("frame/module.toml") == "version = \"1.0.0\"\n");
    CHECK_FALSE(atTag->readFile("frame/cad/plate.step"));
    CHECK_FALSE(atTag->kind("frame/cad"));
    CHECK(atTag->commitId() == c1);
    CHECK(atTag->describe() == "v1.0 (" + c1.substr(0, 7) + ")");

    auto atOld = repo.treeAt(c2);
    CHECK(atOld->readFile("frame/module.toml") == "version = \"1.1.0\"\n");
    CHECK(atOld->readFile("frame/cad/plate.step") == "ISO-10303-21;\n");
    CHECK(atOld->commitId() == c2);

    auto head = repo.treeAt("HEAD~1");
    CHECK(head->commitId() == c1);
    CHECK(head->describe() == "HEAD~1 (" + c1.substr(0, 7) + ")");

    // Nothing on disk changed and nothing moved.
    CHECK(telar::test::readFile(tmp / "frame/module.toml") == "version = \"2.0.0-dev\"\n");
    CHECK(repo.status().size() == statusBefore.size());
    REQUIRE(repo.status().size() == 1);
    CHECK(repo.status()[0].path == "frame/module.toml");
    CHECK(repo.status()[0].worktree == 'M');
    CHECK(repo.currentBranch() == "main");
    CHECK(repo.resolve("HEAD") == c2);

    // The working tree view sees what is on disk.
    CHECK(repo.workingTree()->readFile("frame/module.toml") == "version = \"2.0.0-dev\"\n");
    CHECK(repo.workingTree()->describe() == "working tree");
}

TEST_CASE("an unknown revision is named in the error", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    CHECK_THROWS_MATCHES(repo.treeAt("HEAD"), telar::GitError, Catch::Message("unknown revision 'HEAD'"));
    writeFile(tmp / "a", "a\n");
    REQUIRE(repo.commitAll("First", signatureAt(1700000000)));
    CHECK_THROWS_MATCHES(repo.treeAt("v9.9"), telar::GitError, Catch::Message("unknown revision 'v9.9'"));
    CHECK_THROWS_MATCHES(repo.treeAt("HEAD~3"), telar::GitError, Catch::Message("unknown revision 'HEAD~3'"));
}

TEST_CASE("kinds, sorted listings, symlinks, executables and submodules at a revision", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    writeFile(tmp / "foo.txt", "text\n");
    writeFile(tmp / "foo/inner.txt", "inner\n");
    writeFile(tmp / "foo-bar", "dash\n");
    writeFile(tmp / "cad/side-plate.step", "ISO-10303-21;\nplate\n");
    fs::create_symlink("side-plate.step", tmp / "cad/latest.step");
    fs::create_symlink("../outside", tmp / "escape");
    writeFile(tmp / "scripts/build.sh", "#!/bin/sh\n");
    fs::permissions(tmp / "scripts/build.sh", fs::perms::owner_exec, fs::perm_options::add);
    REQUIRE(repo.commitAll("Files", signatureAt(1700000000)));
    // A submodule entry (gitlink) recorded through the git CLI.
    git(tmp.path(), {"update-index", "--add", "--cacheinfo", "160000,0123456789abcdef0123456789abcdef01234567,vendor/lib"});
    git(tmp.path(), {"commit", "-q", "-m", "Add a submodule"});

    auto tree = repo.treeAt("HEAD");
    // git stores "foo-bar", "foo.txt", "foo" (folders sort as "foo/"); a Tree lists by name.
    CHECK(git(tmp.path(), {"ls-tree", "--name-only", "HEAD"}) == "cad\nescape\nfoo-bar\nfoo.txt\nfoo\nscripts\nvendor");
    CHECK(describeEntries(tree->list("")) == "d:cad l:escape d:foo f:foo-bar f:foo.txt d:scripts d:vendor ");
    CHECK(describeEntries(tree->list("cad")) == "l:latest.step f:side-plate.step ");
    CHECK(describeEntries(tree->list("cad/")) == "l:latest.step f:side-plate.step ");
    CHECK(describeEntries(tree->list("vendor")) == "s:lib ");
    CHECK(tree->list("foo.txt").empty());
    CHECK(tree->list("missing").empty());

    CHECK(tree->kind("") == EntryKind::Directory);
    CHECK(tree->kind("foo") == EntryKind::Directory);
    CHECK(tree->kind("foo.txt") == EntryKind::File);
    CHECK(tree->kind("scripts/build.sh") == EntryKind::File);
    CHECK(tree->kind("cad/latest.step") == EntryKind::Symlink);
    CHECK(tree->kind("vendor/lib") == EntryKind::Submodule);
    CHECK_FALSE(tree->kind("nothing"));
    CHECK_FALSE(tree->kind("foo.txt/below"));
    CHECK_FALSE(tree->kind("../foo.txt"));
    CHECK_FALSE(tree->kind("/foo.txt"));
    CHECK(tree->kind("./foo/./inner.txt") == EntryKind::File);

    CHECK(tree->symlinkTarget("cad/latest.step") == "side-plate.step");
    CHECK(tree->symlinkTarget("escape") == "../outside");
    CHECK_FALSE(tree->symlinkTarget("cad/side-plate.step"));
    CHECK_FALSE(tree->readFile("cad/latest.step")); // a symlink is not followed
    CHECK_FALSE(tree->readFile("foo"));
    CHECK_FALSE(tree->readFile("vendor/lib"));
    CHECK(tree->readFile("scripts/build.sh") == "#!/bin/sh\n");
    CHECK_FALSE(tree->blobId("cad/latest.step"));
    CHECK_FALSE(tree->blobId("foo"));
}

TEST_CASE("blob ids at a revision are the ids git stored", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    std::string bytes("solid plate\n\0\x01\x02", 15);
    writeFile(tmp / "cad/plate.stl", bytes);
    writeFile(tmp / "README.md", "Open Press\n");
    REQUIRE(repo.commitAll("Files", signatureAt(1700000000)));
    auto tree = repo.treeAt("main");
    CHECK(tree->blobId("cad/plate.stl") == git(tmp.path(), {"hash-object", "cad/plate.stl"}));
    CHECK(tree->blobId("cad/plate.stl") == git(tmp.path(), {"rev-parse", "HEAD:cad/plate.stl"}));
    CHECK(tree->blobId("README.md") == "a92ca9302a4ebd5718845ee546851ca76e4c3fe6");
    CHECK(tree->readFile("cad/plate.stl") == bytes);
    // The working tree gives the same ids for the same bytes.
    CHECK(repo.workingTree()->blobId("cad/plate.stl") == tree->blobId("cad/plate.stl"));
}

TEST_CASE("a revision tree outlives its Repository", "[core][git]") {
    TempDir tmp;
    std::unique_ptr<telar::core::Tree> tree;
    {
        auto repo = Repository::init(tmp.path());
        writeFile(tmp / "a.txt", "still here\n");
        REQUIRE(repo.commitAll("First", signatureAt(1700000000)));
        tree = repo.treeAt("HEAD");
    }
    CHECK(tree->readFile("a.txt") == "still here\n");
    CHECK(describeEntries(tree->list("")) == "f:a.txt ");
}

TEST_CASE("one revision tree can be read from several threads at once", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    for (int i = 0; i < 20; ++i)
        writeFile(tmp / ("parts/p" + std::to_string(i) + ".step"), "part " + std::to_string(i) + "\n");
    REQUIRE(repo.commitAll("Parts", signatureAt(1700000000)));
    auto tree = repo.treeAt("HEAD");
    std::atomic<int> wrong{0};
    auto reader = [&] {
        for (int round = 0; round < 50; ++round)
            for (int i = 0; i < 20; ++i) {
                std::string name = "parts/p" + std::to_string(i) + ".step";
                if (tree->readFile(name) != "part " + std::to_string(i) + "\n") ++wrong;
                if (tree->blobId(name) != telar::core::hashBlob("part " + std::to_string(i) + "\n")) ++wrong;
            }
    };
    std::thread a(reader), b(reader);
    // The Repository stays usable meanwhile.
    for (int i = 0; i < 20; ++i)
        if (repo.resolve("HEAD") != tree->commitId()) ++wrong;
    a.join();
    b.join();
    CHECK(wrong == 0);
}
