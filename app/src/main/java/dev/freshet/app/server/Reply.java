package dev.freshet.app.server;

/** What a route answers: a value written as JSON, or text of a given media type. */
public sealed interface Reply {
    int status();

    record Json(int status, Object body) implements Reply {
    }

    record Text(int status, String contentType, String body) implements Reply {
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
