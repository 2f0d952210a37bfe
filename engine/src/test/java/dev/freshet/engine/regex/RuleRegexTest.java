package dev.freshet.engine.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule regexes read as PCRE2 reads them (pcre2pattern(3)), on RE2/J when it can, else on a bounded backtracker. */
class RuleRegexTest {

    private static RuleRegex compile(String regex) throws RegexSyntaxException {
        return RuleRegex.compile(regex, true);
    }

    private static List<String> matches(String regex, String text) throws RegexSyntaxException {
        RegexMatcher m = compile(regex).matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.start() + ":" + m.group());
        }
        return out;
    }

    @Test
    void whatRe2AcceptsRunsInLinearTime() throws RegexSyntaxException {
        assertThat(compile("(a+)+$")).isInstanceOf(LinearRegex.class);
        assertThat(compile("(a+)+$").find("a".repeat(100_000) + "!")).isFalse();
        assertThat(compile("password(?!_hash)")).isInstanceOf(BacktrackingRegex.class);
    }

    /** PCRE's {@code \Z} is the end of the text or a final newline; escaped backslashes stay. */
    @Test
    void endOfTextBeforeFinalNewline() throws RegexSyntaxException {
        RuleRegex end = compile("secret\\Z");
        assertThat(end.find("a secret")).isTrue();
        assertThat(end.find("a secret\n")).isTrue();
        assertThat(end.find("a secret\nmore")).isFalse();
        assertThat(LinearRegex.pcreEndAnchors("a\\\\Z")).isEqualTo("a\\\\Z");
    }

    @Test
    void lookaroundAndBackreferences() throws RegexSyntaxException {
        assertThat(matches("password(?!_hash)", "password_hash password")).containsExactly("14:password");
        assertThat(matches("(?<=\\$)\\w+", "a $b c")).containsExactly("3:b");
        assertThat(matches("\\w+(?<!Sync)\\b", "readSync read")).containsExactly("9:read");
        assertThat(matches("(['\"]).*?\\1", "x = 'a\"b' + \"c\"")).containsExactly("4:'a\"b'", "12:\"c\"");
        assertThat(matches("(?P<q>['\"])x(?P=q)", "'x\" 'x'")).containsExactly("4:'x'");
        assertThat(matches("(?<my_quote>')x\\k<my_quote>", "'x'")).containsExactly("0:'x'");
        assertThat(matches("(a)(b)\\g{-1}", "abb")).containsExactly("0:abb");
    }

    /** Lookbehind, {@code ^} and {@code \b} see the text before each starting position, as in one PCRE search. */
    @Test
    void assertionsSeeTheWholeText() throws RegexSyntaxException {
        assertThat(matches("(?<=a)b|^c", "abc\nc")).containsExactly("1:b", "4:c");
        assertThat(matches("(?=x)", "axbx")).containsExactly("1:", "3:");
    }

    @Test
    void namedGroupsAreNumberedWithTheOthers() throws RegexSyntaxException {
        RuleRegex regex = compile("(?P<first_name>\\w+) (x)? ?(?<LAST>\\w+)(?=!)");
        assertThat(regex.namedGroups()).containsEntry("first_name", 1).containsEntry("LAST", 3);
        RegexMatcher m = regex.matcher("ada lovelace!");
        assertThat(m.find()).isTrue();
        assertThat(m.group("first_name")).isEqualTo("ada");
        assertThat(m.group(3)).isEqualTo("lovelace");
        assertThat(m.start(2)).isEqualTo(-1);
    }

    /** A brace that starts no quantifier is a literal in PCRE ({@code {?} is an optional brace). */
    @Test
    void braceThatStartsNoQuantifierIsLiteral() throws RegexSyntaxException {
        RuleRegex user = RuleRegex.compile("\\A({?)([A-Za-z])([A-Za-z0-9_-]){5,31}(}?)\\Z", false);
        assertThat(user.lookingAt("{admin1}")).isTrue();
        assertThat(user.lookingAt("admin1")).isTrue();
        assertThat(user.lookingAt("{ad}")).isFalse();
        assertThat(matches("x{,2}(?=!)", "x{,2}!")).containsExactly("0:x{,2}");
    }

    /** In a PCRE class {@code [} and {@code &&} are characters, not Java's union and intersection. */
    @Test
    void characterClassesReadAsInPcre() throws RegexSyntaxException {
        assertThat(matches("(?=.)[a[&&]+", "x[a&&]")).containsExactly("1:[a&&");
        assertThat(matches("(?=.)[]x]+", "a]x]")).containsExactly("1:]x]");
        assertThat(matches("(?=.)[[:digit:][:^alpha:]]+", "ab1-2c")).containsExactly("2:1-2");
        assertThat(matches("(?=.)[\\b]", "a\bb")).containsExactly("1:\b");
        assertThat(matches("(?=.)\\x41\\x{42}\\o{103}\\N(?#a comment)", "ABC\nABCD")).containsExactly("4:ABCD");
    }

    @Test
    void pcreOnlyFeaturesAreUnsupportedAndBadRegexesInvalid() {
        for (String regex : List.of("(a|b(?R))", "(?(1)a|b)", "(?|(a)|(b))", "(*SKIP)a", "a\\Kb", "(a)(?1)", "(?&n)")) {
            assertThatThrownBy(() -> compile(regex)).isInstanceOfSatisfying(RegexSyntaxException.class,
                    e -> assertThat(e.unsupported()).as(regex).isTrue());
        }
        for (String regex : List.of("(?=a", "[a", "a{2,1}", "\\k<nope>(?=x)|(?<nope>)")) {
            assertThatThrownBy(() -> compile(regex)).isInstanceOf(RegexSyntaxException.class);
        }
    }

    /** Catastrophic backtracking ends at the match limit with a clear error, whatever the regex or input. */
    @Test
    void catastrophicBacktrackingStopsAtTheMatchLimit() throws RegexSyntaxException {
        String input = "a".repeat(5_000) + "!";
        assertThatThrownBy(() -> compile("(?=a)(a+)+$").find(input)).isInstanceOf(RegexLimitExceeded.class)
                .hasMessageContaining("match limit").hasMessageContaining("(a+)+$");
        assertThatThrownBy(() -> compile("(?<!y)(x+x+)+y").find("x".repeat(5_000))).isInstanceOf(RegexLimitExceeded.class);
        assertThatThrownBy(() -> compile("(a)\\1?(a|aa)+c").lookingAt(input)).isInstanceOf(RegexLimitExceeded.class);
    }

    /** Deep recursion inside the backtracker is PCRE's depth limit, not a crash. */
    @Test
    void deepRecursionIsTheDepthLimit() throws RegexSyntaxException {
        RuleRegex regex = compile("(?=a)(?:a|b)*c");
        String input = "ab".repeat(500_000);
        assertThatThrownBy(() -> regex.find(input)).isInstanceOf(RegexLimitExceeded.class);
    }

    /** A modest text through a regex that backtracks a little stays well under the limits. */
    @Test
    void ordinaryBacktrackingIsNotLimited() throws RegexSyntaxException {
        String line = "x".repeat(2_000) + "${name}" + "y".repeat(2_000) + "\n";
        assertThat(matches("\\$\\{(?!.*escapeXml).*\\}", line.repeat(100))).hasSize(100);
    }
}
