package dev.freshet.updates.learning;

import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.IncompatibleModelException;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.ProfileSet;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.engine.models.TrafficRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutPlan;

/**
 * Trains and fine-tunes the {@code http-anomaly} model: holds a validation split apart,
 * calibrates the threshold on it, checks the result against the gate, releases the version on the
 * model's track (with its reasons when it failed) and, when it passed, rolls it out by the plan
 * (at once when nothing is live or there is no plan). Fine-tuning starts from the active version
 * and adds the traffic the {@link AdmissionGuard} admits; profiles update exactly, so no replay is
 * needed.
 */
public final class HttpAnomalyLearning {
    /** Settings of training and learning; the defaults are the original design's. */
    /**
     * @param regressionTolerance how much worse than the active version (false-positive rate up,
     *                            detection down, on the same validation sets) a new version may be
     */
    public record Settings(double targetFalsePositiveRate, double validationFraction, double maxFalsePositiveRate,
                           double minDetectionRate, int minSamples, int maxSamples, int minClients, int maxValidation,
                           int maxGatePayloads, double regressionTolerance) {
        public static Settings defaults() {
            return new Settings(0.005, 0.2, 0.01, 0.5, 1_000, 10_000, AdmissionGuard.DEFAULT_MIN_CLIENTS, 20_000, 2_000, 0.02);
        }

        public Settings withTargetFalsePositiveRate(double rate) {
            return new Settings(rate, validationFraction, maxFalsePositiveRate, minDetectionRate, minSamples, maxSamples, minClients,
                    maxValidation, maxGatePayloads, regressionTolerance);
        }

        public Settings withSamples(int min, int max) {
            return new Settings(targetFalsePositiveRate, validationFraction, maxFalsePositiveRate, minDetectionRate, min, max, minClients,
                    maxValidation, maxGatePayloads, regressionTolerance);
        }

        public Settings withLimits(double maxFpr, double minDetection) {
            return new Settings(targetFalsePositiveRate, validationFraction, maxFpr, minDetection, minSamples, maxSamples, minClients,
                    maxValidation, maxGatePayloads, regressionTolerance);
        }
    }

    /**
     * What a training or learning run did; {@code version} is empty when no version was made.
     *
     * @param activated whether the version is live now
     * @param rollout   the rollout it started, when it goes through one
     */
    public record Outcome(Optional<ModelVersion> version, boolean activated, Optional<Rollout> rollout, Map<String, Object> provenance,
                          Map<String, Object> evaluation, List<String> problems, String message) {
    }

    private final ModelStore store;
    private final ModelReleases versions;
    private final Settings settings;
    private final Optional<RolloutPlan> plan;
    private final Clock clock;
    private final ModelFeedback feedback;

    /** Learning that takes in no operator reports. */
    public HttpAnomalyLearning(ModelStore store, ModelReleases versions, Settings settings, Optional<RolloutPlan> plan, Clock clock) {
        this(store, versions, settings, plan, clock, null);
    }

    /**
     * @param plan     how a passed version is rolled out once another one is live; empty: at once
     * @param feedback operators' reports: a flagged request they call benign is learned, an attack the
     *                 model let through joins the attacks every later version is checked against
     */
    public HttpAnomalyLearning(ModelStore store, ModelReleases versions, Settings settings, Optional<RolloutPlan> plan, Clock clock,
                               ModelFeedback feedback) {
        this.store = store;
        this.versions = versions;
        this.settings = settings;
        this.plan = plan;
        this.clock = clock;
        this.feedback = feedback;
    }

