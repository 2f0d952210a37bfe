package dev.freshet.updates.release;

import dev.freshet.engine.hash.Sha256;
import java.security.MessageDigest;

/** Hex SHA-256, the content address of rules and releases. */
final class Hashes {
    private Hashes() {
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }

    static MessageDigest digest() {
        return Sha256.digest();
    }
}
