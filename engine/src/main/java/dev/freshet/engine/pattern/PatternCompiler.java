package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import dev.freshet.engine.regex.RegexSyntaxException;
import dev.freshet.engine.regex.RuleRegex;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles pattern text into a {@link PatternNode} by parsing it with the target language's own
 * grammar, so that a pattern means what the same code means in a scanned file.
 */
public final class PatternCompiler {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String WRAPPER = "__fw__";
    private static final Pattern EMPTY_BRACKETS = Pattern.compile("[({\\[]\\s*[)}\\]]");
    private static final Pattern TEXT_METAVARIABLE = Pattern.compile("\\$[A-Z_][A-Z0-9_]*");
    private static final Pattern STRING_REGEX = Pattern.compile("=~/(.*)/([ims]*)", Pattern.DOTALL);

    private final SourceParser parser;
    private final boolean symbolicPropagation;

    public PatternCompiler(SourceParser parser) {
        this(parser, false);
    }

    private PatternCompiler(SourceParser parser, boolean symbolicPropagation) {
        this.parser = parser;
        this.symbolicPropagation = symbolicPropagation;
    }

    /** A compiler whose patterns match through variables defined once (Semgrep's {@code symbolic_propagation}). */
    public PatternCompiler withSymbolicPropagation() {
        return new PatternCompiler(parser, true);
    }

    public CompiledPattern compile(String pattern, Language language) throws PatternException {
        String source = pattern.stripIndent().strip();
        if (source.isEmpty()) {
            throw new PatternException("empty pattern");
        }
        if (language == Language.CLOJURE) {
            // Semgrep reads a Clojure pattern as forms, $X and ... among them as symbols: nothing to substitute.
            return compiled(pattern, language, ClojureSyntax.pattern(parser.parse(language, source)), List.of());
        }
        for (boolean keyedEntries : new boolean[] {false, true}) {
            String text = Placeholders.substitute(source, language, keyedEntries);
            if (language == Language.YAML || language == Language.JSON) {
                // A JSON entry is written as it sits among others, often with its comma.
                text = ellipsisLines(language == Language.JSON ? text.strip().replaceFirst(",$", "") : text);
            } else if (language == Language.HCL) {
                text = hclEllipsisEntries(text);
            } else if (language == Language.DOCKERFILE) {
                text = ELLIPSIS_LINE.matcher(text).replaceAll(ELLIPSIS_INSTRUCTION);
                text = dockerfileArguments(text);
                // In an exec form's JSON array an ellipsis is written as a string the grammar takes, read back by ShellSyntax.
                text = ELLIPSIS_ITEM.matcher(text).replaceAll("\"" + Placeholders.ELLIPSIS + "\"");
            }
            CompiledPattern compiled = compile(pattern, language, text);
            if (compiled == null && language == Language.DOCKERFILE) {
                // Some instructions (USER) take no word starting with "_": there a metavariable keeps its own
                // spelling, which the grammar reads as an expansion and ShellSyntax reads back. A pattern that
                // is no instruction at all is a shell command (Semgrep's Bash fallback).
                String spelled = text.replaceAll(Placeholders.METAVARIABLE + "([A-Z_][A-Z0-9_]*)", "\\$$1");
                compiled = compile(pattern, language, spelled, wrappings(language, spelled));
                if (compiled == null && !DOCKERFILE_INSTRUCTION.matcher(text).lookingAt()) {
                    compiled = compile(pattern, language, text, List.of(shellCommand()));
                }
            }
            if (compiled != null) {
                return compiled;
            }
        }
        if (language == Language.TYPESCRIPT) {
            // Semgrep reads TypeScript patterns with JSX allowed; such a pattern can only match .tsx files.
            for (boolean keyedEntries : new boolean[] {false, true}) {
                CompiledPattern compiled = compile(pattern, Language.TSX, Placeholders.substitute(source, Language.TSX, keyedEntries));
                if (compiled != null) {
                    return compiled;
                }
            }
        }
        CompiledPattern stringRegex = wholeStringRegex(pattern, language, source);
        if (stringRegex != null) {
            return stringRegex;
        }
        throw new PatternException("does not parse as " + language.id() + ": " + pattern.strip());
    }

    /**
     * A pattern that is one string literal holding Semgrep's string regex ({@code "=~/re/"}) is that regex
     * over every string literal, whatever the language: the regex's escapes ({@code \/}) need not be escapes
     * the language's own strings allow, so it is read without the grammar.
     */
    private CompiledPattern wholeStringRegex(String pattern, Language language, String source) throws PatternException {
        if (source.length() < 2 || source.charAt(0) != '"' || source.charAt(source.length() - 1) != '"'
                || source.indexOf('\n') >= 0) {
            return null;
        }
        java.util.regex.Matcher stringRegex = STRING_REGEX.matcher(source.substring(1, source.length() - 1));
        return stringRegex.matches() ? new CompiledPattern(pattern, language, stringRegex(stringRegex), Set.of(), symbolicPropagation) : null;
    }

    /** The string-regex pattern node of {@code "=~/re/flags"}: flags i, m and s as in Semgrep (and PCRE). */
    /** {@code "=~/re/flags"}: flags i, m and s as in Semgrep (and PCRE). */
    private static PatternNode stringRegex(java.util.regex.Matcher stringRegex) throws PatternException {
        String flags = stringRegex.group(2);
        String regex = (flags.isEmpty() ? "" : "(?" + flags + ")") + stringRegex.group(1);
        try {
            return new PatternNode.StringLiteral(null, null, RuleRegex.compile(regex, false));
        } catch (RegexSyntaxException e) {
            throw new PatternException("has a bad string regex " + regex + ": " + e.getMessage());
        }
    }

