# Shoal's bucket, and the services' own user allowed that bucket and nothing else, made with MinIO's root user.
# Idempotent. Run by the setup container beside MinIO in Kubernetes (minio.yaml: on every pod start, then it
# sleeps) and by docker-compose's minio-init (--once: it exits). The mc image has bash and coreutils, no sed
# or grep. MINIO_URL: where MinIO answers (default: the same pod).
set -eu
case "$MINIO_ROOT_PASSWORD $SECRET_KEY" in
  *change-me*) echo "the minio-root or object-store-credentials Secret still holds the example placeholder; set it" >&2; exit 1 ;;
esac
until mc alias set local "${MINIO_URL:-http://127.0.0.1:9000}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do sleep 2; done
mc mb --ignore-existing "local/$SHOAL_OBJECT_STORE_BUCKET"
# Objects in Shoal's bucket (read, ranged read, write, multipart, delete) and listing it; no bucket creation,
# no other bucket, no administration.
cat > /tmp/policy.json <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow",
     "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::$SHOAL_OBJECT_STORE_BUCKET"]},
    {"Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::$SHOAL_OBJECT_STORE_BUCKET/*"]}
  ]
}
POLICY
mc admin policy create local shoal-services /tmp/policy.json
mc admin user add local "$ACCESS_KEY" "$SECRET_KEY"
if ! mc admin policy attach local shoal-services --user "$ACCESS_KEY" >/dev/null 2>&1; then
  case "$(mc admin user info local "$ACCESS_KEY")" in
    *shoal-services*) ;; # attached by an earlier start
    *) echo "could not attach policy shoal-services to $ACCESS_KEY" >&2; exit 1 ;;
  esac
fi
echo "bucket $SHOAL_OBJECT_STORE_BUCKET and user $ACCESS_KEY (policy shoal-services) are in place"
[ "${1:-}" = "--once" ] && exit 0
touch /tmp/done
exec sleep infinity
