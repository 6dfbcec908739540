package retouch.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Pictures made of pictures: sample grids for generators and before/after strips for restorers.
 * They are how training progress and results are looked at, so they are written the same way as
 * outputs (atomic PNG) and work on headless machines.
 */
public final class Grids {
    static {
        // drawing captions needs Java2D but never a display
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Grids() {}

    /**
     * Tiles of one size in rows of {@code cols}, separated and framed by {@code padding} pixels of
     * {@code background} (torchvision's make_grid layout). Gray tiles are promoted to RGB if any
     * tile is RGB; missing cells in the last row stay background.
     */
    public static Image grid(List<Image> tiles, int cols, int padding, float background) {
        if (tiles.isEmpty()) throw new IllegalArgumentException("grid of no tiles");
        if (cols <= 0 || padding < 0) throw new IllegalArgumentException("cols must be positive and padding non-negative");
        int h = tiles.get(0).height(), w = tiles.get(0).width();
        int c = 1;
        for (Image t : tiles) {
            if (t.height() != h || t.width() != w) {
                throw new IllegalArgumentException("grid tiles must share one size: " + t.shapeString() + " vs " + w + "x" + h);
            }
            if (t.channels() == 3) c = 3;
        }
        cols = Math.min(cols, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        Image out = Image.filled(c, rows * (h + padding) + padding, cols * (w + padding) + padding, background);
        for (int i = 0; i < tiles.size(); i++) {
            Image t = tiles.get(i).channels() == c ? tiles.get(i) : tiles.get(i).withChannels(c);
            out.paste(t, padding + (i / cols) * (h + padding), padding + (i % cols) * (w + padding));
        }
        return out;
    }

    /**
     * Panels side by side (top-aligned, any sizes and channel counts) on white, each with its
     * caption centred underneath. {@code captions} may be null or shorter than {@code panels}.
     */
    public static BufferedImage strip(List<Image> panels, List<String> captions) {
        if (panels.isEmpty()) throw new IllegalArgumentException("strip of no panels");
        int pad = 8;
        int maxH = 0, totalW = pad;
        for (Image p : panels) {
            maxH = Math.max(maxH, p.height());
            totalW += p.width() + pad;
        }
        int fontSize = Math.max(11, Math.min(18, maxH / 14));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
        boolean anyCaption = captions != null && captions.stream().anyMatch(s -> s != null && !s.isEmpty());
        int captionH = anyCaption ? fontSize * 2 : 0;
        BufferedImage out = new BufferedImage(totalW, pad + maxH + captionH + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            int x = pad;
            for (int i = 0; i < panels.size(); i++) {
                Image p = panels.get(i);
                g.drawImage(ImageFiles.toBufferedImage(p.channels() == 3 ? p : p.toRgb()), x, pad, null);
                String cap = captions != null && i < captions.size() ? captions.get(i) : null;
                if (cap != null && !cap.isEmpty()) drawCaption(g, font, cap, x, p.width(), pad + maxH + fontSize + fontSize / 3);
                x += p.width() + pad;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void drawCaption(Graphics2D g, Font font, String text, int x, int width, int baseline) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            String s = text;
            if (fm.stringWidth(s) > width) {
                while (s.length() > 1 && fm.stringWidth(s + "…") > width) s = s.substring(0, s.length() - 1);
                s = s + "…";
            }
            g.drawString(s, x + Math.max(0, (width - fm.stringWidth(s)) / 2), baseline);
        } catch (Error | RuntimeException e) {
            // a JRE without any font (minimal containers) cannot draw text; the panels still matter
        }
    }

    /** {@link #strip} written as an 8-bit RGB PNG, atomically. */
    public static void writeStrip(List<Image> panels, List<String> captions, Path path) {
        Image im = ImageFiles.fromBufferedImage(strip(panels, captions));
        ImageFiles.writePng(im, path);
    }

    /** {@link #grid} written as an 8-bit PNG, atomically. */
    public static void writeGrid(List<Image> tiles, int cols, int padding, float background, Path path) {
        ImageFiles.writePng(grid(tiles, cols, padding, background), path);
    }
}
