package dev.freshet.engine.deps.lockfile;

import static dev.freshet.engine.deps.version.Ecosystem.CRATES_IO;
import static dev.freshet.engine.deps.version.Ecosystem.GO;
import static dev.freshet.engine.deps.version.Ecosystem.MAVEN;
import static dev.freshet.engine.deps.version.Ecosystem.NPM;
import static dev.freshet.engine.deps.version.Ecosystem.PACKAGIST;
import static dev.freshet.engine.deps.version.Ecosystem.PYPI;
import static dev.freshet.engine.deps.version.Ecosystem.RUBYGEMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LockfilesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** "name@version:line" for each dependency, all of {@code ecosystem}. */
    private List<String> parse(String name, String text, Ecosystem ecosystem) throws Exception {
        Path file = write(name, text);
        List<Dependency> deps = Lockfiles.parse(file);
        assertThat(deps).allSatisfy(d -> {
            assertThat(d.ecosystem()).isEqualTo(ecosystem);
            assertThat(d.lockfile()).isEqualTo(file);
        });
        return deps.stream().map(d -> d.name() + "@" + d.version() + ":" + d.line()).toList();
    }

    private void assertRejected(String name, String text, String messagePart) throws IOException {
        Path file = write(name, text);
        assertThatThrownBy(() -> Lockfiles.parse(file)).isInstanceOf(LockfileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((LockfileException) e).file()).isEqualTo(file));
    }

    @Test
    void recognisesLockfilesByName() {
        for (String n : List.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt",
                "requirements-dev.txt", "poetry.lock", "Pipfile.lock", "uv.lock", "go.mod", "Cargo.lock", "Gemfile.lock",
                "composer.lock", "gradle.lockfile", "pom.xml")) {
            assertThat(Lockfiles.isLockfile(Path.of("a", n))).as(n).isTrue();
        }
        for (String n : List.of("package.json", "Cargo.toml", "go.sum", "Pipfile", "readme.txt", "composer.json")) {
            assertThat(Lockfiles.isLockfile(Path.of(n))).as(n).isFalse();
        }
        assertThat(Lockfiles.isLockfile(Path.of("/"))).isFalse();
    }

    @Test
    void npmV1NestedDependenciesAndAliases() throws Exception {
        assertThat(parse("package-lock.json", """
                {
                  "lockfileVersion": 1,
                  "dependencies": {
                    "a": {
                      "version": "1.0.0",
                      "dependencies": {
                        "b": { "version": "2.0.0" },
                        "@s/c": { "version": "3.0.0-beta.1" }
                      }
                    },
                    "b": { "version": "2.0.0" },
                    "al": { "version": "npm:real@4.0.0" },
                    "local": { "version": "file:../local" }
                  }
                }
                """, NPM)).containsExactly("a@1.0.0:5", "b@2.0.0:7", "@s/c@3.0.0-beta.1:8", "real@4.0.0:12");
    }

    @ParameterizedTest
    @CsvSource({"2", "3"})
    void npmPackagesMapVersions2And3(int lockfileVersion) throws Exception {
        assertThat(parse("package-lock.json", """
                {
                  "lockfileVersion": %d,
                  "packages": {
                    "": { "name": "root", "version": "0.1.0" },
                    "node_modules/a": { "version": "1.0.0" },
                    "node_modules/a/node_modules/@s/b": { "version": "2.0.0" },
                    "node_modules/alias": { "name": "real", "version": "3.0.0" },
                    "node_modules/linked": { "resolved": "packages/w", "link": true },
                    "packages/w": { "version": "9.9.9" },
                    "node_modules/dup/node_modules/a": { "version": "1.0.0" }
                  },
                  "dependencies": { "ignored": { "version": "1.0.0" } }
                }
                """.formatted(lockfileVersion), NPM)).containsExactly("a@1.0.0:5", "@s/b@2.0.0:6", "real@3.0.0:7");
    }

    @Test
    void bigPackageLockParsesWithLinesAndDedup() throws Exception {
        StringBuilder sb = new StringBuilder("{\n\"lockfileVersion\": 3,\n\"packages\": {\n\"\": {},\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("\"node_modules/p").append(i).append("\": {\"version\": \"1.").append(i % 7).append(".0\"},\n");
            sb.append("\"node_modules/x/node_modules/p").append(i).append("\": {\"version\": \"1.").append(i % 7).append(".0\"},\n");
        }
        sb.append("\"node_modules/last\": {\"version\": \"0.0.1\"}\n}\n}\n");
        long start = System.nanoTime();
        List<String> deps = parse("package-lock.json", sb.toString(), NPM);
        assertThat(deps).hasSize(20_001);
        assertThat(deps.get(0)).isEqualTo("p0@1.0.0:5");
        assertThat(deps.get(19_999)).isEqualTo("p19999@1." + (19_999 % 7) + ".0:" + (5 + 2 * 19_999));
        assertThat(deps.get(20_000)).isEqualTo("last@0.0.1:" + (5 + 2 * 20_000));
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }

    @Test
    void npmMalformedInputs() throws Exception {
        assertRejected("package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\": {\"ver", "invalid JSON");
        assertRejected("package-lock.json", "", "empty file");
        assertRejected("package-lock.json", "[1, 2]", "not a JSON object");
        assertRejected("package-lock.json", "{\"packages\": []}", "\"packages\" is not a JSON object");
        assertRejected("package-lock.json", "{\"packages\": {\"node_modules/a\": 7}}", "package \"node_modules/a\"");
        assertRejected("package-lock.json", "{\"name\": \"x\"}", "not a package-lock");
        assertRejected("package-lock.json", "{} {}", "content after");
        assertRejected("package-lock.json", "[".repeat(100_000), "invalid JSON");
        assertThat(parse("package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}", NPM)).isEmpty();
    }

    @Test
    void requirementsTxtPinnedLinesOnly() throws Exception {
        assertThat(parse("requirements.txt", """
                # comment
                -r other.txt
                --index-url https://example.org/simple
                Django==4.2.1  # LTS
                zope.Interface_x==5.0 ; python_version >= "3.8"
                requests[security,socks] == 2.31.0 \\
                    --hash=sha256:abc
                flask>=2.0
                numpy
                pinned-range==1.0,<2
                wild==1.*
                ./local/pkg
                git+https://github.com/a/b.git#egg=b
                pkg @ https://example.org/pkg.whl
                Django==4.2.1
                triple===1.0-local
                """, PYPI)).containsExactly("django@4.2.1:4", "zope-interface-x@5.0:5", "requests@2.31.0:6",
                "triple@1.0-local:16");
        assertThat(Lockfiles.parse(write("requirements/dev-requirements.txt", ""))).isEmpty();
    }

    @Test
    void requirementsTxtMalformed() throws Exception {
        assertRejected("requirements.txt", "ok==1.0\n==1.0\n", "line 2");
        assertRejected("requirements.txt", "foo==\n", "without a version");
    }

    @Test
    void goModRequiresIndirectAndReplace() throws Exception {
        assertThat(parse("go.mod", """
                module example.com/app

                go 1.22

                require github.com/a/one v1.2.3
                require (
                	github.com/b/two v0.0.0-20230101000000-abcdef123456 // indirect
                	golang.org/x/text v0.14.0
                	example.com/old v1.0.0
                	example.com/local v1.0.0
                	example.com/pinned v2.0.0+incompatible
                )

                exclude example.com/bad v1.0.0
                replace example.com/old => example.com/new v1.5.0
                replace (
                	example.com/local => ../local
                	example.com/pinned v2.0.0+incompatible => example.com/fork v2.0.1
                )
                """, GO)).containsExactly("github.com/a/one@v1.2.3:5", "github.com/b/two@v0.0.0-20230101000000-abcdef123456:7",
                "golang.org/x/text@v0.14.0:8", "example.com/new@v1.5.0:9", "example.com/local@v1.0.0:10",
                "example.com/fork@v2.0.1:11");
    }

    @Test
    void beforeGo117TheModulesOnlyGoSumPinsCountToo() throws Exception {
        String sum = """
                github.com/listed/a v1.0.0 h1:x=
                github.com/listed/a v1.0.0/go.mod h1:x=
                example.com/new v1.5.0 h1:x=
                github.com/docker/distribution v0.0.0-20190905152932-14b96e55d84c/go.mod h1:x=
                github.com/docker/distribution v2.7.1-0.20190205005809-0d3efadf0154+incompatible h1:x=
                github.com/docker/distribution v2.7.1+incompatible h1:x=
                github.com/docker/distribution v2.7.1+incompatible/go.mod h1:x=
                github.com/only/gomod v1.1.0/go.mod h1:x=
                """;
        String mod = "module m\ngo %s\nrequire github.com/listed/a v1.0.0\nrequire example.com/old v1.0.0\n"
                + "replace example.com/old => example.com/new v1.5.0\n";
        Path old = write("old/go.mod", mod.formatted("1.15"));
        Path oldSum = write("old/go.sum", sum);
        assertThat(Lockfiles.parse(old)).containsExactly(
                new Dependency(GO, "github.com/listed/a", "v1.0.0", old, 3),
                new Dependency(GO, "example.com/new", "v1.5.0", old, 4),
                new Dependency(GO, "github.com/docker/distribution", "v2.7.1+incompatible", oldSum, 6));
        Path pruned = write("new/go.mod", mod.formatted("1.17"));
        write("new/go.sum", sum);
        assertThat(Lockfiles.parse(pruned)).extracting(Dependency::name).containsExactly("github.com/listed/a", "example.com/new");
        Path noSum = write("nosum/go.mod", mod.formatted("1.16"));
        assertThat(Lockfiles.parse(noSum)).hasSize(2);
    }

    @Test
    void goModMalformed() throws Exception {
        assertRejected("go.mod", "module a\nrequire (\n\tb.com/x v1.0.0\n", "line 2: \"require (\" block is never closed");
        assertRejected("go.mod", "module a\nrequire b.com/x\n", "line 2: require needs");
        assertRejected("go.mod", "{\"not\": \"go\"}\n", "unknown go.mod directive");
        assertRejected("go.mod", "replace a => \n", "replace needs");
    }

    @Test
    void cargoLock() throws Exception {
        assertThat(parse("Cargo.lock", """
                # This file is automatically @generated by Cargo.
                version = 3

                [[package]]
                name = "addr2line"
                version = "0.21.0"
                source = "registry+https://github.com/rust-lang/crates.io-index"
                dependencies = [
                 "gimli",
                ]

                [[package]]
                name = "my-app"
                version = "0.1.0"

                [metadata]
                name = "not-a-package"
                version = "0"
                """, CRATES_IO)).containsExactly("addr2line@0.21.0:5", "my-app@0.1.0:13");
    }

    @Test
    void multiLineArraysAreValuesNotTables() throws Exception {
        assertThat(parse("uv.lock", """
                version = 1
                resolution-markers = [
                    "python_full_version < '3.12'",
                    "python_full_version >= '3.12'",  # a comment with ] in it
                ]

                [[package]]
                name = "click"
                version = "8.1.3"
                nested = [
                    ["not", "a table"],
                    [ "[[package]]" ],
                ]
                name-like = "x"

                [[package]]
                name = "werkzeug"
                version = "0.11.1"
                """, PYPI)).containsExactly("click@8.1.3:8", "werkzeug@0.11.1:17");
    }

    @Test
    void tomlLockfilesMalformed() throws Exception {
        assertRejected("Cargo.lock", "version = 3\n[[package]]\nname = \"a\"\n", "line 2: [[package]] without a name and version");
        assertRejected("Cargo.lock", "<html>nope</html>\n", "not TOML");
        assertRejected("poetry.lock", "[[package]]\nname = \"a\nversion = \"1\"\n", "name is not a string");
        assertThat(Lockfiles.parse(write("Cargo.lock", "# empty\nversion = 3\n"))).isEmpty();
    }

    @Test
    void poetryAndUvLockNormaliseNamesAndSkipSubtables() throws Exception {
        String toml = """
                [[package]]
                name = "Jinja2"
                version = "3.1.2"
                description = "A very fast and expressive template engine."

                [package.dependencies]
                MarkupSafe = ">=2.0"
                version = ">=1"

                [package.extras]
                i18n = ["Babel (>=2.7)"]

                [[package]]
                name = "markupsafe"
                version = "2.1.3"

                [metadata]
                lock-version = "2.0"
                """;
        assertThat(parse("poetry.lock", toml, PYPI)).containsExactly("jinja2@3.1.2:2", "markupsafe@2.1.3:14");
        assertThat(parse("uv.lock", "version = 1\n" + toml, PYPI)).containsExactly("jinja2@3.1.2:3", "markupsafe@2.1.3:15");
    }

    @Test
    void pipfileLock() throws Exception {
        assertThat(parse("Pipfile.lock", """
                {
                  "_meta": {"hash": {"sha256": "x"}},
                  "default": {
                    "Flask_Login": {"hashes": [], "version": "==0.6.2"},
                    "from-git": {"git": "https://github.com/a/b.git", "ref": "abc"}
                  },
                  "develop": {
                    "pytest": {"version": "==7.4.0"},
                    "flask-login": {"version": "==0.6.2"}
                  }
                }
                """, PYPI)).containsExactly("flask-login@0.6.2:4", "pytest@7.4.0:8");
        assertRejected("Pipfile.lock", "{\"_meta\": {}}", "no \"default\" or \"develop\"");
        assertRejected("Pipfile.lock", "{\"default\": {\"a\": \"==1\"}}", "package \"a\" is not a JSON object");
    }

    @Test
    void composerLock() throws Exception {
        assertThat(parse("composer.lock", """
                {
                  "packages": [
                    {"name": "symfony/console", "version": "v6.3.0"},
                    {"name": "monolog/monolog", "version": "3.4.0"}
                  ],
                  "packages-dev": [
                    {"name": "phpunit/phpunit", "version": "10.2.6"},
                    {"name": "some/branch", "version": "dev-main"}
                  ]
                }
                """, PACKAGIST)).containsExactly("symfony/console@6.3.0:3", "monolog/monolog@3.4.0:4",
                "phpunit/phpunit@10.2.6:7", "some/branch@dev-main:8");
        assertRejected("composer.lock", "{\"packages\": {}}", "\"packages\" is not an array");
        assertRejected("composer.lock", "{\"packages\": [{\"name\": \"a/b\"}]}", "line 1: package without");
    }

    @Test
    void gemfileLock() throws Exception {
        assertThat(parse("Gemfile.lock", """
                GIT
                  remote: https://github.com/rails/rails.git
                  revision: abc
                  specs:
                    rails (7.1.0.alpha)
                      actionpack (= 7.1.0.alpha)

                GEM
                  remote: https://rubygems.org/
                  specs:
                    actionpack (7.0.4)
                      rack (~> 2.0, >= 2.2.4)
                    nokogiri (1.15.3-x86_64-linux)
                      racc (~> 1.4)
                    nokogiri (1.15.3-arm64-darwin)
                    rack (2.2.7)

                PLATFORMS
                  x86_64-linux

                DEPENDENCIES
                  rails!
                  rack (>= 2.0)

                BUNDLED WITH
                   2.4.10
                """, RUBYGEMS)).containsExactly("rails@7.1.0.alpha:5", "actionpack@7.0.4:11", "nokogiri@1.15.3:13",
                "rack@2.2.7:16");
        assertRejected("Gemfile.lock", "GEM\n  specs:\n    broken line without version\n", "line 3");
        assertRejected("Gemfile.lock", "  just indented text\n", "not a Gemfile.lock");
    }

    @Test
    void yarnV1AndBerry() throws Exception {
        assertThat(parse("yarn.lock", """
                # THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
                # yarn lockfile v1


                "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
                  version "7.12.13"
                  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz"
                  dependencies:
                    "@babel/highlight" "^7.10.4"

                lodash@^4.17.0, lodash@^4.17.21:
                  version "4.17.21"
                """, NPM)).containsExactly("@babel/code-frame@7.12.13:6", "lodash@4.17.21:12");
        assertThat(parse("yarn.lock", """
                __metadata:
                  version: 6
                  cacheKey: 8

                "lodash@npm:^4.17.0, lodash@npm:^4.17.21":
                  version: 4.17.21
                  resolution: "lodash@npm:4.17.21"

                "my-app@workspace:.":
                  version: 0.0.0-use.local
                """, NPM)).containsExactly("lodash@4.17.21:6");
    }

    @Test
    void yarnMalformed() throws Exception {
        assertRejected("yarn.lock", "lodash@^4:\n  resolved \"x\"\n", "line 1: entry \"lodash@^4\" has no version");
        assertRejected("yarn.lock", "lodash@^4:\n  version \"1\"\nthis is not yarn\n", "line 3");
        assertRejected("yarn.lock", "lodash:\n  version \"1\"\n", "has no @range");
    }

    @Test
    void pnpmLockAllKeyForms() throws Exception {
        assertThat(parse("pnpm-lock.yaml", """
                lockfileVersion: 5.4

                packages:

                  /@babel/core/7.22.0:
                    resolution: {integrity: sha512-x}
                  /react-dom/18.2.0_react@18.2.0:
                    resolution: {integrity: sha512-y}
                  /tarball:
                    resolution: {tarball: https://example.org/t.tgz}
                    name: from-tarball
                    version: 1.0.0
                """, NPM)).containsExactly("@babel/core@7.22.0:5", "react-dom@18.2.0:7", "from-tarball@1.0.0:9");
        assertThat(parse("pnpm-lock.yaml", """
                lockfileVersion: '6.0'
                packages:
                  /@babel/core@7.22.0:
                    dev: true
                  /react-dom@18.2.0(react@18.2.0):
                    dev: false
                """, NPM)).containsExactly("@babel/core@7.22.0:3", "react-dom@18.2.0:5");
        assertThat(parse("pnpm-lock.yaml", """
                lockfileVersion: '9.0'
                importers:
                  .: {}
                packages:
                  '@babel/core@7.22.0':
                    resolution: {integrity: sha512-x}
                  local@file:packages/local:
                    resolution: {directory: packages/local}
                snapshots:
                  '@babel/core@7.22.0': {}
                """, NPM)).containsExactly("@babel/core@7.22.0:5");
        assertThat(parse("pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters: {}\n", NPM)).isEmpty();
    }

    @Test
    void pnpmMalformed() throws Exception {
        assertRejected("pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages:\n  /a@1: {\n", "invalid YAML");
        assertRejected("pnpm-lock.yaml", "- just\n- a list\n", "not a mapping");
        assertRejected("pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages:\n  /nameonly: {}\n", "line 3: cannot read");
        assertRejected("pnpm-lock.yaml", "name: x\n", "not a pnpm lockfile");
    }

    @Test
    void gradleLockfile() throws Exception {
        assertThat(parse("gradle.lockfile", """
                # This is a Gradle generated file for dependency locking.
                com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath
                org.slf4j:slf4j-api:2.0.7=runtimeClasspath
                empty=annotationProcessor
                """, MAVEN)).containsExactly("com.google.guava:guava@32.1.2-jre:2", "org.slf4j:slf4j-api@2.0.7:3");
        assertRejected("gradle.lockfile", "not-a-coordinate\n", "line 1");
    }

    @Test
    void unreadableOrUnknownFiles() throws Exception {
        assertThatThrownBy(() -> Lockfiles.parse(dir.resolve("README.md"))).isInstanceOf(LockfileException.class)
                .hasMessageContaining("not a lockfile");
        assertThatThrownBy(() -> Lockfiles.parse(dir.resolve("Cargo.lock"))).isInstanceOf(LockfileException.class)
                .hasMessageContaining("cannot read");
        Path binary = Files.write(dir.resolve("yarn.lock"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertThatThrownBy(() -> Lockfiles.parse(binary)).isInstanceOf(LockfileException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void findAllWalksSkippingVendoredTreesAndReportsBadFiles() throws Exception {
        write("app/requirements.txt", "a==1.0\n");
        write("app/go.mod", "module x\nrequire b.com/b v1.0.0\n");
        write("app/node_modules/pkg/package-lock.json", "{\"packages\": {\"node_modules/z\": {\"version\": \"1.0.0\"}}}");
        write("vendor/Cargo.lock", "[[package]]\nname = \"v\"\nversion = \"1\"\n");
        write(".git/yarn.lock", "q@^1:\n  version \"1\"\n");
        write("broken/Cargo.lock", "[[package]]\nname = \"a\"\n");
        write("README.md", "a==1.0\n");
        List<LockfileException> problems = new ArrayList<>();
        List<Dependency> deps = Lockfiles.findAll(dir, problems::add);
        assertThat(deps).extracting(d -> d.ecosystem() + " " + d.name() + " " + d.version())
                .containsExactly("GO b.com/b v1.0.0", "PYPI a 1.0");
        assertThat(problems).singleElement().satisfies(e -> assertThat(e.file()).isEqualTo(dir.resolve("broken/Cargo.lock")));
        assertThat(Lockfiles.findAll(dir)).hasSize(2);
        assertThat(Lockfiles.findAll(dir.resolve("app/go.mod"))).extracting(Dependency::name).containsExactly("b.com/b");
        // an explicitly named root is walked even if it is a skipped name
        assertThat(Lockfiles.findAll(dir.resolve("app/node_modules"))).extracting(Dependency::name).containsExactly("z");
    }
}
