package dev.freshet.app;

import dev.freshet.engine.models.Assessment;
import dev.freshet.engine.models.Finding;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequestParser;
import dev.freshet.engine.models.IncompatibleModelException;
import dev.freshet.engine.models.RequestParseException;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.learning.AttackPayloads;
import dev.freshet.updates.learning.Evaluation;
import dev.freshet.updates.learning.HttpAnomalyLearning;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.learning.ModelSources;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.sources.SourceUrls;
import java.net.MalformedURLException;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutPlan;
import java.time.Instant;
import java.util.Optional;
import dev.freshet.updates.learning.ModelVersion;
import dev.freshet.updates.learning.TrafficFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freshet models ...}: the http-anomaly model: train, learn from logs, score, evaluate; its versions as releases. */
@Command(name = "models", mixinStandardHelpOptions = true,
        header = "ML models as knowledge: train, learn, score, evaluate; list, activate and roll back versions.",
        description = {"ML models as knowledge. The http-anomaly model scores HTTP requests against per-route,",
                "per-parameter profiles of benign traffic and explains its verdicts.",
                "Each version is a release on the track models/<name>: its artifact a blob named by its SHA-256, with its",
                "evaluation figures and training provenance. 'freshet update status|history|diff --track models/http-anomaly'",
                "and 'freshet rollout ... --track models/http-anomaly' work on it like on any track."},
        subcommands = {ModelsCommand.Train.class, ModelsCommand.Learn.class, ModelsCommand.Score.class,
                ModelsCommand.Evaluate.class, ModelsCommand.ListVersions.class, ModelsCommand.Activate.class,
                ModelsCommand.Rollback.class, ModelsCommand.History.class, ModelsCommand.Collect.class, ModelsCommand.AddSource.class,
                ModelsCommand.Sources.class, ModelsCommand.Pull.class, ModelsCommand.Export.class},
        footer = {"", "Examples:", "  freshet models train http-anomaly --benign normalTrafficTraining.txt --attacks payload_train.csv",
                "  freshet models learn http-anomaly --log /var/log/nginx/access.log --format combined",
                "  freshet models score http-anomaly --request request.txt",
                "  freshet models evaluate http-anomaly --normal normalTrafficTest.txt --anomalous anomalousTrafficTest.txt",
                "  freshet models rollback http-anomaly",
                "  freshet models add-source http-anomaly vendor --signed https://models.example.com/ --root root.json"})
