package dev.freshet.engine.rules;

import static dev.freshet.engine.rules.RuleException.invalid;
import static dev.freshet.engine.rules.RuleException.unsupported;


import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.deps.version.VersionRanges;
import dev.freshet.engine.generic.GenericPattern;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.parse.Language;
import dev.freshet.engine.regex.RegexSyntaxException;
import dev.freshet.engine.regex.RuleRegex;
import dev.freshet.engine.rules.RuleDefinition.Options;
import dev.freshet.engine.rules.RuleDefinition.Readable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a Semgrep-format rule document once into {@link RuleDefinition}s. Whatever can be known
 * without compiling is checked here: the document's shape, operators, options and their values,
 * regexes, comparisons and taint labels. Each rule's first problem becomes its
 * {@link RuleDefinition.Unreadable} body; the rules around it are read on.
 */
public final class RuleReader {
    /**
     * Limits on one rule, far above real rules (the Semgrep registry's largest has about 500 YAML
     * values and a 10,000-character regex): compiling is not budgeted, so its input is.
     */
    public static final int MAX_RULE_VALUES = 5_000;
    public static final int MAX_PATTERN_CHARS = 32 * 1024;
    private static final Set<String> UNSUPPORTED_OPERATORS = Set.of(
            "metavariable-name", "pattern-where-python",
            "semgrep-internal-pattern-anywhere");
    private static final List<String> FORMULA_KEYS = List.of("pattern", "patterns", "pattern-either", "pattern-regex");
    private static final String DEPENDS_ON = "r2c-internal-project-depends-on";

