package dev.freshet.engine.fix;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Applies fixes to files on disk. A file is rewritten through a temporary file beside it and one
 * move, so a reader sees the old file or the new one, never half of each; every byte outside the
 * edits (line endings, a byte-order mark, the rest of the encoding) stays as it was.
 */
public final class FileFixer {
    private final SourceParser parser;

    /** @param parser parses fixed files to tell when a fix leaves code that does not parse; null skips the check */
    public FileFixer(SourceParser parser) {
        this.parser = parser;
    }

    /**
     * What fixing one file did. {@code error} is set when the file was left alone; {@code parseNote} when
     * the fixed code has more parse errors than before (such fixes are still applied, as Semgrep does).
     */
    public record Outcome(Path file, List<Edit> applied, List<Edits.Skipped> skipped, String diff, String parseNote, String error) {
        static Outcome failed(Path file, String error) {
            return new Outcome(file, List.of(), List.of(), "", null, error);
        }
    }

    /**
     * Applies the edits to {@code file}; with {@code write} false nothing is written and the outcome's diff
     * shows what would change. {@code displayPath} names the file in the diff.
     */
    public Outcome fix(Path file, String displayPath, List<Edit> edits, boolean write) {
        String text;
        Path target;
        try {
            target = file.toRealPath();
            byte[] bytes = Files.readAllBytes(target);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Outcome.failed(file, "not valid UTF-8; left unchanged so no other byte is altered");
        } catch (IOException e) {
            return Outcome.failed(file, "cannot read: " + e.getMessage());
        }
        Edits.Result result = Edits.apply(text, edits);
        if (!result.changed()) {
            return new Outcome(file, List.of(), result.skipped(), "", null, null);
        }
        String diff = write ? "" : UnifiedDiff.of(displayPath, text, result.applied());
        String parseNote = parseNote(file, text, result.text());
        if (write) {
            try {
                writeAtomically(target, result.text().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Outcome.failed(file, "cannot write: " + e.getMessage() + "; left unchanged");
            }
        }
        return new Outcome(file, result.applied(), result.skipped(), diff, parseNote, null);
    }

    private String parseNote(Path file, String before, String after) {
        Language language = parser == null ? null : Language.forFile(file).orElse(null);
        if (language == null) {
            return null;
        }
        int errorsBefore = parser.parse(language, before).errorCount();
        int errorsAfter = parser.parse(language, after).errorCount();
        return errorsAfter > errorsBefore
                ? "the fixed code does not parse cleanly (" + errorsAfter + " unparsable part(s), " + errorsBefore + " before)"
                : null;
    }

    /** Temporary file in the same directory (same file system), the original's permissions, then one rename. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(dir, "." + target.getFileName() + ".", ".freshet-fix");
        try {
            Files.write(temporary, bytes);
            try {
                Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the new file keeps the default permissions
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
