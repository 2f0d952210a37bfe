package dev.freshet.app.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.Collection;
import org.eclipse.jetty.http.HttpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * JSON in and out, snake_case like the CLI's {@code --json}. Every route reads its request body
 * here, strictly: unknown fields, wrong types, numbers as strings, trailing content, control
 * characters (NUL...) in strings, nesting deeper than {@value #MAX_DEPTH} levels and bodies over
 * {@value #MAX_BODY_BYTES} bytes are refused with a 400 naming the field.
 */
public final class Json {
    /** JSON request bodies are small commands; anything bigger is a mistake or an attack. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Request bodies are flat commands; deep nesting only serves to exhaust the reader's stack. */
    static final int MAX_DEPTH = 32;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxDocumentLength(MAX_BODY_BYTES).maxStringLength(MAX_BODY_BYTES).maxNameLength(1_000).maxNumberLength(100)
                            .build())
                    .build())
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule().addSerializer(Path.class, new PathAsText()).addDeserializer(String.class, new PlainText()))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private Json() {
    }

    /** Reads the request body into {@code type}, or fails with a 4xx naming what is wrong. */
    static <T> T read(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "the request body must be JSON (Content-Type: application/json), not " + contentType);
        }
        byte[] body = readBounded(ctx, MAX_BODY_BYTES);
        if (body.length == 0) {
            throw ApiError.badRequest("this request needs a JSON body");
        }
        JsonParser parser = null;
        try {
            parser = MAPPER.createParser(body);
            T value = MAPPER.readValue(parser, type);
            if (value == null) {
                throw ApiError.badRequest("the request body must be a JSON object, not null");
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw ApiError.badRequest(outermostField(parser).map(f -> "field '" + f + "': ").orElse("the request body: ")
                    + "over the reader's limits (at most " + MAX_DEPTH + " levels of nesting, " + MAX_BODY_BYTES
                    + " bytes): " + e.getOriginalMessage());
        } catch (UnrecognizedPropertyException e) {
            throw ApiError.badRequest("unknown field '" + e.getPropertyName() + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            if (e.getTargetType() == String.class) {
                throw ApiError.badRequest("field '" + field(e) + "' holds a control character (such as NUL); send plain text");
            }
            throw ApiError.badRequest("field '" + field(e) + "': '" + e.getValue() + "' is not a valid "
                    + e.getTargetType().getSimpleName().toLowerCase(Locale.ROOT));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ApiError.badRequest(cause.getMessage());
        } catch (MismatchedInputException e) {
            String field = field(e);
            throw ApiError.badRequest(field.isEmpty()
                    ? "the request body must be a JSON object with the fields of " + type.getSimpleName()
                    : "field '" + field + "' has the wrong type: expected " + typeName(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw ApiError.badRequest("the request body does not fit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiError.badRequest("malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    /** Whether the request carries a body at all (a declared length above zero, or chunks). */
    static boolean hasBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        return length > 0 || (length < 0 && ctx.header("Transfer-Encoding") != null);
    }

    /** The whole body, refusing (413) more than {@code limit} bytes whether or not a Content-Length was sent. */
    public static byte[] readBounded(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            if (declared <= DRAINED_AT_MOST) {
                drain(ctx);
            }
            throw new ApiError(413, "the request body has " + declared + " bytes; at most " + limit + " are accepted");
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new ApiError(413, "the request body is over the limit of " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("cannot read the request body: " + e.getMessage());
        } catch (RuntimeException e) {
            // Jetty refuses a body that arrives too slowly (408) or is malformed (400) from inside the read.
            if (e instanceof HttpException refused) {
                throw new ApiError(refused.getCode(), "cannot read the request body: " + refused.getReason());
            }
            throw e;
        }
    }

    /**
     * A body refused for its declared size is read and dropped when it is small: the client has most
     * likely sent it already, and closing on unread bytes resets the connection before it can read the 413.
     */
    private static final long DRAINED_AT_MOST = 1 << 20;

    private static void drain(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // the answer is a 413 whatever the rest of the body did
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The top-level field the parser was in when it gave up, if it was in one. */
    private static Optional<String> outermostField(JsonParser parser) {
        return Optional.ofNullable(parser).map(p -> p.getParsingContext().pathAsPointer().getMatchingProperty()).filter(f -> !f.isEmpty());
    }

    /** Whether {@code text} holds a C0 control character other than tab, line feed and carriage return, or DEL. */
    static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f);
    }

    private static String field(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** Strings without control characters: NUL and its kind only ever reach a path or a query to break it. */
    private static final class PlainText extends StdScalarDeserializer<String> {
        PlainText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && hasControlCharacter(text)) {
                throw InvalidFormatException.from(parser, "control character in a string", text, String.class);
            }
            return text;
        }
    }

    /** Paths as plain text rather than Jackson's file: URIs. */
    private static final class PathAsText extends StdSerializer<Path> {
        PathAsText() {
            super(Path.class);
        }

        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }
}
