package dev.freshet.engine.knowledge;

import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.rules.Rule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the engine applies, as one immutable value: per track (such as {@code rules} or
 * {@code models/http-anomaly}) the active release in its ready-to-use form (compiled rules, a
 * loaded model) and, while a rollout is under way, the candidate. A unit of work (a scan, a scored
 * request) takes the current snapshot once and keeps it to the end, so an activation, a rollout
 * step or a rollback never changes the knowledge under it.
 */
public record Knowledge(Map<String, TrackKnowledge> tracks) {
    public static final String RULES = "rules";
    public static final Knowledge EMPTY = new Knowledge("none", List.of());

    public Knowledge {
        tracks = Map.copyOf(tracks);
    }

    /** Knowledge of the {@code rules} track alone, without a candidate. */
    public Knowledge(String releaseId, List<Rule> rules) {
        this(Map.of(RULES, new TrackKnowledge(new Compiled(releaseId, rules), null)));
    }

    /** The active release of {@code rules}, "none" when there is none. */
    public String releaseId() {
        return track(RULES).map(t -> t.active().releaseId()).orElse("none");
    }

    /** The track of a tenant's own rules. */
    public static String tenantRules(String tenant) {
        return "tenants/" + tenant + "/rules";
    }

    /** The tenant's own active rules (its custom rule library), used beside the global rules by its scans only. */
    public List<Rule> rulesOfTenant(String tenant) {
        return track(tenantRules(tenant)).map(t -> t.active().rules()).orElse(List.of());
    }

    /** The active rules of {@code rules}: what a unit outside every candidate's cohort uses. */
    public List<Rule> rules() {
        return track(RULES).map(t -> t.active().rules()).orElse(List.of());
    }

    public Optional<TrackKnowledge> track(String name) {
        return Optional.ofNullable(tracks.get(name));
    }

    /** This snapshot with one track replaced. */
    public Knowledge with(String name, TrackKnowledge track) {
        Map<String, TrackKnowledge> next = new HashMap<>(tracks);
        next.put(name, track);
        return new Knowledge(next);
    }

    /** The rules a unit in cohort {@code bucket} (0-99) uses on {@code rules}, and the candidate to shadow. */
    public TrackKnowledge.Choice rulesFor(int bucket) {
        return track(RULES).map(t -> t.choose(bucket))
                .orElse(new TrackKnowledge.Choice(new Compiled("none", List.of()), false, Optional.empty()));
    }

    /** One release in ready-to-use form. */
    public record Compiled(String releaseId, Form form) {
        public Compiled(String releaseId, List<Rule> rules) {
            this(releaseId, new Form.Rules(rules));
        }

        public Compiled(String releaseId, HttpAnomalyModel model) {
            this(releaseId, new Form.Model(model));
        }

        /** The compiled rules; none for a model release. */
        public List<Rule> rules() {
            return form instanceof Form.Rules r ? r.rules() : List.of();
        }

        /** The loaded model; empty for a rule release. */
        public Optional<HttpAnomalyModel> model() {
            return form instanceof Form.Model m ? Optional.of(m.model()) : Optional.empty();
        }
    }

    /** What a release is ready to be used as: rules to match, or a model to score with. */
    public sealed interface Form {
        record Rules(List<Rule> rules) implements Form {
            public Rules {
                rules = List.copyOf(rules);
            }
        }

        record Model(HttpAnomalyModel model) implements Form {
        }
    }

    /**
     * A track's active release and, during a rollout, its candidate.
     *
     * @param candidate null when no rollout is under way on the track
     */
    public record TrackKnowledge(Compiled active, Candidate candidate) {

        /**
         * Which release serves the unit: the candidate for buckets below its weight, the active
         * release otherwise; in shadow the active release serves and the candidate runs beside it.
         */
        public Choice choose(int bucket) {
            if (bucket < 0 || bucket > 99) {
                throw new IllegalArgumentException("a cohort bucket is 0-99, not " + bucket);
            }
            if (candidate == null) {
                return new Choice(active, false, Optional.empty());
            }
            if (candidate.shadow()) {
                return new Choice(active, false, Optional.of(candidate));
            }
            return bucket < candidate.weight() ? new Choice(candidate.release(), true, Optional.empty())
                    : new Choice(active, false, Optional.empty());
        }

        /** What a caller who asked for a cohort explicitly gets: the candidate (if any, even in shadow) or the active release. */
        public Choice chooseExplicitly(boolean candidateWanted) {
            return candidateWanted && candidate != null ? new Choice(candidate.release(), true, Optional.empty())
                    : new Choice(active, false, Optional.empty());
        }

        /**
         * @param byCandidate whether {@code served} is the candidate
         * @param shadow      the candidate to run beside {@code served} without returning its results
         */
        public record Choice(Compiled served, boolean byCandidate, Optional<Candidate> shadow) {
        }
    }

    /**
     * A release being rolled out.
     *
     * @param step   index of the rollout's current step
     * @param weight percentage of cohorts it serves (0 in shadow)
     */
    public record Candidate(Compiled release, long rolloutId, int step, int weight, boolean shadow) {
    }
}
