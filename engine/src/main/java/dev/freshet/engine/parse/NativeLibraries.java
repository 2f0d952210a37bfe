package dev.freshet.engine.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;

/**
 * Finds tree-sitter's shared libraries inside the jars on the class path (the Maven Central
 * artifacts ship one per platform under {@code lib/}), copies each once into a cache directory (the
 * operating system loads only files), and opens it for the whole life of the process.
 */
final class NativeLibraries {
    private NativeLibraries() {
    }

    /** Whether the library {@code name} for this platform is on the class path. */
    static boolean present(String name) {
        // Asked for every file parsed and every rule read; the class path does not change while running.
        return PRESENT.computeIfAbsent(name, n -> NativeLibraries.class.getClassLoader().getResource(resource(n)) != null);
    }

    private static final Map<String, Boolean> PRESENT = new ConcurrentHashMap<>();

    /**
     * The library {@code name} (e.g. {@code tree-sitter-python}) for this platform: opened where it is when
     * it is a file (a build's classes directory), else from its copy in the cache directory, named by the
     * jar entry's size and CRC-32. Those come from the jar's directory, so a run whose copy exists reads
     * none of the library's bytes: inflating and hashing them cost tens of milliseconds before the JIT
     * has compiled anything.
     */
    static SymbolLookup open(String name) {
        return SymbolLookup.libraryLookup(path(name), Arena.global());
    }

    /** The file of the library {@code name}, as {@link #open} finds it: for {@link System#load}, which JNI needs. */
    static Path path(String name) {
        String resource = resource(name);
        URL url = NativeLibraries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("native library " + resource + " is not on the class path: add the Maven "
                    + "artifact io.github.bonede:" + name + " (it ships the libraries for each platform)");
        }
        try {
            return url.getProtocol().equals("file") ? Path.of(url.toURI()) : extracted(url, cacheDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read native library " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("native library at an unusable location: " + url, e);
        }
    }

    private static String resource(String name) {
        return "lib/" + platform() + "-" + name + extension();
    }

    /**
     * The copy in {@code directory} of the jar entry at {@code url}, written once: its name carries the
     * entry's size and CRC-32, so another build of the library gets another file.
     */
    static Path extracted(URL url, Path directory) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        JarEntry entry = connection.getJarEntry();
        String baseName = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
        // Not String.format: its first use sets up locale data, about 10 ms of a run.
        String fileName = HexFormat.of().toHexDigits((int) entry.getCrc()) + "-" + entry.getSize() + "-" + baseName;
        Path target = directory.resolve(fileName);
        if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
            return target;
        }
        byte[] bytes;
        try (InputStream in = connection.getInputStream()) {
            bytes = in.readAllBytes(); // the jar checks the bytes against the entry's CRC-32 as it inflates them
        }
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), fileName, ".partial");
            Files.write(partial, bytes);
            // Another process may have written the same bytes meanwhile; either copy is whole.
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write native library to " + target
                    + " (set FRESHET_NATIVE_DIR to a writable directory)", e);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getenv("FRESHET_NATIVE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("freshet").resolve("natives");
    }

    /** The prefix the bonede artifacts give each platform's library. */
    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        if (os.contains("mac")) {
            return cpu + "-macos";
        }
        if (os.contains("win")) {
            return cpu + "-windows";
        }
        return cpu + "-linux-gnu";
    }

    private static String extension() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.contains("mac") ? ".dylib" : os.contains("win") ? ".dll" : ".so";
    }
}
