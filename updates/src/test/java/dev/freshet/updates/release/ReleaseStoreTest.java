package dev.freshet.updates.release;

import static dev.freshet.updates.release.Fixtures.accepted;
import static dev.freshet.updates.release.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.ReleaseDiff.RuleRef;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ReleaseStoreTest {
    private static final List<AcceptedRule> A = List.of(rule("r1", "eval($X)"), rule("r2", "exec($X)"), rule("r3", "os.system($X)"));
    /** r1 unchanged, r2 changed, r3 removed, r4 added. */
    private static final List<AcceptedRule> B = List.of(rule("r1", "eval($X)"), rule("r2", "exec($X, ...)"), rule("r4", "pickle.loads($X)"));

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    StoreLocation location;
    Database database;
    Fixtures.ManualClock clock = new Fixtures.ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    ReleaseStore store;

    @BeforeEach
    void open() {
        location = TestStores.fresh(kind, tmp);
        database = Database.open(location);
        store = new ReleaseStore(database.jdbi(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void theIdIsTheContentWhateverTheOrderSourceOrReport() {
        Release first = store.create(A, accepted(A));
        List<AcceptedRule> reversed = new ArrayList<>(A);
        java.util.Collections.reverse(reversed);
        Release again = store.create(reversed, new GateReport(List.of()));

        assertThat(again).isEqualTo(first);
        assertThat(first.id()).isEqualTo(Release.idOf(reversed)).hasSize(64);
        assertThat(Release.idOf(A.stream().map(r -> new AcceptedRule(r.id(), "mirror", "other/" + r.path(), r.yaml(), r.sha256())).toList()))
                .as("where rules came from is not content").isEqualTo(first.id());
        assertThat(Release.idOf(B)).isNotEqualTo(first.id());
        assertThat(Release.idOf(List.of(A.get(0), A.get(1)))).isNotEqualTo(first.id());
        assertThat(store.list()).extracting(ReleaseSummary::id).containsExactly(first.id());
    }

    @Test
    void aStoredReleaseReadsBackExactly() {
        List<AcceptedRule> rules = List.of(A.get(1), A.get(0), A.get(2));
        GateReport report = new GateReport(List.of(
                new Verdict("r1", "upstream", "rules/r1.yaml", Verdict.Outcome.ACCEPTED, "passed"),
                new Verdict("r9", "upstream", "rules/r9.yaml", Verdict.Outcome.REJECTED, "does not compile: line 3"),
                new Verdict("r8", "upstream", "rules/r8.yaml", Verdict.Outcome.SKIPPED, "needs engine 2.0")));
        Release created = store.create(rules, report);

        assertThat(created.rules()).extracting(AcceptedRule::id).containsExactly("r1", "r2", "r3");
        assertThat(created.createdAt()).isEqualTo(clock.instant());
        assertThat(created.parentId()).isNull();
        assertThat(created.diff().added()).extracting(RuleRef::ruleId).containsExactly("r1", "r2", "r3");
        assertThat(store.find(created.id())).contains(created);
        assertThat(store.find(created.id().substring(0, 10).toUpperCase())).contains(created);
        assertThat(store.list()).singleElement().satisfies(summary -> {
            assertThat(summary.rules()).isEqualTo(3);
            assertThat(summary.accepted()).isEqualTo(1);
            assertThat(summary.rejected()).isEqualTo(1);
            assertThat(summary.skipped()).isEqualTo(1);
            assertThat(summary.added()).isEqualTo(3);
            assertThat(summary.active()).isFalse();
        });
    }

    @Test
    void releasesCannotBeChangedAndShareTheirRuleContent() {
        Release a = store.create(A, accepted(A));
        Release b = store.create(B, accepted(B));
        Release sameAsA = store.create(A, new GateReport(List.of(
                new Verdict("r1", "upstream", "rules/r1.yaml", Verdict.Outcome.REJECTED, "a different opinion"))));

        assertThat(sameAsA.report()).as("the first report stays").isEqualTo(accepted(A));
        assertThatThrownBy(() -> a.rules().add(A.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.report().verdicts().clear()).isInstanceOf(UnsupportedOperationException.class);
        List<String> mutators = Arrays.stream(ReleaseStore.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName)
                .filter(name -> name.matches("(?i)(update|delete|remove|set|put|edit|replace|modify).*")).toList();
        assertThat(mutators).as("public methods that could change a release").isEmpty();
        // r1 is in both releases with the same content: stored once.
        Map<String, Integer> counts = database.jdbi().withHandle(h -> Map.of(
                "blobs", h.createQuery("SELECT count(*) FROM blobs").mapTo(Integer.class).one(),
                "members", h.createQuery("SELECT count(*) FROM release_rules").mapTo(Integer.class).one(),
                "releases", h.createQuery("SELECT count(*) FROM releases").mapTo(Integer.class).one()));
        assertThat(counts).containsEntry("blobs", 5).containsEntry("members", 6).containsEntry("releases", 2);
        assertThat(store.find(b.id()).orElseThrow().rules()).isEqualTo(B);
    }

    @Test
    void aRuleWhoseHashIsNotItsContentOrADuplicateIdIsRefusedAndNothingIsWritten() {
        AcceptedRule tampered = new AcceptedRule("r1", "upstream", "rules/r1.yaml", "rules: []\n", A.get(0).sha256());
        assertThatThrownBy(() -> store.create(List.of(tampered), accepted(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the hash of its YAML");
        assertThatThrownBy(() -> store.create(List.of(A.get(0), rule("r1", "print($X)")), accepted(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two rules with id 'r1'");
        assertThat(store.list()).isEmpty();
        int blobs = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM blobs").mapTo(Integer.class).one());
        assertThat(blobs).isZero();
    }

    @Test
    void theDiffNamesAddedRemovedAndChangedRulesWithTheirSources() {
        Release a = store.create(A, accepted(A));
        List<AcceptedRule> fromMirror = new ArrayList<>(B);
        fromMirror.set(2, rule("r4", "mirror", B.get(2).yaml()));
        Release b = store.create(fromMirror, accepted(fromMirror));

        ReleaseDiff expected = new ReleaseDiff(List.of(new RuleRef("r4", "mirror")), List.of(new RuleRef("r3", "upstream")),
                List.of(new RuleRef("r2", "upstream")));
        assertThat(b.parentId()).isEqualTo(a.id());
        assertThat(b.diff()).isEqualTo(expected);
        assertThat(store.diff(a.id(), b.id().substring(0, 8))).isEqualTo(expected);
        assertThat(store.diff(b.id(), a.id())).isEqualTo(new ReleaseDiff(List.of(new RuleRef("r3", "upstream")),
                List.of(new RuleRef("r4", "mirror")), List.of(new RuleRef("r2", "upstream"))));
        assertThat(store.diff(a.id(), a.id()).none()).isTrue();
        assertThat(store.list()).extracting(ReleaseSummary::added, ReleaseSummary::removed, ReleaseSummary::changed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1, 1), org.assertj.core.groups.Tuple.tuple(3, 0, 0));
    }

    @Test
    void aNewReleaseIsDiffedAgainstTheActiveOne() {
        Release a = store.create(A, accepted(A));
        store.activate(a.id(), Trigger.USER, "first");
        store.create(B, accepted(B));
        List<AcceptedRule> c = List.of(A.get(0));
        Release released = store.create(c, accepted(c));

        assertThat(released.parentId()).isEqualTo(a.id());
        assertThat(released.diff().removed()).extracting(RuleRef::ruleId).containsExactly("r2", "r3");
    }

    @Test
    void prefixesFindReleasesUnlessTheyAreAmbiguous() {
        List<Release> releases = new ArrayList<>();
        for (int i = 0; i < 17; i++) { // 17 ids over 16 hex digits: two share their first character
            List<AcceptedRule> rules = List.of(rule("r" + i, "eval($X)"));
            releases.add(store.create(rules, accepted(rules)));
        }
        Map<Character, List<Release>> byFirst = releases.stream().collect(Collectors.groupingBy(r -> r.id().charAt(0)));
        char shared = byFirst.entrySet().stream().filter(e -> e.getValue().size() > 1).findFirst().orElseThrow().getKey();

        assertThatThrownBy(() -> store.find(String.valueOf(shared)))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("fits several releases");
        assertThatThrownBy(() -> store.activate(String.valueOf(shared), Trigger.USER, "ambiguous"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("give more characters");
        Release some = releases.get(5);
        assertThat(store.find(some.id().substring(0, 12))).contains(some);
        assertThat(store.find("not-hex")).isEmpty();
        assertThat(store.find("")).isEmpty();
        assertThatThrownBy(() -> store.activate("deadbeef" + "0".repeat(56), Trigger.USER, "unknown"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("No release");
        assertThat(store.history()).isEmpty();
    }

    @Test
    void activationsAndRollbacksAreRecordedInOrder() {
        Release a = store.create(A, accepted(A));
        Release b = store.create(B, accepted(B));
        List<AcceptedRule> cRules = List.of(A.get(0));
        Release c = store.create(cRules, accepted(cRules));

        store.activate(a.id(), Trigger.USER, "initial install");
        clock.advance(1000);
        store.activate(b.id().substring(0, 8), Trigger.SCHEDULE, "nightly update");
        assertThat(store.active()).contains(b);
        clock.advance(1000);
        Activation undo = store.rollback(Optional.empty(), Trigger.AUTOMATIC, "scan errors after activation");
        assertThat(undo).isEqualTo(new Activation(3, a.id(), b.id(), clock.instant(), Activation.Kind.ROLLBACK,
                Trigger.AUTOMATIC, "scan errors after activation", "rules"));
        assertThat(store.active()).contains(a);
        clock.advance(1000);
        assertThat(store.rollback(Optional.empty(), Trigger.USER, "undo the undo").releaseId()).isEqualTo(b.id());
        store.activate(c.id(), Trigger.USER, "hand-picked");
        assertThat(store.rollback(Optional.of(a.id().substring(0, 10)), Trigger.USER, "back to the start").releaseId())
                .isEqualTo(a.id());
        int rows = store.history().size();
        assertThat(store.activate(a.id(), Trigger.SCHEDULE, "already live").seq()).as("no-op").isEqualTo(rows);

        List<Activation> history = store.history();
        assertThat(history).extracting(Activation::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(history).extracting(Activation::releaseId).containsExactly(a.id(), b.id(), a.id(), b.id(), c.id(), a.id());
        assertThat(history).extracting(Activation::previousReleaseId).containsExactly(null, a.id(), b.id(), a.id(), b.id(), c.id());
        assertThat(history).extracting(Activation::kind).containsExactly(Activation.Kind.ACTIVATE, Activation.Kind.ACTIVATE,
                Activation.Kind.ROLLBACK, Activation.Kind.ROLLBACK, Activation.Kind.ACTIVATE, Activation.Kind.ROLLBACK);
        assertThat(history).extracting(Activation::trigger).containsExactly(Trigger.USER, Trigger.SCHEDULE,
                Trigger.AUTOMATIC, Trigger.USER, Trigger.USER, Trigger.USER);
        assertThat(store.list()).filteredOn(ReleaseSummary::active).extracting(ReleaseSummary::id).containsExactly(a.id());
    }

    @Test
    void historyAndTheActiveReleaseSurviveReopening() {
        Release a = store.create(A, accepted(A));
        Release b = store.create(B, accepted(B));
        store.activate(a.id(), Trigger.USER, "one");
        store.activate(b.id(), Trigger.USER, "two");
        List<Activation> before = store.history();
        database.close();

        database = Database.open(location);
        ReleaseStore reopened = new ReleaseStore(database);
        assertThat(reopened.history()).isEqualTo(before);
        assertThat(reopened.active()).contains(b);
        assertThat(reopened.rollback(Optional.empty(), Trigger.USER, "after restart").releaseId()).isEqualTo(a.id());
    }

    @Test
    void rollingBackWithNothingToRollBackToSaysSo() {
        assertThatThrownBy(() -> store.rollback(Optional.empty(), Trigger.USER, "nothing yet"))
                .isInstanceOf(ReleaseException.class).hasMessage("Nothing to roll back: no release has been activated yet.");
        Release a = store.create(A, accepted(A));
        store.activate(a.id(), Trigger.USER, "first");

        assertThatThrownBy(() -> store.rollback(Optional.empty(), Trigger.AUTOMATIC, "checks failed"))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("Nothing to roll back to")
                .hasMessageContaining(a.id().substring(0, 12))
                .hasMessageContaining("Name the release to roll back to");
        assertThatThrownBy(() -> store.rollback(Optional.of("abcdef0123"), Trigger.USER, "typo"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("No release 'abcdef0123'");
        assertThat(store.history()).hasSize(1);
        assertThat(store.active()).contains(a);
    }

    @Test
    void whatWasLiveWhen() {
        Release a = store.create(A, accepted(A));
        Release b = store.create(B, accepted(B));
        Instant start = clock.instant();
        store.activate(a.id(), Trigger.USER, "install");              // start
        clock.advance(60_000);
        store.activate(b.id(), Trigger.SCHEDULE, "update");           // start + 1 min
        clock.advance(60_000);
        store.rollback(Optional.empty(), Trigger.AUTOMATIC, "errors"); // start + 2 min

        assertThat(store.liveAt(start.minusMillis(1))).isEmpty();
        assertThat(store.liveAt(start)).map(Activation::releaseId).contains(a.id());
        assertThat(store.liveAt(start.plusSeconds(59))).map(Activation::releaseId).contains(a.id());
        assertThat(store.liveAt(start.plusSeconds(90))).get()
                .extracting(Activation::releaseId, Activation::reason).containsExactly(b.id(), "update");
        assertThat(store.liveAt(start.plusSeconds(3600))).get()
                .extracting(Activation::releaseId, Activation::kind).containsExactly(a.id(), Activation.Kind.ROLLBACK);
    }

    @Test
    void readersNeverSeeAHalfActivatedRelease() throws Exception {
        Release a = store.create(A, accepted(A));
        Release b = store.create(B, accepted(B));
        store.activate(a.id(), Trigger.USER, "start");
        ReleaseStore shared = new ReleaseStore(database);
        Set<Release> whole = Set.of(a, b);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(4);

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) { // two writers: their transactions queue, the history stays a chain
            threads.add(Thread.ofPlatform().start(() -> {
                ready.countDown();
                awaitQuietly(ready);
                for (int i = 0; i < 40; i++) {
                    if (i % 2 == 0) {
                        shared.activate(b.id(), Trigger.SCHEDULE, "swap");
                    } else {
                        shared.rollback(Optional.of(a.id()), Trigger.AUTOMATIC, "swap back");
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ready.countDown();
                awaitQuietly(ready);
                while (writing.get()) {
                    Release live = shared.active().orElseThrow();
                    if (!whole.contains(live)) {
                        problems.add("mixed release " + live.id() + " " + live.rules());
                    }
                    List<Activation> history = shared.history();
                    for (int i = 1; i < history.size(); i++) {
                        Activation row = history.get(i);
                        if (row.seq() != i + 1 || !history.get(i - 1).releaseId().equals(row.previousReleaseId())) {
                            problems.add("broken history at " + row);
                        }
                    }
                    reads.incrementAndGet();
                }
            }));
        }
        threads.get(0).join();
        threads.get(1).join();
        writing.set(false);
        threads.get(2).join();
        threads.get(3).join();

        assertThat(problems).isEmpty();
        assertThat(reads.get()).isPositive();
        List<Activation> history = store.history();
        assertThat(history.size()).as("each write either appended or was a no-op").isBetween(41, 81);
        assertThat(history.get(history.size() - 1).releaseId()).isEqualTo(store.active().orElseThrow().id());
    }

    @Test
    void theRollbackBenchmarkRunsOnARealStore() {
        Assumptions.assumeTrue(kind == Database.Kind.SQLITE, "the benchmark measures the embedded store");
        ReleaseBenchmark.Figures figures = ReleaseBenchmark.run(tmp.resolve("bench"), 50, 7);

        assertThat(figures.rules()).isEqualTo(50);
        assertThat(figures.toString()).contains("release of 50 rules").contains("7 rollbacks");
        try (Database bench = Database.open(tmp.resolve("bench"))) {
            ReleaseStore benchStore = new ReleaseStore(bench);
            assertThat(benchStore.history()).hasSize(2 + 7);
            assertThat(benchStore.list()).hasSize(2);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
