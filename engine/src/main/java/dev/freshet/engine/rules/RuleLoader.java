package dev.freshet.engine.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.deps.version.VersionRanges;
import dev.freshet.engine.generic.GenericPattern;
import dev.freshet.engine.parse.Language;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.pattern.PatternException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads Semgrep-format rule files. Each broken or unsupported rule yields one {@link RuleProblem}
 * and is skipped; the rules around it still load.
 */
public final class RuleLoader {
    private static final long MAX_RULE_FILE_BYTES = 8L * 1024 * 1024;
    /**
     * Limits on one rule, far above real rules (the Semgrep registry's largest has about 500 YAML
     * values and a 10,000-character regex): compiling is not budgeted, so its input is.
     */
    public static final int MAX_RULE_VALUES = 5_000;
    public static final int MAX_PATTERN_CHARS = 32 * 1024;
    private static final Set<String> UNSUPPORTED_OPERATORS = Set.of(
            "metavariable-analysis", "metavariable-name", "pattern-where-python",
            "semgrep-internal-pattern-anywhere");
    private static final List<String> FORMULA_KEYS = List.of("pattern", "patterns", "pattern-either", "pattern-regex");

    private static final String DEPENDS_ON = "r2c-internal-project-depends-on";

    private final PatternCompiler compiler;
    /** The rule's options for generic patterns: a loader reading one rule carries that rule's. */
    private final GenericOptions generic;

    /**
     * A rule's {@code generic_*} options. One this engine cannot honour is remembered in {@code unsupported}
     * (with its YAML node) and reported only if the rule has a generic pattern for it to change.
     */
    private record GenericOptions(int ellipsisMaxSpan, String unsupported, Yaml where) {
        static final GenericOptions DEFAULT = new GenericOptions(GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN, null, null);
    }

    public RuleLoader(PatternCompiler compiler) {
        this(compiler, GenericOptions.DEFAULT);
    }

    private RuleLoader(PatternCompiler compiler, GenericOptions generic) {
        this.compiler = compiler;
        this.generic = generic;
    }

