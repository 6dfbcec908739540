package retouch.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import retouch.RetouchException;
import retouch.image.Image;
import retouch.image.ImageInfo;
import retouch.image.ReadOptions;

/**
 * Training patches from a set of images, streamed: images are visited in a seeded shuffled order
 * per epoch, a small pool of them is decoded at a time, and the pool's patches are shuffled
 * together before they are handed out — so memory stays bounded by the pool (not the folder)
 * while consecutive patches still come from several images. The same seed gives the same
 * sequence of patches.
 *
 * <p>Positions are either a stride grid (every position {@code 0, s, 2s, …} that fits, the
 * DnCNN/KAIR protocol: 180² with P=40, s=10 gives 15×15) or uniformly random. Augmentation uses the
 * 8 dihedral transforms (rotations by 90° and flips), one random per patch or all 8.
 */
public final class PatchSampler implements Iterator<Image> {
    /** How patches are augmented with the 8 dihedral transforms. */
    public enum Augment { NONE, RANDOM, ALL }

    /** One patch and where it came from (for logs and tests). */
    public record Patch(Image image, int source, int y, int x, int mode, int epoch) {}

    private record Pending(Image src, int source, int y, int x, int mode) {}

    private final int count;
    private final IntFunction<Image> loader;
    private final IntFunction<int[]> sizer; // {h, w} without decoding, for patchesPerEpoch
    private final IntFunction<String> namer;
    private final int patch;
    private final int stride;
    private final int perImage;
    private final Augment augment;
    private final int channels;
    private final int pool;
    private final SplittableRandom rnd;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int[] order;
    private int cursor;
    private int epoch = -1;
    private int currentEpoch;
    private long loads;

    private PatchSampler(Builder b) {
        this.count = b.count;
        this.loader = b.loader;
        this.sizer = b.sizer;
        this.namer = b.namer;
        this.patch = b.patch;
        this.stride = b.stride;
        this.perImage = b.perImage;
        this.augment = b.augment;
        this.pool = b.pool;
        this.rnd = new SplittableRandom(b.seed);
        this.channels = b.channels;
    }

    /** Patches from the images of a folder, decoded on demand. */
    public static Builder builder(ImageFolder folder) {
        Objects.requireNonNull(folder);
        Builder b = new Builder(folder.size(), null, i -> {
            ImageInfo info = folder.probe(i);
            return new int[] {info.height(), info.width()};
        }, i -> folder.path(i).toString());
        b.folder = folder;
        return b;
    }

    /** Patches from images already in memory. */
    public static Builder builder(List<Image> images) {
        List<Image> list = List.copyOf(images);
        if (list.isEmpty()) throw new IllegalArgumentException("no images to sample patches from");
        return new Builder(list.size(), list::get, i -> new int[] {list.get(i).height(), list.get(i).width()}, i -> "image #" + i);
    }

    /** Options of a {@link PatchSampler}; defaults: P=40, random positions (8 per image), random augmentation, seed 0. */
    public static final class Builder {
        private final int count;
        private IntFunction<Image> loader;
        private final IntFunction<int[]> sizer;
        private final IntFunction<String> namer;
        private ImageFolder folder;
        private ReadOptions readOptions = ReadOptions.defaults();
        private int patch = 40;
        private int stride = 0;
        private int perImage = 8;
        private Augment augment = Augment.RANDOM;
        private int channels = 0;
        private int pool = 8;
        private long seed = 0;

        private Builder(int count, IntFunction<Image> loader, IntFunction<int[]> sizer, IntFunction<String> namer) {
            this.count = count;
            this.loader = loader;
            this.sizer = sizer;
            this.namer = namer;
        }

        public Builder patchSize(int p) { this.patch = p; return this; }

        /** Every grid position with this stride, each image once per epoch. */
        public Builder stride(int s) { this.stride = s; return this; }

        /** {@code n} uniformly random positions per image per epoch (the default mode). */
        public Builder random(int n) { this.perImage = n; this.stride = 0; return this; }

        public Builder augment(Augment a) { this.augment = Objects.requireNonNull(a); return this; }

        /** 1 (gray) or 3 (RGB); 0 = as the first image. Other images are converted. */
        public Builder channels(int c) { this.channels = c; return this; }

        /** How many images are decoded and mixed at a time (memory bound). */
        public Builder poolImages(int n) { this.pool = n; return this; }

        public Builder seed(long s) { this.seed = s; return this; }

        /** Decoding options for folders (pixel budget). */
        public Builder readOptions(ReadOptions o) { this.readOptions = Objects.requireNonNull(o); return this; }

        public PatchSampler build() {
            if (patch <= 0) throw new IllegalArgumentException("patch size must be positive");
            if (stride < 0 || perImage <= 0 || pool <= 0) throw new IllegalArgumentException("stride, patches per image and pool must be positive");
            if (channels != 0 && channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 0, 1 or 3");
            if (count == 0) throw new IllegalArgumentException("no images to sample patches from");
            if (folder != null) {
                ImageFolder f = folder;
                if (channels == 0) channels = f.probe(0).imageChannels();
                ReadOptions ro = readOptions.withChannels(channels);
                loader = i -> f.read(i, ro);
            } else if (channels == 0) {
                channels = loader.apply(0).channels();
            }
            return new PatchSampler(this);
        }
    }

    public int patchSize() { return patch; }

    public int channels() { return channels; }

