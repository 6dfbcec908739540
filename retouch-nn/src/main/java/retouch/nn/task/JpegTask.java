package retouch.nn.task;

import java.util.List;

/**
 * JPEG artefact removal: one model for every quality, told the quality as its level input (as
 * FBCNN is), so that it repairs a blocky quality-10 photo hard and leaves a near-lossless one
 * alone. The quality is estimated from the pixels ({@link retouch.degrade.JpegQualityEstimator})
 * unless the caller gives it. Training patches go through a JPEG round trip at a quality drawn
 * from {@value #QUALITY_MIN}–{@value #QUALITY_MAX}; evaluation uses qualities 10, 20, 30 and 40,
 * the literature's table. Gray photos go to {@code jpeg-gray}, colour photos to {@code jpeg-color}
 * (one RGB network, which also undoes the chroma subsampling).
 */
public final class JpegTask {
    /** JPEG qualities a model is trained on (uniform, inclusive; the JDK's baseline encoder, IJG scale). */
    public static final int QUALITY_MIN = 10, QUALITY_MAX = 95;

    /** model.json hyper-parameter {@code level} of models whose level input is {@link #level}; older models were trained blind (level 0). */
    public static final String LEVEL_HYPER = "level", LEVEL_QUALITY = "jpeg_quality";

    private JpegTask() {}

    /** The network's level input for a JPEG of quality {@code q}: 0.9 at quality 10, 0 at 100. */
    public static float level(int quality) {
        return (100 - quality) / 100f;
    }

    public static final RestorationTask TASK = new RestorationTask("jpeg", "JPEG artefact removal", List.of("dejpeg", "deblock"), 1,
            List.of(), "jpeg-gray", "jpeg-color", "jpeg:10|jpeg:20|jpeg:30|jpeg:40",
            "a JPEG round trip at a quality drawn from " + QUALITY_MIN + "-" + QUALITY_MAX + " (the JDK's baseline encoder)", true,
            retouch.nn.restore.NetworkRestorer::new);
}
