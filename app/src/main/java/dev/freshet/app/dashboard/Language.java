package dev.freshet.app.dashboard;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * The dashboard's languages, each with its bundle {@code dashboard/messages/messages_<tag>.properties}.
 * The choice comes from the language cookie (the switch), else the browser's Accept-Language, else English.
 */
enum Language {
    EN("English"), ES("Español");

    static final String BUNDLE = "dashboard.messages.messages";

    private final String nativeName;

    Language(String nativeName) {
        this.nativeName = nativeName;
    }

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    String nativeName() {
        return nativeName;
    }

    Locale locale() {
        return Locale.forLanguageTag(tag());
    }

    ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE, locale(), ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    static Optional<Language> ofTag(String tag) {
        return Arrays.stream(values()).filter(l -> l.tag().equals(tag)).findFirst();
    }

    /** The language a request asks for: the switch's cookie first, then the best match of Accept-Language. */
    static Language choose(String cookie, String acceptLanguage) {
        Optional<Language> chosen = ofTag(cookie);
        if (chosen.isPresent()) {
            return chosen.get();
        }
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 500) {
            return EN;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
            String best = Locale.lookupTag(ranges, Arrays.stream(values()).map(Language::tag).toList());
            return ofTag(best).orElse(EN);
        } catch (IllegalArgumentException e) {
            return EN; // a malformed header is not worth refusing a page over
        }
    }
}