final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The model a subcommand works on, and the store its versions live in. */
    static final class ModelTarget {
        @Mixin
        StoreOptions options;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The model: http-anomaly.")
        String model;

        /** Opens the parts after checking the model's name; the caller closes them. */
        Parts parts() {
            if (!model.equals(HttpAnomalyModel.NAME)) {
                throw new UserError("unknown model '" + model + "': the models are " + HttpAnomalyModel.NAME);
            }
            return options.parts();
        }
    }

    static TrafficFormat format(String name) {
        try {
            return TrafficFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static void requireFiles(List<Path> files, String option) {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new UserError(option + " " + file + ": no such file");
            }
        }
    }

    static HttpAnomalyModel activeModel(Parts parts, String model) {
        try {
            ModelReleases versions = parts.models(model);
            ModelVersion active = versions.active().orElseThrow(() -> new UserError("no active " + model
                    + " model: train one with 'freshet models train " + model + " --benign FILE'"));
            return versions.load(active).model();
        } catch (IncompatibleModelException e) {
            throw new UserError("the active " + model + " version cannot be used: " + e.getMessage());
        }
    }

    /** Prints what a training or learning run did; exit code 1 when no version passed its gate. */
    private static int report(ModelTarget target, HttpAnomalyLearning.Outcome outcome) {
        target.options.print(outcomeJson(outcome), outcomeText(outcome));
        return outcome.version().filter(ModelVersion::passed).isPresent() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /** The outcome as {@code --json} prints it: absent parts as null. */
    static Map<String, Object> outcomeJson(HttpAnomalyLearning.Outcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", outcome.version().orElse(null));
        json.put("activated", outcome.activated());
        json.put("rollout", outcome.rollout().orElse(null));
        json.put("provenance", outcome.provenance());
        json.put("evaluation", outcome.evaluation());
        json.put("problems", outcome.problems());
        json.put("message", outcome.message());
        return json;
    }

    static String outcomeText(HttpAnomalyLearning.Outcome outcome) {
        StringBuilder text = new StringBuilder();
        outcome.problems().forEach(problem -> text.append("warning: ").append(problem).append('\n'));
        text.append("provenance: ").append(outcome.provenance()).append('\n');
        if (!outcome.evaluation().isEmpty()) {
            text.append("evaluation: ").append(outcome.evaluation()).append('\n');
        }
        outcome.version().ifPresent(version -> text.append("threshold: ").append(version.threshold()).append('\n'));
        return text.append(outcome.message()).toString();
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            header = "Train a first version of a model from benign traffic.",
            description = {"Train a first version from benign traffic: a validation split with new values is held apart,",
                    "the threshold is calibrated on it to --target-fpr, and the version is released on models/http-anomaly.",
                    "If it passes the gate (validation false-positive rate at most 1 %; detection of injected --attacks at",
                    "least 50 %) it is activated, or rolled out by the policy's [rollout] plan when a version is live.",
                    "Exit code 1 when the version failed the gate (it is stored with its reasons, never activated)."},
            footer = {"", "Example:", "  freshet models train http-anomaly --benign ../shared/data/waf/csic2010/normalTrafficTraining.txt \\",
                    "      --attacks ../shared/data/waf/httpparams/payload_train.csv --attacks ../shared/data/waf/fwaf/badqueries.txt"})
    static final class Train implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--benign", required = true, arity = "1..*", paramLabel = "FILE", description = "Benign traffic.")
        List<Path> benign;

        @Option(names = "--format", defaultValue = "csic", description = "csic, combined or jsonl (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--attacks", arity = "1..*", paramLabel = "FILE",
                description = "Attack payload lists as published: httpparams payload_*.csv (rows labelled anom), fwaf badqueries.txt.")
        List<Path> attacks = new ArrayList<>();

        @Option(names = "--target-fpr", defaultValue = "0.005", description = "False-positive rate to calibrate to (default: ${DEFAULT-VALUE}).")
        double targetFpr;

        @Mixin
        RolloutOptions rollout;

        @Override
        public Integer call() {
            requireFiles(benign, "--benign");
            requireFiles(attacks, "--attacks");
            try (Parts parts = target.parts()) {
                HttpAnomalyLearning learning = parts.learning(target.model, parts.learningSettings().withTargetFalsePositiveRate(targetFpr),
                        plan(parts, rollout));
                HttpAnomalyLearning.Outcome outcome = learning.train(benign, format(format), AttackPayloads.readLists(attacks));
                return report(target, outcome);
            } catch (IOException | ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "learn", mixinStandardHelpOptions = true,
            header = "Fine-tune the active version with new traffic from logs.",
            description = {"Fine-tune the active version with new traffic from logs, read from where the last run stopped",
                    "(a cursor per log; rotated and truncated logs are read from their start). A request is learned only",
                    "with a 2xx status (where the log has one), a score below the threshold and no attack payload;",
                    "a new route or parameter only once 3 distinct clients sent it. Quarantined requests are appended",
                    "to quarantine.jsonl. At least 1,000 and at most 10,000 requests per update. A version that passes",
                    "the gate is rolled out by the policy's [rollout] plan (shadow first), or at once with --immediate.",
                    "Exit code 1 when no version passed (too few admitted requests, or the gate failed)."},
            footer = {"", "Example:", "  freshet models learn http-anomaly --log /var/log/nginx/access.log --format combined"})
    static final class Learn implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--log", required = true, arity = "1..*", paramLabel = "FILE", description = "Traffic logs.")
        List<Path> logs;

        @Option(names = "--format", defaultValue = "combined", description = "csic, combined (or common) or jsonl (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--from-scratch", description = "Build new profiles from the admitted traffic alone instead of fine-tuning.")
        boolean fromScratch;

        @Option(names = "--min-samples", defaultValue = "1000", description = "Fewest admitted requests for an update (default: ${DEFAULT-VALUE}).")
        int minSamples;

        @Option(names = "--max-samples", defaultValue = "10000", description = "Most requests read per update (default: ${DEFAULT-VALUE}).")
        int maxSamples;

        @Mixin
        RolloutOptions rollout;

        @Override
        public Integer call() {
            requireFiles(logs, "--log");
            TrafficFormat trafficFormat = format(format);
            try (Parts parts = target.parts()) {
                HttpAnomalyLearning learning = parts.learning(target.model, parts.learningSettings().withSamples(minSamples, maxSamples),
                        plan(parts, rollout));
                HttpAnomalyLearning.Outcome outcome = learning.learn(logs, trafficFormat, fromScratch);
                return report(target, outcome);
            } catch (IOException | ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            header = "Score one raw HTTP request with the active version, with an explanation.",
            description = {"Score one raw HTTP request (request line, headers, blank line, body) with the active version,",
                    "with the findings that explain the score. Exit code 1 when it is anomalous."},
            footer = {"", "Example:", "  freshet models score http-anomaly --request request.txt --json"})
    static final class Score implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--request", required = true, paramLabel = "FILE", description = "A raw HTTP request.")
        Path request;

        @Override
        public Integer call() throws IOException {
            requireFiles(List.of(request), "--request");
            HttpAnomalyModel active;
            try (Parts parts = target.parts()) {
                active = activeModel(parts, target.model);
            }
            HttpRequest parsed;
            try {
                parsed = HttpRequestParser.parseRaw(Files.readString(request, StandardCharsets.ISO_8859_1));
            } catch (RequestParseException e) {
                throw new UserError(request + ": " + e.getMessage());
            }
            Assessment assessment = active.assess(parsed);
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s %s: score %.3f, threshold %.3f: %s%n", parsed.method(),
                    parsed.path(), assessment.score(), assessment.threshold(), assessment.anomalous() ? "ANOMALOUS" : "normal"));
            for (Finding finding : assessment.findings()) {
                text.append(String.format(Locale.ROOT, "  %-5s %-18s %s: %s%n", finding.hard() ? "hard" : "soft",
                        finding.feature().name().toLowerCase(Locale.ROOT), finding.where(), finding.reason()));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("anomalous", assessment.anomalous());
            json.put("score", assessment.score());
            json.put("threshold", assessment.threshold());
            json.put("findings", assessment.findings());
            target.options.print(json, text.toString());
            return assessment.anomalous() ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            header = "Evaluate the active version at its threshold on labelled traffic.",
            description = {"Evaluate the active version at its threshold on labelled traffic: tpr, fpr, precision, auc,",
                    "counts, and the precision alerts would have if attacks were 1 % or 0.1 % of traffic."},
            footer = {"", "Example:", "  freshet models evaluate http-anomaly --normal normalTrafficTest.txt --anomalous anomalousTrafficTest.txt --json"})
    static final class Evaluate implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--normal", required = true, paramLabel = "FILE", description = "Benign traffic.")
        Path normal;

        @Option(names = "--anomalous", required = true, paramLabel = "FILE", description = "Anomalous traffic.")
        Path anomalous;

        @Option(names = "--format", defaultValue = "csic", description = "csic, combined or jsonl (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() throws IOException {
            requireFiles(List.of(normal, anomalous), "--normal/--anomalous");
            HttpAnomalyModel active;
            try (Parts parts = target.parts()) {
                active = activeModel(parts, target.model);
            }
            Evaluation evaluation = Evaluation.of(scores(active, normal, format(format)), scores(active, anomalous, format(format)),
                    active.threshold());
            target.options.print(evaluation, String.format(Locale.ROOT,
                    "normal %d, anomalous %d, threshold %.4f%ntpr %.4f (%d detected)%nfpr %.5f (%d false positives)%n"
                            + "precision %.4f, auc %.5f%nprecision if 1 %% of traffic were attacks: %.4f; if 0.1 %%: %.4f",
                    evaluation.normal(), evaluation.anomalous(), evaluation.threshold(), evaluation.tpr(), evaluation.truePositives(),
                    evaluation.fpr(), evaluation.falsePositives(), evaluation.precision(), evaluation.auc(),
                    evaluation.precisionAt1Percent(), evaluation.precisionAtPermille()));
            return ExitCodes.OK;
        }

        static double[] scores(HttpAnomalyModel model, Path file, TrafficFormat format) throws IOException {
            TrafficFiles.Batch batch = TrafficFiles.read(file, format, null, Integer.MAX_VALUE);
            batch.problems().forEach(problem -> System.err.println("warning: " + problem));
            return batch.records().stream().mapToDouble(record -> model.score(record.request())).toArray();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "The model's versions, newest first; '*' marks the active one.",
            footer = {"", "Example:", "  freshet models list http-anomaly --json"})
    static final class ListVersions implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Override
        public Integer call() {
            try (Parts parts = target.parts()) {
                ModelReleases versions = parts.models(target.model);
                String active = versions.active().map(ModelVersion::release).orElse("");
                List<ModelVersion> all = versions.list();
                StringBuilder text = new StringBuilder();
                for (ModelVersion version : all) {
                    text.append(String.format(Locale.ROOT, "%s %s  artifact %s  parent %-12s  %s  threshold %.4f  %s%n",
                            version.release().equals(active) ? "*" : " ", version.shortRelease(), version.shortDigest(),
                            version.parent().isEmpty() ? "-" : version.parent().substring(0, 12), version.created(), version.threshold(),
                            version.passed() ? "passed " + version.evaluation() : "refused: " + String.join("; ", version.reasons())));
                }
                target.options.print(Map.of("track", versions.track().name(), "active", active, "versions", all),
                        text.isEmpty() ? "no versions yet" : text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            header = "Make a model version live, through the policy's rollout plan unless --immediate.",
            description = {"Make a model version (release id, artifact digest, or a unique prefix) live. When the policy has a",
                    "[rollout] plan, the version is rolled out by it (shadow on scored requests first); --immediate makes",
                    "it live at once. A version its gate refused is never activated."},
            footer = {"", "Examples:", "  freshet models activate http-anomaly 3f2a9c", "  freshet models activate http-anomaly 3f2a9c --immediate"})
    static final class Activate implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Parameters(index = "1", paramLabel = "VERSION", description = "Release id or artifact digest, or a unique prefix.")
        String version;

        @Mixin
        RolloutOptions rollout;

        @Option(names = "--reason", description = "Recorded in the history.")
        String reason = "activated by user";

        @Override
        public Integer call() {
            try (Parts parts = target.parts()) {
                ModelVersion chosen = parts.models(target.model).find(version);
                Optional<Rollout> started = parts.models(target.model).promote(chosen, plan(parts, rollout), reason);
                target.options.print(started.isPresent() ? started.get() : Map.of("release", chosen.release(), "live", true),
                        started.map(r -> "rolling out: " + RolloutText.of(r, Instant.now())).orElse("version " + chosen.shortRelease()
                                + " of " + target.model + " is live"));
                return ExitCodes.OK;
            } catch (ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            header = "Go back to the model version live before the current one, or to any kept version.",
            footer = {"", "Examples:", "  freshet models rollback http-anomaly", "  freshet models rollback http-anomaly --to 3f2a9c"})
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--to", paramLabel = "VERSION", description = "Release id or artifact digest, or a unique prefix.")
        String to;

        @Option(names = "--reason", description = "Recorded in the history.")
        String reason = "rolled back by user";

        @Override
        public Integer call() {
            try (Parts parts = target.parts()) {
                ModelReleases versions = parts.models(target.model);
                long started = System.nanoTime();
                Activation activation = parts.updates().activations().rollback(versions.track(),
                        Optional.ofNullable(to).map(v -> versions.find(v).release()), Trigger.USER, reason);
                double millis = (System.nanoTime() - started) / 1e6;
                target.options.print(activation, ActivationText.of(activation) + String.format(Locale.ROOT, " in %.1f ms", millis));
                return ExitCodes.OK;
            } catch (ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, header = "Every activation and rollback of the model, oldest first.",
            footer = {"", "Example:", "  freshet models history http-anomaly --json"})
    static final class History implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Override
        public Integer call() {
            try (Parts parts = target.parts()) {
                List<Activation> history = parts.updates().releases().history(parts.models(target.model).track());
                target.options.print(history, history.isEmpty() ? "no version of " + target.model + " was activated yet"
                        : String.join("\n", history.stream().map(ActivationText::of).toList()));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "collect", mixinStandardHelpOptions = true,
            header = "Delete old model versions beyond the newest N that nothing refers to.",
            description = {"Retention: keeps the newest --keep versions (default [learning] keep, else 5) and every version the",
                    "history, a rollout or feedback refers to (so the active version and a rollout's candidate always stay);",
                    "deletes the rest and the artifacts only they held."},
            footer = {"", "Example:", "  freshet models collect http-anomaly --keep 5"})
    static final class Collect implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--keep", paramLabel = "N", description = "Versions to keep.")
        Integer keep;

        @Override
        public Integer call() {
            try (Parts parts = target.parts()) {
                List<String> deleted = parts.models(target.model).collect(keep != null ? keep : parts.settings().learning().keepOrDefault());
                target.options.print(Map.of("deleted", deleted), deleted.isEmpty() ? "nothing to delete"
                        : "deleted " + deleted.size() + " version(s): " + String.join(", ", deleted.stream().map(ReleaseStore::shortId).toList()));
                return ExitCodes.OK;
            } catch (ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            header = "Write a model version's artifact to a file, to offer it to other Freshets through a model source.",
            description = {"Write the artifact of a version (the active one by default) to --output, exactly as stored: its",
                    "manifest (feature schema, engine version, parent, threshold, provenance, evaluation) and the model. Put it",
                    "in a directory another Freshet reads with 'models add-source --dir', or sign it into a repository with",
                    "'freshet repo add' for 'models add-source --signed'."},
            footer = {"", "Example:", "  freshet models export http-anomaly --output /srv/models/http-anomaly-2.json"})
    static final class Export implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Option(names = "--version", paramLabel = "VERSION", description = "Release id or artifact digest, or a unique prefix (default: the active one).")
        String version;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the artifact.")
        Path output;

        @Override
        public Integer call() throws IOException {
            try (Parts parts = target.parts()) {
                ModelReleases versions = parts.models(target.model);
                ModelVersion chosen = version != null ? versions.find(version) : versions.active().orElseThrow(() -> new UserError(
                        "no active " + target.model + " version to export: name one with --version"));
                byte[] bytes = versions.bytes(chosen);
                Files.write(output, bytes);
                target.options.print(Map.of("release", chosen.release(), "artifact", chosen.digest(), "output", output.toString()),
                        "wrote version " + chosen.shortRelease() + " (" + bytes.length + " bytes) to " + output);
                return ExitCodes.OK;
            } catch (IncompatibleModelException | ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "add-source", mixinStandardHelpOptions = true,
            header = "Add a source of model versions: a directory of artifacts or a signed repository.",
            description = {"Add a source that offers versions of the model as artifacts (*.json files, as 'freshet models train'",
                    "makes them): a directory on this machine, or a signed (TUF) repository verified exactly as a rule source is.",
                    "'freshet models pull' downloads what they offer, verifies it and puts it through the model's gate."},
            footer = {"", "Examples:", "  freshet models add-source http-anomaly shared --dir /srv/models/http-anomaly",
                    "  freshet models add-source http-anomaly vendor --signed https://models.example.com/ --root root.json"})
    static final class AddSource implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Parameters(index = "1", paramLabel = "NAME", description = "A short name: letters, digits, '.', '_' or '-'.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        static final class Where {
            @Option(names = "--dir", paramLabel = "DIR", description = "A local directory of model artifacts.")
            Path dir;

            @Option(names = "--signed", paramLabel = "URL", description = "A signed (TUF) repository's base URL.")
            String signed;
        }

        @Option(names = "--root", paramLabel = "FILE", description = "Signed: the repository's root.json you trust.")
        Path root;

        @Override
        public Integer call() {
            RuleSource source;
            try {
                source = SourceLocations.directoryOrSigned(name, where.dir, where.signed, root, SourceSettings.defaults());
            } catch (IllegalArgumentException | MalformedURLException e) {
                throw new UserError(e.getMessage());
            }
            try (Parts parts = target.parts()) {
                parts.modelSources(target.model, parts.learning(target.model, parts.learningSettings(), Optional.empty())).add(source);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            target.options.print(Map.of("added", name, "track", "models/" + target.model), "added source " + name + " of " + target.model
                    + " versions; run 'freshet models pull " + target.model + "' to fetch it");
            return ExitCodes.OK;
        }
    }

    @Command(name = "sources", mixinStandardHelpOptions = true, header = "The sources of the model's versions and their last check.",
            footer = {"", "Example:", "  freshet models sources http-anomaly --json"})
    static final class Sources implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Override
        public Integer call() {
            List<SourceRegistry.Entry> entries;
            try (Parts parts = target.parts()) {
                entries = parts.updates().sources().list(parts.models(target.model).track());
            }
            List<Map<String, Object>> json = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (SourceRegistry.Entry entry : entries) {
                String where = switch (entry.source()) {
                    case LocalDirectorySource local -> "dir " + local.dir();
                    case SignedRepositorySource signed -> "signed " + SourceUrls.redact(signed.baseUrl().toString());
                    default -> entry.source().toString();
                };
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", entry.source().name());
                row.put("location", where);
                row.put("last_revision", entry.lastRevision().orElse(null));
                row.put("last_checked_at", entry.lastCheckedAt().orElse(null));
                row.put("last_error", entry.lastError().orElse(null));
                json.add(row);
                text.append(String.format(Locale.ROOT, "%-16s %s%n    last check %s, revision %s%s%n", entry.source().name(), where,
                        entry.lastCheckedAt().map(Object::toString).orElse("never"), entry.lastRevision().orElse("-"),
                        entry.lastError().map(error -> "\n    last error: " + error).orElse("")));
            }
            target.options.print(json, entries.isEmpty() ? "no sources of " + target.model + " versions; add one with 'freshet models add-source'"
                    : text.toString());
            return ExitCodes.OK;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            header = "Fetch the versions the model's sources offer, verify them and put them through the gate.",
            description = {"Check every source of the model's versions. A signed repository is verified by the TUF client (a",
                    "tampered, rolled-back or expired repository changes nothing). Each new artifact is refused when it is",
                    "not for this model or needs another feature schema or a newer engine (the reason is printed and logged",
                    "as an event); otherwise it goes through the same gate as a trained version, on this store's validation",
                    "data, and is released on models/<name> with the source named. The newest version that passed is rolled",
                    "out by the policy's [rollout] plan, or at once with --immediate. Exit code 1 when a source failed or an",
                    "artifact was refused or failed its gate."},
            footer = {"", "Example:", "  freshet models pull http-anomaly --json"})
    static final class Pull implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Mixin
        RolloutOptions rollout;

        @Override
        public Integer call() {
            try (Parts parts = target.parts()) {
                List<ModelSources.Pulled> pulled = parts.modelSources(target.model,
                        parts.learning(target.model, parts.learningSettings(), plan(parts, rollout))).pull();
                StringBuilder text = new StringBuilder();
                boolean troubled = false;
                for (ModelSources.Pulled source : pulled) {
                    text.append(source.source()).append(": ").append(source.status().name().toLowerCase(Locale.ROOT))
                            .append(source.revision() == null ? "" : " at " + source.revision())
                            .append(source.error() == null ? "" : ": " + source.error()).append('\n');
                    troubled |= source.status() == ModelSources.Status.FAILED;
                    for (ModelSources.Offer offer : source.offers()) {
                        String outcome = offer.known() ? "already released as " + offer.version().orElseThrow().shortRelease()
                                : offer.version().map(v -> (v.passed() ? "passed its gate, released as " : "failed its gate, stored as ")
                                + v.shortRelease() + (v.passed() ? "" : ": " + offer.reason())).orElse("refused: " + offer.reason());
                        text.append("  ").append(offer.path()).append(": ").append(outcome).append('\n');
                        troubled |= offer.reason() != null;
                    }
                }
                parts.updates().models(target.model).active().ifPresent(active -> text.append("active version: ")
                        .append(active.shortRelease()).append(active.provenance().containsKey("source")
                                ? " (from source " + active.provenance().get("source") + ")" : ""));
                target.options.print(Map.of("sources", pulled), pulled.isEmpty() ? "no sources of " + target.model
                        + " versions; add one with 'freshet models add-source'" : text.toString().strip());
                return troubled ? ExitCodes.FINDINGS : ExitCodes.OK;
            } catch (IOException | ReleaseException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    /** The plan a new or chosen version is rolled out by: the policy's, as the rollout options change it. */
    static Optional<RolloutPlan> plan(Parts parts, RolloutOptions rollout) {
        return rollout.override().apply(parts.policy().rolloutPlan());
    }
}
