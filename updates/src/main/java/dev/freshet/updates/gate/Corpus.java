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
    private record ParsedFile(Path relative, SyntaxTree tree, Set<String> words) {
        ParsedFile(Path relative, SyntaxTree tree) {
            this(relative, tree, Prefilter.wordsOf(tree.source()));
        }
    }

    private final Path dir;
    private final List<ParsedFile> files;

    private Corpus(Path dir, List<ParsedFile> files) {
        this.dir = dir;
        this.files = files;
    }

    /** Parses the directory's source files (as a scan would pick them: gitignore, size and binary checks apply). */
    static Corpus load(String role, Path dir, SourceParser parser, ExecutorService pool) throws IOException {
        List<Future<ParsedFile>> parsing = new ArrayList<>();
        try {
            for (Path file : new SourceFiles().collect(List.of(dir)).files()) {
                Language.forFile(file).ifPresent(language -> parsing.add(pool.submit(() -> new ParsedFile(
                        dir.relativize(file), parser.parse(language, new String(Files.readAllBytes(file), StandardCharsets.UTF_8))))));
            }
            List<ParsedFile> files = new ArrayList<>();
            for (Future<ParsedFile> future : parsing) {
                files.add(future.get());
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
            Language language = file.tree().language();
            if (!rule.appliesTo(language) || !rule.paths().accepts(file.relative())
                    || !rule.prefilters().get(language).mayMatch(file.words())) {
                continue;
            }
            Set<Long> ranges = new HashSet<>();
            Matcher matcher = new Matcher(file.tree(), deadline);
            for (Match match : new FormulaEvaluator(parser, deadline).evaluate(rule.formulas().get(language), matcher)) {
                ranges.add(((long) match.start() << 32) | match.end());
            }
            count += ranges.size();
        }
        return count;
    }
}
