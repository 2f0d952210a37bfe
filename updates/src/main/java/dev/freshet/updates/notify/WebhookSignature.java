package dev.freshet.updates.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: HMAC-SHA256 with the shared secret over
 * {@code "<timestamp>.<body>"}, sent as {@code X-Freshet-Signature: sha256=<hex>} beside
 * {@code X-Freshet-Timestamp: <unix seconds>}. Signing the timestamp lets a receiver refuse an old
 * delivery replayed to it; the body is signed byte for byte, so the receiver verifies the raw body.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Freshet-Signature";
    public static final String TIMESTAMP_HEADER = "X-Freshet-Timestamp";
    public static final String DELIVERY_HEADER = "Idempotency-Key";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    public static String sign(byte[] secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether a receiver should accept the delivery: the signature matches and the timestamp is within {@code tolerance} of now. */
    public static boolean verify(byte[] secret, String timestampHeader, String signatureHeader, byte[] body, Instant now,
                                 Duration tolerance) {
        if (timestampHeader == null || signatureHeader == null || !timestampHeader.matches("[0-9]{1,12}")) {
            return false;
        }
        long timestamp = Long.parseLong(timestampHeader);
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }
}
