package dev.freshet.updates.generation;

import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.Credits;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.billing.Tier;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateResult;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.store.StoredJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custom rules on demand, billed in two phases. A request is accepted (the tenant's plan allows the
 * model, the processing fee of 1 credit per requested rule is charged, the request is stored) before
 * any work; then each rule is generated and validated, and its outcome is stored with its success
 * fee in one transaction; finally the tenant's library is released on its track
 * {@code tenants/<id>/rules}. Every charge has an idempotency key made of the request id, so a request
 * taken up again after a crash (or retried with the same id) finishes what is missing and never
 * charges twice. A request is made under a {@link Claim} with a lease, so with several nodes on one
 * store one worker at a time makes it, and one whose node died is taken up once the lease runs out.
 */
public final class CustomRules {
    private static final Logger LOG = LoggerFactory.getLogger(CustomRules.class);
    public static final int MAX_QUANTITY = 10;
    public static final int DEFAULT_QUANTITY = 3;
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    /** How long a claim holds unrenewed: well above the 30 s one rule may take, as each stored rule renews it. */
    public static final Duration LEASE = Duration.ofMinutes(2);
    /** How often a request is taken up (after an error, or after its worker's node died) before it is given up. */
    public static final int MAX_CLAIMS = 3;
    /** This process, as named in the claims it makes. */
    public static final String LOCAL_NODE = "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);

    private final Jdbi jdbi;
    private final Credits credits;
    private final GenerationLoop loop;
    private final RuleValidator validator;
    private final Generators generators;
    private final Fees fees;
    private final ReleaseStore releases;
    private final RolloutEngine rollouts;
    private final Supplier<Optional<RolloutPlan>> plan;
    private final Clock clock;

    /**
     * @param rollouts the rollout engine a tenant's library goes live through, as any release does
     * @param plan     the policy's rollout plan (empty: a new library goes live at once)
     */
    public CustomRules(Jdbi jdbi, Credits credits, GenerationLoop loop, Generators generators, Fees fees, ReleaseStore releases,
                       RolloutEngine rollouts, Supplier<Optional<RolloutPlan>> plan, Clock clock) {
        this.jdbi = jdbi;
        this.credits = credits;
        this.loop = loop;
        this.validator = loop.validator();
        this.generators = generators;
        this.fees = fees;
        this.releases = releases;
        this.rollouts = rollouts;
        this.plan = plan;
        this.clock = clock;
    }

    /**
     * A request for custom rules.
     *
     * @param id      the caller's id for the request (an idempotency key), or empty for a new one
     * @param model   the model class, or empty for the default one
     */
    public record Request(Optional<String> id, String tenant, Path project, int quantity, Optional<ModelClass> model,
                          Optional<FollowUpScan> thenScan) {
        public Request(Optional<String> id, String tenant, Path project, int quantity, Optional<ModelClass> model) {
            this(id, tenant, project, quantity, model, Optional.empty());
        }
    }

    /** A scan of the project to queue once the rules are made, so that it uses them; {@code cohort} as the scan request named it. */
    public record FollowUpScan(Path directory, String cohort) {
    }

    /** A request taken: its id, and whether it was new (false: a retry of one accepted before, charged then). */
    public record Accepted(String requestId, String tenant, boolean isNew) {
    }

    /**
     * Where a request stands, for a client polling it: {@code accepted} until every rule has its
     * outcome, then {@code done} with the result; {@code scanId} once its follow-up scan is queued
     * (or, starting with "not queued:", why it was not). A request that failed on every attempt is
     * {@code failed}, with the result of what it made before and the refund of the rest; {@code failure}
     * says why (while it is still accepted, why its last attempt failed).
     */
    public record Status(String requestId, String tenant, String state, String model, String stack, Instant createdAt,
                         Instant finishedAt, Summary result, String releaseId, String scanId, String failure) {
    }

    /** Credits a request was charged: processing fees, success fees, what was refunded, and the net total. */
    public record Charges(long processing, long success, long refunded, long total) {
    }

