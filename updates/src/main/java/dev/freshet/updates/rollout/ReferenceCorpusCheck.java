package dev.freshet.updates.rollout;

import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.scan.SourceFiles;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Release;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The post-activation check: the released rules must build a complete snapshot (compiled by the
 * same compiler, and so the same cache, as the running knowledge), and a scan of the reference
 * corpus with it must stay within the policy's error count and time.
 */
public final class ReferenceCorpusCheck implements Updater.PostActivationCheck {
    private final RuleCompiler compiler;
    private final Scanner scanner;
    private final Optional<Path> referenceCorpus;
    private final UpdatePolicy.Rollback limits;

    public ReferenceCorpusCheck(RuleCompiler compiler, Scanner scanner, Optional<Path> referenceCorpus, UpdatePolicy.Rollback limits) {
        this.compiler = compiler;
        this.scanner = scanner;
        this.referenceCorpus = referenceCorpus;
        this.limits = limits;
    }

    @Override
    public Optional<String> problem(Release release) {
        RuleCompiler.Result compiled = compiler.compile(release.id(), ActiveKnowledge.documents(release.rules()));
        if (!compiled.problems().isEmpty()) {
            return Optional.of(compiled.problems().size() + " rule(s) do not compile, first: " + compiled.problems().get(0));
        }
        if (referenceCorpus.isEmpty()) {
            return Optional.empty();
        }
        Path corpus = referenceCorpus.get();
        try {
            var files = new SourceFiles().collect(List.of(corpus)).files();
            ScanResult result = scanner.scan(compiled.knowledge().rules(), files, corpus, n -> { });
            long errors = result.problems().stream()
                    .filter(p -> p.kind() == ScanProblem.Kind.RULE_ERROR || p.kind() == ScanProblem.Kind.TIMEOUT).count();
            Duration took = Duration.ofNanos(result.elapsedNanos());
            if (errors > limits.maxScanErrors()) {
                return Optional.of(errors + " scan error(s) on the reference corpus");
            }
            if (took.compareTo(limits.maxScanDuration()) > 0) {
                return Optional.of("scanning the reference corpus took " + took.toSeconds() + " s, over " + limits.maxScanSeconds() + " s");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read the reference corpus: " + e.getMessage());
        }
    }
}
