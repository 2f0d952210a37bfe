package dev.freshet.engine.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds tree-sitter's shared libraries inside the jars on the class path (the Maven Central
 * artifacts ship one per platform under {@code lib/}), copies each once into a cache directory
 * named by its content hash, and opens it for the whole life of the process.
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

    /** The library {@code name} (e.g. {@code tree-sitter-python}) for this platform. */
    static SymbolLookup open(String name) {
        String resource = resource(name);
        byte[] bytes;
        try (InputStream in = NativeLibraries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("native library " + resource + " is not on the class path: add the Maven "
                        + "artifact io.github.bonede:" + name + " (it ships the libraries for each platform)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read native library " + resource, e);
        }
        return SymbolLookup.libraryLookup(extracted(resource, bytes), Arena.global());
    }

    private static String resource(String name) {
        return "lib/" + platform() + "-" + name + extension();
    }

    /** The file holding {@code bytes}, written once: its name carries their hash, so a present file is complete. */
    private static Path extracted(String resource, byte[] bytes) {
        String fileName = sha256(bytes).substring(0, 16) + "-" + resource.substring("lib/".length());
        Path target = cacheDirectory().resolve(fileName);
        if (Files.isRegularFile(target)) {
            return target;
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

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
