package dev.freshet.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy of a library shipped in a jar: named by the entry's size and CRC-32, written once, mended when cut. */
class NativeLibrariesTest {
    @TempDir
    Path temp;

    @Test
    void aJarEntryIsCopiedOnceUnderItsSizeAndChecksum() throws IOException {
        byte[] library = "not really a shared library, but bytes like one".getBytes();
        URL url = entryUrl(jar("first.jar", library), "lib/x86_64-linux-gnu-demo.so");
        Path cache = temp.resolve("cache");

        Path copy = NativeLibraries.extracted(url, cache);
        assertThat(copy.getFileName().toString()).isEqualTo(String.format("%08x-%d-x86_64-linux-gnu-demo.so", crc(library), library.length));
        assertThat(Files.readAllBytes(copy)).isEqualTo(library);

        FileTime written = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(copy, written);
        assertThat(NativeLibraries.extracted(url, cache)).isEqualTo(copy);
        assertThat(Files.getLastModifiedTime(copy)).as("a whole copy is not written again").isEqualTo(written);
    }

    @Test
    void anotherBuildOfTheLibraryGetsAnotherFile() throws IOException {
        Path cache = temp.resolve("cache");
        Path first = NativeLibraries.extracted(entryUrl(jar("a.jar", "build one".getBytes()), "lib/x86_64-linux-gnu-demo.so"), cache);
        Path second = NativeLibraries.extracted(entryUrl(jar("b.jar", "build two".getBytes()), "lib/x86_64-linux-gnu-demo.so"), cache);
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readString(first)).isEqualTo("build one");
        assertThat(Files.readString(second)).isEqualTo("build two");
    }

    @Test
    void aCopyCutShortIsWrittenAgain() throws IOException {
        byte[] library = "0123456789".repeat(100).getBytes();
        URL url = entryUrl(jar("first.jar", library), "lib/x86_64-linux-gnu-demo.so");
        Path copy = NativeLibraries.extracted(url, temp);
        Files.write(copy, new byte[] {1, 2, 3});
        assertThat(NativeLibraries.extracted(url, temp)).isEqualTo(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(library);
    }

    private Path jar(String name, byte[] library) throws IOException {
        Path jar = temp.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry("lib/x86_64-linux-gnu-demo.so"));
            zip.write(library);
            zip.closeEntry();
        }
        return jar;
    }

    private static URL entryUrl(Path jar, String entry) throws IOException {
        return URI.create("jar:" + jar.toUri() + "!/" + entry).toURL();
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
