package dev.freshet.app.server;

import java.io.InputStream;

/** What a route answers: a value written as JSON, text of a given media type, or a stream (a large report) sent as it is read. */
public sealed interface Reply {
    int status();

    record Json(int status, Object body) implements Reply {
    }

    record Text(int status, String contentType, String body) implements Reply {
    }

    /** Sent a piece at a time and closed by the server once written. */
    record Stream(int status, String contentType, InputStream body) implements Reply {
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }

    static Reply created(Object body) {
        return new Json(201, body);
    }

    static Reply accepted(Object body) {
        return new Json(202, body);
    }
}
