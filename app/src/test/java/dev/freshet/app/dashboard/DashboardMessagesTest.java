package dev.freshet.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.events.EventType;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Analysis;
import dev.freshet.updates.rollout.Rollout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The two bundles say the same things: same keys, same arguments; every word a template or page asks for exists. */
class DashboardMessagesTest {
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)}");
    private static final Pattern LITERAL_KEY = Pattern.compile("t\\(\"([a-zA-Z0-9.-]+)\"");

    static Map<String, String> bundle(Language language) {
        ResourceBundle bundle = language.bundle();
        return Collections.list(bundle.getKeys()).stream().collect(Collectors.toMap(k -> k, bundle::getString));
    }

    @Test
    void englishAndSpanishHaveTheSameKeysAndArguments() {
        Map<String, String> en = bundle(Language.EN);
        Map<String, String> es = bundle(Language.ES);
        assertThat(es.keySet()).isEqualTo(en.keySet());
        assertThat(en).hasSizeGreaterThan(100);
        for (String key : en.keySet()) {
            assertThat(arguments(es.get(key))).as(key).isEqualTo(arguments(en.get(key)));
            assertThat(es.get(key)).as("%s is translated", key).isNotBlank();
        }
        assertThat(es.get("page.overview")).isEqualTo("Resumen");
    }

    @Test
    void everyMessageFormatsAndEveryBundleReadsAsUtf8() {
        for (Language language : Language.values()) {
            bundle(language).forEach((key, text) -> assertThat(Templates.message(language, key, List.of("a", "b", "c", "d")))
                    .as(key).doesNotContain("{0}").doesNotContain("\uFFFD"));
        }
        assertThat(Templates.message(Language.ES, "signout", List.of())).isEqualTo("Cerrar sesión");
    }

    @Test
    void everyKeyTheTemplatesNameExists() throws IOException {
        Set<String> keys = bundle(Language.EN).keySet();
        Set<String> named = new TreeSet<>();
        try (Stream<Path> templates = Files.list(Path.of("src/main/dashboard/templates"))) {
            for (Path template : templates.toList()) {
                Matcher m = LITERAL_KEY.matcher(Files.readString(template));
                while (m.find()) {
                    if (!m.group(1).endsWith(".")) { // "state." ~ value: a prefix, checked below
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertThat(named).hasSizeGreaterThan(80);
        assertThat(keys).containsAll(named);
    }

    @Test
    void everyKeyMadeFromAValueExists() {
        Set<String> keys = bundle(Language.EN).keySet();
        Set<String> made = new HashSet<>();
        Stream.of("overview", "rollouts", "feeds", "rules", "projects", "models", "events", "sign-in", "error").forEach(p -> made.add("page." + p));
        Arrays.stream(Dashboard.Notice.values()).forEach(n -> made.add("notice." + n.slug()));
        Arrays.stream(Rollout.State.values()).forEach(s -> made.add("state." + lower(s)));
        Arrays.stream(Analysis.Verdict.values()).forEach(v -> made.add("verdict." + lower(v)));
        Arrays.stream(FeedStatus.State.values()).forEach(s -> made.add("feedstate." + lower(s)));
        Arrays.stream(Verdict.Outcome.values()).forEach(o -> made.add("outcome." + lower(o)));
        Arrays.stream(EventType.Severity.values()).forEach(s -> made.add("severity." + lower(s)));
        Stream.of("activate", "rollback").forEach(k -> made.add("kind." + k));
        Arrays.stream(Trigger.values()).forEach(t -> made.add("trigger." + lower(t)));
        Stream.of("promote", "pause", "resume", "abort").forEach(a -> made.add("action." + a));
        Stream.of("undecided", "good", "noisy").forEach(s -> made.add("health." + s)); // the feedback store's statuses
        Stream.of("improving", "worsening", "steady", "unknown").forEach(d -> made.add("direction." + d));
        assertThat(keys).containsAll(made);
    }

    @Test
    void theBrowsersLanguageIsMatchedAndTheSwitchWins() {
        assertThat(Language.choose(null, "es-MX,es;q=0.9,en;q=0.8")).isEqualTo(Language.ES);
        assertThat(Language.choose(null, "fr-FR,en;q=0.5,es;q=0.4")).isEqualTo(Language.EN);
        assertThat(Language.choose(null, "de")).isEqualTo(Language.EN);
        assertThat(Language.choose(null, null)).isEqualTo(Language.EN);
        assertThat(Language.choose(null, "q=;;,,*")).isEqualTo(Language.EN);
        assertThat(Language.choose("en", "es")).isEqualTo(Language.EN);
        assertThat(Language.choose("xx", "es")).isEqualTo(Language.ES);
    }

    private static Set<String> arguments(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
