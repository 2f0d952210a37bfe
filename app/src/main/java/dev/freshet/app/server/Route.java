package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import io.javalin.http.HandlerType;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of the route table. The server registers exactly these routes and the OpenAPI
 * document describes exactly these, so the two cannot drift apart.
 *
 * @param role         the least role that may call it; null for public routes (health, metrics, the document)
 * @param jsonBody     the record a JSON request body is read into (unknown fields refused), or null
 * @param bodyRequired whether a request without a body is refused
 * @param binaryBody   media types of a raw request body the route also takes (archives), else empty
 * @param query        query parameters it reads
 * @param headers      request headers it reads (beyond authorization and content type)
 * @param produces     media types it answers with
 */
public record Route(HandlerType method, String path, Role role, String summary, Class<?> jsonBody, boolean bodyRequired,
                    List<String> binaryBody, List<String> query, List<String> headers, List<String> produces, Action action) {

    /** The work of a route. */
    @FunctionalInterface
    public interface Action {
        Reply handle(Request request) throws Exception;
    }

    /** The work of a route with a JSON body, already read and checked (null when optional and left out). */
    @FunctionalInterface
    public interface BodyAction<B> {
        Reply handle(Request request, B body) throws Exception;
    }

    public Route {
        binaryBody = List.copyOf(binaryBody);
        query = List.copyOf(query);
        headers = List.copyOf(headers);
        produces = List.copyOf(produces);
    }

    private static Route of(HandlerType method, String path, Role role, String summary, Action action) {
        return new Route(method, path, role, summary, null, false, List.of(), List.of(), List.of(), List.of("application/json"), action);
    }

    static Route get(String path, Role role, String summary, Action action) {
        return of(HandlerType.GET, path, role, summary, action);
    }

    static Route post(String path, Role role, String summary, Action action) {
        return of(HandlerType.POST, path, role, summary, action);
    }

    static Route delete(String path, Role role, String summary, Action action) {
        return of(HandlerType.DELETE, path, role, summary, action);
    }

    /** A route whose JSON body is read into {@code type} before {@code action} runs. */
    static <B> Route withBody(HandlerType method, String path, Role role, String summary, Class<B> type, BodyAction<B> action) {
        return of(method, path, role, summary, request -> action.handle(request, Json.read(request.ctx(), type))).body(type, true);
    }

    /** Like {@link #withBody}, but the body may be left out: then the action gets null. */
    static <B> Route withOptionalBody(HandlerType method, String path, Role role, String summary, Class<B> type,
                                      BodyAction<B> action) {
        return of(method, path, role, summary,
                request -> action.handle(request, Json.hasBody(request.ctx()) ? Json.read(request.ctx(), type) : null)).body(type, false);
    }

    /** Declares the JSON body an action reads itself. */
    Route body(Class<?> type, boolean required) {
        return new Route(method, path, role, summary, type, required, binaryBody, query, headers, produces, action);
    }

    Route query(String... names) {
        return new Route(method, path, role, summary, jsonBody, bodyRequired, binaryBody, List.of(names), headers, produces, action);
    }

    Route headers(String... names) {
        return new Route(method, path, role, summary, jsonBody, bodyRequired, binaryBody, query, List.of(names), produces, action);
    }

    Route binary(String... mediaTypes) {
        return new Route(method, path, role, summary, jsonBody, bodyRequired, List.of(mediaTypes), query, headers, produces, action);
    }

    Route produces(String... mediaTypes) {
        return new Route(method, path, role, summary, jsonBody, bodyRequired, binaryBody, query, headers, List.of(mediaTypes), action);
    }

    /** The path parameters, in order: the names in braces. */
    List<String> pathParameters() {
        return Arrays.stream(path.split("/")).filter(p -> p.startsWith("{") && p.endsWith("}"))
                .map(p -> p.substring(1, p.length() - 1)).toList();
    }
}
