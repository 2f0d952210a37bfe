package dev.freshet.updates.tuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.updates.tuf.TufMetadata.Key;
import dev.freshet.updates.tuf.TufMetadata.RoleKeys;
import dev.freshet.updates.tuf.TufMetadata.Root;
import dev.freshet.updates.tuf.TufMetadata.Signature;
import dev.freshet.updates.tuf.TufMetadata.Signed;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One metadata file: the bytes as received, the original {@code signed} JSON (what signatures
 * cover), its typed form, and the signatures.
 */
record Envelope<T extends Signed>(String file, byte[] raw, JsonNode signedNode, T signed, List<Signature> signatures) {

    /** A private key and the id its public key has in root. */
    record SigningKey(String keyid, PrivateKey key) {
    }

    static <T extends Signed> Envelope<T> parse(String file, byte[] raw, Class<T> type) throws TufException {
        try {
            JsonNode tree = TufMetadata.JSON.readTree(raw);
            if (tree == null || !tree.path("signed").isObject() || !tree.path("signatures").isArray()) {
                throw new TufException(file + ": not TUF metadata (expected 'signed' and 'signatures')");
            }
            T signed = TufMetadata.JSON.treeToValue(tree.get("signed"), type);
            List<Signature> signatures = new ArrayList<>();
            for (JsonNode s : tree.get("signatures")) signatures.add(TufMetadata.JSON.treeToValue(s, Signature.class));
            return new Envelope<>(file, raw, tree.get("signed"), signed, List.copyOf(signatures));
        } catch (JsonProcessingException e) {
            throw new TufException(file + ": malformed metadata: " + reason(e), e);
        } catch (IOException e) {
            throw new TufException(file + ": unreadable: " + e.getMessage(), e);
        }
    }

    long version() {
        return signed.version();
    }

    /** Throws unless at least the threshold of {@code role}'s keys in {@code root} signed this file. */
    void requireThreshold(Root root, String role, String byWhom) throws TufException {
        int valid = validSignatures(root, role);
        int threshold = root.role(role).threshold();
        if (valid < threshold) {
            throw new TufException("%s: %d valid signature%s%s, threshold is %d"
                    .formatted(file, valid, valid == 1 ? "" : "s", byWhom, threshold));
        }
    }

    int validSignatures(Root root, String role) {
        RoleKeys roleKeys = root.role(role);
        byte[] message;
        try {
            message = CanonicalJson.encode(signedNode);
        } catch (IllegalArgumentException e) {
            return 0; // not canonicalizable, so nothing can have signed it
        }
        // Count distinct keys, not signatures: a key repeated (or listed under two ids) counts once.
        Set<String> signers = new HashSet<>();
        for (Signature s : signatures) {
            Key key = roleKeys.keyids().contains(s.keyid()) ? root.keys().get(s.keyid()) : null;
            PublicKey publicKey = key == null ? null : Ed25519.decode(key);
            if (publicKey == null || signers.contains(key.keyval().get("public").toLowerCase())) continue;
            byte[] sig;
            try {
                sig = HexFormat.of().parseHex(s.sig());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (Ed25519.verify(publicKey, message, sig)) signers.add(key.keyval().get("public").toLowerCase());
        }
        return signers.size();
    }

    /** The file bytes for {@code signed}, signed by every given key. */
    static byte[] sign(Signed signed, Collection<SigningKey> keys) {
        return sign((JsonNode) TufMetadata.JSON.valueToTree(signed), keys);
    }

    /** The file bytes for a {@code signed} JSON object, signed by every given key. */
    static byte[] sign(JsonNode signedNode, Collection<SigningKey> keys) {
        byte[] message = CanonicalJson.encode(signedNode);
        ObjectNode file = TufMetadata.JSON.createObjectNode();
        var signatures = file.putArray("signatures");
        for (SigningKey key : keys) {
            signatures.addObject().put("keyid", key.keyid()).put("sig", HexFormat.of().formatHex(Ed25519.sign(key.key(), message)));
        }
        file.set("signed", signedNode);
        try {
            return TufMetadata.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(file);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The message our own validation gives (record constructors), else Jackson's without location noise. */
    private static String reason(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) return t.getMessage();
            if (t instanceof NullPointerException && t.getMessage() != null) return "missing " + t.getMessage();
        }
        return e.getOriginalMessage();
    }
}
