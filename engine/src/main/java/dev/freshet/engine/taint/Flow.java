package dev.freshet.engine.taint;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.pattern.Strings;
import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.rules.TaintSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Follows taint through the code of one file in execution order: statements one after another,
 * both ways through a branch (their results united), loops until nothing changes (a few rounds at
 * most), each function body on its own. Every node evaluates to the labels its value carries;
 * sources add labels, sanitizers remove them, and a sink reached by labels it cares about is a
 * finding ({@link Facts#reachSinks}).
 */
final class Flow {
    /** Deeper nesting than this is not followed (its value counts as clean), so hostile input cannot exhaust the stack. */
    static final int MAX_DEPTH = 1500;
    private static final int LOOP_ROUNDS = 3;
    /** Loops nested deeper than this run once: re-running nested loops multiplies. */
    private static final int MAX_ITERATED_LOOP_DEPTH = 4;

    private final Facts facts;
    private final TaintSpec.Options options;
    private final Deadline deadline;
    private final Predicate<SyntaxNode> isNumber;
    private int depth;
    private int loopDepth;
    private int steps;

    /** @param isNumber whether the file types an expression as a number (for {@code taint_assume_safe_numbers}) */
    Flow(Facts facts, TaintSpec.Options options, Deadline deadline, Predicate<SyntaxNode> isNumber) {
        this.facts = facts;
        this.options = options;
        this.deadline = deadline;
        this.isNumber = isNumber;
    }

    void analyze(SyntaxNode root) {
        eval(root, new Env());
    }

    /** The labels the node's value carries; runs its effects on {@code env} and reports the sinks it reaches. */
    long eval(SyntaxNode node, Env env) {
        if ((++steps & 1023) == 0) {
            deadline.check();
        }
        if (depth >= MAX_DEPTH) {
            return 0;
        }
        depth++;
        try {
            return evalNode(node, env);
        } finally {
            depth--;
        }
    }

    private long evalNode(SyntaxNode node, Env env) {
        if (facts.sanitizes(node) && Syntax.isExpression(node)) {
            facts.sanitizeBySideEffect(node, env);
            return 0;
        }
        long mask = compute(node, env);
        mask = facts.addSources(node, mask, env);
        mask |= facts.propagatedTo(node);
        facts.sanitizeBySideEffect(node, env);
        facts.propagateAtEnd(node, env);
        facts.remember(node, mask);
        facts.reachSinks(node, mask);
        return mask;
    }

    private long compute(SyntaxNode node, Env env) {
        String kind = node.kind();
        if (Syntax.isFunction(kind)) {
            function(node, env);
            return 0;
        }
        if (options.safeNumbers() && isNumber.test(node)) {
            children(node, env);
            return 0;
        }
        if (node.isLeaf() || Syntax.VARIABLES.contains(kind)) {
            // A variable is a leaf, or a sigil and a name (PHP's $x).
            return Syntax.VARIABLES.contains(kind) ? env.lookup(node.text()) : 0;
        }
        if (options.safeBooleans() && Syntax.isBoolean(node)) {
            children(node, env);
            return 0;
        }
        if (options.onlyThroughAssignments() && !Syntax.ASSIGNMENTS.contains(kind) && !Syntax.MEMBERS.contains(kind)
                && !Syntax.SUBSCRIPTS.contains(kind) && !Syntax.TARGET_LISTS.contains(kind) && !Strings.isParenthesized(kind) && Syntax.isExpression(node)) {
            // Only assignments (and reading a variable or its fields) pass taint on: calls, operators
            // and string building do not. Taint inside still reaches a sink this node is (or is in).
            facts.reachSinks(node, children(node, env));
            return 0;
        }
        if (Syntax.MEMBERS.contains(kind)) {
            return member(node, env);
        }
        if (Syntax.CALLS.contains(kind)) {
            long mask = children(node, env);
            return options.safeFunctions() ? 0 : mask;
        }
        if (Syntax.SUBSCRIPTS.contains(kind)) {
            return subscript(node, env);
        }
        if (Syntax.ASSIGNMENTS.contains(kind)) {
            return assignment(node, env);
        }
        if (Syntax.TERNARIES.contains(kind)) {
            return ternary(node, env);
        }
        if (Syntax.COMPREHENSIONS.contains(kind)) {
            return comprehension(node, env);
        }
        if (Syntax.RETURNS.contains(kind)) {
            long mask = children(node, env);
            env.dead = true;
            return mask;
        }
        if (kind.equals("if_statement")) {
            branches(node, env);
            return 0;
        }
        if (Syntax.LOOPS.contains(kind)) {
            loop(node, env);
            return 0;
        }
        if (Syntax.TRIES.contains(kind)) {
            tryStatement(node, env);
            return 0;
        }
        if (kind.equals("as_pattern")) {
            return asPattern(node, env);
        }
        return children(node, env);
    }

    /**
     * The children in order, united; alternatives of a switch each start from the state before
     * the first of them. Names of called methods and keyword arguments are not variables.
     */
    private long children(SyntaxNode node, Env env) {
        long mask = 0;
        Env beforeCases = null;
        Env afterCases = null;
        for (SyntaxNode child : node.children()) {
            if (env.dead) {
                // Code after a return does not run, but a function declared there is still a
                // function of its own (hoisted), analyzed like any other.
                if (Syntax.NAMED_FUNCTIONS.contains(child.kind())) {
                    eval(child, env);
                }
                continue;
            }
            String field = child.field();
            // Bash's command name is a word like its arguments (Bash_to_generic calls the command's words), and a
            // call's value carries its callee's taint (Dataflow_tainting adds e_taints): "${x} | tr" is tainted by x.
            if ("name".equals(field) && !child.kind().equals("command_name") || "key".equals(field)
                    || "type".equals(field) || "operator".equals(field)) {
                continue;
            }
            if (Syntax.CASES.contains(child.kind())) {
                if (beforeCases == null) {
                    beforeCases = env.copy();
                    afterCases = env.copy();
                }
                Env branch = beforeCases.copy();
                eval(child, branch);
                afterCases.mergeFrom(branch);
                continue;
            }
            mask |= eval(child, env);
        }
        if (afterCases != null) {
            env.replaceWith(afterCases);
        }
        return mask;
    }

    /** {@code a.b}: what the path holds if it was assigned, else the object's taint. */
    private long member(SyntaxNode node, Env env) {
        SyntaxNode object = Syntax.object(node);
        long mask = object == null ? children(node, env) : eval(object, env);
        String path = Syntax.path(node);
        if (path != null) {
            Long assigned = env.exactly(path);
            if (assigned != null) {
                return assigned;
            }
        }
        return mask;
    }

    private long subscript(SyntaxNode node, Env env) {
        List<SyntaxNode> parts = Syntax.named(node);
        long mask = 0;
        for (int i = 0; i < parts.size(); i++) {
            long part = eval(parts.get(i), env);
            if (i == 0 || !options.safeIndexes()) {
                mask |= part;
            }
        }
        return mask;
    }

    private long ternary(SyntaxNode node, Env env) {
        SyntaxNode condition = Syntax.field(node, "condition");
        List<SyntaxNode> parts = Syntax.named(node);
        if (condition == null && parts.size() == 3) {
            condition = parts.get(1); // Python: a if condition else b
        }
        long mask = 0;
        for (SyntaxNode part : parts) {
            long value = eval(part, env);
            if (part != condition) {
                mask |= value;
            }
        }
        return mask;
    }

    /** {@code x = e}, {@code x += e}, {@code a, b = c, d}, declarations with or without a value. */
    private long assignment(SyntaxNode node, Env env) {
        List<SyntaxNode> targets = new ArrayList<>();
        List<SyntaxNode> values = new ArrayList<>();
        SyntaxNode previous = null;
        for (SyntaxNode child : node.children()) {
            String field = child.field();
            // Scala's val and var name a pattern; Solidity's declaration statement holds its declarations without a field.
            if ("left".equals(field) || "name".equals(field) || "pattern".equals(field)
                    || field == null && Syntax.DECLARED.contains(child.kind())) {
                targets.add(child);
            } else if ("right".equals(field) || "value".equals(field)
                    // A grammar that names no field for the value (C#'s declarator) writes it after "=".
                    || field == null && previous != null && !previous.named() && previous.text().equals("=")) {
                values.add(child);
            }
            previous = child;
        }
        if (targets.isEmpty()) {
            return children(node, env);
        }
        SyntaxNode operator = Syntax.field(node, "operator");
        boolean augmented = node.kind().startsWith("augmented")
                || operator != null && !operator.text().equals("=") && !operator.text().equals(":=");
        if (values.isEmpty()) {
            for (SyntaxNode target : targets) {
                assign(target, 0, env, false);
            }
            return 0;
        }
        List<SyntaxNode> targetItems = targets.size() == 1 && Syntax.TARGET_LISTS.contains(targets.get(0).kind())
                ? Syntax.named(targets.get(0)) : targets;
        List<SyntaxNode> valueItems = values.size() == 1 && Syntax.TARGET_LISTS.contains(values.get(0).kind())
                ? Syntax.named(values.get(0)) : values;
        if (targetItems.size() > 1 && targetItems.size() == valueItems.size()) {
            long[] masks = new long[valueItems.size()];
            long all = 0;
            for (int i = 0; i < masks.length; i++) {
                masks[i] = eval(valueItems.get(i), env);
                all |= masks[i];
            }
            for (int i = 0; i < masks.length; i++) {
                assign(targetItems.get(i), masks[i], env, augmented);
            }
            return all;
        }
        long mask = 0;
        for (SyntaxNode value : values) {
            mask |= eval(value, env);
        }
        // A source matching the whole assignment (x += $INPUT) labels the value assigned.
        mask = facts.addSources(node, mask, env);
        for (SyntaxNode target : targets) {
            assign(target, mask, env, augmented);
        }
        return mask;
    }

    /** Gives what a target of an assignment (a name, a field, an element or a pattern of them) now holds. */
    private void assign(SyntaxNode target, long mask, Env env, boolean augmented) {
        String kind = target.kind();
        long value = mask | facts.sourceLabelsCovering(target);
        if (Syntax.VARIABLES.contains(kind) || kind.equals("shorthand_property_identifier_pattern")) {
            String name = target.text();
            env.set(name, augmented ? env.lookup(name) | value : value);
            facts.reachSinks(target, value);
            return;
        }
        if (Syntax.MEMBERS.contains(kind)) {
            String path = Syntax.path(target);
            if (path == null) {
                SyntaxNode object = Syntax.object(target);
                if (object != null) {
                    eval(object, env);
                }
            } else {
                env.set(path, augmented ? env.lookup(path) | value : value);
            }
            facts.reachSinks(target, value);
            return;
        }
        if (Syntax.SUBSCRIPTS.contains(kind)) {
            List<SyntaxNode> parts = Syntax.named(target);
            // A sink on the element (o[k] = v with sink $O[...]) is reached by a tainted index too.
            long index = 0;
            for (int i = 1; i < parts.size(); i++) {
                index |= eval(parts.get(i), env);
            }
            String path = parts.isEmpty() ? null : Syntax.path(parts.get(0));
            if (path != null) {
                env.add(path, value);
            } else if (!parts.isEmpty()) {
                eval(parts.get(0), env);
            }
            facts.reachSinks(target, value | index);
            return;
        }
        if (target.isLeaf()) {
            return;
        }
        for (SyntaxNode child : target.children()) {
            String field = child.field();
            if ("type".equals(field) || "key".equals(field)
                    || ("right".equals(field) || "value".equals(field)) && !kind.equals("pair_pattern")) {
                continue; // types, keys of object patterns and default values are not assigned
            }
            if (child.named()) {
                assign(child, value, env, augmented);
            }
        }
    }

    private long asPattern(SyntaxNode node, Env env) {
        SyntaxNode alias = Syntax.field(node, "alias");
        long mask = 0;
        for (SyntaxNode child : Syntax.named(node)) {
            if (child != alias) {
                mask |= eval(child, env);
            }
        }
        if (alias != null) {
            assign(alias, mask, env, false);
        }
        return mask;
    }

    private long comprehension(SyntaxNode node, Env outer) {
        Env env = outer.copy();
        SyntaxNode body = Syntax.field(node, "body");
        for (SyntaxNode child : Syntax.named(node)) {
            if (child != body) {
                forEachClause(child, env);
            }
        }
        return body == null ? 0 : eval(body, env);
    }

    /** A {@code for x in xs} clause (binds x) or a filter clause. */
    private void forEachClause(SyntaxNode clause, Env env) {
        SyntaxNode target = Syntax.field(clause, "left");
        SyntaxNode iterable = Syntax.field(clause, "right");
        if (target == null || iterable == null) {
            eval(clause, env);
            return;
        }
        assign(target, eval(iterable, env), env, false);
    }

    private void branches(SyntaxNode node, Env env) {
        List<Env> outcomes = new ArrayList<>();
        boolean hasElse = false;
        for (SyntaxNode child : node.children()) {
            String field = child.field();
            if ("consequence".equals(field) || "alternative".equals(field)) {
                hasElse |= "alternative".equals(field) && !child.kind().equals("elif_clause");
                Env branch = env.copy();
                eval(child, branch);
                outcomes.add(branch);
            } else if (!env.dead) {
                eval(child, env);
            }
        }
        Env result = hasElse ? outcomes.get(outcomes.size() - 1).copy() : env.copy();
        for (Env outcome : outcomes) {
            result.mergeFrom(outcome);
        }
        env.replaceWith(result);
    }

    /** Runs the loop body until the state stops changing; the state before the loop stays possible. */
    private void loop(SyntaxNode node, Env env) {
        loopDepth++;
        try {
            Env state = env.copy();
            int rounds = loopDepth > MAX_ITERATED_LOOP_DEPTH ? 1 : LOOP_ROUNDS;
            for (int round = 0; round < rounds; round++) {
                Env pass = state.copy();
                loopOnce(node, pass);
                Env merged = state.copy();
                merged.mergeFrom(pass);
                if (merged.sameAs(state)) {
                    break;
                }
                state = merged;
            }
            env.replaceWith(state);
        } finally {
            loopDepth--;
        }
    }

    private void loopOnce(SyntaxNode node, Env env) {
        SyntaxNode target = Syntax.field(node, "left");
        if (target == null && node.kind().equals("enhanced_for_statement")) {
            target = Syntax.field(node, "name");
        }
        for (SyntaxNode child : node.children()) {
            if (env.dead) {
                return;
            }
            String field = child.field();
            if (child == target || "type".equals(field)) {
                continue;
            }
            long mask = eval(child, env);
            if (target != null && ("right".equals(field) || "value".equals(field))) {
                assign(target, mask, env, false);
            }
        }
    }

    /** Handlers start from anywhere in the try body (before or after it); finally runs after all. */
    private void tryStatement(SyntaxNode node, Env env) {
        Env before = env.copy();
        List<Env> handlers = new ArrayList<>();
        for (SyntaxNode child : node.children()) {
            if (Syntax.HANDLERS.contains(child.kind())) {
                Env handler = before.copy();
                handler.dead = false;
                handler.mergeFrom(env);
                eval(child, handler);
                handlers.add(handler);
            } else if (child.kind().equals("finally_clause")) {
                handlers.forEach(env::mergeFrom);
                handlers.clear();
                boolean dead = env.dead;
                env.dead = false;
                eval(child, env);
                env.dead |= dead;
            } else if (!env.dead) {
                eval(child, env);
            }
        }
        handlers.forEach(env::mergeFrom);
    }

    private void function(SyntaxNode node, Env outer) {
        Env env = Syntax.NAMED_FUNCTIONS.contains(node.kind()) ? new Env() : outer.copy();
        env.dead = false;
        for (String field : List.of("receiver", "parameters", "parameter")) {
            for (SyntaxNode parameters : Syntax.fields(node, field)) {
                bindParameters(parameters, env);
            }
        }
        for (SyntaxNode child : node.children()) {
            // Solidity lists its parameters straight in the function, without a field.
            if (child.field() == null && child.kind().equals("parameter")) {
                bindParameters(child, env);
            }
        }
        SyntaxNode body = Syntax.field(node, "body");
        if (body != null || !Syntax.ANONYMOUS_FUNCTIONS.contains(node.kind())) {
            if (body != null) {
                eval(body, env);
            }
            return;
        }
        // A grammar that names no body field (Scala's lambda) writes the body after the parameters.
        for (SyntaxNode child : Syntax.named(node)) {
            if (child.field() == null) {
                eval(child, env);
            }
        }
    }

    /** Each parameter name starts with what sources say about it and its default value. */
    private void bindParameters(SyntaxNode node, Env env) {
        String kind = node.kind();
        if (Syntax.VARIABLES.contains(kind) || kind.equals("shorthand_property_identifier_pattern")) {
            env.set(node.text(), facts.sourceLabelsOfParameter(node) | facts.propagatedTo(node));
            return;
        }
        if (kind.equals("modifiers") || kind.equals("decorator") || kind.endsWith("annotation") || node.isLeaf()) {
            return;
        }
        long defaults = 0;
        for (SyntaxNode child : node.children()) {
            String field = child.field();
            if (("value".equals(field) || "right".equals(field) || "default".equals(field)) && !kind.equals("pair_pattern")) {
                defaults |= eval(child, env);
            }
        }
        for (SyntaxNode child : node.children()) {
            String field = child.field();
            if ("type".equals(field) || "key".equals(field)
                    || ("value".equals(field) || "right".equals(field) || "default".equals(field)) && !kind.equals("pair_pattern")) {
                continue;
            }
            bindParameters(child, env);
            if (defaults != 0 && Syntax.VARIABLES.contains(child.kind())) {
                env.add(child.text(), defaults);
            }
        }
    }
}
