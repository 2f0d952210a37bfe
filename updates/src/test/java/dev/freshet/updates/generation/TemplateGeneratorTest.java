package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every template of the offline catalog, on the fixture of its stack: the stack is read right and each rule validates. */
class TemplateGeneratorTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            express-mongoose | Node.js + Express + Mongoose            | express-nosql-injection express-command-injection express-xss
            flask-sqlite     | python + Flask                          | flask-sql-injection flask-command-injection
            gin-sql          | go + Gin + pq                           | gin-sql-injection gin-command-injection
            spring-jdbc      | java + Spring + PostgreSQL JDBC         | spring-sql-injection
            django-plain     | python + Django + psycopg2              | django-sql-injection django-command-injection django-xss
            rails-shop       | ruby + Rails + pg                       | rails-sql-injection rails-command-injection rails-xss
            laravel-shop     | php + Laravel                           | laravel-sql-injection laravel-command-injection laravel-xss
            """)
    void eachFixturesStackGetsItsTemplatesAndEveryOneValidates(String project, String summary, String keys) throws Exception {
        Stack stack = Stack.of(Projects.of(project));
        assertThat(stack.summary()).isEqualTo(summary);
        List<Target> targets = Templates.fitting(stack, "t.");
        assertThat(targets).extracting(Target::key).containsExactly(keys.isBlank() ? new String[0] : keys.split(" "));
        RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(PARSER)), 1000);
        GenerationLoop loop = new GenerationLoop(new RuleValidator(compiler, new Scanner(PARSER, Scanner.Options.defaults()),
                new ValidationGate(compiler, PARSER, GatePolicy.defaults("0.1.0").withThreads(1))));
        for (Target target : targets) {
            RuleOutcome outcome = loop.make(new TemplateGenerator(), target, stack);
            assertThat(outcome.validated()).as(target.ruleId() + ": " + outcome.reason()).isTrue();
            assertThat(outcome.tests().values()).anyMatch(test -> test.contains("ruleid: " + target.ruleId()));
        }
    }
}
