package dev.freshet.updates.generation;

import dev.freshet.updates.billing.ModelClass;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an OpenAI-compatible chat-completions service is (hosted, or local such as vLLM, llama.cpp
 * or Ollama) and which model serves each class. The key comes from the environment, never a file.
 *
 * @param baseUrl the API's base, to which {@code /chat/completions} is appended (e.g. http://127.0.0.1:11434/v1)
 * @param apiKey  sent as a bearer token; empty for local servers that need none
 * @param models  the concrete model name per class; a class without one cannot be asked for
 */
public record ChatSettings(URI baseUrl, Optional<String> apiKey, Map<ModelClass, String> models, Duration requestTimeout) {
    public ChatSettings {
        if (baseUrl == null || !(("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())) && baseUrl.getHost() != null)) {
            throw new IllegalArgumentException("the chat-completions URL must be http(s)://host/..., not '" + baseUrl + "'");
        }
        models = models.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(models));
        if (models.containsKey(ModelClass.OFFLINE)) {
            throw new IllegalArgumentException("the offline generator is not a model of the chat service");
        }
    }

    /** The service's URL for chat completions. */
    public URI completionsUrl() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }
}
