package dev.freshet.updates.feeds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedRange;
import java.util.List;

/** The stored form of an {@link Advisory}: its JSON, with range events tagged by kind. */
final class AdvisoryJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(Advisory.class, AdvisoryMixIn.class)
            .addMixIn(AffectedRange.Event.class, EventMixIn.class)
            .build();

    private AdvisoryJson() {
    }

    static String write(Advisory advisory) {
        try {
            return MAPPER.writeValueAsString(advisory);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write advisory " + advisory.id() + " as JSON", e);
        }
    }

    static Advisory read(String json) {
        try {
            return MAPPER.readValue(json, Advisory.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored advisory is not readable: " + e.getOriginalMessage(), e);
        }
    }

    /** Derived accessors are not part of the stored form. */
    private interface AdvisoryMixIn {
        @JsonIgnore
        boolean isWithdrawn();

        @JsonIgnore
        List<String> ids();
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = AffectedRange.Event.Introduced.class, name = "introduced"),
            @JsonSubTypes.Type(value = AffectedRange.Event.IntroducedAfter.class, name = "introduced_after"),
            @JsonSubTypes.Type(value = AffectedRange.Event.Fixed.class, name = "fixed"),
            @JsonSubTypes.Type(value = AffectedRange.Event.LastAffected.class, name = "last_affected"),
            @JsonSubTypes.Type(value = AffectedRange.Event.Limit.class, name = "limit")})
    private interface EventMixIn {
    }
}
