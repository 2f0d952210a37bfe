package dev.freshet.app.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column chart drawn as inline SVG by {@code chart.peb}: the geometry is worked out here, once, so the
 * template only places shapes. Every number a template writes into an attribute is formatted here
 * with {@link Locale#ROOT} (a decimal point in any language).
 *
 * @param title     what the chart shows, also its accessible name
 * @param reference a level drawn across the chart (a limit, a target), or null
 */
record Chart(String id, String title, String width, String height, List<Column> columns, List<Tick> ticks, Level reference,
             String baseline, String plotLeft, String plotRight) {

    /** One value to draw: its label, the value (infinite: beyond any scale, drawn full height), the text shown for it, and its tone (ok, warn, bad). */
    record Point(String label, double value, String valueText, String tone) {
    }

    record Column(String label, String shortLabel, String valueText, String tone, String x, String y, String w, String h,
                  String labelX, String labelY) {
    }

    record Tick(String y, String text) {
    }

    record Level(String y, String text) {
    }

    private static final double WIDTH = 640;
    private static final double HEIGHT = 240;
    private static final double LEFT = 48;
    private static final double RIGHT = 12;
    private static final double TOP = 12;
    private static final double BOTTOM = 44;
    private static final int LABEL_CHARS = 12;
    private static final double MAX_BAR = 56;

    /**
     * The chart of {@code points} in their order, scaled so the largest value (or the reference level)
     * fits; {@code referenceText} labels the level (ignored without one). Values without a {@code unit} are counts.
     */
    static Chart of(String id, String title, List<Point> points, Double referenceLevel, String referenceText, String unit) {
        double top = points.stream().mapToDouble(Point::value).filter(Double::isFinite).max().orElse(0);
        if (referenceLevel != null) {
            top = Math.max(top, referenceLevel);
        }
        // Counts (no unit) get whole ticks: a multiple of four over four ticks; other figures a round ceiling.
        top = unit.isEmpty() ? Math.max(4, Math.ceil(top * 1.05 / 4) * 4) : top <= 0 ? 1 : niceCeiling(top * 1.05);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = points.isEmpty() ? plotWidth : plotWidth / points.size();
        double barWidth = Math.min(MAX_BAR, Math.max(1, slot * 0.7));
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double h = Math.min(Math.max(0, p.value()) / top, 1) * plotHeight;
            double x = LEFT + i * slot + (slot - barWidth) / 2;
            boolean showLabel = points.size() <= 16 || i % Math.ceil(points.size() / 16.0) == 0;
            columns.add(new Column(p.label(), showLabel ? shorten(p.label()) : "", p.valueText(), p.tone(), num(x), num(TOP + plotHeight - h),
                    num(barWidth), num(h), num(x + barWidth / 2), num(HEIGHT - BOTTOM + 16)));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            ticks.add(new Tick(num(TOP + plotHeight - value / top * plotHeight), number(value) + unit));
        }
        Level level = referenceLevel == null ? null
                : new Level(num(TOP + plotHeight - referenceLevel / top * plotHeight), referenceText);
        return new Chart(id, title, num(WIDTH), num(HEIGHT), List.copyOf(columns), List.copyOf(ticks), level,
                num(TOP + plotHeight), num(LEFT), num(WIDTH - RIGHT));
    }

    /** The smallest of 1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8 times a power of ten at or above {@code value}: ticks at quarters stay round. */
    static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String shorten(String label) {
        return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "…";
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A tick value without needless decimals. */
    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }
}
