package org.irfuse.core.detection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Pascal VOC annotation files (M3FD's {@code Annotation/<id>.xml}): {@code <size><width>/<height>}, and per
 * {@code <object>} a {@code <name>} and a {@code <bndbox>} with {@code xmin ymin xmax ymax}.
 *
 * <p>Class names are looked up in the given class list ignoring case (M3FD files write "People" or "people");
 * a name not in the list is an error naming the file and the name. Coordinates are taken as written (x0 = xmin,
 * x1 = xmax); no 1-based shift is applied, so predictions must use the same convention as the annotations.
 * Objects marked {@code <difficult>1</difficult>} are kept as ordinary ground truth and flagged.
 */
public final class VocAnnotations {
    /** M3FD's 6 classes, in the order TarDAL's YOLO release numbers them. */
    public static final List<String> M3FD_CLASSES = List.of("People", "Car", "Bus", "Motorcycle", "Lamp", "Truck");

    /** One annotation file: image file name and size as written (0 when absent), the boxes, their difficult flags. */
    public record Annotation(String filename, int width, int height, List<Box> boxes, List<Boolean> difficult) {
    }

    private VocAnnotations() {
    }

    public static Annotation read(Path file, List<String> classNames) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "VOC annotation not found");
        }
        Document doc;
        try {
            doc = builder().parse(file.toFile());
        } catch (SAXException e) {
            throw new IOException(file + ": not well-formed XML (" + e.getMessage() + ")");
        }
        Element root = doc.getDocumentElement();
        String filename = text(root, "filename");
        int width = 0;
        int height = 0;
        Element size = child(root, "size");
        if (size != null) {
            width = (int) number(file, size, "width", true);
            height = (int) number(file, size, "height", true);
        }
        List<Box> boxes = new ArrayList<>();
        List<Boolean> difficult = new ArrayList<>();
        NodeList objects = root.getElementsByTagName("object");
        for (int i = 0; i < objects.getLength(); i++) {
            Element o = (Element) objects.item(i);
            String name = text(o, "name");
            if (name == null || name.isBlank()) {
                throw new IOException(file + ": object " + (i + 1) + " has no <name>");
            }
            int cls = classIndex(classNames, name.strip());
            if (cls < 0) {
                throw new IOException(file + ": unknown class '" + name.strip() + "' (known: "
                        + String.join(", ", classNames) + ")");
            }
            Element bb = child(o, "bndbox");
            if (bb == null) {
                throw new IOException(file + ": object " + (i + 1) + " ('" + name.strip() + "') has no <bndbox>");
            }
            double x0 = number(file, bb, "xmin", false);
            double y0 = number(file, bb, "ymin", false);
            double x1 = number(file, bb, "xmax", false);
            double y1 = number(file, bb, "ymax", false);
            if (x1 < x0 || y1 < y0) {
                throw new IOException(file + ": object " + (i + 1) + " has xmax < xmin or ymax < ymin");
            }
            boxes.add(Box.truth(x0, y0, x1, y1, cls));
            String d = text(o, "difficult");
            difficult.add(d != null && d.strip().equals("1"));
        }
        return new Annotation(filename, width, height, List.copyOf(boxes), List.copyOf(difficult));
    }

    /** Index of {@code name} in the class list ignoring case, -1 when absent. */
    public static int classIndex(List<String> classNames, String name) {
        for (int i = 0; i < classNames.size(); i++) {
            if (classNames.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Annotation files never need a DTD or external entities; refusing them blocks XXE.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IOException("XML parser unavailable: " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent();
    }

    private static double number(Path file, Element parent, String tag, boolean optional) throws IOException {
        String t = text(parent, tag);
        if (t == null || t.isBlank()) {
            if (optional) {
                return 0;
            }
            throw new IOException(file + ": missing <" + tag + "> in <" + parent.getTagName() + ">");
        }
        try {
            return Double.parseDouble(t.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": <" + tag + "> is not a number: '" + t.strip().toLowerCase(Locale.ROOT)
                    + "'");
        }
    }
}
