package dev.freshet.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The deployment files under {@code deploy/}, read as data for the tests that keep them consistent with the service. */
final class DeployFiles {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A metric name in PromQL: a name followed by a selector, a space, an operator or a bracket, not a function or label. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:freshet|jvm|process|system)_[a-z0-9_]+|up)\\b(?!\\s*\\()");

    private DeployFiles() {
    }

    /** Every YAML document in a file, as a JSON tree. */
    static List<JsonNode> yaml(Path file) {
        Load load = new Load(LoadSettings.builder().build());
        return StreamSupport.stream(load.loadAllFromString(read(file)).spliterator(), false)
                .filter(doc -> doc != null).map(doc -> (JsonNode) JSON.valueToTree(doc)).toList();
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Kubernetes objects the kustomization lists as resources, in its order. */
    static List<JsonNode> kubernetesObjects() {
        Path base = DEPLOY.resolve("k8s/base");
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : yaml(base.resolve("kustomization.yaml")).getFirst().path("resources")) {
            objects.addAll(yaml(base.resolve(resource.asText())));
        }
        return objects;
    }

    static JsonNode kubernetesObject(String kind) {
        return kubernetesObjects().stream().filter(o -> o.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in deploy/k8s/base"));
    }

    static List<String> alertExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : yaml(DEPLOY.resolve("prometheus/alerts.yml")).getFirst().path("groups")) {
            group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText()));
        }
        return expressions;
    }

    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : json(DEPLOY.resolve("grafana/freshet-dashboard.json")).path("panels")) {
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
        }
        return expressions;
    }

    /** The metric names a PromQL expression reads (label names and functions left out). */
    static Set<String> metricNames(String expression) {
        // Label matchers and grouping lists hold label names, never metrics.
        String outsideLabels = expression.replaceAll("\\{[^}]*}", "{}").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(outsideLabels);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
