package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names a file imports, each mapped to the fully qualified name it stands for, so that a
 * pattern naming {@code subprocess.Popen} also matches {@code P(...)} after
 * {@code from subprocess import Popen as P}.
 */
final class Imports {
    /** One import of a name: what it stands for, and the part of the file where it does. */
    private record Binding(List<String> qualified, int from, int to) {
    }

    private final Map<String, List<Binding>> bindings;

    private Imports(Map<String, List<Binding>> bindings) {
        this.bindings = bindings;
    }

    /** The qualified name segments {@code name} was last imported as anywhere in the file, or null. */
    List<String> resolve(String name) {
        List<Binding> all = bindings.get(name);
        return all == null ? null : all.get(all.size() - 1).qualified();
    }

    /** The qualified name segments {@code name} stands for where {@code use} sits, or null. */
    List<String> resolve(String name, SyntaxNode use) {
        Binding found = null;
        for (Binding binding : bindings.getOrDefault(name, List.of())) {
            if (binding.from() <= use.start() && use.start() < binding.to() && (found == null || binding.from() >= found.from())) {
                found = binding;
            }
        }
        return found == null ? null : found.qualified();
    }

    boolean isEmpty() {
        return bindings.isEmpty();
    }

    private static final Set<String> PYTHON_IMPORTS = Set.of("import_statement", "import_from_statement");