    /**
     * A finished request: each rule's outcome and the charges; the tenant's library release it made
     * live; {@code failure} when it was given up (else null).
     */
    public record Result(String requestId, String tenant, String model, String stack, List<RuleOutcome> rules, Charges charges,
                         String releaseId, String failure) {
        /** What a requester sees: each rule's id, outcome, attempts, reason and YAML, and the charges. */
        public Summary summary() {
            return new Summary(rules.stream().map(r -> new Summary.Rule(r.id(), r.outcome(), r.attempts(), r.reason(), r.yaml())).toList(),
                    charges);
        }

        public long validated() {
            return rules.stream().filter(RuleOutcome::validated).count();
        }
    }

    /** A request's outcome as the CLI's {@code --json} and the API show it. */
    public record Summary(List<Rule> rules, Charges charges) {
        public record Rule(String id, String outcome, int attempts, String reason, String yaml) {
        }
    }

    /** What a request plans to make, stored with it so that a request taken up again makes the same rules. */
    record Plan(String summary, String model, List<String> targets) {
    }

    public Generators generators() {
        return generators;
    }

    public Fees fees() {
        return fees;
    }

    /** A worker's hold on an accepted request until {@code lease} after its last renewal; every write made under it checks {@code owner}. */
    public record Claim(String requestId, String owner, Duration lease) {
    }

    /** A write under a claim that ran out and was taken over: this worker's work on the request stops, unstored. */
    public static final class ClaimLost extends RuntimeException {
        ClaimLost(Claim claim) {
            super("custom rules request " + claim.requestId() + ": the claim of " + claim.owner()
                    + " ran out and was taken over; its remaining work is dropped");
        }
    }

