package dev.freshet.engine.deps.lockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.deps.version.Ecosystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages a manifest declares, pinned or not; broken manifests say why and leave the stack to the rest. */
class ManifestsTest {
    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void eachManifestNamesItsPackages() throws Exception {
        assertThat(Manifests.declared(file("package.json", """
                {"name": "shop", "dependencies": {"express": "^4.19.2", "mongoose": "8"}, "devDependencies": {"jest": "29"}}""")))
                .extracting(Dependency::ecosystem, Dependency::name)
                .containsExactly(tuple(Ecosystem.NPM, "express"),
                        tuple(Ecosystem.NPM, "mongoose"), tuple(Ecosystem.NPM, "jest"));
        assertThat(Manifests.declared(file("requirements-dev.txt", "# tools\nFlask>=3.0\nrequests[socks] ; python_version > '3'\n-r base.txt\n")))
                .extracting(Dependency::name).containsExactly("flask", "requests");
        assertThat(Manifests.declared(file("pyproject.toml", """
                [project]
                name = "blog"
                dependencies = [
                    "Django>=5.0",
                    "psycopg2-binary>=2.9",
                ]

                [tool.poetry.dependencies]
                python = "^3.12"
                fastapi = "^0.110"
                """))).extracting(Dependency::name).containsExactly("django", "psycopg2-binary", "fastapi");
        assertThat(Manifests.declared(file("Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n  gem \"pg\"\n")))
                .extracting(Dependency::name).containsExactly("rails", "pg");
        assertThat(Manifests.declared(file("composer.json", "{\"require\": {\"laravel/framework\": \"^11.0\", \"php\": \">=8.2\"}}")))
                .extracting(Dependency::name).containsExactly("laravel/framework", "php");
        assertThat(Manifests.declared(file("README.md", "express"))).isEmpty();
    }

    @Test
    void brokenManifestsAreRefusedWithTheReasonAndTheStackComesFromTheRest() throws Exception {
        assertThatThrownBy(() -> Manifests.declared(file("package.json", "{\"dependencies\": {\"express\": ")))
                .isInstanceOf(LockfileException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Manifests.declared(file("package.json", "{\"dependencies\": [\"express\"]}")))
                .hasMessageContaining("'dependencies' is not an object");
        assertThatThrownBy(() -> Manifests.declared(file("package.json", "[1, 2]"))).hasMessageContaining("not a JSON object");
        Files.write(tmp.resolve("package.json"), new byte[3 * 1024 * 1024]);
        assertThatThrownBy(() -> Manifests.declared(tmp.resolve("package.json"))).hasMessageContaining("larger than 2 MB");

        file("package.json", "{\"dependencies\": ");
        file("requirements.txt", "flask\n");
        file("app.py", "import flask\n");
        assertThat(Stack.of(tmp).summary()).isEqualTo("python + Flask");
    }
}
