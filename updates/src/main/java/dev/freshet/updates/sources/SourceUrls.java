package dev.freshet.updates.sources;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A source's location as text: the credentials it may carry ({@code https://deploy:TOKEN@host/...},
 * {@code ?access_token=...}) hidden as {@value #HIDDEN} wherever the location is shown, logged or
 * quoted in an error, and the local path it reads, if it reads one.
 */
public final class SourceUrls {
    public static final String HIDDEN = "***";
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)[a-z_-]*(token|password|passwd|secret|key|signature|sig|auth|credential)[a-z_-]*");
    /** scp-like git locations, {@code user@host:path}: remote, and never carrying a secret. */
    private static final Pattern SCP_LIKE = Pattern.compile("[^/:]+@[^/:]+:.*|[A-Za-z0-9.-]{2,}:[^/].*");

    private SourceUrls() {
    }

    /** The location with its user info and secret query values replaced by {@value #HIDDEN}. */
    public static String redact(String location) {
        return scrub(location, location);
    }

    /** Whether the location carries credentials that must be stored apart and never shown. */
    public static boolean hasSecrets(String location) {
        return !secrets(location).isEmpty();
    }

    /** {@code text} (an error message, a log line) with every credential of {@code location} replaced by {@value #HIDDEN}. */
    public static String scrub(String text, String location) {
        String scrubbed = text;
        for (String secret : secrets(location)) {
            scrubbed = scrubbed.replace(secret, HIDDEN);
        }
        // Git clients quote the location with its user but not its password (http://deploy@host/...).
        try {
            String user = new URI(location).getUserInfo();
            if (user != null && user.contains(":")) {
                scrubbed = scrubbed.replace("//" + user.substring(0, user.indexOf(':')) + "@", "//" + HIDDEN + "@");
            }
        } catch (URISyntaxException e) {
            // not a URI: nothing more to hide
        }
        return scrubbed;
    }

    /** The secrets in a location, longest first (so a part of one never hides the rest of it). */
    private static List<String> secrets(String location) {
        List<String> secrets = new ArrayList<>();
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return secrets;
        }
        if (uri.getRawUserInfo() != null) {
            secrets.add(uri.getRawUserInfo());
            secrets.add(decode(uri.getRawUserInfo()));
        }
        if (uri.getRawQuery() != null) {
            for (String parameter : uri.getRawQuery().split("&")) {
                int equals = parameter.indexOf('=');
                if (equals > 0 && equals < parameter.length() - 1 && SECRET_PARAMETER.matcher(parameter.substring(0, equals)).matches()) {
                    secrets.add(parameter.substring(equals + 1));
                    secrets.add(decode(parameter.substring(equals + 1)));
                }
            }
        }
        return secrets.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * The directory or file on this machine a location reads: a {@code file:} URL, or (for git) a plain
     * path. Empty for network locations ({@code https:}, {@code ssh:}, {@code git@host:path}...).
     */
    public static Optional<Path> localPath(String location) {
        String text = location.strip();
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getScheme().length() > 1) {
                return uri.getScheme().toLowerCase(Locale.ROOT).equals("file") ? Optional.of(Path.of(uri.getPath())) : Optional.empty();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a URI: a path or an scp-like location, told apart below
        }
        return SCP_LIKE.matcher(text).matches() ? Optional.empty() : Optional.of(Path.of(text));
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
