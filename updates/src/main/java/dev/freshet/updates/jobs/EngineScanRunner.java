package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.engine.report.RuleInfo;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.scan.DependencyScan;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.scan.SourceFiles;
import dev.freshet.updates.rollout.RolloutScans;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Code rules and dependencies, as {@code freshet scan} runs them, with at most {@code maxFindings}
 * findings per scan (beyond it the reports say "truncated after N findings"); reports show paths
 * relative to the scanned directory. During a rollout the unit's cohort picks stable or the
 * candidate, and a shadowed candidate scans the same files unseen ({@link RolloutScans}).
 */
public final class EngineScanRunner implements ScanRunner {
    /** Findings a scan keeps unless configured otherwise: a large report, far from exhausting the heap. */
    public static final int DEFAULT_MAX_FINDINGS = 10_000;

    private final Scanner scanner;
    private final int maxFindings;
    private final String toolVersion = toolVersion();
    private final RolloutScans rollouts;

    /** A runner that serves stable knowledge only. */
    public EngineScanRunner(Scanner scanner, int maxFindings) {
        this(scanner, maxFindings, null);
    }

    /** A runner taking part in rollouts: {@code rollouts} chooses each unit's knowledge and records the figures. */
    public EngineScanRunner(Scanner scanner, int maxFindings, RolloutScans rollouts) {
        if (maxFindings < 1) {
            throw new IllegalArgumentException("the limit of findings per scan must be at least 1: " + maxFindings);
        }
        this.scanner = scanner;
        this.maxFindings = maxFindings;
        this.rollouts = rollouts;
    }

    @Override
    public Scanned run(String jobId, Unit unit, Knowledge snapshot, Path root, Reports reports) throws IOException {
        Path base = Files.isDirectory(root) ? root : root.getParent();
        SourceFiles.Selection selection = new SourceFiles().collect(List.of(root));
        DependencyScan.Pinned pinned = DependencyScan.pinned(List.of(root));
        // A rollout's analysis compares the times of stable and candidate scans, so while one is under
        // way no scan may reuse another's findings.
        Scanner timedFairly = snapshot.track(Knowledge.RULES).map(t -> t.candidate() != null).orElse(false)
                ? scanner.uncached() : scanner;
        // The tenant's own rules join whichever global rules its cohort is served; no other tenant's scan sees them.
        List<Rule> own = snapshot.rulesOfTenant(unit.tenant());
        RolloutScans.Scan scan = rules -> DependencyScan.scan(timedFairly, withOwn(rules, own), selection.files(), base, pinned, n -> { },
                maxFindings);
        RolloutScans.Served served;
        try {
            served = rollouts == null ? RolloutScans.stable(snapshot, scan)
                    : rollouts.scan(snapshot, unit.tenant(), unit.project(), unit.cohort(), scan);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("scan job " + jobId + " failed", e);
        }
        ScanResult result = served.result();
        List<RuleInfo> rules = withOwn(served.release().rules(), own).stream().filter(r -> !r.isDependencyRule()).map(RuleInfo::of).toList();
        for (ReportFormat format : FORMATS) {
            try (Writer out = reports.open(format)) {
                format.writer(toolVersion).write(result, rules, base, out);
            }
        }
        return new Scanned(served.release().releaseId(), result.findings().size(), result.dependencies().size(), result.truncated());
    }

    private static List<Rule> withOwn(List<Rule> global, List<Rule> own) {
        if (own.isEmpty()) {
            return global;
        }
        List<Rule> all = new ArrayList<>(global);
        all.addAll(own);
        return all;
    }

    /** Freshet's version for the reports, from the launcher's jar when it is on the class path. */
    private static String toolVersion() {
        try (InputStream in = EngineScanRunner.class.getResourceAsStream("/freshet-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
