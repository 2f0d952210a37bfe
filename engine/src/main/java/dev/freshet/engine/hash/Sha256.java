package dev.freshet.engine.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one content hash: of rules, releases, files, keys and fingerprints. */
public final class Sha256 {
    /**
     * Never updated, only copied: a copy costs a fraction of {@code getInstance}, which looks the
     * algorithm up among the security providers and checks it against the crypto policy every time
     * (several microseconds, for each of a report's thousands of fingerprints).
     */
    private static final MessageDigest PROTOTYPE = newInstance();

    private Sha256() {
    }

    /** A fresh digest, for hashing in parts. */
    public static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newInstance(); // a provider whose digests cannot be copied
        }
    }

    private static MessageDigest newInstance() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** The hash of the text's UTF-8 bytes. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
