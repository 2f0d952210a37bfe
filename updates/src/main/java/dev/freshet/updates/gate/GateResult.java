package dev.freshet.updates.gate;

import java.util.List;

/** The rules that passed, in a stable order, and the verdict on every candidate. */
public record GateResult(List<AcceptedRule> accepted, GateReport report) {
    public GateResult {
        accepted = List.copyOf(accepted);
    }
}
