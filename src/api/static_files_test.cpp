#include "api/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace corridor::api {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("corridor-static-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "dist" / "assets");
    Write("dist/index.html", "<!doctype html><div id=app></div>");
    Write("dist/assets/index-3f2a.js", "console.log(1)");
    Write("dist/favicon.svg", "<svg/>");
    Write("secret.txt", "outside");
    fs::create_symlink(root_ / "secret.txt", root_ / "dist" / "leak.txt");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesAndSendsAppRoutesToIndex) {
  auto files = StaticFiles::Load(root_ / "dist");
  ASSERT_TRUE(files) << files.error().message;
  const auto home = files->Find("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(home->body, "<!doctype html><div id=app></div>");
  EXPECT_EQ(home->headers.at(0).second, "no-cache");

  const auto route = files->Find("/bureau/enterprises");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->body, home->body);

  const auto js = files->Find("/assets/index-3f2a.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->headers.at(0).second, "public, max-age=31536000, immutable");
  EXPECT_EQ(files->Find("/favicon.svg")->content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, LeavesTheApiAndMissingFilesAlone) {
  auto files = StaticFiles::Load(root_ / "dist");
  ASSERT_TRUE(files);
  EXPECT_FALSE(files->Find("/api/v1/stats"));
  EXPECT_FALSE(files->Find("/api/nothing"));
  EXPECT_FALSE(files->Find("/healthz"));
  EXPECT_FALSE(files->Find("/metrics"));
  EXPECT_FALSE(files->Find("/assets/missing.js"));
  // A link that leaves the folder is not served, and nothing above the root can be named.
  EXPECT_FALSE(files->Find("/leak.txt"));
  EXPECT_FALSE(files->Find("/../secret.txt"));
  EXPECT_EQ(files->file_count(), 3u);
}

TEST_F(StaticFilesTest, RefusesAFolderWithoutIndex) {
  auto files = StaticFiles::Load(root_ / "dist" / "assets");
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().fields.at(0).field, "--web");
}

}  // namespace
}  // namespace corridor::api
