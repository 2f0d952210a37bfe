package dev.freshet.app.server;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * One call of a route: the HTTP context and the authenticated caller (null on public routes).
 * Path and query parameters holding control characters (a NUL...) are refused here, for every route.
 */
public record Request(Context ctx, Caller caller) {
    public String path(String name) {
        return plain("path parameter", name, ctx.pathParam(name));
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank()).map(v -> plain("query parameter", name, v));
    }

    private static String plain(String kind, String name, String value) {
        if (Json.hasControlCharacter(value)) {
            throw ApiError.badRequest(kind + " '" + name + "' holds a control character (such as NUL); send plain text");
        }
        return value;
    }

    public String tenant() {
        return caller.tenant();
    }
}
