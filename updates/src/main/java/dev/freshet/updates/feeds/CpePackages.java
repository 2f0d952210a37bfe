package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.feeds.NvdConfigurations.Cpe;
import dev.freshet.updates.feeds.NvdConfigurations.CpeMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which package a CPE names, so that a CVE only NVD knows still becomes a dependency rule.
 *
 * <p>Two ways, nothing else: the table below for products whose CPE says nothing of their
 * ecosystem (a Maven group, a Packagist vendor, a Go module path cannot be derived from a CPE
 * name), and the CPE's own target software where it names an ecosystem whose package names are
 * the product names NVD writes ({@code node.js}: npm, {@code python}: PyPI, {@code ruby} and
 * {@code rails}: RubyGems, {@code rust}: crates.io). A CPE neither way maps is counted as unknown,
 * never guessed at. A match whose versions the ecosystem cannot read, or that bounds no version at
 * all ({@code *} without a range: NVD's "every version"), is counted and left out too: a rule
 * for it would report every install of the package.
 */
final class CpePackages {
    /** A package in an ecosystem. */
    record PackageName(Ecosystem ecosystem, String name) {
    }

    /** Products mapped by hand: vendor and product as NVD's dictionary writes them. */
    static final Map<String, PackageName> TABLE = Map.ofEntries(
            entry("djangoproject", "django", Ecosystem.PYPI, "django"),
            entry("palletsprojects", "flask", Ecosystem.PYPI, "flask"),
            entry("palletsprojects", "jinja", Ecosystem.PYPI, "jinja2"),
            entry("palletsprojects", "werkzeug", Ecosystem.PYPI, "werkzeug"),
            entry("sqlalchemy", "sqlalchemy", Ecosystem.PYPI, "sqlalchemy"),
            entry("python", "requests", Ecosystem.PYPI, "requests"),
            entry("python", "pillow", Ecosystem.PYPI, "pillow"),
            entry("pyyaml", "pyyaml", Ecosystem.PYPI, "pyyaml"),
            entry("expressjs", "express", Ecosystem.NPM, "express"),
            entry("lodash", "lodash", Ecosystem.NPM, "lodash"),
            entry("mongoosejs", "mongoose", Ecosystem.NPM, "mongoose"),
            entry("axios", "axios", Ecosystem.NPM, "axios"),
            entry("rubyonrails", "rails", Ecosystem.RUBYGEMS, "rails"),
            entry("rubyonrails", "rails-html-sanitizer", Ecosystem.RUBYGEMS, "rails-html-sanitizer"),
            entry("rack_project", "rack", Ecosystem.RUBYGEMS, "rack"),
            entry("nokogiri", "nokogiri", Ecosystem.RUBYGEMS, "nokogiri"),
            entry("laravel", "framework", Ecosystem.PACKAGIST, "laravel/framework"),
            entry("symfony", "symfony", Ecosystem.PACKAGIST, "symfony/symfony"),
            entry("guzzlephp", "guzzle", Ecosystem.PACKAGIST, "guzzlehttp/guzzle"),
            entry("apache", "log4j", Ecosystem.MAVEN, "org.apache.logging.log4j:log4j-core"),
            entry("apache", "struts", Ecosystem.MAVEN, "org.apache.struts:struts2-core"),
            entry("fasterxml", "jackson-databind", Ecosystem.MAVEN, "com.fasterxml.jackson.core:jackson-databind"),
            // Every Spring application has spring-core, and the framework's modules share its version.
            entry("vmware", "spring_framework", Ecosystem.MAVEN, "org.springframework:spring-core"),
            entry("pivotal_software", "spring_framework", Ecosystem.MAVEN, "org.springframework:spring-core"),
            entry("gin-gonic", "gin", Ecosystem.GO, "github.com/gin-gonic/gin"));

    /** Target software naming an ecosystem whose package names NVD's product names are. */
    private static final Map<String, Ecosystem> BY_TARGET = Map.of("node.js", Ecosystem.NPM, "python", Ecosystem.PYPI,
            "ruby", Ecosystem.RUBYGEMS, "rails", Ecosystem.RUBYGEMS, "rust", Ecosystem.CRATES_IO);
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** The packages a record's matches name, and how many matches could not be used, by reason. */
    record Mapping(List<AffectedPackage> packages, int mapped, int unknown, int unbounded, int unreadableVersions) {
        static final Mapping NONE = new Mapping(List.of(), 0, 0, 0, 0);

        Mapping plus(Mapping other) {
            return new Mapping(List.of(), mapped + other.mapped, unknown + other.unknown, unbounded + other.unbounded,
                    unreadableVersions + other.unreadableVersions);
        }
    }

    private CpePackages() {
    }

    private static Map.Entry<String, PackageName> entry(String vendor, String product, Ecosystem ecosystem, String name) {
        return Map.entry(vendor + ":" + product, new PackageName(ecosystem, name));
    }

    /** The package a CPE names, when the table or a safe rule knows it. */
    static Optional<PackageName> packageOf(Cpe cpe) {
        if (!cpe.isApplication()) {
            return Optional.empty();
        }
        PackageName listed = TABLE.get(cpe.vendor() + ":" + cpe.product());
        if (listed != null) {
            return Optional.of(listed);
        }
        Ecosystem ecosystem = BY_TARGET.get(cpe.targetSoftware());
        return ecosystem == null || !PACKAGE_NAME.matcher(cpe.product()).matches() ? Optional.empty()
                : Optional.of(new PackageName(ecosystem, cpe.product()));
    }

    /** The affected packages the matches name: one entry per package, its ranges and listed versions together. */
    static Mapping map(List<CpeMatch> matches) {
        Map<PackageName, List<AffectedRange>> ranges = new LinkedHashMap<>();
        Map<PackageName, List<String>> versions = new LinkedHashMap<>();
        int mapped = 0;
        int unknown = 0;
        int unbounded = 0;
        int unreadable = 0;
        for (CpeMatch match : matches) {
            Optional<PackageName> named = packageOf(match.cpe());
            if (named.isEmpty()) {
                unknown++;
                continue;
            }
            PackageName pkg = named.get();
            if (match.hasBounds() && !match.hasUpperBound()) {
                unbounded++; // "from this version on", with no fix known
                continue;
            } else if (match.hasBounds()) {
                Optional<AffectedRange> range = range(match, pkg.ecosystem());
                if (range.isEmpty()) {
                    unreadable++;
                    continue;
                }
                ranges.computeIfAbsent(pkg, k -> new ArrayList<>()).add(range.get());
            } else if (match.cpe().hasExactVersion()) {
                if (!isSingleVersion(match.cpe()) || !pkg.ecosystem().isValid(match.cpe().version())) {
                    unreadable++;
                    continue;
                }
                versions.computeIfAbsent(pkg, k -> new ArrayList<>()).add(match.cpe().version());
            } else {
                unbounded++;
                continue;
            }
            ranges.computeIfAbsent(pkg, k -> new ArrayList<>());
            mapped++;
        }
        List<AffectedPackage> packages = new ArrayList<>();
        ranges.forEach((pkg, list) -> packages.add(new AffectedPackage(pkg.ecosystem(), pkg.name(), list,
                versions.getOrDefault(pkg, List.of()).stream().distinct().toList())));
        return new Mapping(List.copyOf(packages), mapped, unknown, unbounded, unreadable);
    }

    /** A pre-release or patch level written in the update field ({@code 2.0:rc1}) is not one version every scheme reads alike. */
    private static boolean isSingleVersion(Cpe cpe) {
        return cpe.update().equals(Cpe.ANY) || cpe.update().equals(Cpe.NOT_APPLICABLE);
    }

    /**
     * The match's bounds as one range: a start opens it ({@code "0"} when there is none), an
     * excluded end fixes it, an included end is its last affected version. Empty when a bound is not
     * a version of the ecosystem (a range silently missing its end would cover every later
     * version).
     */
    private static Optional<AffectedRange> range(CpeMatch match, Ecosystem ecosystem) {
        List<Event> events = new ArrayList<>();
        events.add(match.startIncluding() != null ? new Event.Introduced(match.startIncluding())
                : match.startExcluding() != null ? new Event.IntroducedAfter(match.startExcluding())
                : new Event.Introduced("0"));
        events.add(match.endExcluding() != null ? new Event.Fixed(match.endExcluding()) : new Event.LastAffected(match.endIncluding()));
        boolean readable = events.stream().allMatch(e -> AffectedRange.isZero(e) || ecosystem.isValid(e.version()));
        return readable ? Optional.of(new AffectedRange(AffectedRange.Type.ECOSYSTEM, events)) : Optional.empty();
    }
}