    /** A rule document as read: its rules, and the problems of the document and of entries that are no rule (no id). */
    public record RuleFile(List<RuleDefinition> rules, List<RuleProblem> problems) {
        public RuleFile {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private final Path file;

    private RuleReader(Path file) {
        this.file = file;
    }

    /** Reads a rule document; problems name {@code file}. */
    public static RuleFile read(Path file, String text) {
        Yaml document;
        try {
            document = Yaml.parse(text);
        } catch (YamlInput.LimitExceeded e) {
            return broken(file, e.line(), "refused: " + e.getMessage());
        } catch (YamlEngineException e) {
            int line = e instanceof MarkedYamlEngineException marked ? marked.getProblemMark().map(m -> m.getLine() + 1).orElse(0) : 0;
            return broken(file, line, "not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(document instanceof Yaml.Mapping top) || !(top.get("rules") instanceof Yaml.Sequence list)) {
            return broken(file, document == null ? 0 : document.line(), "expected a top-level 'rules:' list");
        }
        RuleReader reader = new RuleReader(file);
        List<RuleDefinition> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        for (Yaml item : list.items()) {
            String id = item instanceof Yaml.Mapping m && m.get("id") instanceof Yaml.Scalar s ? s.value() : null;
            RuleDefinition.Body body;
            try {
                body = reader.body(item);
            } catch (RuleException e) {
                body = new RuleDefinition.Unreadable(new RuleProblem(file, id, e.line, e.kind, e.getMessage()));
            }
            if (id != null && !id.isBlank()) {
                rules.add(definition(id, (Yaml.Mapping) item, body));
            } else {
                problems.add(((RuleDefinition.Unreadable) body).problem()); // a body is only read with an id
            }
        }
        return new RuleFile(rules, problems);
    }

    private static RuleFile broken(Path file, int line, String reason) {
        return new RuleFile(List.of(), List.of(new RuleProblem(file, null, line, RuleProblem.Kind.INVALID, reason)));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    /** What a rule says about itself, read leniently: governance reads it even when the body is broken. */
    private static RuleDefinition definition(String id, Yaml.Mapping rule, RuleDefinition.Body body) {
        Map<String, Object> metadata = rule.get("metadata") instanceof Yaml.Mapping m ? castMap(Yaml.plain(m)) : Map.of();
        Optional<String> category = Optional.ofNullable(metadata.get("category")).filter(String.class::isInstance)
                .map(c -> ((String) c).strip().toLowerCase(Locale.ROOT));
        return new RuleDefinition(id, category, metadata, lenientScalar(rule, "min-version"), lenientScalar(rule, "max-version"),
                rule.line(), hash(rule), body);
    }

    /** The hash of everything the rule says, written as JSON so that no two definitions share a text. */
    private static String hash(Yaml.Mapping rule) {
        return Sha256.hex(PlainJson.bytes(Yaml.plain(rule)));
    }

    private static Optional<String> lenientScalar(Yaml.Mapping rule, String key) {
        return rule.get(key) instanceof Yaml.Scalar s ? Optional.of(s.value()) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private Readable body(Yaml item) throws RuleException {
        if (!(item instanceof Yaml.Mapping rule)) {
            throw invalid(item, "each rule must be a mapping with id, message, severity, languages and patterns");
        }
        int values = Yaml.count(rule);
        if (values > MAX_RULE_VALUES) {
            throw invalid(rule, "the rule has " + values + " YAML values, over the limit of " + MAX_RULE_VALUES + "; split it");
        }
        requiredScalar(rule, "id");
        String mode = optionalScalar(rule, "mode", "search");
        boolean taint = mode.equals("taint");
        if (!mode.equals("search") && !taint) {
            throw unsupported(rule.get("mode"), mode + " mode");
        }
        if (rule.get("join") != null || rule.get("extract") != null) {
            throw unsupported(rule, "join/extract rules");
        }
        String message = requiredScalar(rule, "message");
        String severityText = requiredScalar(rule, "severity");
        Severity severity = Severity.parse(severityText)
                .orElseThrow(() -> invalid(rule.get("severity"), "unknown severity '" + severityText + "'"));
        List<AffectedPackage> dependsOn = dependsOn(rule);
        boolean hasPatterns = taint || rule.get("match") != null || FORMULA_KEYS.stream().anyMatch(k -> rule.get(k) != null);
        // A dependency rule without patterns is about versions alone and needs no language.
        List<Language> languages = dependsOn.isEmpty() || hasPatterns || rule.get("languages") != null ? languages(rule) : List.of();
        if (taint && languages.stream().anyMatch(l -> !l.parsed())) {
            throw unsupported(rule.get("mode"), "mode: taint in a generic or regex rule");
        }
        if (taint && languages.contains(Language.CLOJURE)) {
            // Semgrep reads Clojure as raw forms (Parse_clojure_tree_sitter), which carry no data flow.
            throw unsupported(rule.get("mode"), "mode: taint in Clojure (read as raw forms, with no data flow)");
        }
        Options options = options(rule);
        RuleDefinition.Matching matching = taint ? new RuleDefinition.Taint(taint(rule))
                : hasPatterns || dependsOn.isEmpty() ? new RuleDefinition.Search(topFormula(rule))
                : new RuleDefinition.VersionsOnly();
        return new Readable(message.strip(), severity, languages, matching, paths(rule), autofix(rule), dependsOn, options);
    }

    /** The options that change how patterns compile: {@code symbolic_propagation} and the {@code generic_*} ones. */
    private static Options options(Yaml.Mapping rule) throws RuleException {
        if (!(rule.get("options") instanceof Yaml.Mapping options)) {
            return new Options(false, GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN, Optional.empty());
        }
        int span = GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN;
        Optional<RuleDefinition.Unsupported> unsupported = Optional.empty();
        for (Map.Entry<String, Yaml> option : options.entries().entrySet()) {
            String key = option.getKey();
            if (!key.startsWith("generic_")) {
                continue;
            }
            String value = optionalScalar(options, key, "");
            if (key.equals("generic_ellipsis_max_span")) {
                span = wholeNumber(value);
                if (span < 0) {
                    throw invalid(option.getValue(), "'generic_ellipsis_max_span' must be a whole number of lines, not '" + value + "'");
                }
            } else if (!(key.equals("generic_engine") && value.equals("spacegrep")) && unsupported.isEmpty()) {
                // Comment styles, aliengrep and its options change what generic patterns mean; not done here.
                unsupported = Optional.of(new RuleDefinition.Unsupported("rule option '" + key + ": " + value + "'",
                        option.getValue().line()));
            }
        }
        return new Options(flag(options, "symbolic_propagation"), span, unsupported);
    }

    /** The number, or -1 when the text is not a whole number. */
    private static int wholeNumber(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
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
        RuleRegex regex = compile(regex(mapping.get("regex")), false);
        if (!(mapping.get("replacement") instanceof Yaml.Scalar replacement)) {
            throw invalid(mapping.get("replacement") == null ? mapping : mapping.get("replacement"),
                    "'fix-regex' needs 'replacement' (a string; \\1 names the first group)");
        }
        String countText = optionalScalar(mapping, "count", "0");
        int count = wholeNumber(countText);
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

    private static List<Language> languages(Yaml.Mapping rule) throws RuleException {
        Yaml value = rule.get("languages");
        if (!(value instanceof Yaml.Sequence list) || list.items().isEmpty()) {
            throw invalid(value == null ? rule : value, "missing 'languages' (a list such as [python])");
        }
        List<Language> languages = new ArrayList<>();
        for (Yaml item : list.items()) {
            String name = item instanceof Yaml.Scalar s ? s.value() : "";
            Language language = Language.byName(name).orElseThrow(() -> unsupported(item, "language '" + name + "'"));
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
    private TaintSpec<Operator> taint(Yaml.Mapping rule) throws RuleException {
        for (String key : FORMULA_KEYS) {
            if (rule.get(key) != null) {
                throw invalid(rule.get(key), "a taint rule takes pattern-sources and pattern-sinks, not '" + key + "'");
            }
        }
        List<String> labels = new ArrayList<>(List.of(TaintSpec.DEFAULT_LABEL));
        List<TaintSpec.Source<Operator>> sources = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-sources", true)) {
            Operator formula = specFormula(item, "pattern-sources", Set.of("label", "requires", "exact", "by-side-effect", "control"));
            if (flag(item, "control")) {
                throw unsupported(item.get("control"), "taint source option 'control: true' (Semgrep Pro)");
            }
            String label = optionalScalar(item, "label", TaintSpec.DEFAULT_LABEL);
            sources.add(new TaintSpec.Source<>(formula, labelBit(item, label, labels), requires(item, labels),
                    flag(item, "exact"), sideEffect(item, TaintSpec.SideEffect.NO)));
        }
        List<TaintSpec.Sanitizer<Operator>> sanitizers = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-sanitizers", false)) {
            Operator formula = specFormula(item, "pattern-sanitizers", Set.of("exact", "by-side-effect", "not_conflicting"));
            TaintSpec.SideEffect sideEffect = sideEffect(item, TaintSpec.SideEffect.NO);
            if (sideEffect == TaintSpec.SideEffect.ONLY) {
                throw unsupported(item.get("by-side-effect"), "sanitizer option 'by-side-effect: only'");
            }
            sanitizers.add(new TaintSpec.Sanitizer<>(formula, flag(item, "exact"), sideEffect == TaintSpec.SideEffect.YES,
                    flag(item, "not_conflicting")));
        }
        List<TaintSpec.Sink<Operator>> sinks = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-sinks", true)) {
            Operator formula = specFormula(item, "pattern-sinks", Set.of("requires", "exact", "at-exit"));
            if (flag(item, "at-exit")) {
                throw unsupported(item.get("at-exit"), "taint sink option 'at-exit: true' (Semgrep Pro)");
            }
            if (item.get("requires") instanceof Yaml.Sequence) {
                throw unsupported(item.get("requires"), "taint sink 'requires' per metavariable");
            }
            String exact = optionalScalar(item, "exact", "true");
            sinks.add(new TaintSpec.Sink<>(formula, requires(item, labels), !exact.equals("false")));
        }
        List<TaintSpec.Propagator<Operator>> propagators = new ArrayList<>();
        for (Yaml.Mapping item : specItems(rule, "pattern-propagators", false)) {
            Operator formula = specFormula(item, "pattern-propagators",
                    Set.of("from", "to", "by-side-effect", "label", "requires", "replace-labels"));
            if (item.get("replace-labels") != null) {
                throw unsupported(item.get("replace-labels"), "taint propagator option 'replace-labels'");
            }
            String label = optionalScalar(item, "label", null);
            propagators.add(new TaintSpec.Propagator<>(formula, requiredScalar(item, "from"), requiredScalar(item, "to"),
                    sideEffect(item, TaintSpec.SideEffect.YES) != TaintSpec.SideEffect.NO,
                    label == null ? -1 : labelBit(item, label, labels), requires(item, labels)));
        }
        return new TaintSpec<>(sources, sanitizers, sinks, propagators, taintOptions(rule), labels);
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
    private Operator specFormula(Yaml.Mapping item, String where, Set<String> options) throws RuleException {
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
        return formula(formulaKeys.get(0), item.get(formulaKeys.get(0)));
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

    private Operator topFormula(Yaml.Mapping rule) throws RuleException {
        List<String> present = Stream.concat(FORMULA_KEYS.stream(), Stream.of("match")).filter(k -> rule.get(k) != null).toList();
        if (present.equals(List.of("match"))) {
            return matchFormula(rule.get("match"));
        }
        if (present.size() != 1) {
            throw invalid(rule, present.isEmpty()
                    ? "needs one of pattern, patterns, pattern-either or pattern-regex"
                    : "has more than one of " + String.join(", ", present) + "; combine them under 'patterns'");
        }
        return formula(present.get(0), rule.get(present.get(0)));
    }

    /**
     * A formula of Semgrep's syntax v2 ({@code match:}; {@code Parse_rule_formula.parse_formula}), read into the
     * operators the classic keys build: {@code all} is {@code patterns}, {@code any} is {@code pattern-either},
     * {@code not} and {@code inside} are the negative and inside terms, {@code where} adds conditions and focus.
     */
    private Operator matchFormula(Yaml value) throws RuleException {
        return switch (matchTerm(value)) {
            case Operator.Match match -> match.formula();
            // Alone, inside matches where its formula does (evaluate_formula_kind keeps the ranges).
            case Operator.Inside inside -> inside.formula();
            default -> throw invalid(value, "'not' only negates an entry of 'all'");
        };
    }

    private Operator.Clause matchTerm(Yaml value) throws RuleException {
        if (value instanceof Yaml.Scalar) {
            return new Operator.Match(pattern(value));
        }
        if (!(value instanceof Yaml.Mapping mapping)) {
            throw invalid(value, "expected a pattern or one of pattern, all, any, regex, not, inside");
        }
        for (String feature : List.of("taint", "anywhere", "as", "fix")) {
            if (mapping.get(feature) != null) {
                throw unsupported(mapping.get(feature), "match: " + feature);
            }
        }
        List<String> keys = mapping.entries().keySet().stream().filter(k -> !k.equals("where")).toList();
        if (keys.size() != 1) {
            throw invalid(mapping, "expected exactly one of pattern, all, any, regex, not, inside");
        }
        Yaml body = mapping.get(keys.get(0));
        Operator.Clause term = switch (keys.get(0)) {
            case "pattern" -> new Operator.Match(pattern(body));
            case "regex" -> new Operator.Match(regex(body));
            case "inside" -> new Operator.Inside(matchFormula(body));
            case "not" -> switch (matchTerm(body)) {
                case Operator.Inside inside -> new Operator.NotInside(inside.formula());
                case Operator.Match(Operator.Regex regex) -> new Operator.NotRegex(regex);
                case Operator.Match match -> new Operator.Not(match.formula());
                default -> throw invalid(body, "'not' takes a pattern, or an 'inside'");
            };
            case "any" -> {
                List<Operator> alternatives = new ArrayList<>();
                for (Yaml item : sequence(body, "any")) {
                    alternatives.add(matchFormula(item));
                }
                yield new Operator.Match(new Operator.Either(alternatives, body.line()));
            }
            case "all" -> {
                List<Operator.Clause> clauses = new ArrayList<>();
                for (Yaml item : sequence(body, "all")) {
                    clauses.add(matchTerm(item));
                }
                if (clauses.stream().noneMatch(c -> c instanceof Operator.Match || c instanceof Operator.Inside)) {
                    throw invalid(body, "'all' needs at least one positive entry");
                }
                yield new Operator.Match(new Operator.All(clauses, body.line()));
            }
            default -> throw invalid(body, "unexpected key '" + keys.get(0) + "'");
        };
        Yaml where = mapping.get("where");
        return where == null ? term : constrained(term, where);
    }

    /** {@code where}: its conditions and focus join the formula's (Semgrep's constrain_where). */
    private Operator.Clause constrained(Operator.Clause term, Yaml where) throws RuleException {
        if (!(term instanceof Operator.Match(Operator formula))) {
            throw invalid(where, "'where' constrains a pattern, 'all' or 'any', not 'not' or 'inside'");
        }
        List<Operator.Clause> clauses = new ArrayList<>();
        if (formula instanceof Operator.All all) {
            clauses.addAll(all.clauses());
        } else {
            clauses.add(term);
        }
        for (Yaml item : sequence(where, "where")) {
            clauses.add(whereConstraint(item));
        }
        return new Operator.Match(new Operator.All(clauses, where.line()));
    }

    /**
     * One {@code where} entry, told apart by its keys as Semgrep's find_constraint does: comparison, focus,
     * analyzer, type(s), else {@code metavariable} with a formula (a lone regex is a metavariable-regex with
     * constant propagation, anything else a metavariable-pattern).
     */
    private Operator.Clause whereConstraint(Yaml item) throws RuleException {
        if (!(item instanceof Yaml.Mapping mapping)) {
            throw invalid(item, "a 'where' entry is a mapping such as {metavariable: $X, regex: ...}");
        }
        if (mapping.get("comparison") != null) {
            return condition("metavariable-comparison", mapping);
        }
        if (mapping.get("focus") != null) {
            return new Operator.Focus(stringList(mapping.get("focus")));
        }
        if (mapping.get("analyzer") != null) {
            return condition("metavariable-analysis", mapping);
        }
        if (mapping.get("type") != null || mapping.get("types") != null) {
            return condition("metavariable-type", mapping);
        }
        String metavariable = requiredScalar(mapping, "metavariable");
        Map<String, Yaml> rest = new java.util.LinkedHashMap<>(mapping.entries());
        rest.remove("metavariable");
        Yaml language = rest.remove("language");
        Operator formula = matchFormula(new Yaml.Mapping(rest, mapping.line()));
        if (formula instanceof Operator.Regex regex && language == null) {
            return new Operator.MetavariableRegex(metavariable, regex, true, mapping.line());
        }
        Optional<Language> parsedLanguage = Optional.empty();
        if (language != null) {
            String name = language instanceof Yaml.Scalar scalar ? scalar.value() : "";
            parsedLanguage = Optional.of(Language.byName(name)
                    .orElseThrow(() -> unsupported(language, "metavariable-pattern language '" + name + "'")));
        }
        return new Operator.MetavariablePattern(metavariable, parsedLanguage, formula, mapping.line());
    }

    /** The formula an operator key and its value stand for. */
    private Operator formula(String key, Yaml value) throws RuleException {
        return switch (key) {
            case "pattern" -> pattern(value);
            case "pattern-regex" -> regex(value);
            case "pattern-either" -> {
                List<Operator> alternatives = new ArrayList<>();
                for (Yaml item : sequence(value, key)) {
                    alternatives.add(nested(item));
                }
                yield new Operator.Either(alternatives, value.line());
            }
            case "patterns" -> all(sequence(value, key), value.line());
            // An alternative may be a pattern-inside (Semgrep's R.Inside): its ranges, kept as inside-ranges,
            // as a "patterns" holding only it gives them.
            case "pattern-inside" -> new Operator.All(List.of(new Operator.Inside(nested(value))), value.line());
            default -> throw invalid(value, "unknown operator '" + key + "'");
        };
    }

    /** A formula given as a one-key mapping ({@code - pattern: ...}) or, where allowed, as bare pattern text. */
    private Operator nested(Yaml item) throws RuleException {
        if (item instanceof Yaml.Scalar) {
            return pattern(item);
        }
        if (!(item instanceof Yaml.Mapping mapping) || mapping.entries().size() != 1) {
            throw invalid(item, "expected one operator such as 'pattern: ...'");
        }
        Map.Entry<String, Yaml> entry = mapping.entries().entrySet().iterator().next();
        checkSupported(entry.getKey(), entry.getValue());
        return formula(entry.getKey(), entry.getValue());
    }

    private static void checkSupported(String key, Yaml where) throws RuleException {
        if (UNSUPPORTED_OPERATORS.contains(key) || key.startsWith("r2c-internal") && !key.equals(DEPENDS_ON) || key.startsWith("semgrep-internal")) {
            throw unsupported(where, key);
        }
    }

    private Operator all(List<Yaml> items, int line) throws RuleException {
        List<Operator.Clause> clauses = new ArrayList<>();
        boolean matchesOrFilters = false;
        for (Yaml item : items) {
            if (!(item instanceof Yaml.Mapping mapping) || mapping.entries().size() != 1) {
                throw invalid(item, "each entry under 'patterns' must have exactly one operator");
            }
            Map.Entry<String, Yaml> entry = mapping.entries().entrySet().iterator().next();
            String key = entry.getKey();
            Yaml value = entry.getValue();
            checkSupported(key, value);
            Operator.Clause clause = switch (key) {
                case "pattern-either" -> insideAlternativesOnly(value)
                        ? new Operator.Inside(new Operator.Either(insideAlternatives(value), value.line()))
                        : new Operator.Match(formula(key, value));
                case "pattern", "patterns", "pattern-regex" -> new Operator.Match(formula(key, value));
                case "pattern-inside" -> new Operator.Inside(nested(value));
                case "pattern-not" -> new Operator.Not(nested(value));
                case "pattern-not-inside" -> new Operator.NotInside(nested(value));
                case "pattern-not-regex" -> new Operator.NotRegex(regex(value));
                case "metavariable-regex", "metavariable-pattern", "metavariable-comparison", "metavariable-type",
                     "metavariable-analysis" ->
                        condition(key, value);
                case "focus-metavariable" -> new Operator.Focus(stringList(value));
                default -> throw invalid(value, "unknown operator '" + key + "' under 'patterns'");
            };
            matchesOrFilters |= !(clause instanceof Operator.Focus);
            clauses.add(clause);
        }
        if (!matchesOrFilters) {
            throw invalid(items.isEmpty() ? null : items.get(0), "'patterns' needs at least one pattern");
        }
        return new Operator.All(clauses, line);
    }

    /** A {@code pattern-either} with {@code pattern-inside} alternatives constrains like an inside-term. */
    private static boolean insideAlternativesOnly(Yaml value) {
        return value instanceof Yaml.Sequence sequence && sequence.items().stream()
                .anyMatch(i -> i instanceof Yaml.Mapping m && m.entries().size() == 1 && m.get("pattern-inside") != null);
    }

    private List<Operator> insideAlternatives(Yaml value) throws RuleException {
        List<Operator> alternatives = new ArrayList<>();
        for (Yaml item : ((Yaml.Sequence) value).items()) {
            Yaml inside = item instanceof Yaml.Mapping m ? m.get("pattern-inside") : null;
            alternatives.add(nested(inside != null ? inside : item));
        }
        return alternatives;
    }

    private Operator.Condition condition(String key, Yaml value) throws RuleException {
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
                return new Operator.MetavariableComparison(metavariable,
                        Comparison.parse(expression, new Comparison.Options(metavariable, strip, base)), value.line());
            } catch (IllegalArgumentException e) {
                throw invalid(mapping.get("comparison"), "bad comparison: " + e.getMessage());
            }
        }
        if (metavariable == null) {
            throw invalid(value, key + " needs 'metavariable'");
        }
        if (key.equals("metavariable-analysis")) {
            return analysis(mapping, metavariable);
        }
        if (key.equals("metavariable-type")) {
            List<String> types = new ArrayList<>(stringList(mapping.get("types")));
            types.addAll(stringList(mapping.get("type")));
            if (types.isEmpty()) {
                throw invalid(value, "metavariable-type needs 'type' or 'types'");
            }
            return new Operator.MetavariableType(metavariable, types, value.line());
        }
        if (key.equals("metavariable-regex")) {
            boolean constants = Boolean.parseBoolean(optionalScalar(mapping, "constant-propagation", "false"));
            return new Operator.MetavariableRegex(metavariable, regex(mapping.get("regex")), constants, value.line());
        }
        String languageName = optionalScalar(mapping, "language", null);
        Optional<Language> language = Optional.empty();
        if (languageName != null) {
            language = Optional.of(Language.byName(languageName)
                    .orElseThrow(() -> unsupported(mapping.get("language"), "metavariable-pattern language '" + languageName + "'")));
        }
        List<String> operators = mapping.entries().keySet().stream()
                .filter(k -> !k.equals("metavariable") && !k.equals("language")).toList();
        if (operators.size() != 1) {
            throw invalid(value, "metavariable-pattern needs exactly one of pattern, patterns, pattern-either, pattern-regex");
        }
        checkSupported(operators.get(0), mapping.get(operators.get(0)));
        return new Operator.MetavariablePattern(metavariable, language, formula(operators.get(0), mapping.get(operators.get(0))),
                value.line());
    }

    /**
     * Semgrep's analyzers ({@code Parse_rule_formula.parse_analyzer}): {@code entropy} runs; {@code redos} rests on
     * Semgrep's own regex parser and heuristics and {@code entropy_v2} is proprietary, so both are unsupported.
     */
    private static Operator.Condition analysis(Yaml.Mapping mapping, String metavariable) throws RuleException {
        String analyzer = requiredScalar(mapping, "analyzer");
        Yaml options = mapping.get("options");
        for (String key : mapping.entries().keySet()) {
            if (!Set.of("analyzer", "metavariable", "options").contains(key)) {
                throw invalid(mapping.get(key), "unexpected key '" + key + "' in metavariable-analysis");
            }
        }
        return switch (analyzer) {
            case "entropy" -> {
                if (options instanceof Yaml.Mapping m && !m.entries().isEmpty()) {
                    throw invalid(options, "the entropy analyzer takes no options");
                }
                yield new Operator.MetavariableEntropy(metavariable, mapping.line());
            }
            case "redos", "entropy_v2" -> throw unsupported(mapping.get("analyzer"), "metavariable-analysis " + analyzer);
            default -> throw invalid(mapping.get("analyzer"), "unknown analyzer '" + analyzer + "' (Semgrep has entropy, entropy_v2, redos)");
        };
    }

    private static Operator.Pattern pattern(Yaml value) throws RuleException {
        if (!(value instanceof Yaml.Scalar scalar)) {
            throw invalid(value, "a pattern must be a string");
        }
        return new Operator.Pattern(checkedLength(scalar), scalar.line());
    }

    /** A regex operator; it is compiled here once to report a bad one where it is written. */
    private static Operator.Regex regex(Yaml value) throws RuleException {
        if (!(value instanceof Yaml.Scalar scalar)) {
            throw invalid(value, "a regex must be a string");
        }
        Operator.Regex regex = new Operator.Regex(checkedLength(scalar), scalar.line());
        compile(regex, true);
        return regex;
    }

    /** The regex as Semgrep reads it (PCRE2); what cannot run here is unsupported, anything else invalid. */
    static RuleRegex compile(Operator.Regex regex, boolean multiline) throws RuleException {
        try {
            return RuleRegex.compile(regex.regex(), multiline);
        } catch (RegexSyntaxException e) {
            throw e.unsupported() ? unsupported(regex.line(), e.getMessage()) : invalid(regex.line(), "bad regex: " + e.getMessage());
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
}
