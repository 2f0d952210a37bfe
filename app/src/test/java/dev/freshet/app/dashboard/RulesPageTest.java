package dev.freshet.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules page's health section, rendered by the real templates from rows as the feedback store supplies them. */
class RulesPageTest {
    private final Templates templates = new Templates();

    static Map<String, Object> model(List<RuleHealthRow> health, String lang) {
        Map<String, Object> model = new HashMap<>();
        model.put("page", "rules");
        model.put("lang", lang);
        model.put("languages", List.of(Map.of("tag", "en", "name", "English"), Map.of("tag", "es", "name", "Español")));
        model.put("here", "/ui/rules");
        model.put("signedIn", false);
        model.put("canOperate", false);
        model.put("notice", "");
        model.put("releaseShortId", "abc123def456");
        model.put("counts", Map.of("accepted", 2L));
        model.put("refused", List.of());
        model.put("overrides", List.of());
        model.put("bySource", Map.of("community", 2L));
        List<RuleHealthRow> sorted = RuleHealthRow.worstFirst(health);
        model.put("health", sorted);
        model.put("probation", sorted.stream().filter(RuleHealthRow::onProbation).count());
        return model;
    }

    @Test
    void rulesOnProbationComeFirstWithTheirPrecisionInterval() {
        List<RuleHealthRow> rows = List.of(
                new RuleHealthRow("good-rule", "good", 0.95, 0.9, 0.98, 40, 0.05, false, "steady"),
                new RuleHealthRow("<b>noisy</b>", "noisy", 0.3, 0.2, 0.41, 12.5, 0.7, false, "worsening"),
                new RuleHealthRow("held", "noisy", 0.5, 0.35, 0.6, 20, 0.5, true, "improving"));

        String html = templates.render("rules", model(rows, "en"), Language.EN);

        assertThat(html).contains("Feedback judged 3 rules; 1 on probation.", "50 % (35 %–60 %)", "12.5", "70 %", "worsening");
        assertThat(html.indexOf("held")).isLessThan(html.indexOf("&lt;b&gt;noisy&lt;/b&gt;"));
        assertThat(html.indexOf("&lt;b&gt;noisy&lt;/b&gt;")).isLessThan(html.indexOf("good-rule"));
        assertThat(html).doesNotContain("<b>noisy</b>", "No feedback on findings");
        assertThat(templates.render("rules", model(rows, "es"), Language.ES)).contains("en periodo de prueba", "ruidosa", "empeorando");
    }

    @Test
    void withoutFeedbackThePageSaysSo() {
        assertThat(templates.render("rules", model(List.of(), "en"), Language.EN)).contains("No feedback on findings is recorded")
                .doesNotContain("<table class=\"health\">");
    }
}
