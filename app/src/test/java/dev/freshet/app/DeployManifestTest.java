package dev.freshet.app;

import static dev.freshet.app.DeployFiles.DEPLOY;
import static dev.freshet.app.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.updates.policy.UpdatePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, the Compose file, the image definition and the Grafana dashboard hold the
 * invariants a cluster or a Docker engine would check (neither runs here; {@code .ci/run} also runs
 * {@code kubectl kustomize} and {@code docker-compose config} when they are installed), and agree with
 * the service: its port, its health endpoints, its environment variables, its settings files.
 */
class DeployManifestTest {
    private static final int PORT = 8460;

    @Test
    void everyContainerHasProbesLimitsAndRunsAsNonRootOnAReadOnlyRoot() {
        JsonNode pod = DeployFiles.kubernetesObject("Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as("no API token in the pod").isFalse();
        Set<String> volumes = names(pod.path("volumes"));
        List<JsonNode> containers = list(pod.path("containers"));
        assertThat(containers).isNotEmpty();
        for (JsonNode c : containers) {
            String name = c.path("name").asText();
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(c.path(probe).path("httpGet").path("path").asText()).as(name + " " + probe).startsWith("/health/");
            }
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
            for (String kind : List.of("requests", "limits")) {
                assertThat(c.path("resources").path(kind).has("cpu")).as(name + " " + kind + " cpu").isTrue();
                assertThat(c.path("resources").path(kind).has("memory")).as(name + " " + kind + " memory").isTrue();
            }
            JsonNode security = c.path("securityContext");
            assertThat(security.path("runAsNonRoot").asBoolean()).as(name + " runAsNonRoot").isTrue();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(name + " readOnlyRootFilesystem").isTrue();
            assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(name + " allowPrivilegeEscalation").isFalse();
            assertThat(list(security.path("capabilities").path("drop")).stream().map(JsonNode::asText)).contains("ALL");
            // Every place the service writes is a mounted volume, since the root is read-only.
            Map<String, String> env = env(c);
            List<String> writable = list(c.path("volumeMounts")).stream().filter(m -> !m.path("readOnly").asBoolean())
                    .map(m -> m.path("mountPath").asText()).toList();
            assertThat(writable).contains("/tmp");
            for (String path : List.of(env.get("FRESHET_DATA_DIR"), env.get("FRESHET_NATIVE_DIR"))) {
                assertThat(path).as(name + ": a data and a native directory are set").isNotNull();
                assertThat(writable).as(path + " lies on a writable volume").anyMatch(mount -> path.equals(mount) || path.startsWith(mount + "/"));
            }
            list(c.path("volumeMounts")).forEach(m -> assertThat(volumes).contains(m.path("name").asText()));
        }
    }

