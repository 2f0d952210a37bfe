package dev.freshet.app.server;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3 document of the route table: every route, its role, path and query parameters,
 * and the JSON schema of its request body made from the very record the route reads it into.
 */
final class OpenApi {
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private OpenApi() {
    }

    static Map<String, Object> document(List<Route> routes, String version) {
        Map<String, Object> schemas = new TreeMap<>();
        schemas.put("Error", Map.of("type", "object", "required", List.of("error"),
                "properties", Map.of("error", Map.of("type", "string", "description", "What was wrong, in one line"))));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>());
            item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route, schemas));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Freshet", "version", version,
                "description", "Keeps a security engine's knowledge current and safe. Every /api route needs "
                        + "'Authorization: Bearer <key>'; roles: viewer (reads), operator (+ updates, syncs, scans, projects), "
                        + "admin (+ sources, overrides, its tenant's keys), global-admin (+ tenants, every tenant's keys)."));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas,
                "securitySchemes", Map.of("apiKey", Map.of("type", "http", "scheme", "bearer"))));
        return doc;
    }

    private static Map<String, Object> operation(Route route, Map<String, Object> schemas) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(route));
        op.put("summary", route.summary());
        op.put("tags", List.of(tag(route.path())));
        op.put("description", route.role() == null ? "Public." : "Needs the " + route.role().lowerCase() + " role or higher.");
        op.put("x-freshet-role", route.role() == null ? "public" : route.role().lowerCase());
        List<Map<String, Object>> parameters = new ArrayList<>();
        route.pathParameters().forEach(p -> parameters.add(Map.of("name", p, "in", "path", "required", true,
                "schema", Map.of("type", "string"))));
        route.query().forEach(q -> parameters.add(Map.of("name", q, "in", "query", "required", false,
                "schema", Map.of("type", "string"))));
        route.headers().forEach(h -> parameters.add(Map.of("name", h, "in", "header", "required", false,
                "schema", Map.of("type", "string"))));
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (route.jsonBody() != null || !route.binaryBody().isEmpty()) {
            Map<String, Object> content = new LinkedHashMap<>();
            if (route.jsonBody() != null) {
                schemas.put(route.jsonBody().getSimpleName(), schema(route.jsonBody()));
                content.put("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/" + route.jsonBody().getSimpleName())));
            }
            route.binaryBody().forEach(type -> content.put(type, Map.of("schema", Map.of("type", "string", "format", "binary"))));
            op.put("requestBody", Map.of("required", route.bodyRequired(), "content", content));
        }
        Map<String, Object> success = new LinkedHashMap<>();
        route.produces().forEach(type -> success.put(type, Map.of("schema", type.startsWith("text/")
                ? Map.of("type", "string") : Map.of())));
        Map<String, Object> error = Map.of("description", "Refused or failed", "content",
                Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
        op.put("responses", Map.of("2XX", Map.of("description", "Done", "content", success), "4XX", error, "5XX", error));
        op.put("security", route.role() == null ? List.of() : List.of(Map.of("apiKey", List.of())));
        return op;
    }

    /** A JSON schema of a request record: its components, snake_case, no other fields allowed. */
    static Map<String, Object> schema(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return Map.of("type", "string");
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return Map.of("type", "integer");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (List.class.isAssignableFrom(raw)) {
            Type item = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : String.class;
            return Map.of("type", "array", "items", schema(item));
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type value = type instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : String.class;
            return Map.of("type", "object", "additionalProperties", schema(value));
        }
        if (raw.isRecord()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                properties.put(SNAKE.translate(component.getName()), schema(component.getGenericType()));
            }
            return Map.of("type", "object", "additionalProperties", false, "properties", properties);
        }
        throw new IllegalArgumentException("no schema for " + type + ": request bodies are records of strings, numbers, booleans, lists and maps");
    }

    private static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String part : route.path().split("[/{}._-]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }

    private static String tag(String path) {
        String[] parts = path.split("/");
        return parts.length > 2 && parts[1].equals("api") ? parts[2] : parts[1].replace(".json", "");
    }
}
