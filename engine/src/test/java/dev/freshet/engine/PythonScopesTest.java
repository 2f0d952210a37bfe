package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Python's scoping as Semgrep's naming reads it: a name a function assigns is the function's own
 * local, so a metavariable bound to the module's variable does not also match it.
 */
class PythonScopesTest extends EngineTestSupport {

    @Test
    void aFunctionsAssignmentMakesItsOwnLocal() {
        String yaml = pattern("python", """
                $URL = "http://x"
                ...
                send($URL)
                """);
        // The module's url reaches the send of shared() (global) and reads(), never the send of own().
        assertThat(scan(yaml, "t.py", """
                url = "http://x"

                def own():
                    url = "http://x"
                    send(url)

                def shared():
                    global url
                    url = "http://x"
                    send(url)

                def reads():
                    send(url)
                """)).extracting(f -> f.startLine() + "-" + f.endLine()).containsExactlyInAnyOrder("1-10", "1-13", "4-5", "9-10");
    }
}
