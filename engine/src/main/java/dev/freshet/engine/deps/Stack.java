package dev.freshet.engine.deps;

import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.parse.Language;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a project is built with: the languages of its source files, the package ecosystems its
 * manifests and lockfiles belong to, and the well-known frameworks among its dependencies. It
 * decides which advisories are relevant to a project: those of its ecosystems.
 */
public record Stack(Set<Language> languages, Set<Ecosystem> ecosystems, Set<String> frameworks) {

    /** Manifests that declare an ecosystem even where no lockfile pins versions yet. */
    private static final Map<String, Ecosystem> MANIFESTS = Map.ofEntries(
            Map.entry("package.json", Ecosystem.NPM), Map.entry("pyproject.toml", Ecosystem.PYPI),
            Map.entry("setup.py", Ecosystem.PYPI), Map.entry("setup.cfg", Ecosystem.PYPI),
            Map.entry("Pipfile", Ecosystem.PYPI), Map.entry("go.mod", Ecosystem.GO),
            Map.entry("Cargo.toml", Ecosystem.CRATES_IO), Map.entry("Gemfile", Ecosystem.RUBYGEMS),
            Map.entry("composer.json", Ecosystem.PACKAGIST), Map.entry("pom.xml", Ecosystem.MAVEN),
            Map.entry("build.gradle", Ecosystem.MAVEN), Map.entry("build.gradle.kts", Ecosystem.MAVEN));

    /** Dependencies whose presence names a framework (package name as its ecosystem spells it). */
    private static final Map<Ecosystem, Map<String, String>> FRAMEWORKS = Map.of(
            Ecosystem.NPM, Map.of("express", "Express", "react", "React", "next", "Next.js", "vue", "Vue",
                    "@angular/core", "Angular", "koa", "Koa", "fastify", "Fastify", "@nestjs/core", "NestJS"),
            Ecosystem.PYPI, Map.of("django", "Django", "flask", "Flask", "fastapi", "FastAPI", "tornado", "Tornado"),
            Ecosystem.MAVEN, Map.of("org.springframework:spring-core", "Spring", "org.springframework.boot:spring-boot",
                    "Spring Boot", "org.apache.struts:struts2-core", "Struts", "io.quarkus:quarkus-core", "Quarkus"),
            Ecosystem.GO, Map.of("github.com/gin-gonic/gin", "Gin", "github.com/labstack/echo/v4", "Echo",
                    "github.com/gofiber/fiber/v2", "Fiber"),
            Ecosystem.RUBYGEMS, Map.of("rails", "Rails", "sinatra", "Sinatra"),
            Ecosystem.PACKAGIST, Map.of("laravel/framework", "Laravel", "symfony/http-kernel", "Symfony"),
            Ecosystem.CRATES_IO, Map.of("actix-web", "Actix Web", "axum", "Axum", "rocket", "Rocket"));

    public Stack {
        languages = languages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(languages));
        ecosystems = ecosystems.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ecosystems));
        frameworks = Set.copyOf(new TreeSet<>(frameworks));
    }

    /**
     * The stack of a project from its source files, the other files it holds (manifests) and the
     * dependencies its lockfiles pin.
     */
    public static Stack detect(Collection<Path> sourceFiles, Collection<Path> otherFiles, List<Dependency> dependencies) {
        Set<Language> languages = EnumSet.noneOf(Language.class);
        sourceFiles.forEach(file -> Language.forFile(file).ifPresent(languages::add));
        Set<Ecosystem> ecosystems = EnumSet.noneOf(Ecosystem.class);
        for (Path file : otherFiles) {
            Path name = file.getFileName();
            Ecosystem declared = name == null ? null : MANIFESTS.get(name.toString());
            if (declared != null) {
                ecosystems.add(declared);
            }
        }
        Set<String> frameworks = new TreeSet<>();
        for (Dependency dependency : dependencies) {
            ecosystems.add(dependency.ecosystem());
            String framework = FRAMEWORKS.getOrDefault(dependency.ecosystem(), Map.of())
                    .get(AdvisoryIndex.normalize(dependency.ecosystem(), dependency.name()));
            if (framework != null) {
                frameworks.add(framework);
            }
        }
        return new Stack(languages, ecosystems, frameworks);
    }

    /** Whether an advisory can concern this project: it covers a package of one of the project's ecosystems. */
    public boolean isRelevant(Advisory advisory) {
        return advisory.affected().stream().anyMatch(affected -> ecosystems.contains(affected.ecosystem()));
    }
}
