package dev.freshet.engine.deps;

import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.lockfile.LockfileException;
import dev.freshet.engine.deps.lockfile.Lockfiles;
import dev.freshet.engine.deps.lockfile.Manifests;
import dev.freshet.engine.scan.SourceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
 * decides which advisories are relevant to a project: those of its ecosystems; and which custom
 * rules fit it: those of its frameworks and libraries (the database drivers, ORMs and template
 * engines whose calls are sinks).
 */
public record Stack(Set<Language> languages, Set<Ecosystem> ecosystems, Set<String> frameworks, Set<String> libraries) {

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
            Ecosystem.MAVEN, Map.of("org.springframework:spring-core", "Spring", "org.springframework:spring-webmvc", "Spring",
                    "org.springframework.boot:spring-boot", "Spring Boot", "org.springframework.boot:spring-boot-starter-web",
                    "Spring", "org.apache.struts:struts2-core", "Struts", "io.quarkus:quarkus-core", "Quarkus"),
            Ecosystem.GO, Map.of("github.com/gin-gonic/gin", "Gin", "github.com/labstack/echo/v4", "Echo",
                    "github.com/gofiber/fiber/v2", "Fiber"),
            Ecosystem.RUBYGEMS, Map.of("rails", "Rails", "sinatra", "Sinatra"),
            Ecosystem.PACKAGIST, Map.of("laravel/framework", "Laravel", "symfony/http-kernel", "Symfony"),
            Ecosystem.CRATES_IO, Map.of("actix-web", "Actix Web", "axum", "Axum", "rocket", "Rocket"));

    /** Dependencies whose presence names a library whose calls custom rules know as sinks or sanitizers. */
    private static final Map<Ecosystem, Map<String, String>> LIBRARIES = Map.of(
            Ecosystem.NPM, Map.of("mongoose", "Mongoose", "mongodb", "MongoDB", "pg", "node-postgres", "mysql", "MySQL",
                    "mysql2", "MySQL", "sqlite3", "SQLite", "sequelize", "Sequelize", "knex", "Knex", "ejs", "EJS",
                    "express-mongo-sanitize", "express-mongo-sanitize"),
            Ecosystem.PYPI, Map.of("sqlalchemy", "SQLAlchemy", "psycopg2", "psycopg2", "psycopg2-binary", "psycopg2",
                    "pymongo", "PyMongo", "jinja2", "Jinja2", "pymysql", "PyMySQL", "requests", "Requests"),
            Ecosystem.MAVEN, Map.of("org.springframework:spring-jdbc", "Spring JDBC", "org.springframework.boot:spring-boot-starter-jdbc",
                    "Spring JDBC", "org.hibernate:hibernate-core", "Hibernate", "mysql:mysql-connector-java", "MySQL",
                    "org.postgresql:postgresql", "PostgreSQL JDBC"),
            Ecosystem.GO, Map.of("gorm.io/gorm", "GORM", "github.com/lib/pq", "pq", "github.com/go-sql-driver/mysql", "MySQL",
                    "github.com/jmoiron/sqlx", "sqlx", "go.mongodb.org/mongo-driver", "MongoDB"),
            Ecosystem.RUBYGEMS, Map.of("activerecord", "ActiveRecord", "pg", "pg", "mysql2", "MySQL"),
            Ecosystem.PACKAGIST, Map.of("doctrine/orm", "Doctrine", "twig/twig", "Twig"));

    private static final int MANIFEST_DEPTH = 4;
    /** Languages of data and markup files: part of a stack, but not what a person names it by. */
    private static final Set<Language> NOT_PROGRAMMING = EnumSet.of(Language.JSON, Language.YAML, Language.HTML, Language.DOCKERFILE);

    public Stack {
        languages = languages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(languages));
        ecosystems = ecosystems.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ecosystems));
        frameworks = Set.copyOf(new TreeSet<>(frameworks));
        libraries = Set.copyOf(new TreeSet<>(libraries));
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
        Set<String> libraries = new TreeSet<>();
        for (Dependency dependency : dependencies) {
            ecosystems.add(dependency.ecosystem());
            String name = AdvisoryIndex.normalize(dependency.ecosystem(), dependency.name());
            String framework = FRAMEWORKS.getOrDefault(dependency.ecosystem(), Map.of()).get(name);
            if (framework != null) {
                frameworks.add(framework);
            }
            String library = LIBRARIES.getOrDefault(dependency.ecosystem(), Map.of()).get(name);
            if (library != null) {
                libraries.add(library);
            }
        }
        return new Stack(languages, ecosystems, frameworks, libraries);
    }

    /**
     * The stack of the project under {@code root}: its source files' languages, its manifests and
     * lockfiles (pinned and merely declared packages alike), at most {@code MANIFEST_DEPTH} levels down.
     */
    public static Stack of(Path root) throws IOException {
        List<Path> sources = new SourceFiles().collect(List.of(root)).files();
        List<Path> others;
        try (Stream<Path> walk = Files.find(root, MANIFEST_DEPTH, (path, attrs) -> attrs.isRegularFile())) {
            others = walk.filter(path -> StreamSupport.stream(root.relativize(path).spliterator(), false)
                    .noneMatch(part -> Lockfiles.SKIPPED_DIRECTORIES.contains(part.toString()))).sorted().toList();
        }
        List<Dependency> dependencies = new ArrayList<>(Lockfiles.findAll(root));
        for (Path file : others) {
            try {
                dependencies.addAll(Manifests.declared(file));
            } catch (LockfileException e) {
                // A broken manifest says nothing of the stack; the lockfiles and the code still do.
            }
        }
        return detect(sources, others, dependencies);
    }

    /** How a person names the stack: "Node.js + Express + Mongoose". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (Language language : languages) {
            if (NOT_PROGRAMMING.contains(language)) {
                continue;
            }
            parts.add(language == Language.JAVASCRIPT && ecosystems.contains(Ecosystem.NPM) ? "Node.js" : language.id());
        }
        parts.sort(null);
        parts.addAll(frameworks);
        parts.addAll(libraries);
        return parts.isEmpty() ? "nothing recognised" : String.join(" + ", parts);
    }

    /** Whether an advisory can concern this project: it covers a package of one of the project's ecosystems. */
    public boolean isRelevant(Advisory advisory) {
        return advisory.affected().stream().anyMatch(affected -> ecosystems.contains(affected.ecosystem()));
    }
}
