package org.irfuse.nn.pretrained;

import java.util.Locale;
import org.irfuse.core.image.Image;

/**
 * Where an image is padded up to the size multiple a network needs: at the bottom and right (coordinates are
 * unchanged) or centred (YOLOv5's letterbox in rectangular validation: half the padding on each side, the odd
 * pixel at the bottom/right). The pad value is a constant per channel (YOLOv5: gray 114/255).
 */
public enum Padding {
    BOTTOM_RIGHT, CENTER;

    public static Padding parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "bottom-right", "bottom_right", "br" -> BOTTOM_RIGHT;
            case "center", "centre" -> CENTER;
            default -> throw new IllegalArgumentException("unknown padding '" + s + "' (expected bottom-right or "
                    + "center)");
        };
    }

    public String id() {
        return this == BOTTOM_RIGHT ? "bottom-right" : "center";
    }

    /** A padded image and where the original sits in it. */
    public record Padded(Image image, int offsetX, int offsetY) {
    }

    /** Pads {@code img} so both sides are multiples of {@code multiple}, filling with {@code value}. */
    public Padded pad(Image img, int multiple, float value) {
        int w = img.width();
        int h = img.height();
        int pw = (w + multiple - 1) / multiple * multiple;
        int ph = (h + multiple - 1) / multiple * multiple;
        if (pw == w && ph == h) {
            return new Padded(img, 0, 0);
        }
        int ox = this == CENTER ? (pw - w) / 2 : 0;
        int oy = this == CENTER ? (ph - h) / 2 : 0;
        int c = img.channels();
        float[] out = new float[c * pw * ph];
        java.util.Arrays.fill(out, value);
        float[] src = img.data();
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, (k * h + y) * w, out, (k * ph + y + oy) * pw + ox, w);
            }
        }
        return new Padded(new Image(pw, ph, c, out), ox, oy);
    }
}
