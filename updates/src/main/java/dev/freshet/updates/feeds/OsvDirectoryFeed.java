package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.OsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local directory of OSV records ({@code .json}, {@code .yaml}, {@code .yml}, in any depth) as a
 * feed, e.g. a clone of the PyPA or RustSec database. The cursor is the newest {@code modified}
 * time delivered; a sync delivers the records modified after it, oldest first. Symbolic links are
 * not followed, so a link cannot pull in files from outside the directory.
 */
final class OsvDirectoryFeed implements Feed {
    private final Path directory;
    private final OsvFeed.Limits limits;
    private final Consumer<String> rejections;

    OsvDirectoryFeed(Path directory, OsvFeed.Limits limits, Consumer<String> rejections) {
        this.directory = directory.toAbsolutePath().normalize();
        this.limits = limits;
        this.rejections = rejections;
    }

    @Override
    public String name() {
        return "osv-dir:" + directory;
    }


    @Override
    public void sync(String cursor, PageSink sink) throws FeedException, InterruptedException {
        OsvCursor after = OsvCursor.parse(name(), cursor);
        if (after.midArchive()) {
            throw new FeedException(name(), "stored cursor '" + cursor + "' belongs to an archive feed, not a directory");
        }
        if (!Files.isDirectory(directory)) {
            throw new FeedException(name(), "directory " + directory + " does not exist or is not a directory");
        }
        List<Advisory> changed = new ArrayList<>();
        for (Path file : recordFiles()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Advisory record = read(file);
            if (record != null && after.isNewer(record.modified())) {
                changed.add(record);
            }
        }
        changed.sort(Comparator.comparing(Advisory::modified).thenComparing(Advisory::id));
        List<Advisory> page = new ArrayList<>();
        for (int i = 0; i < changed.size(); i++) {
            Advisory record = changed.get(i);
            page.add(record);
            // Never end a page between two records of the same time: the cursor says "all up to this time".
            boolean last = i == changed.size() - 1;
            if (last || page.size() >= limits.pageSize() && !changed.get(i + 1).modified().equals(record.modified())) {
                sink.accept(new FeedPage(page, OsvCursor.caughtUp(record.modified()).text()));
                page = new ArrayList<>();
            }
        }
    }

    private List<Path> recordFiles() throws FeedException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(file -> isRecordName(file.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new FeedException(name(), "cannot list " + directory + " (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isRecordName(String fileName) {
        return fileName.endsWith(".json") || fileName.endsWith(".yaml") || fileName.endsWith(".yml");
    }

    /** The record in {@code file}, or null when it is rejected (and reported). */
    private Advisory read(Path file) throws FeedException {
        String relative = directory.relativize(file).toString();
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxRecordBytes() + 1));
        } catch (IOException e) {
            throw new FeedException(name(), "cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        if (content.length > limits.maxRecordBytes()) {
            reject(relative, "larger than " + limits.maxRecordBytes() + " bytes");
            return null;
        }
        boolean yaml = !file.getFileName().toString().endsWith(".json");
        return switch (OsvParser.parse(new String(content, StandardCharsets.UTF_8), yaml)) {
            case OsvParser.Result.Parsed parsed -> parsed.record();
            case OsvParser.Result.Rejected rejected -> {
                reject(relative, rejected.reason());
                yield null;
            }
        };
    }

    private void reject(String file, String reason) {
        rejections.accept("feed '" + name() + "': rejected " + file + ": " + reason);
    }
}
