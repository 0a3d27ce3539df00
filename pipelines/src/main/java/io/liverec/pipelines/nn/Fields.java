package io.liverec.pipelines.nn;

/**
 * What interaction layers see: the stacked field embeddings and the flat deep input.
 *
 * @param embeddings {@code [N, numFields, dim]}
 * @param sparseIds sparse ids already offset into the shared table ({@code [N, F]}), or null
 * @param flat {@code [N, flatWidth]}: flattened embeddings followed by the raw dense inputs
 */
public record Fields<T>(
    T embeddings, int numFields, int dim, T sparseIds, long totalVocab, T flat, int flatWidth) {}
