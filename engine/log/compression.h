#pragma once
// Compression of the records part of a RecordBatch (the 61-byte header is never compressed).
// gzip is implemented with zlib and framed as Java's GZIPOutputStream frames it; snappy, lz4 and
// zstd are recognised and answered with UnsupportedCompression.

#include "log/record.h"
#include "log/recordbatch.h"

#include <cstddef>
#include <span>

namespace brokerlab::log {

// No legitimate batch inflates past this: max.message.bytes is ~1 MiB and producers cap batches at
// batch.size of uncompressed bytes. Anything larger is treated as a decompression bomb.
inline constexpr std::size_t kMaxDecompressedBytes = 64u << 20;

// Appends the compressed form of `input` to `out`.
BatchError compressRecords(Compression codec, std::span<const std::uint8_t> input, Bytes& out);
// Appends the decompressed form of `input` to `out`; DecompressFailed when the stream is damaged or
// would grow past maxOutputBytes (nothing beyond that bound is ever allocated).
BatchError decompressRecords(Compression codec, std::span<const std::uint8_t> input, Bytes& out,
    std::size_t maxOutputBytes = kMaxDecompressedBytes);

bool isCompressionSupported(Compression codec);

} // namespace brokerlab::log
