package org.irfuse.core.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.irfuse.core.image.Image;

/**
 * Generates paired infrared/visible street scenes with exact ground truth, for the shipped sample pair, tests and
 * ablations (no pixel-level ground truth of real pairs is available here).
 *
 * <p>What makes the pair a fusion problem: pedestrians and cars are <em>warm</em> in infrared (bright, smooth)
 * but blend into the visible image (colours close to what is behind them, or dark at night); the background —
 * building facades with windows, road markings, foliage texture — is rich in the visible image and nearly flat
 * in infrared. Labels use the MSRS/MFNet class indices (0 unlabelled, 1 car, 2 person); boxes are pixel
 * rectangles [x0, x1) × [y0, y1) of each object.
 */
public final class SyntheticScenes {
    /** MSRS/MFNet class index of cars. */
    public static final int CAR = 1;
    /** MSRS/MFNet class index of people. */
    public static final int PERSON = 2;

    /** One object of a scene: its class and the bounding box of its pixels. */
    public record SceneObject(int classId, int x0, int y0, int x1, int y1) {
    }

    /** A generated pair with its exact per-pixel class labels and object boxes. */
    public record Scene(Image infrared, Image visible, int[] labels, List<SceneObject> objects, boolean night) {
    }

    private SyntheticScenes() {
    }

    /** The pair the project ships in {@code samples/}: a day scene, 640×480, one pedestrian and one car. */
    public static Scene sample() {
        return generate(640, 480, 20231, false, 1, 1);
    }

    /** A random scene: 1–3 pedestrians and 1–2 cars, day or night by {@code night}. */
    public static Scene random(int width, int height, long seed, boolean night) {
        Random r = new Random(seed);
        return generate(width, height, seed, night, 1 + r.nextInt(3), 1 + r.nextInt(2));
    }

    public static Scene generate(int width, int height, long seed, boolean night, int people, int cars) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        int n = width * height;
        float[] ir = new float[n];
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        int[] labels = new int[n];
        int horizon = (int) (height * (0.42 + 0.08 * rnd.nextDouble()));
        float[] noise = valueNoise(width, height, 8, rnd);
        float[] fine = valueNoise(width, height, 3, rnd);
        float light = night ? 0.18f : 1f;

