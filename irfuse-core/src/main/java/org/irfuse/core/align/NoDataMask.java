package org.irfuse.core.align;

import org.irfuse.core.image.Image;

/**
 * Finds where an infrared image holds no data: the black wedges a warp, a rectification or a crop leaves along the
 * border. Dark scene content is not no-data, so only near-black regions connected to the image border count
 * (4-connected flood fill from the border), and the result is grown by a small margin to drop the grey fringe a
 * resampled wedge edge leaves behind.
 */
public final class NoDataMask {
    /** Samples at or below this 8-bit value may be no-data (resampled black wedges are 0, their edges blend). */
    public static final int DARK = 2;
    /** Pixels this close (square neighbourhood) to a no-data region are dropped too: the resampling fringe. */
    public static final int MARGIN = 2;

    private NoDataMask() {
    }

    /** 1 where {@code image} (channel 0) holds data, 0 in border-connected near-black regions and their margin. */
    public static float[] validity(Image image) {
        int w = image.width();
        int h = image.height();
        int[] s = image.samples8(0);
        boolean[] dark = new boolean[w * h];
        for (int i = 0; i < dark.length; i++) {
            dark[i] = s[i] <= DARK;
        }
        boolean[] none = new boolean[w * h];
        int[] stack = new int[w * h];
        int top = 0;
        for (int x = 0; x < w; x++) {
            top = seed(dark, none, stack, top, x);
            top = seed(dark, none, stack, top, (h - 1) * w + x);
        }
        for (int y = 0; y < h; y++) {
            top = seed(dark, none, stack, top, y * w);
            top = seed(dark, none, stack, top, y * w + w - 1);
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % w;
            int y = i / w;
            if (x > 0) {
                top = seed(dark, none, stack, top, i - 1);
            }
            if (x < w - 1) {
                top = seed(dark, none, stack, top, i + 1);
            }
            if (y > 0) {
                top = seed(dark, none, stack, top, i - w);
            }
            if (y < h - 1) {
                top = seed(dark, none, stack, top, i + w);
            }
        }
        float[] valid = new float[w * h];
        java.util.Arrays.fill(valid, 1f);
        for (int i = 0; i < none.length; i++) {
            if (none[i]) {
                valid[i] = 0f;
            }
        }
        return erode(valid, w, h, MARGIN);
    }

    private static int seed(boolean[] dark, boolean[] none, int[] stack, int top, int i) {
        if (dark[i] && !none[i]) {
            none[i] = true;
            stack[top++] = i;
        }
        return top;
    }

    /** Binary erosion of a 0/1 mask by a {@code (2r+1)²} square (separable min), borders not eroding. */
    static float[] erode(float[] m, int w, int h, int r) {
        if (r <= 0) {
            return m.clone();
        }
        float[] tmp = new float[w * h];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                float v = 1f;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r) && v > 0; k++) {
                    v = Math.min(v, m[y * w + k]);
                }
                tmp[y * w + x] = v;
            }
        });
        float[] out = new float[w * h];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                float v = 1f;
                for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r) && v > 0; k++) {
                    v = Math.min(v, tmp[k * w + x]);
                }
                out[y * w + x] = v;
            }
        });
        return out;
    }
}
