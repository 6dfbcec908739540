package retouch.nn.task;

import java.util.List;

/**
 * JPEG artefact removal: one blind model for every quality, as DnCNN-3 is (a photo's quality is
 * rarely known once it has been re-saved). Training patches go through a JPEG round trip at a
 * quality drawn from {@value #QUALITY_MIN}–{@value #QUALITY_MAX}; evaluation uses qualities 10,
 * 20, 30 and 40, the literature's table.
 */
public final class JpegTask {
    /** JPEG qualities a model is trained on (uniform, inclusive; the JDK's baseline encoder, IJG scale). */
    public static final int QUALITY_MIN = 10, QUALITY_MAX = 95;

    private JpegTask() {}

    public static final RestorationTask TASK = new RestorationTask("jpeg", "JPEG artefact removal", List.of("dejpeg", "deblock"), 1,
            List.of(), "jpeg-gray", null, "jpeg:10|jpeg:20|jpeg:30|jpeg:40",
            "a JPEG round trip at a quality drawn from " + QUALITY_MIN + "-" + QUALITY_MAX + " (the JDK's baseline encoder)", true,
            retouch.nn.restore.NetworkRestorer::new);
}
