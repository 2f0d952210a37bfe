package dev.freshet.updates.jobs;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.osv.OsvParser;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.Scanner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** A real engine with one code rule and one dependency rule, small projects, and archive builders. */
final class JobFixtures {
    static final TreeSitterParser PARSER = new TreeSitterParser();
    static final String APP_PY = "import os\n\ndef run(x):\n    return eval(x)\n";
    static final String LOCKFILE = """
            {"name": "shop", "lockfileVersion": 3, "packages": {"": {"name": "shop"},
              "node_modules/lodash": {"version": "4.17.11"}}}
            """;

    private JobFixtures() {
    }

    static Scanner scanner() {
        return new Scanner(PARSER, new Scanner.Options(Duration.ofSeconds(10), 1, true));
    }

    /** The production runner on the fixture engine, keeping up to 10,000 findings. */
    static ScanRunner runner() {
        return new EngineScanRunner(scanner(), EngineScanRunner.DEFAULT_MAX_FINDINGS);
    }

    /** The production runner with {@code before} run first, in the worker, with the job id (to hold or fail a scan). */
    static ScanRunner runner(java.util.function.Consumer<String> before) {
        ScanRunner real = runner();
        return (id, unit, snapshot, root, reports) -> {
            before.accept(id);
            return real.run(id, unit, snapshot, root, reports);
        };
    }

    /** Release "rel-1": a python eval rule and the lodash prototype-pollution advisory as a dependency rule. */
    static Knowledge knowledge() {
        RuleLoader loader = new RuleLoader(new PatternCompiler(PARSER));
        RuleSet code = loader.parse(Path.of("eval.yaml"), """
                rules:
                  - id: python-eval
                    message: eval of $X
                    severity: WARNING
                    languages: [python]
                    pattern: eval($X)
                """);
        Advisory lodash = ((OsvParser.Result.Parsed) OsvParser.parse("""
                {"id": "GHSA-jf85-cpcp-j695", "summary": "Prototype Pollution in lodash", "modified": "2024-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]}]}
                """, false)).record();
        RuleSet dependency = loader.parse(Path.of("lodash.yaml"), DependencyRules.document(lodash));
        List<Rule> rules = new ArrayList<>(code.rules());
        rules.addAll(dependency.rules());
        if (!code.problems().isEmpty() || !dependency.problems().isEmpty() || rules.size() != 2) {
            throw new IllegalStateException("fixture rules do not load: " + code.problems() + dependency.problems());
        }
        return new Knowledge("rel-1", rules);
    }

    /** A project with one eval finding and one vulnerable dependency. */
    static Path project(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/app.py"), APP_PY);
        Files.writeString(dir.resolve("package-lock.json"), LOCKFILE);
        return dir;
    }

    static Map<String, String> projectFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("shop/src/app.py", APP_PY);
        files.put("shop/package-lock.json", LOCKFILE);
        return files;
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** One tar entry: a file with content, or a link, directory or special file as {@code type} says. */
    record TarItem(String name, byte type, String content, String linkName) {
        static TarItem file(String name, String content) {
            return new TarItem(name, TarConstants.LF_NORMAL, content, null);
        }
    }

    static byte[] tarGz(List<TarItem> items) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarItem item : items) {
                TarArchiveEntry entry = new TarArchiveEntry(item.name(), item.type(), true); // keeps absolute names
                byte[] content = item.content() == null ? new byte[0] : item.content().getBytes(StandardCharsets.UTF_8);
                if (item.linkName() != null) {
                    entry.setLinkName(item.linkName());
                }
                entry.setSize(item.type() == TarConstants.LF_NORMAL ? content.length : 0);
                tar.putArchiveEntry(entry);
                if (item.type() == TarConstants.LF_NORMAL) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] tarGz(Map<String, String> files) throws IOException {
        return tarGz(files.entrySet().stream().map(f -> TarItem.file(f.getKey(), f.getValue())).toList());
    }
}
