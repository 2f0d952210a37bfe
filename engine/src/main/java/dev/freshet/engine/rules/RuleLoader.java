package dev.freshet.engine.rules;

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
import java.util.stream.Stream;

/**
 * Loads Semgrep-format rule files: {@link RuleReader} reads each into typed {@link RuleDefinition}s,
 * which are compiled here into {@link Rule}s, their formulas once per file language. Each broken or
 * unsupported rule yields one {@link RuleProblem} and is skipped; the rules around it still load.
 */
public final class RuleLoader {
    private static final long MAX_RULE_FILE_BYTES = 8L * 1024 * 1024;

    private final PatternCompiler compiler;

    public RuleLoader(PatternCompiler compiler) {
        this.compiler = compiler;
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

    /** Reads and compiles one rule document; problems name {@code file}. */
    public RuleSet parse(Path file, String text) {
        return compile(file, RuleReader.read(file, text));
    }

    /** Compiles the rules of a document read before. */
    public RuleSet compile(Path file, RuleReader.RuleFile read) {
        List<Rule> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>(read.problems());
        for (RuleDefinition definition : read.rules()) {
            switch (definition.body()) {
                case RuleDefinition.Unreadable(RuleProblem problem) -> problems.add(problem);
                case RuleDefinition.Readable body -> {
                    try {
                        rules.add(compile(file, definition, body));
                    } catch (RuleException e) {
                        problems.add(new RuleProblem(file, definition.id(), e.line, e.kind, e.getMessage()));
                    }
                }
            }
        }
        return new RuleSet(rules, problems);
    }

    private static RuleSet broken(Path file, int line, String reason) {
        return new RuleSet(List.of(), List.of(new RuleProblem(file, null, line, RuleProblem.Kind.INVALID, reason)));
    }

    private Rule compile(Path file, RuleDefinition definition, RuleDefinition.Readable body) throws RuleException {
        PatternCompiler patterns = body.options().symbolicPropagation() ? compiler.withSymbolicPropagation() : compiler;
        Map<Language, Formula> formulas = new EnumMap<>(Language.class);
        for (Language language : body.languages()) {
            for (Language fileLanguage : Language.values()) {
                if (language.covers(fileLanguage)) {
                    FormulaCompilation compilation = new FormulaCompilation(patterns, body.options(), fileLanguage);
                    switch (body.matching()) {
                        case RuleDefinition.Search search -> formulas.put(fileLanguage, compilation.formula(search.formula()));
                        case RuleDefinition.Taint taint -> formulas.put(fileLanguage, new Formula.Taint(taint.spec().map(compilation::formula)));
                        case RuleDefinition.VersionsOnly versionsOnly -> {
                        }
                    }
                }
            }
        }
        Map<Language, Prefilter> prefilters = new EnumMap<>(Language.class);
        formulas.forEach((language, formula) -> prefilters.put(language, Prefilter.of(formula)));
        return new Rule(definition.id(), body.message(), body.severity(), body.languages(), formulas, prefilters, definition.metadata(),
                body.paths(), file, definition.line(), body.dependsOn(), body.fix(),
                definition.hash());
    }

    /** Compiles a rule's formulas for one file language. */
    private record FormulaCompilation(PatternCompiler compiler, RuleDefinition.Options options, Language language) {
        Formula formula(Operator operator) throws RuleException {
            return switch (operator) {
                case Operator.Pattern pattern -> code(pattern);
                case Operator.Regex regex -> new Formula.Regex(RuleReader.compile(regex, true));
                case Operator.Either either -> {
                    List<Formula> alternatives = new ArrayList<>();
                    for (Operator alternative : either.alternatives()) {
                        alternatives.add(formula(alternative));
                    }
                    yield new Formula.Either(alternatives);
                }
                case Operator.All all -> all(all);
            };
        }

        private Formula all(Operator.All all) throws RuleException {
            List<Formula.Term> terms = new ArrayList<>();
            List<Formula.Condition> conditions = new ArrayList<>();
            List<List<String>> focus = new ArrayList<>();
            for (Operator.Clause clause : all.clauses()) {
                switch (clause) {
                    case Operator.Match match -> terms.add(new Formula.Positive(formula(match.formula())));
                    case Operator.Inside inside -> terms.add(new Formula.Inside(formula(inside.formula())));
                    case Operator.Not not -> terms.add(new Formula.Not(formula(not.formula())));
                    case Operator.NotInside notInside -> terms.add(new Formula.NotInside(formula(notInside.formula())));
                    case Operator.NotRegex notRegex -> terms.add(new Formula.NotRegex(new Formula.Regex(RuleReader.compile(notRegex.regex(), true))));
                    case Operator.Focus f -> focus.add(f.metavariables());
                    case Operator.Condition condition -> conditions.add(condition(condition));
                }
            }
            return new Formula.All(terms, conditions, focus);
        }

        private Formula.Condition condition(Operator.Condition condition) throws RuleException {
            return switch (condition) {
                case Operator.MetavariableEntropy e -> new Formula.MetavariableEntropy(e.metavariable());
                case Operator.MetavariableComparison c -> new Formula.MetavariableComparison(c.metavariable(), c.comparison());
                case Operator.MetavariableRegex r -> new Formula.MetavariableRegex(r.metavariable(), RuleReader.compile(r.regex(), false),
                        r.constantPropagation());
                case Operator.MetavariableType t -> {
                    if (!language.parsed()) {
                        throw RuleException.unsupported(t.line(), "metavariable-type in a " + language.id() + " rule (text has no types)");
                    }
                    yield new Formula.MetavariableType(t.metavariable(), t.types());
                }
                case Operator.MetavariablePattern p -> new Formula.MetavariablePattern(p.metavariable(),
                        new FormulaCompilation(compiler, options, p.language().orElse(language)).formula(p.formula()),
                        p.language().orElse(null));
            };
        }

        private Formula code(Operator.Pattern pattern) throws RuleException {
            String text = pattern.text();
            if (language == Language.REGEX) {
                // In a regex rule every pattern is a regex, as in Semgrep.
                return new Formula.Regex(RuleReader.compile(new Operator.Regex(text, pattern.line()), true));
            }
            if (language == Language.GENERIC) {
                if (options.unsupportedGeneric().isPresent()) {
                    RuleDefinition.Unsupported unsupported = options.unsupportedGeneric().get();
                    throw RuleException.unsupported(unsupported.line(), unsupported.feature());
                }
                try {
                    return new Formula.Generic(GenericPattern.parse(text).withEllipsisMaxSpan(options.ellipsisMaxSpan()));
                } catch (PatternException e) {
                    throw RuleException.invalid(pattern.line(), "generic pattern " + e.getMessage());
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
                throw RuleException.invalid(pattern.line(), "pattern " + e.getMessage());
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
    }
}