    @Test
    void portsLabelsAndNamesAgreeAcrossTheObjects() {
        JsonNode deployment = DeployFiles.kubernetesObject("Deployment");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(PORT);
        assertThat(list(container.path("args")).stream().map(JsonNode::asText).toList())
                .containsSubsequence("serve", "--host", "0.0.0.0", "--port", String.valueOf(PORT));
        assertThat(contains(podLabels, deployment.path("spec").path("selector").path("matchLabels"))).isTrue();

        JsonNode service = DeployFiles.kubernetesObject("Service");
        assertThat(contains(podLabels, service.path("spec").path("selector"))).as("the Service selects the pods").isTrue();
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo(container.path("ports").get(0).path("name").asText());
        assertThat(contains(podLabels, DeployFiles.kubernetesObject("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"))).isTrue();
        JsonNode policy = DeployFiles.kubernetesObject("NetworkPolicy");
        assertThat(contains(podLabels, policy.path("spec").path("podSelector").path("matchLabels"))).isTrue();
        assertThat(policy.path("spec").path("ingress").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(PORT);
        assertThat(list(policy.path("spec").path("policyTypes")).stream().map(JsonNode::asText)).contains("Ingress", "Egress");

        JsonNode hpa = DeployFiles.kubernetesObject("HorizontalPodAutoscaler");
        assertThat(hpa.path("spec").path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo(deployment.path("metadata").path("name").asText());
        assertThat(hpa.path("spec").path("minReplicas").asInt())
                .as("at least two nodes, so the budget's one may be disrupted").isGreaterThanOrEqualTo(2);
        assertThat(DeployFiles.kubernetesObject("PodDisruptionBudget").path("spec").path("minAvailable").asInt())
                .isLessThan(hpa.path("spec").path("minReplicas").asInt());
        assertThat(deployment.path("spec").path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo(DeployFiles.kubernetesObject("ServiceAccount").path("metadata").path("name").asText());
    }

    @Test
    void configAndSecretsReferencedAreProvidedAndTheEnvironmentIsWhatFreshetReads() throws IOException {
        JsonNode kustomization = DeployFiles.yaml(DEPLOY.resolve("k8s/base/kustomization.yaml")).getFirst();
        Set<String> generated = new HashSet<>();
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            generated.add(generator.path("name").asText());
            generator.path("files").forEach(f -> assertThat(DEPLOY.resolve("k8s/base").resolve(f.asText())).isRegularFile());
        }
        JsonNode pod = DeployFiles.kubernetesObject("Deployment").path("spec").path("template").path("spec");
        list(pod.path("volumes")).stream().filter(v -> v.has("configMap"))
                .forEach(v -> assertThat(generated).contains(v.path("configMap").path("name").asText()));
        String sources = mainSources();
        for (JsonNode c : pod.path("containers")) {
            for (JsonNode variable : c.path("env")) {
                String name = variable.path("name").asText();
                if (name.startsWith("FRESHET_")) {
                    assertThat(sources).as(name + " is read by Freshet").contains("\"" + name + "\"");
                }
                JsonNode secret = variable.path("valueFrom").path("secretKeyRef");
                if (!secret.isMissingNode()) {
                    // The Secret is made by the operator (never committed); the kustomization says how, key by key.
                    assertThat(DeployFiles.read(DEPLOY.resolve("k8s/base/kustomization.yaml")))
                            .contains("secret generic " + secret.path("name").asText()).contains("--from-literal=" + secret.path("key").asText() + "=");
                }
            }
        }
        Path config = DEPLOY.resolve("k8s/base/config/freshet.toml");
        Settings settings = Settings.resolve(config, null, Map.of("FRESHET_DATA_DIR", "/var/lib/freshet"));
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/freshet"));
        assertThat(settings.policyFile()).isEqualTo(config.resolveSibling("policy.toml"));
        assertThat(UpdatePolicy.read(settings.policyFile()).rolloutPlan()).as("the policy rolls updates out").isPresent();
    }

    @Test
    void theComposeFileRunsFreshetOnPostgresWithPrometheusAndGrafana() {
        Path composeDir = DEPLOY.resolve("compose");
        JsonNode services = DeployFiles.yaml(composeDir.resolve("docker-compose.yml")).getFirst().path("services");
        assertThat(iterable(services.fieldNames())).containsExactlyInAnyOrder("postgres", "freshet", "prometheus", "grafana");
        JsonNode freshet = services.path("freshet");
        assertThat(freshet.path("environment").path("FRESHET_DATABASE_URL").asText()).startsWith("jdbc:postgresql://postgres:");
        assertThat(freshet.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(freshet.path("read_only").asBoolean()).isTrue();
        assertThat(freshet.path("user").asText()).doesNotStartWith("0").startsWith(dockerfileUser());
        assertThat(freshet.path("healthcheck").path("test").toString()).contains("/health/ready");
        assertThat(freshet.path("ports").get(0).asText()).endsWith(":" + PORT + ":" + PORT);
        assertThat(freshet.path("image").asText()).endsWith(":" + imageTag());
        // Every file or directory the services mount from the checkout exists.
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(composeDir.resolve(source).normalize()).as(volume.asText()).exists();
                }
            }
        }
        JsonNode scrape = DeployFiles.yaml(DEPLOY.resolve("prometheus/prometheus.yml")).getFirst().path("scrape_configs").get(0);
        assertThat(scrape.path("job_name").asText()).as("the job the alert rules name").isEqualTo("freshet");
        assertThat(scrape.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("freshet:" + PORT);
    }

    @Test
    void theImageRunsTheAppJarOnJdk25AsANonRootUser() {
        List<String> instructions = dockerfile();
        assertThat(instructions).anyMatch(i -> i.matches("FROM eclipse-temurin:25-jre\\b.*"));
        assertThat(instructions).contains("EXPOSE " + PORT);
        assertThat(dockerfileUser()).isNotEqualTo("0").isEqualTo(
                String.valueOf(DeployFiles.kubernetesObject("Deployment").path("spec").path("template").path("spec").path("securityContext").path("runAsUser").asInt()));
        assertThat(instructions).anyMatch(i -> i.startsWith("COPY --from=build /src/app/target/freshet-app.jar "));
        assertThat(instructions).anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("/health/live"));
        assertThat(DeployFiles.read(DEPLOY.resolve("docker/freshet"))).contains("-jar /opt/freshet/freshet-app.jar");
    }

    @Test
    void theDashboardPanelsEachQueryTheirDataSource() {
        JsonNode dashboard = DeployFiles.json(DEPLOY.resolve("grafana/freshet-dashboard.json"));
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(DeployFiles.metricNames(t.path("expr").asText())).isNotEmpty());
        }
        assertThat(ids).hasSizeGreaterThan(10);
    }

    @Test
    void metricNamesAreFoundInExpressionsButNotLabelsOrFunctions() {
        assertThat(DeployFiles.metricNames("max by (feed) (freshet_feed_stale{job=\"freshet_x\"}) == 1")).containsExactly("freshet_feed_stale");
        assertThat(DeployFiles.metricNames("histogram_quantile(0.95, sum by (le) (rate(freshet_scan_duration_seconds_bucket[5m])))"))
                .containsExactly("freshet_scan_duration_seconds_bucket");
        assertThat(DeployFiles.metricNames("up{job=\"freshet\"} == 0 and process_uptime_seconds > 1"))
                .containsExactly("process_uptime_seconds", "up");
    }

    private static String imageTag() {
        JsonNode image = DeployFiles.yaml(DEPLOY.resolve("k8s/base/kustomization.yaml")).getFirst().path("images").get(0);
        return image.path("newTag").asText();
    }

    /** The Dockerfile's instructions, continuation lines joined, comments left out. */
    private static List<String> dockerfile() {
        String joined = DeployFiles.read(ROOT.resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
        return joined.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The user id of the image's last USER instruction. */
    private static String dockerfileUser() {
        return dockerfile().stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElseThrow()
                .substring("USER ".length()).split(":")[0];
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String module : List.of("engine", "updates", "app")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> all.append(DeployFiles.read(f)));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return all.toString();
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.HashMap<>();
        container.path("env").forEach(v -> {
            if (v.has("value")) {
                env.put(v.path("name").asText(), v.path("value").asText());
            }
        });
        return env;
    }

    /** Whether every label of {@code selector} is on {@code labels} with the same value. */
    private static boolean contains(JsonNode labels, JsonNode selector) {
        assertThat(selector.size()).as("a selector that selects something").isPositive();
        return iterable(selector.fieldNames()).stream().allMatch(k -> selector.path(k).asText().equals(labels.path(k).asText()));
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> all = new ArrayList<>();
        names.forEachRemaining(all::add);
        return all;
    }
}
