package dev.freshet.updates.jobs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Unpacks uploaded source archives (.zip, .tar.gz, .tgz) without trusting them: entries may not
 * leave the extraction directory (no {@code ..}, no absolute names), links and special files are
 * refused, and the upload's size, the bytes it expands to, its entry count and its expansion ratio
 * are bounded, counted on the bytes really written rather than on sizes the archive declares.
 * A refused archive leaves nothing behind.
 */
public final class Archives {
    /** Below this many extracted bytes the ratio is not checked: small text files compress very well. */
    static final long RATIO_FLOOR_BYTES = 1024 * 1024;

    /**
     * @param maxUploadBytes    the largest upload accepted
     * @param maxExtractedBytes the most bytes all entries together may expand to
     * @param maxEntries        the most entries (files and directories)
     * @param maxRatio          the most extracted bytes per uploaded byte, once past {@link #RATIO_FLOOR_BYTES}
     */
    public record Limits(long maxUploadBytes, long maxExtractedBytes, int maxEntries, int maxRatio) {
        public Limits {
            if (maxUploadBytes <= 0 || maxExtractedBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
                throw new IllegalArgumentException("archive limits must be positive: " + maxUploadBytes + ", "
                        + maxExtractedBytes + ", " + maxEntries + ", " + maxRatio);
            }
        }
    }

    /** What an extraction wrote. */
    public record Extracted(Path root, int files, long bytes) {
    }

    private enum Type {
        ZIP, TAR_GZ
    }

    private final Limits limits;

    public Archives(Limits limits) {
        this.limits = limits;
    }

