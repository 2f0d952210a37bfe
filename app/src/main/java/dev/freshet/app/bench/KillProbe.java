package dev.freshet.app.bench;

import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * kill -9 in the middle of work: each round starts {@code serve} on the same store, keeps it busy
 * (scan submissions, or activations flipping between two releases) for a random moment, kills it
 * with SIGKILL, then opens the store itself and checks it: exactly one active release, the one the
 * history ends with, a history whose rows chain, every acknowledged activation and scan still there.
 */
final class KillProbe {
    enum Work { SCANS, ACTIVATIONS }

    /**
     * @param acknowledged requests the server answered with success before it died
     * @param problems     consistency failures found, one line each (empty: consistent every round)
     * @param finalStates  scans only: the states of every acknowledged scan once a last start had time to finish them
     */
    record Result(Work work, int rounds, int acknowledged, long medianStartMillis, List<String> problems,
                  Map<String, Integer> finalStates) {
    }

    private final Path work;
    private final List<String> serveArguments;
    private final Random random = new Random(11);

    KillProbe(Path work, List<String> serveArguments) {
        this.work = work;
        this.serveArguments = serveArguments;
    }

    /** Runs up to {@code rounds} rounds, fewer when {@code budget} is spent (a loaded machine starts JVMs slowly). */
    Result run(Work kind, int rounds, Duration budget, String key, Path project) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> releases = kind == Work.ACTIVATIONS ? twoReleases(key) : List.of();
        Set<String> acknowledgedScans = new LinkedHashSet<>();
        int acknowledged = 0;
        List<Long> starts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int round = 0;
        while (round < rounds && System.nanoTime() < deadline) {
            round++;
            long started = System.nanoTime();
            try (ServeProcess serve = ServeProcess.start(work, serveArguments, ServeProcess.Jvm.SHORT_LIVED, Duration.ofSeconds(120))) {
                starts.add((System.nanoTime() - started) / 1_000_000);
                checkServedKnowledge(serve, key, round, problems);
                long until = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(900)).toNanos();
                int flip = 0;
                while (System.nanoTime() < until) {
                    if (kind == Work.SCANS) {
                        ServeProcess.Answer submitted = serve.post(key, "/api/scans",
                                "{\"path\": " + ScanAndSourceProbes.quote(project.toString()) + "}", Duration.ofSeconds(5));
                        if (submitted.status() == 202) {
                            acknowledgedScans.add(submitted.json().get("id").asText());
                        }
                    } else {
                        String release = releases.get(flip++ % 2);
                        if (serve.post(key, "/api/releases/" + release + "/activate", null, Duration.ofSeconds(5)).status() == 200) {
                            acknowledged++;
                        }
                    }
                }
                serve.kill();
            }
            checkStore(round, kind == Work.SCANS ? acknowledgedScans : Set.of(), problems);
        }
        Map<String, Integer> finalStates = kind == Work.SCANS ? finish(key, acknowledgedScans) : Map.of();
        return new Result(kind, round, kind == Work.SCANS ? acknowledgedScans.size() : acknowledged,
                SlowBodyProbe.percentile(starts.stream().sorted().toList(), 50), problems, finalStates);
    }

    /** Two releases to flip between: a source is checked, changed and checked again. */
    private List<String> twoReleases(String key) throws IOException {
        Path dir = Files.createDirectories(work.resolve("code").resolve("flip"));
        try (ServeProcess serve = ServeProcess.start(work, serveArguments, ServeProcess.Jvm.SHORT_LIVED, Duration.ofSeconds(120))) {
            Files.writeString(dir.resolve("flip.yaml"), ScanAndSourceProbes.rule("bench-flip", "pattern: yaml.load(...)"));
            serve.post(key, "/api/sources", "{\"name\": \"flip\", \"kind\": \"dir\", \"location\": "
                    + ScanAndSourceProbes.quote(dir.toString()) + "}", Duration.ofSeconds(30));
            List<String> ids = new ArrayList<>();
            for (String pattern : List.of("pattern: yaml.load(...)", "pattern: yaml.unsafe_load(...)")) {
                Files.writeString(dir.resolve("flip.yaml"), ScanAndSourceProbes.rule("bench-flip", pattern));
                serve.post(key, "/api/updates/check", null, Duration.ofSeconds(120));
                ServeProcess.Answer listed = serve.get(key, "/api/releases", Duration.ofSeconds(30));
                ids.add(listed.json().get(0).path("id").asText());
            }
            if (ids.get(0).equals(ids.get(1))) {
                throw new IllegalStateException("the update checks made no second release to flip to");
            }
            return ids;
        }
    }

    /** After a restart the service must hold the release the store says is active. */
    private void checkServedKnowledge(ServeProcess serve, String key, int round, List<String> problems) {
        try (Database database = Database.open(work.resolve("data"))) {
            Optional<String> active = new ReleaseStore(database).active().map(Release::id);
            ServeProcess.Answer ready = serve.get(null, "/health/ready", Duration.ofSeconds(30));
            String served = ready.status() == 200 ? ready.json().path("knowledge").asText() : "not ready (" + ready.status() + ")";
            if (active.isPresent() && !active.get().equals(served)) {
                problems.add("round " + round + ": the restarted service holds " + served + ", the store's active release is " + active.get());
            }
        }
    }

    private void checkStore(int round, Set<String> acknowledgedScans, List<String> problems) {
        try (Database database = Database.open(work.resolve("data"))) {
            ReleaseStore releases = new ReleaseStore(database);
            List<Activation> history = releases.history();
            Optional<String> active = releases.active().map(Release::id);
            if (!history.isEmpty() && !active.equals(Optional.of(history.getLast().releaseId()))) {
                problems.add("round " + round + ": active release " + active.orElse("none") + " is not the one the history ends with, "
                        + history.getLast().releaseId());
            }
            for (int i = 1; i < history.size(); i++) {
                if (!history.get(i).releaseId().equals(history.get(i - 1).releaseId())
                        && !history.get(i - 1).releaseId().equals(history.get(i).previousReleaseId())) {
                    problems.add("round " + round + ": history row " + history.get(i).seq() + " does not follow row " + history.get(i - 1).seq());
                }
            }
            Set<String> stored = new HashSet<>(database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM scan_jobs")
                    .mapTo(String.class).list()));
            long lost = acknowledgedScans.stream().filter(id -> !stored.contains(id)).count();
            if (lost > 0) {
                problems.add("round " + round + ": " + lost + " acknowledged scan(s) missing from the store");
            }
        } catch (RuntimeException e) {
            problems.add("round " + round + ": the store cannot be read after kill -9: " + e.getMessage());
        }
    }

    /** A last start, given time to finish every acknowledged scan: how many ended in each state. */
    private Map<String, Integer> finish(String key, Set<String> scans) throws IOException, InterruptedException {
        Map<String, Integer> states = new TreeMap<>();
        try (ServeProcess serve = ServeProcess.start(work, serveArguments, ServeProcess.Jvm.SHORT_LIVED, Duration.ofSeconds(120))) {
            long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (String id : scans) {
                Duration left = Duration.ofNanos(Math.max(0, until - System.nanoTime()));
                String state = ScanAndSourceProbes.awaitScan(serve, key, id, left.isZero() ? Duration.ofMillis(1) : left);
                states.merge(state.startsWith("succeeded") || state.startsWith("failed") ? state : "unfinished", 1, Integer::sum);
            }
        }
        return states;
    }
}