        // Sky, road, pavement: visible colours with texture; infrared cold sky, mild road, almost flat.
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                float t = fine[p] - 0.5f;
                if (y < horizon) {
                    float k = (float) y / horizon;
                    set(r, g, b, p, light * (0.55f + 0.2f * k), light * (0.7f + 0.15f * k), light * (0.92f));
                    ir[p] = 0.12f + 0.05f * k;
                } else {
                    float k = (float) (y - horizon) / (height - horizon);
                    float asphalt = 0.32f + 0.1f * noise[p] + 0.06f * t;
                    set(r, g, b, p, light * asphalt, light * asphalt, light * (asphalt + 0.02f));
                    ir[p] = 0.38f + 0.06f * k + 0.01f * t;
                }
            }
        }
        // Lane markings: strong in the visible image, invisible in infrared.
        int lane = horizon + (height - horizon) * 2 / 3;
        for (int x = 0; x < width; x += width / 8) {
            fillRect(r, g, b, width, height, x, lane, x + width / 16, lane + Math.max(2, height / 80),
                    light * 0.95f, light * 0.95f, light * 0.9f);
        }
        // Buildings: textured facades with windows in the visible image; slightly warm, smooth in infrared.
        int x = 0;
        while (x < width) {
            int bw = width / 8 + rnd.nextInt(width / 5);
            int top = (int) (horizon * (0.15 + 0.6 * rnd.nextDouble()));
            float br = 0.35f + 0.4f * rnd.nextFloat();
            float bg = 0.3f + 0.35f * rnd.nextFloat();
            float bb = 0.25f + 0.35f * rnd.nextFloat();
            float warm = 0.22f + 0.08f * rnd.nextFloat();
            for (int yy = top; yy < horizon; yy++) {
                for (int xx = x; xx < Math.min(width, x + bw); xx++) {
                    int p = yy * width + xx;
                    float t = 0.25f * (noise[p] - 0.5f) + 0.15f * (fine[p] - 0.5f);
                    set(r, g, b, p, light * (br + t), light * (bg + t), light * (bb + t));
                    ir[p] = warm + 0.02f * (noise[p] - 0.5f);
                }
            }
            int win = Math.max(4, bw / 6);
            for (int wy = top + win / 2; wy + win < horizon; wy += 2 * win) {
                for (int wx = x + win / 2; wx + win < Math.min(width, x + bw); wx += 2 * win) {
                    boolean lit = night ? rnd.nextFloat() < 0.3f : rnd.nextFloat() < 0.5f;
                    float v = lit ? 0.95f : 0.12f;
                    fillRect(r, g, b, width, height, wx, wy, wx + win, wy + win, v, v * 0.95f, v * 0.8f);
                }
            }
            x += bw + rnd.nextInt(Math.max(1, width / 40));
        }

        List<SceneObject> objects = new ArrayList<>();
        for (int i = 0; i < cars; i++) {
            int ch = Math.max(8, (int) (height * (0.12 + 0.06 * rnd.nextDouble())));
            int cw = (int) (ch * (2.0 + 0.4 * rnd.nextDouble()));
            int cx0 = rnd.nextInt(Math.max(1, width - cw));
            int cy1 = Math.min(height - 1, horizon + ch + rnd.nextInt(Math.max(1, (height - horizon) - ch)));
            objects.add(drawCar(ir, r, g, b, labels, width, height, cx0, cy1 - ch, cw, ch, night, rnd));
        }
        for (int i = 0; i < people; i++) {
            int ph = Math.max(10, (int) (height * (0.16 + 0.1 * rnd.nextDouble())));
            int pw = Math.max(4, ph * 2 / 7);
            int px0 = rnd.nextInt(Math.max(1, width - pw));
            int py1 = Math.min(height - 1, horizon + ph / 3 + rnd.nextInt(Math.max(1, height - horizon - ph / 3)));
            objects.add(drawPerson(ir, r, g, b, labels, width, height, px0, py1 - ph, pw, ph, night, rnd));
        }
        // Sensor noise: visible grain (stronger at night), mild infrared noise.
        for (int p = 0; p < n; p++) {
            float vn = (float) rnd.nextGaussian() * (night ? 0.02f : 0.01f);
            r[p] = clamp(r[p] + vn);
            g[p] = clamp(g[p] + vn);
            b[p] = clamp(b[p] + vn);
            ir[p] = clamp(ir[p] + (float) rnd.nextGaussian() * 0.008f);
        }
        Image infrared = Image.gray(width, height, ir);
        Image visible = Image.rgb(width, height, r, g, b);
        return new Scene(infrared, visible, labels, objects, night);
    }

    private static SceneObject drawCar(float[] ir, float[] r, float[] g, float[] b, int[] labels, int w, int h,
            int x0, int y0, int cw, int ch, boolean night, Random rnd) {
        // Body colour close to the road so the car is hard to see in the visible image.
        float base = night ? 0.05f : 0.3f + 0.08f * rnd.nextFloat();
        int cabinTop = y0;
        int bodyTop = y0 + ch * 2 / 5;
        int wheelR = Math.max(2, ch / 5);
        int bx0 = w, by0 = h, bx1 = -1, by1 = -1;
        for (int y = cabinTop; y < y0 + ch && y < h; y++) {
            for (int x = x0; x < x0 + cw && x < w; x++) {
                boolean cabin = y < bodyTop && x > x0 + cw / 5 && x < x0 + cw * 4 / 5;
                boolean body = y >= bodyTop && y < y0 + ch - wheelR / 2;
                int wy = y0 + ch - wheelR;
                boolean wheel = sq(x - (x0 + cw / 5)) + sq(y - wy) <= sq(wheelR)
                        || sq(x - (x0 + cw * 4 / 5)) + sq(y - wy) <= sq(wheelR);
                if (!(cabin || body || wheel)) {
                    continue;
                }
                int p = y * w + x;
                float heat = wheel ? 0.78f : (body && y > y0 + ch * 3 / 4 ? 0.9f : 0.7f);
                ir[p] = heat;
                float v = cabin ? base * 0.7f : (wheel ? base * 0.4f : base);
                set(r, g, b, p, v, v, v * 1.05f);
                labels[p] = CAR;
                bx0 = Math.min(bx0, x);
                by0 = Math.min(by0, y);
                bx1 = Math.max(bx1, x + 1);
                by1 = Math.max(by1, y + 1);
            }
        }
        return new SceneObject(CAR, bx0, by0, bx1, by1);
    }

    private static SceneObject drawPerson(float[] ir, float[] r, float[] g, float[] b, int[] labels, int w, int h,
            int x0, int y0, int pw, int ph, boolean night, Random rnd) {
        float cloth = night ? 0.04f : 0.25f + 0.1f * rnd.nextFloat();
        int headR = Math.max(2, pw / 3);
        int cx = x0 + pw / 2;
        int headCy = y0 + headR;
        int bx0 = w, by0 = h, bx1 = -1, by1 = -1;
        for (int y = y0; y < y0 + ph && y < h; y++) {
            for (int x = x0; x < x0 + pw && x < w; x++) {
                boolean head = sq(x - cx) + sq(y - headCy) <= sq(headR);
                boolean torso = y > y0 + 2 * headR && y < y0 + ph * 3 / 5;
                boolean legs = y >= y0 + ph * 3 / 5 && (Math.abs(x - (cx - pw / 5)) <= pw / 7
                        || Math.abs(x - (cx + pw / 5)) <= pw / 7);
                if (!(head || torso || legs)) {
                    continue;
                }
                int p = y * w + x;
                ir[p] = head ? 0.97f : (torso ? 0.9f : 0.84f);
                float v = head ? cloth * 1.4f : cloth;
                set(r, g, b, p, v * 1.02f, v, v * 0.95f);
                labels[p] = PERSON;
                bx0 = Math.min(bx0, x);
                by0 = Math.min(by0, y);
                bx1 = Math.max(bx1, x + 1);
                by1 = Math.max(by1, y + 1);
            }
        }
        return new SceneObject(PERSON, bx0, by0, bx1, by1);
    }

    /** Smooth value noise in [0,1] with a lattice every {@code cell} pixels (bilinear between random values). */
    static float[] valueNoise(int w, int h, int cell, Random rnd) {
        int gw = w / cell + 2;
        int gh = h / cell + 2;
        float[] lattice = new float[gw * gh];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = rnd.nextFloat();
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int gy = y / cell;
            float fy = (y % cell) / (float) cell;
            for (int x = 0; x < w; x++) {
                int gx = x / cell;
                float fx = (x % cell) / (float) cell;
                float a = lattice[gy * gw + gx] * (1 - fx) + lattice[gy * gw + gx + 1] * fx;
                float c = lattice[(gy + 1) * gw + gx] * (1 - fx) + lattice[(gy + 1) * gw + gx + 1] * fx;
                out[y * w + x] = a * (1 - fy) + c * fy;
            }
        }
        return out;
    }

    private static void fillRect(float[] r, float[] g, float[] b, int w, int h, int x0, int y0, int x1, int y1,
            float vr, float vg, float vb) {
        for (int y = Math.max(0, y0); y < Math.min(h, y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(w, x1); x++) {
                set(r, g, b, y * w + x, vr, vg, vb);
            }
        }
    }

    private static void set(float[] r, float[] g, float[] b, int p, float vr, float vg, float vb) {
        r[p] = clamp(vr);
        g[p] = clamp(vg);
        b[p] = clamp(vb);
    }

    private static int sq(int v) {
        return v * v;
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
