package dev.freshet.updates.billing;

/**
 * What custom rules cost, in credits: a processing fee per requested rule, charged when the request
 * is accepted, and a success fee per rule that validates, by the class of model that made it.
 */
public record Fees(long processingPerRule, long offlineSuccess, long standardSuccess, long proSuccess, long maxSuccess) {
    /** 1 per requested rule; success 2 (standard), 4 (pro), 9 (max), and 1 for the offline generator. */
    public static final Fees DEFAULT = new Fees(1, 1, 2, 4, 9);

    public Fees {
        for (long fee : new long[] {processingPerRule, offlineSuccess, standardSuccess, proSuccess, maxSuccess}) {
            if (fee < 0) {
                throw new IllegalArgumentException("a fee cannot be negative: " + fee);
            }
        }
    }

    public Fees withOfflineSuccess(long fee) {
        return new Fees(processingPerRule, fee, standardSuccess, proSuccess, maxSuccess);
    }

    public long success(ModelClass model) {
        return switch (model) {
            case OFFLINE -> offlineSuccess;
            case STANDARD -> standardSuccess;
            case PRO -> proSuccess;
            case MAX -> maxSuccess;
        };
    }

    /** What a request of {@code requested} rules of which {@code validated} validated costs in all. */
    public long total(ModelClass model, int requested, int validated) {
        return processingPerRule * requested + success(model) * validated;
    }
}