    /** Floats per patch: C*P*P. */
    public int patchLength() { return channels * patch * patch; }

    /** The epoch the last patch came from (0-based; -1 before the first). */
    public int epoch() { return epoch < 0 ? -1 : currentEpoch; }

    /** How many images have been decoded so far (each image once per epoch). */
    public long imagesDecoded() { return loads; }

    /** Positions along one axis of length {@code len}: ⌊(len−p)/s⌋+1 (0 if p > len). */
    public static int gridPositions(int len, int p, int stride) {
        return len < p ? 0 : (len - p) / stride + 1;
    }

    /**
     * Patches in one epoch. For a folder this reads every image header once (not the pixels).
     */
    public long patchesPerEpoch() {
        int aug = augment == Augment.ALL ? 8 : 1;
        if (stride == 0) return (long) count * perImage * aug;
        long n = 0;
        for (int i = 0; i < count; i++) {
            int[] hw = sizer.apply(i);
            n += (long) gridPositions(hw[0], patch, stride) * gridPositions(hw[1], patch, stride);
        }
        return n * aug;
    }

    @Override
    public boolean hasNext() { return true; }

    /** The next patch (C×P×P); the stream never ends, epochs follow each other. */
    @Override
    public Image next() { return nextPatch().image(); }

    /** The next patch with its origin. */
    public Patch nextPatch() {
        Pending p = take();
        return new Patch(extract(p.src, p.y, p.x, p.mode), p.source, p.y, p.x, p.mode, currentEpoch);
    }

    /** {@code n} patches as one N*C*P*P float array (ready for one native tensor). */
    public float[] nextBatch(int n) {
        float[] out = new float[n * patchLength()];
        nextBatch(n, out, 0);
        return out;
    }

    /** {@code n} patches into {@code dst} from {@code offset} (reuse one buffer across steps). */
    public void nextBatch(int n, float[] dst, int offset) {
        int len = patchLength();
        for (int i = 0; i < n; i++) {
            Pending p = take();
            System.arraycopy(extract(p.src, p.y, p.x, p.mode).data(), 0, dst, offset + i * len, len);
        }
    }

    private Pending take() {
        while (queue.isEmpty()) refill();
        Pending p = queue.poll();
        return p;
    }

    /** Decodes the next pool of images and queues all their patches, shuffled together. */
    private void refill() {
        if (order == null || cursor >= order.length) {
            order = new int[count];
            for (int i = 0; i < count; i++) order[i] = i;
            for (int i = count - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
            cursor = 0;
            epoch++;
        }
        currentEpoch = epoch;
        List<Pending> batch = new ArrayList<>();
        for (int k = 0; k < pool && cursor < order.length; k++) {
            int idx = order[cursor++];
            Image im = loader.apply(idx);
            loads++;
            if (im.channels() != channels) im = im.withChannels(channels);
            if (im.height() < patch || im.width() < patch) {
                throw new RetouchException(namer.apply(idx) + ": image is " + im.width() + "x" + im.height()
                        + ", smaller than the patch size " + patch + "; remove it or use a smaller --patch");
            }
            if (stride > 0) {
                int ny = gridPositions(im.height(), patch, stride), nx = gridPositions(im.width(), patch, stride);
                for (int a = 0; a < ny; a++) for (int b = 0; b < nx; b++) addAugmented(batch, im, idx, a * stride, b * stride);
            } else {
                for (int r = 0; r < perImage; r++) {
                    addAugmented(batch, im, idx, rnd.nextInt(im.height() - patch + 1), rnd.nextInt(im.width() - patch + 1));
                }
            }
        }
        for (int i = batch.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Pending t = batch.get(i); batch.set(i, batch.get(j)); batch.set(j, t);
        }
        queue.addAll(batch);
    }

    private void addAugmented(List<Pending> out, Image im, int idx, int y, int x) {
        switch (augment) {
            case NONE -> out.add(new Pending(im, idx, y, x, 0));
            case RANDOM -> out.add(new Pending(im, idx, y, x, rnd.nextInt(8)));
            case ALL -> { for (int m = 0; m < 8; m++) out.add(new Pending(im, idx, y, x, m)); }
        }
    }

    private Image extract(Image src, int y, int x, int mode) {
        Image crop = src.crop(y, x, patch, patch);
        return mode == 0 ? crop : dihedral(crop, mode);
    }

    /**
     * One of the 8 symmetries of the square: rotate {@code mode & 3} quarter turns counter-clockwise,
     * then, for modes 4–7, mirror left–right. Mode 0 is the identity. Works on any image size.
     */
    public static Image dihedral(Image im, int mode) {
        if (mode < 0 || mode > 7) throw new IllegalArgumentException("dihedral mode must be 0..7, got " + mode);
        return retouch.image.Dihedral.apply(im, asDihedral(mode));
    }

    /**
     * The {@link retouch.image.Dihedral} transform equal to patch mode {@code mode}: turning k
     * quarter turns then mirroring is mirroring then turning −k (M·R^k = R^−k·M).
     */
    static int asDihedral(int mode) {
        int k = mode & 3;
        return mode >= 4 ? 1 + 2 * ((4 - k) & 3) : 2 * k;
    }

    /** The mode that undoes {@code mode} (for test-time self-ensembles): flips undo themselves. */
    public static int inverseMode(int mode) {
        return mode >= 4 ? mode : (4 - mode) & 3;
    }
}
