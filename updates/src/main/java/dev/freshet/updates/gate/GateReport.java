package dev.freshet.updates.gate;

import java.util.List;

/** What the validation gate decided for every candidate rule of one update. */
public record GateReport(List<Verdict> verdicts) {
}
