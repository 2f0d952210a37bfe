package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.billing.Tier;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.store.Database;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat-completions generator in the validation loop, against a loopback server that scripts the protocol's failures. */
class ChatCompletionsGeneratorTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();
    private static Stack stack;
    private static Target target;
    private static Draft good;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> Database.Kind.SQLITE);
    final ChatServer server = newServer();

    @BeforeAll
    static void targets() throws Exception {
        stack = Stack.of(Projects.of("express-mongoose"));
        target = Templates.fitting(stack, "custom.t.").getFirst();
        good = new TemplateGenerator().draft(target, stack, List.of(), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatServer newServer() {
        try {
            return new ChatServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ChatSettings settings(Duration timeout) {
        return new ChatSettings(server.base(), Optional.of("test-key"), Map.of(ModelClass.STANDARD, "std-model", ModelClass.PRO, "pro-model"),
                timeout);
    }

    private static GenerationLoop loop() {
        RuleCompiler compiler = new RuleCompiler(new RuleLoader(new PatternCompiler(PARSER)), 1000);
        return new GenerationLoop(new RuleValidator(compiler, new Scanner(PARSER, Scanner.Options.defaults()),
                new ValidationGate(compiler, PARSER, GatePolicy.defaults("0.1.0").withThreads(1))));
    }

    /** The good rule with its sanitizer removed: it also reports the safe example, which differs only by the sanitizer. */
    private static String withoutSanitizer() {
        return good.yaml().substring(0, good.yaml().indexOf("    pattern-sanitizers:"));
    }

    @Test
    void everyFailureIsFedBackUntilTheRetriesRunOutThenTheNextRuleSucceeds() throws Exception {
        server.then(new ChatServer.Step.Late(2_500, ChatServer.fenced(good.yaml(), good.vulnerable(), good.safe())),
                new ChatServer.Step.Raw(429, Map.of("Retry-After", "1"), "{\"error\": {\"message\": \"slow down\"}}"),
                new ChatServer.Step.Answer("I think the rule should look for find() calls."),
                new ChatServer.Step.Answer(ChatServer.fenced(good.yaml().replace("pattern-sinks:", "pattern-sinkz:"), good.vulnerable(), good.safe())),
                new ChatServer.Step.Answer(ChatServer.fenced(withoutSanitizer(), good.vulnerable(), good.safe())),
                new ChatServer.Step.Answer(ChatServer.fenced(good.yaml(), good.vulnerable(), good.safe())));
        Generator generator = new ChatCompletionsGenerator(settings(Duration.ofSeconds(1)), ModelClass.STANDARD);

        RuleOutcome first = loop().make(generator, target, stack);
        assertThat(first.validated()).isFalse();
        assertThat(first.attempts()).isEqualTo(GenerationLoop.MAX_RETRIES + 1);
        assertThat(first.reason()).startsWith("the rule does not compile");
        List<ChatServer.Seen> seen = server.seen();
        assertThat(seen).hasSize(4);
        assertThat(seen.get(3).messages()).anySatisfy(m -> assertThat(m).contains("did not answer within 1000 ms"))
                .anySatisfy(m -> assertThat(m).contains("rate limiting (429)"))
                .anySatisfy(m -> assertThat(m).contains("no fenced ```yaml block"));

        RuleOutcome second = loop().make(generator, target, stack);
        assertThat(second.validated()).as(second.reason()).isTrue();
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.model()).isEqualTo("std-model");
        assertThat(second.promptVersion()).isEqualTo(ChatCompletionsGenerator.PROMPT_VERSION);
        assertThat(second.tests()).hasSize(2);
        ChatServer.Seen last = server.seen().getLast();
        assertThat(last.messages().getLast()).contains("also matches the safe example");
        assertThat(last.path()).isEqualTo("/v1/chat/completions");
        assertThat(last.authorization()).isEqualTo("Bearer test-key");
        assertThat(last.body().get("model")).isEqualTo("std-model");
        assertThat(last.messages().get(1)).contains(target.ruleId()).contains("Node.js + Express + Mongoose");
    }

    @Test
    void answersThatAreNotDraftsSayWhatIsWrong() {
        for (var bad : Map.of(
                "not json at all", "is not JSON",
                "{\"choices\": []}", "has no choices[0].message.content",
                ChatServer.completion("```yaml\nrule: [unclosed\n```"), "is not valid YAML",
                ChatServer.completion("```yaml\n- a list\n```"), "must be a mapping",
                ChatServer.completion("```yaml\nrule: x\nvulnerable_example: y\nsafe_example: z\nextra: 1\n```"), "unknown keys [extra]",
                ChatServer.completion("```yaml\nrule: x\nvulnerable_example: y\n```"), "needs 'safe_example'").entrySet()) {
            assertThatThrownBy(() -> ChatCompletionsGenerator.parse(bad.getKey(), "m")).as(bad.getKey())
                    .isInstanceOf(GenerationException.class).hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void anOversizedAnswerIsRefused() throws Exception {
        server.then(new ChatServer.Step.Raw(200, Map.of(), "x".repeat((int) ChatCompletionsGenerator.MAX_RESPONSE_BYTES + 10)));
        Generator generator = new ChatCompletionsGenerator(settings(Duration.ofSeconds(5)), ModelClass.STANDARD);
        assertThatThrownBy(() -> generator.draft(target, stack, List.of(), Duration.ofSeconds(5)))
                .hasMessageContaining("larger than " + ChatCompletionsGenerator.MAX_RESPONSE_BYTES);
    }

    @Test
    void aPremiumTenantsRuleCarriesTheModelAndPromptVersionAndThePrice() throws Exception {
        server.then(new ChatServer.Step.Answer(ChatServer.fenced(good.yaml().replace("custom.t.", "custom.acme."), good.vulnerable(),
                good.safe())));
        parts.get().access().createTenant("acme");
        parts.get().credits().setTier("acme", Tier.PREMIUM);
        parts.get().credits().grant("acme", 10, "g", "test");
        CustomRules rules = parts.get().customRules(GatePolicy.defaults("0.1.0").withThreads(1),
                new Generators(Optional.of(settings(Duration.ofSeconds(5)))), Fees.DEFAULT);
        CustomRules.Result result = rules.generate(new CustomRules.Request(Optional.empty(), "acme", Projects.of("express-mongoose"), 1,
                Optional.of(ModelClass.PRO)));
        assertThat(result.rules().getFirst().validated()).as(result.rules().getFirst().reason()).isTrue();
        assertThat(result.charges()).isEqualTo(new CustomRules.Charges(1, 4, 0, 5));
        assertThat(rules.library("acme").getFirst().aiMetadata()).containsEntry("model", "pro-model")
                .containsEntry("prompt_version", ChatCompletionsGenerator.PROMPT_VERSION).containsEntry("model_class", "pro");
        assertThat(server.seen().getFirst().body().get("model")).isEqualTo("pro-model");
    }
}
