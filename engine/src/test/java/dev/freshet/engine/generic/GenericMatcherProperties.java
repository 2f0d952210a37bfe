package dev.freshet.engine.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.PatternException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The matcher's shortcuts (jumping to the next token an ellipsis waits for, remembering failed states)
 * must never change what it finds: on random documents and patterns, with and without them, the
 * matches (ranges and captures) are the same.
 */
class GenericMatcherProperties {

    @Property(tries = 1000)
    void shortcutsChangeNothing(@ForAll("documents") String document, @ForAll("patterns") String pattern,
                                @ForAll @IntRange(min = 0, max = 3) int span) {
        GenericPattern parsed;
        try {
            parsed = GenericPattern.parse(pattern).withEllipsisMaxSpan(span);
        } catch (PatternException e) {
            Assume.that(false);
            return;
        }
        GenericDocument doc = GenericDocument.of(document);
        List<String> fast = describe(new GenericMatcher(doc, parsed, Deadline.NONE, true).search());
        List<String> plain = describe(new GenericMatcher(doc, parsed, Deadline.NONE, false).search());
        assertThat(fast).as("pattern %s on %s", pattern, document).isEqualTo(plain);
    }

    private static List<String> describe(List<Match> matches) {
        return matches.stream().map(m -> m.start() + "-" + m.end() + " " + m.bindings().asMap()).toList();
    }

    @Provide
    Arbitrary<String> documents() {
        // Whole bracket groups as well as stray brackets, so that blocks of both kinds are common.
        Arbitrary<String> token = Arbitraries.of("a", "b", "c", "a", "b", "(", ")", "[", "]", "=", "<", ">",
                "( a b )", "[ b ]", "{ a ( c b ) }", "( )", "\n", "\n  ", "\n    ", "\n\n");
        return token.list().ofMinSize(0).ofMaxSize(40).map(tokens -> String.join(" ", tokens));
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> element = Arbitraries.of("a", "b", "c", "$X", "$Y", "$X", "...", "...", "$...Z", "(", ")",
                "=", "<", ">", "\n  ", "\n");
        return element.list().ofMinSize(1).ofMaxSize(6).map(elements -> String.join(" ", elements))
                .flatMap(p -> Arbitraries.of(p, p + " ...", "... " + p));
    }
}