    private CompiledPattern compile(String pattern, Language language, String text) throws PatternException {
        return compile(pattern, language, text, wrappings(language, text));
    }

    private CompiledPattern compile(String pattern, Language language, String text, List<Wrapping> wrappings) throws PatternException {
        // A reading whose errors are lone placeholders comes first ("$A - $B" is an expression, not a
        // statement with "$A -" in error); only when there is none, the first with errors that start
        // with one. Each wrapping is parsed once for both.
        List<SyntaxNode> lenient = null;
        for (Wrapping wrapping : wrappings) {
            SyntaxTree tree = parser.parse(language, wrapping.prefix + text + wrapping.suffix);
            List<SyntaxNode> statements = wrapping.unwrap(tree.root());
            if (statements == null || statements.isEmpty() || tree.missingTokens() > 0) {
                continue;
            }
            if (!hasRealErrors(tree.root(), language, true)) {
                return fromReading(pattern, language, text, statements);
            }
            if (lenient == null && !hasRealErrors(tree.root(), language, false)) {
                lenient = statements;
            }
        }
        return lenient == null ? null : fromReading(pattern, language, text, lenient);
    }

    /** The pattern the statements of one reading of {@code text} make. */
    private CompiledPattern fromReading(String pattern, Language language, String text, List<SyntaxNode> statements)
            throws PatternException {
        PatternNode root;
        if (statements.size() == 1 && isTerminatedStatement(statements.get(0), text.strip(), language)) {
            // "foo(...);" with its semicolon is a statement pattern (Semgrep keeps a real
            // semicolon's statement): it matches statements holding such an expression, with
            // the statement's range, as one statement of a sequence does.
            root = new PatternNode.Sequence(List.of(convert(statements.get(0))));
        } else if (statements.size() == 1) {
            root = convert(unwrapStatement(statements.get(0), LanguageSyntax.of(language)));
        } else {
            List<PatternNode> converted = new ArrayList<>();
            for (SyntaxNode statement : statements) {
                converted.add(convert(statement));
            }
            root = new PatternNode.Sequence(converted);
        }
        if (language == Language.HCL) {
            root = HclSyntax.nestedBlocksDeep(root);
        } else if (language == Language.YAML || language == Language.JSON) {
            root = DataSyntax.normalize(root);
        } else if (language == Language.DOCKERFILE || language == Language.BASH) {
            root = ShellSyntax.word(ShellSyntax.normalize(root, language == Language.DOCKERFILE));
        }
        return compiled(pattern, language, root, statements);
    }

    private CompiledPattern compiled(String pattern, Language language, PatternNode root, List<SyntaxNode> statements) {
        Set<String> words = new LinkedHashSet<>();
        collectWords(root, words);
        // Keywords are no words a match must contain: Semgrep's AST has none, and its equivalences
        // match code that spells others (import 'm' matches require('m'), var matches const).
        statements.forEach(statement -> removeKeywords(statement, words));
        return new CompiledPattern(pattern, language, root, Set.copyOf(words), symbolicPropagation);
    }

    private record Wrapping(String prefix, String suffix, Unwrapper unwrapper) {
        List<SyntaxNode> unwrap(SyntaxNode root) {
            return unwrapper.unwrap(root);
        }
    }

    private interface Unwrapper {
        List<SyntaxNode> unwrap(SyntaxNode root);
    }

