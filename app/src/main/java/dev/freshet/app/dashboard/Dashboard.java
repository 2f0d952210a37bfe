package dev.freshet.app.dashboard;

import dev.freshet.app.server.ApiError;
import dev.freshet.app.server.Json;
import dev.freshet.app.server.Services;
import dev.freshet.updates.access.ApiKey;
import dev.freshet.updates.access.DashboardSessions;
import dev.freshet.updates.access.Role;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard, served beside the API under {@code /ui/}: server-rendered pages over the same
 * stores, and actions (rollback; promote, pause, resume, abort a rollout) through the same services
 * as the API. A browser signs in with an API key and then holds a session cookie (HttpOnly,
 * SameSite=Strict, Secure over TLS); every action is a POST form carrying the session's CSRF token,
 * from the dashboard's own origin, by a key with the operator role.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    public static final String SESSION_COOKIE = "freshet_session";
    public static final String LANGUAGE_COOKIE = "freshet_lang";
    public static final String CSRF_FIELD = "csrf";
    static final int MAX_FORM_BYTES = 16 * 1024;
    /** Pages a sign-in may go on to: the dashboard's own, never another site. */
    private static final Pattern LOCAL_PAGE = Pattern.compile("/ui/[a-z/-]*");
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** One route of the dashboard; the server registers these beside its API routes. */
    public record Page(HandlerType method, String path, Handler handler) {
    }

    /** Checks a key presented at sign-in, throttled per client address as the API's keys are (an {@link ApiError} 429 when over). */
    @FunctionalInterface
    public interface KeyCheck {
        Optional<ApiKey> check(String secret, String address);
    }

    /** Admits one request of a key under the API's per-key limits (an {@link ApiError} 429 when over); closing ends it. */
    @FunctionalInterface
    public interface Limits {
        AutoCloseable admit(String keyId);
    }

    /** Notices shown once after an action, named in the redirect: only these, so a link cannot make the page say anything else. */
    enum Notice {
        ROLLED_BACK, PROMOTED, PAUSED, RESUMED, ABORTED, SIGNED_OUT;

        String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Optional<Notice> of(String slug) {
            return Arrays.stream(values()).filter(n -> n.slug().equals(slug)).findFirst();
        }
    }

    /** What a page shows, from the signed-in caller's view. */
    @FunctionalInterface
    private interface View {
        Map<String, Object> model(Context ctx, DashboardSessions.Session session, Language language) throws Exception;
    }

    /** The work of an action: the form's fields and who sent them in, to the page to go on to. */
    @FunctionalInterface
    private interface Work {
        String run(Context ctx, Map<String, String> form, DashboardSessions.Session session);
    }

    /** A rollout action of the engine, as the API's rollout routes call it. */
    @FunctionalInterface
    private interface RolloutAction {
        Rollout apply(RolloutEngine engine, Track track, String reason);
    }

    private final Services services;
    private final DashboardSessions sessions;
    private final KeyCheck keys;
    private final Limits limits;
    private final ActivationService activations;
    private final Views views;
    private final Templates templates = new Templates();
    private final Map<String, String> statics;

    /**
     * @param ruleHealth every rule's health from feedback, as the feedback store estimates it (empty: none recorded)
     */
    public Dashboard(Services services, DashboardSessions sessions, KeyCheck keys, Limits limits,
                     Supplier<List<RuleHealthRow>> ruleHealth) {
        this.services = services;
        this.sessions = sessions;
        this.keys = keys;
        this.limits = limits;
        this.activations = services.activations();
        this.views = new Views(services, activations.rollouts(), services.models(), ruleHealth);
        this.statics = Map.of("dashboard.css", resource("static/dashboard.css"), "dashboard.js", resource("static/dashboard.js"));
    }

    public List<Page> pages() {
        return List.of(
                new Page(HandlerType.GET, "/", ctx -> ctx.redirect("/ui/", HttpStatus.SEE_OTHER)),
                new Page(HandlerType.GET, "/ui/", page("overview", (ctx, s, l) -> views.overview())),
                new Page(HandlerType.GET, "/ui/rollouts", page("rollouts", (ctx, s, l) -> views.rollouts())),
                new Page(HandlerType.GET, "/ui/feeds", page("feeds", (ctx, s, l) -> views.feeds(l))),
                new Page(HandlerType.GET, "/ui/rules", page("rules", (ctx, s, l) -> views.rules())),
                new Page(HandlerType.GET, "/ui/projects", page("projects", (ctx, s, l) -> views.projects(s.key().tenant(), l))),
                new Page(HandlerType.GET, "/ui/models", page("models", (ctx, s, l) -> views.models(l))),
                new Page(HandlerType.GET, "/ui/events", page("events", (ctx, s, l) -> views.events(number(ctx.queryParam("before"))))),
                new Page(HandlerType.GET, "/ui/sign-in", this::signInPage),
                new Page(HandlerType.POST, "/ui/sign-in", this::signIn),
                new Page(HandlerType.POST, "/ui/sign-out", action(Role.VIEWER, (ctx, form, session) -> {
                    sessions.close(ctx.cookie(SESSION_COOKIE));
                    ctx.header("Set-Cookie", sessionCookie(ctx, "", 0));
                    return "/ui/sign-in?notice=" + Notice.SIGNED_OUT.slug();
                })),
                new Page(HandlerType.POST, "/ui/rollback", action(Role.OPERATOR, this::rollback)),
                rolloutAction("promote", Notice.PROMOTED, RolloutEngine::promote),
                rolloutAction("pause", Notice.PAUSED, RolloutEngine::pause),
                rolloutAction("resume", Notice.RESUMED, RolloutEngine::resume),
                rolloutAction("abort", Notice.ABORTED, RolloutEngine::abort),
                new Page(HandlerType.GET, "/ui/language/{tag}", this::switchLanguage),
                new Page(HandlerType.GET, "/ui/static/{file}", this::staticFile));
    }

    private Handler page(String template, View view) {
        return ctx -> {
            Language language = language(ctx);
            Optional<DashboardSessions.Session> session = session(ctx);
            if (session.isEmpty()) {
                ctx.redirect("/ui/sign-in?next=" + ctx.path(), HttpStatus.SEE_OTHER);
                return;
            }
            try (AutoCloseable admitted = limits.admit(session.get().key().id())) {
                Map<String, Object> model = frame(ctx, language, template, session.get());
                model.putAll(view.model(ctx, session.get(), language));
                html(ctx, 200, template, model, language);
            } catch (ApiError e) {
                refuse(ctx, language, session.get(), e);
            }
        };
    }

    private Page rolloutAction(String name, Notice notice, RolloutAction action) {
        return new Page(HandlerType.POST, "/ui/rollouts/" + name, action(Role.OPERATOR, (ctx, form, session) -> {
            Track track = track(form.get("track"));
            action.apply(activations.rollouts(), track, reason(form, name + " from the dashboard by key " + session.key().id()));
            services.knowledge().refresh();
            return "/ui/rollouts?notice=" + notice.slug();
        }));
    }

    private String rollback(Context ctx, Map<String, String> form, DashboardSessions.Session session) {
        Track track = track(form.get("track"));
        Optional<String> to = Optional.ofNullable(form.get("to")).filter(v -> !v.isBlank());
        activations.rollback(track, to, Trigger.USER, reason(form, "rolled back from the dashboard by key " + session.key().id()));
        services.metrics().activated(Trigger.USER, true);
        services.knowledge().refresh();
        return "/ui/?notice=" + Notice.ROLLED_BACK.slug();
    }

    /** A POST form: signed in, from this origin, with the session's CSRF token, by a key with {@code required}. */
    private Handler action(Role required, Work work) {
        return ctx -> {
            Language language = language(ctx);
            Optional<DashboardSessions.Session> found = session(ctx);
            if (found.isEmpty()) {
                ctx.redirect("/ui/sign-in", HttpStatus.SEE_OTHER);
                return;
            }
            DashboardSessions.Session session = found.get();
            try (AutoCloseable admitted = limits.admit(session.key().id())) {
                Map<String, String> form = form(ctx);
                if (!sameOrigin(ctx) || !tokenMatches(form.get(CSRF_FIELD), session.csrfToken())) {
                    throw new ApiError(403, Templates.message(language, "error.csrf", List.of()));
                }
                if (!session.key().role().includes(required)) {
                    throw new ApiError(403, Templates.message(language, "error.role",
                            List.of(required.lowerCase(), session.key().role().lowerCase())));
                }
                ctx.redirect(work.run(ctx, form, session), HttpStatus.SEE_OTHER);
            } catch (ApiError e) {
                refuse(ctx, language, session, e);
            } catch (ReleaseException e) {
                error(ctx, language, session, 400, e.getMessage()); // the store's words: what could not be done and why
            }
        };
    }

    private void signInPage(Context ctx) {
        Language language = language(ctx);
        Map<String, Object> model = bare(ctx, language, "sign-in");
        model.put("next", next(ctx.queryParam("next")));
        model.put("failure", "");
        html(ctx, 200, "sign-in", model, language);
    }

    private void signIn(Context ctx) {
        Language language = language(ctx);
        Map<String, Object> model = bare(ctx, language, "sign-in");
        int status;
        String failure;
        try {
            Map<String, String> form = form(ctx);
            model.put("next", next(form.get("next")));
            if (!sameOrigin(ctx)) {
                throw new ApiError(403, Templates.message(language, "error.origin", List.of()));
            }
            Optional<ApiKey> key = keys.check(Optional.ofNullable(form.get("key")).orElse("").strip(), ctx.ip());
            if (key.isPresent()) {
                sessions.close(ctx.cookie(SESSION_COOKIE)); // a sign-in never continues an earlier session
                DashboardSessions.Opened opened = sessions.open(key.get());
                ctx.header("Set-Cookie", sessionCookie(ctx, opened.token(), DashboardSessions.LIFETIME.toSeconds()));
                LOG.info("dashboard sign-in by key {}", key.get().id());
                ctx.redirect(next(form.get("next")), HttpStatus.SEE_OTHER);
                return;
            }
            status = 401;
            failure = Templates.message(language, "signin.failed", List.of());
        } catch (ApiError e) {
            status = e.status();
            failure = e.status() == 429 ? Templates.message(language, "signin.throttled", List.of()) : e.getMessage();
        }
        model.putIfAbsent("next", "/ui/");
        model.put("failure", failure);
        html(ctx, status, "sign-in", model, language);
    }

    private void switchLanguage(Context ctx) {
        Language chosen = Language.ofTag(ctx.pathParam("tag")).orElse(Language.EN);
        ctx.header("Set-Cookie", LANGUAGE_COOKIE + "=" + chosen.tag() + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"
                + (secure(ctx) ? "; Secure" : ""));
        ctx.redirect(next(ctx.queryParam("back")), HttpStatus.SEE_OTHER);
    }

    private void staticFile(Context ctx) {
        String file = ctx.pathParam("file");
        String body = statics.get(file);
        if (body == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("no file " + file);
            return;
        }
        ctx.header("Cache-Control", "max-age=3600");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType((file.endsWith(".css") ? "text/css" : "text/javascript") + "; charset=utf-8").result(body);
    }

    private Optional<DashboardSessions.Session> session(Context ctx) {
        return sessions.find(ctx.cookie(SESSION_COOKIE));
    }

    /** What every signed-in page shows around its content: navigation, the caller, the language switch, the sign-out form. */
    private Map<String, Object> frame(Context ctx, Language language, String pageName, DashboardSessions.Session session) {
        Map<String, Object> model = bare(ctx, language, pageName);
        model.put("signedIn", true);
        model.put("keyId", session.key().id());
        model.put("tenant", session.key().tenant());
        model.put("role", session.key().role().lowerCase());
        model.put("canOperate", session.key().role().includes(Role.OPERATOR));
        model.put("csrf", session.csrfToken());
        return model;
    }

    private Map<String, Object> bare(Context ctx, Language language, String pageName) {
        Map<String, Object> model = new HashMap<>();
        model.put("page", pageName);
        model.put("lang", language.tag());
        model.put("languages", List.of(Language.values()).stream().map(l -> Map.of("tag", l.tag(), "name", l.nativeName())).toList());
        // Where the language switch comes back to: this page, unless it answers a form (then the overview).
        model.put("here", ctx.method() == HandlerType.GET && LOCAL_PAGE.matcher(ctx.path()).matches() ? ctx.path() : "/ui/");
        model.put("signedIn", false);
        model.put("canOperate", false);
        model.put("notice", Notice.of(ctx.queryParam("notice")).map(Notice::slug).orElse(""));
        return model;
    }

    private void refuse(Context ctx, Language language, DashboardSessions.Session session, ApiError e) {
        e.retryAfterSeconds().ifPresent(seconds -> ctx.header("Retry-After", String.valueOf(seconds)));
        error(ctx, language, session, e.status(), e.getMessage());
    }

    private void error(Context ctx, Language language, DashboardSessions.Session session, int status, String message) {
        Map<String, Object> model = frame(ctx, language, "error", session);
        model.put("status", status);
        model.put("message", message);
        html(ctx, status, "error", model, language);
    }

    private void html(Context ctx, int status, String template, Map<String, Object> model, Language language) {
        String body = templates.render(template, model, language);
        ctx.status(status);
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Language", language.tag());
        ctx.contentType("text/html; charset=utf-8").result(body);
    }

    private Language language(Context ctx) {
        return Language.choose(ctx.cookie(LANGUAGE_COOKIE), ctx.header("Accept-Language"));
    }

    /** The form fields of a urlencoded body of at most {@link #MAX_FORM_BYTES}; a form sends each field once. */
    private static Map<String, String> form(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ApiError(415, "send the form as application/x-www-form-urlencoded");
        }
        // The API's bounded read: past the limit a 413, with a small body drained first so the browser reads the answer.
        String body = new String(Json.readBounded(ctx, MAX_FORM_BYTES), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String field : body.split("&")) {
            if (field.isEmpty()) {
                continue;
            }
            int equals = field.indexOf('=');
            try {
                form.putIfAbsent(URLDecoder.decode(equals < 0 ? field : field.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "the form is not URL-encoded: " + e.getMessage());
            }
        }
        return form;
    }

    /**
     * Whether the request comes from a page of this server: browsers send Origin with every POST form
     * (and Referer when there is none); a request with neither is not a browser's and the CSRF token decides.
     */
    static boolean sameOrigin(Context ctx) {
        String origin = Optional.ofNullable(ctx.header("Origin")).orElse(ctx.header("Referer"));
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String host = ctx.header("Host");
            return host != null && uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean tokenMatches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String sessionCookie(Context ctx, String token, long maxAgeSeconds) {
        return SESSION_COOKIE + "=" + token + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : "");
    }

    /** Over TLS, here or at a proxy in front that says so: then cookies are sent only over TLS. */
    static boolean secure(Context ctx) {
        return ctx.req().isSecure() || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    /** A page of the dashboard to go on to; anything else (another site, a scheme) becomes the overview. */
    static String next(String given) {
        return given != null && LOCAL_PAGE.matcher(given).matches() && !given.contains("//") ? given : "/ui/";
    }

    private static Track track(String given) {
        try {
            return Track.of(given == null ? Track.RULES.name() : given);
        } catch (ReleaseException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private static String reason(Map<String, String> form, String fallback) {
        String given = form.get("reason");
        return given == null || given.isBlank() ? fallback : given.strip();
    }

    private static long number(String given) {
        try {
            return given == null ? 0 : Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "'before' must be an event id, not '" + given + "'");
        }
    }

    private static String resource(String name) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
