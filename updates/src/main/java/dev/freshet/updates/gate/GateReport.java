package dev.freshet.updates.gate;

import java.util.List;

/**
 * What the validation gate decided for every candidate rule of one update, and which sources it
 * could not read at all (their rules came from the active release instead).
 */
public record GateReport(List<Verdict> verdicts, List<SourceFailure> failedSources) {
    public GateReport {
        verdicts = List.copyOf(verdicts);
        failedSources = failedSources == null ? List.of() : List.copyOf(failedSources);
    }

    public GateReport(List<Verdict> verdicts) {
        this(verdicts, List.of());
    }

    /**
     * A source whose snapshot the gate refused as a whole (over a limit, or it broke the reader).
     *
     * @param keptRules how many of its rules the active release had, which were validated in its place
     */
    public record SourceFailure(String source, String reason, int keptRules) {
    }
}
