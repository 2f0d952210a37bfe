package dev.freshet.engine.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.freshet.engine.models.HttpRequest.Location;
import dev.freshet.engine.models.HttpRequest.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestParserTest {
    private static Parameter find(HttpRequest request, Location location, String name) {
        return request.parameters().stream().filter(p -> p.location() == location && p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void absoluteTargetQueryHeadersAndCookies() throws RequestParseException {
        HttpRequest request = HttpRequestParser.parseRaw("""
                GET http://localhost:8080/shop/add.jsp?id=3&name=Vino+Rioja&B1=A%F1adir HTTP/1.1\r
                User-Agent: Mozilla/5.0\r
                Cookie: JSESSIONID=1F76; theme=dark\r
                \r
                \r
                """);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/shop/add.jsp");
        assertThat(find(request, Location.QUERY, "name").value()).isEqualTo("Vino Rioja");
        // %F1 alone is not UTF-8: read as ISO-8859-1, as the application sent it.
        assertThat(find(request, Location.QUERY, "B1").value()).isEqualTo("Añadir");
        assertThat(find(request, Location.COOKIE, "theme").value()).isEqualTo("dark");
        assertThat(find(request, Location.HEADER, "user-agent").value()).isEqualTo("Mozilla/5.0");
        assertThat(request.parameters()).noneMatch(p -> p.location() == Location.HEADER && p.name().equals("cookie"));
    }

    @Test
    void formBodyAndUtf8Escapes() throws RequestParseException {
        HttpRequest request = HttpRequestParser.parseRaw("""
                POST /login HTTP/1.1
                Content-Type: application/x-www-form-urlencoded
                Content-Length: 31

                user=J%C3%BCrgen&pwd=a%26b&flag
                """);
        assertThat(find(request, Location.BODY, "user").value()).isEqualTo("Jürgen");
        assertThat(find(request, Location.BODY, "pwd").value()).isEqualTo("a&b");
        assertThat(find(request, Location.BODY, "flag").value()).isEmpty();
    }

    @Test
    void jsonBodyIsFlattenedToNamedValues() throws RequestParseException {
        HttpRequest request = HttpRequestParser.fromParts("POST", "/api/orders", List.of(Map.entry("Content-Type", "application/json")),
                "{\"user\":{\"name\":\"Ana\",\"tags\":[\"a\",\"b\"]},\"count\":2,\"note\":null}");
        assertThat(request.parameters()).filteredOn(p -> p.location() == Location.BODY).extracting(Parameter::name, Parameter::value)
                .containsExactly(tuple("user.name", "Ana"), tuple("user.tags[]", "a"),
                        tuple("user.tags[]", "b"), tuple("count", "2"),
                        tuple("note", "null"));
    }

    @Test
    void brokenPercentEscapeIsKeptAndFlagged() throws RequestParseException {
        HttpRequest request = HttpRequestParser.fromParts("GET", "/a?q=50%+off&r=%", List.of(), "");
        assertThat(find(request, Location.QUERY, "q").value()).isEqualTo("50% off");
        assertThat(find(request, Location.QUERY, "q").malformedEncoding()).isTrue();
        assertThat(find(request, Location.QUERY, "r").malformedEncoding()).isTrue();
    }

    @Test
    void truncatedRequestWithoutBlankLineIsStillRead() throws RequestParseException {
        HttpRequest request = HttpRequestParser.parseRaw("GET /index.jsp?a=1 HTTP/1.1\nHost: example");
        assertThat(request.path()).isEqualTo("/index.jsp");
        assertThat(find(request, Location.HEADER, "host").value()).isEqualTo("example");
    }

    @Test
    void malformedRequestsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> HttpRequestParser.parseRaw("this is not http")).hasMessageContaining("not an HTTP request line");
        assertThatThrownBy(() -> HttpRequestParser.parseRaw("GET / HTTP/1.1\nno colon here\n\n")).hasMessageContaining("malformed header line 2");
        assertThatThrownBy(() -> HttpRequestParser.parseRaw("G\u0000T / HTTP/1.1\n\n")).hasMessageContaining("not an HTTP request line");
        assertThatThrownBy(() -> HttpRequestParser.fromParts("POST", "/x", List.of(Map.entry("Content-Type", "application/json")), "{\"a\": [1, 2"))
                .hasMessageContaining("malformed JSON body");
    }

    @Test
    void limitsHoldForEveryInput() {
        String deep = "[".repeat(HttpRequestParser.MAX_JSON_DEPTH + 5) + "]".repeat(HttpRequestParser.MAX_JSON_DEPTH + 5);
        assertThatThrownBy(() -> HttpRequestParser.fromParts("POST", "/x", List.of(Map.entry("Content-Type", "application/json")), deep))
                .hasMessageContaining("malformed JSON body");
        String many = "a=1&".repeat(HttpRequestParser.MAX_PARAMETERS + 1);
        assertThatThrownBy(() -> HttpRequestParser.fromParts("GET", "/x?" + many, List.of(), ""))
                .hasMessageContaining("more than " + HttpRequestParser.MAX_PARAMETERS + " parameters");
        String huge = "x".repeat(HttpRequestParser.MAX_REQUEST_CHARS + 1);
        assertThatThrownBy(() -> HttpRequestParser.parseRaw("GET /?q=" + huge + " HTTP/1.1\n\n")).hasMessageContaining("larger than");
    }
}
