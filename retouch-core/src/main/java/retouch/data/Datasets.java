package retouch.data;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import retouch.RetouchException;
import retouch.image.ImageFiles;

/**
 * Finds datasets by name, in the order DESIGN.md fixes: {@code --data PATH} → the
 * {@code RETOUCH_DATA} folder → known system paths (Debian's dataset packages, the data folder
 * beside the project) → a checksummed download cache (MNIST only, and downloading only when the
 * user asked) → an error that lists every way to get the data. It never invents data.
 */
public final class Datasets {
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final List<String> FASHION_CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");
    /** Known dataset names. Any folder path is accepted too. */
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "train400", "set12", "cbsd432", "kodak24", "set5", "celeba64");

    /** Environment variable naming a folder that holds dataset folders (mnist/, set12/, …). */
    public static final String ENV = "RETOUCH_DATA";
    /** System property that allows the MNIST download ({@code -Dretouch.download=true}). */
    public static final String DOWNLOAD_PROPERTY = "retouch.download";
    /** System property naming the project root (its sibling ../shared/data holds the provided data). */
    public static final String HOME_PROPERTY = "retouch.home";

    /** Where the MNIST files are fetched from, official site first; files are checked by MD5. */
    public static final List<String> MNIST_URLS = List.of("http://yann.lecun.com/exdb/mnist/",
            "https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/");
    static final Map<String, String> MNIST_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c");

    private record Spec(String name, Dataset.Kind kind, List<String> classes, String terms) {}

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        String bsd = "Berkeley Segmentation Dataset: non-commercial research and education";
        SPECS.put("mnist", new Spec("mnist", Dataset.Kind.LABELED, MNIST_CLASSES, "MNIST: CC BY-SA 3.0"));
        SPECS.put("fashion-mnist", new Spec("fashion-mnist", Dataset.Kind.LABELED, FASHION_CLASSES, "Fashion-MNIST: MIT"));
        SPECS.put("train400", new Spec("train400", Dataset.Kind.IMAGES, null, bsd));
        SPECS.put("set12", new Spec("set12", Dataset.Kind.IMAGES, null, "research benchmark"));
        SPECS.put("cbsd432", new Spec("cbsd432", Dataset.Kind.IMAGES, null, bsd));
        SPECS.put("kodak24", new Spec("kodak24", Dataset.Kind.IMAGES, null, "released by Eastman Kodak for unrestricted use"));
        SPECS.put("set5", new Spec("set5", Dataset.Kind.IMAGES, null, "research benchmark"));
        SPECS.put("celeba64", new Spec("celeba64", Dataset.Kind.IMAGES, null,
                "CelebA agreement: non-commercial research only, no redistribution of the images"));
    }

    private final Map<String, String> env;
    private final Path sharedData;
    private final Path systemDatasets;
    private final Path cacheDir;
    private final boolean allowDownload;

    /**
     * A resolver with explicit surroundings (tests, embedding).
     *
     * @param env            environment variables (only {@value #ENV} is read)
     * @param sharedData     the data folder beside the project, or null
     * @param systemDatasets where Debian dataset packages install (normally /usr/share/datasets)
     * @param cacheDir       download cache (normally ~/.cache/retouch)
     * @param allowDownload  whether MNIST may be downloaded into the cache
     */
    public Datasets(Map<String, String> env, Path sharedData, Path systemDatasets, Path cacheDir, boolean allowDownload) {
        this.env = Map.copyOf(env);
        this.sharedData = sharedData;
        this.systemDatasets = systemDatasets;
        this.cacheDir = cacheDir;
        this.allowDownload = allowDownload;
    }

    /** The resolver for this process: real environment, shared data folder, ~/.cache/retouch. */
    public static Datasets fromEnvironment(boolean allowDownload) {
        return new Datasets(System.getenv(), sharedDataDir().orElse(null), Path.of("/usr/share/datasets"), defaultCacheDir(),
                allowDownload || Boolean.getBoolean(DOWNLOAD_PROPERTY));
    }

    /** Resolves a dataset name or folder; downloads only with {@code -Dretouch.download=true}. */
    public static Dataset resolve(String name, Path dataOption) {
        return fromEnvironment(false).find(name, dataOption);
    }

    /** As {@link #resolve(String, Path)}, with the user's {@code --download} choice. */
    public static Dataset resolve(String name, Path dataOption, boolean allowDownload) {
        return fromEnvironment(allowDownload).find(name, dataOption);
    }

    /** Finds {@code name} (a known dataset or a folder path), {@code dataOption} (--data) first. */
    public Dataset find(String name, Path dataOption) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (key.equals("fashionmnist") || key.equals("fmnist")) key = "fashion-mnist";
        Spec spec = SPECS.get(key);
        if (spec == null) return folderDataset(name, dataOption);
        if (dataOption != null) {
            if (valid(spec, dataOption)) return make(spec, dataOption, "--data");
            if (valid(spec, dataOption.resolve(spec.name))) return make(spec, dataOption.resolve(spec.name), "--data");
            throw new RetouchException(dataOption + ": does not contain " + spec.name + " (expected " + expected(spec)
                    + ", or a " + spec.name + "/ folder holding them); fix --data");
        }
        List<Path> looked = new ArrayList<>();
        String envValue = env.get(ENV);
        if (envValue != null && !envValue.isBlank()) {
            for (String part : envValue.split(File.pathSeparator)) {
                if (part.isBlank()) continue;
                Path p = Path.of(part).resolve(spec.name);
                looked.add(p);
                if (valid(spec, p)) return make(spec, p, ENV);
            }
        }
        for (Path p : systemPaths(spec)) {
            looked.add(p);
            if (valid(spec, p)) return make(spec, p, "system path");
        }
        if (spec.name.equals("mnist") && cacheDir != null) {
            Path cached = cacheDir.resolve("mnist");
            looked.add(cached);
            if (valid(spec, cached)) return make(spec, cached, "download cache");
            if (allowDownload) {
                downloadMnist(cached, msg -> System.err.println(msg));
                return make(spec, cached, "download cache");
            }
        }
        throw notFound(spec, looked);
    }

    private List<Path> systemPaths(Spec spec) {
        List<Path> out = new ArrayList<>();
        if (spec.kind == Dataset.Kind.LABELED && systemDatasets != null) out.add(systemDatasets.resolve(spec.name));
        if (sharedData != null) out.add(sharedData.resolve(spec.name));
        return out;
    }

    private static Dataset make(Spec spec, Path dir, String source) {
        return new Dataset(spec.name, spec.kind, dir, source, spec.terms, spec.classes);
    }

    private Dataset folderDataset(String name, Path dataOption) {
        Path p = dataOption != null ? dataOption : Path.of(name);
        if (Files.isDirectory(p)) {
            if (idxPair(p, "train") != null || idxPair(p, "test") != null) {
                boolean fashion = p.toString().toLowerCase(Locale.ROOT).contains("fashion");
                return new Dataset(name, Dataset.Kind.LABELED, p, dataOption != null ? "--data" : "path", "see the data's own terms",
                        fashion ? FASHION_CLASSES : MNIST_CLASSES);
            }
            return new Dataset(name, Dataset.Kind.IMAGES, p, dataOption != null ? "--data" : "path", "see the data's own terms", null);
        }
        throw new RetouchException("unknown dataset '" + name + "': name one of " + String.join(", ", NAMES)
                + ", or give a folder of images" + (dataOption != null ? " (" + dataOption + " is not a folder)" : " (no folder " + p + " exists)"));
    }

    private static boolean valid(Spec spec, Path dir) {
        if (!Files.isDirectory(dir)) return false;
        if (spec.kind == Dataset.Kind.LABELED) {
            return idxPair(dir, "train") != null || idxPair(dir, "test") != null
                    || (spec.name.equals("mnist") && Files.isRegularFile(dir.resolve("0.json")));
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(f -> ImageFiles.hasImageExtension(f) && Files.isRegularFile(f));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String expected(Spec spec) {
        if (spec.kind == Dataset.Kind.IMAGES) return "image files";
        return "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz";
    }

    private RetouchException notFound(Spec spec, List<Path> looked) {
        StringBuilder sb = new StringBuilder("dataset " + spec.name + " not found: ");
        switch (spec.name) {
            case "fashion-mnist" -> sb.append("install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or ");
            case "mnist" -> sb.append("pass --download (or -Dretouch.download=true) to fetch it from ").append(MNIST_URLS.get(0))
                    .append(" into ").append(cacheDir != null ? cacheDir.resolve("mnist") : "~/.cache/retouch/mnist").append(" (checksummed), or ");
            default -> { }
        }
        sb.append("pass --data DIR with ").append(expected(spec))
                .append(", or set ").append(ENV).append(" to a folder that contains ").append(spec.name).append("/");
        if (spec.kind == Dataset.Kind.IMAGES || spec.name.equals("mnist")) {
            sb.append(", or put it at ../shared/data/").append(spec.name).append(" beside the project (or run with -D")
                    .append(HOME_PROPERTY).append("=PROJECT_ROOT)");
        }
        sb.append(" (looked in: ");
        for (int i = 0; i < looked.size(); i++) sb.append(i == 0 ? "" : ", ").append(looked.get(i));
        return new RetouchException(sb.append(looked.isEmpty() ? "nowhere" : "").append(")").toString());
    }

    // ------------------------------------------------------------------ file layout

    /** IDX file names of a split, as the error messages show them. */
    static List<String> idxNames(String split) {
        String p = split.equals("train") ? "train" : "t10k";
        return List.of(p + "-images-idx3-ubyte.gz", p + "-labels-idx1-ubyte.gz");
    }

    /** [images, labels] of a split in {@code dir}, gzipped or not, or null when absent. */
    static Path[] idxPair(Path dir, String split) {
        List<String> prefixes = split.equals("train") ? List.of("train", "train10k") : List.of("t10k", "test");
        for (String pre : prefixes) {
            for (String sep : new String[] {"-images-idx3-ubyte", "-images.idx3-ubyte"}) {
                for (String gz : new String[] {".gz", ""}) {
                    Path im = dir.resolve(pre + sep + gz);
                    Path lab = dir.resolve(pre + sep.replace("images", "labels").replace("idx3", "idx1") + gz);
                    if (Files.isRegularFile(im) && Files.isRegularFile(lab)) return new Path[] {im, lab};
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ locations

    /**
     * The data folder provided beside the project: {@code -Dretouch.home=ROOT} → ROOT/../shared/data;
     * otherwise the first folder, walking up from the working directory, that has a
     * {@code ../shared/data} (or {@code shared/data}) next to it.
     */
    public static Optional<Path> sharedDataDir() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path h = Path.of(home).toAbsolutePath().normalize();
            for (Path c : List.of(h.resolve("../shared/data").normalize(), h.resolve("shared/data"))) {
                if (Files.isDirectory(c)) return Optional.of(c);
            }
            return Optional.empty();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path c : new Path[] {d.resolve("../shared/data").normalize(), d.resolve("shared/data")}) {
                if (Files.isDirectory(c)) return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** $XDG_CACHE_HOME/retouch, else ~/.cache/retouch. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "retouch");
        return Path.of(System.getProperty("user.home"), ".cache", "retouch");
    }

    // ------------------------------------------------------------------ download

    /**
     * Fetches the four official MNIST files into {@code dir}, trying {@link #MNIST_URLS} in turn;
     * each file is checked against its published MD5 before it is renamed into place. Files
     * already present with the right checksum are kept. Only call when the user asked for it.
     */
    public static Path downloadMnist(Path dir, Consumer<String> log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RetouchException(dir + ": cannot create the download folder (" + e.getMessage() + ")", e);
        }
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(MNIST_MD5).entrySet()) {
            Path target = dir.resolve(f.getKey());
            if (Files.isRegularFile(target) && f.getValue().equals(md5OrEmpty(target))) continue;
            List<String> failures = new ArrayList<>();
            boolean ok = false;
            for (String base : MNIST_URLS) {
                String url = base + f.getKey();
                Path tmp = dir.resolve("." + f.getKey() + ".part");
                try {
                    log.accept("downloading " + url);
                    HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build(),
                            HttpResponse.BodyHandlers.ofFile(tmp));
                    if (r.statusCode() != 200) {
                        failures.add(url + " → HTTP " + r.statusCode());
                        continue;
                    }
                    String got = md5(tmp);
                    if (!got.equals(f.getValue())) {
                        failures.add(url + " → wrong MD5 " + got);
                        continue;
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    ok = true;
                    break;
                } catch (IOException e) {
                    failures.add(url + " → " + e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : ""));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RetouchException("MNIST download interrupted");
                } finally {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // leftover .part files are overwritten next time
                    }
                }
            }
            if (!ok) {
                throw new RetouchException("could not download MNIST " + f.getKey() + " (" + String.join("; ", failures)
                        + "); download the four files by hand into " + dir + " or pass --data DIR");
            }
        }
        return dir;
    }

    private static String md5OrEmpty(Path file) {
        try {
            return md5(file);
        } catch (IOException e) {
            return "";
        }
    }

    static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
