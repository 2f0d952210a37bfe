package dev.freshet.app.server;

import io.javalin.http.Context;
import java.util.Optional;

/** One call of a route: the HTTP context and the authenticated caller (null on public routes). */
public record Request(Context ctx, Caller caller) {
    public String path(String name) {
        return ctx.pathParam(name);
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
    }

    public String tenant() {
        return caller.tenant();
    }
}
