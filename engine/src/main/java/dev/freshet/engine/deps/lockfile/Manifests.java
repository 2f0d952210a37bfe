package dev.freshet.engine.deps.lockfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packages a manifest declares, pinned or not: what a project means to use before any lockfile
 * exists ({@code package.json}, {@code requirements*.txt}, {@code pyproject.toml}, {@code composer.json},
 * {@code Gemfile}). Lockfiles say which versions; manifests say which libraries, which is what a
 * project's stack is made of. Declared dependencies carry the version range as written (or "").
 */
public final class Manifests {
    /** Manifests larger than this are not read: real ones are a few kB. */
    private static final long MAX_BYTES = 2L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUIREMENT = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\\[[^]]*])?\\s*([<>=!~;@ ].*)?$");
    private static final Pattern GEM = Pattern.compile("^\\s*gem\\s+['\"]([A-Za-z0-9._-]+)['\"]");
    private static final Pattern QUOTED = Pattern.compile("['\"]([^'\"]+)['\"]");

    private Manifests() {
    }

    /** Whether {@code file} is a manifest this class reads. */
    public static boolean isManifest(Path file) {
        return kind(file) != null;
    }

    private enum Kind { PACKAGE_JSON, REQUIREMENTS, PYPROJECT, COMPOSER_JSON, GEMFILE }

    private static Kind kind(Path file) {
        Path fileName = file.getFileName();
        if (fileName == null) {
            return null;
        }
        String name = fileName.toString();
        return switch (name) {
            case "package.json" -> Kind.PACKAGE_JSON;
            case "pyproject.toml" -> Kind.PYPROJECT;
            case "composer.json" -> Kind.COMPOSER_JSON;
            case "Gemfile", "gems.rb" -> Kind.GEMFILE;
            default -> name.endsWith(".txt") && name.contains("requirements") ? Kind.REQUIREMENTS : null;
        };
    }

    /** The packages {@code file} declares; a manifest that is not one of ours declares none. */
    public static List<Dependency> declared(Path file) throws LockfileException {
        Kind kind = kind(file);
        if (kind == null) {
            return List.of();
        }
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new LockfileException(file, "larger than " + MAX_BYTES / (1024 * 1024) + " MB; not a manifest Freshet reads", null);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LockfileException(file, "cannot read: " + e.getMessage(), e);
        }
        List<Dependency> out = new ArrayList<>();
        switch (kind) {
            case PACKAGE_JSON -> jsonObjects(file, text, Ecosystem.NPM, out, "dependencies", "devDependencies", "peerDependencies");
            case COMPOSER_JSON -> jsonObjects(file, text, Ecosystem.PACKAGIST, out, "require", "require-dev");
            case REQUIREMENTS -> requirements(file, text, out);
            case PYPROJECT -> pyproject(file, text, out);
            case GEMFILE -> lines(text, (line, no) -> {
                Matcher gem = GEM.matcher(line);
                if (gem.find()) {
                    out.add(new Dependency(Ecosystem.RUBYGEMS, gem.group(1), "", file, no));
                }
            });
        }
        return out;
    }

    private static void jsonObjects(Path file, String text, Ecosystem ecosystem, List<Dependency> out, String... sections)
            throws LockfileException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new LockfileException(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new LockfileException(file, "not a JSON object", null);
        }
        for (String section : sections) {
            JsonNode packages = root.get(section);
            if (packages == null) {
                continue;
            }
            if (!packages.isObject()) {
                throw new LockfileException(file, "'" + section + "' is not an object of package names to versions", null);
            }
            for (Iterator<String> names = packages.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                JsonNode version = packages.get(name);
                out.add(new Dependency(ecosystem, name, version.isTextual() ? version.asText() : "", file, 0));
            }
        }
    }

    private static void requirements(Path file, String text, List<Dependency> out) {
        lines(text, (line, no) -> {
            String s = line.replaceAll("(^|\\s)#.*", "").strip();
            if (s.isEmpty() || s.startsWith("-")) {
                return;
            }
            requirement(s).ifPresent(name -> out.add(new Dependency(Ecosystem.PYPI, name, "", file, no)));
        });
    }

    /**
     * PEP 621 {@code [project] dependencies = [...]} and Poetry's {@code [tool.poetry.dependencies]}
     * tables: the two places a pyproject names its packages. Read line by line, as a table or an array
     * of quoted requirement strings, which is all these sections hold.
     */
    private static void pyproject(Path file, String text, List<Dependency> out) {
        String[] table = {""};
        boolean[] inArray = {false};
        lines(text, (line, no) -> {
            String s = line.replaceAll("(^|\\s)#.*", "").strip();
            if (s.startsWith("[") && !inArray[0]) {
                table[0] = s.replaceAll("[\\[\\]\\s]", "");
                return;
            }
            if (table[0].equals("project") && s.startsWith("dependencies") && s.contains("[")) {
                inArray[0] = !s.contains("]");
                quotedRequirements(s.substring(s.indexOf('[')), file, no, out);
            } else if (inArray[0]) {
                inArray[0] = !s.contains("]");
                quotedRequirements(s, file, no, out);
            } else if (table[0].equals("tool.poetry.dependencies") || table[0].equals("tool.poetry.dev-dependencies")) {
                int equals = s.indexOf('=');
                String name = equals > 0 ? s.substring(0, equals).strip().replace("\"", "") : "";
                if (!name.isEmpty() && !name.equalsIgnoreCase("python")) {
                    out.add(new Dependency(Ecosystem.PYPI, name, "", file, no));
                }
            }
        });
    }

    private static void quotedRequirements(String s, Path file, int no, List<Dependency> out) {
        Matcher quoted = QUOTED.matcher(s);
        while (quoted.find()) {
            requirement(quoted.group(1)).ifPresent(name -> out.add(new Dependency(Ecosystem.PYPI, name, "", file, no)));
        }
    }

    private static Optional<String> requirement(String s) {
        Matcher m = REQUIREMENT.matcher(s);
        return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private interface LineVisitor {
        void visit(String line, int number);
    }

    private static void lines(String text, LineVisitor visitor) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            visitor.visit(lines[i], i + 1);
        }
    }
}
