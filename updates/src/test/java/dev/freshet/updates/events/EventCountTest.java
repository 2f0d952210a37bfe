package dev.freshet.updates.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The event log counted per type and severity from a reader's position, as the metrics read it. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class EventCountTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    Database database;
    EventLog log;

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, tmp));
        log = new EventLog(database.jdbi());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anEmptyLogCountsNothing() {
        assertThat(log.countAfter(0)).isEmpty();
    }

    @Test
    void eachEventIsCountedOnceByAReaderThatMovesToTheNewestId() {
        log.append(AT, EventType.RELEASE_ACTIVATED, "r1", Map.of());
        log.append(AT, EventType.ROLLOUT_ROLLED_BACK, "r2", Map.of("reason", "error rate"));
        log.append(AT, EventType.RELEASE_ACTIVATED, "r3", Map.of());

        List<EventLog.Tally> first = log.countAfter(0);
        assertThat(first).containsExactly(
                new EventLog.Tally("RELEASE_ACTIVATED", "INFO", 2, 3),
                new EventLog.Tally("ROLLOUT_ROLLED_BACK", "CRITICAL", 1, 2));
        long position = first.stream().mapToLong(EventLog.Tally::newestId).max().orElseThrow();

        assertThat(log.countAfter(position)).as("nothing new since the reader's position").isEmpty();
        log.append(AT, EventType.ROLLOUT_ROLLED_BACK, "r4", Map.of("reason", "p95"));
        assertThat(log.countAfter(position)).containsExactly(new EventLog.Tally("ROLLOUT_ROLLED_BACK", "CRITICAL", 1, 4));
    }

    @Test
    void aTypeThisVersionDoesNotKnowIsCountedAsStored() {
        // A newer node in the same cluster may write a type this node's enum lacks; the count must not fail on it.
        database.jdbi().useHandle(h -> h.execute(
                "INSERT INTO events (id, occurred_at, type, severity, payload) VALUES (1, 0, 'FROM_A_NEWER_NODE', 'WARNING', '{}')"));
        assertThat(log.countAfter(0)).containsExactly(new EventLog.Tally("FROM_A_NEWER_NODE", "WARNING", 1, 1));
    }
}
