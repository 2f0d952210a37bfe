package dev.freshet.engine.deps.lockfile;

import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Line-oriented lockfiles: requirements.txt, go.mod, Cargo.lock / poetry.lock / uv.lock, Gemfile.lock, yarn.lock, gradle.lockfile. */
final class TextLockfiles {
    private TextLockfiles() {
    }

    static String[] lines(String text) {
        return text.split("\\R", -1);
    }

    // ---- requirements.txt

    private static final Pattern REQUIREMENT =
            Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[[^\\]]*])?\\s*(.*)");

    /** Only pinned {@code name==version} lines count; options, paths, URLs and open ranges are skipped. */
    static void requirements(Found out, String text) throws LockfileException {
        String[] lines = lines(text);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            StringBuilder sb = new StringBuilder(lines[i]);
            while (sb.toString().endsWith("\\") && i + 1 < lines.length) {
                sb.setLength(sb.length() - 1);
                sb.append(' ').append(lines[++i]);
            }
            String s = sb.toString().replaceAll("(^|\\s)#.*", "").strip();
            if (s.isEmpty() || s.startsWith("-")) continue;
            s = s.replaceAll("\\s--\\S.*", "");             // per-requirement options such as --hash
            if (s.indexOf(';') >= 0) s = s.substring(0, s.indexOf(';')).strip(); // environment markers
            if (s.contains("://") || s.contains(" @ ") || s.startsWith(".") || s.startsWith("/")) continue;
            Matcher m = REQUIREMENT.matcher(s);
            if (!m.matches()) throw out.error(lineNo, "not a requirement: " + abbreviate(s));
            String spec = m.group(2).strip();
            if (spec.isEmpty() || !spec.startsWith("==")) continue; // unpinned
            String version = spec.substring(spec.startsWith("===") ? 3 : 2).strip();
            if (version.isEmpty() || version.matches(".*[\\s,<>=!~].*")) {
                if (version.isEmpty()) throw out.error(lineNo, "\"==\" without a version");
                continue; // a range such as ==1.0,<2 is not a pin
            }
            if (version.endsWith("*")) continue; // ==1.* is a range
            out.add(Ecosystem.PYPI, m.group(1), version, lineNo);
        }
    }

    // ---- go.mod

    private static final Set<String> GO_DIRECTIVES =
            Set.of("module", "go", "toolchain", "godebug", "require", "replace", "exclude", "retract", "tool", "ignore");

    private static final Pattern GO_VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

    private record Req(String path, String version, int line) {}

    /**
     * {@code require} lines and blocks (indirect ones too), with {@code replace} onto another module
     * applied. Before Go 1.17 go.mod need not list indirect dependencies, so for such a module (or one
     * without a {@code go} line) the modules that only its go.sum pins are added from there.
     */
    static void goMod(Found out, String text) throws LockfileException {
        List<Req> requires = new ArrayList<>();
        Map<String, String[]> replaces = new HashMap<>(); // "path" or "path@version" -> {newPath, newVersion}
        String block = null, goVersion = null;
        int blockLine = 0;
        String[] lines = lines(text);
        for (int i = 0; i < lines.length; i++) {
            String s = lines[i];
            int comment = s.indexOf("//");
            if (comment >= 0) s = s.substring(0, comment);
            s = s.strip();
            if (s.isEmpty()) continue;
            String[] t = s.replace("\"", "").split("\\s+");
            if (block != null) {
                if (s.equals(")")) block = null;
                else goDirective(out, block, t, i + 1, requires, replaces);
            } else if (!GO_DIRECTIVES.contains(t[0])) {
                throw out.error(i + 1, "unknown go.mod directive: " + abbreviate(t[0]));
            } else if (t.length == 2 && t[1].equals("(")) {
                block = t[0];
                blockLine = i + 1;
            } else {
                if (t[0].equals("go") && t.length == 2) goVersion = t[1];
                goDirective(out, t[0], Arrays.copyOfRange(t, 1, t.length), i + 1, requires, replaces);
            }
        }
        if (block != null) throw out.error(blockLine, "\"" + block + " (\" block is never closed");
        Set<String> listed = new HashSet<>();
        for (Req r : requires) {
            String[] to = replaces.getOrDefault(r.path + "@" + r.version, replaces.get(r.path));
            boolean local = to == null || to[0].startsWith(".") || to[0].startsWith("/");
            out.add(Ecosystem.GO, local ? r.path : to[0], local ? r.version : to[1], r.line);
            listed.add(r.path);
            if (!local) listed.add(to[0]);
        }
        if (!listsIndirectDependencies(goVersion)) goSum(out, listed);
    }

    /** Whether a go.mod of this {@code go} version lists every module of the build (module graph pruning, Go 1.17). */
    private static boolean listsIndirectDependencies(String goVersion) {
        Matcher m = goVersion == null ? null : GO_VERSION.matcher(goVersion);
        if (m == null || !m.matches()) return false;
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
        return major > 1 || minor >= 17;
    }

    /**
     * The modules of the sibling go.sum that go.mod does not list, each at its highest version with
     * a hash of its code; lines that hash only a {@code go.mod} belong to modules whose code is not built.
     */
    private static void goSum(Found out, Set<String> listed) throws LockfileException {
        Path sum = out.file().resolveSibling("go.sum");
        if (!Files.isRegularFile(sum)) return;
        String[] lines;
        try {
            lines = lines(Files.readString(sum));
        } catch (IOException e) {
            throw new LockfileException(sum, "cannot read: " + e, e);
        }
        Map<String, Req> highest = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String[] t = lines[i].strip().split("\\s+");
            if (t.length < 2 || t[1].endsWith("/go.mod") || listed.contains(t[0])) continue;
            Req seen = highest.get(t[0]);
            if (seen == null || newer(t[1], seen.version)) highest.put(t[0], new Req(t[0], t[1], i + 1));
        }
        for (Req r : highest.values()) out.add(sum, Ecosystem.GO, r.path, r.version, r.line);
    }

    private static boolean newer(String version, String than) {
        var scheme = Ecosystem.GO.scheme();
        return scheme.isValid(version) && (!scheme.isValid(than) || scheme.compare(version, than) > 0);
    }

    private static void goDirective(Found out, String verb, String[] t, int line, List<Req> requires,
            Map<String, String[]> replaces) throws LockfileException {
        if (verb.equals("require")) {
            if (t.length != 2) throw out.error(line, "require needs a module path and a version");
            requires.add(new Req(t[0], t[1], line));
        } else if (verb.equals("replace")) {
            int arrow = List.of(t).indexOf("=>");
            if (arrow < 1 || arrow > 2 || t.length - arrow - 1 < 1 || t.length - arrow - 1 > 2) {
                throw out.error(line, "replace needs \"old [version] => new [version]\"");
            }
            String key = arrow == 2 ? t[0] + "@" + t[1] : t[0];
            replaces.put(key, new String[] {t[arrow + 1], t.length == arrow + 3 ? t[arrow + 2] : null});
        }
    }

    // ---- Cargo.lock, poetry.lock, uv.lock: [[package]] tables with name and version

    private static final Pattern TOML_KEY = Pattern.compile("([A-Za-z0-9_-]+)\\s*=\\s*(.*)");
    private static final Pattern TOML_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(#.*)?");

    static void tomlPackages(Found out, String text, Ecosystem ecosystem) throws LockfileException {
        String name = null, version = null;
        int pkgLine = 0, nameLine = 0;
        boolean inPackage = false, seenTable = false;
        int openArrays = 0; // a multi-line array value continues until its brackets close
        String[] lines = lines(text);
        for (int i = 0; i <= lines.length; i++) {
            String s = i < lines.length ? lines[i].strip() : "[end]";
            if (openArrays > 0 && i < lines.length) {
                openArrays += bracketBalance(s);
                continue;
            }
            if (s.startsWith("[")) {
                if (inPackage) {
                    if (name == null || version == null) throw out.error(pkgLine, "[[package]] without a name and version");
                    out.add(ecosystem, name, version, nameLine);
                }
                inPackage = s.matches("\\[\\[\\s*package\\s*]]\\s*(#.*)?");
                seenTable = true;
                name = version = null;
                pkgLine = i + 1;
                continue;
            }
            if (s.isEmpty() || s.startsWith("#")) continue;
            Matcher kv = TOML_KEY.matcher(s);
            if (!seenTable && !kv.matches()) throw out.error(i + 1, "not TOML: " + abbreviate(s));
            if (kv.matches()) openArrays = Math.max(0, bracketBalance(kv.group(2)));
            if (!inPackage || !kv.matches() || !(kv.group(1).equals("name") || kv.group(1).equals("version"))) continue;
            Matcher str = TOML_STRING.matcher(kv.group(2));
            if (!str.matches()) throw out.error(i + 1, kv.group(1) + " is not a string: " + abbreviate(kv.group(2)));
            if (kv.group(1).equals("name")) {
                name = str.group(1);
                nameLine = i + 1;
            } else {
                version = str.group(1);
            }
        }
    }

    /** Opening minus closing square brackets outside strings and comments. */
    private static int bracketBalance(String value) {
        int balance = 0;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                break;
            } else if (c == '[') {
                balance++;
            } else if (c == ']') {
                balance--;
            }
        }
        return balance;
    }

    // ---- Gemfile.lock

    private static final Pattern GEM_SPEC = Pattern.compile(" {4}([^\\s(]+) \\(([^)\\s]+)\\)");
    private static final Set<String> GEM_SOURCES = Set.of("GEM", "GIT", "PATH", "PLUGIN SOURCE");

    /** Gems under the {@code specs:} of GEM, GIT and PATH sections; a platform suffix (-x86_64-linux) is dropped. */
    static void gemfile(Found out, String text) throws LockfileException {
        String section = "";
        boolean inSpecs = false, sawSection = false;
        String[] lines = lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) continue;
            if (!Character.isWhitespace(line.charAt(0))) {
                section = line.strip();
                sawSection |= section.matches("[A-Z][A-Z ]*");
                inSpecs = false;
            } else if (GEM_SOURCES.contains(section) && line.equals("  specs:")) {
                inSpecs = true;
            } else if (inSpecs && line.startsWith("    ") && !line.startsWith("     ")) {
                Matcher m = GEM_SPEC.matcher(line);
                if (!m.matches()) throw out.error(i + 1, "not a \"name (version)\" spec: " + abbreviate(line.strip()));
                String version = m.group(2);
                int dash = version.indexOf('-');
                out.add(Ecosystem.RUBYGEMS, m.group(1), dash > 0 ? version.substring(0, dash) : version, i + 1);
            }
        }
        if (!sawSection && !text.isBlank()) throw out.error("no GEM, PLATFORMS or other section: not a Gemfile.lock");
    }

    // ---- yarn.lock (v1 and berry)

    private static final Pattern YARN_VERSION = Pattern.compile(" {2}\"?version\"?:? \"?([^\"\\s]+)\"?\\s*");

    static void yarn(Found out, String text) throws LockfileException {
        String[] lines = lines(text);
        String spec = null;
        int headerLine = 0;
        String version = null;
        int versionLine = 0;
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "<end>";
            if (line.isBlank() || line.startsWith("#")) continue;
            if (!Character.isWhitespace(line.charAt(0))) {
                if (spec != null) yarnEntry(out, spec, headerLine, version, versionLine);
                if (i == lines.length) break;
                if (!line.stripTrailing().endsWith(":")) throw out.error(i + 1, "expected \"name@range:\" but found " + abbreviate(line));
                spec = line.split(",")[0].replace("\"", "").replaceAll(":\\s*$", "").strip();
                headerLine = i + 1;
                version = null;
            } else if (spec != null && version == null) {
                Matcher m = YARN_VERSION.matcher(line);
                if (m.matches()) {
                    version = m.group(1);
                    versionLine = i + 1;
                }
            }
        }
    }

    private static void yarnEntry(Found out, String spec, int headerLine, String version, int versionLine)
            throws LockfileException {
        if (spec.equals("__metadata")) return;
        int at = spec.indexOf('@', 1);
        if (at < 0) throw out.error(headerLine, "entry \"" + abbreviate(spec) + "\" has no @range");
        String range = spec.substring(at + 1);
        if (range.matches("(workspace|link|portal|file):.*")) return; // the project's own packages
        if (version == null) throw out.error(headerLine, "entry \"" + abbreviate(spec) + "\" has no version");
        out.add(Ecosystem.NPM, spec.substring(0, at), version, versionLine);
    }

    // ---- gradle.lockfile

    static void gradle(Found out, String text) throws LockfileException {
        String[] lines = lines(text);
        for (int i = 0; i < lines.length; i++) {
            String s = lines[i].strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith("empty=")) continue;
            String[] gav = s.split("=", 2)[0].split(":");
            if (gav.length != 3) throw out.error(i + 1, "expected group:artifact:version=configurations");
            out.add(Ecosystem.MAVEN, gav[0] + ":" + gav[1], gav[2], i + 1);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
