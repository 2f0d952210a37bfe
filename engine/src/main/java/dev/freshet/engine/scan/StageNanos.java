package dev.freshet.engine.scan;

/**
 * Where a scan's time went, summed over files and threads (so the sum may exceed the elapsed time).
 *
 * @param read reading and decoding files, and indexing their lines
 * @param prefilter collecting each file's words and choosing the rules that may match it
 * @param parse parsing and copying the syntax tree
 * @param match running the rules on the tree and making findings
 */
public record StageNanos(long read, long prefilter, long parse, long match) {
    public static final StageNanos NONE = new StageNanos(0, 0, 0, 0);

    public StageNanos plus(StageNanos other) {
        return new StageNanos(read + other.read, prefilter + other.prefilter, parse + other.parse, match + other.match);
    }

    public long total() {
        return read + prefilter + parse + match;
    }
}
