package dev.freshet.updates.tuf;

import dev.freshet.updates.tuf.TufMetadata.Key;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** Ed25519 keys in TUF's shapes: raw public keys in hex, key ids, PKCS#8 PEM private keys. */
final class Ed25519 {
    static final String TYPE = "ed25519";
    /** The fixed X.509 SubjectPublicKeyInfo header in front of a raw 32-byte Ed25519 key. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----", PEM_END = "-----END PRIVATE KEY-----";

    private Ed25519() {
    }

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        }
    }

    static Key publicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return new Key(TYPE, TYPE, Map.of("public", HexFormat.of().formatHex(raw)));
    }

    /** TUF's key id: hex SHA-256 of the key's canonical JSON. */
    static String keyId(Key key) {
        return TufMetadata.sha256Hex(CanonicalJson.encode(TufMetadata.JSON.valueToTree(key)));
    }

    /** The JDK key for a TUF key, or null when it is not a well-formed Ed25519 key (such a key never verifies). */
    static PublicKey decode(Key key) {
        String hex = key.keyval().get("public");
        if (!TYPE.equals(key.keytype()) || !TYPE.equals(key.scheme()) || hex == null || hex.length() != 64) return null;
        try {
            byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
            System.arraycopy(HexFormat.of().parseHex(hex), 0, der, X509_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an Ed25519 key: " + e.getMessage(), e);
        }
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is simply not a valid one
        }
    }

    static String toPem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    static PrivateKey fromPem(String pem) throws GeneralSecurityException {
        String body = pem.replace(PEM_BEGIN, "").replace(PEM_END, "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a PEM private key", e);
        }
    }
}
