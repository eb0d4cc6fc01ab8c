package io.shoal.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.gateway.api.SwarmView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgPlotTest {

    private static List<SwarmView.Sample> samples(double... rates) {
        return java.util.stream.IntStream.range(0, rates.length)
                .mapToObj(i -> new SwarmView.Sample(Instant.ofEpochSecond(i * 10L), rates[i])).toList();
    }

    private static String points(String svg) {
        Matcher m = Pattern.compile("<polyline class=\"line\" points=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), svg);
        return m.group(1);
    }

    @Test
    void onePointPerSampleTheHighestTouchingARoundScale() {
        String svg = SvgPlot.throughput(samples(0, 3_500_000, 1_000_000), Duration.ofSeconds(10));
        String[] points = points(svg).split(" ");
        assertEquals(3, points.length);
        assertEquals("70.0,138.0", points[0], "zero sits on the time axis");
        assertTrue(svg.contains(">5.0 MB/s</text>"), "3.5 MB/s is drawn against 5 MB/s: " + svg);
        assertEquals("710.0,138.0".split(",")[0], points[2].split(",")[0], "the last sample at the right edge");
        assertTrue(svg.contains("data-samples=\"3\" data-nonzero=\"2\""));
        assertTrue(svg.contains("last 30 s"));
    }

    @Test
    void nothingServedIsAFlatLineOnTheAxis() {
        String svg = SvgPlot.throughput(samples(0, 0), Duration.ofSeconds(10));
        assertEquals("70.0,138.0 710.0,138.0", points(svg));
        assertTrue(SvgPlot.throughput(List.of(), Duration.ofSeconds(10)).endsWith("</svg>"));
    }

    @Test
    void scalesAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0, SvgPlot.niceCeiling(0));
        assertEquals(1, SvgPlot.niceCeiling(1));
        assertEquals(2_000_000, SvgPlot.niceCeiling(1_000_001));
        assertEquals(500, SvgPlot.niceCeiling(201));
        assertEquals(1000, SvgPlot.niceCeiling(501));
    }
}
