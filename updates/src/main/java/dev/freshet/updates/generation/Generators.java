package dev.freshet.updates.generation;

import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.ModelClass;
import java.util.Optional;

/**
 * The generators there are: the offline one always, a chat-completions model per configured class.
 *
 * @param chat the chat-completions service, when one is configured
 */
public record Generators(Optional<ChatSettings> chat) {
    private static final TemplateGenerator OFFLINE = new TemplateGenerator();

    /** The class used when a request names none: {@code standard} with a chat service configured, else offline. */
    public ModelClass defaultClass() {
        return chat.filter(c -> c.models().containsKey(ModelClass.STANDARD)).isPresent() ? ModelClass.STANDARD : ModelClass.OFFLINE;
    }

    public Generator forClass(ModelClass model) {
        if (model == ModelClass.OFFLINE) {
            return OFFLINE;
        }
        if (chat.isEmpty() || !chat.get().models().containsKey(model)) {
            throw new CreditException(CreditException.Kind.INVALID, "no model is configured for class " + model.id()
                    + "; set [generation] url and " + model.id() + "_model in freshet.toml, or use --model offline");
        }
        return new ChatCompletionsGenerator(chat.get(), model);
    }
}
