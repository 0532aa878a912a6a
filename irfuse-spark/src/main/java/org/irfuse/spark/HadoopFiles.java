package org.irfuse.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.pairs.FolderPairing;

/**
 * Files on any Hadoop-compatible file system (file:, hdfs:, s3a:, abfs:, gs: — whatever the Spark installation
 * reads), shipped to executors with the driver's Hadoop configuration. Writes are atomic per file: the bytes go
 * to a hidden temporary name in the target folder, then one rename (Hadoop's own FileSystem writes are not atomic;
 * a killed task would leave half an image under the final name). Hidden names start with '.', which folder
 * pairing, Spark and Hadoop input formats all skip.
 */
public final class HadoopFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    public HadoopFiles(Configuration conf) {
        this.conf = conf;
    }

    Configuration conf() {
        return conf;
    }

    /** The file system of {@code uri}; on file: URIs the raw one, so no {@code .crc} side files are written. */
    public FileSystem fs(Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** A user's path or URI made absolute on its file system (a bare path means the default FS, usually file:). */
    public String qualify(String pathOrUri) throws IOException {
        Path p = new Path(pathOrUri);
        return p.getFileSystem(conf).makeQualified(p).toString();
    }

    public boolean isDirectory(String uri) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = fs(p);
        return fs.exists(p) && fs.getFileStatus(p).isDirectory();
    }

    public boolean exists(String uri) throws IOException {
        Path p = new Path(uri);
        return fs(p).exists(p);
    }

    /**
     * Reads an image with the project's one reader ({@link ImageReader}, with its size limit and corrupt-file
     * checks): a {@code file:} URI directly, any other file system through a local temporary copy (the reader
     * works on local files), with the URI, not the copy, named in any error.
     *
     * @param infrared reduce to one channel as {@link ImageReader#readInfrared} does
     */
    public Image readImage(String uri, boolean infrared) throws IOException {
        return readLocally(uri, local -> infrared ? ImageReader.readInfrared(local) : ImageReader.read(local));
    }

    /** The non-{@code file:} branch of {@link #readImage} (package-private so a test can run it on any URI). */
    Image readThroughCopy(String uri, boolean infrared) throws IOException {
        return throughCopy(uri, local -> infrared ? ImageReader.readInfrared(local) : ImageReader.read(local));
    }

    /** A reader of local files (the project's readers work on {@link java.nio.file.Path}s). */
    @FunctionalInterface
    public interface LocalReader<T> {
        T read(java.nio.file.Path local) throws IOException;
    }

    /**
     * Applies a reader of local files to {@code uri}: a {@code file:} URI directly, any other file system through
     * a local temporary copy, with the URI, not the copy, named in any error.
     */
    public <T> T readLocally(String uri, LocalReader<T> reader) throws IOException {
        Path p = new Path(uri);
        if ("file".equals(p.toUri().getScheme())) {
            return reader.read(java.nio.file.Path.of(p.toUri()));
        }
        return throughCopy(uri, reader);
    }

    private <T> T throughCopy(String uri, LocalReader<T> reader) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = fs(p);
        String name = p.getName();
        java.nio.file.Path tmp = Files.createTempFile("irfuse-", name.substring(Math.max(0, name.lastIndexOf('.'))));
        try {
            try (InputStream in = fs.open(p)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileNotFoundException e) {
                throw new IOException(uri + ": file not found", e);
            }
            return reader.read(tmp);
        } catch (ImageFormatException e) {
            throw new IOException(e.getMessage().replace(tmp.toString(), uri), e);
        } catch (IOException e) {
            String m = e.getMessage();
            throw m != null && m.contains(tmp.toString()) ? new IOException(m.replace(tmp.toString(), uri), e) : e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Whether a file starts and ends with Parquet's magic bytes {@code PAR1} (the format's header and footer
     * markers, Apache Parquet file format specification), so a wrong file is refused without running a job.
     */
    public boolean hasParquetMagic(String uri) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = fs(p);
        long length = fs.getFileStatus(p).getLen();
        if (length < 12) { // header magic, 4-byte footer length, footer magic
            return false;
        }
        byte[] head = new byte[4];
        byte[] tail = new byte[4];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, head);
            in.readFully(length - 4, tail);
        }
        byte[] magic = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.util.Arrays.equals(head, magic) && java.util.Arrays.equals(tail, magic);
    }

    /** A text file (UTF-8), e.g. a label file. */
    public String readString(String uri) throws IOException {
        return readLocally(uri, local -> {
            if (!Files.isRegularFile(local)) {
                throw new IOException(uri + ": file not found");
            }
            return Files.readString(local, java.nio.charset.StandardCharsets.UTF_8);
        });
    }

    /**
     * Writes {@code content} to {@code uri} through a temporary file and a rename.
     *
     * @throws IOException when the target exists and {@code overwrite} is false, or the rename fails
     */
    public void writeAtomically(String uri, byte[] content, boolean overwrite) throws IOException {
        Path target = new Path(uri);
        FileSystem fs = fs(target);
        if (!overwrite && fs.exists(target)) {
            throw new IOException(uri + ": exists; pass --overwrite to replace it");
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(content);
            }
            if (overwrite) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException(uri + ": could not rename the temporary file " + tmp.getName() + " to it");
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
    }

    /**
     * The image files of a folder keyed by name without extension, by the rule of
     * {@link FolderPairing#index(java.nio.file.Path)} (which this shares), as qualified URIs.
     *
     * @throws IOException naming the folder when it is missing or not a folder, or two images share a name
     */
    public Map<String, String> index(String dirUri) throws IOException {
        Path dir = new Path(dirUri);
        FileSystem fs = fs(dir);
        if (!fs.exists(dir)) {
            throw new IOException(dirUri + ": folder not found");
        }
        if (!fs.getFileStatus(dir).isDirectory()) {
            throw new IOException(dirUri + ": expected a folder of images");
        }
        List<String> files = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.isFile()) {
                files.add(st.getPath().toString());
            }
        }
        files.sort(null);
        return FolderPairing.index(dirUri, files, f -> new Path(f).getName());
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
