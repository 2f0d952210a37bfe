package dev.freshet.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The module edges and the one composition root, pinned. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.freshet");
    }

    @Test
    void theEngineKnowsNeitherUpdatesNorTheApplication() {
        noClasses().that().resideInAPackage("dev.freshet.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freshet.updates..", "dev.freshet.app..")
                .check(production);
    }

    @Test
    void updatesKnowNoCommandLineAndNoHttpServer() {
        noClasses().that().resideInAPackage("dev.freshet.updates..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "io.javalin..", "dev.freshet.app..")
                .check(production);
    }

    /** The command line ends with {@code Runtime.halt} ({@link Main#exit(int)}), which runs no shutdown hook. */
    @Test
    void nothingWaitsForTheJvmsShutdown() {
        noClasses().that().resideInAPackage("dev.freshet..")
                .should().callMethod(Runtime.class, "addShutdownHook", Thread.class)
                .orShould().callMethod(java.io.File.class, "deleteOnExit")
                .because("Main.exit halts the JVM: a command closes what it opened before it returns")
                .check(production);
    }

    @Test
    void onlyMainRefersToCommandClasses() {
        classes().that().resideInAPackage("dev.freshet..").should(referToCommandsOnlyFromMainTheirOwnClassOrTheirParent())
                .check(production);
    }

    @Test
    void theParserIsMadeOnlyByTheCompositionRoot() {
        noClasses().that().resideInAPackage("dev.freshet.app..").and().doNotHaveFullyQualifiedName(Engine.class.getName())
                .should().callConstructor(TreeSitterParser.class)
                .orShould().callConstructor(ValidationGate.class, GatePolicy.class)
                .check(production);
    }

    private static ArchCondition<JavaClass> referToCommandsOnlyFromMainTheirOwnClassOrTheirParent() {
        return new ArchCondition<>("refer to command classes only from Main, from within the command, or as its parent command") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    if (!isCommand(target) || allowed(origin, target)) {
                        continue;
                    }
                    events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                }
            }
        };
    }

    private static boolean isCommand(JavaClass type) {
        return type.getPackageName().startsWith("dev.freshet") && type.isAnnotatedWith(Command.class)
                && !type.getName().equals(Main.class.getName());
    }

    private static boolean allowed(JavaClass origin, JavaClass target) {
        String from = modeled(topLevel(origin));
        if (from.equals(Main.class.getName()) || from.equals(topLevel(target))) {
            return true;
        }
        return parentCommands(origin).anyMatch(command -> Arrays.stream(command.getAnnotationOfType(Command.class).subcommands())
                .anyMatch(subcommand -> subcommand.getName().equals(target.getName())));
    }

    /** A picocli model the build wrote ({@code <Class>Spec}, by dev.freshet.codegen) stands for the class it models. */
    private static String modeled(String className) {
        return className.endsWith("Spec") ? className.substring(0, className.length() - "Spec".length()) : className;
    }

    /** The origin if it is a command, else the commands a generated model in it builds ({@code spec(command)}). */
    private static Stream<JavaClass> parentCommands(JavaClass origin) {
        if (origin.isAnnotatedWith(Command.class)) {
            return Stream.of(origin);
        }
        String top = topLevel(origin);
        return top.equals(modeled(top)) ? Stream.empty() : origin.getMethods().stream().filter(method -> method.getName().equals("spec"))
                .flatMap(method -> method.getRawParameterTypes().stream()).filter(type -> type.isAnnotatedWith(Command.class));
    }

    private static String topLevel(JavaClass type) {
        String name = type.getName();
        return name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
    }
}
