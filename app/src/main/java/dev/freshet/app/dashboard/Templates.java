package dev.freshet.app.dashboard;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's Pebble templates ({@code dashboard/templates/*.peb}). Every value a template prints is
 * HTML-escaped unless the template says otherwise (none does); an unknown variable is an error, not
 * blank text. Templates take their words from the bundles through {@code t("key")} or
 * {@code t("key", [arg, ...])}, in the language of the page.
 */
final class Templates {
    private final PebbleEngine engine;

    Templates() {
        ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
        loader.setPrefix("dashboard/templates/");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).strictVariables(true).autoEscaping(true)
                .extension(new Words()).build();
    }

    String render(String name, Map<String, Object> model, Language language) {
        StringWriter out = new StringWriter();
        try {
            engine.getTemplate(name).evaluate(out, model, language.locale());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Looks a message up in the bundle of a language; {0}, {1}... take the arguments (MessageFormat rules: '' for an apostrophe). */
    static String message(Language language, String key, List<?> args) {
        return new MessageFormat(language.bundle().getString(key), language.locale()).format(args.toArray());
    }

    /** The {@code t} function. */
    private static final class Words extends AbstractExtension {
        @Override
        public Map<String, Function> getFunctions() {
            return Map.of("t", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return List.of("key", "args");
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
                    Language language = Language.ofTag(context.getLocale().getLanguage()).orElse(Language.EN);
                    List<?> values = args.get("args") instanceof List<?> list ? list : List.of();
                    return message(language, String.valueOf(args.get("key")), values);
                }
            });
        }
    }
}
