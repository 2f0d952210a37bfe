package dev.freshet.app;

import static dev.freshet.app.DashboardFixture.Client.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.release.ReleaseStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard over real HTTP without a browser: sign-in, the session cookie, CSRF, roles, escaping, languages. */
class DashboardHttpTest {
    @TempDir
    static Path tmp;
    static DashboardFixture.Store store;
    static FreshetService service;
    static Http admin;

    @BeforeAll
    static void start() throws Exception {
        store = DashboardFixture.write(tmp);
        DashboardFixture.models(tmp);
        service = ServeFixture.start(tmp, DashboardFixture.code(tmp), 100_000, null);
        admin = Http.to(service.port(), service.bootstrapKey().orElseThrow());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static DashboardFixture.Client signedIn(String key) {
        DashboardFixture.Client client = new DashboardFixture.Client(service.port());
        assertThat(client.signIn(key).statusCode()).isEqualTo(303);
        return client;
    }

    static String key(String role) {
        Http.Answer made = admin.post("/api/keys", "{\"tenant\": \"default\", \"role\": \"" + role + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("key").asText();
    }

    static String otherTenantKey() {
        assertThat(admin.post("/api/tenants", "{\"name\": \"other\"}").status()).isIn(201, 409);
        Http.Answer made = admin.post("/api/keys", "{\"tenant\": \"other\", \"role\": \"viewer\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("key").asText();
    }

    int historyLength() {
        return admin.get("/api/history").json().size();
    }

    @Test
    void aVisitorWithoutASessionIsSentToSignInAndCannotAct() {
        DashboardFixture.Client visitor = new DashboardFixture.Client(service.port());
        HttpResponse<String> page = visitor.get("/ui/rollouts");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/ui/sign-in?next=/ui/rollouts");
        assertThat(visitor.get("/").headers().firstValue("Location")).hasValue("/ui/");

        visitor.session = "forged-" + "x".repeat(40);
        assertThat(visitor.get("/ui/").statusCode()).isEqualTo(303);
        int before = historyLength();
        HttpResponse<String> action = visitor.post("/ui/rollback", form("csrf", "anything", "track", "rules"));
        assertThat(action.statusCode()).isEqualTo(303);
        assertThat(action.headers().firstValue("Location")).hasValue("/ui/sign-in");
        assertThat(historyLength()).isEqualTo(before);

        HttpResponse<String> signIn = visitor.get("/ui/sign-in");
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).contains("<label for=\"key\">API key</label>", "type=\"password\"");
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndSecureOnlyOverTls() {
        String key = service.bootstrapKey().orElseThrow();
        DashboardFixture.Client client = new DashboardFixture.Client(service.port());
        HttpResponse<String> plain = client.signIn(key);
        assertThat(plain.statusCode()).isEqualTo(303);
        assertThat(plain.headers().firstValue("Location")).hasValue("/ui/");
        String cookie = DashboardFixture.Client.setCookie(plain, "freshet_session").orElseThrow();
        assertThat(cookie).contains("; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age=28800").doesNotContain("Secure")
                .doesNotContain(key);
        assertThat(client.get("/ui/").statusCode()).isEqualTo(200);

        DashboardFixture.Client behindTls = new DashboardFixture.Client(service.port());
        HttpResponse<String> secure = behindTls.postWithHeader("/ui/sign-in", form("key", key, "next", "/ui/"), "X-Forwarded-Proto", "https");
        assertThat(DashboardFixture.Client.setCookie(secure, "freshet_session").orElseThrow()).contains("; Secure", "; HttpOnly", "; SameSite=Strict");
    }

    @Test
    void aWrongKeyIsRefusedWithoutASessionAndHostileNextPagesAreIgnored() {
        DashboardFixture.Client client = new DashboardFixture.Client(service.port());
        HttpResponse<String> wrong = client.signIn("fsk_not-a-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Unknown or revoked API key.");
        assertThat(DashboardFixture.Client.setCookie(wrong, "freshet_session")).isEmpty();

        for (String next : new String[] {"https://evil.example/", "//evil.example/ui/", "/ui/../api/keys", "javascript:alert(1)"}) {
            HttpResponse<String> signedIn = client.post("/ui/sign-in", form("key", service.bootstrapKey().orElseThrow(), "next", next));
            assertThat(signedIn.headers().firstValue("Location")).as(next).hasValue("/ui/");
        }
        HttpResponse<String> foreign = client.post("/ui/sign-in", form("key", service.bootstrapKey().orElseThrow()), "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(DashboardFixture.Client.setCookie(foreign, "freshet_session")).isEmpty();
    }

    @Test
    void anActionWithoutTheSessionsCsrfTokenIsRefusedAndChangesNothing() {
        DashboardFixture.Client operator = signedIn(key("operator"));
        DashboardFixture.Client other = signedIn(key("operator"));
        String token = operator.csrf();
        int before = historyLength();

        assertThat(operator.post("/ui/rollback", form("track", "rules")).statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = operator.post("/ui/rollback", form("track", "rules", "csrf", token + "x"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("did not come from this dashboard");
        assertThat(operator.post("/ui/rollback", form("track", "rules", "csrf", other.csrf())).statusCode()).isEqualTo(403);
        assertThat(operator.post("/ui/rollback", form("track", "rules", "csrf", token), "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(historyLength()).isEqualTo(before);

        HttpResponse<String> done = operator.post("/ui/rollback", form("track", "rules", "csrf", token, "to", store.first().id(),
                "reason", "bad rules"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue("/ui/?notice=rolled-back");
        assertThat(historyLength()).isEqualTo(before + 1);
        var last = admin.get("/api/history").json().get(before);
        assertThat(last.get("kind").asText()).isEqualTo("ROLLBACK");
        assertThat(last.get("release_id").asText()).isEqualTo(store.first().id());
        assertThat(last.get("reason").asText()).isEqualTo("bad rules");
        String overview = operator.get("/ui/?notice=rolled-back").body();
        assertThat(overview).contains("Rolled back.", ReleaseStore.shortId(store.first().id()), "bad rules");

        assertThat(admin.post("/api/releases/" + store.second().id() + "/activate", null).status()).isEqualTo(200);
    }

    @Test
    void aViewerSeesNoButtonsAndIsRefusedTheAction() {
        DashboardFixture.Client viewer = signedIn(key("viewer"));
        String overview = viewer.get("/ui/").body();
        assertThat(overview).contains(ReleaseStore.shortId(store.second().id())).doesNotContain("action=\"/ui/rollback\"");
        assertThat(viewer.get("/ui/rollouts").body()).doesNotContain("action=\"/ui/rollouts/promote\"");
        int before = historyLength();

        HttpResponse<String> refused = viewer.post("/ui/rollback", form("track", "rules", "csrf", viewer.csrf()));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This needs the operator role; your key has viewer.");
        assertThat(viewer.post("/ui/rollouts/abort", form("track", "rules", "csrf", viewer.csrf())).statusCode()).isEqualTo(403);
        assertThat(historyLength()).isEqualTo(before);
        assertThat(admin.get("/api/rollouts/current").json().get("rollout").get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void rolloutButtonsPauseAndResumeThroughTheEngine() {
        DashboardFixture.Client operator = signedIn(key("operator"));
        assertThat(operator.get("/ui/rollouts").body()).contains("action=\"/ui/rollouts/pause\"", "action=\"/ui/rollouts/promote\"",
                ReleaseStore.shortId(store.candidate().id()));

        HttpResponse<String> paused = operator.post("/ui/rollouts/pause", form("track", "rules", "csrf", operator.csrf()));
        assertThat(paused.headers().firstValue("Location")).hasValue("/ui/rollouts?notice=paused");
        assertThat(admin.get("/api/rollouts/current").json().get("rollout").get("state").asText()).isEqualTo("PAUSED");
        assertThat(operator.get("/ui/rollouts").body()).contains("action=\"/ui/rollouts/resume\"").doesNotContain("action=\"/ui/rollouts/pause\"");

        operator.post("/ui/rollouts/resume", form("track", "rules", "csrf", operator.csrf()));
        assertThat(admin.get("/api/rollouts/current").json().get("rollout").get("state").asText()).isEqualTo("RUNNING");
        assertThat(operator.get("/ui/events").body()).contains("rollout_paused", "rollout_resumed");

        HttpResponse<String> unknown = operator.post("/ui/rollback", form("track", "rules", "csrf", operator.csrf(), "to", "feedface"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("feedface", "<a href=\"/ui/\">Back to the overview</a>");
        HttpResponse<String> nothing = operator.post("/ui/rollback", form("track", "models/none", "csrf", operator.csrf()));
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(nothing.body()).contains("Nothing to roll back");

        HttpResponse<String> badTrack = operator.post("/ui/rollouts/pause", form("track", "../etc", "csrf", operator.csrf()));
        assertThat(badTrack.statusCode()).isEqualTo(400);
        assertThat(badTrack.body()).contains("is not a track");
    }

    @Test
    void hostileNamesAreShownAsTextNeverAsMarkup() {
        DashboardFixture.Client client = signedIn(service.bootstrapKey().orElseThrow());
        for (String page : new String[] {"/ui/rules", "/ui/rollouts", "/ui/events"}) {
            HttpResponse<String> response = client.get(page);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
            assertThat(response.body()).as(page).doesNotContain(DashboardFixture.HOSTILE_RULE, DashboardFixture.HOSTILE_SOURCE,
                    "<svg onload", "<script>alert", "<img src=x");
        }
        assertThat(client.get("/ui/rules").body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;");
        assertThat(client.get("/ui/rollouts").body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(client.get("/ui/events").body()).contains("&quot;&gt;&lt;svg onload=alert(3)&gt;");
    }

    @Test
    void theLanguageFollowsTheBrowserUntilTheSwitchChoosesOne() {
        DashboardFixture.Client client = signedIn(service.bootstrapKey().orElseThrow());
        HttpResponse<String> spanish = client.get("/ui/feeds", "Accept-Language", "es-ES,es;q=0.9,en;q=0.5");
        assertThat(spanish.body()).contains("<html lang=\"es\">", "<h1>Fuentes</h1>", "Cerrar sesión");
        assertThat(client.get("/ui/feeds", "Accept-Language", "de-DE,fr;q=0.8").body()).contains("<h1>Feeds</h1>");
        assertThat(client.get("/ui/feeds", "Accept-Language", ";;;q=x").statusCode()).isEqualTo(200);

        HttpResponse<String> switched = client.get("/ui/language/en?back=/ui/feeds");
        assertThat(switched.statusCode()).isEqualTo(303);
        assertThat(switched.headers().firstValue("Location")).hasValue("/ui/feeds");
        assertThat(DashboardFixture.Client.cookie(switched, "freshet_lang")).hasValue("en");
        client.language = "en";
        assertThat(client.get("/ui/feeds", "Accept-Language", "es").body()).contains("<h1>Feeds</h1>");
        assertThat(client.get("/ui/language/es?back=https://evil.example/").headers().firstValue("Location")).hasValue("/ui/");
    }

    @Test
    void signingOutEndsTheSession() {
        DashboardFixture.Client client = signedIn(key("viewer"));
        String session = client.session;
        HttpResponse<String> out = client.post("/ui/sign-out", form("csrf", client.csrf()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/ui/sign-in?notice=signed-out");
        assertThat(DashboardFixture.Client.setCookie(out, "freshet_session").orElseThrow()).startsWith("freshet_session=;").contains("Max-Age=0");
        client.session = session;
        assertThat(client.get("/ui/").statusCode()).isEqualTo(303);
    }

    @Test
    void oversizedOrNonFormBodiesAreRefused() {
        DashboardFixture.Client client = signedIn(key("operator"));
        HttpResponse<String> big = client.post("/ui/rollback", form("csrf", client.csrf(), "reason", "x".repeat(20_000)));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(client.postRaw("/ui/rollback", "application/json", "{}").statusCode()).isEqualTo(415);
        assertThat(client.postRaw("/ui/rollback", "application/x-www-form-urlencoded", "csrf=%zz&reason=x").statusCode())
                .as("a broken percent escape").isEqualTo(400);
    }

    @Test
    void everyPageShowsWhatTheStoreHolds() throws Exception {
        DashboardFixture.Client client = signedIn(service.bootstrapKey().orElseThrow());
        assertThat(client.get("/ui/").body()).contains("Active releases", ReleaseStore.shortId(store.second().id()), "Track rules");
        assertThat(client.get("/ui/feeds").body()).contains("<svg", "role=\"img\"", "osv");
        assertThat(client.get("/ui/rules").body()).contains("rejected", "No feedback on findings");
        String projects = client.get("/ui/projects").body();
        assertThat(projects).contains("Open findings in your projects", ">shop</h2>", "GHSA-jfh8-c2jp-5v3q",
                "2 open, 1 resolved findings", "stack PyPI", "GHSA-&lt;b&gt;x&lt;/b&gt;").doesNotContain("GHSA-<b>");
        DashboardFixture.Client otherTenant = signedIn(otherTenantKey());
        assertThat(otherTenant.get("/ui/projects").body()).contains("watches no project").doesNotContain("GHSA-jfh8-c2jp-5v3q");
        String models = client.get("/ui/models").body();
        assertThat(models).contains(DashboardFixture.MODEL_DIGEST.substring(0, 12), "validation_fpr", "0.0120", "1.20 %");
        assertThat(client.get("/ui/events").body()).contains("source_refused", "rollout_started", "release_activated");
        assertThat(client.get("/ui/events?before=abc").statusCode()).isEqualTo(400);
        assertThat(client.get("/ui/static/dashboard.css").headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/css"));
        assertThat(Files.exists(tmp.resolve("data/models/http-anomaly/index.json.imported"))).as("moved into the track").isTrue();
    }
}
