package dev.freshet.app.server;

import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.access.TenantProjects;
import dev.freshet.updates.community.Community;
import dev.freshet.updates.billing.Credits;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.generation.GenerationWorkers;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.RolloutScores;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.SourceRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Everything the routes work with, taken by {@code FreshetService} from the composition root.
 *
 * @param activations        the one activation path, and its rollout engine
 * @param afterCheck         runs after an update check (rescans watched projects when it activated a release)
 * @param afterNewAdvisories runs after a feed sync stored records (releases them as rules at once)
 * @param scans              the scan queue, empty until the integrator supplies one (then the scan routes answer 503)
 * @param scores             scores requests with models, by cohort during a rollout
 * @param customRules        custom rules on demand, asked for with a scan
 * @param generation         the workers that make accepted requests for custom rules
 * @param models             the versions of the http-anomaly model (releases of its track), for its routes and the dashboard
 */
public record Services(Jdbi jdbi, ReleaseStore releases, ActivationService activations, SourceRegistry sources, Overrides overrides,
                       ActiveKnowledge knowledge, Updater updater, Consumer<Updater.CheckResult> afterCheck,
                       List<Feed> feeds, FeedSync feedSync, Runnable afterNewAdvisories,
                       AccessStore access, TenantProjects projects, Optional<ScanService> scans,
                       ReadablePaths readable, ServerMetrics metrics, Community community, Clock clock,
                       RolloutScores scores, Credits credits, CustomRules customRules,
                       GenerationWorkers generation, ModelReleases models) {
    public Services {
        feeds = List.copyOf(feeds);
    }
}
