package dev.freshet.app;

import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.Rollout;
import java.time.Instant;

/** A rollout as the CLI prints it: release, state, step, time to promotion, the analysis so far and the reason. */
final class RolloutText {
    private RolloutText() {
    }

    static String of(Rollout r, Instant now) {
        StringBuilder text = new StringBuilder("rollout ").append(r.id()).append(" on ").append(r.track()).append(": release ")
                .append(ReleaseStore.shortId(r.releaseId())).append(" against ").append(ReleaseStore.shortId(r.stableReleaseId()))
                .append("\nstate ").append(r.state()).append(", step ").append(r.stepName()).append(" of ").append(r.plan().steps())
                .append(", ").append(r.failures()).append('/').append(r.plan().failureLimit()).append(" failed analyses");
        if (!r.state().finished()) {
            text.append(", promotion in ").append(r.timeToPromotion(now).toMinutes()).append(" min if every analysis passes");
        }
        if (r.analysis() != null) {
            var a = r.analysis();
            text.append(String.format("%nanalysis: %s (%d candidate, %d stable scans; error rate %.3f, p95 ratio %.2f, findings/kLOC ratio %.2f)",
                    a.verdict(), a.candidateScans(), a.stableScans(), a.errorRate(), a.p95Ratio(), a.findingsRatio()));
        }
        if (r.reason() != null) {
            text.append("\nreason: ").append(r.reason());
        }
        return text.append('\n').toString();
    }
}
