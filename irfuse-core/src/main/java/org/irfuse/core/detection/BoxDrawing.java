package org.irfuse.core.detection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.irfuse.core.image.Image;

/** Draws boxes with their class name and score on a copy of an image (for {@code irfuse detect --draw}). */
public final class BoxDrawing {
    /** Distinct colours by class index (cycled). */
    private static final Color[] COLOURS = {new Color(255, 64, 64), new Color(64, 220, 64), new Color(64, 160, 255),
        new Color(255, 200, 0), new Color(220, 64, 255), new Color(0, 230, 230)};

    private BoxDrawing() {
    }

    /** An RGB copy of {@code img} with every box outlined and labelled "name score". */
    public static Image draw(Image img, List<Box> boxes, List<String> classNames) {
        int w = img.width();
        int h = img.height();
        BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Image c = img.clamped();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = Image.to8bit(c.get(0, x, y));
                int g = Image.to8bit(c.get(c.channels() == 3 ? 1 : 0, x, y));
                int b = Image.to8bit(c.get(c.channels() == 3 ? 2 : 0, x, y));
                canvas.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int thickness = Math.max(1, Math.min(w, h) / 240);
        g.setStroke(new BasicStroke(thickness));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.min(w, h) / 40)));
        for (Box b : boxes) {
            Color colour = COLOURS[b.classId() % COLOURS.length];
            g.setColor(colour);
            int x0 = (int) Math.round(b.x0());
            int y0 = (int) Math.round(b.y0());
            g.drawRect(x0, y0, (int) Math.round(b.width()), (int) Math.round(b.height()));
            String name = b.classId() < classNames.size() ? classNames.get(b.classId()) : "class " + b.classId();
            String label = String.format(Locale.ROOT, "%s %.2f", name, b.score());
            int textHeight = g.getFontMetrics().getAscent();
            int ty = y0 - 2 >= textHeight ? y0 - 2 : y0 + textHeight + 1;
            g.fillRect(x0, ty - textHeight, g.getFontMetrics().stringWidth(label) + 4, textHeight + 2);
            g.setColor(Color.BLACK);
            g.drawString(label, x0 + 2, ty);
        }
        g.dispose();
        float[] d = new float[3 * w * h];
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = canvas.getRGB(x, y);
                int i = y * w + x;
                d[i] = ((rgb >> 16) & 255) / 255f;
                d[n + i] = ((rgb >> 8) & 255) / 255f;
                d[2 * n + i] = (rgb & 255) / 255f;
            }
        }
        return new Image(w, h, 3, d);
    }
}