    /** Ways to embed a pattern so it parses: as written, as class members, inside a function body. */
    private static List<Wrapping> wrappings(Language language, String text) {
        Wrapping plain = new Wrapping("", "", SyntaxNode::children);
        Wrapping classMembers = new Wrapping("class " + WRAPPER + " {\n", "\n}", root -> {
            SyntaxNode body = onlyChild(root, "body");
            return body == null ? null : body.children();
        });
        return switch (language) {
            case PYTHON -> List.of(plain);
            case JAVA -> List.of(plain, classMembers, new Wrapping("class " + WRAPPER + " { Object " + WRAPPER + " = ", "; }",
                    root -> {
                        SyntaxNode field = onlyChild(root, "body");
                        SyntaxNode declarator = field == null || field.children().size() != 1 ? null
                                : field.children().get(0).children().stream()
                                        .filter(c -> c.kind().equals("variable_declarator")).findFirst().orElse(null);
                        SyntaxNode value = declarator == null ? null : declarator.children().stream()
                                .filter(c -> "value".equals(c.field())).findFirst().orElse(null);
                        return value == null ? null : List.of(value);
                    }));
            // Apex's grammar is a fork of Java's: declarations as a file holds them, else members of a class,
            // else statements of a method (Apex has no top-level statements).
            case APEX -> List.of(plain, classMembers, new Wrapping("class " + WRAPPER + " {\nvoid " + WRAPPER + "() {\n", "\n}\n}",
                    root -> {
                        SyntaxNode members = onlyChild(root, "body");
                        SyntaxNode method = members == null || members.children().size() != 1 ? null : members.children().get(0);
                        SyntaxNode body = method == null ? null : LanguageSyntax.field(method, "body");
                        return body == null ? null : body.children();
                    }));
            case JAVASCRIPT, TYPESCRIPT, TSX -> {
                Wrapping parenthesized = new Wrapping("(", ")", root -> {
                    if (root.children().size() != 1) {
                        return null;
                    }
                    SyntaxNode inner = unwrapStatement(root.children().get(0));
                    return Strings.isParenthesized(inner.kind()) && inner.children().size() == 1
                            ? inner.children() : List.of(inner);
                });
                // "key: value" is a property of an object (Semgrep's partial field), not a labeled statement.
                // A pattern in braces is an object literal ({...}), not a block statement, when it can be one.
                yield JS_KEYED.matcher(text).lookingAt() ? List.of(jsObjectProperties(), plain, classMembers, parenthesized)
                        : text.startsWith("{") ? List.of(parenthesized, plain, classMembers)
                        : List.of(plain, classMembers, parenthesized);
            }
            case GO -> text.startsWith("func ") || text.startsWith("type ") ? List.of(goTopLevel(), goFunctionBody())
                    // "Key: $V" is a field of a composite literal (Semgrep's partial field), not a label.
                    : GO_KEYED.matcher(text).lookingAt() ? List.of(goKeyedElements(), goFunctionBody(), goTopLevel())
                    : List.of(goFunctionBody(), goTopLevel());
            case YAML, JSON -> List.of(new Wrapping("", "", root -> dataContent(root, language, text)));
            // Blocks and attributes as a file holds them, else an expression (an attribute's value).
            case HCL -> List.of(new Wrapping("", "", PatternCompiler::hclBody), new Wrapping(WRAPPER + " = ", "", PatternCompiler::hclValue));
            // PHP code starts after its opening tag; an expression written without its semicolon is a statement too.
            // A method (with its visibility) is read as a class member.
            case PHP -> List.of(phpCode(""), phpCode(";"), new Wrapping("<?php\nclass " + WRAPPER + " {\n", "\n}", root -> {
                SyntaxNode declaration = root.children().stream().filter(c -> c.kind().equals("class_declaration")).findFirst().orElse(null);
                SyntaxNode body = declaration == null ? null : LanguageSyntax.field(declaration, "body");
                return body == null ? null : body.children();
            }));
            // Statements live only in function bodies; "f(x)" at the top would read as a declaration.
            // Written without its semicolon, "f(x)" would read as a macro-typed declaration there too.
            case C, CPP -> text.strip().endsWith(";") || text.strip().endsWith("}")
                    ? List.of(functionBody("void " + WRAPPER + "() {\n"), plain)
                    : List.of(functionBody("void " + WRAPPER + "() {\n", ";"), functionBody("void " + WRAPPER + "() {\n"), plain);
            case RUST -> List.of(plain, functionBody("fn " + WRAPPER + "() {\n"));
            // "k: v" and ":k => v" are a hash's (or arguments') pair, not a label or a rightward pattern match.
            case RUBY -> RUBY_PAIR.matcher(text).lookingAt() ? List.of(rubyPairs(), plain) : List.of(plain);
            // Statements and declarations as a file holds them, else members of a class, else an expression
            // (C# takes only calls, assignments and the like as statements).
            case CSHARP -> List.of(plain, classMembers, spanning("class " + WRAPPER + " { object " + WRAPPER + " = ", "; }"));
            // Statements live in functions, functions and state variables in contracts.
            // Statements live in functions, functions and state variables in contracts: a declaration's
            // keyword says where it is read first.
            case SOLIDITY -> {
                Wrapping members = functionBody("contract " + WRAPPER + " {\n");
                Wrapping statements = solidityFunctionBody(text.strip().endsWith(";") || text.strip().endsWith("}") ? "" : ";");
                yield SOLIDITY_TOP_LEVEL.matcher(text).lookingAt() ? List.of(plain, members, statements)
                        : SOLIDITY_MEMBER.matcher(text).lookingAt() ? List.of(members, plain, statements)
                        : List.of(statements, members, plain, solidityFunctionBody(""));
            }
            // Semgrep reads each of a Kotlin file's imports as a statement of its own, not their list.
            case KOTLIN -> List.of(new Wrapping("", "", root -> root.children().stream()
                    .flatMap(c -> c.kind().equals("import_list") ? c.children().stream() : java.util.stream.Stream.of(c)).toList()));
            // Instructions end with their line; a pattern that is no instruction is a shell command (Semgrep's Bash fallback).
            case DOCKERFILE -> List.of(new Wrapping("", "\n", PatternCompiler::dockerfileInstructions));
            case GENERIC, REGEX -> List.of(); // not parsed: generic patterns are GenericPattern, regex rules have none
            default -> List.of(plain);
        };
    }