    /** Reads a whole upload, refusing it once it is larger than the limit (the rest is not read). */
    public byte[] read(InputStream upload, String fileName) throws ArchiveException {
        type(fileName);
        byte[] bytes;
        try {
            bytes = upload.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxUploadBytes() + 1));
        } catch (IOException e) {
            throw new ArchiveException("could not read upload '" + fileName + "': " + e.getMessage(), e);
        }
        if (bytes.length > limits.maxUploadBytes()) {
            throw new ArchiveException("upload '" + fileName + "' is larger than the limit of " + limits.maxUploadBytes() + " bytes");
        }
        return bytes;
    }

    /**
     * Unpacks {@code archive} into {@code target}, a directory that must not exist yet. On any problem
     * {@code target} is removed again and the exception says what was wrong with which entry.
     */
    public Extracted extract(byte[] archive, String fileName, Path target) throws ArchiveException {
        Type type = type(fileName);
        if (archive.length > limits.maxUploadBytes()) {
            throw new ArchiveException("upload '" + fileName + "' is larger than the limit of " + limits.maxUploadBytes() + " bytes");
        }
        checkSignature(type, archive, fileName);
        try {
            Files.createDirectory(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create extraction directory " + target, e);
        }
        Extraction extraction = new Extraction(fileName, target.toAbsolutePath().normalize(), archive.length);
        boolean done = false;
        try {
            switch (type) {
                case ZIP -> extraction.zip(archive);
                case TAR_GZ -> extraction.tarGz(archive);
            }
            if (extraction.files == 0) {
                throw extraction.refuse("contains no files");
            }
            done = true;
            return new Extracted(target, extraction.files, extraction.bytes);
        } catch (IOException | RuntimeException e) {
            // The libraries report damaged input as IOException and, for some header fields, as runtime exceptions.
            throw new ArchiveException("archive '" + fileName + "' is malformed or truncated: " + e.getMessage(), e);
        } finally {
            if (!done) {
                deleteTree(target);
            }
        }
    }

    private static Type type(String fileName) throws ArchiveException {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return Type.ZIP;
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return Type.TAR_GZ;
        }
        throw new ArchiveException("upload '" + fileName + "' is not a supported archive: name it *.zip, *.tar.gz or *.tgz");
    }

    private static void checkSignature(Type type, byte[] bytes, String fileName) throws ArchiveException {
        boolean matches = switch (type) {
            // A local file header, or the end-of-central-directory record of an empty zip.
            case ZIP -> bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K'
                    && ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6));
            case TAR_GZ -> bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        };
        if (!matches) {
            throw new ArchiveException("upload '" + fileName + "' is not a " + (type == Type.ZIP ? "zip" : "gzip")
                    + " file (its first bytes are not a " + (type == Type.ZIP ? "zip" : "gzip") + " signature)");
        }
    }

    /** One archive being unpacked, with its running counts. */
    private final class Extraction {
        private final String fileName;
        private final Path root;
        private final long uploadBytes;
        private final byte[] buffer = new byte[64 * 1024];
        int entries;
        int files;
        long bytes;

        Extraction(String fileName, Path root, long uploadBytes) {
            this.fileName = fileName;
            this.root = root;
            this.uploadBytes = uploadBytes;
        }

        void zip(byte[] archive) throws IOException, ArchiveException {
            try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
                // The central directory is the archive's table of contents: its size is known before anything is written.
                List<ZipArchiveEntry> all = Collections.list(zip.getEntriesInPhysicalOrder());
                if (all.size() > limits.maxEntries()) {
                    throw refuse("has " + all.size() + " entries, more than the limit of " + limits.maxEntries());
                }
                for (ZipArchiveEntry entry : all) {
                    int type = entry.getUnixMode() & 0170000;
                    if (entry.isUnixSymlink()) {
                        throw refuse("entry '" + entry.getName() + "' is a symbolic link; links are not accepted");
                    }
                    if (type != 0 && type != 0100000 && type != 0040000) {
                        throw refuse("entry '" + entry.getName() + "' is a special file; only files and directories are accepted");
                    }
                    Path path = place(entry.getName());
                    if (entry.isDirectory()) {
                        directory(path);
                        continue;
                    }
                    if (!zip.canReadEntryData(entry)) {
                        throw refuse("entry '" + entry.getName() + "' is encrypted or uses an unsupported compression method");
                    }
                    try (InputStream in = zip.getInputStream(entry)) {
                        file(entry.getName(), path, in);
                    }
                }
            }
        }

        void tarGz(byte[] archive) throws IOException, ArchiveException {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(GzipCompressorInputStream.builder()
                    .setInputStream(new ByteArrayInputStream(archive)).setDecompressConcatenated(true).get())) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    if (entry.isSymbolicLink() || entry.isLink()) {
                        throw refuse("entry '" + entry.getName() + "' is a " + (entry.isLink() ? "hard" : "symbolic")
                                + " link to '" + entry.getLinkName() + "'; links are not accepted");
                    }
                    // isFile() alone is lenient: it is true of devices and pipes too.
                    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()
                            || (!entry.isDirectory() && !entry.isFile())) {
                        throw refuse("entry '" + entry.getName() + "' is a special file (device or pipe); only files and directories are accepted");
                    }
                    Path path = place(entry.getName());
                    if (entry.isDirectory()) {
                        directory(path);
                    } else {
                        file(entry.getName(), path, tar);
                    }
                }
            }
        }

        /** Where an entry goes, refusing names that would land outside the root. */
        private Path place(String name) throws ArchiveException {
            if (++entries > limits.maxEntries()) {
                throw refuse("has more than the limit of " + limits.maxEntries() + " entries");
            }
            if (name.indexOf('\0') >= 0) {
                throw refuse("entry '" + name.replace('\0', '?') + "' has a NUL character in its name");
            }
            String slashed = name.replace('\\', '/');
            if (slashed.startsWith("/") || slashed.matches("[A-Za-z]:.*")) {
                throw refuse("entry '" + name + "' has an absolute path; entries must be relative");
            }
            List<String> parts = new ArrayList<>();
            for (String part : slashed.split("/")) {
                if (part.equals("..")) {
                    throw refuse("entry '" + name + "' contains '..' (path traversal); entries must stay inside the archive");
                }
                if (!part.isEmpty() && !part.equals(".")) {
                    parts.add(part);
                }
            }
            Path path = root.resolve(String.join("/", parts)).normalize();
            if (!path.startsWith(root)) { // cannot happen after the checks above; kept as the rule itself
                throw refuse("entry '" + name + "' leaves the extraction directory");
            }
            return path;
        }

        private void directory(Path path) throws IOException {
            Files.createDirectories(path);
        }

        private void file(String name, Path path, InputStream in) throws IOException, ArchiveException {
            if (path.equals(root)) {
                throw refuse("entry '" + name + "' has an empty name");
            }
            Files.createDirectories(path.getParent());
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                    if (bytes > limits.maxExtractedBytes()) {
                        throw refuse("expands to more than the limit of " + limits.maxExtractedBytes() + " bytes (a decompression bomb?)");
                    }
                    if (bytes > RATIO_FLOOR_BYTES && bytes > uploadBytes * limits.maxRatio()) {
                        throw refuse("expands more than " + limits.maxRatio() + " times its size of " + uploadBytes
                                + " bytes (a decompression bomb?)");
                    }
                    out.write(buffer, 0, n);
                }
            } catch (FileAlreadyExistsException e) {
                throw refuse("entry '" + name + "' appears more than once");
            }
            files++;
        }

        ArchiveException refuse(String problem) {
            return new ArchiveException("archive '" + fileName + "' " + problem);
        }
    }

    /** Removes a directory tree; links inside are removed, never followed. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
