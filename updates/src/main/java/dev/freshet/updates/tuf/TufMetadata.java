package dev.freshet.updates.tuf;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.freshet.engine.hash.Sha256;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code signed} part of the four top-level TUF roles, as records. Reading ignores fields we do
 * not use (delegations, custom extensions); that is safe because signatures are always checked
 * over the original JSON, never over these records.
 */
public final class TufMetadata {
    /** The TUF specification version this code follows; clients accept any 1.x. */
    public static final String SPEC_VERSION = "1.0.31";
    public static final String ROOT = "root", TIMESTAMP = "timestamp", SNAPSHOT = "snapshot", TARGETS = "targets";
    public static final List<String> ROLES = List.of(ROOT, TARGETS, SNAPSHOT, TIMESTAMP);

    /** Shared JSON setup: duplicate keys rejected (parser differentials), dates as ISO strings, no nulls written. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private TufMetadata() {
    }

    /** What every role's {@code signed} object has. */
    public sealed interface Signed permits Root, Timestamp, Snapshot, Targets {
        String type();

        String specVersion();

        long version();

        Instant expires();
    }

    public record Root(@JsonProperty(value = "_type", required = true) String type,
                       @JsonProperty(value = "spec_version", required = true) String specVersion,
                       @JsonProperty(required = true) long version,
                       @JsonProperty(required = true) Instant expires,
                       @JsonProperty("consistent_snapshot") boolean consistentSnapshot,
                       @JsonProperty(required = true) Map<String, Key> keys,
                       @JsonProperty(required = true) Map<String, RoleKeys> roles) implements Signed {
        public Root {
            checkCommon(ROOT, type, specVersion, version, expires);
            keys = sorted(keys, "keys");
            roles = sorted(roles, "roles");
            for (String role : ROLES) {
                if (!roles.containsKey(role)) throw new IllegalArgumentException("roles has no '" + role + "'");
            }
        }

        public RoleKeys role(String name) {
            return roles.get(name);
        }
    }

    /** A public key as TUF writes it; {@code keyval.public} is the raw key in hex. */
    public record Key(String keytype, String scheme, Map<String, String> keyval) {
        public Key {
            Objects.requireNonNull(keytype, "keytype");
            Objects.requireNonNull(scheme, "scheme");
            keyval = Map.copyOf(Objects.requireNonNull(keyval, "keyval"));
        }
    }

    public record RoleKeys(@JsonProperty(required = true) List<String> keyids,
                           @JsonProperty(required = true) int threshold) {
        public RoleKeys {
            keyids = List.copyOf(Objects.requireNonNull(keyids, "keyids"));
            // A threshold of 0 would accept unsigned metadata.
            if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1, is " + threshold);
        }
    }

    public record Timestamp(@JsonProperty(value = "_type", required = true) String type,
                            @JsonProperty(value = "spec_version", required = true) String specVersion,
                            @JsonProperty(required = true) long version,
                            @JsonProperty(required = true) Instant expires,
                            @JsonProperty(required = true) Map<String, MetaFile> meta) implements Signed {
        public Timestamp {
            checkCommon(TIMESTAMP, type, specVersion, version, expires);
            meta = sorted(meta, "meta");
        }

        @JsonIgnore
        public MetaFile snapshot() {
            return meta.get("snapshot.json");
        }
    }

    public record Snapshot(@JsonProperty(value = "_type", required = true) String type,
                           @JsonProperty(value = "spec_version", required = true) String specVersion,
                           @JsonProperty(required = true) long version,
                           @JsonProperty(required = true) Instant expires,
                           @JsonProperty(required = true) Map<String, MetaFile> meta) implements Signed {
        public Snapshot {
            checkCommon(SNAPSHOT, type, specVersion, version, expires);
            meta = sorted(meta, "meta");
        }

        @JsonIgnore
        public MetaFile targets() {
            return meta.get("targets.json");
        }
    }

    public record Targets(@JsonProperty(value = "_type", required = true) String type,
                          @JsonProperty(value = "spec_version", required = true) String specVersion,
                          @JsonProperty(required = true) long version,
                          @JsonProperty(required = true) Instant expires,
                          @JsonProperty(required = true) Map<String, TargetFile> targets) implements Signed {
        public Targets {
            checkCommon(TARGETS, type, specVersion, version, expires);
            targets = sorted(targets, "targets");
        }
    }

    /** A metadata file as listed in timestamp or snapshot; length and hashes are optional in TUF. */
    public record MetaFile(@JsonProperty(required = true) long version, Long length, Map<String, String> hashes) {
        public MetaFile {
            if (version < 1) throw new IllegalArgumentException("meta version must be at least 1, is " + version);
            if (length != null && length < 0) throw new IllegalArgumentException("negative length " + length);
            hashes = hashes == null ? null : Map.copyOf(hashes);
        }
    }

    /** A target file: its exact length and hashes; {@code custom} is free-form and may be null. */
    public record TargetFile(@JsonProperty(required = true) long length,
                             @JsonProperty(required = true) Map<String, String> hashes,
                             JsonNode custom) {
        public TargetFile {
            if (length < 0) throw new IllegalArgumentException("negative length " + length);
            hashes = Map.copyOf(Objects.requireNonNull(hashes, "hashes"));
        }

        @JsonIgnore
        public String sha256() {
            return hashes.get("sha256");
        }
    }

    public record Signature(String keyid, String sig) {
        public Signature {
            Objects.requireNonNull(keyid, "keyid");
            Objects.requireNonNull(sig, "sig");
        }
    }

    /** An immutable copy in key order (stable output, targets listed by path); null entries rejected. */
    private static <V> Map<String, V> sorted(Map<String, V> map, String name) {
        Objects.requireNonNull(map, name);
        map.forEach((k, v) -> Objects.requireNonNull(v, () -> name + "." + k + " is null"));
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    private static void checkCommon(String expectedType, String type, String specVersion, long version, Instant expires) {
        // A validly signed file of another role must not pass as this one.
        if (!expectedType.equals(type)) {
            throw new IllegalArgumentException("_type is '" + type + "', expected '" + expectedType + "'");
        }
        Objects.requireNonNull(specVersion, "spec_version");
        if (!specVersion.equals("1") && !specVersion.startsWith("1.")) {
            throw new IllegalArgumentException("spec_version " + specVersion + " is not supported (this client reads 1.x)");
        }
        if (version < 1) throw new IllegalArgumentException("version must be at least 1, is " + version);
        Objects.requireNonNull(expires, "expires");
    }

    /**
     * Checks a target path before it becomes a URL or a local file name: relative, '/'-separated,
     * no empty, '.' or '..' segments, no backslashes or control characters (path traversal).
     */
    public static String checkTargetPath(String path) {
        boolean ok = path != null && !path.isEmpty() && path.length() <= 1024 && !path.startsWith("/");
        if (ok) {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) ok = false;
            }
            ok &= path.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
        }
        if (!ok) throw new IllegalArgumentException("unsafe target path '" + path + "'");
        return path;
    }

    static String sha256Hex(byte[] data) {
        return Sha256.hex(data);
    }
}
