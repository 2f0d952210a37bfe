package dev.freshet.app.server;

import java.io.InputStream;
import java.util.Optional;

/** What a route answers: a value written as JSON, text of a given media type, or a stream (a large report) sent as it is read. */
public sealed interface Reply {
    int status();

    /** {@code location}, when present, is sent as the {@code Location} header: where the resource the answer is about can be read. */
    record Json(int status, Object body, Optional<String> location) implements Reply {
        public Json(int status, Object body) {
            this(status, body, Optional.empty());
        }
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

    /** Accepted, with where to follow the work up. */
    static Reply accepted(Object body, String location) {
        return new Json(202, body, Optional.of(location));
    }
}
