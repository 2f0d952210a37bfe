package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JavaScript template strings as Semgrep matches them: `...` is a template of any parts (m_arguments_concat). */
class TemplateStringPatternTest extends EngineTestSupport {

    @Test
    void ellipsisTemplateMatchesInterpolatedAndPlainTemplates() {
        assertThat(lines(scan(pattern("javascript", "send(`...`)"), "t.js", """
                send(`<h1>${name}</h1>`);
                send(`plain`);
                send(name);
                """))).containsExactly(1, 2);
    }
}
