package dev.freshet.updates.sources;

import java.net.URL;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A signed HTTP rule repository (The Update Framework). Fetching it is the TUF client's job; the
 * app plugs that client into {@link SourceFetchers}.
 *
 * @param trustedRootFile the TUF root metadata this machine trusts initially
 */
public record SignedRepositorySource(String name, URL baseUrl, Path trustedRootFile, SourceSettings settings)
        implements RuleSource {
    public SignedRepositorySource {
        RuleSource.checkName(name);
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(trustedRootFile, "trustedRootFile");
        Objects.requireNonNull(settings, "settings");
    }

    /** Never the URL's credentials. */
    @Override
    public String toString() {
        return "SignedRepositorySource[" + name + ", " + SourceUrls.redact(baseUrl.toString()) + "]";
    }

    @Override
    public SignedRepositorySource withSettings(SourceSettings newSettings) {
        return new SignedRepositorySource(name, baseUrl, trustedRootFile, newSettings);
    }
}
