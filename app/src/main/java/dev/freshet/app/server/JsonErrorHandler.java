package dev.freshet.app.server;

import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Refusals Jetty makes before a route runs (headers too large, URI too long, a URI it cannot
 * read, a body arriving too slowly, a request arriving while the server stops) in the API's own
 * shape, {@code {"error": ...}}, instead of Jetty's HTML page; those that pass say when to retry.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (ApiServer.passes(code)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, ApiServer.RETRY_AFTER_SECONDS);
        }
        response.write(true, ByteBuffer.wrap(Json.write(Map.of("error", explain(code, message)))), callback);
    }

    private static String explain(int code, String message) {
        String reason = message == null || message.isBlank() ? "" : " (" + message + ")";
        return switch (code) {
            case 431 -> "the request headers are too large" + reason + "; send fewer or shorter headers";
            case 414 -> "the request URI is too long" + reason + "; send long input in a JSON body";
            case 408 -> "the request took too long to arrive" + reason + "; send it faster";
            case 400 -> "the request cannot be read" + reason + "; check the URI's encoding and the headers";
            case 503 -> "the server is not taking requests now" + reason + "; retry after " + ApiServer.RETRY_AFTER_SECONDS + " s";
            default -> "the request was refused" + reason;
        };
    }
}