    /**
     * Claims an accepted request that nobody holds (or whose holder's lease ran out); empty when it
     * is done or held. A request already taken up {@link #MAX_CLAIMS} times is given up instead.
     */
    public Optional<Claim> claim(String requestId, String node, Duration lease) {
        Claim claim = new Claim(requestId, owner(node), lease);
        long now = clock.millis();
        // One conditional UPDATE: of racing workers, on any node sharing the store, exactly one gets the row.
        int claimed = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE generation_requests SET owner = :owner, lease_until = :until, claims = claims + 1
                        WHERE id = :id AND state = 'ACCEPTED' AND (owner IS NULL OR lease_until < :now) AND claims < :max""")
                .bind("owner", claim.owner()).bind("until", now + lease.toMillis()).bind("id", requestId).bind("now", now)
                .bind("max", MAX_CLAIMS).execute());
        if (claimed == 1) {
            return Optional.of(claim);
        }
        giveUpIfExhausted(requestId, now);
        return Optional.empty();
    }

    private static String owner(String node) {
        return node + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Notes why a claimed request could not be made now; it is taken up again once the claim's lease runs out. */
    public void failed(Claim claim, String reason) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE generation_requests SET failure = :reason WHERE id = :id AND owner = :owner")
                .bind("reason", reason).bind("id", claim.requestId()).bind("owner", claim.owner()).execute());
    }

    /**
     * Ends a request that was taken up {@link #MAX_CLAIMS} times and is held by nobody: done with its
     * failure, its follow-up scan not queued, and the processing fees of the rules it did not make
     * refunded, all in one transaction (of racing workers, one does it).
     */
    private void giveUpIfExhausted(String requestId, long now) {
        jdbi.useTransaction(h -> {
            Optional<String> lastFailure = h.createQuery("""
                            SELECT COALESCE(failure, 'its worker stopped before finishing') FROM generation_requests
                            WHERE id = :id AND state = 'ACCEPTED' AND claims >= :max AND (owner IS NULL OR lease_until < :now)""")
                    .bind("id", requestId).bind("max", MAX_CLAIMS).bind("now", now).mapTo(String.class).findOne();
            if (lastFailure.isEmpty()) {
                return;
            }
            String failure = "given up after " + MAX_CLAIMS + " attempts; the last: " + lastFailure.get();
            int changed = h.createUpdate("""
                            UPDATE generation_requests SET state = 'DONE', failure = :failure, finished_at = :now, owner = NULL,
                                lease_until = NULL, scan_id = CASE WHEN scan_path IS NULL THEN NULL ELSE :noScan END
                            WHERE id = :id AND state = 'ACCEPTED' AND claims >= :max AND (owner IS NULL OR lease_until < :now)""")
                    .bind("failure", failure).bind("now", now).bind("noScan", "not queued: the custom rules could not be made")
                    .bind("id", requestId).bind("max", MAX_CLAIMS).execute();
            if (changed == 0) {
                return;
            }
            Stored stored = load(h, requestId);
            int unmade = stored.quantity() - outcomes(h, requestId).size();
            long refund = fees.processingPerRule() * unmade;
            if (refund > 0) {
                credits.refund(h, stored.tenant(), requestId + ":refund", refund, requestId, unmade + " custom rule(s) not made: " + failure);
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("tenant", stored.tenant());
            payload.put("request", requestId);
            payload.put("failure", failure);
            payload.put("refunded", refund);
            EventLog.append(h, clock.instant(), EventType.CUSTOM_RULES_FAILED, null, null, payload);
            LOG.warn("custom rules: request {} {}; {} credit(s) refunded", requestId, failure, refund);
        });
    }

    /** Extends the claim's lease; false when it is no longer held (done, or taken over). */
    public boolean renew(Claim claim) {
        return jdbi.withHandle(h -> renew(h, claim));
    }

    private boolean renew(Handle h, Claim claim) {
        return h.createUpdate("UPDATE generation_requests SET lease_until = :until WHERE id = :id AND owner = :owner AND state = 'ACCEPTED'")
                .bind("until", clock.millis() + claim.lease().toMillis()).bind("id", claim.requestId()).bind("owner", claim.owner())
                .execute() == 1;
    }

    /**
     * Requests no live claim holds, oldest first: the work a worker may take up now (accepted ones,
     * and done ones whose follow-up scan is not queued yet, as after a stop between the two).
     */
    public List<String> claimable() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM generation_requests
                        WHERE (state = 'ACCEPTED' OR (state = 'DONE' AND scan_path IS NOT NULL AND scan_id IS NULL))
                          AND (owner IS NULL OR lease_until < :now)
                        ORDER BY created_at, id""").bind("now", clock.millis()).mapTo(String.class).list());
    }

    /** Accepts, charges, runs and finishes a request; a request id seen before is finished, not charged again. */
    public Result generate(Request request) throws IOException {
        return finish(accept(request).requestId());
    }

    /**
     * Checks a request and takes it: the plan allows the model, the quantity is 1-10, the project
     * is a directory, the processing fee is charged, the request is stored; nothing is generated
     * yet ({@link #finish} does that). Refusals throw {@link CreditException} and store nothing.
     */
    public Accepted accept(Request request) throws IOException {
        String requestId = request.id().orElseGet(() -> "gen-" + UUID.randomUUID());
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new CreditException(CreditException.Kind.INVALID, "a request id is 1-100 letters, digits, '.', '_', ':' or '-'");
        }
        if (request.quantity() < 1 || request.quantity() > MAX_QUANTITY) {
            throw new CreditException(CreditException.Kind.INVALID, "custom_rules_qty must be 1-" + MAX_QUANTITY + ", not " + request.quantity());
        }
        ModelClass model = request.model().orElseGet(generators::defaultClass);
        Tier tier = credits.tier(request.tenant());
        if (tier == Tier.FREE) {
            throw new CreditException(CreditException.Kind.FORBIDDEN, "tenant " + request.tenant()
                    + " is on the free plan; custom rules need the standard or premium plan");
        }
        if (!tier.allows(model)) {
            throw new CreditException(CreditException.Kind.FORBIDDEN, "the " + tier.id() + " plan does not include model class "
                    + model.id() + "; premium does");
        }
        generators.forClass(model); // refuses a class without a configured model before anything is charged
        if (!Files.isDirectory(request.project())) {
            throw new CreditException(CreditException.Kind.INVALID, "project " + request.project() + " is not a directory");
        }
        Stack stack = Stack.of(request.project());
        Set<String> inLibrary = library(request.tenant()).stream().map(LibraryRule::ruleId).collect(Collectors.toSet());
        List<String> planned = Templates.fitting(stack, idPrefix(request.tenant())).stream().map(Target::ruleId)
                .filter(id -> !inLibrary.contains(id)).limit(request.quantity()).toList();
        Plan plan = new Plan(stack.summary(), model.id(), planned);
        boolean isNew = jdbi.inTransaction(h -> accept(h, requestId, request, plan));
        return new Accepted(requestId, request.tenant(), isNew);
    }

    /** The ids of the requests accepted and not yet done, oldest first: the work a (re)started worker takes up. */
    public List<String> unfinished() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM generation_requests WHERE state = 'ACCEPTED' ORDER BY created_at, id")
                .mapTo(String.class).list());
    }

    /** The follow-up scan a done request asked for, while it is not queued yet. */
    public Optional<FollowUpScan> pendingScan(String requestId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT scan_path, scan_cohort FROM generation_requests WHERE id = :id "
                        + "AND state = 'DONE' AND scan_path IS NOT NULL AND scan_id IS NULL").bind("id", requestId)
                .map((rs, ctx) -> new FollowUpScan(Path.of(rs.getString("scan_path")), rs.getString("scan_cohort"))).findOne());
    }

    /**
     * Claims the queueing of a done request's follow-up scan, so that of several workers (on any
     * node) one queues it; empty when it is queued already, not asked for, or held. A claimer that
     * dies before {@link #scanQueued} leaves it to be taken up after the lease.
     */
    public Optional<Claim> claimFollowUp(String requestId, String node, Duration lease) {
        Claim claim = new Claim(requestId, owner(node), lease);
        long now = clock.millis();
        int claimed = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE generation_requests SET owner = :owner, lease_until = :until
                        WHERE id = :id AND state = 'DONE' AND scan_path IS NOT NULL AND scan_id IS NULL
                          AND (owner IS NULL OR lease_until < :now)""")
                .bind("owner", claim.owner()).bind("until", now + lease.toMillis()).bind("id", requestId).bind("now", now).execute());
        return claimed == 1 ? Optional.of(claim) : Optional.empty();
    }

    /** Notes the scan queued (or why none was) under the follow-up's claim; false when the claim was lost. */
    public boolean scanQueued(Claim followUp, String scanId) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE generation_requests SET scan_id = :scan, owner = NULL, lease_until = NULL WHERE id = :id AND owner = :owner")
                .bind("scan", scanId).bind("id", followUp.requestId()).bind("owner", followUp.owner()).execute()) == 1;
    }

    private record StatusRow(String tenant, String state, String model, String stack, long created, Long finished, String release,
                             String scan, String failure) {
    }

    /** Where a request stands; empty for an unknown id, or another tenant's request unless {@code anyTenant}. */
    public Optional<Status> status(String tenant, String requestId, boolean anyTenant) {
        Optional<StatusRow> row = jdbi.withHandle(h -> h.createQuery("""
                        SELECT tenant, state, model, stack, created_at, finished_at, release_id, scan_id, failure
                        FROM generation_requests WHERE id = :id""").bind("id", requestId)
                .map((rs, ctx) -> new StatusRow(rs.getString("tenant"), rs.getString("state"), rs.getString("model"),
                        StoredJson.read(rs.getString("stack"), Plan.class).summary(), rs.getLong("created_at"),
                        rs.getObject("finished_at") == null ? null : rs.getLong("finished_at"), rs.getString("release_id"),
                        rs.getString("scan_id"), rs.getString("failure"))).findOne());
        return row.filter(r -> anyTenant || r.tenant().equals(tenant)).map(r -> new Status(requestId, r.tenant(),
                r.state().equals("DONE") && r.failure() != null ? "failed" : r.state().toLowerCase(Locale.ROOT), r.model(), r.stack(),
                Instant.ofEpochMilli(r.created()), r.finished() == null ? null : Instant.ofEpochMilli(r.finished()),
                r.state().equals("DONE") ? summaryOf(requestId) : null, r.release(), r.scan(), r.failure()));
    }

    private Summary summaryOf(String requestId) {
        return new Summary(outcomes(requestId).values().stream()
                .map(r -> new Summary.Rule(r.id(), r.outcome(), r.attempts(), r.reason(), r.yaml())).toList(), charges(requestId));
    }

    private Charges charges(String requestId) {
        long processing = 0;
        long success = 0;
        long refunded = 0;
        for (LedgerEntry entry : credits.entriesOf(requestId)) {
            switch (entry.kind()) {
                case PROCESSING -> processing -= entry.amount();
                case SUCCESS -> success -= entry.amount();
                case GRANT -> refunded += entry.amount(); // a grant naming a request refunds it
            }
        }
        return new Charges(processing, success, refunded, processing + success - refunded);
    }

    /** Finishes every request a crash left unfinished and no other worker holds; returns what they came to. */
    public List<Result> resumeUnfinished() throws IOException {
        List<Result> results = new ArrayList<>();
        for (String id : claimable()) {
            Optional<Claim> claim = claim(id, LOCAL_NODE, LEASE);
            if (claim.isPresent()) {
                LOG.info("custom rules: taking up request {} where it stopped", id);
                results.add(finish(claim.get()));
            }
        }
        return results;
    }

    /** Stores and charges a new request; false for a retried one (accepted and charged before). */
    private boolean accept(Handle h, String requestId, Request request, Plan plan) {
        Optional<String> known = h.createQuery("SELECT tenant FROM generation_requests WHERE id = :id").bind("id", requestId)
                .mapTo(String.class).findOne();
        if (known.isPresent()) {
            if (!known.get().equals(request.tenant())) {
                throw new CreditException(CreditException.Kind.CONFLICT, "request id " + requestId + " belongs to another tenant");
            }
            return false; // a retried request: finished as it was accepted, charged once
        }
        h.createUpdate("""
                        INSERT INTO generation_requests (id, tenant, project, quantity, model, stack, state, created_at, scan_path, scan_cohort)
                        VALUES (:id, :tenant, :project, :quantity, :model, :stack, 'ACCEPTED', :at, :scanPath, :scanCohort)""")
                .bind("id", requestId).bind("tenant", request.tenant()).bind("project", request.project().toAbsolutePath().toString())
                .bind("quantity", request.quantity()).bind("model", plan.model()).bind("stack", StoredJson.write(plan))
                .bind("at", clock.millis())
                .bind("scanPath", request.thenScan().map(scan -> scan.directory().toAbsolutePath().toString()).orElse(null))
                .bind("scanCohort", request.thenScan().map(FollowUpScan::cohort).orElse(null)).execute();
        // Refused (402) when the balance cannot cover it: the transaction, request row included, rolls back.
        credits.charge(h, request.tenant(), requestId + ":processing", LedgerEntry.Kind.PROCESSING,
                fees.processingPerRule() * request.quantity(), requestId, request.quantity() + " custom rule(s) requested");
        return true;
    }

    private record Stored(String tenant, Path project, int quantity, Plan plan, String state, String releaseId, String failure) {
    }

    /**
     * Claims a request and makes what it still lacks ({@link #finish(Claim)}), or reads what a done
     * one came to.
     *
     * @throws CreditException (conflict) while another worker holds the request
     */
    public Result finish(String requestId) throws IOException {
        Optional<Claim> claim = claim(requestId, LOCAL_NODE, LEASE);
        if (claim.isPresent()) {
            return finish(claim.get());
        }
        if (!load(requestId).state().equals("DONE")) {
            throw new CreditException(CreditException.Kind.CONFLICT, "request " + requestId
                    + " is being made by another worker now; ask for its status later");
        }
        return result(requestId);
    }

    /**
     * Generates what a claimed request still lacks, each rule's outcome and success fee in one
     * transaction that also renews the claim, then releases the library and marks the request done.
     * Taken up again after a crash, it continues where it stopped and charges nothing twice.
     *
     * @throws ClaimLost when the claim ran out and another worker took the request over
     */
    public Result finish(Claim claim) throws IOException {
        String requestId = claim.requestId();
        Stored accepted = load(requestId);
        if (accepted.state().equals("ACCEPTED")) {
            ModelClass model = ModelClass.of(accepted.plan().model());
            Map<Integer, RuleOutcome> done = outcomes(requestId);
            Generator generator = generators.forClass(model);
            Stack stack = null;
            Map<String, Target> targets = Map.of();
            for (int idx = 0; idx < accepted.quantity(); idx++) {
                if (done.containsKey(idx)) {
                    continue;
                }
                if (stack == null) {
                    stack = Stack.of(accepted.project());
                    targets = Templates.fitting(stack, idPrefix(accepted.tenant())).stream()
                            .collect(Collectors.toMap(Target::ruleId, t -> t));
                }
                RuleOutcome outcome;
                if (idx >= accepted.plan().targets().size()) {
                    outcome = new RuleOutcome("(none)", false, 0, "no further weakness is known for this stack (" + accepted.plan().summary()
                            + ") beyond the rules already in the library", null, Map.of(), "", "", 0);
                } else if (!targets.containsKey(accepted.plan().targets().get(idx))) {
                    outcome = new RuleOutcome(accepted.plan().targets().get(idx), false, 0, "the project no longer has the stack it was "
                            + "planned for", null, Map.of(), "", "", 0);
                } else {
                    outcome = loop.make(generator, targets.get(accepted.plan().targets().get(idx)), stack);
                }
                record(claim, accepted, idx, outcome, model, stack);
            }
            if (!renew(claim)) {
                throw new ClaimLost(claim); // the worker that took over releases the library
            }
            String releaseId = release(accepted.tenant());
            jdbi.useTransaction(h -> {
                int changed = h.createUpdate("""
                                UPDATE generation_requests SET state = 'DONE', release_id = :release, finished_at = :at, owner = NULL,
                                                               lease_until = NULL, failure = NULL
                                WHERE id = :id AND state = 'ACCEPTED' AND owner = :owner""")
                        .bind("release", releaseId).bind("at", clock.millis()).bind("id", requestId).bind("owner", claim.owner())
                        .execute();
                if (changed == 0) {
                    throw new ClaimLost(claim);
                }
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("tenant", accepted.tenant());
                payload.put("request", requestId);
                payload.put("requested", accepted.quantity());
                payload.put("validated", outcomes(h, requestId).values().stream().filter(RuleOutcome::validated).count());
                EventLog.append(h, clock.instant(), EventType.CUSTOM_RULES_GENERATED, releaseId, null, payload);
            });
        }
        return result(requestId);
    }

    private Stored load(String requestId) {
        return jdbi.withHandle(h -> load(h, requestId));
    }

    private static Stored load(Handle h, String requestId) {
        return h.createQuery(
                        "SELECT tenant, project, quantity, stack, state, release_id, failure FROM generation_requests WHERE id = :id")
                .bind("id", requestId).map((rs, ctx) -> new Stored(rs.getString("tenant"), Path.of(rs.getString("project")),
                        rs.getInt("quantity"), StoredJson.read(rs.getString("stack"), Plan.class), rs.getString("state"),
                        rs.getString("release_id"), rs.getString("failure"))).one();
    }

    private Result result(String requestId) {
        Stored stored = load(requestId);
        return new Result(requestId, stored.tenant(), stored.plan().model(), stored.plan().summary(),
                List.copyOf(outcomes(requestId).values()), charges(requestId), stored.releaseId(),
                stored.state().equals("DONE") ? stored.failure() : null);
    }

    /** Stores one rule's outcome, and for a validated rule its library entry and success fee, in one transaction. */
    private void record(Claim claim, Stored stored, int idx, RuleOutcome outcome, ModelClass model, Stack stack) {
        String requestId = claim.requestId();
        jdbi.useTransaction(h -> {
            if (!renew(h, claim)) {
                throw new ClaimLost(claim); // nothing of this attempt is stored or charged
            }
            h.createUpdate("""
                            INSERT INTO generation_outcomes (request_id, idx, rule_id, outcome, attempts, reason, yaml, took_ms)
                            VALUES (:request, :idx, :rule, :outcome, :attempts, :reason, :yaml, :took)""")
                    .bind("request", requestId).bind("idx", idx).bind("rule", outcome.id()).bind("outcome", outcome.outcome())
                    .bind("attempts", outcome.attempts()).bind("reason", outcome.reason()).bind("yaml", outcome.yaml())
                    .bind("took", outcome.tookMillis()).execute();
            if (!outcome.validated()) {
                return;
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("generator", model == ModelClass.OFFLINE ? "offline" : "chat-completions");
            metadata.put("model_class", model.id());
            metadata.put("model", outcome.model());
            metadata.put("prompt_version", outcome.promptVersion());
            metadata.put("attempts", outcome.attempts());
            metadata.put("request", requestId);
            // An upsert: two requests of one tenant made at once on two workers may both make one rule; the later one stays.
            h.createUpdate("""
                            INSERT INTO custom_rule_library (tenant, rule_id, yaml, sha256, tests, stack, ai_metadata, request_id, created_at)
                            VALUES (:tenant, :rule, :yaml, :sha, :tests, :stack, :meta, :request, :at)
                            ON CONFLICT (tenant, rule_id) DO UPDATE SET yaml = excluded.yaml, sha256 = excluded.sha256, tests = excluded.tests,
                                stack = excluded.stack, ai_metadata = excluded.ai_metadata, request_id = excluded.request_id,
                                created_at = excluded.created_at""")
                    .bind("tenant", stored.tenant()).bind("rule", outcome.id()).bind("yaml", outcome.yaml())
                    .bind("sha", Sha256.hex(outcome.yaml())).bind("tests", StoredJson.write(outcome.tests()))
                    .bind("stack", StoredJson.write(stack)).bind("meta", StoredJson.write(metadata)).bind("request", requestId)
                    .bind("at", clock.millis()).execute();
            credits.charge(h, stored.tenant(), requestId + ":success:" + idx, LedgerEntry.Kind.SUCCESS, fees.success(model), requestId,
                    "rule " + outcome.id() + " validated");
        });
    }

    /**
     * Releases the tenant's whole library on its track: every rule with its annotated vulnerable
     * example goes through the validation gate again (a rule the engine no longer passes stays
     * out), and the release goes out through the rollout engine with the policy's plan, like any
     * release. Returns the release id (null when no rule passes). While a rollout is under way on
     * the track the release is stored, not rolled out: the next request releases the library again.
     */
    private String release(String tenant) throws IOException {
        List<LibraryRule> library = library(tenant);
        if (library.isEmpty()) {
            return null;
        }
        GateResult gated = validator.gate(library.stream().map(r -> new RuleValidator.Tested(r.ruleId(), r.yaml(), r.tests())).toList());
        if (gated.accepted().isEmpty()) {
            LOG.warn("custom rules: no rule of tenant {}'s library passes the gate now; nothing released", tenant);
            return null;
        }
        Release release = releases.create(trackOf(tenant), gated.accepted(), gated.report(), Map.of());
        try {
            rollouts.start(release.id(), plan.get(), "custom rules of tenant " + tenant);
        } catch (ReleaseException e) {
            LOG.info("custom rules: release {} of tenant {} stored, not rolled out: {}", ReleaseStore.shortId(release.id()), tenant,
                    e.getMessage());
        }
        return release.id();
    }

    /** The track a tenant's own rules are released on. */
    public static Track trackOf(String tenant) {
        return Track.of("tenants/" + tenant + "/rules");
    }

    /** Rule ids of a tenant's custom rules start with this, so they never clash with global rules or another tenant's. */
    static String idPrefix(String tenant) {
        return "custom." + tenant + ".";
    }

    /** A rule of a tenant's library. */
    public record LibraryRule(String ruleId, String yaml, String sha256, Map<String, String> tests, Map<String, Object> aiMetadata,
                              String requestId, Instant createdAt) {
    }

    @SuppressWarnings("unchecked")
    public List<LibraryRule> library(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT rule_id, yaml, sha256, tests, ai_metadata, request_id, created_at "
                        + "FROM custom_rule_library WHERE tenant = :tenant")
                .bind("tenant", tenant).map((rs, ctx) -> new LibraryRule(rs.getString("rule_id"), rs.getString("yaml"),
                        rs.getString("sha256"), StoredJson.read(rs.getString("tests"), Map.class),
                        StoredJson.read(rs.getString("ai_metadata"), Map.class), rs.getString("request_id"),
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list().stream().sorted(Comparator.comparing(LibraryRule::ruleId)).toList());
    }

    /** Where a library rule stands on the tenant's track. */
    public enum RuleStatus {
        /** In the track's active release, as stored. */
        LIVE,
        /** In the candidate of a rollout under way on the track. */
        ROLLING_OUT,
        /** Neither: waiting for a rollout under way to end, or refused by the gate when the library was last released. */
        NOT_LIVE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A rule of a tenant's library as the library listing shows it: what it is, how it was made, when, and where it stands. */
    public record ListedRule(String ruleId, RuleStatus status, Instant createdAt, String requestId, Map<String, Object> generation,
                             String yaml) {
    }

    /**
     * The tenant's library with each rule's status: live in the track's active release (same
     * content), in the candidate of a rollout under way, or not live.
     */
    public List<ListedRule> listing(String tenant) {
        Track track = trackOf(tenant);
        Map<String, String> live = shaById(releases.active(track));
        Map<String, String> candidate = shaById(rollouts.unfinished(track).flatMap(r -> releases.find(r.releaseId())));
        return library(tenant).stream().map(rule -> {
            String released = AcceptedRule.releasedSha256(rule.yaml());
            RuleStatus status = released.equals(live.get(rule.ruleId())) ? RuleStatus.LIVE
                    : released.equals(candidate.get(rule.ruleId())) ? RuleStatus.ROLLING_OUT : RuleStatus.NOT_LIVE;
            return new ListedRule(rule.ruleId(), status, rule.createdAt(), rule.requestId(), rule.aiMetadata(), rule.yaml());
        }).toList();
    }

    private static Map<String, String> shaById(Optional<Release> release) {
        return release.map(r -> r.rules().stream().collect(Collectors.toMap(AcceptedRule::id, AcceptedRule::sha256, (a, b) -> a)))
                .orElse(Map.of());
    }

    private Map<Integer, RuleOutcome> outcomes(String requestId) {
        return jdbi.withHandle(h -> outcomes(h, requestId));
    }

    private static Map<Integer, RuleOutcome> outcomes(Handle h, String requestId) {
        Map<Integer, RuleOutcome> outcomes = new LinkedHashMap<>();
        h.createQuery("SELECT idx, rule_id, outcome, attempts, reason, yaml, took_ms FROM generation_outcomes WHERE request_id = :id "
                        + "ORDER BY idx").bind("id", requestId)
                .map((rs, ctx) -> Map.entry(rs.getInt("idx"), new RuleOutcome(rs.getString("rule_id"), "validated".equals(rs.getString("outcome")),
                        rs.getInt("attempts"), rs.getString("reason"), rs.getString("yaml"), Map.of(), "", "", rs.getLong("took_ms"))))
                .forEach(e -> outcomes.put(e.getKey(), e.getValue()));
        return outcomes;
    }
}
