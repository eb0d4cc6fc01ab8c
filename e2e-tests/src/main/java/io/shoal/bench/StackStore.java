package io.shoal.bench;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The object store of a stack the benchmark scripts started, from its state file (stack.properties): a MinIO
 * client, the bucket, and the content object an upload of a given size left there.
 */
record StackStore(MinioClient client, String bucket) {

    static StackStore of(Path stackProperties) throws Exception {
        Properties stack = new Properties();
        try (InputStream in = Files.newInputStream(stackProperties)) {
            stack.load(in);
        }
        return new StackStore(MinioClient.builder().endpoint(stack.getProperty("s3.endpoint"))
                .credentials(stack.getProperty("s3.access-key"), stack.getProperty("s3.secret-key")).region("us-east-1").build(),
                stack.getProperty("s3.bucket"));
    }

    /** The key of the (last listed) content object of exactly {@code size} bytes. */
    String contentOfSize(long size) throws Exception {
        String key = null;
        for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix("content/").recursive(true).build())) {
            if (r.get().size() == size) {
                key = r.get().objectName();
            }
        }
        if (key == null) {
            throw new IllegalStateException("no stored object of " + size + " bytes");
        }
        return key;
    }
}
