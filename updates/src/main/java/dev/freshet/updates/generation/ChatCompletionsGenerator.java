package dev.freshet.updates.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.Stack;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.http.BoundedFetch;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A generator that asks a language model through the OpenAI-compatible chat-completions protocol:
 * {@code POST {base}/chat/completions} with the model and the messages; the draft is read from
 * {@code choices[0].message.content}, a fenced YAML block with the rule and both examples. Earlier
 * attempts' problems go back to the model as a conversation, so it can correct itself.
 */
public final class ChatCompletionsGenerator implements Generator {
    /** Changes whenever the prompts change; stored with every rule as its {@code prompt_version}. */
    public static final String PROMPT_VERSION = "custom-rule-v1";
    /** An answer larger than this is not a draft: real ones are a few kB. */
    static final long MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FENCE = Pattern.compile("```[ \\t]*(yaml|yml)?[^\\n]*\\n(.*?)```", Pattern.DOTALL);

    private static final String SYSTEM_PROMPT = """
            You write Semgrep rules for a security scanner. Answer with exactly one fenced YAML block (```yaml ... ```)
            holding three keys, each a literal block scalar (|):
              rule: the Semgrep rule file (a top-level `rules:` list with exactly one rule),
              vulnerable_example: a short, complete source file the rule must report,
              safe_example: the same code done safely, which the rule must not report.
            Prefer `mode: taint` with pattern-sources, pattern-sinks and pattern-sanitizers. Nothing outside the block.""";

    private final ChatSettings settings;
    private final ModelClass modelClass;
    private final HttpClient client;

    public ChatCompletionsGenerator(ChatSettings settings, ModelClass modelClass) {
        if (!settings.models().containsKey(modelClass)) {
            throw new IllegalArgumentException("no model is configured for class " + modelClass.id());
        }
        this.settings = settings;
        this.modelClass = modelClass;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public ModelClass modelClass() {
        return modelClass;
    }

    public String model() {
        return settings.models().get(modelClass);
    }

    @Override
    public Draft draft(Target target, Stack stack, List<String> feedback, Duration timeLeft) throws GenerationException {
        Duration timeout = timeLeft.compareTo(settings.requestTimeout()) < 0 ? timeLeft : settings.requestTimeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new GenerationException("no time left for another request to the model");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.completionsUrl()).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(target, stack, feedback), StandardCharsets.UTF_8));
        settings.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<byte[]> response;
        try {
            response = BoundedFetch.send(client, request.build(), MAX_RESPONSE_BYTES, timeout);
        } catch (TimeoutException | HttpTimeoutException e) {
            // BoundedFetch's deadline or the client's own request timeout, whichever came first
            throw new GenerationException("the model did not answer within " + timeout.toMillis() + " ms");
        } catch (BoundedFetch.BodyTooLarge e) {
            throw new GenerationException("the model's answer was larger than " + MAX_RESPONSE_BYTES + " bytes");
        } catch (IOException e) {
            throw new GenerationException("the chat service at " + settings.baseUrl() + " could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted while waiting for the model");
        }
        if (response.statusCode() == 429) {
            throw new GenerationException("the chat service is rate limiting (429)", retryAfter(response));
        }
        if (response.statusCode() != 200) {
            throw new GenerationException("the chat service answered HTTP " + response.statusCode() + ": "
                    + abbreviated(new String(response.body(), StandardCharsets.UTF_8)), retryAfter(response));
        }
        return parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    String requestBody(Target target, Stack stack, List<String> feedback) {
        List<Map<String, String>> messages = new ArrayList<>();
        messages.add(Map.of("role", "system", "content", SYSTEM_PROMPT));
        messages.add(Map.of("role", "user", "content", userPrompt(target, stack)));
        for (String problem : feedback) {
            messages.add(Map.of("role", "user", "content", "Your previous answer was refused: " + problem
                    + "\nAnswer again with a corrected block."));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model());
        body.put("messages", messages);
        body.put("temperature", 0.2);
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("a request of strings cannot fail to serialise", e);
        }
    }

    private static String userPrompt(Target target, Stack stack) {
        return "Project stack: " + stack.summary() + ".\n"
                + "Write a rule with id `" + target.ruleId() + "` for " + target.weakness().title() + " (" + target.weakness().cwe()
                + ") in " + target.framework() + " code (language: " + target.language().id() + ", examples as ." + target.extension()
                + " files).\n"
                + "Untrusted data comes from, for example: " + String.join(", ", target.sources()) + ".\n"
                + "Dangerous calls" + (target.library().equals(Templates.BUILT_IN) ? "" : " of " + target.library()) + " include: "
                + String.join(", ", target.sinks()) + ".\n"
                + (target.sanitizers().isEmpty() ? "" : "Sanitizers include: " + String.join(", ", target.sanitizers()) + ".\n")
                + "Put `category: security` and the CWE in the rule's metadata"
                + (target.cves().isEmpty() ? "." : ", and `cve: [" + String.join(", ", target.cves()) + "]`.");
    }

    /** The draft in a chat-completions answer; a problem with it is a {@link GenerationException} fed back to the model. */
    static Draft parse(String responseBody, String model) throws GenerationException {
        JsonNode root;
        try {
            root = JSON.readTree(responseBody);
        } catch (IOException e) {
            throw new GenerationException("the chat service's answer is not JSON: " + abbreviated(responseBody));
        }
        JsonNode content = root == null ? null : root.path("choices").path(0).path("message").path("content");
        if (content == null || !content.isTextual() || content.asText().isBlank()) {
            throw new GenerationException("the chat service's answer has no choices[0].message.content");
        }
        Matcher fence = FENCE.matcher(content.asText());
        if (!fence.find()) {
            throw new GenerationException("the answer holds no fenced ```yaml block");
        }
        Object loaded;
        try {
            loaded = new Load(LoadSettings.builder().setMaxAliasesForCollections(10).setCodePointLimit(512 * 1024).build())
                    .loadFromString(fence.group(2));
        } catch (YamlEngineException e) {
            throw new GenerationException("the ```yaml block is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new GenerationException("the ```yaml block must be a mapping with rule, vulnerable_example and safe_example");
        }
        List<String> unknown = map.keySet().stream().map(String::valueOf)
                .filter(k -> !List.of("rule", "vulnerable_example", "safe_example").contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new GenerationException("the ```yaml block has unknown keys " + unknown + "; only rule, vulnerable_example and safe_example");
        }
        return new Draft(text(map, "rule"), text(map, "vulnerable_example"), text(map, "safe_example"), model, PROMPT_VERSION);
    }

    private Draft parse(String responseBody) throws GenerationException {
        return parse(responseBody, model());
    }

    private static String text(Map<?, ?> map, String key) throws GenerationException {
        Object value = map.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new GenerationException("the ```yaml block needs '" + key + "' as a non-empty text block");
        }
        return s;
    }

    /** The wait a 429 or 503 asks for: Retry-After in seconds (HTTP dates are rare from these services and read as 1 s). */
    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(1);
            }
        }).orElse(null);
    }

    private static String abbreviated(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
