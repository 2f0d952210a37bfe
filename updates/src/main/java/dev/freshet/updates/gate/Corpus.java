package dev.freshet.updates.gate;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.SyntaxTree;
import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.Matcher;
import dev.freshet.engine.rules.FormulaEvaluator;
import dev.freshet.engine.rules.Prefilter;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.scan.SourceFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A directory of source files, parsed once per gate run so that each rule's measurement is its
 * matching alone. The trees are read-only and shared by all rule checks.
 */
final class Corpus {
    /** A file with its words; {@code tree} is null for a file of no parsed language. */
    private record ParsedFile(Path relative, SyntaxTree tree, String source, Set<String> words) {
        ParsedFile(Path relative, SyntaxTree tree, String source) {
            this(relative, tree, source, Prefilter.wordsOf(source));
        }

        /** The file as the rules of {@code language} see it, or null if they do not read it. */
        SyntaxTree treeFor(Language language) {
            return !language.parsed() ? SyntaxTree.text(language, source)
                    : tree != null && tree.language() == language ? tree : null;
        }
    }

    private final Path dir;
    private final List<ParsedFile> files;

    private Corpus(Path dir, List<ParsedFile> files) {
        this.dir = dir;
        this.files = files;
    }

    /**
     * Parses the directory's source files (as a scan would pick them: gitignore, size and binary checks
     * apply); every file's text is kept too, for generic and regex rules, which read any file.
     */
    static Corpus load(String role, Path dir, SourceParser parser, ExecutorService pool) throws IOException {
        List<Future<ParsedFile>> parsing = new ArrayList<>();
        try {
            for (Path file : new SourceFiles().collect(List.of(dir)).files()) {
                parsing.add(pool.submit(() -> {
                    byte[] content = Files.readAllBytes(file);
                    if (SourceFiles.isBinary(content)) {
                        return null;
                    }
                    String source = new String(content, StandardCharsets.UTF_8);
                    Language language = Language.forFile(file).orElse(null);
                    return new ParsedFile(dir.relativize(file), language == null ? null : parser.parse(language, source), source);
                }));
            }
            List<ParsedFile> files = new ArrayList<>();
            for (Future<ParsedFile> future : parsing) {
                ParsedFile parsed = future.get();
                if (parsed != null) {
                    files.add(parsed);
                }
            }
            return new Corpus(dir, List.copyOf(files));
        } catch (IOException e) {
            throw new IOException("the " + role + " corpus " + dir + " cannot be read: " + e, e);
        } catch (ExecutionException e) {
            throw new IOException("the " + role + " corpus " + dir + " cannot be read: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the " + role + " corpus " + dir, e);
        }
    }

    int size() {
        return files.size();
    }

    Path dir() {
        return dir;
    }

    /** The findings the rule reports on the corpus (one per range and file, path filters applied, as in a scan). */
    int findings(Rule rule, SourceParser parser, Deadline deadline) {
        int count = 0;
        for (ParsedFile file : files) {
            if (!rule.paths().accepts(file.relative())) {
                continue;
            }
            Set<Long> ranges = new HashSet<>();
            for (Language language : rule.formulas().keySet()) {
                SyntaxTree tree = file.treeFor(language);
                if (tree == null || !rule.prefilters().get(language).mayMatch(file.words())) {
                    continue;
                }
                Matcher matcher = new Matcher(tree, deadline);
                for (Match match : new FormulaEvaluator(parser, deadline).evaluate(rule.formulas().get(language), matcher)) {
                    ranges.add(((long) match.start() << 32) | match.end());
                }
            }
            count += ranges.size();
        }
        return count;
    }
}
