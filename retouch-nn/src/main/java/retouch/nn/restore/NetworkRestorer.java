package retouch.nn.restore;

import retouch.degrade.JpegQualityEstimator;
import retouch.degrade.JpegQuantisationConstraint;
import retouch.image.Image;
import retouch.nn.store.LoadedModel;
import retouch.nn.task.JpegStrength;
import retouch.nn.task.JpegTask;
import retouch.restore.RestoreParams;

/**
 * A Retouch restoration network run over tiles by a {@link Denoiser}: denoising (with the model's
 * refinement stages as the settings say), super-resolution on the bicubic upscale, and JPEG repair.
 * Open it with {@link Restorers#open}.
 */
public class NetworkRestorer extends ModelFileRestorer {
    private final Denoiser denoiser;
    private final JpegStrength jpegStrength;

    /** Runs {@code loaded} (which it owns); open models with {@link Restorers#open}. */
    public NetworkRestorer(LoadedModel loaded, String name, RestoreSettings settings) {
        super(loaded, name, settings, "denoise");
        if (loaded.block() instanceof retouch.nn.inpaint.UNet) {
            throw new retouch.RetouchException("model " + name + " is a " + retouch.nn.inpaint.UNet.ARCHITECTURE
                    + " (inpainting or GAN deblurring), but its model.json says it does " + task() + "; fix its 'tasks'");
        }
        this.denoiser = new Denoiser(loaded.block(), loaded.meta(), loaded.manager(), tile, true);
        this.jpegStrength = JpegStrength.parse(loaded.meta().stringParam(JpegStrength.HYPER, ""), "model " + name);
        // settings the model cannot take fail at open, not at the first image
        denoiser.configured(settings, tile).close();
    }

    /** The network run as {@code s} says (close it after the call; it shares this model's weights). */
    final Denoiser denoiser(RestoreSettings s) {
        return denoiser.configured(s, tile);
    }

    @Override
    public Restoration restore(Image degraded, RestoreParams params, RestoreSettings s) {
        double sigma = params == null ? Double.NaN : params.sigma();
        String task = task();
        try (Denoiser d = denoiser(s)) {
            if (task.equals("denoise")) return Restoration.of(d.denoise(degraded, sigma).clip());
            int scale = TaskDegradation.scaleOf(task);
            if (scale > 0) {
                Image up = TaskDegradation.prepareInput(task, degraded, degraded.height() * scale, degraded.width() * scale);
                return Restoration.of(d.apply(up, 0).clip());
            }
            return repairJpeg(d, degraded, params, jpegStrength);
        }
    }

    /** JPEG repair with the whole of the network's repair at every quality: what {@link JpegStrengthCalibration} weighs. */
    Restoration repairJpegAtFullStrength(Image degraded, RestoreParams params) {
        try (Denoiser d = denoiser(settings)) {
            return repairJpeg(d, degraded, params, JpegStrength.FULL);
        }
    }

    /**
     * JPEG repair: the network at the level of the photo's quality (as the caller gave it or the
     * pixels show it; level 0 for the blind models trained before), then the quantisation
     * constraint when the pixels show the standard tables, which keeps the repair inside the box
     * the original photo lies in. A photo with no quantisation lattice to see is returned as it is,
     * unless the caller gives its quality. Last, the repair is weighed by the model's calibrated
     * {@link JpegStrength} at that quality (none for models without one).
     */
    private Restoration repairJpeg(Denoiser d, Image degraded, RestoreParams params, JpegStrength strength) {
        JpegQualityEstimator.Estimate seen = JpegQualityEstimator.estimate(degraded);
        boolean given = params != null && params.jpegQuality() > 0;
        if (!given && !seen.measured()) {
            // no quantisation lattice in the pixels: not a JPEG, or one so fine (colour at quality 95 and
            // above) that there is nothing to repair; a network run there could only take detail away
            return new Restoration(degraded.copy(), null, "no JPEG quantisation found: left as it is");
        }
        int quality = given ? params.jpegQuality() : seen.quality();
        boolean levelled = JpegTask.LEVEL_QUALITY.equals(meta().stringParam(JpegTask.LEVEL_HYPER, ""));
        // the level stays within the qualities the model was trained on
        int trained = Math.max(JpegTask.QUALITY_MIN, Math.min(JpegTask.QUALITY_MAX, quality));
        double level = levelled ? JpegTask.level(trained) * 255.0 : 0;
        Image out;
        String told = "JPEG quality " + quality + (given ? " (given)" : " (estimated)");
        if (seen.measured() && seen.offGrid()) {
            // a crop: mirror the edges so the network sees whole blocks where it learnt them, at multiples
            // of 8 from every side (its flipped passes too)
            int top = (8 - seen.gridY()) % 8, left = (8 - seen.gridX()) % 8;
            int bottom = (8 - (top + degraded.height()) % 8) % 8, right = (8 - (left + degraded.width()) % 8) % 8;
            Image aligned = d.apply(degraded.padReflect(top, bottom, left, right), level);
            out = aligned.crop(top, left, degraded.height(), degraded.width()).clip();
            told += "; 8x8 grid found at row " + seen.gridY() + ", column " + seen.gridX();
        } else {
            out = d.apply(degraded, level).clip();
        }
        if (!seen.standardTable()) {
            told += seen.measured() ? "; tables not the standard ones, so no quantisation constraint" : "";
        } else {
            out = JpegQuantisationConstraint.project(out, degraded, seen.quality(), seen.gridY(), seen.gridX(), seen.transposed());
            told += "; quantisation constraint of quality " + seen.quality();
        }
        double keep = strength.at(quality);
        if (keep < 1) {
            // the calibrated share of the repair (the JPEG and the constrained repair both lie in the
            // quantisation box, so their blend does too)
            out = blend(degraded, out, keep);
            told += String.format(java.util.Locale.ROOT, "; repair strength %.2f at this quality (calibrated)", keep);
        }
        return new Restoration(out, null, told);
    }

    /** {@code from + t·(to − from)}, a new image. */
    static Image blend(Image from, Image to, double t) {
        Image out = from.copy();
        float[] o = out.data(), b = to.data();
        float w = (float) t;
        for (int i = 0; i < o.length; i++) o[i] += w * (b[i] - o[i]);
        return out;
    }

    @Override
    public Image denoiseAsPrior(Image x, double level255) {
        if (!task().equals("denoise")) return apply(x, RestoreParams.ofSigma(level255));
        try (Denoiser d = denoiser(settings)) {
            return d.denoiseWithNetwork(x, level255).clip();
        }
    }

    @Override
    public long passes(Image image, RestoreSettings s) {
        try (Denoiser d = denoiser(s)) {
            if (task().equals("denoise")) return d.denoisePasses(image.channels(), image.height(), image.width());
            int scale = Math.max(1, TaskDegradation.scaleOf(task()));
            return d.passes(image.channels(), image.height() * scale, image.width() * scale);
        }
    }

    @Override
    public void onTile(Runnable listener) {
        denoiser.onTile(listener);
    }

    @Override
    public void close() {
        denoiser.close();
        super.close();
    }
}
