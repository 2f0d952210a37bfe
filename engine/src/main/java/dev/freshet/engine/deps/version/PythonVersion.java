package dev.freshet.engine.deps.version;

import java.util.Optional;

/**
 * A PyPI version: a {@link Pep440Version} wherever the text is one, otherwise a
 * {@link LegacyPythonVersion}. PyPI still holds releases from before PEP 440, and PyPI itself and
 * OSV order them with {@code packaging_legacy}: every legacy version below every PEP 440 one.
 */
public sealed interface PythonVersion extends Comparable<PythonVersion> permits Pep440Version, LegacyPythonVersion {

    VersionScheme<PythonVersion> SCHEME = new VersionScheme<>() {
        @Override
        public Optional<PythonVersion> parse(String text) {
            return PythonVersion.parse(text);
        }

        @Override
        public String toString() {
            return "PyPI";
        }
    };

    static Optional<PythonVersion> parse(String text) {
        Optional<Pep440Version> pep440 = Pep440Version.parse(text);
        return pep440.isPresent() ? Optional.of(pep440.get()) : LegacyPythonVersion.parse(text).map(v -> v);
    }

    /** Whether pip would skip this unless asked for pre-releases; never true of a legacy version. */
    boolean isPrerelease();
}
