import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;
import retouch.image.Image;
import retouch.image.ImageFiles;

/**
 * Checks generated faces the way a user would: (1) the share in which an independent face detector
 * (OpenCV's Haar frontal-face cascade, Viola–Jones; not trained by Retouch) finds a face, next to the
 * same share on held-out real faces; (2) memorisation: each image's L2 distance to its nearest
 * training face, generated vs held-out real (a copying generator would sit far below the real ones).
 *
 * <p>Usage: java -cp CLASSPATH FaceCheck.java CASCADE.xml GENERATED_DIR HELD_OUT_DIR TRAIN_DIR [TRAIN_LIMIT [UNSEEN_DIR]]
 */
public class FaceCheck {

    public static void main(String[] args) throws Exception {
        nu.pattern.OpenCV.loadLocally();
        CascadeClassifier cascade = new CascadeClassifier(args[0]);
        if (cascade.empty()) throw new IllegalArgumentException("cannot load the cascade " + args[0]);
        List<Image> generated = read(Path.of(args[1]), Integer.MAX_VALUE);
        List<Image> heldOut = read(Path.of(args[2]), Integer.MAX_VALUE);
        List<Image> train = read(Path.of(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : Integer.MAX_VALUE);
        double genRate = detectionRate(cascade, generated), realRate = detectionRate(cascade, heldOut);
        double[] genNearest = nearest(generated, train), realNearest = nearest(heldOut, train);
        System.out.printf(Locale.ROOT, "face detector (OpenCV Haar frontalface_default): generated %.3f (%d images), held-out real %.3f (%d images)%n",
                genRate, generated.size(), realRate, heldOut.size());
        System.out.printf(Locale.ROOT, "nearest training face (RMS per pixel, 0-1 scale; %d training faces): generated median %.4f min %.4f, held-out real median %.4f min %.4f%n",
                train.size(), median(genNearest), min(genNearest), median(realNearest), min(realNearest));
        int below = 0;
        for (double v : genNearest) if (v < min(realNearest)) below++;
        System.out.printf(Locale.ROOT, "generated images closer to a training face than any held-out real face is: %d of %d%n", below, genNearest.length);
        if (args.length > 5) {
            // Copying test independent of how smooth the samples are: the same samples against equal
            // numbers of training faces and of faces never trained on. A generator that copies its
            // training set sits much closer to the former; one that generalises, equally close to both.
            List<Image> unseen = read(Path.of(args[5]), Integer.MAX_VALUE);
            List<Image> seen = train.subList(0, Math.min(unseen.size(), train.size()));
            double[] toSeen = nearest(generated, seen), toUnseen = nearest(generated, unseen);
            int closerToSeen = 0;
            for (int i = 0; i < toSeen.length; i++) if (toSeen[i] < toUnseen[i]) closerToSeen++;
            System.out.printf(Locale.ROOT, "nearest of %d training faces vs nearest of %d never-trained faces: median %.4f vs %.4f; closer to a training face for %d of %d samples%n",
                    seen.size(), unseen.size(), median(toSeen), median(toUnseen), closerToSeen, toSeen.length);
        }
    }

    private static List<Image> read(Path dir, int limit) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().matches(".*\\.(png|jpg|jpeg)$")).sorted().limit(limit).toList();
        }
        List<Image> out = new ArrayList<>();
        for (Path p : files) out.add(ImageFiles.read(p).withChannels(3));
        return out;
    }

    /**
     * Share of images with at least one face. The 64×64 crops are tight; the detector's smallest
     * window is 24 px and it needs some context, so each image is upscaled 3× and framed with a
     * 25 % border of its edge pixels before detection (the same for real and generated images).
     */
    private static double detectionRate(CascadeClassifier cascade, List<Image> images) {
        int found = 0;
        for (Image im : images) {
            Mat gray = toGray(im);
            Mat big = new Mat();
            Imgproc.resize(gray, big, new Size(gray.cols() * 3, gray.rows() * 3), 0, 0, Imgproc.INTER_CUBIC);
            Mat framed = new Mat();
            int b = big.rows() / 4;
            Core.copyMakeBorder(big, framed, b, b, b, b, Core.BORDER_REPLICATE);
            Imgproc.equalizeHist(framed, framed);
            MatOfRect faces = new MatOfRect();
            cascade.detectMultiScale(framed, faces, 1.1, 3, 0, new Size(framed.cols() / 5.0, framed.rows() / 5.0), new Size());
            if (!faces.empty()) found++;
        }
        return found / (double) images.size();
    }

    private static Mat toGray(Image im) {
        int h = im.height(), w = im.width();
        Mat m = new Mat(h, w, CvType.CV_8UC1);
        byte[] px = new byte[h * w];
        float[] d = im.data();
        for (int i = 0; i < h * w; i++) {
            double y = 0.299 * d[i] + 0.587 * d[h * w + i] + 0.114 * d[2 * h * w + i];
            px[i] = (byte) Math.max(0, Math.min(255, Math.round(y * 255)));
        }
        m.put(0, 0, px);
        return m;
    }

    private static double[] nearest(List<Image> images, List<Image> train) {
        double[] out = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            float[] a = images.get(i).data();
            double best = Double.MAX_VALUE;
            for (Image t : train) {
                float[] b = t.data();
                if (b.length != a.length) continue;
                double s = 0;
                for (int k = 0; k < a.length && s < best; k++) {
                    double diff = a[k] - b[k];
                    s += diff * diff;
                }
                best = Math.min(best, s);
            }
            out[i] = Math.sqrt(best / a.length);
        }
        return out;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) m = Math.min(m, x);
        return m;
    }
}