    /**
     * A line that is only {@code ...} stands for any other entries of a mapping, or items of a
     * sequence; YAML has no such line, so it becomes an entry with an ellipsis key and value, which
     * {@link DataSyntax#normalize} reads back, as Semgrep's {@code preprocess_yaml} does. It is a
     * sequence's item ({@code - ...}) when written so or when the item beside it at its indentation
     * is one; else it is a mapping's entry.
     */
    private static String ellipsisLines(String text) {
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int indent = indentation(line);
            String rest = line.substring(indent);
            boolean dashed = rest.startsWith("- ");
            String item = dashed ? rest.substring(2).strip() : rest.strip();
            if (item.equals(Placeholders.ELLIPSIS)) {
                String prefix = dashed || besideItem(lines, i, indent) ? " ".repeat(indent) + "- " : " ".repeat(indent);
                line = prefix + Placeholders.ELLIPSIS + ": " + Placeholders.ELLIPSIS;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Whether the nearest other line at this indentation, after the ellipsis line or else before it, is a sequence's item. */
    private static boolean besideItem(List<String> lines, int at, int indent) {
        for (int step : new int[] {1, -1}) {
            for (int k = at + step; k >= 0 && k < lines.size(); k += step) {
                String line = lines.get(k);
                if (line.isBlank() || line.strip().equals(Placeholders.ELLIPSIS)) {
                    continue;
                }
                int other = indentation(line);
                if (other < indent) {
                    break;
                }
                if (other == indent) {
                    return line.startsWith("- ", other) || line.substring(other).equals("-");
                }
            }
        }
        return false;
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /**
     * The content of a YAML or JSON pattern, out of its stream and document. As in Semgrep's
     * {@code make_pattern_expr}, a YAML mapping of one entry is that entry and a sequence of one item
     * that item, so they match (and report) wherever they sit; so is a JSON entry written without braces.
     */
    private static List<SyntaxNode> dataContent(SyntaxNode root, Language language, String text) {
        if (root.children().size() != 1 || root.children().get(0).children().size() != 1) {
            return null;
        }
        SyntaxNode node = root.children().get(0).children().get(0);
        boolean yaml = language == Language.YAML;
        if (node.kind().equals("mapping") && node.children().size() == 1 && (yaml || !text.strip().startsWith("{"))
                || yaml && node.kind().equals("sequence") && node.children().size() == 1) {
            node = node.children().get(0);
        }
        return List.of(node);
    }

    private static final Pattern ELLIPSIS_LINE = Pattern.compile("(?m)^[ \\t]*" + Placeholders.ELLIPSIS + "[ \\t]*$");
    /** A Dockerfile has no instruction that is only "...": it is written as one the grammar reads, then read back. */
    private static final String ELLIPSIS_INSTRUCTION = "ARG " + Placeholders.ELLIPSIS;

    private static final Pattern DOCKERFILE_INSTRUCTION = Pattern.compile("\\s*(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|"
            + "ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)\\b", Pattern.CASE_INSENSITIVE);
    /** An ellipsis among the items of a JSON array: after "[" or a comma, before "]" or a comma. */
    private static final Pattern ELLIPSIS_ITEM = Pattern.compile("(?<=[\\[,]\\s{0,20})" + Placeholders.ELLIPSIS + "(?=\\s*[],])");

    private static final Pattern HEALTHCHECK_METAVARIABLE = Pattern.compile("(?im)^([ \\t]*HEALTHCHECK[ \\t]+)" + Placeholders.METAVARIABLE + "(\\w+)[ \\t]*$");
    private static final Pattern ENV_WITH_PAIRS = Pattern.compile("(?im)^[ \\t]*ENV[ \\t].*=.*$");
    private static final Pattern ELLIPSIS_WORD = Pattern.compile("(?<=\\s)" + Placeholders.ELLIPSIS + "(?=\\s|$)");

    /**
     * Pattern syntax the Dockerfile grammar has no place for, written as something it reads and
     * {@link ShellSyntax#normalize} reads back: HEALTHCHECK's argument as a metavariable (a command
     * carrying the name), an ellipsis among ENV's {@code key=value} pairs (a pair of ellipses).
     */
    private static String dockerfileArguments(String text) {
        String out = HEALTHCHECK_METAVARIABLE.matcher(text).replaceAll("$1CMD " + ShellSyntax.HEALTHCHECK_ARGUMENT + "$2");
        java.util.regex.Matcher env = ENV_WITH_PAIRS.matcher(out);
        StringBuilder rewritten = new StringBuilder();
        while (env.find()) {
            String pairs = ELLIPSIS_WORD.matcher(env.group()).replaceAll(Placeholders.ELLIPSIS + "=" + Placeholders.ELLIPSIS);
            env.appendReplacement(rewritten, java.util.regex.Matcher.quoteReplacement(pairs));
        }
        env.appendTail(rewritten);
        return rewritten.toString();
    }

    /** A shell command written as a Dockerfile pattern: the statements of a RUN instruction. */
    private static Wrapping shellCommand() {
        return new Wrapping("RUN ", "\n", root -> {
            List<SyntaxNode> instructions = root.children().stream().filter(SyntaxNode::named).toList();
            SyntaxNode run = instructions.size() == 1 ? instructions.get(0) : null;
            SyntaxNode shell = run == null ? null : run.children().stream().filter(c -> c.kind().equals("shell_command")).findFirst().orElse(null);
            return shell == null ? null : shell.children();
        });
    }

    /** A Dockerfile pattern's instructions, an {@link #ELLIPSIS_INSTRUCTION} as the ellipsis it stands for. */
    private static List<SyntaxNode> dockerfileInstructions(SyntaxNode root) {
        return root.children().stream().filter(SyntaxNode::named)
                .map(instruction -> instruction.text().strip().equals(ELLIPSIS_INSTRUCTION) ? instruction.children().get(1) : instruction)
                .toList();
    }

    /** The items of an HCL pattern's body: its attributes and blocks. */
    private static List<SyntaxNode> hclBody(SyntaxNode root) {
        return root.children().size() == 1 && root.children().get(0).kind().equals("body") ? root.children().get(0).children() : null;
    }

    /**
     * The value of the wrapper attribute, out of the single-child wrappers the HCL grammar puts
     * around a term ({@code expression}, {@code variable_expr}...): {@code resource} is the name,
     * found wherever it is written, as Semgrep's identifier pattern is.
     */
    private static List<SyntaxNode> hclValue(SyntaxNode root) {
        List<SyntaxNode> items = hclBody(root);
        if (items == null || items.size() != 1 || !items.get(0).kind().equals("attribute")) {
            return null;
        }
        SyntaxNode value = LanguageSyntax.field(items.get(0), "val");
        value = value != null ? value : items.get(0).children().get(items.get(0).children().size() - 1);
        while (value.children().size() == 1 && !Strings.isString(value.kind())) {
            value = value.children().get(0);
        }
        return List.of(value);
    }

    /**
     * An ellipsis standing for fields of an HCL body or object ({@code { ... }}, {@code {... a = 1 ...}}):
     * HCL has no such item, so it becomes an attribute of ellipses, which {@link #convert} reads back,
     * set apart from its neighbours as the container wants (a newline in a block body, a comma in an
     * object). An ellipsis as a value, among list items or arguments is an expression and stays.
     */
    private static String hclEllipsisEntries(String text) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        // 'b' a block body, 'o' an object, else the bracket itself.
        java.util.ArrayDeque<Character> open = new java.util.ArrayDeque<>();
        String ellipsis = Placeholders.ELLIPSIS;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '"' && text.charAt(end) != '\n') {
                    end += text.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, text.length());
                out.append(text, i, end);
                i = end;
                continue;
            }
            char container = open.isEmpty() ? 'b' : open.peek();
            char before = lastNonBlank(out);
            if (text.startsWith(ellipsis, i) && (container == 'b' || container == 'o') && "=:?".indexOf(before) < 0) {
                String separator = container == 'b' ? "\n" : ", ";
                char after = nextNonBlank(text, i + ellipsis.length());
                out.append("{,\n".indexOf(before) < 0 ? separator : "").append(ellipsis).append(" = ").append(ellipsis)
                        .append("},\n".indexOf(after) < 0 ? separator : "");
                i += ellipsis.length();
                continue;
            }
            if (c == '{') {
                // An object is a value; a block's body follows its type and labels.
                open.push("=(,[:?".indexOf(before) >= 0 || open.isEmpty() && out.toString().isBlank() ? 'o' : 'b');
            } else if (c == '[' || c == '(') {
                open.push(c);
            } else if ((c == '}' || c == ']' || c == ')') && !open.isEmpty()) {
                open.pop();
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The last character written that is not a space or tab, a newline at the start. */
    private static char lastNonBlank(CharSequence text) {
        for (int k = text.length() - 1; k >= 0; k--) {
            if (text.charAt(k) != ' ' && text.charAt(k) != '\t') {
                return text.charAt(k);
            }
        }
        return '\n';
    }

    /** The next character from {@code from} that is not a space or tab, a newline at the end. */
    private static char nextNonBlank(String text, int from) {
        for (int k = from; k < text.length(); k++) {
            if (text.charAt(k) != ' ' && text.charAt(k) != '\t') {
                return text.charAt(k);
            }
        }
        return '\n';
    }

    /**
     * The pattern between a prefix and a suffix that make it parse: the outermost node that spans
     * exactly the pattern's text, or else the nodes that together do, side by side in one parent. The suffix
     * ends with a token, so the file ends where the suffix does.
     */
    private static Wrapping spanning(String prefix, String suffix) {
        return new Wrapping(prefix, suffix, root -> {
            int start = prefix.length();
            int end = root.end() - suffix.length();
            SyntaxNode node = root;
            while (true) {
                SyntaxNode inside = null;
                for (SyntaxNode child : node.children()) {
                    if (child.start() <= start && child.end() >= end) {
                        inside = child;
                    }
                }
                if (inside == null) {
                    List<SyntaxNode> parts = node.children().stream().filter(c -> c.start() >= start && c.end() <= end).toList();
                    return parts.isEmpty() || parts.get(0).start() != start || parts.get(parts.size() - 1).end() != end ? null : parts;
                }
                if (inside.start() == start && inside.end() == end) {
                    return List.of(inside);
                }
                node = inside;
            }
        });
    }

    private static Wrapping phpCode(String terminator) {
        return new Wrapping("<?php\n", terminator, root -> root.children().stream().filter(c -> !c.kind().equals("php_tag")).toList());
    }

    private static final Pattern SOLIDITY_TOP_LEVEL = Pattern.compile("\\s*(abstract\\s+contract|contract|interface|library|pragma|import)\\b");
    private static final Pattern SOLIDITY_MEMBER = Pattern.compile("\\s*(function|constructor|modifier|event|error|fallback|receive)\\b");

    private static Wrapping solidityFunctionBody(String terminator) {
        return new Wrapping("contract " + WRAPPER + " {\nfunction " + WRAPPER + "() public {\n", terminator + "\n}\n}", root -> {
            SyntaxNode contract = onlyChild(root, "body");
            SyntaxNode function = contract == null || contract.children().size() != 1 ? null : contract.children().get(0);
            SyntaxNode body = function == null ? null : LanguageSyntax.field(function, "body");
            return body == null ? null : body.children();
        });
    }

    private static Wrapping functionBody(String header) {
        return functionBody(header, "");
    }

    private static Wrapping functionBody(String header, String terminator) {
        return new Wrapping(header, terminator + "\n}", root -> {
            SyntaxNode body = onlyChild(root, "body");
            return body == null ? null : body.children();
        });
    }

    private static final Pattern JS_KEYED = Pattern.compile("(\"[^\"\\n]*\"|'[^'\\n]*'|[A-Za-z_$][\\w$]*)\\s*:(?!:)");

    private static Wrapping jsObjectProperties() {
        return new Wrapping("({\n", "\n})", root -> {
            List<SyntaxNode> statements = root.children();
            SyntaxNode inner = statements.size() == 1 ? unwrapStatement(statements.get(0)) : null;
            SyntaxNode object = inner != null && Strings.isParenthesized(inner.kind()) && inner.children().size() == 1
                    ? inner.children().get(0) : null;
            if (object == null || !object.kind().equals("object")) {
                return null;
            }
            return object.children().stream().allMatch(c -> c.kind().equals("pair")) ? object.children() : null;
        });
    }

    private static final Pattern RUBY_PAIR = Pattern.compile("\\s*(:\\w+\\s*=>|\\w+:\\s)");

    private static Wrapping rubyPairs() {
        return new Wrapping(WRAPPER + "(\n", "\n)", root -> {
            SyntaxNode call = root.children().size() == 1 ? root.children().get(0) : null;
            SyntaxNode arguments = call == null ? null : LanguageSyntax.field(call, "arguments");
            return arguments != null && arguments.children().stream().allMatch(c -> c.kind().equals("pair")) ? arguments.children() : null;
        });
    }

    private static Wrapping goFunctionBody() {
        return new Wrapping("package " + WRAPPER + "\nfunc " + WRAPPER + "() {\n", "\n}", root -> {
            SyntaxNode body = onlyChild(root, "body");
            if (body == null) {
                return null;
            }
            List<SyntaxNode> inside = body.children().stream().filter(SyntaxNode::named).toList();
            return inside.size() == 1 && inside.get(0).kind().equals("statement_list") ? inside.get(0).children() : inside;
        });
    }

    private static final Pattern GO_KEYED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\s*:(?!=)");

    private static Wrapping goKeyedElements() {
        return new Wrapping("package " + WRAPPER + "\nvar _ = " + WRAPPER + "{\n", "\n}", root -> {
            List<SyntaxNode> literal = root.children().stream().filter(c -> c.kind().equals("var_declaration"))
                    .flatMap(d -> d.children().stream()).filter(c -> c.kind().equals("var_spec"))
                    .flatMap(v -> v.children().stream()).filter(c -> "value".equals(c.field()))
                    .flatMap(v -> v.children().stream()).filter(c -> c.kind().equals("composite_literal"))
                    .flatMap(c -> c.children().stream()).filter(c -> "body".equals(c.field())).toList();
            if (literal.size() != 1) {
                return null;
            }
            List<SyntaxNode> elements = literal.get(0).children().stream().filter(SyntaxNode::named).toList();
            return elements.stream().allMatch(e -> e.kind().equals("keyed_element")) ? elements : null;
        });
    }

    private static Wrapping goTopLevel() {
        return new Wrapping("package " + WRAPPER + "\n", "", root -> root.children().stream()
                .filter(c -> !c.kind().equals("package_clause")).toList());
    }

    /** The field {@code field} of the root's single declaration, e.g. the wrapper class's body. */
    private static SyntaxNode onlyChild(SyntaxNode root, String field) {
        List<SyntaxNode> declarations = root.children().stream().filter(c -> !c.kind().equals("package_clause")).toList();
        if (declarations.size() != 1) {
            return null;
        }
        return declarations.get(0).children().stream().filter(c -> field.equals(c.field())).findFirst().orElse(null);
    }

    /** Parse errors count unless they only wrap a placeholder the grammar had no slot for. */
    private static boolean hasRealErrors(SyntaxNode node, Language language, boolean strict) {
        if (strict && node.named() && node.isLeaf() && node.start() == node.end() && node.parent() != null) {
            // A token the parser made up (tree-sitter's MISSING): "$X = e" is no field of an unnamed variable.
            return true;
        }
        if (node.isError() && strict) {
            // Only a placeholder alone, perhaps with its separator (not in Python, as below).
            String name = language == Language.PYTHON ? node.text().strip() : node.text().strip().replaceAll("[:;,]$", "");
            return !(isPlaceholderText(name) && (name.chars().allMatch(Character::isJavaIdentifierPart) || Placeholders.isEllipsis(name)));
        }
        if (node.isError()) {
            // A placeholder the parser could not place is harmless, but only when the error is that
            // placeholder alone: "$M.find(((" starts with one and is still broken. Ellipsis entries
            // ("... : ...") are excused too, except in Python: there "{..., $X: $A}" reads as a set
            // with "$X:" in error, when it is a dictionary whose ellipses need writing as entries.
            String text = node.text().strip();
            boolean oneWord = !text.isEmpty() && text.chars().allMatch(Character::isJavaIdentifierPart);
            return !(oneWord ? isPlaceholderText(text) : language != Language.PYTHON && Placeholders.isEllipsis(text));
        }
        for (SyntaxNode child : node.children()) {
            if (hasRealErrors(child, language, strict)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPlaceholderText(String text) {
        String t = text.strip();
        return Placeholders.isEllipsis(t) || Placeholders.metavariable(t) != null
                || Placeholders.metavariableEllipsis(t) != null || Placeholders.typedMetavariable(t) != null;
    }

    /** An expression statement written with its semicolon, in a language where the semicolon is real. */
    private static boolean isTerminatedStatement(SyntaxNode statement, String source, Language language) {
        boolean semicolons = language == Language.JAVA || language == Language.APEX || language == Language.JAVASCRIPT
                || language == Language.TYPESCRIPT || language == Language.TSX || language == Language.SOLIDITY;
        // Solidity's statement wraps its expression statement.
        SyntaxNode inner = language == Language.SOLIDITY && statement.kind().equals("statement") && statement.children().size() == 1
                ? statement.children().get(0) : statement;
        return semicolons && inner.kind().equals("expression_statement") && source.endsWith(";") && !Placeholders.isEllipsis(source);
    }

    /** A lone expression statement stands for its expression, so it matches inside larger code. */
    private static SyntaxNode unwrapStatement(SyntaxNode statement) {
        return unwrapStatement(statement, LanguageSyntax.TableOnly.STRUCTURAL);
    }

    private static SyntaxNode unwrapStatement(SyntaxNode statement, LanguageSyntax syntax) {
        SyntaxNode node = statement;
        while (syntax.isExpressionStatement(node.kind()) && node.children().size() == 1) {
            node = node.children().get(0);
        }
        return node;
    }

    private PatternNode convert(SyntaxNode node) throws PatternException {
        SyntaxNode importSpec = soleImportSpec(node);
        if (importSpec != null) {
            // Semgrep reads each Go import spec as a statement of its own: import "p" is that spec,
            // wherever it sits (alone or in a parenthesized group).
            return convert(importSpec);
        }
        if (Strings.isParenthesized(node.kind()) && node.children().size() == 1) {
            // Semgrep's AST drops grouping parentheses: "'...' % (...)" takes any right operand, not only a parenthesized one.
            return convert(node.children().get(0));
        }
        String text = node.text().strip();
        if (Placeholders.isEllipsis(text) || isEllipsisEntry(node)) {
            return new PatternNode.Ellipsis();
        }
        String unterminated = withoutTerminator(text);
        if (unterminated.startsWith("$") && unterminated.substring(1).chars().allMatch(Character::isJavaIdentifierPart)
                && isPlaceholderText(unterminated.substring(1))) {
            // A metavariable written as a PHP variable ($X): the sigil is the variable's, the name the metavariable's.
            return placeholder(unterminated.substring(1));
        }
        SyntaxNode only = soleLeaf(node);
        // A Solidity modifier written as $M stays one: Semgrep's modifier never matches a keyword such as public.
        if (only != null && isPlaceholderText(only.text()) && withoutTerminator(text).equals(only.text().strip())
                && !node.kind().equals("modifier_invocation")) {
            return placeholder(only.text().strip());
        }
        if (Strings.isString(node.kind()) && node.children().stream().anyMatch(c -> Strings.isInterpolation(c.kind()))
                || Strings.isInterpolatedString(node.kind())) {
            PatternNode.StringLiteral anyString = PhpSyntax.wholeStringMetavariable(node);
            return anyString != null ? anyString : interpolatedString(node);
        }
        if (Strings.isString(node.kind())) {
            String content = Strings.content(node);
            if (content.equals("...") && isFormatString(node)) {
                // f"..." stands for any f-string that interpolates something, not for any string.
                return new PatternNode.Node(node.kind(), List.of(new PatternNode.Ellipsis(),
                        new PatternNode.Node("interpolation", List.of(new PatternNode.Ellipsis())), new PatternNode.Ellipsis()));
            }
            if (content.equals("...") && node.kind().equals("template_string")) {
                // `...` is a template of any parts, interpolated or not: "..." among a template's parts
                // stands for any run of them (Semgrep's m_arguments_concat), unlike a plain "...".
                return new PatternNode.Node(node.kind(), List.of(new PatternNode.Ellipsis()));
            }
            if (content.equals("...")) {
                return new PatternNode.StringLiteral(null, null, null);
            }
            if (content.matches("\\$[A-Z_][A-Z0-9_]*")) {
                return new PatternNode.StringLiteral(null, content, null);
            }
            java.util.regex.Matcher stringRegex = STRING_REGEX.matcher(content);
            if (stringRegex.matches()) {
                return stringRegex(stringRegex);
            }
            return new PatternNode.StringLiteral(content, null, null);
        }
        List<SyntaxNode> children = node.children();
        if (children.isEmpty() && node.named() && EMPTY_BRACKETS.matcher(node.text()).matches()) {
            // An empty block or list ({}, ()): its brackets are not children, and its layout does not matter.
            return new PatternNode.Node(node.kind(), List.of());
        }
        if (children.isEmpty()) {
            return new PatternNode.Token(node.text(), Constants.isLiteral(node));
        }
        SyntaxNode callee = children.size() == 2 ? soleLeaf(children.get(0)) : null;
        // The callee of <... e ...>, written as a call, may sit in the grammar's expression wrappers.
        if (callee != null && callee.text().equals(Placeholders.DEEP)) {
            List<SyntaxNode> arguments = children.get(1).children().stream().filter(SyntaxNode::named).toList();
            if (arguments.size() == 1) {
                return new PatternNode.Deep(convert(unwrapStatement(arguments.get(0))));
            }
        }
        List<PatternNode> converted = new ArrayList<>(children.size());
        for (SyntaxNode child : children) {
            PatternNode part = convert(child);
            if (node.kind().equals("parameter_list") && part instanceof PatternNode.Node parameter
                    && parameter.kind().equals("parameter_declaration") && parameter.children().size() > 2
                    && parameter.children().get(0) instanceof PatternNode.Ellipsis) {
                // Go reads "..., $X T" as one declaration of two names; the ellipsis stands for parameters.
                converted.add(parameter.children().get(0));
                part = new PatternNode.Node(parameter.kind(), parameter.children().subList(1, parameter.children().size()));
            }
            converted.add(part);
        }
        return new PatternNode.Node(node.kind(), converted);
    }

    /** A key-value entry whose key and value are both ellipses: any entries. */
    private static boolean isEllipsisEntry(SyntaxNode node) {
        List<SyntaxNode> named = node.children().stream().filter(SyntaxNode::named).toList();
        return named.size() == 2 && "key".equals(named.get(0).field()) && named.stream().allMatch(c -> Placeholders.isEllipsis(c.text().strip()));
    }

    /** The one spec of a Go import declaration ({@code import "p"} or {@code import ("p")}), or null. */
    private static SyntaxNode soleImportSpec(SyntaxNode node) {
        if (!node.kind().equals("import_declaration")) {
            return null;
        }
        List<SyntaxNode> specs = node.children().stream().filter(SyntaxNode::named).toList();
        if (specs.size() == 1 && specs.get(0).kind().equals("import_spec_list")) {
            specs = specs.get(0).children().stream().filter(SyntaxNode::named).toList();
        }
        return specs.size() == 1 && specs.get(0).kind().equals("import_spec") ? specs.get(0) : null;
    }

    /**
     * An f-string or template string with interpolations matches part by part: {@code ...} text
     * parts match any text, quotes match the string's quotes (whatever its prefix), so
     * {@code `...${$X}`} needs the interpolation at the end.
     */
    private PatternNode interpolatedString(SyntaxNode node) throws PatternException {
        List<PatternNode> parts = new ArrayList<>();
        for (SyntaxNode child : node.children()) {
            boolean quote = !child.named() || child.kind().equals("string_start") || child.kind().equals("string_end");
            PatternNode part = quote ? new PatternNode.Node(child.kind(), List.of())
                    : child.isLeaf() && child.text().strip().equals("...") ? new PatternNode.Ellipsis()
                    // A text part that is just "$X" binds the string's text there.
                    : child.isLeaf() && TEXT_METAVARIABLE.matcher(child.text()).matches() ? new PatternNode.Metavariable(child.text())
                    : PhpSyntax.stringPart(child) != null ? PhpSyntax.stringPart(child)
                    : convert(child);
            if (!(part instanceof PatternNode.Ellipsis && !parts.isEmpty() && parts.get(parts.size() - 1) instanceof PatternNode.Ellipsis)) {
                parts.add(part);
            }
        }
        return new PatternNode.Node(node.kind(), parts);
    }

    /** A Python string with an f prefix. */
    private static boolean isFormatString(SyntaxNode string) {
        SyntaxNode start = string.children().isEmpty() ? null : string.children().get(0);
        return start != null && start.kind().equals("string_start") && start.text().toLowerCase(Locale.ROOT).contains("f");
    }

    private static String withoutTerminator(String text) {
        return text.endsWith(";") ? text.substring(0, text.length() - 1).strip() : text;
    }

    /** The one leaf a chain of single-child nodes ends in (statement terminators are not children), or null. */
    private static SyntaxNode soleLeaf(SyntaxNode node) {
        SyntaxNode current = node;
        while (!current.children().isEmpty()) {
            if (current.children().size() != 1) {
                return null;
            }
            current = current.children().get(0);
        }
        return current;
    }

    private static PatternNode placeholder(String text) {
        if (text.equals(Placeholders.ELLIPSIS)) {
            return new PatternNode.Ellipsis();
        }
        String ellipsisName = Placeholders.metavariableEllipsis(text);
        if (ellipsisName != null) {
            return new PatternNode.MetavariableEllipsis(ellipsisName);
        }
        PatternNode.TypedMetavariable typed = Placeholders.typedMetavariable(text);
        if (typed != null) {
            return typed;
        }
        return new PatternNode.Metavariable(Placeholders.metavariable(text));
    }

    private static void removeKeywords(SyntaxNode node, Set<String> words) {
        if (node.isLeaf() && !node.named()) {
            words.remove(node.text());
        }
        node.children().forEach(child -> removeKeywords(child, words));
    }

    private static void collectWords(PatternNode node, Set<String> words) {
        switch (node) {
            case PatternNode.Token token when IDENTIFIER.matcher(token.text()).matches() -> words.add(token.text());
            case PatternNode.Node n -> n.children().forEach(c -> collectWords(c, words));
            case PatternNode.Sequence s -> s.statements().forEach(c -> collectWords(c, words));
            case PatternNode.Deep d -> collectWords(d.inner(), words);
            default -> {
            }
        }
    }
}
