package dev.freshet.app;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.Scanner;
import java.time.Duration;

/** The engine's parts, wired once per command. */
record Engine(TreeSitterParser parser, RuleLoader loader, Scanner scanner) {

    static Engine create(int threads, Duration timeoutPerFile, boolean applyPathFilters) {
        TreeSitterParser parser = new TreeSitterParser();
        RuleLoader loader = new RuleLoader(new PatternCompiler(parser));
        Scanner scanner = new Scanner(parser, new Scanner.Options(timeoutPerFile, threads, applyPathFilters));
        return new Engine(parser, loader, scanner);
    }
}
