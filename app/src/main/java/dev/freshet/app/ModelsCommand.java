package dev.freshet.app;

import dev.freshet.engine.models.Assessment;
import dev.freshet.engine.models.Finding;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequestParser;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.ModelHolder;
import dev.freshet.engine.models.RequestParseException;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.learning.AttackPayloads;
import dev.freshet.updates.learning.Evaluation;
import dev.freshet.updates.learning.HttpAnomalyLearning;
import dev.freshet.updates.learning.ModelStore;
import dev.freshet.updates.learning.ModelVersion;
import dev.freshet.updates.learning.TrafficFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freshet models ...}: the http-anomaly model: train, learn from logs, score, evaluate, list versions. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"ML models as knowledge. The http-anomaly model scores HTTP requests against per-route,",
                "per-parameter profiles of benign traffic and explains its verdicts.",
                "Until knowledge tracks exist, versions are artifact files (named by their SHA-256) under",
                "<data-dir>/models/http-anomaly/versions/ with an index.json saying which one is active."},
        subcommands = {ModelsCommand.Train.class, ModelsCommand.Learn.class, ModelsCommand.Score.class,
                ModelsCommand.Evaluate.class, ModelsCommand.ListVersions.class},
        footer = {"", "Examples:", "  freshet models train http-anomaly --benign normalTrafficTraining.txt --attacks payload_train.csv",
                "  freshet models learn http-anomaly --log /var/log/nginx/access.log --format combined",
                "  freshet models score http-anomaly --request request.txt",
                "  freshet models evaluate http-anomaly --normal normalTrafficTest.txt --anomalous anomalousTrafficTest.txt"})
final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The model a subcommand works on, and the data directory its versions live in. */
    static final class ModelTarget {
        @Mixin
        StoreOptions options;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The model: http-anomaly.")
        String model;

        ModelStore store() {
            if (!model.equals(HttpAnomalyModel.NAME)) {
                throw new UserError("unknown model '" + model + "': the models are " + HttpAnomalyModel.NAME);
            }
            return new ModelStore(options.settings().dataDir(), model);
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

    static HttpAnomalyModel activeModel(ModelStore store) {
        try {
            return new HttpAnomalyLearning(store, HttpAnomalyLearning.Settings.defaults(), Clock.systemUTC()).activeArtifact()
                    .map(ModelArtifact::model)
                    .orElseThrow(() -> new UserError("no active http-anomaly model under " + store.directory()
                            + ": train one with 'freshet models train http-anomaly --benign FILE'"));
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
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
            description = {"Train a first version from benign traffic: a validation split with new values is held apart,",
                    "the threshold is calibrated on it to --target-fpr, and the version is activated if it passes the",
                    "gate (validation false-positive rate at most 1 %; detection of injected --attacks at least 50 %).",
                    "Exit code 1 when the version failed the gate (it is stored with its reasons, not activated)."},
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

        @Override
        public Integer call() throws IOException {
            requireFiles(benign, "--benign");
            requireFiles(attacks, "--attacks");
            ModelStore store = target.store();
            HttpAnomalyLearning learning = new HttpAnomalyLearning(store,
                    HttpAnomalyLearning.Settings.defaults().withTargetFalsePositiveRate(targetFpr), Clock.systemUTC());
            HttpAnomalyLearning.Outcome outcome;
            try {
                outcome = learning.train(benign, format(format), AttackPayloads.readLists(attacks));
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
            target.options.print(outcome, outcomeText(outcome));
            return outcome.activated() ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }

    @Command(name = "learn", mixinStandardHelpOptions = true,
            description = {"Fine-tune the active version with new traffic from logs, read from where the last run stopped",
                    "(a cursor per log; rotated and truncated logs are read from their start). A request is learned only",
                    "with a 2xx status (where the log has one), a score below the threshold and no attack payload;",
                    "a new route or parameter only once 3 distinct clients sent it. Quarantined requests are appended",
                    "to quarantine.jsonl. At least 1,000 and at most 10,000 requests per update.",
                    "Exit code 1 when no version was activated (too few admitted requests, or the gate failed)."},
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

        @Override
        public Integer call() {
            requireFiles(logs, "--log");
            ModelStore store = target.store();
            HttpAnomalyLearning learning = new HttpAnomalyLearning(store,
                    HttpAnomalyLearning.Settings.defaults().withSamples(minSamples, maxSamples), Clock.systemUTC());
            TrafficFormat trafficFormat = format(format);
            try {
                HttpAnomalyModel active = activeModel(store);
                HttpAnomalyLearning.Outcome outcome = learning.learn(logs, trafficFormat, fromScratch, new ModelHolder(active));
                target.options.print(outcome, outcomeText(outcome));
                return outcome.activated() ? ExitCodes.OK : ExitCodes.FINDINGS;
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
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
            HttpAnomalyModel active = activeModel(target.store());
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
            HttpAnomalyModel active = activeModel(target.store());
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

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The stored versions, oldest first; '*' marks the active one.",
            footer = {"", "Example:", "  freshet models list http-anomaly"})
    static final class ListVersions implements Callable<Integer> {
        @Mixin
        ModelTarget target;

        @Override
        public Integer call() throws IOException {
            ModelStore.Index index = target.store().index();
            StringBuilder text = new StringBuilder();
            for (ModelVersion version : index.versions()) {
                text.append(String.format(Locale.ROOT, "%s %s  parent %-12s  %s  threshold %.4f  %s%n",
                        version.digest().equals(index.active()) ? "*" : " ", version.shortDigest(),
                        version.parent().isEmpty() ? "-" : version.parent().substring(0, 12), version.created(), version.threshold(),
                        version.passed() ? "passed" : "failed: " + String.join("; ", version.reasons())));
            }
            target.options.print(index, text.isEmpty() ? "no versions yet" : text.toString());
            return ExitCodes.OK;
        }
    }
}
