package io.shoal.events;

/**
 * What became of an upload: {@code PENDING} (not handled yet), {@code PUBLISHED} (with its entry) or
 * {@code REJECTED} (with the reason; {@code conflict} when its name was taken by other content).
 */
public record UploadStatus(String status, String reason, boolean conflict, CatalogEntry artifact) {
}
