package dev.freshet.codegen;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Writes the picocli model of the command classes being compiled as code, so that picocli never reads
 * their annotations at run time: reading an annotation makes the JDK generate a proxy class for its type,
 * which with picocli's own reflection cost every command about 30 ms before it started its work, and
 * twice that in CPU time (the JIT compiled the JDK's class-generating code too).
 *
 * <p>For each top-level class that holds a command or a mixin (a class with {@code @Command}, or with
 * {@code @Option}, {@code @Parameters}, {@code @Mixin} or {@code @Spec} fields), it writes
 * {@code <Class>Spec} in the same package, with one {@code spec(command)} method per such class: the
 * {@code CommandSpec} that picocli's reflection would build, made with picocli's programmatic API, its
 * options bound to the fields directly. A top-level command with subcommands also gets
 * {@code subcommand(name)}, which builds one branch only.
 *
 * <p>What it models is what picocli's reflection reads: fields of the class and of its superclasses
 * (superclass first, in declaration order), {@code @Command} attributes along the class hierarchy (the
 * subclass's last), mixins before use, {@code @Spec} injected, subcommands, and the standard help options
 * last. A command with an {@code @ArgGroup} is left to picocli's reflection (its subcommand entry builds it
 * reflectively), as is a subcommand class it did not compile, such as picocli's {@code HelpCommand}. An
 * annotation attribute it does not model stops the build with an error naming it, so the generated model
 * cannot silently differ from the annotations.
 */
@SupportedAnnotationTypes({"picocli.CommandLine.Command", "picocli.CommandLine.Option", "picocli.CommandLine.Parameters",
        "picocli.CommandLine.Mixin", "picocli.CommandLine.Spec", "picocli.CommandLine.ArgGroup"})
public final class CommandSpecProcessor extends AbstractProcessor {
    private static final String PICOCLI = "picocli.CommandLine.";
    private static final Map<String, Set<String>> MODELED = Map.of(
            "Command", Set.of("name", "description", "footer", "header", "mixinStandardHelpOptions", "subcommands", "versionProvider"),
            "Option", Set.of("names", "paramLabel", "description", "defaultValue", "required", "arity", "split", "fallbackValue"),
            "Parameters", Set.of("index", "paramLabel", "description", "defaultValue", "arity", "split"),
            "Mixin", Set.of("name"),
            "Spec", Set.of());

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    /** The top-level classes of the sources being compiled. */
    private final Set<TypeElement> compiled = new LinkedHashSet<>();

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        compiled.addAll(ElementFilter.typesIn(round.getRootElements()));
        Set<TypeElement> classes = new LinkedHashSet<>();
        for (TypeElement annotation : annotations) {
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                classes.add(element instanceof TypeElement type ? type : (TypeElement) element.getEnclosingElement());
            }
        }
        Map<TypeElement, List<TypeElement>> byTopLevel = new LinkedHashMap<>();
        for (TypeElement type : classes) {
            byTopLevel.computeIfAbsent(topLevel(type), top -> new ArrayList<>()).add(type);
        }
        byTopLevel.forEach((top, types) -> {
            try {
                write(top, types.stream().filter(this::modeled).toList());
            } catch (NotModeled e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(), e.element);
            }
        });
        return false;
    }

    /**
     * Whether the class gets a generated model: it can be made with {@code new} (not abstract, not an inner
     * class), and neither has an argument group nor is one (picocli's reflection builds those).
     */
    private boolean modeled(TypeElement type) {
        return (type.getNestingKind() == NestingKind.TOP_LEVEL || type.getModifiers().contains(Modifier.STATIC))
                && !type.getModifiers().contains(Modifier.ABSTRACT)
                && fields(type).stream().noneMatch(field -> annotation(field, "ArgGroup") != null) && !isArgGroupClass(type);
    }

    /** Whether a field of the class's top-level class (or of a class nested in it) holds it as an argument group. */
    private boolean isArgGroupClass(TypeElement type) {
        TypeMirror erased = processingEnv.getTypeUtils().erasure(type.asType());
        return allFieldsWithin(topLevel(type)).stream().anyMatch(field -> annotation(field, "ArgGroup") != null
                && processingEnv.getTypeUtils().isSameType(processingEnv.getTypeUtils().erasure(field.asType()), erased));
    }

    private static List<VariableElement> allFieldsWithin(Element element) {
        List<VariableElement> fields = new ArrayList<>(ElementFilter.fieldsIn(element.getEnclosedElements()));
        for (TypeElement nested : ElementFilter.typesIn(element.getEnclosedElements())) {
            fields.addAll(allFieldsWithin(nested));
        }
        return fields;
    }

    private void write(TypeElement top, List<TypeElement> types) {
        if (types.isEmpty()) {
            return;
        }
        String pkg = processingEnv.getElementUtils().getPackageOf(top).getQualifiedName().toString();
        String name = specClassName(top);
        StringBuilder code = new StringBuilder();
        code.append("package ").append(pkg).append(";\n\n")
                .append("import picocli.CommandLine;\n")
                .append("import picocli.CommandLine.Model.CommandSpec;\n")
                .append("import picocli.CommandLine.Model.OptionSpec;\n")
                .append("import picocli.CommandLine.Model.PositionalParamSpec;\n\n")
                .append("/** The picocli model of ").append(top.getSimpleName())
                .append(", written from its annotations by dev.freshet.codegen.CommandSpecProcessor. */\n")
                .append("@javax.annotation.processing.Generated(\"dev.freshet.codegen.CommandSpecProcessor\")\n")
                .append("public final class ").append(name).append(" {\n")
                .append("    private ").append(name).append("() {\n    }\n");
        for (TypeElement type : types) {
            specMethod(code, type);
        }
        List<TypeElement> subcommands = typeValues(top, "subcommands");
        if (types.contains(top) && !subcommands.isEmpty()) {
            code.append("\n    /** The subcommand of ").append(top.getSimpleName()).append(" called {@code name}, alone; null if there is none. */\n")
                    .append("    public static CommandLine subcommand(String name) {\n        return switch (name) {\n");
            for (TypeElement sub : subcommands) {
                code.append("            case ").append(literal(commandName(sub))).append(" -> ").append(subcommandLine(sub)).append(";\n");
            }
            code.append("            default -> null;\n        };\n    }\n");
        }
        for (TypeElement type : types) {
            bindingClass(code, type);
        }
        code.append("}\n");
        try (PrintWriter out = new PrintWriter(processingEnv.getFiler().createSourceFile(pkg + "." + name, top).openWriter())) {
            out.print(code);
        } catch (IOException e) {
            throw new NotModeled(top, "cannot write " + pkg + "." + name + ": " + e.getMessage());
        }
    }

    private void specMethod(StringBuilder code, TypeElement type) {
        String cls = type.getQualifiedName().toString();
        code.append("\n    /** The model of {@link ").append(cls).append("}, bound to {@code command}. */\n")
                .append("    public static CommandSpec spec(").append(cls).append(" command) {\n")
                .append("        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);\n");
        Map<String, AnnotationValue> command = commandAttributes(type);
        if (command.containsKey("name")) {
            code.append("        spec.name(").append(literal(string(command.get("name")))).append(");\n");
        }
        for (String part : List.of("description", "header", "footer")) {
            if (command.containsKey(part)) {
                code.append("        spec.usageMessage().").append(part).append("(").append(literals(strings(command.get(part)))).append(");\n");
            }
        }
        if (command.containsKey("versionProvider")) {
            code.append("        spec.versionProvider(new ").append(typeName(command.get("versionProvider"))).append("());\n");
        }
        for (TypeElement sub : typeValues(type, "subcommands")) {
            code.append("        spec.addSubcommand(").append(literal(commandName(sub))).append(", ").append(subcommandLine(sub)).append(");\n");
        }
        List<VariableElement> fields = fields(type);
        for (int i = 0; i < fields.size(); i++) {
            field(code, type, fields.get(i), i);
        }
        if (command.containsKey("mixinStandardHelpOptions") && (Boolean) command.get("mixinStandardHelpOptions").getValue()) {
            // As picocli's AutoHelpMixin declares them, added last, and left out when the command has an option
            // of the same name, as picocli's CommandSpec.mixinStandardHelpOptions does.
            code.append("        if (!spec.optionsMap().containsKey(\"-h\") && !spec.optionsMap().containsKey(\"--help\")\n")
                    .append("                && !spec.optionsMap().containsKey(\"-V\") && !spec.optionsMap().containsKey(\"--version\")) {\n")
                    .append("            CommandSpec standardHelp = CommandSpec.create();\n")
                    .append("            standardHelp.addOption(OptionSpec.builder(\"-h\", \"--help\").usageHelp(true).paramLabel(\"<helpRequested>\").initialValue(false)")
                    .append(".descriptionKey(\"mixinStandardHelpOptions.help\").description(\"Show this help message and exit.\").build());\n")
                    .append("            standardHelp.addOption(OptionSpec.builder(\"-V\", \"--version\").versionHelp(true).paramLabel(\"<versionRequested>\").initialValue(false)")
                    .append(".descriptionKey(\"mixinStandardHelpOptions.version\").description(\"Print version information and exit.\").build());\n")
                    .append("            spec.addMixin(\"mixinStandardHelpOptions\", standardHelp);\n        }\n");
        }
        code.append("        return spec;\n    }\n");
    }

    private void field(StringBuilder code, TypeElement type, VariableElement field, int index) {
        String access = "command." + field.getSimpleName();
        String binding = "new " + bindingName(type) + "(command, " + index + ")";
        AnnotationMirror option = annotation(field, "Option");
        AnnotationMirror parameters = annotation(field, "Parameters");
        AnnotationMirror mixin = annotation(field, "Mixin");
        if (annotation(field, "Spec") != null) {
            checkModeled(field, annotation(field, "Spec"), "Spec");
            code.append("        ").append(access).append(" = spec;\n");
        } else if (mixin != null) {
            Map<String, AnnotationValue> values = checkModeled(field, mixin, "Mixin");
            String name = values.containsKey("name") ? string(values.get("name")) : field.getSimpleName().toString();
            String mixinType = processingEnv.getTypeUtils().erasure(field.asType()).toString();
            code.append("        if (").append(access).append(" == null) {\n            ").append(access).append(" = new ").append(mixinType)
                    .append("();\n        }\n        spec.addMixin(").append(literal(name)).append(", ")
                    .append(specClassOf((TypeElement) processingEnv.getTypeUtils().asElement(field.asType()))).append(".spec(").append(access)
                    .append("));\n");
        } else if (option != null || parameters != null) {
            boolean isOption = option != null;
            Map<String, AnnotationValue> values = checkModeled(field, isOption ? option : parameters, isOption ? "Option" : "Parameters");
            StringBuilder builder = new StringBuilder(isOption
                    ? "OptionSpec.builder(" + literals(strings(values.get("names"))) + ")"
                    : "PositionalParamSpec.builder()");
            if (!isOption && values.containsKey("index")) {
                builder.append(".index(").append(literal(string(values.get("index")))).append(")");
            }
            // picocli infers the arity from the field's type when the annotation gives none, and a positional
            // parameter is required when its arity asks for at least one value.
            TypeMirror fieldType = field.asType();
            builder.append(".type(").append(processingEnv.getTypeUtils().erasure(fieldType)).append(".class)");
            if (fieldType instanceof DeclaredType declared && !declared.getTypeArguments().isEmpty()) {
                builder.append(".auxiliaryTypes(").append(declared.getTypeArguments().stream()
                        .map(t -> processingEnv.getTypeUtils().erasure(t) + ".class").collect(Collectors.joining(", "))).append(")");
            }
            String arity = values.containsKey("arity") ? string(values.get("arity")) : null;
            builder.append(".arity(").append(arity != null ? literal(arity)
                    : "CommandLine.Range.valueOf(" + literal(defaultArity(fieldType, isOption)) + ").unspecified(true)").append(")");
            if (values.containsKey("required")) {
                builder.append(".required(").append(values.get("required").getValue()).append(")");
            } else if (!isOption) {
                builder.append(".required(").append(atLeastOne(arity != null ? arity : defaultArity(fieldType, false))).append(")");
            }
            String label = values.containsKey("paramLabel") && !string(values.get("paramLabel")).isBlank()
                    ? string(values.get("paramLabel")).trim() : "<" + field.getSimpleName() + ">";
            builder.append(".paramLabel(").append(literal(label)).append(")");
            builder.append(".descriptionKey(\"\")");
            if (values.containsKey("description")) {
                builder.append(".description(").append(literals(strings(values.get("description")))).append(")");
            }
            if (values.containsKey("defaultValue")) {
                builder.append(".defaultValue(").append(literal(string(values.get("defaultValue")))).append(")");
            }
            if (values.containsKey("split")) {
                builder.append(".splitRegex(").append(literal(string(values.get("split")))).append(")");
            }
            if (values.containsKey("fallbackValue")) {
                builder.append(".fallbackValue(").append(literal(string(values.get("fallbackValue")))).append(")");
            }
            builder.append(".getter(").append(binding).append(").setter(").append(binding).append(")")
                    .append(".initialValue(").append(access).append(").hasInitialValue(true).build()");
            code.append("        spec.").append(isOption ? "addOption(" : "addPositional(").append(builder).append(");\n");
        }
    }

    /**
     * The arity picocli gives an argument whose annotation names none (its Range.defaultArity): none for a
     * boolean option (or a list of them), one for another option; for a positional parameter, at most one
     * at each position for a list, a map or an array, and one otherwise.
     */
    private String defaultArity(TypeMirror fieldType, boolean isOption) {
        if (isOption) {
            TypeMirror element = fieldType instanceof DeclaredType declared && isMultiValue(fieldType) && !declared.getTypeArguments().isEmpty()
                    ? declared.getTypeArguments().getFirst() : fieldType;
            return isBoolean(element) ? "0" : "1";
        }
        return isMultiValue(fieldType) ? "0..1" : "1";
    }

    private boolean isBoolean(TypeMirror type) {
        return type.getKind() == TypeKind.BOOLEAN || type.toString().equals("java.lang.Boolean");
    }

    /** Whether an arity asks for a value at least: what makes picocli's positional parameter required. */
    private static boolean atLeastOne(String arity) {
        String range = arity.trim();
        int end = range.indexOf("..");
        String min = (end < 0 ? range : range.substring(0, end)).trim();
        return !min.equals("*") && Integer.parseInt(min) > 0;
    }

    private boolean isMultiValue(TypeMirror type) {
        TypeMirror erased = processingEnv.getTypeUtils().erasure(type);
        return erased.getKind() == TypeKind.ARRAY || Stream.of("java.util.Collection", "java.util.Map").anyMatch(name ->
                processingEnv.getTypeUtils().isAssignable(erased, processingEnv.getTypeUtils().erasure(
                        processingEnv.getElementUtils().getTypeElement(name).asType())));
    }

    /**
     * A class that reads and writes one command object's fields by their position in {@link #fields}; none
     * for a class without options or parameters (only mixins and specs, which the model sets itself).
     */
    private void bindingClass(StringBuilder code, TypeElement type) {
        List<VariableElement> fields = fields(type);
        if (fields.stream().noneMatch(this::isArg)) {
            return;
        }
        String cls = type.getQualifiedName().toString();
        String name = bindingName(type);
        code.append("\n    private static final class ").append(name).append(" implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {\n")
                .append("        private final ").append(cls).append(" command;\n")
                .append("        private final int field;\n\n")
                .append("        ").append(name).append("(").append(cls).append(" command, int field) {\n")
                .append("            this.command = command;\n            this.field = field;\n        }\n\n")
                .append("        @Override\n        @SuppressWarnings(\"unchecked\")\n        public <T> T get() {\n")
                .append("            Object value = switch (field) {\n");
        for (int i = 0; i < fields.size(); i++) {
            if (isArg(fields.get(i))) {
                code.append("                case ").append(i).append(" -> command.").append(fields.get(i).getSimpleName()).append(";\n");
            }
        }
        code.append("                default -> throw new IllegalStateException(\"no option or parameter at \" + field);\n")
                .append("            };\n            return (T) value;\n        }\n\n")
                .append("        @Override\n        @SuppressWarnings(\"unchecked\")\n        public <T> T set(T value) {\n")
                .append("            T old = get();\n            switch (field) {\n");
        for (int i = 0; i < fields.size(); i++) {
            VariableElement field = fields.get(i);
            if (isArg(field)) {
                TypeMirror fieldType = field.asType();
                String cast = fieldType.getKind().isPrimitive()
                        ? processingEnv.getTypeUtils().boxedClass((PrimitiveType) fieldType).getQualifiedName().toString()
                        : fieldType.toString();
                code.append("                case ").append(i).append(" -> command.").append(field.getSimpleName()).append(" = (")
                        .append(cast).append(") value;\n");
            }
        }
        code.append("                default -> throw new IllegalStateException(\"no option or parameter at \" + field);\n")
                .append("            }\n            return old;\n        }\n    }\n");
    }

    private boolean isArg(VariableElement field) {
        return annotation(field, "Option") != null || annotation(field, "Parameters") != null;
    }

    /** The class's picocli fields, superclasses' first, each class's in declaration order: picocli's order. */
    private List<VariableElement> fields(TypeElement type) {
        List<VariableElement> fields = new ArrayList<>();
        TypeMirror superclass = type.getSuperclass();
        if (superclass.getKind() == TypeKind.DECLARED) {
            fields.addAll(fields((TypeElement) processingEnv.getTypeUtils().asElement(superclass)));
        }
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (MODELED.keySet().stream().anyMatch(a -> annotation(field, a) != null) || annotation(field, "ArgGroup") != null) {
                if (field.getModifiers().contains(Modifier.PRIVATE)) {
                    throw new NotModeled(field, "the generated picocli model sets " + type.getSimpleName() + "." + field.getSimpleName()
                            + " directly; make it package-private");
                }
                fields.add(field);
            }
        }
        return fields;
    }

    /** The {@code @Command} attributes along the class hierarchy, a subclass's over its superclass's. */
    private Map<String, AnnotationValue> commandAttributes(TypeElement type) {
        Map<String, AnnotationValue> attributes = new TreeMap<>();
        TypeMirror superclass = type.getSuperclass();
        if (superclass.getKind() == TypeKind.DECLARED) {
            attributes.putAll(commandAttributes((TypeElement) processingEnv.getTypeUtils().asElement(superclass)));
        }
        AnnotationMirror command = annotation(type, "Command");
        if (command != null) {
            attributes.putAll(checkModeled(type, command, "Command"));
        }
        return attributes;
    }

    private List<TypeElement> typeValues(TypeElement type, String attribute) {
        AnnotationMirror command = annotation(type, "Command");
        if (command == null) {
            return List.of();
        }
        AnnotationValue value = values(command).get(attribute);
        if (value == null) {
            return List.of();
        }
        List<TypeElement> types = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            types.add((TypeElement) processingEnv.getTypeUtils().asElement((TypeMirror) ((AnnotationValue) item).getValue()));
        }
        return types;
    }

    /** The subcommand's command line: from its generated model, or from picocli's reflection when it has none. */
    private String subcommandLine(TypeElement sub) {
        String cls = sub.getQualifiedName().toString();
        return modeledHere(sub) ? "new CommandLine(" + specClassOf(sub) + ".spec(new " + cls + "()))" : "new CommandLine(new " + cls + "())";
    }

    /** Whether this compilation writes the class's model (a library's class, such as picocli's HelpCommand, has none). */
    private boolean modeledHere(TypeElement type) {
        return compiled.contains(topLevel(type)) && modeled(type);
    }

    private String specClassOf(TypeElement type) {
        TypeElement top = topLevel(type);
        return processingEnv.getElementUtils().getPackageOf(top).getQualifiedName() + "." + specClassName(top);
    }

    /** The generated class that holds the models of a top-level class and of the classes nested in it. */
    private static String specClassName(TypeElement top) {
        return top.getSimpleName() + "Spec";
    }

    private String commandName(TypeElement type) {
        AnnotationMirror command = annotation(type, "Command");
        AnnotationValue name = command == null ? null : values(command).get("name");
        if (name == null) {
            throw new NotModeled(type, "subcommand " + type.getQualifiedName() + " has no @Command(name = ...)");
        }
        return string(name);
    }

    private static String bindingName(TypeElement type) {
        List<String> names = new ArrayList<>();
        for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            names.addFirst(t.getSimpleName().toString());
        }
        return String.join("_", names) + "Fields";
    }

    private static TypeElement topLevel(TypeElement type) {
        TypeElement top = type;
        while (top.getEnclosingElement() instanceof TypeElement outer) {
            top = outer;
        }
        return top;
    }

    private Map<String, AnnotationValue> checkModeled(Element element, AnnotationMirror mirror, String annotation) {
        Map<String, AnnotationValue> values = values(mirror);
        for (String attribute : values.keySet()) {
            if (!MODELED.get(annotation).contains(attribute)) {
                throw new NotModeled(element, "@" + annotation + "(" + attribute + " = ...) is not written into the generated picocli model; "
                        + "teach dev.freshet.codegen.CommandSpecProcessor to write it");
            }
        }
        return values;
    }

    private static AnnotationMirror annotation(Element element, String simpleName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(PICOCLI + simpleName)) {
                return mirror;
            }
        }
        return null;
    }

    private static Map<String, AnnotationValue> values(AnnotationMirror mirror) {
        Map<String, AnnotationValue> values = new LinkedHashMap<>();
        mirror.getElementValues().forEach((key, value) -> values.put(key.getSimpleName().toString(), value));
        return values;
    }

    private static String string(AnnotationValue value) {
        return (String) value.getValue();
    }

    private static List<String> strings(AnnotationValue value) {
        return ((List<?>) value.getValue()).stream().map(item -> (String) ((AnnotationValue) item).getValue()).toList();
    }

    private String typeName(AnnotationValue value) {
        return ((TypeElement) processingEnv.getTypeUtils().asElement((TypeMirror) value.getValue())).getQualifiedName().toString();
    }

    private String literal(String text) {
        return processingEnv.getElementUtils().getConstantExpression(text);
    }

    private String literals(List<String> texts) {
        return texts.stream().map(this::literal).collect(Collectors.joining(", "));
    }

    /** What stops the model of a class from being written (an attribute or a field it cannot express): a compile error on that element. */
    private static final class NotModeled extends RuntimeException {
        private final transient Element element;

        NotModeled(Element element, String message) {
            super(message);
            this.element = element;
        }
    }
}
