package io.shoal.gateway.dashboard;

import io.shoal.gateway.api.SwarmView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A series over time as an inline SVG: an area under a line, one point per value, a round scale on the left. Drawn
 * on the server, so the page needs no script to show it. The values are drawn evenly spaced, oldest first.
 */
final class SvgPlot {

    static final int WIDTH = 720;
    static final int HEIGHT = 160;
    private static final int LEFT = 70;
    private static final int TOP = 10;
    private static final int BOTTOM = 22;

    private SvgPlot() {
    }

    /** The seeder-workers' bytes per second, one sample per {@code step}. */
    static String throughput(List<SwarmView.Sample> samples, Duration step) {
        return svg(samples.stream().map(SwarmView.Sample::bytesPerSecond).toList(),
                samples.isEmpty() ? "" : Formats.duration(step.multipliedBy(samples.size())),
                "Bytes the seeder-workers served per second", Formats::rate);
    }

    /**
     * @param span  how long the values cover, for the time axis ("1 h")
     * @param title what the plot shows (its SVG title)
     * @param scale how the top of the scale is written
     */
    static String svg(List<Double> values, String span, String title, DoubleFunction<String> scale) {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double top = niceCeiling(max);
        int plotWidth = WIDTH - LEFT - 10;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder line = new StringBuilder();
        int drawn = 0;
        for (int i = 0; i < values.size(); i++) {
            double x = LEFT + (values.size() == 1 ? plotWidth : (double) i * plotWidth / (values.size() - 1));
            double y = TOP + plotHeight - (top == 0 ? 0 : values.get(i) / top * plotHeight);
            line.append(drawn++ == 0 ? "" : " ").append(number(x)).append(',').append(number(y));
        }
        long nonZero = values.stream().filter(v -> v > 0).count();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" data-samples=\"").append(values.size()).append("\" data-nonzero=\"")
                .append(nonZero).append("\"><title>").append(title).append(", last ").append(span).append("</title>");
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotHeight).append("\" x2=\"")
                .append(WIDTH - 10).append("\" y2=\"").append(TOP + plotHeight).append("\"/>");
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(TOP + plotHeight).append("\"/>");
        svg.append(label(LEFT - 6, TOP + 4, "end", scale.apply(top)));
        svg.append(label(LEFT - 6, TOP + plotHeight, "end", "0"));
        svg.append(label(LEFT, HEIGHT - 6, "start", "-" + span));
        svg.append(label(WIDTH - 10, HEIGHT - 6, "end", "now"));
        if (!values.isEmpty()) {
            svg.append("<polygon class=\"area\" points=\"").append(number(LEFT)).append(',').append(TOP + plotHeight).append(' ')
                    .append(line).append(' ').append(WIDTH - 10).append(',').append(TOP + plotHeight).append("\"/>");
            svg.append("<polyline class=\"line\" points=\"").append(line).append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    /** 1, 2 or 5 times a power of ten at or above {@code value}, so the scale reads as a round number. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 0;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String label(int x, int y, String anchor, String text) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + text + "</text>";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
