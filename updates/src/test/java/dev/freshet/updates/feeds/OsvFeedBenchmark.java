package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.osv.OsvParser;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Times the OSV feeds on real data (by hand, not a unit test): an all.zip built from the Go and
 * RustSec OSV records under {@code ../shared}, repeated to the size of a large ecosystem, served on
 * loopback and read through {@link OsvFeed}; and the PyPA (YAML) and Go (JSON) databases read as
 * directories. Example, from the project root after {@code ./build -q -o -pl updates -am test-compile}:
 * {@code java -cp updates/target/test-classes:updates/target/classes:$(cat /tmp/cp.txt) dev.freshet.updates.feeds.OsvFeedBenchmark ../shared 5}
 */
public final class OsvFeedBenchmark {
    /** CPU time of the whole process: the machine is shared, so wall time alone says little. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path go = shared.resolve("data/vuln/golang-vulndb/data/osv");
        Path rust = shared.resolve("data/vuln/rustsec-advisory-db/osv");
        Path pypa = shared.resolve("data/vuln/pypa-advisory-db/vulns");
        if (!Files.isDirectory(go) || !Files.isDirectory(rust) || !Files.isDirectory(pypa)) {
            System.err.println("no OSV data under " + shared + "; pass the shared directory as the first argument");
            System.exit(2);
        }
        List<Path> records;
        try (Stream<Path> a = Files.walk(go); Stream<Path> b = Files.walk(rust)) {
            records = Stream.concat(a, b).filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long inflated = 0;
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int copy = 0; copy < copies; copy++) {
                for (Path record : records) {
                    byte[] content = Files.readAllBytes(record);
                    zip.putNextEntry(new ZipEntry(copy + "-" + record.getFileName()));
                    zip.write(content);
                    zip.closeEntry();
                    inflated += content.length;
                }
            }
        }
        byte[] archive = out.toByteArray();
        System.out.printf("all.zip: %d entries, %.1f MB compressed, %.1f MB inflated%n",
                (long) records.size() * copies, archive.length / 1e6, inflated / 1e6);
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            long cpuStart = cpu();
            int parsed = 0;
            for (Path record : records) {
                String text = Files.readString(record);
                for (int copy = 0; copy < copies; copy++) {
                    parsed += OsvParser.parse(text, false) instanceof OsvParser.Result.Parsed ? 1 : 0;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("run %d: baseline OsvParser.parse alone on the same records: %d parsed, %.2f s (CPU %.2f s), %.0f records/s%n",
                    run, parsed, seconds, (cpu() - cpuStart) / 1e9, parsed / seconds);
        }
        try (OsvGhsaLoopback.Server server = new OsvGhsaLoopback.Server()) {
            server.files.put("/Go/all.zip", archive);
            for (int run = 1; run <= 3; run++) {
                AtomicLong delivered = new AtomicLong();
                AtomicLong pages = new AtomicLong();
                List<String> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();
                OsvFeed feed = new OsvFeed(new OsvGhsaLoopback.Transport(), server.base(), "Go", OsvFeed.Limits.defaults(), rejected::add);
                long start = System.nanoTime();
                long cpuStart = cpu();
                feed.sync(null, page -> {
                    delivered.addAndGet(page.advisories().size());
                    pages.incrementAndGet();
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("run %d: OsvFeed full sync %d records in %d pages, %d rejected, %.2f s (CPU %.2f s; download + inflate + parse), %.0f records/s, %.1f MB/s inflated%n",
                        run, delivered.get(), pages.get(), rejected.size(), seconds, (cpu() - cpuStart) / 1e9, delivered.get() / seconds, inflated / 1e6 / seconds);
            }
        }
        for (Path directory : List.of(go, pypa)) {
            for (int run = 1; run <= 2; run++) {
                AtomicLong delivered = new AtomicLong();
                long start = System.nanoTime();
                long cpuStart = cpu();
                OsvFeed.directory(directory, OsvFeed.Limits.defaults(), m -> { }).sync(null, page -> delivered.addAndGet(page.advisories().size()));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("run %d: directory %s: %d records, %.2f s (CPU %.2f s), %.0f records/s%n",
                        run, shared.relativize(directory), delivered.get(), seconds, (cpu() - cpuStart) / 1e9, delivered.get() / seconds);
            }
        }
    }
}
