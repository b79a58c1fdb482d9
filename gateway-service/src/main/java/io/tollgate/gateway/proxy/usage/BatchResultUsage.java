package io.tollgate.gateway.proxy.usage;

/**
 * The usage of one succeeded request of an Anthropic Message Batch.
 *
 * @param customId the request's {@code custom_id}, which identifies it within the batch
 * @param usage its usage; the service tier is {@code batch} unless the result says
 * otherwise
 */
public record BatchResultUsage(String customId, ExtractedUsage usage) {
}
