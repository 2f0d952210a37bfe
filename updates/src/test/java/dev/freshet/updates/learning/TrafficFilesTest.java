package dev.freshet.updates.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.models.TrafficFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficFilesTest {
    @TempDir
    Path directory;

    @Test
    void resumesAtTheCursorAndKeepsAHalfWrittenLine() throws IOException {
        Path log = directory.resolve("access.log");
        List<String> targets = ShopTraffic.targets(30, 2, List.of("item"));
        Files.writeString(log, ShopTraffic.combined(targets.subList(0, 20), 5, 200) + "10.0.0.1 - - [07/Dec/2026:03:00");
        TrafficFiles.Batch first = TrafficFiles.read(log, TrafficFormat.COMBINED, null, 1_000);
        assertThat(first.records()).hasSize(20);

        String rest = ":00 +0000] \"GET " + targets.get(20) + " HTTP/1.1\" 200 1\n" + ShopTraffic.combined(targets.subList(21, 30), 5, 200);
        Files.writeString(log, rest, StandardOpenOption.APPEND);
        TrafficFiles.Batch second = TrafficFiles.read(log, TrafficFormat.COMBINED, first.cursor(), 1_000);
        assertThat(second.restarted()).isEmpty();
        assertThat(second.records()).hasSize(10);
        assertThat(second.records().getFirst().request().parameters().getFirst().value()).isEqualTo(targets.get(20).split("[=&]")[1]);
    }

    @Test
    void maxRecordsStopsTheCursorThere() throws IOException {
        Path log = directory.resolve("access.log");
        Files.writeString(log, ShopTraffic.combined(ShopTraffic.targets(25, 3, List.of("item")), 5, 200));
        TrafficFiles.Batch first = TrafficFiles.read(log, TrafficFormat.COMBINED, null, 10);
        TrafficFiles.Batch second = TrafficFiles.read(log, TrafficFormat.COMBINED, first.cursor(), 100);
        assertThat(first.records()).hasSize(10);
        assertThat(second.records()).hasSize(15);
    }

    @Test
    void truncatedAndRotatedLogsAreReadFromTheirStart() throws IOException {
        Path log = directory.resolve("access.log");
        Files.writeString(log, ShopTraffic.combined(ShopTraffic.targets(20, 4, List.of("item")), 5, 200));
        TrafficFiles.Cursor cursor = TrafficFiles.read(log, TrafficFormat.COMBINED, null, 1_000).cursor();

        Files.writeString(log, ShopTraffic.combined(ShopTraffic.targets(3, 5, List.of("search")), 5, 200));
        TrafficFiles.Batch truncated = TrafficFiles.read(log, TrafficFormat.COMBINED, cursor, 1_000);
        assertThat(truncated.restarted()).startsWith("truncated");
        assertThat(truncated.records()).hasSize(3);

        Files.move(log, directory.resolve("access.log.1"));
        Files.writeString(log, ShopTraffic.combined(ShopTraffic.targets(40, 6, List.of("search")), 5, 200));
        TrafficFiles.Batch rotated = TrafficFiles.read(log, TrafficFormat.COMBINED, truncated.cursor(), 1_000);
        assertThat(rotated.restarted()).startsWith("rotated");
        assertThat(rotated.records()).hasSize(40);
    }

    @Test
    void malformedLinesAreCountedAndReadingGoesOn() throws IOException {
        Path log = directory.resolve("access.log");
        Files.writeString(log, "garbage\n" + ShopTraffic.combined(ShopTraffic.targets(5, 7, List.of("item")), 5, 200) + "\u0000\u0001\n");
        TrafficFiles.Batch batch = TrafficFiles.read(log, TrafficFormat.COMBINED, null, 1_000);
        assertThat(batch.records()).hasSize(5);
        assertThat(batch.malformed()).isEqualTo(2);
        assertThat(batch.problems().getFirst()).contains("access.log at byte 0");
    }
}
