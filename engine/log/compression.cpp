#include "log/compression.h"

#include <algorithm>
#include <climits>
#include <zlib.h>

namespace brokerlab::log {

namespace {

// zlib's windowBits: 15 (32 KiB window) plus 16 asks for gzip framing instead of the zlib wrapper.
constexpr int kGzipWindowBits = 15 + 16;
// JDK 16+ GZIPOutputStream writes OS = 255 ("unknown"); match what a current Kafka writes.
constexpr int kGzipOsUnknown = 255;

BatchError gzipCompress(std::span<const std::uint8_t> input, Bytes& out)
{
    if (input.size() > UINT_MAX)
        return BatchError::DecompressFailed;
    z_stream stream {};
    // Java's Deflater.DEFAULT_COMPRESSION and memLevel 8, as Kafka's GzipCompression uses.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return BatchError::DecompressFailed;
    gz_header header {};
    header.os = kGzipOsUnknown;
    deflateSetHeader(&stream, &header);

    const std::size_t start = out.size();
    const uLong bound = deflateBound(&stream, static_cast<uLong>(input.size()));
    out.resize(start + bound);
    stream.next_in = const_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    stream.next_out = out.data() + start;
    stream.avail_out = static_cast<uInt>(bound);
    const int rc = deflate(&stream, Z_FINISH);
    const std::size_t written = stream.total_out;
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) {
        out.resize(start);
        return BatchError::DecompressFailed;
    }
    out.resize(start + written);
    return BatchError::None;
}

bool startsWithGzipMagic(const std::uint8_t* p, std::size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

BatchError gzipDecompress(std::span<const std::uint8_t> input, Bytes& out, std::size_t maxOutputBytes)
{
    if (input.size() > UINT_MAX)
        return BatchError::DecompressFailed;
    z_stream stream {};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK)
        return BatchError::DecompressFailed;

    const std::size_t start = out.size();
    // Grow geometrically from a guess instead of trusting any size the stream claims.
    std::size_t capacity = std::min(maxOutputBytes, std::max<std::size_t>(input.size() * 4, 4096));
    out.resize(start + capacity);
    stream.next_in = const_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    std::size_t produced = 0;
    BatchError result = BatchError::None;
    for (;;) {
        if (produced == capacity) {
            if (capacity >= maxOutputBytes) {
                result = BatchError::DecompressFailed;
                break;
            }
            capacity = std::min(maxOutputBytes, capacity * 2);
            out.resize(start + capacity);
        }
        stream.next_out = out.data() + start + produced;
        stream.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity - produced, UINT_MAX));
        const uInt before = stream.avail_out;
        const int rc = inflate(&stream, Z_NO_FLUSH);
        produced += before - stream.avail_out;
        if (rc == Z_STREAM_END) {
            // GZIPInputStream reads concatenated members and ignores anything else that follows.
            if (!startsWithGzipMagic(stream.next_in, stream.avail_in))
                break;
            if (inflateReset(&stream) != Z_OK) {
                result = BatchError::DecompressFailed;
                break;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR && stream.avail_out != 0) {
            // No progress with room to write: the input ended inside the stream.
            result = BatchError::DecompressFailed;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            result = BatchError::DecompressFailed;
            break;
        }
    }
    inflateEnd(&stream);
    out.resize(result == BatchError::None ? start + produced : start);
    return result;
}

} // namespace

bool isCompressionSupported(Compression codec) { return codec == Compression::None || codec == Compression::Gzip; }

BatchError compressRecords(Compression codec, std::span<const std::uint8_t> input, Bytes& out)
{
    switch (codec) {
    case Compression::None:
        out.insert(out.end(), input.begin(), input.end());
        return BatchError::None;
    case Compression::Gzip:
        return gzipCompress(input, out);
    case Compression::Snappy:
    case Compression::Lz4:
    case Compression::Zstd:
        break;
    }
    return BatchError::UnsupportedCompression;
}

BatchError decompressRecords(
    Compression codec, std::span<const std::uint8_t> input, Bytes& out, std::size_t maxOutputBytes)
{
    switch (codec) {
    case Compression::None:
        if (input.size() > maxOutputBytes)
            return BatchError::DecompressFailed;
        out.insert(out.end(), input.begin(), input.end());
        return BatchError::None;
    case Compression::Gzip:
        return gzipDecompress(input, out, maxOutputBytes);
    case Compression::Snappy:
    case Compression::Lz4:
    case Compression::Zstd:
        break;
    }
    return BatchError::UnsupportedCompression;
}

} // namespace brokerlab::log
