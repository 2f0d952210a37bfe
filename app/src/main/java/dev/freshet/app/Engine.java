package dev.freshet.app;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.FindingCache;
import dev.freshet.engine.scan.Scanner;
import java.time.Duration;

/**
 * The engine's parts: one parser (its native grammars are held per thread, so one parser is one
 * pool) and one rule loader; scanners with different limits share them.
 */
public record Engine(TreeSitterParser parser, RuleLoader loader) {
    /** The default limit on matching one file. */
    public static final Duration TIMEOUT_PER_FILE = Duration.ofSeconds(30);

    public static Engine create() {
        TreeSitterParser parser = new TreeSitterParser();
        return new Engine(parser, new RuleLoader(new PatternCompiler(parser)));
    }

    /** A scanner on this engine's parser. */
    public Scanner scanner(int threads, Duration timeoutPerFile, boolean applyPathFilters) {
        return new Scanner(parser, new Scanner.Options(timeoutPerFile, threads, applyPathFilters));
    }

    /** A scanner on every core, with the default time limit and the rules' path filters. */
    public Scanner scanner() {
        return scanner(Runtime.getRuntime().availableProcessors(), TIMEOUT_PER_FILE, true);
    }

    /**
     * Like {@link #scanner()}, reusing what each rule found in each file's content: a rescan after an
     * activation, or a rollout's shadow beside stable, runs only the changed rules on unchanged files.
     */
    public Scanner cachingScanner(FindingCache cache) {
        return scanner().caching(cache);
    }
}