    /** Trains a first version from benign traffic files; {@code payloads} (may be empty) feed the gate and the guard. */
    public Outcome train(List<Path> benign, TrafficFormat format, List<String> payloads) throws IOException {
        List<HttpRequest> requests = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long malformed = 0;
        for (Path file : benign) {
            TrafficFiles.Batch batch = TrafficFiles.read(file, format, null, Integer.MAX_VALUE);
            batch.records().forEach(record -> requests.add(record.request()));
            malformed += batch.malformed();
            problems.addAll(batch.problems());
        }
        if (requests.size() < 10) {
            throw new IOException("only " + requests.size() + " requests could be read from " + benign
                    + "; training needs benign traffic in the " + format.label() + " format");
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("sources", benign.stream().map(Path::toString).toList());
        provenance.put("malformed", malformed);
        return train(requests, payloads, provenance, problems);
    }

    /** Trains a first version from benign requests already read; {@code provenance} says where they came from. */
    public Outcome train(List<HttpRequest> requests, List<String> payloads, Map<String, Object> provenance, List<String> problems)
            throws IOException {
        ValidationSplit split = ValidationSplit.of(requests, settings.validationFraction());
        ProfileSet profiles = new ProfileSet();
        for (HttpRequest request : split.training()) {
            profiles.learn(request, parameter -> split.learnsValue(request, parameter));
        }
        provenance = new LinkedHashMap<>(provenance);
        provenance.put("read", requests.size());
        provenance.put("trained", split.training().size());
        provenance.put("validation", split.validation().size());
        provenance.put("held_values", split.heldValues().size());
        provenance.put("attack_payloads", payloads.size());
        store.saveAttackPayloads(payloads);
        store.saveValidation(split.validation());
        return release(profiles, "", split.validation(), payloads, store.reportedAttacks(), provenance, problems, Optional.empty());
    }

    /** Collects new traffic since the cursors, admits what looks benign and fine-tunes the active version with it. */
    public Outcome learn(List<Path> logs, TrafficFormat format, boolean fromScratch) throws IOException {
        ModelVersion activeVersion = versions.active().orElseThrow(() -> new IOException(
                "no active http-anomaly model to learn from: train one first with 'freshet models train http-anomaly --benign FILE'"));
        Map<String, Long> millis = new LinkedHashMap<>();
        long started = System.nanoTime();
        ModelArtifact active = loadChecked(activeVersion);
        List<String> payloads = store.attackPayloads();
        Map<String, TrafficFiles.Cursor> cursors = store.cursors();
        Map<String, TrafficFiles.Cursor> advanced = new LinkedHashMap<>(cursors);
        List<TrafficRecord> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long malformed = 0;
        for (Path log : logs) {
            String key = log.toAbsolutePath().normalize().toString();
            TrafficFiles.Batch batch = TrafficFiles.read(log, format, cursors.get(key), settings.maxSamples() - records.size());
            records.addAll(batch.records());
            malformed += batch.malformed();
            problems.addAll(batch.problems());
            if (!batch.restarted().isEmpty()) {
                problems.add(log + " was " + batch.restarted() + "; read from its start");
            }
            advanced.put(key, batch.cursor());
        }
        started = lap(millis, "collect", started);
        AdmissionGuard guard = new AdmissionGuard(active.model(), AttackPayloads.ofPayloads(payloads), settings.minClients());
        AdmissionGuard.Admission admission = guard.admit(records);
        store.appendQuarantine(admission.quarantined());
        started = lap(millis, "admit", started);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("sources", logs.stream().map(Path::toString).toList());
        provenance.put("format", format.label());
        provenance.put("read", records.size());
        provenance.put("malformed", malformed);
        provenance.put("admitted", admission.admitted().size());
        provenance.put("quarantined", admission.quarantined().size());
        Map<String, Long> reasons = new LinkedHashMap<>();
        admission.quarantined().forEach(entry -> reasons.merge(entry.reason().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
        provenance.put("quarantined_by_reason", reasons);
        provenance.put("waiting_for_clients", admission.waiting());
        provenance.put("cursors", advanced);
        provenance.put("from_scratch", fromScratch);
        if (admission.admitted().size() < settings.minSamples()) {
            return new Outcome(Optional.empty(), false, Optional.empty(), provenance, Map.of(), problems, admission.admitted().size()
                    + " requests admitted, fewer than the " + settings.minSamples() + " an update needs; the cursors stay where they were");
        }
        List<HttpRequest> validation = new ArrayList<>(store.validation());
        started = lap(millis, "read_validation", started);
        ValidationSplit split = ValidationSplit.of(admission.admitted(), settings.validationFraction(), validation);
        started = lap(millis, "split", started);
        ProfileSet profiles = fromScratch ? new ProfileSet() : active.model().profiles().copy();
        started = lap(millis, "copy", started);
        for (HttpRequest request : split.training()) {
            profiles.learn(request, parameter -> split.learnsValue(request, parameter));
        }
        // An operator's word that a flagged request was benign outweighs the guard, which would refuse it.
        List<ModelFeedback.Reported> reports = feedback == null ? List.of()
                : feedback.after(versions.track(), store.feedbackCursor(), settings.maxSamples());
        List<HttpRequest> reportedAttacks = new ArrayList<>(store.reportedAttacks());
        for (ModelFeedback.Reported report : reports) {
            switch (report.kind()) {
                case FALSE_POSITIVE -> profiles.learn(report.request(), parameter -> true);
                case MISSED_ATTACK -> reportedAttacks.add(report.request());
            }
        }
        provenance.put("reported_benign", reports.stream().filter(r -> r.kind() == ModelFeedback.Kind.FALSE_POSITIVE).count());
        provenance.put("reported_attacks", reportedAttacks.size());
        validation.addAll(split.validation());
        if (validation.size() > settings.maxValidation()) {
            validation = new ArrayList<>(validation.subList(validation.size() - settings.maxValidation(), validation.size()));
        }
        provenance.put("trained", split.training().size());
        provenance.put("validation", validation.size());
        lap(millis, "fine_tune", started);
        provenance.put("millis", millis);
        Outcome outcome = release(profiles, fromScratch ? "" : activeVersion.digest(), validation, payloads, reportedAttacks,
                provenance, problems, Optional.of(active.model()));
        started = System.nanoTime();
        store.saveValidation(validation);
        store.saveCursors(advanced);
        store.saveReportedAttacks(reportedAttacks);
        if (!reports.isEmpty()) {
            store.saveFeedbackCursor(reports.getLast().id());
        }
        lap(millis, "save_learning_data", started);
        return outcome;
    }

    private Outcome release(ProfileSet profiles, String parent, List<HttpRequest> validation, List<String> payloads,
                            List<HttpRequest> reportedAttacks, Map<String, Object> provenance, List<String> problems,
                            Optional<HttpAnomalyModel> current) {
        long started = System.nanoTime();
        HttpAnomalyModel unCalibrated = new HttpAnomalyModel(profiles, 0);
        double[] validationScores = validation.stream().mapToDouble(unCalibrated::score).toArray();
        double threshold = Calibration.threshold(validationScores, settings.targetFalsePositiveRate());
        ModelArtifact.Manifest manifest = ModelArtifact.Manifest.of(parent, clock.instant().toString(), threshold,
                settings.targetFalsePositiveRate(), provenance, Map.of());
        return judge(unCalibrated.withThreshold(threshold), manifest, "learning", validation, validationScores, payloads, reportedAttacks,
                problems, current, started, true);
    }

    /**
     * Takes in a version a model source offered (its signature or directory already trusted, its
     * schema and engine already checked): the same gate as a trained version, on this store's
     * validation data at the artifact's own threshold, then released with the source named, not yet
     * live ({@link #promote}). With no validation data yet (no version was ever trained here) the
     * gate cannot check it, so it is stored as failed.
     */
    public Outcome adopt(ModelArtifact offered, String source, Map<String, Object> origin) throws IOException {
        long started = System.nanoTime();
        List<HttpRequest> validation = store.validation();
        HttpAnomalyModel model = offered.model();
        ModelArtifact.Manifest theirs = offered.manifest();
        Map<String, Object> provenance = new LinkedHashMap<>(theirs.provenance());
        provenance.putAll(origin);
        ModelArtifact.Manifest manifest = new ModelArtifact.Manifest(theirs.format(), theirs.name(), theirs.featureSchema(),
                theirs.engineVersion(), theirs.parent(), theirs.created(), theirs.threshold(), theirs.targetFalsePositiveRate(), provenance,
                Map.of());
        double[] validationScores = validation.stream().mapToDouble(model::score).toArray();
        Optional<ModelArtifact> active = activeArtifact();
        return judge(model, manifest, source, validation, validationScores, store.attackPayloads(), store.reportedAttacks(),
                new ArrayList<>(), active.map(ModelArtifact::model), started, false);
    }

    /**
     * The gate on {@code model} at its threshold, then the release (with the gate's figures as its
     * evaluation, and its reasons when it failed) and, when it passed and {@code promote} says so, the rollout.
     */
    private Outcome judge(HttpAnomalyModel model, ModelArtifact.Manifest manifest, String source, List<HttpRequest> validation,
                          double[] validationScores, List<String> payloads, List<HttpRequest> reportedAttacks, List<String> problems,
                          Optional<HttpAnomalyModel> current, long started, boolean promote) {
        double threshold = model.threshold();
        Map<String, Object> provenance = new LinkedHashMap<>(manifest.provenance());
        ProfileSet profiles = model.profiles();
        List<HttpRequest> attacks = new ArrayList<>(PayloadInjection.inject(validation, sample(payloads, settings.maxGatePayloads()), profiles));
        attacks.addAll(reportedAttacks); // attacks a version once let through stay in every later gate
        double[] attackScores = attacks.stream().mapToDouble(model::score).toArray();
        Evaluation figures = Evaluation.of(validationScores, attackScores, threshold);
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("validation_fpr", figures.fpr());
        evaluation.put("validation_requests", validationScores.length);
        if (attackScores.length > 0) {
            evaluation.put("attack_detection", figures.tpr());
            evaluation.put("attack_requests", attackScores.length);
        }
        List<String> reasons = new ArrayList<>();
        if (validationScores.length == 0) {
            reasons.add("no benign validation requests to check it on: train a version here first ('freshet models train')");
        }
        if (figures.fpr() > settings.maxFalsePositiveRate()) {
            reasons.add("false-positive rate " + figures.fpr() + " on validation is above the limit " + settings.maxFalsePositiveRate());
        }
        if (attackScores.length > 0 && figures.tpr() < settings.minDetectionRate()) {
            reasons.add("detection rate " + figures.tpr() + " on injected attacks is below the floor " + settings.minDetectionRate());
        }
        if (current.isPresent()) {
            // No regression against the live version on the very same validation requests and attacks.
            HttpAnomalyModel live = current.get();
            Evaluation before = Evaluation.of(validation.stream().mapToDouble(live::score).toArray(),
                    attacks.stream().mapToDouble(live::score).toArray(), live.threshold());
            evaluation.put("active_validation_fpr", before.fpr());
            if (figures.fpr() > before.fpr() + settings.regressionTolerance()) {
                reasons.add("false-positive rate " + figures.fpr() + " regresses from the active version's " + before.fpr()
                        + " by more than " + settings.regressionTolerance());
            }
            if (attackScores.length > 0) {
                evaluation.put("active_attack_detection", before.tpr());
                if (figures.tpr() < before.tpr() - settings.regressionTolerance()) {
                    reasons.add("detection rate " + figures.tpr() + " regresses from the active version's " + before.tpr()
                            + " by more than " + settings.regressionTolerance());
                }
            }
        }
        evaluation.put("millis", (System.nanoTime() - started) / 1_000_000);
        ModelArtifact artifact = new ModelArtifact(new ModelArtifact.Manifest(manifest.format(), manifest.name(), manifest.featureSchema(),
                manifest.engineVersion(), manifest.parent(), manifest.created(), threshold, manifest.targetFalsePositiveRate(), provenance,
                evaluation), model);
        boolean passed = reasons.isEmpty();
        started = System.nanoTime();
        ModelVersion version = versions.add(artifact, source, reasons);
        // The run's timings beyond the gate: reported with the outcome, not part of the artifact already written.
        Map<String, Long> millis = timings(provenance);
        started = lap(millis, "release", started);
        if (!passed) {
            return new Outcome(Optional.of(version), false, Optional.empty(), provenance, evaluation, problems, "version "
                    + version.shortRelease() + " failed the gate and was not activated: " + String.join("; ", reasons));
        }
        if (!promote) {
            return new Outcome(Optional.of(version), false, Optional.empty(), provenance, evaluation, problems, "version "
                    + version.shortRelease() + " passed the gate");
        }
        Optional<Rollout> rollout = promote(version, "model version " + version.shortDigest() + " passed its gate");
        lap(millis, "promote", started);
        String message = rollout.map(r -> "version " + version.shortRelease() + " is rolling out on " + versions.track() + " (rollout "
                + r.id() + ", step " + r.stepName() + ")").orElse("version " + version.shortRelease() + " is active");
        return new Outcome(Optional.of(version), rollout.isEmpty(), rollout, provenance, evaluation, problems, message);
    }

    /** Makes a passed version live: through a rollout by the plan when another version is live, at once otherwise. */
    public Optional<Rollout> promote(ModelVersion version, String reason) {
        return versions.promote(version, plan, reason);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> timings(Map<String, Object> provenance) {
        return (Map<String, Long>) provenance.computeIfAbsent("millis", key -> new LinkedHashMap<String, Long>());
    }

    private static long lap(Map<String, Long> millis, String phase, long since) {
        long now = System.nanoTime();
        millis.put(phase, (now - since) / 1_000_000);
        return now;
    }

    /** At most {@code limit} of {@code payloads}, spread evenly over the list. */
    private static List<String> sample(List<String> payloads, int limit) {
        if (payloads.size() <= limit) {
            return payloads;
        }
        List<String> sample = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            sample.add(payloads.get((int) ((long) i * payloads.size() / limit)));
        }
        return sample;
    }

    /** The active model, for scoring. */
    public Optional<ModelArtifact> activeArtifact() throws IOException {
        Optional<ModelVersion> active = versions.active();
        return active.isEmpty() ? Optional.empty() : Optional.of(loadChecked(active.get()));
    }

    private ModelArtifact loadChecked(ModelVersion version) throws IOException {
        try {
            return versions.load(version);
        } catch (IncompatibleModelException e) {
            throw new IOException("model version " + version.shortRelease() + " cannot be used: " + e.getMessage());
        }
    }
}