    static Imports of(SyntaxTree tree) {
        Map<String, List<Binding>> bindings = new HashMap<>();
        // Python code also imports inside functions and blocks; such an import binds its names from
        // there on, to the end of the function (or file) it sits in, so earlier uses keep their meaning.
        List<SyntaxNode> statements = tree.language() == Language.PYTHON
                ? tree.nodesOfKinds(PYTHON_IMPORTS) : tree.root().children();
        Map<String, List<String>> names = new HashMap<>(); // one map for all nodes: most bind nothing
        for (SyntaxNode node : statements) {
            names.clear();
            switch (tree.language()) {
                case PYTHON -> python(node, names);
                case JAVA -> java(node, names);
                case JAVASCRIPT, TYPESCRIPT, TSX -> javascript(node, names);
                case GO -> go(node, names);
                case RUST -> rust(node, names);
                case SCALA -> scala(node, names);
                default -> {
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            int from = tree.language() == Language.PYTHON ? node.start() : 0;
            int to = tree.language() == Language.PYTHON ? enclosingFunctionEnd(node) : Integer.MAX_VALUE;
            names.forEach((name, qualified) ->
                    bindings.computeIfAbsent(name, k -> new ArrayList<>()).add(new Binding(qualified, from, to)));
        }
        return new Imports(bindings);
    }

    private static int enclosingFunctionEnd(SyntaxNode node) {
        for (SyntaxNode up = node.parent(); up != null; up = up.parent()) {
            if (up.kind().equals("function_definition")) {
                return up.end();
            }
        }
        return Integer.MAX_VALUE;
    }

    private static void python(SyntaxNode node, Map<String, List<String>> names) {
        if (node.kind().equals("import_statement")) {
            for (SyntaxNode child : node.children()) {
                if (child.kind().equals("aliased_import")) {
                    names.put(field(child, "alias").text(), dotted(field(child, "name").text()));
                }
                // "import a.b" binds only "a", which already means itself.
            }
        } else if (node.kind().equals("import_from_statement")) {
            SyntaxNode module = field(node, "module_name");
            if (module == null || !module.kind().equals("dotted_name")) {
                return;
            }
            for (SyntaxNode child : node.children()) {
                if (!"name".equals(child.field())) {
                    continue;
                }
                SyntaxNode imported = child.kind().equals("aliased_import") ? field(child, "name") : child;
                String local = child.kind().equals("aliased_import") ? field(child, "alias").text() : imported.text();
                List<String> full = new ArrayList<>(dotted(module.text()));
                full.addAll(dotted(imported.text()));
                names.put(local, full);
            }
        }
    }

    private static void java(SyntaxNode node, Map<String, List<String>> names) {
        if (!node.kind().equals("import_declaration")) {
            return;
        }
        boolean wildcard = node.children().stream().anyMatch(c -> c.kind().equals("asterisk"));
        SyntaxNode name = node.children().stream()
                .filter(c -> c.kind().equals("scoped_identifier") || c.kind().equals("identifier")).findFirst().orElse(null);
        if (name == null || wildcard) {
            return;
        }
        List<String> full = dotted(name.text());
        names.put(full.get(full.size() - 1), full);
    }

    private static void javascript(SyntaxNode node, Map<String, List<String>> names) {
        if (node.kind().equals("import_statement")) {
            SyntaxNode source = field(node, "source");
            SyntaxNode clause = node.children().stream().filter(c -> c.kind().equals("import_clause")).findFirst().orElse(null);
            if (source == null || clause == null) {
                return;
            }
            List<String> module = List.of(moduleName(source.text()));
            for (SyntaxNode part : clause.children()) {
                switch (part.kind()) {
                    case "identifier" -> names.put(part.text(), module);
                    case "namespace_import" -> part.children().stream().filter(c -> c.kind().equals("identifier"))
                            .forEach(c -> names.put(c.text(), module));
                    case "named_imports" -> {
                        for (SyntaxNode specifier : part.children()) {
                            SyntaxNode imported = field(specifier, "name");
                            SyntaxNode alias = field(specifier, "alias");
                            if (imported != null) {
                                names.put((alias != null ? alias : imported).text(), append(module, imported.text()));
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            return;
        }
        if (!node.kind().equals("lexical_declaration") && !node.kind().equals("variable_declaration")) {
            return;
        }
        for (SyntaxNode declarator : node.children()) {
            SyntaxNode name = field(declarator, "name");
            SyntaxNode value = field(declarator, "value");
            List<String> module = value == null ? null : requiredModule(value);
            if (name == null || module == null) {
                continue;
            }
            if (name.kind().equals("identifier")) {
                names.put(name.text(), module);
            } else if (name.kind().equals("object_pattern")) {
                for (SyntaxNode property : name.children()) {
                    if (property.kind().equals("shorthand_property_identifier_pattern")) {
                        names.put(property.text(), append(module, property.text()));
                    } else if (property.kind().equals("pair_pattern") && field(property, "value") != null) {
                        names.put(field(property, "value").text(), append(module, field(property, "key").text()));
                    }
                }
            }
        }
    }

    /** {@code require('m')} is module m; {@code require('m').x} is m.x. */
    private static List<String> requiredModule(SyntaxNode value) {
        if (value.kind().equals("call_expression")) {
            SyntaxNode function = field(value, "function");
            SyntaxNode arguments = field(value, "arguments");
            if (function != null && function.text().equals("require") && arguments != null
                    && arguments.children().size() == 1 && Strings.isString(arguments.children().get(0).kind())) {
                return List.of(moduleName(arguments.children().get(0).text()));
            }
        } else if (value.kind().equals("member_expression")) {
            List<String> module = requiredModule(field(value, "object"));
            SyntaxNode property = field(value, "property");
            return module == null || property == null ? null : append(module, property.text());
        }
        return null;
    }

    /**
     * Scala's {@code import a.b.C} and {@code import a.b.{C, D => E}}: each name brought in stands
     * for its path ({@code import a.b._} brings no name the file spells).
     */
    private static void scala(SyntaxNode node, Map<String, List<String>> names) {
        if (!node.kind().equals("import_declaration")) {
            return;
        }
        List<String> path = node.children().stream().filter(c -> "path".equals(c.field()) && c.kind().equals("identifier"))
                .map(SyntaxNode::text).toList();
        SyntaxNode selectors = node.children().stream().filter(c -> c.kind().equals("namespace_selectors")).findFirst().orElse(null);
        if (selectors == null) {
            if (path.size() > 1 && node.children().stream().noneMatch(c -> c.kind().equals("namespace_wildcard"))) {
                names.put(path.get(path.size() - 1), path);
            }
            return;
        }
        for (SyntaxNode selector : selectors.children()) {
            if (selector.kind().equals("identifier")) {
                names.put(selector.text(), append(path, selector.text()));
            } else if (selector.kind().equals("arrow_renamed_identifier") && field(selector, "name") != null
                    && field(selector, "alias") != null) {
                names.put(field(selector, "alias").text(), append(path, field(selector, "name").text()));
            }
        }
    }

    private static void go(SyntaxNode node, Map<String, List<String>> names) {
        if (!node.kind().equals("import_declaration")) {
            return;
        }
        List<SyntaxNode> specs = new ArrayList<>();
        for (SyntaxNode child : node.children()) {
            if (child.kind().equals("import_spec")) {
                specs.add(child);
            } else if (child.kind().equals("import_spec_list")) {
                specs.addAll(child.children().stream().filter(c -> c.kind().equals("import_spec")).toList());
            }
        }
        for (SyntaxNode spec : specs) {
            SyntaxNode path = field(spec, "path");
            SyntaxNode alias = field(spec, "name");
            if (path == null) {
                continue;
            }
            String importPath = Strings.content(path.text());
            String packageName = importPath.substring(importPath.lastIndexOf('/') + 1);
            String local = alias != null ? alias.text() : packageName;
            // Go patterns name a package by its own name: md5.Sum also means weak.Sum after import weak "crypto/md5".
            if (!local.equals("_") && !local.equals(".") && !local.equals(packageName)) {
                names.put(local, List.of(packageName));
            }
        }
    }

    /**
     * Rust's {@code use a::b;}, {@code use a::b as c;} and {@code use a::{b, c::d};}: each name
     * brought in stands for its path ({@code use *} brings no name the file spells).
     */
    private static void rust(SyntaxNode node, Map<String, List<String>> names) {
        if (node.kind().equals("use_declaration")) {
            SyntaxNode argument = field(node, "argument");
            if (argument != null) {
                rustUse(List.of(), argument, names);
            }
        }
    }

    private static void rustUse(List<String> prefix, SyntaxNode item, Map<String, List<String>> names) {
        switch (item.kind()) {
            case "identifier", "scoped_identifier" -> {
                List<String> full = new ArrayList<>(prefix);
                full.addAll(rustPath(item.text()));
                if (full.size() > 1) {
                    names.put(full.get(full.size() - 1), full);
                }
            }
            case "use_as_clause" -> {
                SyntaxNode path = field(item, "path");
                SyntaxNode alias = field(item, "alias");
                if (path != null && alias != null) {
                    List<String> full = new ArrayList<>(prefix);
                    full.addAll(rustPath(path.text()));
                    names.put(alias.text(), full);
                }
            }
            case "scoped_use_list" -> {
                SyntaxNode path = field(item, "path");
                SyntaxNode list = field(item, "list");
                List<String> inner = new ArrayList<>(prefix);
                if (path != null) {
                    inner.addAll(rustPath(path.text()));
                }
                if (list != null) {
                    list.children().forEach(child -> rustUse(inner, child, names));
                }
            }
            case "use_list" -> item.children().forEach(child -> rustUse(prefix, child, names));
            default -> {
            }
        }
    }

    private static List<String> rustPath(String text) {
        return Arrays.stream(text.split("::")).map(String::strip).toList();
    }

    /** A module specifier without Node's {@code node:} scheme, which names the same built-in module. */
    private static String moduleName(String literal) {
        String name = Strings.content(literal);
        return name.startsWith("node:") ? name.substring(5) : name;
    }

    private static List<String> append(List<String> prefix, String last) {
        List<String> out = new ArrayList<>(prefix);
        out.add(last);
        return out;
    }

    private static List<String> dotted(String text) {
        return Arrays.stream(text.split("\\.")).map(String::strip).toList();
    }

    private static SyntaxNode field(SyntaxNode node, String field) {
        if (node == null) {
            return null;
        }
        for (SyntaxNode child : node.children()) {
            if (field.equals(child.field())) {
                return child;
            }
        }
        return null;
    }
}
