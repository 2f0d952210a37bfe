import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;

public class TokenHasher {
    private static final String LEGACY_ALGORITHM = "SHA1";

    public byte[] hashPassword(String password) throws NoSuchAlgorithmException {
        // ruleid: freshet-java-weak-message-digest
        MessageDigest md = MessageDigest.getInstance("MD5");
        return md.digest(password.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] legacyToken(String token) throws NoSuchAlgorithmException {
        // ruleid: freshet-java-weak-message-digest
        return MessageDigest.getInstance(LEGACY_ALGORITHM).digest(token.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] withProvider(byte[] data) throws NoSuchAlgorithmException, NoSuchProviderException {
        // ruleid: freshet-java-weak-message-digest
        return java.security.MessageDigest.getInstance("sha-1", "SUN").digest(data);
    }

    public byte[] strong(byte[] data) throws NoSuchAlgorithmException {
        // ok: freshet-java-weak-message-digest
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    public byte[] strongest(byte[] data) throws NoSuchAlgorithmException {
        // ok: freshet-java-weak-message-digest
        return MessageDigest.getInstance("SHA3-512").digest(data);
    }
}