    /** Loads every {@code .yaml}/{@code .yml} file under the given files and directories. */
    public RuleSet load(List<Path> paths) {
        List<Rule> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                problems.add(new RuleProblem(path, null, 0, RuleProblem.Kind.INVALID, "no such file or directory"));
                continue;
            }
            // Compiling patterns means parsing them; rule files are independent, so compile them in parallel.
            List<RuleSet> sets = ruleFiles(path, problems).parallelStream().map(this::loadFile).toList();
            for (RuleSet set : sets) {
                rules.addAll(set.rules());
                problems.addAll(set.problems());
            }
        }
        return new RuleSet(rules, problems);
    }

    private static List<Path> ruleFiles(Path path, List<RuleProblem> problems) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.contains(".test.");
                    })
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            problems.add(new RuleProblem(path, null, 0, RuleProblem.Kind.INVALID, "cannot list directory: " + e.getMessage()));
            return List.of();
        }
    }

    public RuleSet loadFile(Path file) {
        try {
            if (Files.size(file) > MAX_RULE_FILE_BYTES) {
                return broken(file, 0, "rule file is larger than " + MAX_RULE_FILE_BYTES / (1024 * 1024) + " MiB");
            }
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return broken(file, 0, "cannot read: " + e.getMessage());
        }
    }

    public RuleSet parse(Path file, String text) {
        Yaml document;
        try {
            document = Yaml.parse(text);
        } catch (YamlInput.LimitExceeded e) {
            return broken(file, e.line(), "refused: " + e.getMessage());
        } catch (YamlEngineException e) {
            int line = e instanceof org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException marked
                    ? marked.getProblemMark().map(m -> m.getLine() + 1).orElse(0) : 0;
            return broken(file, line, "not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(document instanceof Yaml.Mapping top) || !(top.get("rules") instanceof Yaml.Sequence list)) {
            return broken(file, document == null ? 0 : document.line(), "expected a top-level 'rules:' list");
        }
        List<Rule> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        for (Yaml item : list.items()) {
            String id = item instanceof Yaml.Mapping m && m.get("id") instanceof Yaml.Scalar s ? s.value() : null;
            try {
                rules.add(rule(file, item));
            } catch (RuleException e) {
                problems.add(new RuleProblem(file, id, e.line, e.kind, e.getMessage()));
            }
        }
        return new RuleSet(rules, problems);
    }

    private static RuleSet broken(Path file, int line, String reason) {
        return new RuleSet(List.of(), List.of(new RuleProblem(file, null, line, RuleProblem.Kind.INVALID, reason)));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    private Rule rule(Path file, Yaml item) throws RuleException {
        if (!(item instanceof Yaml.Mapping rule)) {
            throw invalid(item, "each rule must be a mapping with id, message, severity, languages and patterns");
        }
        int values = Yaml.count(rule);
        if (values > MAX_RULE_VALUES) {
            throw invalid(rule, "the rule has " + values + " YAML values, over the limit of " + MAX_RULE_VALUES + "; split it");
        }
        String id = requiredScalar(rule, "id");
        String mode = optionalScalar(rule, "mode", "search");
        boolean taint = mode.equals("taint");
        if (!mode.equals("search") && !taint) {
            throw unsupported(rule.get("mode"), mode + " mode");
        }
        if (rule.get("match") != null) {
            throw unsupported(rule.get("match"), "match: syntax");
        }
        if (rule.get("join") != null || rule.get("extract") != null) {
            throw unsupported(rule, "join/extract rules");
        }
        String message = requiredScalar(rule, "message");
        String severityText = requiredScalar(rule, "severity");
        Severity severity = Severity.parse(severityText)
                .orElseThrow(() -> invalid(rule.get("severity"), "unknown severity '" + severityText + "'"));
        List<AffectedPackage> dependsOn = dependsOn(rule);
        boolean hasPatterns = taint || FORMULA_KEYS.stream().anyMatch(k -> rule.get(k) != null);
        // A dependency rule without patterns is about versions alone and needs no language.
        List<Language> languages = dependsOn.isEmpty() || hasPatterns || rule.get("languages") != null ? languages(rule) : List.of();
        if (taint && languages.stream().anyMatch(l -> !l.parsed())) {
            throw unsupported(rule.get("mode"), "mode: taint in a generic or regex rule");
        }
        RuleLoader reader = withGenericOptions(rule).withSymbolicPropagation(rule);
        Map<Language, Formula> formulas = new EnumMap<>(Language.class);
        for (Language language : languages) {
            for (Language fileLanguage : Language.values()) {
                if (language.covers(fileLanguage) && (hasPatterns || dependsOn.isEmpty())) {
                    formulas.put(fileLanguage, taint ? reader.taintFormula(rule, fileLanguage) : reader.topFormula(rule, fileLanguage));
                }
            }
        }
        Map<String, Object> metadata = rule.get("metadata") instanceof Yaml.Mapping m
                ? castMap(Yaml.plain(m)) : Map.of();
        Map<Language, Prefilter> prefilters = new EnumMap<>(Language.class);
        formulas.forEach((language, formula) -> prefilters.put(language, Prefilter.of(formula)));
        return new Rule(id, message.strip(), severity, languages, formulas, prefilters, metadata, paths(rule), file, rule.line(),
                dependsOn, autofix(rule));
    }

    /** This loader, or one whose patterns match through variables defined once when the rule asks for it. */
    private RuleLoader withSymbolicPropagation(Yaml.Mapping rule) throws RuleException {
        return rule.get("options") instanceof Yaml.Mapping options && flag(options, "symbolic_propagation")
                ? new RuleLoader(compiler.withSymbolicPropagation(), generic) : this;
    }

    /** This loader, or one carrying the rule's {@code generic_*} options when it sets any. */
    private RuleLoader withGenericOptions(Yaml.Mapping rule) throws RuleException {
        if (!(rule.get("options") instanceof Yaml.Mapping options)) {
            return this;
        }
        int span = GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN;
        String unsupported = null;
        Yaml where = null;
        boolean any = false;
        for (Map.Entry<String, Yaml> option : options.entries().entrySet()) {
            String key = option.getKey();
            if (!key.startsWith("generic_")) {
                continue;
            }
            any = true;
            String value = optionalScalar(options, key, "");
            if (key.equals("generic_ellipsis_max_span")) {
                try {
                    span = Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    span = -1;
                }
                if (span < 0) {
                    throw invalid(option.getValue(), "'generic_ellipsis_max_span' must be a whole number of lines, not '" + value + "'");
                }
            } else if (!(key.equals("generic_engine") && value.equals("spacegrep")) && unsupported == null) {
                // Comment styles, aliengrep and its options change what generic patterns mean; not done here.
                unsupported = "rule option '" + key + ": " + value + "'";
                where = option.getValue();
            }
        }
        return any ? new RuleLoader(compiler, new GenericOptions(span, unsupported, where)) : this;
    }

    /**
     * The rule's {@code fix:} or {@code fix-regex: {regex, replacement, count}}, or null. A block scalar's final
     * line break is not part of the fix: the replacement takes the place of the match, not of whole lines.
     */
    private static Autofix autofix(Yaml.Mapping rule) throws RuleException {
        Yaml fix = rule.get("fix");
        Yaml fixRegex = rule.get("fix-regex");
        if (fix != null && fixRegex != null) {
            throw invalid(fixRegex, "has both 'fix' and 'fix-regex'; keep one");
        }
        if (fix != null) {
            if (!(fix instanceof Yaml.Scalar scalar)) {
                throw invalid(fix, "'fix' must be a string");
            }
            return new Autofix.Template(scalar.value().replaceAll("[\\r\\n]+$", ""));
        }
        if (fixRegex == null) {
            return null;
        }
        if (!(fixRegex instanceof Yaml.Mapping mapping)) {
            throw invalid(fixRegex, "'fix-regex' must be a mapping with regex, replacement and optionally count");
        }
        Pattern regex = regex(mapping.get("regex"), false);
        if (!(mapping.get("replacement") instanceof Yaml.Scalar replacement)) {
            throw invalid(mapping.get("replacement") == null ? mapping : mapping.get("replacement"),
                    "'fix-regex' needs 'replacement' (a string; \\1 names the first group)");
        }
        String countText = optionalScalar(mapping, "count", "0");
        int count;
        try {
            count = Integer.parseInt(countText.strip());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0) {
            throw invalid(mapping.get("count"), "'count' must be a whole number of replacements, not '" + countText + "'");
        }
        return new Autofix.RegexReplace(regex, replacement.value(), count);
    }

    /**
     * The packages of Semgrep's {@code r2c-internal-project-depends-on}: one
     * {@code {namespace, package, version}} mapping, or several under {@code depends-on-either}.
     */
    private static List<AffectedPackage> dependsOn(Yaml.Mapping rule) throws RuleException {
        Yaml value = rule.get(DEPENDS_ON);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Yaml.Mapping mapping)) {
            throw invalid(value, DEPENDS_ON + " must be a mapping with namespace, package and version");
        }
        List<Yaml> requirements = mapping.get("depends-on-either") != null
                ? sequence(mapping.get("depends-on-either"), "depends-on-either") : List.of(mapping);
        List<AffectedPackage> packages = new ArrayList<>();
        for (Yaml item : requirements) {
            if (!(item instanceof Yaml.Mapping requirement)) {
                throw invalid(item, "each dependency must be a mapping with namespace, package and version");
            }
            String namespace = requiredScalar(requirement, "namespace");
            Ecosystem ecosystem = Ecosystem.fromNamespace(namespace)
                    .orElseThrow(() -> unsupported(requirement.get("namespace"), "dependency namespace '" + namespace + "'"));
            String version = requiredScalar(requirement, "version");
            VersionRanges.Parsed parsed;
            try {
                parsed = VersionRanges.parse(version);
            } catch (IllegalArgumentException e) {
                throw invalid(requirement.get("version"), "bad version range '" + version + "': " + e.getMessage());
            }
            packages.add(new AffectedPackage(ecosystem, requiredScalar(requirement, "package"), parsed.ranges(), parsed.versions()));
        }
        return packages;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<Language> languages(Yaml.Mapping rule) throws RuleException {
        Yaml value = rule.get("languages");
        if (!(value instanceof Yaml.Sequence list) || list.items().isEmpty()) {
            throw invalid(value == null ? rule : value, "missing 'languages' (a list such as [python])");
        }
        List<Language> languages = new ArrayList<>();
        for (Yaml item : list.items()) {
            String name = item instanceof Yaml.Scalar s ? s.value() : "";
            Language language = Language.byName(name).orElse(null);
            if (language == null) {
                throw unsupported(item, "language '" + name + "'");
            }
            if (language.parsed() && !language.hasGrammar()) {
                throw unsupported(item, "language '" + name + "': no grammar (this build could not compile it; it needs npm"
                        + " and a C compiler, see engine/grammars)");
            }
            languages.add(language);
        }
        return languages;
    }

    private static PathFilter paths(Yaml.Mapping rule) throws RuleException {
        if (!(rule.get("paths") instanceof Yaml.Mapping paths)) {
            return PathFilter.ALL;
        }
        return new PathFilter(stringList(paths.get("include")), stringList(paths.get("exclude")));
    }

    private static List<String> stringList(Yaml value) throws RuleException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Yaml.Scalar s) {
            return List.of(s.value());
        }
        if (!(value instanceof Yaml.Sequence sequence)) {
            throw invalid(value, "expected a string or a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Yaml item : sequence.items()) {
            if (!(item instanceof Yaml.Scalar s)) {
                throw invalid(item, "expected a string");
            }
            out.add(s.value());
        }
        return out;
    }

    /** The sources, sanitizers, sinks and propagators of a {@code mode: taint} rule, with its taint options. */
    private Formula taintFormula(Yaml.Mapping rule, Language language) throws RuleException {
        for (String key : FORMULA_KEYS) {
            if (rule.get(key) != null) {
                throw invalid(rule.get(key), "a taint rule takes pattern-sources and pattern-sinks, not '" + key + "'");
            }
        }
        List<String> labels = new ArrayList<>(List.of(TaintSpec.DEFAULT_LABEL));
        List<TaintSpec.Source> sources = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-sources", true)) {
            Formula formula = specFormula(item, "pattern-sources", Set.of("label", "requires", "exact", "by-side-effect", "control"), language);
            if (flag(item, "control")) {
                throw unsupported(item.get("control"), "taint source option 'control: true' (Semgrep Pro)");
            }
            String label = optionalScalar(item, "label", TaintSpec.DEFAULT_LABEL);
            sources.add(new TaintSpec.Source(formula, labelBit(item, label, labels), requires(item, labels),
                    flag(item, "exact"), sideEffect(item, TaintSpec.SideEffect.NO)));
        }
        List<TaintSpec.Sanitizer> sanitizers = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-sanitizers", false)) {
            Formula formula = specFormula(item, "pattern-sanitizers", Set.of("exact", "by-side-effect", "not_conflicting"), language);
            TaintSpec.SideEffect sideEffect = sideEffect(item, TaintSpec.SideEffect.NO);
            if (sideEffect == TaintSpec.SideEffect.ONLY) {
                throw unsupported(item.get("by-side-effect"), "sanitizer option 'by-side-effect: only'");
            }
            sanitizers.add(new TaintSpec.Sanitizer(formula, flag(item, "exact"), sideEffect == TaintSpec.SideEffect.YES,
                    flag(item, "not_conflicting")));
        }
        List<TaintSpec.Sink> sinks = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-sinks", true)) {
            Formula formula = specFormula(item, "pattern-sinks", Set.of("requires", "exact", "at-exit"), language);
            if (flag(item, "at-exit")) {
                throw unsupported(item.get("at-exit"), "taint sink option 'at-exit: true' (Semgrep Pro)");
            }
            if (item.get("requires") instanceof Yaml.Sequence) {
                throw unsupported(item.get("requires"), "taint sink 'requires' per metavariable");
            }
            String exact = optionalScalar(item, "exact", "true");
            sinks.add(new TaintSpec.Sink(formula, requires(item, labels), !exact.equals("false")));
        }
        List<TaintSpec.Propagator> propagators = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-propagators", false)) {
            Formula formula = specFormula(item, "pattern-propagators",
                    Set.of("from", "to", "by-side-effect", "label", "requires", "replace-labels"), language);
            if (item.get("replace-labels") != null) {
                throw unsupported(item.get("replace-labels"), "taint propagator option 'replace-labels'");
            }
            String label = optionalScalar(item, "label", null);
            propagators.add(new TaintSpec.Propagator(formula, requiredScalar(item, "from"), requiredScalar(item, "to"),
                    sideEffect(item, TaintSpec.SideEffect.YES) != TaintSpec.SideEffect.NO,
                    label == null ? -1 : labelBit(item, label, labels), requires(item, labels)));
        }
        return new Formula.Taint(new TaintSpec(sources, sanitizers, sinks, propagators, taintOptions(rule), labels));
    }

    private static List<Yaml.Mapping> specItems(Yaml.Mapping rule, String key, boolean required) throws RuleException {
        Yaml value = rule.get(key);
        if (value == null) {
            if (required) {
                throw invalid(rule, "a taint rule needs '" + key + "'");
            }
            return List.of();
        }
        List<Yaml.Mapping> items = new ArrayList<>();
        for (Yaml item : sequence(value, key)) {
            if (!(item instanceof Yaml.Mapping mapping)) {
                throw invalid(item, "each entry of '" + key + "' must be a mapping such as 'pattern: ...'");
            }
            items.add(mapping);
        }
        if (required && items.isEmpty()) {
            throw invalid(value, "'" + key + "' must not be empty");
        }
        return items;
    }

    /** The one formula of a source, sanitizer, sink or propagator entry; its other keys must be known options. */
    private Formula specFormula(Yaml.Mapping item, String where, Set<String> options, Language language) throws RuleException {
        List<String> formulaKeys = new ArrayList<>();
        for (String key : item.entries().keySet()) {
            if (FORMULA_KEYS.contains(key)) {
                formulaKeys.add(key);
            } else if (!options.contains(key)) {
                checkSupported(key, item.get(key));
                throw unsupported(item.get(key), "option '" + key + "' in " + where);
            }
        }
        if (formulaKeys.size() != 1) {
            throw invalid(item, "each entry of '" + where + "' needs exactly one of " + String.join(", ", FORMULA_KEYS));
        }
        return formula(formulaKeys.get(0), item.get(formulaKeys.get(0)), language);
    }

    private static boolean flag(Yaml.Mapping item, String key) throws RuleException {
        String value = optionalScalar(item, key, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid(item.get(key), "'" + key + "' must be true or false");
        }
        return value.equals("true");
    }

    private static TaintSpec.SideEffect sideEffect(Yaml.Mapping item, TaintSpec.SideEffect fallback) throws RuleException {
        String value = optionalScalar(item, "by-side-effect", null);
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "true" -> TaintSpec.SideEffect.YES;
            case "false" -> TaintSpec.SideEffect.NO;
            case "only" -> TaintSpec.SideEffect.ONLY;
            default -> throw invalid(item.get("by-side-effect"), "'by-side-effect' must be true, false or only");
        };
    }

    private static int labelBit(Yaml.Mapping item, String label, List<String> labels) throws RuleException {
        try {
            return LabelConditionParser.bit(label, labels);
        } catch (IllegalArgumentException e) {
            throw unsupported(item.get("label"), e.getMessage());
        }
    }

    private static TaintSpec.LabelCondition requires(Yaml.Mapping item, List<String> labels) throws RuleException {
        String text = optionalScalar(item, "requires", null);
        if (text == null) {
            return null;
        }
        try {
            return LabelConditionParser.parse(text, labels);
        } catch (IllegalArgumentException e) {
            throw invalid(item.get("requires"), "bad 'requires' formula '" + text + "': " + e.getMessage());
        }
    }

    /** The rule options that change taint analysis; the ones it cannot honour make the rule unsupported. */
    private static TaintSpec.Options taintOptions(Yaml.Mapping rule) throws RuleException {
        if (!(rule.get("options") instanceof Yaml.Mapping options)) {
            return TaintSpec.Options.DEFAULTS;
        }
        for (String unsupported : List.of("taint_unify_mvars", "taint_assume_safe_comparisons")) {
            if (flag(options, unsupported)) {
                throw unsupported(options.get(unsupported), "rule option '" + unsupported + "'");
            }
        }
        if (options.get("taint_focus_on") != null && !"sink".equals(optionalScalar(options, "taint_focus_on", "sink"))) {
            throw unsupported(options.get("taint_focus_on"), "rule option 'taint_focus_on: source' (Semgrep Pro)");
        }
        return new TaintSpec.Options(flag(options, "taint_assume_safe_indexes"), flag(options, "taint_assume_safe_functions"),
                flag(options, "taint_only_propagate_through_assignments"), flag(options, "taint_assume_safe_booleans"),
                flag(options, "taint_assume_safe_numbers"));
    }

    private Formula topFormula(Yaml.Mapping rule, Language language) throws RuleException {
        List<String> present = Stream.of("pattern", "patterns", "pattern-either", "pattern-regex")
                .filter(k -> rule.get(k) != null).toList();
        if (present.size() != 1) {
            throw invalid(rule, present.isEmpty()
                    ? "needs one of pattern, patterns, pattern-either or pattern-regex"
                    : "has more than one of " + String.join(", ", present) + "; combine them under 'patterns'");
        }
        return formula(present.get(0), rule.get(present.get(0)), language);
    }

    /** The formula an operator key and its value stand for. */
    private Formula formula(String key, Yaml value, Language language) throws RuleException {
        return switch (key) {
            case "pattern" -> code(value, language);
            case "pattern-regex" -> new Formula.Regex(regex(value, true));
            case "pattern-either" -> {
                List<Formula> alternatives = new ArrayList<>();
                for (Yaml item : sequence(value, key)) {
                    alternatives.add(nested(item, language));
                }
                yield new Formula.Either(alternatives);
            }
            case "patterns" -> all(sequence(value, key), language);
            default -> throw invalid(value, "unknown operator '" + key + "'");
        };
    }

    /** A formula given as a one-key mapping ({@code - pattern: ...}) or, where allowed, as bare pattern text. */
    private Formula nested(Yaml item, Language language) throws RuleException {
        if (item instanceof Yaml.Scalar) {
            return code(item, language);
        }
        if (!(item instanceof Yaml.Mapping mapping) || mapping.entries().size() != 1) {
            throw invalid(item, "expected one operator such as 'pattern: ...'");
        }
        Map.Entry<String, Yaml> entry = mapping.entries().entrySet().iterator().next();
        checkSupported(entry.getKey(), entry.getValue());
        return formula(entry.getKey(), entry.getValue(), language);
    }

    private static void checkSupported(String key, Yaml where) throws RuleException {
        if (UNSUPPORTED_OPERATORS.contains(key) || key.startsWith("r2c-internal") && !key.equals(DEPENDS_ON) || key.startsWith("semgrep-internal")) {
            throw unsupported(where, key);
        }
    }

    private Formula all(List<Yaml> items, Language language) throws RuleException {
        List<Formula.Term> terms = new ArrayList<>();
        List<Formula.Condition> conditions = new ArrayList<>();
        List<List<String>> focus = new ArrayList<>();
        for (Yaml item : items) {
            if (!(item instanceof Yaml.Mapping mapping) || mapping.entries().size() != 1) {
                throw invalid(item, "each entry under 'patterns' must have exactly one operator");
            }
            Map.Entry<String, Yaml> entry = mapping.entries().entrySet().iterator().next();
            String key = entry.getKey();
            Yaml value = entry.getValue();
            checkSupported(key, value);
            switch (key) {
                case "pattern-either" -> terms.add(insideAlternativesOnly(value)
                        ? new Formula.Inside(new Formula.Either(insideAlternatives(value, language)))
                        : new Formula.Positive(formula(key, value, language)));
                case "pattern", "patterns", "pattern-regex" ->
                        terms.add(new Formula.Positive(formula(key, value, language)));
                case "pattern-inside" -> terms.add(new Formula.Inside(nested(value, language)));
                case "pattern-not" -> terms.add(new Formula.Not(nested(value, language)));
                case "pattern-not-inside" -> terms.add(new Formula.NotInside(nested(value, language)));
                case "pattern-not-regex" -> terms.add(new Formula.NotRegex(new Formula.Regex(regex(value, true))));
                case "metavariable-regex", "metavariable-pattern", "metavariable-comparison", "metavariable-type" ->
                        conditions.add(condition(key, value, language));
                case "focus-metavariable" -> focus.add(stringList(value));
                default -> throw invalid(value, "unknown operator '" + key + "' under 'patterns'");
            }
        }
        if (terms.isEmpty() && conditions.isEmpty()) {
            throw invalid(items.isEmpty() ? null : items.get(0), "'patterns' needs at least one pattern");
        }
        return new Formula.All(terms, conditions, focus);
    }

    /** A {@code pattern-either} with {@code pattern-inside} alternatives constrains like an inside-term. */
    private static boolean insideAlternativesOnly(Yaml value) {
        return value instanceof Yaml.Sequence sequence && sequence.items().stream()
                .anyMatch(i -> i instanceof Yaml.Mapping m && m.entries().size() == 1 && m.get("pattern-inside") != null);
    }

    private List<Formula> insideAlternatives(Yaml value, Language language) throws RuleException {
        List<Formula> alternatives = new ArrayList<>();
        for (Yaml item : ((Yaml.Sequence) value).items()) {
            Yaml inside = item instanceof Yaml.Mapping m ? m.get("pattern-inside") : null;
            alternatives.add(inside != null ? nested(inside, language) : nested(item, language));
        }
        return alternatives;
    }

    private Formula.Condition condition(String key, Yaml value, Language language) throws RuleException {
        if (!(value instanceof Yaml.Mapping mapping)) {
            throw invalid(value, key + " expects a mapping");
        }
        String metavariable = optionalScalar(mapping, "metavariable", null);
        if (key.equals("metavariable-comparison")) {
            String expression = requiredScalar(mapping, "comparison");
            boolean strip = Boolean.parseBoolean(optionalScalar(mapping, "strip", "false"));
            int base;
            try {
                base = Integer.parseInt(optionalScalar(mapping, "base", "10"));
            } catch (NumberFormatException e) {
                throw invalid(mapping.get("base"), "'base' must be a number");
            }
            try {
                return new Formula.MetavariableComparison(metavariable,
                        Comparison.parse(expression, new Comparison.Options(metavariable, strip, base)));
            } catch (IllegalArgumentException e) {
                throw invalid(mapping.get("comparison"), "bad comparison: " + e.getMessage());
            }
        }
        if (metavariable == null) {
            throw invalid(value, key + " needs 'metavariable'");
        }
        if (key.equals("metavariable-type")) {
            if (!language.parsed()) {
                throw unsupported(value, "metavariable-type in a " + language.id() + " rule (text has no types)");
            }
            List<String> types = new ArrayList<>(stringList(mapping.get("types")));
            types.addAll(stringList(mapping.get("type")));
            if (types.isEmpty()) {
                throw invalid(value, "metavariable-type needs 'type' or 'types'");
            }
            return new Formula.MetavariableType(metavariable, types);
        }
        if (key.equals("metavariable-regex")) {
            if (mapping.get("constant-propagation") != null) {
                throw unsupported(mapping.get("constant-propagation"), "constant-propagation");
            }
            return new Formula.MetavariableRegex(metavariable, regex(mapping.get("regex"), false));
        }
        Language target = language;
        String languageName = optionalScalar(mapping, "language", null);
        if (languageName != null) {
            target = Language.byName(languageName)
                    .orElseThrow(() -> unsupported(mapping.get("language"), "metavariable-pattern language '" + languageName + "'"));
        }
        List<String> operators = mapping.entries().keySet().stream()
                .filter(k -> !k.equals("metavariable") && !k.equals("language")).toList();
        if (operators.size() != 1) {
            throw invalid(value, "metavariable-pattern needs exactly one of pattern, patterns, pattern-either, pattern-regex");
        }
        checkSupported(operators.get(0), mapping.get(operators.get(0)));
        Formula formula = formula(operators.get(0), mapping.get(operators.get(0)), target);
        return new Formula.MetavariablePattern(metavariable, formula, languageName == null ? null : target);
    }

    private Formula code(Yaml value, Language language) throws RuleException {
        if (!(value instanceof Yaml.Scalar scalar)) {
            throw invalid(value, "a pattern must be a string");
        }
        String text = checkedLength(scalar);
        if (language == Language.REGEX) {
            return new Formula.Regex(regex(value, true)); // in a regex rule every pattern is a regex, as in Semgrep
        }
        if (language == Language.GENERIC) {
            if (generic.unsupported() != null) {
                throw unsupported(generic.where(), generic.unsupported());
            }
            try {
                return new Formula.Generic(GenericPattern.parse(text).withEllipsisMaxSpan(generic.ellipsisMaxSpan()));
            } catch (PatternException e) {
                throw invalid(value, "generic pattern " + e.getMessage());
            }
        }
        try {
            return new Formula.Code(compiler.compile(text, language));
        } catch (PatternException e) {
            if (language == Language.JAVASCRIPT && parsesAsTypeScript(text)) {
                // Semgrep reads JavaScript and TypeScript patterns alike; one with TypeScript-only
                // syntax (type annotations) cannot match JavaScript code, so it matches nothing here.
                return new Formula.Either(List.of());
            }
            throw invalid(value, "pattern " + e.getMessage());
        }
    }

    private boolean parsesAsTypeScript(String pattern) {
        try {
            compiler.compile(pattern, Language.TYPESCRIPT);
            return true;
        } catch (PatternException e) {
            return false;
        }
    }

    private static Pattern regex(Yaml value, boolean multiline) throws RuleException {
        if (!(value instanceof Yaml.Scalar scalar)) {
            throw invalid(value, "a regex must be a string");
        }
        checkedLength(scalar);
        try {
            return Pattern.compile(scalar.value(), multiline ? Pattern.MULTILINE : 0);
        } catch (PatternSyntaxException e) {
            String text = scalar.value();
            if (text.contains("(?=") || text.contains("(?!") || text.contains("(?<=") || text.contains("(?<!")
                    || text.matches("(?s).*\\\\[1-9].*")) {
                throw unsupported(value, "regex lookaround or backreference (regexes run on RE2): " + text);
            }
            throw invalid(value, "bad regex: " + e.getMessage());
        }
    }

    private static String checkedLength(Yaml.Scalar pattern) throws RuleException {
        if (pattern.value().length() > MAX_PATTERN_CHARS) {
            throw invalid(pattern, "a pattern of " + pattern.value().length() + " characters, over the limit of " + MAX_PATTERN_CHARS);
        }
        return pattern.value();
    }

    private static List<Yaml> sequence(Yaml value, String key) throws RuleException {
        if (!(value instanceof Yaml.Sequence sequence)) {
            throw invalid(value, "'" + key + "' expects a list");
        }
        return sequence.items();
    }

    private static String requiredScalar(Yaml.Mapping mapping, String key) throws RuleException {
        Yaml value = mapping.get(key);
        if (!(value instanceof Yaml.Scalar scalar) || scalar.value().isBlank()) {
            throw invalid(value == null ? mapping : value, "missing '" + key + "'");
        }
        return scalar.value();
    }

    private static String optionalScalar(Yaml.Mapping mapping, String key, String fallback) throws RuleException {
        Yaml value = mapping.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Yaml.Scalar scalar)) {
            throw invalid(value, "'" + key + "' must be a single value");
        }
        return scalar.value();
    }

    private static RuleException invalid(Yaml where, String reason) {
        return new RuleException(RuleProblem.Kind.INVALID, where == null ? 0 : where.line(), reason);
    }

    private static RuleException unsupported(Yaml where, String feature) {
        return new RuleException(RuleProblem.Kind.UNSUPPORTED, where == null ? 0 : where.line(), feature);
    }

    private static final class RuleException extends Exception {
        final RuleProblem.Kind kind;
        final int line;

        RuleException(RuleProblem.Kind kind, int line, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.line = line;
        }
    }
}
